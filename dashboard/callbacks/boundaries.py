"""The district boundaries sent to the browser once, at an address that names their version.

A map figure would otherwise carry the whole boundary collection (about 72 KB) in every response
that redraws it. The chart card gives plotly.js this address instead (``chart_card``), which it
fetches once per page and the browser keeps for a year; new boundaries get a new address.
Exported images and the meeting pack keep the collection in the figure, since they are drawn
on the server.
"""

from __future__ import annotations

import hashlib
import json

import flask
from dash import Dash

from dashboard.components.chart_card import SERVED_BOUNDARIES
from dashboard.db.repository import Repository

BOUNDARIES_PATH = "/maps/boundaries/"
ONE_YEAR = 365 * 24 * 3600


def register(app: Dash, repo: Repository) -> None:
    if repo.boundaries is None:
        return
    body = json.dumps(repo.boundaries, separators=(",", ":"))
    version = hashlib.sha256(body.encode()).hexdigest()[:16]
    address = f"{BOUNDARIES_PATH}{version}.geojson"

    def boundaries(version_asked: str):
        if version_asked != version:
            flask.abort(404)
        response = flask.Response(body, mimetype="application/geo+json")
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        return response

    app.server.add_url_rule(
        f"{BOUNDARIES_PATH}<version_asked>.geojson", "district_boundaries", boundaries
    )
    app.server.extensions[SERVED_BOUNDARIES] = (repo.boundaries, address)
