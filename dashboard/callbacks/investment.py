"""Investment page: per-head charts for the chosen denominator, rank stability and care groups."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.components.chart_card import chart_card
from dashboard.db.repository import Repository
from dashboard.views import investment
from dashboard.views.common import ViewContext
from dashboard.views.investment import DEFAULT_DENOMINATOR, DENOMINATOR_BY_KEY, InvestmentData


def register(app: Dash, repo: Repository) -> None:
    @app.callback(
        Output(ids.INVESTMENT_CHARTS, "children"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.INVESTMENT_DENOMINATOR, "value"),
    )
    def update_per_head(filter_state, denominator):
        context = ViewContext.from_repo(repo, filter_state)
        key = denominator if denominator in DENOMINATOR_BY_KEY else DEFAULT_DENOMINATOR
        data = load(repo)
        return [
            chart_card(investment.per_head_bars(data, context, key)),
            chart_card(investment.per_head_map(data, context, key, repo.boundaries)),
        ]

    @app.callback(Output(ids.INVESTMENT_DETAIL, "children"), Input(ids.FILTER_STATE, "data"))
    def update_detail(filter_state):
        context = ViewContext.from_repo(repo, filter_state)
        data = load(repo)
        return [
            chart_card(investment.rank_stability(data, context)),
            chart_card(investment.care_group_heatmap(data, context)),
        ]


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
