"""Investment page: per-head charts for the chosen denominator, rank stability and care groups."""

from __future__ import annotations

from functools import partial

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import chart_source, in_order
from dashboard.callbacks.planner import hours_specs
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import investment
from dashboard.views.common import ViewContext
from dashboard.views.investment import DEFAULT_DENOMINATOR, DENOMINATOR_BY_KEY, InvestmentData


def per_head_specs(repo: Repository, filters: Filters, key: str) -> tuple[ChartSpec, ...]:
    """Spend per head by district, as bars and on the map, for the denominator ``key``."""
    context, data = ViewContext.from_repo(repo, filters.to_dict()), load(repo)
    return (
        investment.per_head_bars(data, context, key),
        investment.per_head_map(data, context, key, repo.boundaries),
    )


def detail_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec, ...]:
    """Rank stability across denominators and spend per carer supported by care group."""
    context, data = ViewContext.from_repo(repo, filters.to_dict()), load(repo)
    return (investment.rank_stability(data, context), investment.care_group_heatmap(data, context))


def register(app: Dash, repo: Repository) -> None:
    per_head = chart_source(
        app,
        repo,
        "investment-per-head",
        partial(per_head_specs, repo),
        warm_with=(Filters(), DEFAULT_DENOMINATOR),
    )
    detail = chart_source(
        app, repo, "investment-detail", partial(detail_specs, repo), warm_with=(Filters(),)
    )
    hours_source = chart_source(
        app, repo, "investment-hours", partial(hours_specs, repo), warm_with=(Filters(),)
    )

    @app.callback(
        Output(ids.INVESTMENT_CHARTS, "children"),
        *per_head.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.INVESTMENT_DENOMINATOR, "value"),
        *per_head.slot_states(),
    )
    def update_per_head(filter_state, denominator, *_shown):
        key = denominator if denominator in DENOMINATOR_BY_KEY else DEFAULT_DENOMINATOR
        return per_head.redraw(in_order, Filters.from_dict(filter_state), key)

    @app.callback(
        Output(ids.INVESTMENT_DETAIL, "children"),
        *detail.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        *detail.slot_states(),
    )
    def update_detail(filter_state, *_shown):
        return detail.redraw(in_order, Filters.from_dict(filter_state))

    @app.callback(
        Output(ids.INVESTMENT_HOURS, "children"),
        *hours_source.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        *hours_source.slot_states(),
    )
    def update_hours(filter_state, *_shown):
        return hours_source.redraw(in_order, Filters.from_dict(filter_state))


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
