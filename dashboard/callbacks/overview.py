"""Overview page: headline cards and the plain-English summary for the current filters."""

from __future__ import annotations

from functools import partial

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import chart_source
from dashboard.components.cards import headline_card, trend_table
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.overview import build_headlines, summary_text


def register(app: Dash, repo: Repository) -> None:
    source = chart_source(app, repo, "overview", partial(build_headlines, repo), trend_table)

    @app.callback(
        Output(ids.OVERVIEW_CARDS, "children"),
        Output(ids.OVERVIEW_SUMMARY, "children"),
        Input(ids.FILTER_STATE, "data"),
    )
    def update_overview(filter_state):
        filters = Filters.from_dict(filter_state)
        drawn = source.drawn(filters)
        cards = [dbc.Col(headline_card(h, origin), xs=12, md=6, xl=4) for h, origin in drawn]
        headlines = [headline for headline, _origin in drawn]
        return cards, summary_text(headlines, filters, repo.reference().filter_choices())
