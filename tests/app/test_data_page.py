"""The Data and methods page's reference tables: drawn once per data version, sent with the
page and not with a filter click."""

from __future__ import annotations

import dash

from dashboard.callbacks import data_methods
from dashboard.filters import Filters
from dashboard.theme import STATUS_STYLE
from tests.support.callbacks import CALLBACK_PATH, filter_click_posts

OUTPUT = "..data-sources.children...data-measures.children...data-schemes.children.."
BODY = {
    "output": OUTPUT,
    "outputs": [
        {"id": name, "property": "children"}
        for name in ("data-sources", "data-measures", "data-schemes")
    ],
    "inputs": [{"id": "data-sources", "property": "id", "value": "data-sources"}],
    "state": [],
    "changedPropIds": ["data-sources.id"],
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
    assert "<table" in sources  # sent as the table it was drawn as


def test_a_filter_click_on_the_data_page_sends_the_quality_cards_alone(app):
    # The sources, measures and schemes (about 150 KB of JSON) were sent again with every
    # filter click, though no filter changes them; they are drawn with the page.
    posts = list(filter_click_posts(app, "/data", Filters(care_group="dementia").to_dict()))
    assert [output for output, _body in posts] == ["data-quality.children"]
    response = app.server.test_client().post(CALLBACK_PATH, json=posts[0][1])
    assert response.status_code == 200
    assert list(response.get_json()["response"]) == ["data-quality"]


def test_the_intro_names_every_status_the_legend_lists(app):
    page = next(page for page in dash.page_registry.values() if page["path"] == "/data")
    intro = page["layout"]().children[1].children
    for style in STATUS_STYLE.values():
        assert style["label"] in intro, style["label"]
    assert "Provider return" in intro  # the status the old "four kinds" left out
