"""Investment page: per-head charts for the chosen denominator, rank stability and care groups."""

from __future__ import annotations

from functools import partial

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import SlotGroup, in_order, redraw
from dashboard.callbacks.planner import hours_specs
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import investment
from dashboard.views.common import ViewContext
from dashboard.views.investment import DEFAULT_DENOMINATOR, DENOMINATOR_BY_KEY, InvestmentData


def per_head_specs(repo: Repository, filters: Filters, key: str) -> tuple[ChartSpec, ...]:
    """Spend per head by district, as bars and on the map, for the denominator ``key``."""
    context, data = ViewContext.from_repo(repo, filters.to_dict()), repo.page_data(load)
    return (
        investment.per_head_bars(data, context, key),
        investment.per_head_map(data, context, key, repo.boundaries),
    )


def detail_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec, ...]:
    """Rank stability across denominators and spend per carer supported by care group."""
    context, data = ViewContext.from_repo(repo, filters.to_dict()), repo.page_data(load)
    return (investment.rank_stability(data, context), investment.care_group_heatmap(data, context))


def register(app: Dash, repo: Repository) -> None:
    page = SlotGroup(app, repo, ids.INVESTMENT_SLOTS)
    per_head = page.source(
        "investment-per-head",
        partial(per_head_specs, repo),
        warm_with=(Filters(), DEFAULT_DENOMINATOR),
    )
    detail = page.source("investment-detail", partial(detail_specs, repo), warm_with=(Filters(),))
    hours_source = page.source(
        "investment-hours", partial(hours_specs, repo), warm_with=(Filters(),)
    )

    # One request a click: the three sources, each memoised on its own inputs, in one callback.
    @app.callback(
        Output(ids.INVESTMENT_CHARTS, "children"),
        Output(ids.INVESTMENT_DETAIL, "children"),
        Output(ids.INVESTMENT_HOURS, "children"),
        *page.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.INVESTMENT_DENOMINATOR, "value"),
        *page.slot_states(),
    )
    def update_investment(filter_state, denominator, *_shown):
        key = denominator if denominator in DENOMINATOR_BY_KEY else DEFAULT_DENOMINATOR
        filters = Filters.from_dict(filter_state)
        return redraw(
            per_head.drawing(in_order, filters, key),
            detail.drawing(in_order, filters),
            hours_source.drawing(in_order, filters),
        )


def load(repo: Repository) -> InvestmentData:
    """The cached repository frames the investment views read."""
    return InvestmentData(
        funding=repo.funding(),
        population=repo.observations("population"),
        census_carers=repo.observations("census-carers"),
        carers_supported=repo.observations("carers-supported"),
        crisis_referrals=repo.observations("crisis-referrals"),
        one_off_payments=repo.observations("one-off-payments"),
    )
