"""Funding page: render its four chart cards for the current filters."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.components.chart_card import chart_card
from dashboard.db.repository import Repository
from dashboard.views import funding
from dashboard.views.common import ViewContext


def register(app: Dash, repo: Repository) -> None:
    @app.callback(Output(ids.FUNDING_CHARTS, "children"), Input(ids.FILTER_STATE, "data"))
    def update_funding(filter_state):
        context = ViewContext.from_repo(repo, filter_state)
        frame = repo.funding()
        charts = (
            funding.funding_split,
            funding.nhs_share,
            funding.funding_over_time,
            funding.funding_flow,
        )
        return [chart_card(build(frame, context)) for build in charts]
