"""CSV downloads for every chart card: send the table the card was rendered with."""

from __future__ import annotations

from dash import MATCH, Dash, Input, Output, State

from dashboard import ids
from dashboard.db.repository import Repository


def register(app: Dash, _repo: Repository) -> None:
    @app.callback(
        Output(ids.chart_part(ids.CSV_DOWNLOAD_TYPE, MATCH), "data"),
        Input(ids.chart_part(ids.CSV_BUTTON_TYPE, MATCH), "n_clicks"),
        State(ids.chart_part(ids.CSV_DATA_TYPE, MATCH), "data"),
        prevent_initial_call=True,
    )
    def download_csv(_clicks, payload):
        return {"content": payload["content"], "filename": payload["filename"], "type": "text/csv"}
