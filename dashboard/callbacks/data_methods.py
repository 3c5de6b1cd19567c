"""Data and methods page: tables of sources, measures, quality notes and locality shares."""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.reach import reach_data
from dashboard.components.chart_card import chart_card
from dashboard.components.tables import data_methods_tables
from dashboard.db.repository import Repository
from dashboard.views import data_quality, reach
from dashboard.views.common import ViewContext


def register(app: Dash, repo: Repository) -> None:
    @app.callback(
        Output(ids.DATA_SOURCES, "children"),
        Output(ids.DATA_MEASURES, "children"),
        Output(ids.DATA_QUALITY, "children"),
        Output(ids.DATA_SCHEMES, "children"),
        Input(ids.FILTER_STATE, "data"),
    )
    def update_data_methods(filter_state):
        sources, measures, schemes = data_methods_tables(repo.reference())
        context = ViewContext.from_repo(repo, filter_state)
        coverage = repo.coverage()
        quality = [
            chart_card(data_quality.sources_card(coverage, context)),
            chart_card(data_quality.completeness_card(coverage, context)),
            chart_card(data_quality.returns_card(repo.returns_received(), context, date.today())),
            chart_card(data_quality.notes_card(context)),
            chart_card(data_quality.screened_card(screened_values(repo, context), context)),
        ]
        return sources, measures, quality, schemes


def screened_values(repo: Repository, context: ViewContext) -> pd.DataFrame:
    """Stored values out of range, and districts reporting more carers supported than carers."""
    over_census = reach.supported_over_census(reach_data(repo), context)
    return pd.concat([repo.screened_out(), over_census], ignore_index=True)
