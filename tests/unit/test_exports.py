"""Report exports: the export figure, file names, alt text, CSV header and the signed origin."""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import ALL_CARE_GROUPS, BASE_ALL_CARE_GROUPS, ChartSpec, Column
from dashboard.components.chart_card import GRAPH_CONFIG
from dashboard.data_dates import DataDates
from dashboard.exports import (
    DEMO_MARK,
    LINK_LABEL,
    PRESETS,
    ExportInfo,
    csv_header,
    describe_chart,
    export_figure,
    export_filename,
    signed,
    verified,
)
from dashboard.figures.common import label_demo
from dashboard.filters import Filters

INFO = ExportInfo(
    link="http://dashboard.example/reach?locality=thanet-dover",
    data_version="v42",
    made=date(2026, 12, 3),
)
TABLE = pd.DataFrame(
    {
        "name": ["Thanet", "Dover", "Swale", "Kent"],
        "reach": [13.2, 11.9, 15.5, 11.5],
        "status": ["demo", "demo", "demo", "demo"],
    }
)


def _spec(statuses=("census", "demo"), title="Swale has the highest reach rate") -> ChartSpec:
    figure = go.Figure(go.Bar(x=TABLE["name"], y=TABLE["reach"]))
    return ChartSpec(
        key="reach-rate",
        title=title,
        subtitle="Thanet & Dover · Dementia · 2024/25",
        figure=label_demo(figure, statuses),
        table=TABLE,
        columns=(
            Column("name", "District"),
            Column("reach", "Reach rate", "percent"),
            Column("status", "Status", "status"),
        ),
        sources=("ons-census-2021",),
        period_label="2024/25",
        statuses=statuses,
        data_date=DataDates(loaded={("ons-census-2021", ""): date(2026, 11, 30)}),
        alt_text="Bar chart of reach rate by district.",
    )


def _texts(figure: go.Figure) -> str:
    return " ".join(a.text for a in figure.layout.annotations)


def test_export_figure_carries_title_filters_footer_and_link():
    figure = export_figure(_spec(), INFO, PRESETS["slide"])
    text = _texts(figure)
    for expected in (
        "Swale has the highest reach rate",
        "Thanet & Dover · Dementia · 2024/25",
        "Source: ons-census-2021 (loaded 30 Nov 2026)",
        "Status: Census, Demo",
        "Data version v42",
        "Exported 3 Dec 2026",  # a chart pasted into a report says when it was taken
        INFO.link,
    ):
        assert expected in text
    assert (figure.layout.width, figure.layout.height) == (1280, 720)


def _bars(statuses, *, keep_band=False) -> ChartSpec:
    figure = go.Figure(
        go.Bar(x=TABLE["name"], y=TABLE["reach"]), layout={"height": 380, "margin": {"t": 60}}
    )
    figure = label_demo(figure, set(statuses), keep_band=keep_band)
    return replace(_spec(statuses), figure=figure)


@pytest.mark.parametrize("preset", ["slide", "report"])
def test_a_band_kept_empty_on_screen_leaves_no_gap_in_an_image(preset):
    # The quarterly new-carers chart keeps the demo mark's band when its figures are published,
    # so that it keeps its height on screen; the image has its own header and needs no band.
    assert _bars(("census",), keep_band=True).figure.layout.height == 380 + 30
    kept = export_figure(_bars(("census",), keep_band=True), INFO, PRESETS[preset])
    plain = export_figure(_bars(("census",)), INFO, PRESETS[preset])
    assert kept.layout.to_plotly_json() == plain.layout.to_plotly_json()


@pytest.mark.parametrize("preset", ["slide", "report"])
def test_an_image_of_a_demo_chart_has_its_mark_by_the_title_and_no_empty_band(preset):
    demo = export_figure(_bars(("census", "demo")), INFO, PRESETS[preset])
    plain = export_figure(_bars(("census",)), INFO, PRESETS[preset])
    assert DEMO_MARK in _texts(demo) and DEMO_MARK not in _texts(plain)
    assert (demo.layout.margin.t, demo.layout.height) == (
        plain.layout.margin.t,
        plain.layout.height,
    )


@pytest.mark.parametrize(
    ("trace", "legend", "room"),
    [
        (go.Bar(x=["a"], y=[1]), None, 150),
        (go.Choropleth(locations=["E07000112"], z=[1]), None, 32),
        (go.Choropleth(locations=["E07000112"], z=[1]), True, 60),
        (go.Sankey(node={"label": ["a", "b"]}, link={"source": [0], "target": [1]}), None, 32),
    ],
    ids=["bars", "map", "map-with-legend", "flow"],
)
def test_only_a_chart_with_axes_keeps_room_under_its_plot_on_a_slide(trace, legend, room):
    # Under a map or a flow there are no tick labels or axis titles: a slide gave a map 150 px
    # of blank under it, and the map, fitted to its plot, was drawn smaller than it could be.
    figure = go.Figure(trace, layout={"showlegend": legend, "height": 400})
    exported = export_figure(replace(_spec(), figure=figure), INFO, PRESETS["slide"])
    footer = next(a for a in exported.layout.annotations if LINK_LABEL in a.text)
    assert footer.yshift == -room  # the footer's top, under the plot's bottom edge


def test_demo_mark_appears_once_if_and_only_if_demo_rows_are_shown():
    with_demo = _texts(export_figure(_spec(("census", "demo")), INFO, PRESETS["report"]))
    without = _texts(export_figure(_spec(("census",)), INFO, PRESETS["report"]))
    assert with_demo.count(DEMO_MARK) == 1
    assert DEMO_MARK not in without


def test_export_does_not_change_the_spec_figure():
    spec = _spec()
    before = spec.figure.to_json()
    export_figure(spec, INFO, PRESETS["report"])
    assert spec.figure.to_json() == before


def test_long_titles_are_wrapped_to_the_image_width():
    title = "A very long active title that states the finding in many words " * 3
    figure = export_figure(_spec(title=title.strip()), INFO, PRESETS["report"])
    header = figure.layout.annotations[-2].text
    assert header.count("<br>") >= 2


@pytest.mark.parametrize(
    ("filters", "period", "extension", "expected"),
    [
        (
            Filters(locality="thanet-dover", care_group="dementia", period="2024-25"),
            "2024/25",
            "png",
            "reach-rate_thanet-dover_dementia_2024-25.png",
        ),
        (
            Filters(),
            "2024/25; carers from Census 2021",
            "svg",
            "reach-rate_kent_all-care-groups_2024-25.svg",
        ),
        (Filters(), "", "csv", "reach-rate_kent_all-care-groups_latest.csv"),
    ],
)
def test_file_names_say_chart_locality_care_group_and_period(filters, period, extension, expected):
    assert export_filename(replace(_spec(), period_label=period), filters, extension) == expected


def test_a_chart_not_recorded_by_care_group_is_named_for_all_care_groups():
    # The funding charts show every care group whichever is chosen; their files were named
    # "..._thanet-dover_dementia_...", as if the figures were dementia carers'.
    filters = Filters(locality="thanet-dover", care_group="dementia")
    spec = replace(_spec(), care_group_basis=ALL_CARE_GROUPS)
    assert export_filename(spec, filters, "csv") == (
        "reach-rate_thanet-dover_all-care-groups_2024-25.csv"
    )
    against_all = replace(_spec(), care_group_basis=BASE_ALL_CARE_GROUPS)
    assert export_filename(against_all, filters, "csv") == (
        "reach-rate_thanet-dover_dementia_2024-25.csv"
    )


def test_an_image_file_name_says_its_preset():
    names = {
        export_filename(_spec(), Filters(), "png", preset=preset) for preset in ("slide", "report")
    }
    assert names == {
        "reach-rate_kent_all-care-groups_2024-25_slide.png",
        "reach-rate_kent_all-care-groups_2024-25_report.png",
    }


def test_alt_text_names_highest_lowest_and_kent():
    text = describe_chart(_spec())
    assert text.startswith("Bar chart of reach rate by district.")
    assert "Swale has the highest reach rate" in text
    assert "Reach rate: 3 values; highest Swale (16%); lowest Dover (12%); Kent 12%." in text
    assert "demonstration data" in text
    assert "demonstration data" not in describe_chart(_spec(("census",)))


def _counts_spec(values) -> ChartSpec:
    table = pd.DataFrame({"label": [f"2013/14 Q{n}" for n in range(1, 5)], "value": values})
    columns = (Column("label", "Period"), Column("value", "Crisis referrals", "count"))
    return dataclasses.replace(_spec(), table=table, columns=columns)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Found by a review: hidden counts of 1 to 4 were left out unsaid, and the alt text (the
        # meeting pack's description too) named a 0 as the highest.
        (
            [0, "<5", 0, "<5"],
            "Crisis referrals: 4 values, 2 of them hidden as <5; highest shown 2013/14 Q1 (0); "
            "lowest shown 2013/14 Q1 (0).",
        ),
        (
            ["<5", "<5", 12, "<5"],
            "Crisis referrals: 4 values, 3 of them hidden as <5; the one shown: 2013/14 Q3 (12).",
        ),
        (["<5"] * 4, "Crisis referrals: all 4 values hidden as <5."),
        (
            [3, 0, 12, 7],
            "Crisis referrals: 4 values; highest 2013/14 Q3 (12); lowest 2013/14 Q2 (0).",
        ),
    ],
)
def test_alt_text_says_how_many_values_are_hidden_and_names_extremes_of_those_shown(
    values, expected
):
    assert expected in describe_chart(_counts_spec(values))


def test_alt_text_for_an_empty_table_still_says_what_the_chart_is():
    spec = _spec()
    empty = ChartSpec(**{**spec.__dict__, "table": pd.DataFrame()})
    assert describe_chart(empty).startswith("Bar chart of reach rate by district.")


def test_csv_header_lines_name_filters_source_version_and_link_and_cannot_be_formulas():
    spec = _spec(title="=HYPERLINK(evil)")
    rows = list(csv.reader(io.StringIO(csv_header(spec, INFO))))
    assert all(len(row) == 1 and row[0].startswith("#") for row in rows)
    text = "\n".join(row[0] for row in rows)
    for expected in (
        "Filters: Thanet & Dover · Dementia · 2024/25",
        "Source: ons-census-2021 (loaded 30 Nov 2026)",
        "v42",
        "Exported 3 Dec 2026",
        INFO.link,
    ):
        assert expected in text


def test_an_image_and_a_csv_name_the_data_quality_notes_the_chart_is_read_with():
    spec = replace(_spec(), quality_flags=("Two totals for 2015/16",))
    line = "Data quality: “Two totals for 2015/16” (see Data and methods)"
    assert line in _texts(export_figure(spec, INFO, PRESETS["slide"]))
    assert line in csv_header(spec, INFO)
    assert "Data quality" not in csv_header(_spec(), INFO)


def test_signed_origin_round_trips_and_rejects_any_change():
    secret = b"secret"
    origin = {"source": "reach-map", "chart": "reach-map", "controls": ["carers", 0.95, True]}
    payload = signed(origin, secret)
    assert verified(payload, secret) == origin
    tampered = {**payload, "body": payload["body"].replace("carers", "population")}
    assert verified(tampered, secret) is None
    assert verified(payload, b"other secret") is None
    for wrong in ({}, None, [payload], {"body": 1, "signature": payload["signature"]}):
        assert verified(wrong, secret) is None
    # Text that is not ASCII made hmac.compare_digest raise TypeError (a crafted request).
    for signature in ("é", payload["signature"][:-1] + "é", 7, None):
        assert verified({**payload, "signature": signature}, secret) is None


def test_no_toolbar_button_can_send_a_chart_elsewhere():
    removed = set(GRAPH_CONFIG["modeBarButtonsToRemove"])
    assert {"toImage", "sendDataToCloud", "editInChartStudio"} <= removed
    assert GRAPH_CONFIG["showSendToCloud"] is False
    assert GRAPH_CONFIG["showEditInChartStudio"] is False
