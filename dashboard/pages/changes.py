"""Since the last meeting: returns loaded and values revised after a chosen date."""

from datetime import date, timedelta

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids

dash.register_page(
    __name__,
    path="/changes",
    name="Since last meeting",
    title="Since the last meeting · Kent Carers Commissioning Dashboard",
    description="New provider returns and revised figures since a chosen date.",
    order=80,
    nav=True,
)


def layout(**_query) -> html.Div:
    default = (date.today() - timedelta(days=90)).isoformat()
    return html.Div(
        [
            html.H1("Since the last meeting", className="h3"),
            html.P(
                "Provider returns loaded for the first time, and imported figures revised by a "
                "later return, since the date of the last Joint Commissioning Group meeting.",
                className="page-intro",
            ),
            dbc.Label("Date of the last meeting", html_for=ids.CHANGES_SINCE),
            dcc.Input(
                id=ids.CHANGES_SINCE,
                type="date",
                value=default,
                className="form-control mb-3 changes-date",
            ),
            dcc.Loading(html.Div(id=ids.CHANGES_RESULTS), type="default"),
        ]
    )
