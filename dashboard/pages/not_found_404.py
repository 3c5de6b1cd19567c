"""The page shown for an unknown address."""

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Page not found", nav=False)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1("Page not found", className="h3"),
            html.P("There is no page at this address."),
            dcc.Link("Go to the overview", href="/"),
        ],
        className="page-not-found mb-4",
    )
