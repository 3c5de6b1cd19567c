"""Since the last meeting: list new returns and revised values after the chosen date."""

from __future__ import annotations

from datetime import date, datetime

from dash import Dash, Input, Output, State

from dashboard import ids
from dashboard.components.chart_card import chart_card
from dashboard.db.imports import changes_since
from dashboard.db.repository import Repository
from dashboard.views import changes
from dashboard.views.common import ViewContext


def register(app: Dash, repo: Repository) -> None:
    @app.callback(
        Output(ids.CHANGES_RESULTS, "children"),
        Input(ids.CHANGES_SINCE, "value"),
        State(ids.FILTER_STATE, "data"),
    )
    def update_changes(since_text, filter_state):
        try:
            since = date.fromisoformat(since_text or "")
        except ValueError:
            return "Enter a date such as 2026-09-01."
        new, revised = changes_since(repo.engine, datetime.combine(since, datetime.min.time()))
        context = ViewContext.from_repo(repo, filter_state)
        label = f"{since:%d %B %Y}"
        return [
            chart_card(changes.new_returns_card(new, context, label)),
            chart_card(changes.revisions_card(revised, context, label)),
        ]
