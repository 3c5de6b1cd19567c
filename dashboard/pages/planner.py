"""Fair-share planner: try a reallocation of the budget by a need formula, with the gap and path."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.allocation import HORIZON_YEARS, MAX_UPLIFT, TOLERANCE_PERCENT
from dashboard.components.intro import page_intro
from dashboard.components.updating import updating
from dashboard.filters import view_values
from dashboard.views.planner import (
    FORMULAS,
    PHASING_CHOICES,
    UPLIFT_CHOICES,
    VIEW_CONTROLS,
    WEIGHT_CHOICES,
)

dash.register_page(
    __name__,
    path="/planner",
    name="Fair-share planner",
    title="Fair-share planner · Kent Carers Commissioning Dashboard",
    description=(
        "Share a budget between districts by a need formula and see the gap from today's "
        "allocation, by district and locality, how it depends on the formula, and a phased path."
    ),
    order=45,
    nav=True,
    view_controls=VIEW_CONTROLS,
)


def _select(label: str, component_id: str, choices, value: str, suffix: str = "") -> html.Div:
    return html.Div(
        [
            dbc.Label(label, html_for=component_id, className="filter-label"),
            dbc.Select(
                id=component_id,
                options=[{"label": f"{choice}{suffix}", "value": choice} for choice in choices],
                value=value,
                size="sm",
            ),
        ],
        className="me-3 mb-2",
    )


def _controls(values: dict[str, str]) -> html.Div:
    return html.Div(
        [
            html.Div(
                [
                    dbc.Label(
                        "Budget (£ a year; blank: the year's total)",
                        html_for=ids.PLANNER_BUDGET,
                        className="filter-label",
                    ),
                    dbc.Input(
                        id=ids.PLANNER_BUDGET,
                        type="text",
                        inputMode="decimal",
                        value=values["budget"],
                        placeholder="e.g. 8000000 or 8m",
                        debounce=True,
                        size="sm",
                    ),
                ],
                className="me-3 mb-2",
            ),
            html.Div(
                [
                    dbc.Label(
                        "Need formula", html_for=ids.PLANNER_FORMULA, className="filter-label"
                    ),
                    dbc.Select(
                        id=ids.PLANNER_FORMULA,
                        options=[{"label": text, "value": key} for key, text in FORMULAS.items()],
                        value=values["formula"],
                        size="sm",
                    ),
                ],
                className="me-3 mb-2",
            ),
            html.Fieldset(
                [
                    html.Legend(
                        "Weighted mix: relative weights and uplift (with that formula only)",
                        className="filter-label fs-6",
                    ),
                    html.Div(
                        [
                            _select(
                                "Residents",
                                ids.PLANNER_WEIGHT_RESIDENTS,
                                WEIGHT_CHOICES,
                                values["w_residents"],
                            ),
                            _select(
                                "Unpaid carers",
                                ids.PLANNER_WEIGHT_CARERS,
                                WEIGHT_CHOICES,
                                values["w_carers"],
                            ),
                            _select(
                                "Carers caring 50+ hours",
                                ids.PLANNER_WEIGHT_50PLUS,
                                WEIGHT_CHOICES,
                                values["w_50plus"],
                            ),
                            _select(
                                f"Deprivation uplift (0 to {MAX_UPLIFT}%)",
                                ids.PLANNER_UPLIFT,
                                UPLIFT_CHOICES,
                                values["uplift"],
                                "%",
                            ),
                        ],
                        className="d-flex flex-wrap",
                    ),
                ],
                id=ids.PLANNER_MIX,
                disabled=values["formula"] != "mix",
                className="me-4 mb-2",
            ),
            _select(
                "Gap moved each year",
                ids.PLANNER_PHASING,
                PHASING_CHOICES,
                values["phase"],
                "%",
            ),
        ],
        className="d-flex flex-wrap align-items-start filter-bar planner-controls",
        role="group",
        **{"aria-label": "Scenario"},
    )


def layout(**query) -> html.Div:
    values, _ = view_values(query, VIEW_CONTROLS)
    return html.Div(
        [
            html.H1("Fair-share planner", className="h3"),
            *page_intro(
                "Try sharing the budget by a need formula: the gap from today's allocation by "
                "district and locality, and a path to close it. Nothing is saved; the link keeps "
                "the scenario.",
                "The current allocation is the spend in scope on the Investment per head page "
                "(CAS, short breaks and carers' direct payments, KCC and NHS), which by district "
                "is demonstration data. A fair share divides the budget in proportion to need: "
                "Census 2021 residents, unpaid carers or carers caring 50 or more hours a week, "
                "or a weighted mix of them, optionally raised for deprivation by the IMD 2019 "
                "average score (the most deprived district by the full uplift, the least by "
                "none). Weights are relative: 20, 20, 40 is the same mix as 25%, 25%, 50%.",
                "Fair shares are in whole pence and add up to the budget exactly: each district "
                "takes the whole pence of its exact share and the pence left over go one each "
                "to the largest fractions (ties to the earlier district code). The gap is the "
                "fair share minus the current allocation, as a percentage of the current "
                "allocation. The phased path moves the chosen percentage of the remaining gap "
                f"each year; a district reaches its fair share when its gap is within "
                f"{TOLERANCE_PERCENT}% of it, followed for {HORIZON_YEARS} years. Localities "
                "follow the locality scheme chosen in the filters.",
            ),
            _controls(values),
            updating(html.Div(id=ids.PLANNER_CHARTS)),
            updating(html.Div(id=ids.PLANNER_HOURS)),
        ]
    )
