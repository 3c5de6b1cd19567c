"""Data and methods page: tables of sources, measures, quality notes and locality shares."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.components.tables import data_methods_tables
from dashboard.db.repository import Repository


def register(app: Dash, repo: Repository) -> None:
    @app.callback(
        Output(ids.DATA_SOURCES, "children"),
        Output(ids.DATA_MEASURES, "children"),
        Output(ids.DATA_QUALITY, "children"),
        Output(ids.DATA_SCHEMES, "children"),
        Input(ids.FILTER_STATE, "data"),
    )
    def update_data_methods(_filter_state):
        return data_methods_tables(repo.reference())
