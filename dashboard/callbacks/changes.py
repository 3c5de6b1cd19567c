"""Since the last meeting: list new returns and revised values after the chosen date."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import chart_source
from dashboard.charts import ChartSpec
from dashboard.data_dates import format_date
from dashboard.db.imports import changes_since
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import changes
from dashboard.views.common import ViewContext


def changes_specs(repo: Repository, filters: Filters, since_text: str) -> tuple[ChartSpec, ...]:
    """Returns loaded and values revised after ``since_text`` (an ISO date)."""
    since = date.fromisoformat(since_text)
    new, revised = changes_since(repo.engine, datetime.combine(since, datetime.min.time()))
    context = ViewContext.from_repo(repo, filters.to_dict())
    label = format_date(since)
    return (
        changes.new_returns_card(new, context, label),
        changes.revisions_card(revised, context, label),
    )


def register(app: Dash, repo: Repository) -> None:
    source = chart_source(app, repo, "changes", partial(changes_specs, repo))

    @app.callback(
        Output(ids.CHANGES_RESULTS, "children"),
        Input(ids.CHANGES_SINCE, "value"),
        # An input: the revisions listed are the filters' (a State left them as first drawn).
        Input(ids.FILTER_STATE, "data"),
    )
    def update_changes(since_text, filter_state):
        try:
            since = date.fromisoformat(since_text or "")
        except ValueError:
            return "Enter a date such as 2026-09-01."
        return source.cards(Filters.from_dict(filter_state), since.isoformat())
