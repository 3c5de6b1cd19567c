"""Decisions: the dated decisions and contract events the trend charts mark, with filters."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components.updating import updating
from dashboard.events import ALL, KIND_LABELS
from dashboard.filters import ViewControl, date_problem, view_values

VIEW_CONTROLS = (
    ViewControl("kind", ids.DECISIONS_KIND, "kind", ALL, (ALL, *KIND_LABELS)),
    ViewControl("line", ids.DECISIONS_SERVICE_LINE, "service line", ALL),
    ViewControl("from", ids.DECISIONS_FROM, "from date", "", date_problem),
    ViewControl("to", ids.DECISIONS_TO, "to date", "", date_problem),
)

dash.register_page(
    __name__,
    path="/decisions",
    name="Decisions",
    title="Decisions and contract events · Kent Carers Commissioning Dashboard",
    description="Joint Commissioning Group decisions, contract starts, ends and variations, and "
    "policy changes, as marked on the trend charts.",
    order=70,
    nav=True,
    view_controls=VIEW_CONTROLS,
)

KIND_OPTIONS = [{"label": "All kinds", "value": ALL}] + [
    {"label": label, "value": kind} for kind, label in KIND_LABELS.items()
]


def _select(label: str, component_id: str, options: list[dict], value: str) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=component_id),
            dbc.Select(id=component_id, options=options, value=value),
        ],
        md=3,
    )


def _date(label: str, component_id: str, value: str) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=component_id),
            dcc.Input(
                id=component_id,
                type="date",
                value=value or None,
                className="form-control",
                debounce=True,
            ),
        ],
        md=3,
    )


def layout(**query) -> html.Div:
    values, _ = view_values(query, VIEW_CONTROLS)
    return html.Div(
        [
            html.H1("Decisions and contract events", className="h3"),
            html.P(
                "Joint Commissioning Group decisions, contract starts, ends and variations, and "
                "policy changes. Each is marked, as a dashed line with its kind, on the trend "
                "charts of the service lines and localities it concerns, and listed under them. "
                "Events the source documents record are Published, with their citation; events "
                "added here by staff are shown as Recorded on screen. The list follows the "
                "locality chosen above.",
                className="page-intro",
            ),
            html.P(
                [
                    "Editors and admins ",
                    html.A("record, edit or delete events", href="/decisions/manage"),
                    " (sign-in needed).",
                ]
            ),
            dbc.Row(
                [
                    _select("Kind", ids.DECISIONS_KIND, KIND_OPTIONS, values["kind"]),
                    # Filled from the reference data by the page's callback.
                    _select("Service line", ids.DECISIONS_SERVICE_LINE, [], values["line"]),
                ],
                className="g-3 mb-2",
            ),
            dbc.Row(
                [
                    _date("From (date)", ids.DECISIONS_FROM, values["from"]),
                    _date("To (date)", ids.DECISIONS_TO, values["to"]),
                ],
                className="g-3 mb-3",
            ),
            updating(html.Div(id=ids.DECISIONS_RESULTS)),
        ]
    )
