"""App-level tests through the Flask test client: pages, layouts, ids, health, vendor CSS."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import dash
import pytest
from dash.development.base_component import Component

from dashboard import ids
from dashboard.application import REPOSITORY_EXTENSION, create_app
from dashboard.components.shell import period_options
from dashboard.config import PROJECT_ROOT, ConfigError, Settings
from dashboard.figures import maps
from dashboard.page_scripts import index_with_page_scripts
from tests.support.callbacks import server_callbacks

PAGE_PATHS = ("/", "/data")


def _ids(component) -> list:
    found = []
    if isinstance(component, Component):
        component_id = getattr(component, "id", None)
        if component_id is not None:
            found.append(json.dumps(component_id, sort_keys=True))
        for child in _children(component):
            found.extend(_ids(child))
    elif isinstance(component, (list, tuple)):
        for child in component:
            found.extend(_ids(child))
    return found


def _children(component):
    children = getattr(component, "children", None)
    if children is None:
        return []
    return children if isinstance(children, (list, tuple)) else [children]


def test_every_page_layout_is_callable_without_arguments(app):
    pages = list(dash.page_registry.values())
    assert {page["path"] for page in pages} >= set(PAGE_PATHS)
    for page in pages:
        layout = page["layout"]() if callable(page["layout"]) else page["layout"]
        assert isinstance(layout, Component), page["path"]


def test_component_ids_are_unique_across_shell_and_pages(app):
    everything = [app.layout()]
    everything += [page["layout"]() for page in dash.page_registry.values()]
    ids = _ids(everything)
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates


def test_navigation_comes_from_the_registry(app):
    nav_pages = [page["path"] for page in dash.page_registry.values() if page.get("nav")]
    shell_ids = _ids(app.layout())
    for path in nav_pages:
        assert json.dumps({"path": path, "type": "nav-link"}, sort_keys=True) in shell_ids
    assert "/404" not in nav_pages


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_pages_are_served(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"_dash-config" in response.data


def test_an_unknown_address_answers_404_with_the_app_and_every_page_200(client):
    # The router shows "Page not found" for an address it does not know; the status said 200.
    for path in ("/nonexistent", "/reach/extra", "/404"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"_dash-config" in response.data  # the app, which shows "Page not found"
    for page in dash.page_registry.values():
        if page["path"] != "/404":
            assert client.get(page["path"]).status_code == 200, page["path"]
    assert client.get("/reach?locality=thanet-dover").status_code == 200
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/deps/gone.v1_0_0m1.min.js",
        "/_dash-component-suites/dash/../../etc/passwd",
    ],
)
def test_a_script_dash_does_not_serve_answers_404(client, path):
    # Dash raised and Flask answered 500, as for a page cached from an earlier release.
    response = client.get(path)
    assert response.status_code == 404, response.data[:200]
    assert b"Traceback" not in response.data and b"registered" not in response.data


def test_layout_and_dependencies_are_served(client):
    assert client.get("/_dash-layout").status_code == 200
    dependencies = client.get("/_dash-dependencies").get_json()
    outputs = " ".join(d["output"] for d in dependencies)
    assert "overview-cards.children" in outputs
    assert "filter-query.data" in outputs
    # The browser writes the address; a callback writing the location would make Dash Pages
    # rebuild the page and run every page callback a second time.
    assert "url.search" not in outputs


def test_the_page_notes_the_browsers_own_functions_before_the_scripts_and_restores_them(client):
    page = client.get("/").get_data(as_text=True)
    noted, polyfill = page.index("kentCarersBuiltins = ["), page.index("polyfill@7")
    restored, renderer = page.index("kentCarersBuiltins.forEach"), page.index("_dash-renderer")
    assert noted < polyfill < restored < renderer
    assert page.rindex("<script src=", 0, renderer) < restored  # after the last script loaded


def test_the_page_readies_the_list_dash_adds_its_store_to_before_any_script_loads(client):
    page = client.get("/").get_data(as_text=True)
    readied = page.index("window.dash_stores = window.dash_stores || []")
    assert readied < page.index("<script src=") < page.index("dash_renderer")


def test_a_page_template_without_one_scripts_place_is_refused():
    with pytest.raises(ValueError, match="scripts"):
        index_with_page_scripts("<html><body>{%app_entry%}</body></html>")


def test_health_reports_database_and_data_version(client, repo):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "reachable"
    assert body["data_version"] == repo.data_version()
    assert body["data_version"].startswith(repo.dataset_info()["data_version"])
    assert body["data_files_loaded"] is True  # the test database is loaded from data/


def test_maps_base_topology_is_served_empty_by_the_app(client):
    response = client.get(f"{maps.TOPOJSON_PATH}world_110m.json")
    assert response.status_code == 200
    assert (
        response.get_json()
        == maps.empty_topology()
        == {"type": "Topology", "objects": {}, "arcs": []}
    )


def test_bootstrap_is_served_locally(client):
    with client.get("/vendor/bootstrap.min.css") as response:
        assert response.status_code == 200
        assert b"Bootstrap" in response.data[:200]


def test_start_up_fails_clearly_on_an_empty_database(tmp_path):
    (tmp_path / "empty.sqlite").touch()
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'empty.sqlite'}", secret_key="x")
    with pytest.raises(ConfigError, match="init-db"):
        create_app(settings)


def test_start_up_fails_clearly_on_a_bad_boundary_file(settings, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(ConfigError, match="CARERS_BOUNDARIES"):
        create_app(Settings(**{**settings.__dict__, "boundaries_path": bad}))


def test_an_ons_boundary_file_not_yet_prepared_is_read_too(settings, tmp_path):
    # The project's own file is read as JSON; any other goes through the geopandas reader.
    raw = json.loads(settings.boundaries_path.read_text(encoding="utf-8"))
    del raw["attribution"]
    download = tmp_path / "ons.geojson"
    download.write_text(json.dumps(raw), encoding="utf-8")
    app = create_app(Settings(**{**settings.__dict__, "boundaries_path": download}))
    prepared = create_app(settings)
    assert _boundaries_of(app) == _boundaries_of(prepared)


def _boundaries_of(app) -> dict:
    return app.server.extensions[REPOSITORY_EXTENSION].boundaries


def test_a_web_worker_loads_no_geometry_or_statistics_library(settings) -> None:
    # geopandas with GDAL, and scipy, would add about 140 MB to every worker (benchmarks/README.md).
    heavy = ("geopandas", "pyogrio", "pyproj", "scipy")
    probe = (
        "import sys; from dashboard.application import create_app; create_app(); "
        f"print(' '.join(p for p in {heavy!r} if p in sys.modules))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "CARERS_BOUNDARIES": str(settings.boundaries_path),
    }
    loaded = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert loaded == []


def test_responses_are_compressed_for_browsers_that_accept_it(client) -> None:
    script = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    plain = client.get(script)
    packed = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.data) < len(plain.data) / 2
    page = client.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers["Content-Encoding"] == "br"


def test_the_assets_are_compressed_whole_and_reopen_from_the_cache(client) -> None:
    # Streamed from their files, they went uncompressed: 54 KB of every first load.
    script = (PROJECT_ROOT / "assets" / "view.js").read_bytes()
    plain = client.get("/assets/view.js")
    packed = client.get("/assets/view.js", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert plain.data == script and "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == script
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(script) / 2
    # Closed as a server closes them: these two are still streamed from the file.
    with client.get(
        "/assets/view.js",
        headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]},
    ) as again:
        assert again.status_code == 304 and again.data == b""
    with client.get("/assets/view.js", headers={"Range": "bytes=0-99"}) as part:
        assert part.status_code == 206 and part.data == script[:100]


def test_no_callback_a_filter_change_starts_waits_for_another_ones_answer(app):
    """One round trip per filter click: every server callback that takes the filters can be
    sent at once. Dash holds back a callback whose other input is another filter callback's
    output until that answer is in, so the click would cost two round trips in a row."""

    def key(dependency) -> str:
        identity, prop = dependency
        return json.dumps([identity, prop], sort_keys=True)

    filter_state = key((ids.FILTER_STATE, "data"))
    on_filters = {
        name: callback
        for name, callback in server_callbacks(app).items()
        if filter_state in {key(dependency) for dependency in callback.inputs}
    }
    assert len(on_filters) > 10
    chained = []
    for name, callback in on_filters.items():
        inputs = {key(dependency) for dependency in callback.inputs} - {filter_state}
        for other_name, other in on_filters.items():
            if other_name != name and inputs & {key(output) for output in other.outputs}:
                chained.append((name, other_name))
    assert chained == []


def test_the_period_menu_heads_each_kind_of_period(repo):
    # After the years the menu ran on "2010/11, 2009/10, 2016/17 H1, 2009/10 H2, 2024/25 Q4":
    # grouped by kind, which nothing said, so it read as out of order.
    options = period_options(repo.reference().filter_choices().periods)
    headings = [option for option in options if option.get("disabled")]
    assert [option["label"] for option in headings] == [
        "— Financial years —",
        "— Half years —",
        "— Quarters —",
    ]
    assert options[0] == headings[0]
    after_half_heading = options[options.index(headings[1]) + 1]["label"]
    assert " H" in after_half_heading
    chosen = [option["value"] for option in options if not option.get("disabled")]
    assert chosen == list(repo.reference().filter_choices().periods)
