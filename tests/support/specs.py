"""Every chart spec the pages build, from the same view functions the pages call.

Shared by the tests that check every chart (its legibility, its CSV), so a chart added to a page
is added here once and checked by all of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.callbacks import investment as investment_callbacks
from dashboard.callbacks import planner as planner_callbacks
from dashboard.callbacks import short_breaks as short_breaks_callbacks
from dashboard.callbacks import targets as targets_callbacks
from dashboard.callbacks.changes import changes_specs
from dashboard.callbacks.decisions import decisions_specs
from dashboard.callbacks.reach import reach_data
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.events import ALL
from dashboard.filters import Filters
from dashboard.views import (
    data_quality,
    funding,
    hours,
    investment,
    planner,
    reach,
    short_breaks,
    targets,
)
from dashboard.views.common import ViewContext

FILTER_STATES = (
    {},
    {"scheme": "cas-2013", "locality": "thanet-dover"},
    {"care_group": "dementia"},
)
# Early enough that "Since last meeting" lists every return and revision in the database.
CHANGES_SINCE = "2000-01-01"


def view_context(repo: Repository, **filters) -> ViewContext:
    """The context a page's views get for ``filters``, on a fixed "today"."""
    return ViewContext(Filters(**filters), repo.reference(), "2026-11-30")


def page_specs(repo: Repository, context: ViewContext) -> Iterator[ChartSpec]:
    """Every chart card of every page for one selection, with each page's control choices."""
    frame = repo.funding()
    yield from (
        build(frame, context)
        for build in (
            funding.funding_split,
            funding.nhs_share,
            funding.funding_over_time,
            funding.funding_flow,
        )
    )
    data = reach_data(repo)
    yield reach.reach_funnel(data, context)
    yield reach.reach_ranking(data, context)
    yield reach.reach_funnel(data, context, 0.95, "carers_50plus")
    yield reach.reach_ranking(data, context, 0.95, "carers_50plus")
    yield hours.hours_of_caring(data.census_carers, context)
    plans = planner_callbacks.load(repo)
    yield from planner.scenario_charts(plans, context, planner.Scenario())
    yield from planner.scenario_charts(plans, context, planner.Scenario(formula="mix"))
    for measure in reach.MAP_MEASURES:
        for mode in ("value", "comparison"):
            yield reach.reach_map(data, context, measure=measure, colour_mode=mode)
    money = investment_callbacks.load(repo)
    for key in investment.DENOMINATOR_BY_KEY:
        yield investment.per_head_bars(money, context, key)
        yield investment.per_head_map(money, context, key, None)
    yield investment.rank_stability(money, context)
    yield investment.care_group_heatmap(money, context)
    observations = {m: repo.observations(m) for m in short_breaks_callbacks.MEASURES}
    yield from short_breaks.page_specs(observations, context)
    rows = targets_callbacks.load(repo)
    yield targets.contract_targets(rows, context)
    yield targets.yearly_targets(rows, context)
    yield targets.new_carers_quarterly(rows, context)
    for target, _label in targets.TARGET_CHOICES:
        yield targets.locality_comparison(rows, context, target)
    yield data_quality.completeness_card(repo.coverage(), context)
    # Tables without a figure: the lists of "Since last meeting" and Decisions.
    yield from changes_specs(repo, context.filters, CHANGES_SINCE)
    yield from decisions_specs(repo, context.filters, ALL, ALL, None, None)
