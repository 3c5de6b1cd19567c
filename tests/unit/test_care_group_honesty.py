"""Every chart card under a care-group filter: the group's figure, or the all-groups one tagged.

For every page and every care group, each card's spec is compared with the same card for all
care groups: a card whose table is the all-groups table must say "all care groups: not recorded
by care group" in its subtitle (the line exports put on the image), and a card that says so must
really be the all-groups figure. On every page with activity recorded by care group, at least
half the cards show the chosen group's own figures.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.callbacks.investment import load as investment_data
from dashboard.callbacks.overview import build_headlines
from dashboard.callbacks.planner import load as planner_data
from dashboard.callbacks.reach import reach_data
from dashboard.callbacks.short_breaks import MEASURES
from dashboard.callbacks.targets import load as targets_data
from dashboard.charts import (
    ALL_CARE_GROUPS,
    ALL_CARE_GROUPS_TAG,
    BASE_ALL_CARE_GROUPS,
    BY_CARE_GROUP,
    ChartSpec,
    care_group_tag,
)
from dashboard.filters import Filters
from dashboard.views import funding, hours, investment, planner, reach, short_breaks, targets
from dashboard.views.common import ViewContext
from dashboard.views.overview import summary_text

PAGES = ("funding", "reach", "investment", "planner", "short-breaks", "targets")


@pytest.fixture(scope="module")
def page_data(repo) -> dict:
    return {
        "funding": repo.funding(),
        "reach": reach_data(repo),
        "investment": investment_data(repo),
        "planner": planner_data(repo),
        "short-breaks": {measure: repo.observations(measure) for measure in MEASURES},
        "targets": targets_data(repo),
    }


def _cards(page: str, data, context: ViewContext) -> list[ChartSpec]:
    """Every chart card of a page with its default controls, as its callbacks build them."""
    if page == "funding":
        builds = (funding.funding_split, funding.nhs_share, funding.funding_over_time)
        return [build(data, context) for build in (*builds, funding.funding_flow)]
    if page == "reach":
        return [
            reach.reach_map(data, context),
            reach.reach_funnel(data, context),
            reach.reach_ranking(data, context),
        ]
    if page == "investment":
        key = investment.DEFAULT_DENOMINATOR
        return [
            investment.per_head_bars(data, context, key),
            investment.per_head_map(data, context, key, None),
            investment.rank_stability(data, context),
            investment.care_group_heatmap(data, context),
        ]
    if page == "planner":
        return [
            *planner.scenario_charts(data, context, planner.Scenario()),
            hours.hours_of_caring(data.census_carers, context),
        ]
    if page == "short-breaks":
        return short_breaks.page_specs(data, context)
    return [
        targets.contract_targets(data, context),
        targets.yearly_targets(data, context),
        targets.locality_comparison(data, context, targets.TARGET_CHOICES[0][0]),
        targets.new_carers_quarterly(data, context),
    ]


def _context(repo, **filters) -> ViewContext:
    return ViewContext(Filters(**filters), repo.reference(), "2026-11-30")


def _care_groups(repo) -> dict[str, str]:
    return repo.reference().filter_choices().care_groups


def _shown(spec: ChartSpec) -> pd.DataFrame:
    """The numbers the card shows: its table's displayed columns."""
    return spec.table[[column.key for column in spec.columns]].reset_index(drop=True)


def _shows_every_group(spec: ChartSpec) -> bool:
    """A chart by care group (the heat map) shows the chosen group among the others."""
    return "care_group" in spec.table and spec.table["care_group"].nunique() > 1


def check_card(spec: ChartSpec, everyone: ChartSpec, group_name: str) -> str:
    """What the card shows for the care group ('group', 'all' or 'none'), or fail the test."""
    assert spec.key == everyone.key
    if spec.figure is None:
        assert spec.unavailable and not spec.care_group_basis, spec.key
        return "none"
    basis = spec.care_group_basis
    assert basis in (BY_CARE_GROUP, ALL_CARE_GROUPS, BASE_ALL_CARE_GROUPS), spec.key
    same_table = _shown(spec).equals(_shown(everyone))
    if same_table and not _shows_every_group(spec):
        # The all-groups figure: never under a care-group label without the tag.
        assert basis == ALL_CARE_GROUPS, f"{spec.key} shows the all-groups figure untagged"
    if basis == ALL_CARE_GROUPS:
        assert same_table, f"{spec.key} is tagged all care groups but is not that figure"
        assert ALL_CARE_GROUPS_TAG in spec.subtitle and group_name not in spec.subtitle, spec.key
        return "all"
    assert group_name in spec.subtitle, spec.key
    if basis == BASE_ALL_CARE_GROUPS:
        assert f"for {ALL_CARE_GROUPS_TAG}" in spec.subtitle, spec.key
    else:
        assert ALL_CARE_GROUPS_TAG not in spec.subtitle, spec.key
    return "group"


@pytest.mark.parametrize("page", PAGES)
def test_every_card_shows_the_group_or_says_all_care_groups(repo, page_data, page):
    data = page_data[page]
    everyone = _cards(page, data, _context(repo))
    assert all(not spec.care_group_basis for spec in everyone)
    for group, name in _care_groups(repo).items():
        cards = _cards(page, data, _context(repo, care_group=group))
        shown = [check_card(spec, base, name) for spec, base in zip(cards, everyone, strict=True)]
        if page in ("funding", "planner"):
            # Funding is not allocated by care group: every card is the tagged all-groups one.
            assert shown == ["all"] * len(cards), group
        else:
            assert shown.count("group") >= len(cards) / 2, (group, shown)


def test_every_map_measure_and_denominator_answers_the_care_group(repo, page_data):
    context, everyone = _context(repo, care_group="autism"), _context(repo)
    for measure in reach.MAP_MEASURES:
        spec = reach.reach_map(page_data["reach"], context, measure=measure)
        base = reach.reach_map(page_data["reach"], everyone, measure=measure)
        assert check_card(spec, base, "Autism") in ("group", "all"), measure
    for build in (reach.reach_funnel, reach.reach_ranking):
        spec = build(page_data["reach"], context, 0.95, "carers_50plus")
        base = build(page_data["reach"], everyone, 0.95, "carers_50plus")
        assert check_card(spec, base, "Autism") == "group", spec.key
    for key in investment.DENOMINATOR_BY_KEY:
        for build in (investment.per_head_bars, investment.per_head_map):
            args = (key,) if build is investment.per_head_bars else (key, None)
            spec = build(page_data["investment"], context, *args)
            base = build(page_data["investment"], everyone, *args)
            assert check_card(spec, base, "Autism") == "group", key


def test_the_tag_rule_is_one_function():
    assert care_group_tag(BY_CARE_GROUP, "dementia") == ""
    assert care_group_tag(ALL_CARE_GROUPS, None) == ""
    assert care_group_tag(ALL_CARE_GROUPS, "dementia") == ALL_CARE_GROUPS_TAG
    assert (
        care_group_tag(BASE_ALL_CARE_GROUPS, "dementia", "targets")
        == "targets for all care groups: not recorded by care group"
    )
    with pytest.raises(ValueError):
        care_group_tag("by district", "dementia")


def test_overview_cards_and_summary_follow_the_same_rule(repo):
    choices = repo.reference().filter_choices()
    everyone = {h.key: h for h in build_headlines(repo, Filters())}
    for group, name in _care_groups(repo).items():
        filters = Filters(care_group=group)
        headlines = build_headlines(repo, filters)
        by_key = {h.key: h for h in headlines}
        for key in ("investment", "carers"):
            card = by_key[key]
            assert card.care_group_basis == ALL_CARE_GROUPS
            assert card.care_group_line == ALL_CARE_GROUPS_TAG
            assert card.value_text == everyone[key].value_text
        reach_card = by_key["reach"]
        assert reach_card.care_group_basis == BASE_ALL_CARE_GROUPS
        assert reach_card.care_group_line.startswith(name)
        assert "Census 2021 carers for all care groups" in reach_card.care_group_line
        for key in ("reach", "short-break-hours", "admissions-prevented"):
            card = by_key[key]
            assert card.value_text != "Not available", (group, key)
            assert card.care_group_basis in (BY_CARE_GROUP, BASE_ALL_CARE_GROUPS)
            assert name in card.care_group_line
        for key in ("reach", "short-break-hours"):
            assert by_key[key].value_text != everyone[key].value_text, (group, key)
        summary = summary_text(headlines, filters, choices)
        assert f"Investment ({ALL_CARE_GROUPS_TAG})" in summary
        assert f"carers in the {name} care group in " in summary
        assert f"of all Census 2021 carers for {ALL_CARE_GROUPS_TAG})" in summary
        assert reach_card.detail.endswith("of all Census 2021 carers")


def test_overview_without_a_care_group_has_no_tag(repo):
    headlines = build_headlines(repo, Filters())
    assert all(not h.care_group_line and not h.care_group_basis for h in headlines)
    summary = summary_text(headlines, Filters(), repo.reference().filter_choices())
    assert "not recorded by care group" not in summary


def test_a_year_of_quarterly_returns_says_it_counts_a_carer_once_a_quarter(repo):
    # The overview gave 15,679 carers supported in 2024/25 (reach 11.5%): four quarters of
    # distinct carers added up, with no word of it (the reach page said so).
    year = {h.key: h for h in build_headlines(repo, Filters(period="2024-25"))}["reach"]
    assert "counted in each" in year.note
    quarter = {h.key: h for h in build_headlines(repo, Filters(period="2024-25-q4"))}["reach"]
    assert "counted in each" not in quarter.note


def test_more_detail_opens_its_page_for_the_same_filters(repo):
    # The links went to the bare page: the address then said all of Kent, and a link or an
    # export made there reopened Kent.
    filters = Filters("cas-2013", "thanet-dover", "dementia", "2024-25")
    for headline in build_headlines(repo, filters):
        if headline.href:
            path, _, query = headline.href.partition("?")
            assert (
                query == "scheme=cas-2013&locality=thanet-dover&care_group=dementia&period=2024-25"
            )
            assert path in {"/reach", "/funding", "/short-breaks"}
    assert {h.href for h in build_headlines(repo, Filters()) if h.href} == {
        "/reach",
        "/funding",
        "/short-breaks",
    }


def test_a_published_over_stays_with_its_figure_in_the_trend_table(repo):
    # The short-break trend table listed the published 2015/16 "over 25,000" as "25,000".
    from dashboard.components.cards import trend_table

    hours = {h.key: h for h in build_headlines(repo, Filters())}["short-break-hours"]
    assert hours.trend.set_index("period").loc["2015-16", "qualifier"] == "over"
    assert "over 25,000" in str(trend_table(hours))
