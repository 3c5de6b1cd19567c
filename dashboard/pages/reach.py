"""Carers versus reach: a district map with a measure selector, a profile panel, funnel and bars."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components.intro import page_intro
from dashboard.views.reach import (
    CONFIDENCE_LEVELS,
    DEFAULT_MEASURE,
    MAP_MEASURES,
    PROFILE_PROMPT,
)

dash.register_page(
    __name__,
    path="/reach",
    name="Carers versus reach",
    title="Carers versus reach · Kent Carers Commissioning Dashboard",
    description=(
        "Unpaid carers by district from the Census against carers supported by services: "
        "a map, a funnel plot and a ranking of the reach rate."
    ),
    order=30,
    nav=True,
)


def _radio(label: str, component_id: str, options: dict[str, str], value: str) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend(label, className="filter-label fs-6"),
            dbc.RadioItems(
                id=component_id,
                options=[{"label": text, "value": key} for key, text in options.items()],
                value=value,
                inline=True,
            ),
        ],
        className="me-4 mb-2",
    )


def _controls() -> html.Div:
    return html.Div(
        [
            html.Div(
                [
                    dbc.Label(
                        "Measure on the map", html_for=ids.REACH_MEASURE, className="filter-label"
                    ),
                    dbc.Select(
                        id=ids.REACH_MEASURE,
                        options=[
                            {"label": option.label, "value": key}
                            for key, option in MAP_MEASURES.items()
                        ],
                        value=DEFAULT_MEASURE,
                    ),
                ],
                className="me-4 mb-2 reach-measure-control",
            ),
            _radio(
                "Colour districts by",
                ids.REACH_COLOUR_MODE,
                {"value": "Value", "comparison": "Comparison with Kent"},
                "value",
            ),
            _radio(
                "Map",
                ids.REACH_MAP_KIND,
                {"boundaries": "Boundaries", "tiles": "Equal-area tiles"},
                "boundaries",
            ),
            _radio(
                "Intervals",
                ids.REACH_CONFIDENCE,
                {key: f"{key}%" for key in CONFIDENCE_LEVELS},
                "95",
            ),
        ],
        className="d-flex flex-wrap align-items-end filter-bar",
        role="group",
        **{"aria-label": "Map settings"},
    )


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1("Carers versus reach", className="h3"),
            *page_intro(
                "Where Kent's unpaid carers live, against how many the services supported.",
                "Carers are counted by Census 2021 and 2011, district by district. The reach "
                "rate is carers supported in the period divided by the district's Census 2021 "
                "carers; districts are compared with Kent using Wilson score intervals.",
            ),
            _controls(),
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Loading(
                            # The map's callback replaces this placeholder with the chart card,
                            # whose graph takes the same id; it is here so the clickData
                            # callback finds the id in the page layout.
                            html.Div(
                                dcc.Graph(id=ids.REACH_MAP, style={"display": "none"}),
                                id=ids.REACH_MAP_CARD,
                            ),
                            type="default",
                        ),
                        lg=8,
                    ),
                    dbc.Col(
                        html.Aside(
                            [
                                html.H2("District profile", className="h5"),
                                dbc.Label("District", html_for=ids.REACH_DISTRICT),
                                dbc.Select(id=ids.REACH_DISTRICT, options=[], value=""),
                                html.Div(
                                    html.P(PROFILE_PROMPT),
                                    id=ids.REACH_PROFILE,
                                    className="mt-2",
                                    **{"aria-live": "polite"},
                                ),
                            ],
                            className="card card-body reach-profile",
                            **{"aria-label": "District profile"},
                        ),
                        lg=4,
                    ),
                ]
            ),
            dcc.Loading(html.Div(id=ids.REACH_CHARTS, className="row"), type="default"),
        ]
    )
