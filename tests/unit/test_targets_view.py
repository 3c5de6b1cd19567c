"""Targets views and figures: published targets exact, actuals resolved, RAG rule, filters."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from dashboard.callbacks.targets import load
from dashboard.charts import BASE_ALL_CARE_GROUPS
from dashboard.data_dates import DataDates
from dashboard.figures import targets as figures
from dashboard.filters import Filters
from dashboard.theme import BENCHMARK, TEXT
from dashboard.views import targets
from dashboard.views.common import ViewContext
from tests.support.figures import has_demo_mark


def _context(repo, **filters) -> ViewContext:
    return ViewContext(Filters(**filters), repo.reference(), DataDates())


@pytest.fixture
def data(repo) -> targets.TargetsData:
    """The page's data, with nothing worked out yet (each test starts afresh)."""
    return load(repo)


def _points(figure, kind: str) -> list[tuple]:
    """Each point a bullet chart draws of ``kind`` ("bar" for actuals, "Target" for targets,
    or a RAG status for its shapes), in trace order: (y axis, row, x, and for a bar its colour
    and pattern, for a shape its symbol)."""
    found = []
    for trace in figure.data:
        if kind == "bar" and trace.type == "bar":
            for i, (x, y) in enumerate(zip(trace.x, trace.y, strict=True)):
                style = (trace.marker.color, trace.marker.pattern.shape[i])
                found.append((trace.yaxis, y, x, *style))
        elif trace.type == "scatter" and kind in (trace.name, trace.legendgroup):
            found += [
                (trace.yaxis, y, x, trace.marker.symbol)
                for x, y in zip(trace.x, trace.y, strict=True)
            ]
    return found


def _by_target(spec) -> pd.DataFrame:
    return spec.table.set_index("target_measure")


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (100, 100, "green"),
        (150, 100, "green"),
        (99.9, 100, "amber"),
        (90, 100, "amber"),
        (89.99, 100, "red"),
        (0, 100, "red"),
        (None, 100, "none"),
        (math.nan, 100, "none"),
    ],
)
def test_rag_rule_boundaries(actual, target, expected):
    assert targets.rag_status(actual, target) == expected


def test_percent_text_never_rounds_across_a_threshold():
    assert targets.percent_text(142.04) == "142%"
    assert targets.percent_text(99.6) == "99.6%"  # amber must not read as "100%"
    assert targets.percent_text(89.7) == "89.7%"
    assert targets.percent_text(100) == "100%"
    assert targets.percent_text(None) == "–"


def test_something_for_me_is_compared_with_one_off_payments(repo):
    needed = targets.measures_needed(repo.reference())
    assert "one-off-payments" in needed and "health-checks" in needed
    assert repo.reference().measure("target-something-for-me")["target_of"] == "one-off-payments"


def test_kent_yearly_targets_use_published_2015_16_actuals(repo, data):
    before = {slug: rows.copy() for slug, rows in data.measures.items()}
    spec = targets.yearly_targets(data, _context(repo))
    for slug, rows in data.measures.items():
        pd.testing.assert_frame_equal(rows, before[slug])
    table = _by_target(spec)
    # Published: health checks 1,775 and one-off payments 1,391 in 2015/16 (Cabinet Committee).
    checks = table.loc["target-health-checks"]
    assert (checks["actual"], checks["target"], checks["status"]) == (1775, 1250, "published")
    assert checks["percent"] == pytest.approx(142.0)
    assert checks["rag"] == "green"
    payments = table.loc["target-something-for-me"]
    assert (payments["actual"], payments["target"]) == (1391, 1000)
    assert payments["actual_name"] == "One-off payments"
    assert payments["percent"] == pytest.approx(139.1)
    assert len(table) == 7
    assert "2015/16" in spec.subtitle and "last contract year" in spec.subtitle


def test_targets_without_actual_measures_say_no_actuals_recorded(repo, data):
    table = _by_target(targets.yearly_targets(data, _context(repo)))
    for slug in (
        "target-reviews",
        "target-emergency-cards",
        "target-support-plans",
        "target-young-carer-transition-plans",
    ):
        row = table.loc[slug]
        assert row["rag_text"] == "No actuals recorded"
        assert pd.isna(row["actual"]) and pd.isna(row["percent"])
        assert row["status"] == "published"
    assert table.loc["target-young-carer-transition-plans", "target"] == 416
    contract = _by_target(targets.contract_targets(data, _context(repo)))
    assert contract.loc["target-seldom-heard-carers", "rag_text"] == "No actuals recorded"


def test_contract_targets_compare_with_three_years_of_returns_added_up(repo, data):
    spec = targets.contract_targets(data, _context(repo))
    table = _by_target(spec)
    assert table.loc["target-carers-supported", "target"] == 33_240
    assert table.loc["target-new-carers", "target"] == 1_662
    # Demo county levels for carers supported: 9,800 + 11,200 + 12,600.
    assert table.loc["target-carers-supported", "actual"] == pytest.approx(33_600)
    assert table.loc["target-carers-supported", "status"] == "demo"
    assert spec.statuses == ("published", "demo")
    assert spec.title.startswith("Kent met 2 of 2 contract targets")
    # Three bullets: two with a bar, a status marker and a target line; one target line alone.
    assert len(_points(spec.figure, "bar")) == len(_points(spec.figure, "green")) == 2
    assert len(_points(spec.figure, "Target")) == 3


def test_the_new_carers_target_is_flagged_beside_it_not_corrected(repo, data):
    # Published as 1,662 over three years, against 5,313 new carers reported for 2015/16 alone.
    note = "Data quality – The new-carers target is far below the new carers reported later"
    contract = targets.contract_targets(data, _context(repo))
    assert _by_target(contract).loc["target-new-carers", "target"] == 1_662
    assert any(footnote.startswith(note) for footnote in contract.footnotes)
    for target, flagged in (("target-new-carers", True), ("target-carers-supported", False)):
        compared = targets.locality_comparison(data, _context(repo), target)
        assert any(footnote.startswith(note) for footnote in compared.footnotes) == flagged


def test_a_database_loaded_before_a_quality_note_was_added_still_draws_every_card(repo, data):
    # A database loaded from an older copy of data/ lacked the new-carers-target note, and
    # the targets page answered 500: the card is drawn, without that note.
    reference = repo.reference()
    older = dataclasses.replace(reference, quality_notes=reference.quality_notes.iloc[0:0])
    for locality in (None, "thanet-dover"):
        context = ViewContext(Filters(locality=locality), older, DataDates())
        specs = [
            targets.contract_targets(data, context),
            targets.yearly_targets(data, context),
            targets.new_carers_quarterly(data, context),
            *(
                targets.locality_comparison(data, context, target)
                for target, _label in targets.TARGET_CHOICES
            ),
        ]
        assert all(spec.figure is not None for spec in specs)
        assert not any("Data quality" in note for spec in specs for note in spec.footnotes)


def test_locality_targets_are_as_published_and_actuals_apportioned(repo, data):
    spec = targets.contract_targets(data, _context(repo, locality="maidstone-malling"))
    row = _by_target(spec).loc["target-carers-supported"]
    assert row["target"] == 4_779
    weights = _context(repo, locality="maidstone-malling").weights
    supported = data.measures["carers-supported"]
    demo = supported[
        (supported["status"] == "demo")
        & supported["period"].str.match(r"^(2013-14|2014-15|2015-16)-q")
    ]
    expected = (demo["value"] * demo["geography"].map(weights).fillna(0)).sum()
    assert row["actual"] == round(expected)
    assert row["percent"] == pytest.approx(100 * round(expected) / 4_779)
    assert "Maidstone & Malling" in spec.title and "Maidstone & Malling" in spec.subtitle


def test_quarter_pro_rates_the_yearly_target(repo, data):
    spec = targets.yearly_targets(data, _context(repo, period="2015-16-q2"))
    row = _by_target(spec).loc["target-carers-assessments"]
    assert row["target"] == 1_250 and row["target_for_period"] == pytest.approx(312.5)
    assert row["percent"] == pytest.approx(100 * row["actual"] / 312.5)
    assert any("pro rata" in note for note in spec.footnotes)


def test_year_one_and_outside_the_contract(repo, data):
    year_one = targets.yearly_targets(data, _context(repo, period="2013-14"))
    assert list(year_one.table["target_measure"]) == ["target-reviews-year-1"]
    assert year_one.table.iloc[0]["target"] == 498
    later = targets.yearly_targets(data, _context(repo, period="2019-20"))
    assert later.figure is None and "2014/15 and 2015/16" in later.unavailable


def test_locality_comparison_keeps_published_targets_that_do_not_add_up(repo, data):
    spec = targets.locality_comparison(
        data, _context(repo, locality="thanet-dover"), "target-carers-supported"
    )
    table = spec.table.set_index("geography")
    assert len(table) == 7
    assert table.loc["E10000016", "target"] == 33_240
    assert table.drop("E10000016")["target"].sum() == 33_421
    assert spec.title.startswith("Thanet & Dover:")
    assert any("add up to 33,421; the published Kent target is 33,240" in n for n in spec.footnotes)
    assert any(
        "targets-locality-sums" not in n and "do not always add up" in n for n in spec.footnotes
    )
    assert spec.figure.layout.annotations[1].text.startswith("<b>Thanet & Dover:")


def test_what_one_filter_setting_worked_out_is_never_shown_for_another(repo, data):
    # The page's data keeps each target row it works out, for other charts and settings: a
    # row of one care group, locality or period must not be served for another.
    settings = [
        {"locality": "thanet-dover", "care_group": "dementia"},
        {},
        {"care_group": "dementia", "period": "2014-15"},
        {"locality": "thanet-dover"},
        {"period": "2014-15"},
    ]

    def tables(pages_data, filters):
        context = _context(repo, **filters)
        specs = (
            targets.contract_targets(pages_data, context),
            targets.yearly_targets(pages_data, context),
            targets.locality_comparison(pages_data, context, "target-health-checks"),
        )
        return [spec.table for spec in specs]

    for filters in settings:
        kept = tables(data, filters)
        for shown, fresh in zip(kept, tables(load(repo), filters), strict=True):
            pd.testing.assert_frame_equal(shown, fresh)
    # Each setting worked out rows of its own (Kent and each locality, per care group).
    assert len([key for key in data.worked_out if key[0] == "target_row"]) > 7


def test_locality_comparison_for_a_target_with_no_actuals(repo, data):
    spec = targets.locality_comparison(data, _context(repo), "target-reviews")
    assert "no actuals recorded" in spec.title
    assert len(_points(spec.figure, "Target")) == 7  # a target line per place, and no bars
    assert all(trace.type == "scatter" for trace in spec.figure.data)


@pytest.mark.parametrize(
    ("filters", "phrase"),
    [
        ({"scheme": "east-west", "locality": "east-kent"}, "six 2013 contract localities"),
    ],
)
def test_filters_without_targets_say_so_in_words(repo, data, filters, phrase):
    context = _context(repo, **filters)
    for spec in (
        targets.contract_targets(data, context),
        targets.yearly_targets(data, context),
        targets.locality_comparison(data, context, "target-health-checks"),
    ):
        assert spec.figure is None and phrase in spec.unavailable


def test_new_carers_quarters_exactly_as_published(repo, data):
    spec = targets.new_carers_quarterly(data, _context(repo))
    assert list(spec.table["value"]) == [1292, 1376, 1295, 1397, 1337, 1431]
    assert spec.statuses == ("published",)
    assert spec.table.loc[spec.table["year"] == "2015/16", "value"].sum() == 5_360
    assert any("5,360" in note and "5,313" in note for note in spec.footnotes)
    assert len(spec.figure.data) == 2  # one trace per financial year


def test_new_carers_for_a_locality_are_demo_and_say_published_is_kent_only(repo, data):
    spec = targets.new_carers_quarterly(data, _context(repo, locality="thanet-dover"))
    assert spec.statuses == ("demo",)
    assert "Kent only" in spec.title and "Thanet & Dover" in spec.title
    assert set(spec.table["status"]) == {"demo"}
    assert spec.table["value"].max() < 1292
    assert has_demo_mark(spec.figure)


def test_new_carers_chart_keeps_its_size_when_a_locality_turns_it_to_demo(repo, data):
    # Kent shows the published quarters and a locality demo ones: a chart that changed height
    # on that click would move the page below it and be resized a second time by Plotly.
    published = targets.new_carers_quarterly(data, _context(repo)).figure
    demo = targets.new_carers_quarterly(data, _context(repo, locality="thanet-dover")).figure
    assert not has_demo_mark(published) and has_demo_mark(demo)
    assert published.layout.height == demo.layout.height
    assert published.layout.margin.t == demo.layout.margin.t


def test_new_carers_small_demo_counts_are_suppressed(repo, data):
    # Maidstone & Malling takes a fraction of Tonbridge and Malling, so its apportioned counts
    # are fractions (4.23 carers, say): they are rounded first, then 1 to 4 hidden.
    spec = targets.new_carers_quarterly(
        data, _context(repo, locality="maidstone-malling", care_group="substance-misuse")
    )
    values = list(spec.table["value"])
    assert "<5" in values
    numbers = [v for v in values if not isinstance(v, str)]
    assert all(v == int(v) and not 1 <= v <= 4 for v in numbers)
    assert any("<5" in note for note in spec.footnotes)
    suppressed = [i for i, v in enumerate(values) if v == "<5"]
    bars_y = [y for trace in spec.figure.data for y in trace.y]
    assert all(pd.isna(bars_y[i]) for i in suppressed)


def test_bullet_chart_from_a_hand_built_frame():
    rows = pd.DataFrame(
        {
            "label": ["A: met", "B: close", "C: below", "D: none"],
            "actual": [120.0, 95.0, 50.0, math.nan],
            "target": [100.0, 100.0, 100.0, 40.0],
            "rag": ["green", "amber", "red", "none"],
            "rag_text": ["Green: met", "Amber", "Red", "No actuals recorded"],
            "status": ["published", "demo", "demo", "published"],
            "scale": ["a", "b", "c", "d"],
        }
    )
    before = rows.copy()
    figure = figures.bullet_chart(rows, statuses=("published", "demo"))
    pd.testing.assert_frame_equal(rows, before)
    # Three bars with their status marks, four targets, and the shading's three keys: the
    # shades behind the bars were in no legend.
    keys = [trace for trace in figure.data if trace.x == (None,)]
    assert [key.name for key in keys] == ["Shading: under 90%", "90% to 99%", "100% or more"]
    assert [key.marker.color for key in keys] == [colour for _low, _high, colour in figures.BANDS]
    assert [
        (y_axis, colour, pattern) for y_axis, _y, _x, colour, pattern in _points(figure, "bar")
    ] == [
        ("y", BENCHMARK["better"], ""),
        ("y2", BENCHMARK["similar"], "/"),
        ("y3", BENCHMARK["worse"], "/"),
    ]
    marks = [_points(figure, rag) for rag in ("green", "amber", "red")]
    assert [[(y_axis, symbol) for y_axis, _y, _x, symbol in points] for points in marks] == [
        [("y", "circle")],
        [("y2", "diamond")],
        [("y3", "x")],
    ]
    assert [y_axis for y_axis, *_rest in _points(figure, "Target")] == ["y", "y2", "y3", "y4"]
    # Each bar trace has one colour: coloured from a list, Plotly draws a bar's pattern in the
    # colour contrasting with the bar's (white on the dark green), not in the ink asked for.
    for bar in (trace for trace in figure.data if trace.type == "bar"):
        assert isinstance(bar.marker.color, str) and bar.marker.pattern.fgcolor == TEXT
    # One legend entry each for the actuals, the targets and each status.
    named = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert named[:5] == ["Actual", "Green: met", "Target", "Amber", "Red"]
    assert len(figure.layout.shapes) == 4 * 3  # three bands per row
    assert figure.layout.xaxis.range == (0, pytest.approx(138.0))
    assert figure.layout.xaxis4.range == (0, pytest.approx(46.0))
    assert has_demo_mark(figure)


def test_targets_of_different_measures_are_drawn_as_shares_of_their_own_on_one_axis():
    # Seven targets of seven measures were seven panels, each with its own axis: the RAG
    # bands stood at a different place in every row, and the chart scrolled on a 1280x720
    # slide. Drawn as shares of their targets they share one axis, the bands line up, and a
    # target met six times over no longer squeezes the others into a sixth of the width.
    rows = pd.DataFrame(
        {
            "label": ["A: met", "B: far past", "C: none", "D: below"],
            "actual": [1700.0, 10700.0, math.nan, 45.0],
            "target": [1250.0, 1662.0, 1000.0, 60.0],
            "rag": ["green", "green", "none", "red"],
            "rag_text": ["Green: met", "Green: met", "No actuals recorded", "Red"],
            "status": ["demo", "demo", "published", "demo"],
            "scale": ["a", "b", "c", "d"],
        }
    )
    figure = figures.bullet_chart(rows, statuses=("published", "demo"), share_of_target=True)
    layout = figure.layout
    assert sorted(name for name in layout if name.startswith("xaxis")) == ["xaxis"]
    assert layout.xaxis.range == (0, figures.SHARE_AXIS_END)  # 644% would be 740
    assert layout.xaxis.ticktext == ("0%", "50%", "100%", "150%", "200%")
    assert "cut at 200%" in layout.xaxis.title.text
    assert {x for _axis, _y, x, _symbol in _points(figure, "Target")} == {100.0}
    bands = {(shape.x0, shape.x1) for shape in layout.shapes}
    assert bands == {(0.0, 90.0), (90.0, 100.0), (100.0, figures.SHARE_AXIS_END)}
    assert [x for _axis, _y, x, *_style in _points(figure, "bar")] == pytest.approx(
        [136.0, 200.0, 75.0]
    )
    marks = [t for t in figure.data if t.type == "scatter" and t.legendgroup in ("green", "red")]
    assert [x for rag in ("green", "red") for _a, _y, x, _s in _points(figure, rag)] == (
        pytest.approx([136.0, 200.0, 75.0])
    )
    assert all(mark.cliponaxis is False for mark in marks)  # whole at the axis end
    met = next(trace for trace in figure.data if trace.type == "bar")  # A and B, both green
    assert met.customdata[1][0] == "10,700 (644% of the target)"
    # Within the axis, nothing is cut and the axis title says nothing of it.
    within = figures.bullet_chart(rows.drop(index=1), statuses=("demo",), share_of_target=True)
    assert within.layout.xaxis.range == (0, pytest.approx(136 * figures.HEADROOM))
    assert within.layout.xaxis.title.text == figures.SHARE_AXIS_TITLE


def test_the_pages_targets_are_shares_and_a_targets_places_keep_its_units(repo, data):
    context = _context(repo)
    for spec in (
        targets.contract_targets(data, context),
        targets.yearly_targets(data, context),
    ):
        layout = spec.figure.layout
        assert [name for name in layout if name.startswith("xaxis")] == ["xaxis"], spec.key
        assert all(text.endswith("%") for text in layout.xaxis.ticktext), spec.key
        assert {x for _axis, _y, x, _symbol in _points(spec.figure, "Target")} == {100.0}
        assert spec.alt_text.startswith("Bullet chart of each actual as a share of its target")
    places = targets.locality_comparison(data, context, "target-carers-supported")
    assert places.alt_text.startswith("Bullet chart of actuals against the target")
    assert not any(text.endswith("%") for text in places.figure.layout.xaxis.ticktext)
    assert {x for _axis, _y, x, _symbol in _points(places.figure, "Target")} == set(
        places.table["target_for_period"]
    )


def test_a_rows_title_is_written_in_the_charts_own_type_as_its_tick_labels_are():
    # At 13 px, a slide raised the titles to its smallest type (16 px) and the tick labels to
    # its own (20 px): the sentence a meeting reads was the smallest text on the slide.
    rows = pd.DataFrame(
        {
            "label": ["A: 120 against a target of 100"],
            "actual": [120.0],
            "target": [100.0],
            "rag": ["green"],
            "rag_text": ["Green: met"],
            "status": ["published"],
            "scale": ["a"],
        }
    )
    figure = figures.bullet_chart(rows, statuses=("published",))
    titles = [a for a in figure.layout.annotations if a.text.startswith("A:")]
    assert len(titles) == 1
    assert titles[0].font.size is None  # the layout's, as the ticks'
    assert figure.layout.xaxis.tickfont.size is None


def test_rows_of_one_scale_share_one_axis_and_titles_stay_in_row_order(repo, data):
    # Six localities on one target were six panels, each with its own copy of the same axis;
    # they are one panel with one axis (and gridlines through every row), Kent one more.
    spec = targets.locality_comparison(data, _context(repo), "target-carers-supported")
    layout = spec.figure.layout
    x_axes = sorted(name for name in layout if name.startswith("xaxis"))
    assert x_axes == ["xaxis", "xaxis2"]
    assert layout.xaxis.range[1] < layout.xaxis2.range[1]  # localities, then all of Kent
    titles = [annotation.text for annotation in layout.annotations]
    assert [title.split(":")[0] for title in titles] == list(spec.table["place"])
    rows = [(y_axis, y) for y_axis, y, _x, _symbol in _points(spec.figure, "Target")]
    assert rows == [("y", place) for place in range(6)] + [("y2", 0)]


def test_locality_comparison_periods_and_filter_reasons(repo, data):
    early = targets.locality_comparison(
        data, _context(repo, period="2013-14"), "target-health-checks"
    )
    assert early.figure is None and "starts in April 2014" in early.unavailable
    reviews = targets.locality_comparison(data, _context(repo, period="2013-14"), "target-reviews")
    assert set(reviews.table["target"]) >= {95, 498}  # year-1 reviews targets
    filtered = targets.locality_comparison(
        data, _context(repo, care_group="autism", period="2019-20"), "target-reviews"
    )
    assert "no targets were published for 2019/20" in filtered.unavailable


def test_care_group_actuals_are_parts_of_all_carers_targets_not_rated(repo, data):
    context = _context(repo, care_group="dementia")
    tag = "targets for all care groups: not recorded by care group"
    everyone = targets.contract_targets(data, _context(repo)).table.set_index("target_measure")
    for spec in (
        targets.contract_targets(data, context),
        targets.yearly_targets(data, context),
        targets.locality_comparison(data, context, "target-carers-supported"),
    ):
        assert spec.figure is not None and "Dementia" in spec.subtitle and tag in spec.subtitle
        assert spec.care_group_basis == BASE_ALL_CARE_GROUPS
        rated = spec.table[spec.table["rag"] != targets.NO_ACTUALS]
        assert len(rated) and set(rated["rag"]) == {targets.PART}
    contract = targets.contract_targets(data, context)
    table = contract.table.set_index("target_measure")
    supported = table.loc["target-carers-supported"]
    assert supported["target"] == everyone.loc["target-carers-supported", "target"]
    assert 0 < supported["actual"] < everyone.loc["target-carers-supported", "actual"]
    assert supported["percent"] == pytest.approx(100 * supported["actual"] / supported["target"])
    assert contract.title.startswith("Kent, Dementia: actuals make up ")


def test_small_actuals_that_do_not_count_people_are_shown_not_hidden(repo, data):
    # Canterbury & Swale's substance-misuse carers had 2 one-off payments (Something for Me)
    # in 2015/16: payments, not people, so the 2 is shown, not hidden as "<5"; as a care
    # group's part of an all-carers target it is not rated (PART), like any care group's.
    context = _context(repo, locality="canterbury-swale", care_group="substance-misuse")
    spec = targets.yearly_targets(data, context)
    payments = _by_target(spec).loc["target-something-for-me"]
    assert payments["actual"] == 2
    assert payments["rag"] == targets.PART
    assert f"{payments['target_name']}: 2 against a target of" in spec.alt_text
    people = spec.table[spec.table["rag"] == targets.SUPPRESSED]
    assert set(people["actual"]) <= {"<5"}


def test_a_chart_read_with_a_data_quality_note_names_it_for_its_card(repo, data):
    # "New carers: 10,700 against a target of 1,662 (644%)" read as met six times over; the note
    # saying why was only in "About this measure".
    contract = targets.contract_targets(data, _context(repo))
    assert contract.quality_flags == (
        "2013 target localities do not always add up to Kent",
        "The new-carers target is far below the new carers reported later",
    )
    quarters = targets.new_carers_quarterly(data, _context(repo))
    assert quarters.quality_flags == ("Two different 2015/16 totals for new carers",)
    later = targets.yearly_targets(data, _context(repo, period="2019-20"))
    assert later.quality_flags == ()
