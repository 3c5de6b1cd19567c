"""Decisions page: fill the service line menu, and list the events matching the page's own
filters and the locality chosen for the whole dashboard."""

from __future__ import annotations

from functools import partial

from dash import Dash, Input, Output, State, no_update

from dashboard import ids
from dashboard.callbacks.chart_parts import chart_source
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.events import ALL
from dashboard.filters import Filters
from dashboard.views import decisions
from dashboard.views.common import ViewContext


def decisions_specs(
    repo: Repository, filters: Filters, kind, service_line, start, end
) -> tuple[ChartSpec, ...]:
    context = ViewContext.from_repo(repo, filters.to_dict())
    if service_line not in decisions.service_line_names(context):
        service_line = ALL  # one the menu does not offer, as a link may carry: all of them
    chosen = decisions.event_filter(kind, service_line, filters.locality, start, end)
    return (decisions.decisions_card(repo.decision_events(), chosen, context),)


def register(app: Dash, repo: Repository) -> None:
    source = chart_source(
        app,
        repo,
        "decisions",
        partial(decisions_specs, repo),
        warm_with=(Filters(), ALL, ALL, None, None),
    )

    # Called as the page is drawn, not on a filter change: the service lines do not depend on
    # the filters, and a callback on the filters whose output the list reads would hold the
    # list back by a round trip on every click.
    @app.callback(
        Output(ids.DECISIONS_SERVICE_LINE, "options"),
        Output(ids.DECISIONS_SERVICE_LINE, "value"),
        Input(ids.URL, "pathname"),
        State(ids.DECISIONS_SERVICE_LINE, "value"),
    )
    def fill_menu(_path, chosen):
        lines = decisions.service_line_names(ViewContext.from_repo(repo, {}))
        options = [{"label": "All service lines", "value": ALL}] + [
            {"label": name, "value": slug} for slug, name in lines.items()
        ]
        # A service line from a link that is not offered falls back to all of them, as the
        # notice says it does, and the address follows.
        return options, no_update if chosen in (ALL, *lines) else ALL

    @app.callback(
        Output(ids.DECISIONS_RESULTS, "children"),
        Input(ids.DECISIONS_KIND, "value"),
        Input(ids.DECISIONS_SERVICE_LINE, "value"),
        Input(ids.DECISIONS_FROM, "value"),
        Input(ids.DECISIONS_TO, "value"),
        Input(ids.FILTER_STATE, "data"),
    )
    def list_events(kind, service_line, start, end, filter_state):
        filters = Filters.from_dict(filter_state)
        chosen = decisions.event_filter(kind, service_line, filters.locality, start, end)
        return source.cards(
            filters,
            chosen.kind or ALL,
            chosen.service_line or ALL,
            chosen.start.isoformat() if chosen.start else None,
            chosen.end.isoformat() if chosen.end else None,
        )
