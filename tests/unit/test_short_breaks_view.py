"""Short breaks views: published figures exact, demo never added to them, filters, SPC, <5."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.callbacks.short_breaks import MEASURES
from dashboard.charts import ALL_CARE_GROUPS, BY_CARE_GROUP
from dashboard.data_dates import DataDates
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.figures.short_breaks import EMPTY_PANEL
from dashboard.filters import Filters
from dashboard.periods import parse_period
from dashboard.stats import xmr_chart
from dashboard.views import short_breaks as views
from dashboard.views.common import ViewContext

KENT = "E10000016"
TUNBRIDGE_WELLS, SEVENOAKS, THANET = "E07000116", "E07000111", "E07000114"


def _context(repo, **filters) -> ViewContext:
    return ViewContext(Filters(**filters), repo.reference(), DataDates())


@pytest.fixture(scope="module")
def data(repo) -> dict[str, pd.DataFrame]:
    return {measure: repo.observations(measure) for measure in MEASURES}


def _rows(records: list[dict]) -> pd.DataFrame:
    """Observation rows in the repository's shape from a few hand-written fields."""
    defaults = {
        "care_group": None,
        "provider": views.SERVICE_PROVIDER,
        "category": "",
        "qualifier": "",
        "status": "demo",
        "source": "demo-generator",
        "source_section": "",
        "note": "",
    }
    frame = pd.DataFrame([{**defaults, **record} for record in records])
    kinds = frame["period"].map(lambda slug: parse_period(slug).kind)
    return frame.assign(period_kind=kinds)


def test_periods_bin_to_the_chosen_kind():
    assert views.period_bin("2016-17-q3", "year") == "2016-17"
    assert views.period_bin("2016-17-q2", "half") == "2016-17-h1"
    assert views.period_bin("2016-17-q3", "half") == "2016-17-h2"
    assert views.period_bin("2016-17-q3", "quarter") == "2016-17-q3"
    assert views.short_label("2016-17-h1") == "2016/17 H1"


def test_hours_show_the_published_2015_16_total_not_the_demo_sum(repo, data):
    frame = views.hours_frame(data["short-break-hours"], _context(repo, period="2015-16"))
    year = frame[frame["period"] == "2015-16"].set_index("category")
    total = year.loc[views.ALL_TYPES]
    assert (total["value"], total["qualifier"], total["status"]) == (25_000, "over", "published")
    appointments = year.loc["health appointments"]
    assert (appointments["value"], appointments["status"]) == (1_974, "published")
    # The demo types add up to the published total by construction, so nothing is added twice.
    assert year.loc[list(views.HOUR_TYPES), "value"].sum() == 25_000
    assert set(frame["period"]) == {f"{year}-{(year + 1) % 100:02d}" for year in range(2013, 2025)}


@pytest.mark.parametrize(("period", "years_named"), [("2024-25-q2", True), ("2015-16", False)])
def test_an_axis_of_many_quarters_is_named_by_year(repo, data, period, years_named):
    # Found by a review: with a quarter chosen, 48 slanted quarter labels ran into one another,
    # the legend and the axis title on every chart of the page.
    context = _context(repo, period=period)
    specs = [
        views.hours_by_type(data["short-break-hours"], context),
        views.crisis_referrals(data["crisis-referrals"], data["dementia-share"], context),
    ]
    for spec in specs:
        labels = list(dict.fromkeys(spec.table["label"]))
        axis = spec.figure.layout.xaxis
        if years_named:
            assert len(labels) > 40
            assert axis.tickmode == "array"
            assert list(axis.ticktext) == [f"{y}/{(y + 1) % 100:02d}" for y in range(2013, 2025)]
            assert list(axis.tickvals) == [label for label in labels if " Q1" in label]
        else:
            assert axis.tickmode is None and len(labels) == 12


def test_hours_by_type_card_title_traces_and_highlight(repo, data):
    spec = views.hours_by_type(data["short-break-hours"], _context(repo, period="2015-16"))
    assert spec.title.startswith("Kent: over 25,000 hours of short breaks in 2015/16")
    # 3 demo types + published health appointments + the stack totals written above the bars
    # of the demo years + the published-total marker.
    assert len(spec.figure.data) == 6
    totals = next(trace for trace in spec.figure.data if trace.name == "Total hours")
    assert "2015/16" not in totals.x  # the published total is written there instead
    assert spec.statuses == ("published", "demo")
    labels = list(dict.fromkeys(spec.table["label"]))
    shaded = spec.figure.layout.shapes[0]
    assert (shaded.x0, shaded.x1) == (labels.index("2015/16") - 0.5, labels.index("2015/16") + 0.5)


def test_half_years_show_the_published_april_september_crisis_hours(repo, data):
    frame = views.hours_frame(data["short-break-hours"], _context(repo, period="2016-17-h1"))
    crisis = frame.set_index(["period", "category"]).loc[("2016-17-h1", "crisis response")]
    assert (crisis["value"], crisis["qualifier"], crisis["status"]) == (3_300, "over", "published")
    total = frame.set_index(["period", "category"]).loc[("2016-17-h1", views.ALL_TYPES)]
    assert total["status"] == "demo"  # no published total for the half: the demo sum, alone


def test_published_and_demo_are_never_added_for_the_same_period(repo):
    hours = _rows(
        [
            {
                "measure": "short-break-hours",
                "period": "2015-16-q1",
                "geography": THANET,
                "category": "planned sitting",
                "value": 700.0,
            },
            {
                "measure": "short-break-hours",
                "period": "2015-16-q2",
                "geography": THANET,
                "category": "planned sitting",
                "value": 300.0,
            },
            {
                "measure": "short-break-hours",
                "period": "2015-16",
                "geography": KENT,
                "value": 1_000.0,
                "qualifier": "over",
                "status": "published",
                "source": "kcc-cabinet-committee-2016",
            },
        ]
    )
    frame = views.hours_frame(hours, _context(repo))
    assert frame.set_index("category").loc[views.ALL_TYPES, "value"] == 1_000
    assert frame.set_index("category").loc["planned sitting", "status"] == "demo"


def test_locality_apportions_district_rows_by_carer_share(repo):
    hours = _rows(
        [
            {
                "measure": "short-break-hours",
                "period": "2020-21-q1",
                "geography": code,
                "category": "planned sitting",
                "value": value,
            }
            for code, value in ((TUNBRIDGE_WELLS, 100.0), (SEVENOAKS, 1_000.0), (THANET, 50.0))
        ]
    )
    before = hours.copy()
    context = _context(repo, locality="south-west-kent")
    frame = views.hours_frame(hours, context)
    pd.testing.assert_frame_equal(hours, before)
    # Tunbridge Wells whole (1) + Sevenoaks at its South West Kent carer share (0.546).
    assert frame.set_index("category").loc["planned sitting", "value"] == pytest.approx(646)
    assert set(frame["status"]) == {"demo"}


def test_unsocial_share_is_weighted_by_hours_of_the_same_type(repo):
    records = []
    for code, sitting_hours, sitting_share in ((THANET, 100.0, 40.0), (SEVENOAKS, 300.0, 80.0)):
        records += [
            {
                "measure": "short-break-hours",
                "period": "2020-21-q1",
                "geography": code,
                "category": "planned sitting",
                "value": sitting_hours,
            },
            {
                "measure": "unsocial-hours-share",
                "period": "2020-21-q1",
                "geography": code,
                "category": "planned sitting",
                "value": sitting_share,
            },
        ]
    records += [
        {
            "measure": "short-break-hours",
            "period": "2020-21-q1",
            "geography": THANET,
            "category": "crisis response",
            "value": 100.0,
        },
        {
            "measure": "unsocial-hours-share",
            "period": "2020-21-q1",
            "geography": THANET,
            "category": "crisis response",
            "value": 60.0,
        },
    ]
    frame = _rows(records)
    hours = frame[frame["measure"] == "short-break-hours"]
    shares = frame[frame["measure"] == "unsocial-hours-share"]
    result = views.unsocial_frame(shares, hours, _context(repo)).set_index("category")["value"]
    assert result["planned sitting"] == pytest.approx(70)  # (100*40 + 300*80) / 400
    assert result["crisis response"] == pytest.approx(60)
    assert result[views.ALL_TYPES] == pytest.approx(68)  # (40 + 240 + 60) / 500 hours


def test_unsocial_published_shares(repo, data):
    shares, hours = data["unsocial-hours-share"], data["short-break-hours"]
    year = views.unsocial_frame(shares, hours, _context(repo, period="2015-16"))
    kent = year.set_index(["period", "category"]).loc[("2015-16", views.ALL_TYPES)]
    assert (kent["value"], kent["status"]) == (50, "published")
    half = views.unsocial_frame(shares, hours, _context(repo, period="2016-17-h1"))
    crisis = half.set_index(["period", "category"]).loc[("2016-17-h1", "crisis response")]
    assert (crisis["value"], crisis["status"]) == (65, "published")


def test_crisis_referrals_published_with_dementia_share(repo, data):
    spec = views.crisis_referrals(
        data["crisis-referrals"], data["dementia-share"], _context(repo, period="2015-16")
    )
    assert spec.title == "Kent: 895 crisis referrals in 2015/16, 68% for people with dementia"
    row = spec.table.set_index("period").loc["2015-16"]
    assert (row["value"], row["share"], row["status"]) == (895, 68, "published")
    assert pd.isna(row["group_value"])  # the dementia count itself was not published
    half = views.crisis_frame(
        data["crisis-referrals"], data["dementia-share"], _context(repo, period="2016-17-h1")
    ).set_index("period")
    assert half.loc["2016-17-h1", ["value", "share"]].tolist() == [139, 60]


def test_a_hidden_share_is_said_to_be_hidden_in_the_title_not_written_as_a_count(repo, data):
    # Found by a review: "<5 crisis referrals for learning disability ..., <5 of all crisis
    # referrals" wrote a hidden share as if it were a count.
    context = _context(
        repo,
        scheme="east-west",
        locality="west-kent",
        care_group="learning-disability",
        period="2024-25-q2",
    )
    spec = views.crisis_referrals(data["crisis-referrals"], data["dementia-share"], context)
    assert spec.title.endswith(
        "crisis referrals for learning disability in 2024/25 Q2 (Jul–Sep 2024), their share of "
        "all crisis referrals not shown (a count under 5)"
    )
    assert "<5 of all" not in spec.title


def test_dementia_filter_gives_the_dementia_share_of_all_referrals(repo, data):
    referrals = data["crisis-referrals"]
    frame = views.crisis_frame(
        referrals, data["dementia-share"], _context(repo, care_group="dementia")
    ).set_index("period")
    quarters = referrals[referrals["period"].str.startswith("2020-21-q")]
    everyone = quarters[quarters["care_group"].isna()]["value"].sum()
    dementia = quarters[quarters["care_group"] == "dementia"]["value"].sum()
    assert frame.loc["2020-21", "value"] == dementia
    assert frame.loc["2020-21", "share"] == pytest.approx(100 * dementia / everyone)
    assert set(frame["status"]) == {"demo"}


def test_small_crisis_counts_and_their_shares_show_as_under_five(repo):
    referrals = _rows(
        [
            {
                "measure": "crisis-referrals",
                "period": "2020-21-q1",
                "geography": THANET,
                "value": 40.0,
            },
            {
                "measure": "crisis-referrals",
                "period": "2020-21-q1",
                "geography": THANET,
                "care_group": "learning-disability",
                "value": 3.0,
            },
        ]
    )
    spec = views.crisis_referrals(
        referrals, referrals.iloc[0:0], _context(repo, care_group="learning-disability")
    )
    row = spec.table.iloc[0]
    assert row["value"] == SUPPRESSED_TEXT and row["share"] == SUPPRESSED_TEXT
    assert "<5" in spec.title
    assert any("1 to 4" in note for note in spec.footnotes)
    bars = spec.figure.data[0]
    assert pd.isna(bars.y[0]) and bars.customdata[0] == SUPPRESSED_TEXT


def test_outcomes_published_per_period(repo, data):
    spec = views.crisis_outcomes(data, _context(repo, period="2016-17-h1"))
    assert spec.title == (
        "Kent: 68 emergency admissions and 10 failed hospital discharges prevented in "
        "2016/17 H1 (Apr–Sep 2016)"
    )
    year = views.outcomes_frame(data, _context(repo, period="2015-16"))
    admissions = year[(year["period"] == "2015-16") & (year["outcome"].str.startswith("Emerg"))]
    assert admissions[["value", "status"]].iloc[0].tolist() == [613, "published"]


def test_an_outcome_panel_with_no_bar_says_why(repo, data):
    # Found by a review: for West Kent, learning disability, both panels were empty on a bare
    # 0-1 axis, which read as a chart that had failed to draw.
    small = _context(
        repo, scheme="east-west", locality="west-kent", care_group="learning-disability"
    )
    said = [
        a.yref
        for a in views.crisis_outcomes(data, small).figure.layout.annotations
        if a.text == EMPTY_PANEL
    ]
    assert said == ["y domain", "y2 domain"]
    kent = views.crisis_outcomes(data, _context(repo)).figure.layout.annotations
    assert not [a for a in kent if a.text == EMPTY_PANEL]


def test_the_outcome_panels_bars_stand_over_their_years(repo, data):
    # The panels share the period axis: with an offset group each, Plotly drew the admissions
    # left of each year and the failed discharges right of it. One group for all: each bar is
    # centred on its year, published or demo.
    spec = views.crisis_outcomes(data, _context(repo))
    groups = {trace.offsetgroup for trace in spec.figure.data if trace.type == "bar"}
    assert len(groups) == 1
    assert {trace.yaxis for trace in spec.figure.data if trace.type == "bar"} == {"y", "y2"}


def test_published_figures_appear_exactly_as_published(repo, data):
    spec = views.published_figures(data, _context(repo))
    texts = spec.table.set_index(["period", "figure"])["text"]
    assert texts["2015-16"].to_dict() == {
        "Short-break hours delivered": "over 25,000 hours",
        "Share of hours that were unsocial hours": "50%",
        "Replacement care hours for carers' appointments": "1,974 hours",
        "People supported to attend their appointments": "274",
        "Carers' own appointments attended": "634",
        "Crisis referrals": "895",
        "Share of crisis referrals for people with dementia": "68%",
        "Emergency admissions prevented": "613",
    }
    assert texts["2016-17-h1"].to_dict() == {
        "Crisis support hours": "over 3,300 hours",
        "Share of crisis hours that were unsocial hours": "65%",
        "Crisis referrals": "139",
        "Share of crisis referrals for people with dementia": "60%",
        "Emergency admissions prevented": "68",
        "Failed hospital discharges prevented": "10",
    }
    assert spec.statuses == ("published",)
    assert len(spec.figure.data) == 1


def test_published_figures_are_for_kent_and_all_care_groups(repo, data):
    by_place = views.published_figures(data, _context(repo, locality="thanet-dover"))
    assert "not available by locality" in by_place.unavailable
    everyone = views.published_figures(data, _context(repo))
    by_group = views.published_figures(data, _context(repo, care_group="dementia"))
    pd.testing.assert_frame_equal(by_group.table, everyone.table)
    assert by_group.subtitle.startswith("Kent · all care groups: not recorded by care group")
    assert by_group.care_group_basis == ALL_CARE_GROUPS


def test_care_group_filter_shows_the_groups_returns(repo, data):
    everyone = {spec.key: spec for spec in views.page_specs(data, _context(repo))}
    specs = views.page_specs(data, _context(repo, care_group="dementia"))
    by_key = {spec.key: spec for spec in specs}
    for key in (
        "short-breaks-hours",
        "short-breaks-unsocial",
        "short-breaks-outcomes",
        "short-breaks-crisis",
        "short-breaks-spc",
    ):
        spec = by_key[key]
        assert spec.figure is not None and spec.care_group_basis == BY_CARE_GROUP, key
        assert "Dementia" in spec.subtitle and "all care groups" not in spec.subtitle
        assert not spec.table.equals(everyone[key].table), key
    hours = by_key["short-breaks-hours"].table
    all_hours = everyone["short-breaks-hours"].table
    latest = hours["period"].max()
    group_total = hours[(hours["period"] == latest) & (hours["category"] == "all types")]
    kent_total = all_hours[(all_hours["period"] == latest) & (all_hours["category"] == "all types")]
    assert 0 < group_total["value"].iloc[0] < kent_total["value"].iloc[0]
    assert by_key["short-breaks-hours"].title.startswith("Kent (Dementia): ")
    autism = views.respite_2009_10(
        data["respite-weeks"],
        data["respite-weekly-cost"],
        data["respite-cost"],
        _context(repo, care_group="autism"),
    )
    assert "published for older people" in autism.unavailable


def test_page_specs_keys_unique_and_inputs_not_mutated(repo, data):
    before = {measure: frame.copy() for measure, frame in data.items()}
    specs = views.page_specs(data, _context(repo, locality="thanet-dover"))
    for measure, frame in data.items():
        pd.testing.assert_frame_equal(frame, before[measure])
    assert len({spec.key for spec in specs}) == len(specs) == 8
    assert all("Thanet & Dover" in spec.subtitle for spec in specs)


def test_providers_2009_10_as_published_with_the_volcare_note(repo, data):
    spec = views.providers_2009_10(
        data["short-break-hours"],
        data["carers-supported"],
        data["cared-for-supported"],
        _context(repo),
    )
    table = spec.table.set_index("provider_name")
    assert table.loc["Crossroads Care West Kent", "hours_text"] == "over 62,500 hours"
    assert table.loc["Crossroads Care West Kent", "people"] == 705
    assert table.loc["Crossroads Care East Kent", ["hours", "people"]].tolist() == [75_500, 597]
    assert table.loc["Volcare", ["hours_text", "people"]].tolist() == ["about 9,000 hours", 114]
    assert table.loc["Alzheimer's & Dementia Support Services", "people_text"] == (
        "31 people cared for"
    )
    assert len(spec.table) == 7
    assert any("114" in note and "110" in note for note in spec.footnotes)
    east = views.providers_2009_10(
        data["short-break-hours"],
        data["carers-supported"],
        data["cared-for-supported"],
        _context(repo, scheme="east-west", locality="east-kent"),
    )
    assert set(east.table["provider"]) == {"crossroads-care-east-kent", "volcare"}
    thanet = views.providers_2009_10(
        data["short-break-hours"],
        data["carers-supported"],
        data["cared-for-supported"],
        _context(repo, locality="thanet-dover"),
    )
    assert "not for Thanet & Dover" in thanet.unavailable


def test_respite_totals_shown_as_published_with_both_mismatches_noted(repo, data):
    spec = views.respite_2009_10(
        data["respite-weeks"], data["respite-weekly-cost"], data["respite-cost"], _context(repo)
    )
    table = spec.table
    mismatched = table[~table["agrees"]].set_index("geography")
    assert mismatched.loc[
        "west-kent", ["weeks", "weekly_cost_text", "cost", "product_text"]
    ].tolist() == [374, "£506.39", 189_896, "£189,389.86"]
    assert mismatched.loc[
        "east-kent", ["weeks", "weekly_cost_text", "cost", "product_text"]
    ].tolist() == [363, "£1,058.79", 384_054, "£384,340.77"]
    assert len(table) == 8 and len(mismatched) == 2
    notes = " ".join(spec.footnotes)
    assert "£189,389.86" in notes and "£384,340.77" in notes
    older = views.respite_2009_10(
        data["respite-weeks"],
        data["respite-weekly-cost"],
        data["respite-cost"],
        _context(repo, care_group="older-people"),
    )
    assert set(older.table["care_group"]) == {"older-people"} and len(older.table) == 4


def test_spc_uses_xmr_on_quarterly_crisis_referrals(repo, data):
    referrals = data["crisis-referrals"]
    frame = views.spc_frame(referrals, _context(repo))
    quarters = referrals[(referrals["status"] == "demo") & referrals["care_group"].isna()]
    expected = quarters.groupby("period")["value"].sum()
    assert frame.set_index("period")["value"].to_dict() == expected.to_dict()
    chart = xmr_chart(expected.to_numpy(), floor_at_zero=True)
    assert frame["ucl"].iloc[0] == pytest.approx(chart["ucl"].iloc[0])
    assert frame["outside_limits"].tolist() == chart["outside_limits"].tolist()
    # April-September 2016 sums to the published 139, far below its neighbours.
    assert frame.set_index("period").loc[["2016-17-q1", "2016-17-q2"], "value"].sum() == 139
    assert frame.set_index("period").loc["2016-17-q1", "outside_limits"]


def test_spc_card_marks_signals_and_explains_them(repo):
    values = [20, 22, 19, 21, 20, 60, 21, 20, 22, 19]
    referrals = _rows(
        [
            {
                "measure": "crisis-referrals",
                "period": f"{2013 + i // 4}-{(14 + i // 4) % 100:02d}-q{i % 4 + 1}",
                "geography": THANET,
                "value": float(value),
            }
            for i, value in enumerate(values)
        ]
    )
    spec = views.crisis_spc(referrals, _context(repo))
    assert "1 outside the control limits" in spec.title
    names = [trace.name for trace in spec.figure.data]
    assert names[0] == "Crisis referrals (demo)"
    assert "Signal: Outside the control limits" in names
    assert len(spec.figure.data) == 5  # values, mean, two limits, one kind of signal
    flagged = spec.table[spec.table["outside_limits"] == "Yes"]
    assert flagged["label"].tolist() == ["2014/15 Q2"]
    assert any("1.128" in note for note in spec.footnotes)


def test_spc_with_too_few_quarters_is_unavailable(repo):
    referrals = _rows(
        [
            {
                "measure": "crisis-referrals",
                "period": "2020-21-q1",
                "geography": THANET,
                "value": 20.0,
            }
        ]
    )
    spec = views.crisis_spc(referrals, _context(repo))
    assert spec.figure is None and "Too few quarters" in spec.unavailable


def test_a_period_without_returns_is_unavailable(repo, data):
    spec = views.hours_by_type(data["short-break-hours"], _context(repo, period="2010-11"))
    assert spec.figure is None and "No short breaks returns for 2010/11" in spec.unavailable


def test_spc_of_small_counts_is_unavailable(repo, data):
    spec = views.crisis_spc(
        data["crisis-referrals"],
        _context(repo, locality="thanet-dover", care_group="learning-disability"),
    )
    assert spec.figure is None and "fewer than 5 a quarter" in spec.unavailable
