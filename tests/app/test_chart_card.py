"""The chart card's structure: what a redraw in place rewrites, and how its controls are named.

A filter change writes a card's slots (``CARD_SLOTS``) into components that stay mounted, so the
demo mark must follow the spec through its ``hidden`` flag, and every control's name must end
with the card's heading by reference, never with a copy of the title that would go stale.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import pytest
from dash import dcc

from dashboard import ids
from dashboard.charts import ChartSpec, Column
from dashboard.components.chart_card import (
    ABOUT_PLACEHOLDER,
    CARD_SLOTS,
    TABLE_PLACEHOLDER,
    card_slots,
    chart_card,
    title_id,
)
from dashboard.components.tables import text_table
from dashboard.components.tree import components_in

SPEC = ChartSpec(
    key="reach-rate",
    title="Swale has the highest reach rate",
    subtitle="Thanet & Dover · Dementia · 2024/25",
    figure=go.Figure(go.Bar(x=["Swale", "Thanet"], y=[2.8, 2.2])),
    table=pd.DataFrame({"name": ["Swale", "Thanet"], "reach": [2.8, 2.2]}),
    columns=(Column("name", "District"), Column("reach", "Reach rate", "percent")),
    statuses=("census", "demo"),
    measure={"slug": "reach-rate", "name": "Reach rate", "definition": "Supported ÷ carers"},
)


def _card(app, spec: ChartSpec):
    with app.server.test_request_context():
        return chart_card(spec, {"signed": "origin"}, "reach-charts")


@pytest.mark.parametrize(
    ("spec", "hidden"),
    [
        (SPEC, False),
        (replace(SPEC, statuses=("census",)), True),
        (replace(SPEC, unavailable="Not published by locality."), True),
    ],
)
def test_the_demo_mark_shows_only_on_a_chart_of_demo_rows(app, spec, hidden):
    assert card_slots(_card(app, spec))["demo"] is hidden


def test_every_control_is_named_by_its_label_then_the_heading(app):
    card = _card(app, SPEC)
    by_id = {c.id: c for c in components_in(card) if isinstance(getattr(c, "id", None), str)}
    heading = by_id[title_id(SPEC)]
    assert heading.children.id == ids.card_slot("reach-charts", SPEC.key, "head")
    assert heading.children.children == SPEC.title
    buttons = [c for c in components_in(card) if c.__class__.__name__ == "Button"]
    assert len(buttons) == 5  # the CSV, three images and copying the alt text
    for button in buttons:
        labels = button.to_plotly_json()["props"]["aria-labelledby"].split()
        assert labels[-1] == title_id(SPEC)
        assert all(label in by_id for label in labels)
        assert button.children.id in labels  # its visible text is part of its name


def test_a_redraw_writes_the_title_alt_text_and_notes_summary_but_no_notes(app):
    slots = card_slots(_card(app, SPEC))
    assert set(slots) <= set(CARD_SLOTS)
    assert slots["head"] == SPEC.title
    assert slots["subtitle"] == SPEC.subtitle
    assert "Swale" in slots["alt"] and slots["alt"] == slots["figure-label"]
    assert slots["about-summary"] == "About this measure: Reach rate"
    # What "About" and the table hold is their placeholder, fetched when opened.
    assert slots["about"].children == ABOUT_PLACEHOLDER
    assert slots["table"].children == TABLE_PLACEHOLDER
    assert not [c for c in components_in(slots["about"]) if c.__class__.__name__ == "Dl"]


def test_each_slot_part_has_ids_of_its_own_keys_and_its_part_is_read_back(app):
    # Dash's renderer looks an id up among the ids with the same keys, one by one: the slots of
    # one part must not share their keys with any other part's (70 slots on /investment).
    slot_ids = [
        component.id
        for component in components_in(_card(app, SPEC))
        if ids.slot_part(getattr(component, "id", None)) is not None
    ]
    parts = [ids.slot_part(identity) for identity in slot_ids]
    assert len(parts) > 10 and sorted(parts) == sorted(card_slots(_card(app, SPEC)))
    assert len({frozenset(identity) for identity in slot_ids}) == len(parts) == len(set(parts))
    assert ids.slot_part(ids.card_slot("reach-charts", SPEC.key, "figure")) == "figure"
    assert ids.slot_part(ids.chart_part(ids.TABLE_TYPE, SPEC.key)) is None
    assert ids.slot_part("reach-map-card") is None


def test_a_card_without_a_chart_shows_its_list_in_place_of_one(app):
    # The decisions list sat behind "Table of this chart", on a card that has no chart.
    listed = replace(SPEC, key="decisions-list", title="2 decisions", figure=None)
    card = _card(app, listed)
    slots = card_slots(card)
    assert "table" not in slots and "figure" not in slots
    written = next(c for c in components_in(slots["list"]) if isinstance(c, dcc.Markdown))
    assert re.findall(r'<th scope="row">(.*?)</th>', written.children) == ["Swale", "Thanet"]
    identities = [getattr(c, "id", None) for c in components_in(card)]
    assert ids.chart_part(ids.TABLE_DISCLOSURE_TYPE, listed.key) not in identities
    # A chart's card keeps its table behind the disclosure, fetched when opened.
    assert "list" not in card_slots(_card(app, SPEC))


def test_a_text_table_is_one_component_with_its_texts_escaped_and_rows_headed():
    # As components, /data's tables of about 2,000 cells took Dash's renderer 7.9 s to draw.
    table = text_table(
        "Returns <2025>", ["Provider", "Note"], [["A & B", "late\nby a week"], ["C", ""]], "t"
    )
    assert list(components_in(table)) == [table]
    assert table.children == (
        '<table class="t"><caption>Returns &lt;2025&gt;</caption><thead><tr>'
        '<th scope="col">Provider</th><th scope="col">Note</th></tr></thead><tbody>'
        '<tr><th scope="row">A &amp; B</th><td>late<br>by a week</td></tr>'
        '<tr><th scope="row">C</th><td></td></tr></tbody></table>'
    )
    assert "\n" not in table.children  # a blank line would end Markdown's HTML block


def test_a_text_tables_caption_stays_on_its_one_line_of_html():
    table = text_table("Returns\n\n*late*", ["Provider"], [["A"]], "t")
    assert "\n" not in table.children
    assert "<caption>Returns<br><br>*late*</caption>" in table.children


@pytest.mark.parametrize("breaks", ["\r\r", "\r\n\r\n", "\u2028\u2028", "\x85\x85", "\f\v"])
def test_every_line_break_markdown_reads_is_written_as_a_break(breaks):
    # Found by an attack: a description with carriage returns alone (a crafted form) ended the
    # HTML block, and /decisions showed a Markdown link, a heading and the rows under it lost.
    row = ["1 Apr 2024", f"first{breaks}[paper](https://x.example)"]
    table = text_table("Events", ["Date", "Description"], [row], "t")
    assert "<td>first<br><br>[paper](https://x.example)</td>" in table.children
    assert not re.search(r"[\r\n\v\f\x85\u2028\u2029]", table.children)


def test_a_chart_with_data_quality_notes_names_them_under_it(app):
    flagged = replace(SPEC, quality_flags=("Two totals for 2015/16", "Targets do not add up"))
    line = card_slots(_card(app, flagged))["quality"]
    words = "".join(part if isinstance(part, str) else part.children for part in line.children)
    assert words == (
        "Data quality: “Two totals for 2015/16”; “Targets do not add up” "
        "(see “About this measure”)."
    )
    assert card_slots(_card(app, SPEC))["quality"] is None
    # A chart without a measure has "About this chart", and the line points there.
    unmeasured = replace(flagged, measure=None, footnotes=("A note.",))
    pointer = card_slots(_card(app, unmeasured))["quality"].children[2].children
    assert pointer == " (see “About this chart”)"
    # The slot is on every card, so a filter change can write or clear it in place.
    assert card_slots(_card(app, replace(flagged, unavailable="Not published.")))["quality"] is None
