"""Funding views on the seeded database: published table exact, demo for localities and years."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import formatting
from dashboard.charts import ALL_CARE_GROUPS
from dashboard.data_dates import DataDates
from dashboard.filters import Filters
from dashboard.theme import BACKGROUND, halo
from dashboard.views import data_quality, funding
from dashboard.views.common import ViewContext


def _context(repo, **filters) -> ViewContext:
    return ViewContext(Filters(**filters), repo.reference(), DataDates())


def test_split_shows_the_published_2016_17_table(repo):
    spec = funding.funding_split(repo.funding(), _context(repo, period="2016-17"))
    table = spec.table.set_index("service_line")
    assert table.loc["cas", ["council", "nhs", "combined"]].tolist() == [
        3_100_000,
        1_260_000,
        4_360_000,
    ]
    assert table.loc["total", ["council", "nhs", "combined"]].tolist() == [
        5_660_000,
        1_840_000,
        7_500_000,
    ]
    assert spec.statuses == ("published",)
    assert "£5.66m" in spec.title and "£1.84m" in spec.title and "£7.5m" in spec.title
    assert len(spec.figure.data) == 2


@pytest.mark.parametrize("chart", [funding.funding_split, funding.nhs_share])
def test_a_year_with_only_kccs_allocation_published_says_the_split_is_unknown(repo, chart):
    # The 2013 contract paper gives KCC's funding of the service only: the page said
    # "NHS £0 ... (0% NHS)" and "the NHS pays 0%", an unknown read as nil.
    spec = chart(repo.funding(), _context(repo, period="2012-13"))
    assert spec.figure is None
    assert "£0" not in spec.title and "0%" not in spec.title
    assert "Only KCC's allocation was published for 2012/13" in spec.unavailable
    assert "the NHS's was not" in spec.unavailable


def test_the_split_title_names_what_its_bars_show_beyond_its_total(repo):
    # The title's total is the published table's scope (CAS and short breaks); a direct
    # payments bar under it made the title and the bars look as if they disagreed.
    spec = funding.funding_split(repo.funding(), _context(repo))
    table = spec.table.set_index("service_line")
    total, beyond = table.loc["total", "combined"], table.loc["direct-payments", "combined"]
    assert beyond > 0
    assert f"of {formatting.format_money(total)} for CAS and short breaks in" in spec.title
    assert spec.title.endswith(
        f", plus {formatting.format_money(beyond)} of carers' direct payments"
    )
    assert table.drop(index="total")["combined"].sum() == pytest.approx(total + beyond)
    # The published 2016/17 table has no direct payments line: nothing is added.
    published = funding.funding_split(repo.funding(), _context(repo, period="2016-17"))
    assert published.title.endswith("for CAS and short breaks in 2016/17 (25% NHS)")


def test_amounts_on_hatched_bars_are_ringed_in_the_page_colour(repo):
    demo = funding.funding_split(repo.funding(), _context(repo))
    assert [trace.textfont.shadow for trace in demo.figure.data] == [halo(BACKGROUND, width=2)] * 2
    # Published KCC bars are solid, their text white on navy: no ring. NHS bars are hatched.
    published = funding.funding_split(repo.funding(), _context(repo, period="2016-17"))
    assert [trace.textfont.shadow for trace in published.figure.data] == [
        None,
        halo(BACKGROUND, width=2),
    ]


def test_without_a_period_each_chart_shows_its_latest_year_and_says_so(repo):
    frame = repo.funding()
    latest = frame["period"].map(repo.reference().periods.set_index("slug")["end"]).max()
    latest_label = repo.reference().periods.set_index("end").loc[latest]
    year_label = latest_label[latest_label["kind"] == "year"]["label"].iloc[0]
    for build in (funding.funding_split, funding.nhs_share, funding.funding_flow):
        spec = build(frame, _context(repo))
        assert f"latest available: {year_label}" in spec.subtitle
        chosen = build(frame, _context(repo, period="2016-17"))
        assert "latest available" not in chosen.subtitle and "2016/17" in chosen.subtitle


def test_split_for_a_locality_is_demo_and_smaller(repo):
    frame = repo.funding()
    before = frame.copy()
    spec = funding.funding_split(frame, _context(repo, locality="thanet-dover"))
    pd.testing.assert_frame_equal(frame, before)
    total = spec.table.set_index("service_line").loc["total", "combined"]
    assert spec.statuses == ("demo",)
    assert 0 < total < 7_500_000
    assert spec.has_demo and "Thanet & Dover" in spec.title


def test_every_title_of_a_locality_names_it(repo):
    # Pasted alone, the NHS share chart of Thanet & Dover read as Kent's ("The NHS pays 42% of
    # Short Term Breaks..."), and the flow went "to 1 locality" without saying which.
    builds = (funding.funding_split, funding.nhs_share, funding.funding_over_time)
    for build in builds:
        spec = build(repo.funding(), _context(repo, locality="thanet-dover"))
        assert spec.title.startswith("Thanet & Dover: "), spec.title
        assert build(repo.funding(), _context(repo)).title.startswith("Kent: ")
    flow = funding.funding_flow(repo.funding(), _context(repo, locality="thanet-dover"))
    assert " to Thanet & Dover" in flow.title and "1 locality" not in flow.title
    county = funding.funding_flow(repo.funding(), _context(repo))
    assert " to 6 localities" in county.title


def test_localities_of_a_scheme_add_up_to_the_demo_county_total(repo):
    frame = repo.funding()
    localities = repo.reference().filter_choices().localities["cas-2013"]
    total = sum(
        funding.split_frame(frame, year="2020-21", weights=_context(repo, locality=slug).weights)[
            "amount"
        ].sum()
        for slug in localities
    )
    county = funding.split_frame(frame, year="2020-21", weights=None)["amount"].sum()
    assert total == pytest.approx(county)


def test_care_group_filter_shows_all_groups_funding_tagged(repo):
    for build in (
        funding.funding_split,
        funding.nhs_share,
        funding.funding_over_time,
        funding.funding_flow,
    ):
        everyone = build(repo.funding(), _context(repo))
        spec = build(repo.funding(), _context(repo, care_group="dementia"))
        pd.testing.assert_frame_equal(spec.table, everyone.table)
        assert spec.subtitle.startswith("Kent · all care groups: not recorded by care group · ")
        assert "Dementia" not in spec.subtitle
        assert spec.care_group_basis == ALL_CARE_GROUPS
        assert everyone.care_group_basis == ""


def test_over_time_marks_published_points_and_demo_lines(repo):
    frame = funding.over_time_frame(repo.funding(), _context(repo))
    published = frame[frame["status"] == "published"]
    assert {"2009-10", "2012-13", "2013-14", "2016-17"} <= set(published["period"])
    assert 4_663_300 in set(published["amount"]) and 1_525_217 in set(published["amount"])
    demo = frame[frame["status"] == "demo"]
    assert demo["period"].nunique() == 12


def test_over_time_states_the_years_it_draws(repo):
    # A locality has no published points: its lines start in 2013/14, and its subtitle said
    # "2009/10 to 2024/25", the county's span.
    kent = funding.funding_over_time(repo.funding(), _context(repo))
    locality = funding.funding_over_time(repo.funding(), _context(repo, locality="thanet-dover"))
    for spec in (kent, locality):
        labels = [spec.table["label"].iloc[0], spec.table["label"].iloc[-1]]
        span = f"{labels[0]} to {labels[1]}"
        assert spec.period_label == span and span in spec.subtitle
    assert kent.period_label.startswith("2009/10")
    assert locality.period_label.startswith("2013/14")
    # Every year stands on the axis at its place, those without a figure too: 2009/10 stood
    # beside 2012/13 as if a year apart.
    years = list(kent.figure.layout.xaxis.categoryarray)
    assert years[:5] == ["2009/10", "2010/11", "2011/12", "2012/13", "2013/14"]
    assert years[-1] == "2024/25" and len(years) == 16
    # Kent's published points (the CAS contract, the Carers' Grant) and its demo lines (CAS and
    # short breaks) count different services: the subtitle says so where both are drawn.
    assert "published points cover other services than the demo lines" in kent.subtitle
    assert "published points" not in locality.subtitle


def test_over_time_tells_the_combined_total_from_kccs_points_without_colour(repo):
    spec = funding.funding_over_time(repo.funding(), _context(repo))
    markers = {trace.name: trace.marker for trace in spec.figure.data if trace.name}
    kcc, combined = markers["KCC (published)"], markers["KCC and NHS combined (published)"]
    assert combined.symbol != kcc.symbol and combined.symbol.endswith("-open")
    assert combined.color != kcc.color


def test_flow_links_add_up_to_the_years_demo_allocations(repo):
    frame = repo.funding()
    flows = funding.flow_frame(frame, _context(repo), "2016-17")
    demo = frame[(frame["status"] == "demo") & (frame["period"] == "2016-17")]
    assert flows["amount"].sum() == pytest.approx(demo["amount"].sum())
    assert flows["locality"].nunique() == 6


def test_a_measure_with_returns_and_demo_rows_is_two_rows_of_the_heat_map(repo):
    # After a return for 2026/27 from six districts, the heat map drew "Carers supported"
    # twice under one label: its figures landed on the rows of other measures.
    context = _context(repo)
    coverage = repo.coverage()
    districts = sorted(context.districts)[:6]
    returned = pd.DataFrame(
        {
            "measure": "carers-supported",
            "source": "provider-returns",
            "status": "return",
            "geography": districts,
            "period": "2026-27-q2",
            "period_kind": "quarter",
            "rows": 1,
        }
    )
    spec = data_quality.completeness_card(pd.concat([coverage, returned]), context)
    heat = spec.figure.data[0]
    assert len(set(heat.y)) == len(heat.y) == len(spec.table)
    returns = spec.table[spec.table["status"] == "return"].iloc[0]
    row = list(heat.y).index("Carers supported (provider return, 2026/27)")
    names = list(context.district_names().values())
    assert list(heat.z[row]) == [returns[name] for name in names]
    assert sorted(heat.z[row]).count(25.0) == 6  # one quarter of 2026/27 from each of six
    assert set(spec.table["year_label"]) <= {"2024/25", "2026/27"}
    assert "Carers supported (demo, 2024/25)" in heat.y
    assert "Carers' assessments" in heat.y  # a measure with one series keeps its own name
    assert any("Provider monitoring returns" in source for source in spec.sources)


def test_data_quality_lists_every_measure_and_complete_demo_returns(repo):
    context = _context(repo)
    summary = data_quality.source_summary(repo.coverage(), context)
    assert {"census-carers", "referrals", "carers-supported"} <= set(summary["measure"])
    completeness = data_quality.district_completeness(repo.coverage(), context)
    districts = list(context.district_names().values())
    assert len(districts) == 12
    assert (completeness[districts] == 100).all().all()
    notes = data_quality.notes_card(context)
    assert len(notes.table) == len(repo.reference().quality_notes)


def test_data_quality_answers_a_locality_where_it_can_and_says_what_it_does_not_split(repo):
    context = _context(repo, locality="thanet-dover", care_group="dementia")
    completeness = data_quality.completeness_card(repo.coverage(), context)
    # Thanet & Dover's two districts, not Kent's twelve.
    assert [c.label for c in completeness.columns[3:]] == ["Dover", "Thanet"]
    assert set(completeness.figure.data[0].x) == {"Dover", "Thanet"}
    assert "latest year in every district of Thanet & Dover" in completeness.title
    # Demo figures fill the quarters, and the title says they are not returns: beside "0 of 4
    # expected returns received", "complete" read as a contradiction.
    assert completeness.title.endswith(": demo figures, not returns")
    assert completeness.subtitle.startswith("Thanet & Dover · Latest financial year")
    assert completeness.subtitle.endswith("· all care groups: not split by care group")
    # Lists about the whole data say they are for all of Kent and every care group.
    for spec in (
        data_quality.sources_card(repo.coverage(), context),
        data_quality.notes_card(context),
    ):
        assert spec.subtitle.endswith(
            "· all of Kent and all care groups: not split by locality or care group"
        )
    # With no filter chosen the subtitles say nothing of the kind.
    kent = _context(repo)
    for spec in (
        data_quality.completeness_card(repo.coverage(), kent),
        data_quality.sources_card(repo.coverage(), kent),
        data_quality.notes_card(kent),
    ):
        assert "not split" not in spec.subtitle
        assert not spec.subtitle.startswith(("Kent", "Thanet"))


@pytest.mark.parametrize("chart", [funding.funding_split, funding.nhs_share, funding.funding_flow])
def test_a_quarter_chosen_shows_its_year_and_says_so(repo, chart):
    # Allocations are recorded by year: 2016/17 Q1 showed "2016/17 allocations" without a word.
    quarter = chart(repo.funding(), _context(repo, period="2016-17-q1")).subtitle
    assert "2016/17 allocations, the year of the 2016/17 Q1" in quarter
    assert "recorded by year only" in quarter
    year = chart(repo.funding(), _context(repo, period="2016-17")).subtitle
    assert "recorded by year only" not in year and "2016/17 allocations" in year
