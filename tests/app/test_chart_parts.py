"""Light responses: a filter click sends figures only; tables, notes and CSV come when asked for.

Through Flask's test client, as the browser posts them: each page's filter callbacks, then the
table and the notes ("About") a card's disclosures fetch and the CSV its Download button
fetches, compared with the
spec the page's view functions build for the same filters (through the meeting pack's path,
which calls the views directly).
"""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import date
from html.parser import HTMLParser

import pytest

from dashboard import caching, geo, ids, rendering
from dashboard.callbacks.chart_parts import (
    DATA_CHANGED,
    SOURCES_EXTENSION,
    ChartSource,
    Drawing,
    redraw,
)
from dashboard.callbacks.overview import build_headlines
from dashboard.charts import csv_column_name, to_csv
from dashboard.exports import ExportInfo, csv_header, export_filename, signed, verified
from dashboard.filters import Filters
from dashboard.meeting_pack import pack_charts
from tests.support.callbacks import (
    CALLBACK_PATH,
    about_request,
    csv_request,
    filter_click_posts,
    image_request,
    response_key,
    table_request,
)

FILTERS = Filters("cas-2013", "thanet-dover", "dementia")
PAGES = {
    "/reach": "reach",
    "/short-breaks": "short-breaks",
    "/funding": "funding",
    "/investment": "investment",
    "/planner": "planner",
    "/targets": "targets",
}
HREF = "http://127.0.0.1:8050/funding?locality=thanet-dover&care_group=dementia"


def _walk(value):
    """Every object and list in ``value``, in document order."""
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(reversed(item.values()))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _components(value, kind: str) -> list[dict]:
    return [item for item in _walk(value) if isinstance(item, dict) and item.get("type") == kind]


def _page_responses(client, app, path: str, filters: Filters = FILTERS) -> list[dict]:
    client.get(path)
    answers = []
    for output, request in filter_click_posts(app, path, filters.to_dict()):
        response = client.post(CALLBACK_PATH, json=request)
        assert response.status_code == 200, output
        answers.append(response.get_json())
    assert answers, path
    return answers


def _origins(answers: list[dict]) -> list[dict]:
    """(id, data) of every chart card's origin store in the page's responses."""
    return [
        store["props"]
        for store in _components(answers, "Store")
        if store["props"]["id"].get("type") == ids.CHART_ORIGIN_TYPE
    ]


def _disclosed(answers: list[dict], kind: str) -> list[str]:
    """The charts whose cards in the page's responses have a disclosure of ``kind``."""
    found = []
    for details in _components(answers, "Details"):
        identity = details["props"].get("id")
        if isinstance(identity, dict) and identity.get("type") == kind:
            found.append(identity["chart"])
    return found


def _open_table(client, app, origin: dict, is_open: bool = True):
    return client.post(CALLBACK_PATH, json=table_request(app, origin, is_open))


def _open_about(client, app, origin: dict, is_open: bool = True):
    return client.post(CALLBACK_PATH, json=about_request(app, origin, is_open))


def _download_csv(client, app, origin: dict):
    return client.post(CALLBACK_PATH, json=csv_request(app, origin, HREF))


def _answer(response) -> object:
    """The one output value of a pattern-matching callback's response."""
    (value,) = [
        props for output in response.get_json()["response"].values() for props in output.values()
    ]
    return value


class _WrittenTable(HTMLParser):
    """A table written as HTML: its caption, each row's cell texts and the cells' scopes."""

    def __init__(self):
        super().__init__()
        self.caption, self.rows, self.header_scopes, self.row_scopes = "", [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        scope = dict(attrs).get("scope")
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.rows[-1].append("")
            if tag == "th":
                (self.header_scopes if scope == "col" else self.row_scopes).append(scope)
        self._in = tag

    def handle_data(self, data):
        if self._in == "caption":
            self.caption += data
        elif self._in in ("th", "td"):
            self.rows[-1][-1] += data


def _read_table(written: str) -> _WrittenTable:
    parser = _WrittenTable()
    parser.feed(written)
    return parser


def _cell_texts(table: dict) -> list[list[str]]:
    rows = []
    for row in _components(table, "Tr"):
        cells = row["props"]["children"]
        rows.append([cell["props"]["children"] for cell in cells])
    return rows


def _expected_rows(spec) -> list[list[str]]:
    header = [column.label for column in spec.columns]
    body = [
        [column.show(record[column.key]) for column in spec.columns]
        for record in spec.table.to_dict("records")
    ]
    return [header, *body]


@pytest.fixture(scope="module")
def view_specs(repo):
    """Each chart's spec as the page's view functions build it for ``FILTERS``."""
    return {spec.key: spec for _page, spec in pack_charts(repo, FILTERS, list(PAGES.values()))}


@pytest.mark.parametrize("path", ["/", *PAGES])
def test_a_filter_click_sends_no_table_rows_no_notes_and_no_csv(app, client, path):
    answers = _page_responses(client, app, path)
    assert _components(answers, "Tr") == []
    assert _components(answers, "Table") == []
    assert "<table" not in json.dumps(answers)  # nor a table written as HTML
    assert _components(answers, "Dl") == []
    text = json.dumps(answers)
    assert '"csv"' not in text and "# Filters:" not in text
    for origin in _origins(answers):
        fields = verified(origin["data"], app.server.secret_key.encode())
        assert set(fields) == {"source", "chart", "filters", "controls", "data_version"}
        assert fields["filters"] == FILTERS.to_dict()


@pytest.mark.parametrize("path", ["/reach", "/investment"])
def test_a_filter_click_answered_from_the_cache_rebuilds_no_figure(app, client, path, monkeypatch):
    # The cards are cached with the specs they came from; a spec's figure, rebuilt from its
    # dict, is needed for a table or "About" left open, not for the cards a click sends.
    first = _page_responses(client, app, path)
    rebuilt = []
    rebuild = caching._figure
    monkeypatch.setattr(caching, "_figure", lambda *args: rebuilt.append(args) or rebuild(*args))
    assert _page_responses(client, app, path) == first
    assert rebuilt == []


@pytest.mark.parametrize("path", list(PAGES))
def test_opening_a_table_gives_the_rows_the_view_built(app, client, repo, path, view_specs):
    answers = _page_responses(client, app, path)
    tables = _disclosed(answers, ids.TABLE_DISCLOSURE_TYPE)
    origins = [origin for origin in _origins(answers) if origin["id"]["chart"] in tables]
    assert origins
    for origin in origins:
        chart = origin["id"]["chart"]
        response = _open_table(client, app, origin)
        assert response.status_code == 200, chart
        table = _answer(response)
        assert table["type"] == "Markdown"  # the table's HTML, one component
        written = _read_table(table["props"]["children"])
        spec = view_specs[chart]
        assert written.caption == spec.title
        assert written.rows == _expected_rows(spec), chart
        assert written.header_scopes == ["col"] * len(spec.columns)
        assert written.row_scopes == ["row"] * len(spec.table)


@pytest.mark.parametrize("path", list(PAGES))
def test_opening_about_gives_the_measure_and_the_notes_of_the_chart_drawn(app, client, path):
    answers = _page_responses(client, app, path)
    origins = _origins(answers)
    disclosures = _disclosed(answers, ids.ABOUT_DISCLOSURE_TYPE)
    # Every card with notes has the origin they are fetched with, charts unavailable for the
    # selection too.
    assert set(disclosures) <= {origin["id"]["chart"] for origin in origins}
    notes_seen = 0
    for origin in origins:
        fields = verified(origin["data"], app.server.secret_key.encode())
        source = app.server.extensions[SOURCES_EXTENSION][fields["source"]]
        with app.server.test_request_context():
            items = source.specs(Filters.from_dict(fields["filters"]), *fields["controls"])
        spec = next(item for item in items if item.key == fields["chart"])
        if not spec.measure and not spec.footnotes:
            continue
        response = _open_about(client, app, origin)
        assert response.status_code == 200, spec.key
        about = _answer(response)
        assert about["type"] == "Dl"
        texts = [item["props"]["children"] for item in _components(about, "Dd")]
        if spec.measure and spec.measure.get("definition"):
            assert texts[0] == spec.measure["definition"], spec.key
        assert texts[len(texts) - len(spec.footnotes) :] == list(spec.footnotes), spec.key
        notes_seen += len(spec.footnotes)
    assert notes_seen, path  # every page has a chart with notes


def test_closing_the_table_or_an_altered_origin_fetches_nothing(app, client):
    (origin, *_rest) = _origins(_page_responses(client, app, "/funding"))
    assert _open_table(client, app, origin, is_open=False).status_code == 204
    assert _open_about(client, app, origin, is_open=False).status_code == 204
    fields = verified(origin["data"], app.server.secret_key.encode())
    for forged in (
        {**origin["data"], "body": origin["data"]["body"].replace("thanet", "dover")},
        signed({**fields, "source": "no-such-page"}, app.server.secret_key.encode()),
        signed({**fields, "chart": "no-such-chart"}, app.server.secret_key.encode()),
        signed(fields, b"another secret"),
    ):
        assert _open_table(client, app, {**origin, "data": forged}).status_code == 204
        assert _open_about(client, app, {**origin, "data": forged}).status_code == 204
        assert _download_csv(client, app, {**origin, "data": forged}).status_code == 204


def test_a_table_or_notes_opened_after_new_data_say_so(app, client):
    (origin, *_rest) = _origins(_page_responses(client, app, "/funding"))
    secret = app.server.secret_key.encode()
    fields = verified(origin["data"], secret)
    stale = signed({**fields, "data_version": "an earlier version"}, secret)
    answer = _answer(_open_table(client, app, {**origin, "data": stale}))
    assert answer["props"]["children"] == DATA_CHANGED
    answer = _answer(_open_about(client, app, {**origin, "data": stale}))
    assert answer["props"]["children"] == DATA_CHANGED


@pytest.mark.parametrize("path", ["/funding", "/reach"])
def test_csv_download_has_the_header_block_and_the_view_rows(app, client, repo, path, view_specs):
    for origin in _origins(_page_responses(client, app, path)):
        chart = origin["id"]["chart"]
        spec = view_specs[chart]
        download = _answer(_download_csv(client, app, origin))
        info = ExportInfo(link=HREF, data_version=repo.data_version(), made=date.today())
        assert download["content"] == csv_header(spec, info) + to_csv(spec)
        assert download["filename"] == export_filename(spec, FILTERS, "csv")
        assert download["type"] == "text/csv" and download["base64"] is False
        rows = list(csv.reader(io.StringIO(download["content"])))
        comments = [row[0] for row in rows if row and row[0].startswith("#")]
        assert comments[:2] == [f"# {spec.title}", f"# Filters: {spec.subtitle}"]
        assert any(line.startswith("# Source: ") for line in comments)
        assert f"# Reopen this view: {HREF}" in comments
        assert any("Demo" in line for line in comments) == spec.has_demo
        table_rows = rows[len(comments) :]
        assert table_rows[0][: len(spec.columns)] == [csv_column_name(c) for c in spec.columns]
        assert len(table_rows) == len(spec.table) + 1


def test_a_download_links_to_the_address_shown_not_the_one_the_page_opened_at(app, client):
    # The browser writes each filter change into the address itself, so the location still
    # holds the address the page was opened at; the link came out without the filters chosen.
    (origin, *_) = _origins(_page_responses(client, app, "/funding"))
    opened_at = "http://127.0.0.1:8050/funding"
    request = csv_request(app, origin, opened_at, address=HREF)
    download = _answer(client.post(CALLBACK_PATH, json=request))
    assert f"# Reopen this view: {HREF}" in _first_cells(download["content"])
    # Before the browser has written an address, the one the page opened at is the view's.
    download = _answer(client.post(CALLBACK_PATH, json=csv_request(app, origin, opened_at)))
    assert f"# Reopen this view: {opened_at}" in _first_cells(download["content"])


def _first_cells(content: str) -> list[str]:
    return [row[0] for row in csv.reader(io.StringIO(content)) if row]


def test_opening_a_headline_trend_table_gives_its_years(app, client, repo):
    origins = _origins(_page_responses(client, app, "/"))
    headlines = {headline.key: headline for headline in build_headlines(repo, FILTERS)}
    assert origins and {o["id"]["chart"] for o in origins} <= set(headlines)
    for origin in origins:
        headline = headlines[origin["id"]["chart"]]
        table = _answer(_open_table(client, app, origin))
        assert _components(table, "Caption")[0]["props"]["children"] == f"{headline.title}: by year"
        years = [row[0] for row in _cell_texts(table)[1:]]
        assert years == list(headline.trend["label"])


@pytest.mark.parametrize("path", ["/reach", "/investment"])
def test_maps_name_the_boundaries_by_address_which_serves_them_once(app, client, settings, path):
    answers = _page_responses(client, app, path)
    geojsons = [item["geojson"] for item in _walk(answers) if "geojson" in _props(item)]
    assert geojsons and all(isinstance(value, str) for value in geojsons)
    (address,) = set(geojsons)
    assert address.startswith("/maps/boundaries/") and address.endswith(".geojson")
    response = client.get(address)
    assert response.status_code == 200
    assert response.get_json() == _boundaries(settings)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/maps/boundaries/0123456789abcdef.geojson").status_code == 404


def test_exports_keep_the_boundaries_in_the_figure(app, client, settings):
    origins = _origins(_page_responses(client, app, "/reach"))
    (origin,) = [o for o in origins if o["id"]["chart"] == "reach-map"]
    fields = verified(origin["data"], app.server.secret_key.encode())
    source = app.server.extensions[SOURCES_EXTENSION][fields["source"]]
    (spec,) = source.specs(Filters.from_dict(fields["filters"]), *fields["controls"])
    collection = _boundaries(settings)
    assert any(trace.geojson == collection for trace in spec.figure.data if "geojson" in trace)


def _props(item) -> dict:
    return item if isinstance(item, dict) else {}


def _boundaries(settings) -> dict:
    """The boundary collection the maps draw, read from the configured file."""
    return geo.read_prepared(settings.boundaries_path)


def _download_image(client, app, origin: dict, variant: str = "report-png") -> dict:
    response = client.post(CALLBACK_PATH, json=image_request(app, origin, HREF, variant))
    assert response.status_code == 200
    return response.get_json()["response"]


def test_an_image_download_gives_the_png_and_clears_the_problem_line(app, client):
    (origin, *_) = _origins(_page_responses(client, app, "/funding"))
    chart = origin["id"]["chart"]
    answer = _download_image(client, app, origin)
    download = answer[response_key(ids.chart_part(ids.IMAGE_DOWNLOAD_TYPE, chart))]["data"]
    assert base64.b64decode(download["content"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert download["filename"].endswith("_report.png") and download["type"] == "image/png"
    problem = answer[response_key(ids.chart_part(ids.IMAGE_PROBLEM_TYPE, chart))]["children"]
    assert problem == ""


def test_an_image_the_browser_cannot_make_is_a_message_on_the_card_not_a_500(
    app, client, monkeypatch
):
    def unavailable(*_args):
        raise rendering.RenderingUnavailable("the browser that draws images did not start")

    monkeypatch.setattr(rendering, "render", unavailable)
    (origin, *_) = _origins(_page_responses(client, app, "/funding"))
    chart = origin["id"]["chart"]
    answer = _download_image(client, app, origin, "slide-png")
    # Nothing to download; the card says why, and that the data are not at fault.
    assert response_key(ids.chart_part(ids.IMAGE_DOWNLOAD_TYPE, chart)) not in answer
    problem = answer[response_key(ids.chart_part(ids.IMAGE_PROBLEM_TYPE, chart))]["children"]
    assert problem.startswith(
        "The image could not be made: the browser that draws images did not start."
    )
    assert "Nothing is wrong with the data" in problem


def test_one_callback_redraws_only_sources_sharing_its_slot_group():
    # Cards of another group have slot ids the callback's outputs do not name: drawn together,
    # their slots would never be written.
    def source(name: str, group: str) -> ChartSource:
        return ChartSource(name, specs=lambda filters: (), repo=None, slot_group=group)

    with pytest.raises(ValueError, match="one slot group"):
        redraw(Drawing(source("a", "page"), ([],)), Drawing(source("b", "other"), ([],)))
