"""Short breaks page: render its chart cards for the current filters."""

from __future__ import annotations

from functools import partial

from dash import ClientsideFunction, Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.chart_parts import chart_source, in_order
from dashboard.callbacks.shell import NAMESPACE
from dashboard.charts import ChartSpec
from dashboard.components.fold import folded
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import short_breaks
from dashboard.views.common import ViewContext

MEASURES = (
    "short-break-hours",
    "unsocial-hours-share",
    "crisis-referrals",
    "dementia-share",
    "admissions-prevented",
    "failed-discharges-prevented",
    "carers-supported",
    "appointments-supported",
    "cared-for-supported",
    "respite-weeks",
    "respite-weekly-cost",
    "respite-cost",
)


def short_breaks_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec, ...]:
    """The charts the page opens on, for one set of filters."""
    context, data = _context_and_data(repo, filters)
    return tuple(short_breaks.main_specs(data, context))


def detail_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec, ...]:
    """The charts under "More detail", for one set of filters."""
    context, data = _context_and_data(repo, filters)
    return tuple(short_breaks.detail_specs(data, context))


def _context_and_data(repo: Repository, filters: Filters):
    context = ViewContext.from_repo(repo, filters.to_dict())
    return context, {measure: repo.observations(measure) for measure in MEASURES}


def register(app: Dash, repo: Repository) -> None:
    source = chart_source(
        app, repo, "short-breaks", partial(short_breaks_specs, repo), warm_with=(Filters(),)
    )
    detail = chart_source(app, repo, "short-breaks-detail", partial(detail_specs, repo))

    @app.callback(
        Output(ids.SHORT_BREAKS_CHARTS, "children"),
        *source.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        *source.slot_states(),
    )
    def update_short_breaks(filter_state, *_shown):
        return source.redraw(in_order, Filters.from_dict(filter_state))

    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "foldRequest"),
        Output(ids.SHORT_BREAKS_DETAIL_REQUEST, "data"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.SHORT_BREAKS_FOLD, "open"),
        State(ids.SHORT_BREAKS_DETAIL_REQUEST, "data"),
    )

    @app.callback(
        Output(ids.SHORT_BREAKS_DETAIL, "children"),
        *detail.slot_outputs(),
        Input(ids.SHORT_BREAKS_DETAIL_REQUEST, "data"),
        *detail.slot_states(),
        prevent_initial_call=True,
    )
    def update_detail(request, *_shown):
        if request is None:
            raise PreventUpdate
        if request["open"]:
            return detail.redraw(in_order, Filters.from_dict(request["filters"]))
        # Folded with the charts of an earlier selection: they go, out of sight.
        return detail.folded(folded())
