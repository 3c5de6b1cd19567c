"""Carers versus reach: a district map with a measure selector, a profile panel, funnel and bars."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components.intro import page_intro
from dashboard.components.updating import updating
from dashboard.filters import ViewControl, view_values
from dashboard.views.reach import (
    CONFIDENCE_LEVELS,
    DEFAULT_BASE,
    DEFAULT_MEASURE,
    MAP_MEASURES,
    NO_DISTRICT,
    PROFILE_PROMPT,
    REACH_BASES,
)

COLOUR_MODES = {"value": "Value", "comparison": "Comparison with Kent"}
MAP_KINDS = {"boundaries": "Boundaries", "tiles": "Equal-area tiles"}
VIEW_CONTROLS = (
    ViewControl("measure", ids.REACH_MEASURE, "map measure", DEFAULT_MEASURE, tuple(MAP_MEASURES)),
    ViewControl("colour", ids.REACH_COLOUR_MODE, "colour mode", "value", tuple(COLOUR_MODES)),
    ViewControl("map", ids.REACH_MAP_KIND, "map type", "boundaries", tuple(MAP_KINDS)),
    ViewControl("intervals", ids.REACH_CONFIDENCE, "interval", "95", tuple(CONFIDENCE_LEVELS)),
    ViewControl("district", ids.REACH_DISTRICT, "district", NO_DISTRICT),
    ViewControl("base", ids.REACH_BASE, "reach base", DEFAULT_BASE, tuple(REACH_BASES)),
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
    view_controls=VIEW_CONTROLS,
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


def _controls(values: dict[str, str]) -> html.Div:
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
                        value=values["measure"],
                    ),
                ],
                className="me-4 mb-2 reach-measure-control",
            ),
            _radio("Colour districts by", ids.REACH_COLOUR_MODE, COLOUR_MODES, values["colour"]),
            _radio("Map", ids.REACH_MAP_KIND, MAP_KINDS, values["map"]),
            _radio(
                "Intervals",
                ids.REACH_CONFIDENCE,
                {key: f"{key}%" for key in CONFIDENCE_LEVELS},
                values["intervals"],
            ),
        ],
        className="d-flex flex-wrap align-items-end filter-bar",
        role="group",
        **{"aria-label": "Map settings"},
    )


def layout(**query) -> html.Div:
    values, _ = view_values(query, VIEW_CONTROLS)
    return html.Div(
        [
            html.H1("Carers versus reach", className="h3"),
            *page_intro(
                "Where Kent's unpaid carers live, against how many the services supported.",
                "Carers are counted by Census 2021 and 2011, district by district. The reach "
                "rate is carers supported in the period divided by the district's Census 2021 "
                "carers; districts are compared with Kent using Wilson score intervals.",
            ),
            _controls(values),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            updating(
                                # The map's callback replaces this placeholder with the chart
                                # card, whose graph takes the same id; it is here so the
                                # clickData callback finds the id in the page layout.
                                html.Div(
                                    dcc.Graph(id=ids.REACH_MAP, style={"display": "none"}),
                                    id=ids.REACH_MAP_CARD,
                                )
                            ),
                            html.P(id=ids.REACH_MAP_CREDIT, className="small reach-attribution"),
                        ],
                        lg=8,
                    ),
                    dbc.Col(
                        html.Aside(
                            [
                                html.H2("District profile", className="h5"),
                                dbc.Label("District", html_for=ids.REACH_DISTRICT),
                                dbc.Select(
                                    id=ids.REACH_DISTRICT, options=[], value=values["district"]
                                ),
                                html.Div(
                                    html.P(PROFILE_PROMPT, className="reach-profile-prompt"),
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
            _radio(
                "Set carers supported against",
                ids.REACH_BASE,
                {key: base.label for key, base in REACH_BASES.items()},
                values["base"],
            ),
            updating(html.Div(id=ids.REACH_CHARTS, className="row")),
            updating(html.Div(id=ids.REACH_HOURS)),
        ]
    )
