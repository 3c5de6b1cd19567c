"""Since the last meeting: returns loaded and values revised after a chosen date."""

from datetime import date, timedelta

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components.updating import updating
from dashboard.filters import ViewControl, date_problem, view_values

# The default date moves with today, so the control's value is always written to the link.
VIEW_CONTROLS = (ViewControl("since", ids.CHANGES_SINCE, "meeting date", "", date_problem),)

dash.register_page(
    __name__,
    path="/changes",
    name="Since last meeting",
    title="Since the last meeting · Kent Carers Commissioning Dashboard",
    description="New provider returns and revised figures since a chosen date.",
    order=80,
    nav=True,
    view_controls=VIEW_CONTROLS,
)


def layout(**query) -> html.Div:
    values, _ = view_values(query, VIEW_CONTROLS)
    default = values["since"] or (date.today() - timedelta(days=90)).isoformat()
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
                # Typed dates count once complete (Enter or leaving the field): each keystroke
                # made a half-typed date (0002-01-01, 0020-01-01...) and a history entry.
                debounce=True,
                className="form-control mb-3 changes-date",
            ),
            updating(html.Div(id=ids.CHANGES_RESULTS)),
        ]
    )
