"""Funding page: render its four chart cards for the current filters."""

from __future__ import annotations

from functools import partial

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import DrawnCard, chart_source
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import funding
from dashboard.views.common import ViewContext


def funding_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec, ...]:
    """The page's four charts for one set of filters."""
    context = ViewContext.from_repo(repo, filters.to_dict())
    frame = repo.funding()
    charts = (
        funding.funding_split,
        funding.nhs_share,
        funding.funding_over_time,
        funding.funding_flow,
    )
    return tuple(build(frame, context) for build in charts)


def register(app: Dash, repo: Repository) -> None:
    source = chart_source(
        app, repo, "funding", partial(funding_specs, repo), warm_with=(Filters(),)
    )

    @app.callback(
        Output(ids.FUNDING_SPLIT_CHARTS, "children"),
        Output(ids.FUNDING_FLOW, "children"),
        *source.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        *source.slot_states(),
    )
    def update_funding(filter_state, *_shown):
        return source.redraw(charts_then_flow, Filters.from_dict(filter_state))


def charts_then_flow(drawn: list[DrawnCard]) -> tuple[list[DrawnCard], list[DrawnCard]]:
    """The split and trend charts, redrawn in place, then the flow, drawn afresh whenever its
    figure changes."""
    *charts, flow = drawn
    return charts, [flow]
