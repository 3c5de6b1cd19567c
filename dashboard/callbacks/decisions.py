"""Decisions page: fill the service line and locality menus, and list the matching events."""

from __future__ import annotations

from functools import partial

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import chart_source
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.events import ALL
from dashboard.filters import Filters
from dashboard.views import decisions
from dashboard.views.common import ViewContext


def decisions_specs(
    repo: Repository, filters: Filters, kind, service_line, locality, start, end
) -> tuple[ChartSpec, ...]:
    context = ViewContext.from_repo(repo, filters.to_dict())
    chosen = decisions.event_filter(kind, service_line, locality, start, end)
    return (decisions.decisions_card(repo.decision_events(), chosen, context),)


def register(app: Dash, repo: Repository) -> None:
    source = chart_source(
        app,
        repo,
        "decisions",
        partial(decisions_specs, repo),
        warm_with=(Filters(), ALL, ALL, ALL, None, None),
    )

    @app.callback(
        Output(ids.DECISIONS_SERVICE_LINE, "options"),
        Output(ids.DECISIONS_LOCALITY, "options"),
        Input(ids.FILTER_STATE, "data"),
    )
    def fill_menus(filter_state):
        context = ViewContext.from_repo(repo, filter_state)
        lines = decisions.service_line_names(context)
        localities = decisions.locality_names(context)
        return (
            [{"label": "All service lines", "value": ALL}]
            + [{"label": name, "value": slug} for slug, name in lines.items()],
            [{"label": "All of Kent", "value": ALL}]
            + [{"label": name, "value": slug} for slug, name in localities.items()],
        )

    @app.callback(
        Output(ids.DECISIONS_RESULTS, "children"),
        Input(ids.DECISIONS_KIND, "value"),
        Input(ids.DECISIONS_SERVICE_LINE, "value"),
        Input(ids.DECISIONS_LOCALITY, "value"),
        Input(ids.DECISIONS_FROM, "value"),
        Input(ids.DECISIONS_TO, "value"),
        Input(ids.FILTER_STATE, "data"),
    )
    def list_events(kind, service_line, locality, start, end, filter_state):
        chosen = decisions.event_filter(kind, service_line, locality, start, end)
        return source.cards(
            Filters.from_dict(filter_state),
            chosen.kind or ALL,
            chosen.service_line or ALL,
            chosen.locality or ALL,
            chosen.start.isoformat() if chosen.start else None,
            chosen.end.isoformat() if chosen.end else None,
        )
