"""Downloads for every chart card: the CSV with its provenance lines, and report images.

Both come from the card's signed export payload, so the server only renders what it built;
the link in each file is the address the user is looking at.
"""

from __future__ import annotations

import base64

import flask
from dash import ALL, MATCH, Dash, Input, Output, State, ctx
from dash.exceptions import PreventUpdate

from dashboard import ids, rendering
from dashboard.db.repository import Repository
from dashboard.exports import (
    PRESETS,
    ExportInfo,
    csv_header,
    export_figure,
    export_filename,
    spec_from_payload,
)
from dashboard.filters import Filters

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def register(app: Dash, repo: Repository) -> None:
    def verified(payload):
        parsed = spec_from_payload(payload, flask.current_app.secret_key.encode())
        if parsed is None:
            raise PreventUpdate
        return parsed

    @app.callback(
        Output(ids.chart_part(ids.CSV_DOWNLOAD_TYPE, MATCH), "data"),
        Input(ids.chart_part(ids.CSV_BUTTON_TYPE, MATCH), "n_clicks"),
        State(ids.chart_part(ids.CSV_DATA_TYPE, MATCH), "data"),
        State(ids.URL, "href"),
        State(ids.FILTER_STATE, "data"),
        prevent_initial_call=True,
    )
    def download_csv(_clicks, payload, href, filter_state):
        spec, table_csv = verified(payload)
        info = ExportInfo(link=href or "", data_version=repo.data_version())
        filters = Filters.from_dict(filter_state)
        return {
            "content": csv_header(spec, info) + table_csv,
            "filename": export_filename(spec.key, filters, spec.period_label, "csv"),
            "type": "text/csv",
        }

    @app.callback(
        Output(ids.chart_part(ids.IMAGE_DOWNLOAD_TYPE, MATCH), "data"),
        Input(ids.image_button(MATCH, ALL), "n_clicks"),
        State(ids.chart_part(ids.CSV_DATA_TYPE, MATCH), "data"),
        State(ids.URL, "href"),
        State(ids.FILTER_STATE, "data"),
        prevent_initial_call=True,
    )
    def download_image(clicks, payload, href, filter_state):
        if not any(clicks) or not isinstance(ctx.triggered_id, dict):
            raise PreventUpdate
        preset_key, image_format = ctx.triggered_id["variant"].split("-")
        spec, _csv = verified(payload)
        preset = PRESETS[preset_key]
        info = ExportInfo(link=href or "", data_version=repo.data_version())
        image = rendering.render(export_figure(spec, info, preset), image_format, preset)
        filters = Filters.from_dict(filter_state)
        name = export_filename(spec.key, filters, spec.period_label, image_format)
        if image_format == "svg":
            return {"content": image.decode(), "filename": name, "type": MEDIA_TYPES["svg"]}
        return {
            "content": base64.b64encode(image).decode(),
            "filename": name,
            "type": MEDIA_TYPES["png"],
            "base64": True,
        }
