"""The Data and methods page's reference tables: drawn once per data version, sent unchanged."""

from __future__ import annotations

import dash

from dashboard.callbacks import data_methods
from dashboard.filters import Filters
from dashboard.theme import STATUS_STYLE
from tests.support.callbacks import CALLBACK_PATH

OUTPUT = (
    "..data-sources.children...data-measures.children...data-quality.children"
    "...data-schemes.children.."
)
BODY = {
    "output": OUTPUT,
    "outputs": [
        {"id": name, "property": "children"}
        for name in ("data-sources", "data-measures", "data-quality", "data-schemes")
    ],
    "inputs": [{"id": "filter-state", "property": "data", "value": Filters().to_dict()}],
    "state": [],
    "changedPropIds": ["filter-state.data"],
}


def test_reference_tables_are_drawn_once_and_answered_the_same(app, monkeypatch):
    drawn = []
    original = data_methods.data_methods_tables

    def counted(reference):
        drawn.append(reference)
        return original(reference)

    monkeypatch.setattr(data_methods, "data_methods_tables", counted)
    client = app.server.test_client()
    client.get("/data")
    first = client.post(CALLBACK_PATH, json=BODY)
    second = client.post(CALLBACK_PATH, json=BODY)
    assert first.status_code == second.status_code == 200
    assert len(drawn) == 1
    assert (
        first.get_json()["response"]["data-sources"]
        == second.get_json()["response"]["data-sources"]
    )
    sources = str(first.get_json()["response"]["data-sources"])
    assert "Sources, with licence and the citation used under charts" in sources
    assert "Table" in sources  # sent as the component it was drawn from


def test_the_intro_names_every_status_the_legend_lists(app):
    page = next(page for page in dash.page_registry.values() if page["path"] == "/data")
    intro = page["layout"]().children[1].children
    for style in STATUS_STYLE.values():
        assert style["label"] in intro, style["label"]
    assert "Provider return" in intro  # the status the old "four kinds" left out
