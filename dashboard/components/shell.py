"""The app shell: header, navigation from the page registry, global filter bar, presentation
controls, footer."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, theme
from dashboard.components.meeting_pack import meeting_pack_panel
from dashboard.components.status import demo_banner, status_legend
from dashboard.data_dates import FOOTER_EXPLANATION
from dashboard.filters import ALL, DEFAULT_SCHEME, LATEST, FilterChoices, select_meaning
from dashboard.periods import parse_period

SUBTITLE = "Kent County Council and NHS partners · support for unpaid adult carers"
BOUNDARY_ATTRIBUTION = (
    "Boundaries: Office for National Statistics, Open Government Licence v3.0. Contains OS data "
    "© Crown copyright and database right."
)


def navigation() -> html.Nav:
    """Links to every page that asks to be in the navigation, in its registered order."""
    pages = sorted(
        (page for page in dash.page_registry.values() if page.get("nav")),
        key=lambda page: page.get("order", 99),
    )
    links = [
        dbc.NavItem(
            dbc.NavLink(
                page["name"], href=page["path"], id=ids.nav_link(page["path"]), active="exact"
            )
        )
        for page in pages
    ]
    return html.Nav(
        dbc.Nav(links, pills=True, className="main-nav flex-wrap"),
        **{"aria-label": "Dashboard pages"},
    )


def _select(select_id: str, label: str, options: list[dict], value: str) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=select_id, className="filter-label"),
            dbc.Select(id=select_id, options=options, value=value, size="sm"),
        ],
        xs=12,
        sm=6,
        lg=3,
    )


def filter_bar(choices: FilterChoices) -> html.Section:
    """The global filters; their values live in the URL query string."""
    schemes = [{"label": name, "value": slug} for slug, name in choices.scheme_names.items()]
    localities = locality_options(choices, DEFAULT_SCHEME)
    care_groups = [{"label": "All care groups", "value": ALL}] + [
        {"label": name, "value": slug} for slug, name in choices.care_groups.items()
    ]
    periods = [{"label": "Latest available (per chart)", "value": LATEST}] + period_options(
        choices.periods
    )
    return html.Section(
        [
            html.H2("Filters", className="visually-hidden"),
            dbc.Row(
                [
                    _select(ids.FILTER_SCHEME, "Locality scheme", schemes, DEFAULT_SCHEME),
                    _select(ids.FILTER_LOCALITY, "Locality", localities, ALL),
                    _select(ids.FILTER_CARE_GROUP, "Care group", care_groups, ALL),
                    _select(ids.FILTER_PERIOD, "Period", periods, LATEST),
                ],
                className="g-2",
            ),
            html.Div(id=ids.FILTER_NOTICE, role="status", **{"aria-live": "polite"}),
        ],
        className="filter-bar",
        **{"aria-label": "Filters"},
    )


PERIOD_HEADINGS = {"year": "Financial years", "half": "Half years", "quarter": "Quarters"}


def period_options(periods: dict[str, str]) -> list[dict]:
    """The periods (in menu order) under a heading for each kind: after the years, the menu ran
    on from 2009/10 to "2016/17 H1" and "2009/10 H2" as if they were out of order. A heading
    is an option that cannot be chosen (a native select has no other way to group)."""
    options, kind = [], None
    for slug, label in periods.items():
        if parse_period(slug).kind != kind:
            kind = parse_period(slug).kind
            heading = f"— {PERIOD_HEADINGS[kind]} —"
            options.append({"label": heading, "value": f"heading-{kind}", "disabled": True})
        options.append({"label": label, "value": slug})
    return options


def locality_options(choices: FilterChoices, scheme: str) -> list[dict]:
    """Options for the locality select under one scheme, starting with all of Kent."""
    return [{"label": "All of Kent", "value": ALL}] + [
        {"label": name, "value": slug} for slug, name in choices.localities.get(scheme, {}).items()
    ]


def view_controls_spec() -> dict[str, list[str]]:
    """Every page control kept in the URL, as ``{component id: [parameter, default, prop]}``.

    The browser writes the controls' values into the address with this; the pages declare
    their controls with ``register_page(..., view_controls=...)``.
    """
    return {
        control.component_id: [control.parameter, control.default, control.prop]
        for page in dash.page_registry.values()
        for control in page.get("view_controls", ())
    }


def presentation_bar() -> html.Div:
    """Previous/next buttons and the position, shown only in presentation mode."""
    return html.Div(
        [
            html.Button(
                "‹ Previous chart",
                id=ids.PRESENT_PREVIOUS,
                type="button",
                className="btn btn-outline-primary present-previous",
            ),
            html.Span(
                id=ids.PRESENT_POSITION,
                className="present-position",
                role="status",
                **{"aria-live": "polite"},
            ),
            html.Button(
                "Next chart ›",
                id=ids.PRESENT_NEXT,
                type="button",
                className="btn btn-primary present-next",
            ),
            html.Button(
                "Exit presentation (Esc)",
                id=ids.PRESENT_EXIT,
                type="button",
                className="btn btn-outline-secondary ms-auto present-exit",
            ),
        ],
        id=ids.PRESENT_BAR,
        className="present-bar",
        role="toolbar",
        **{"aria-label": "Presentation: move between charts with the arrow keys or these buttons"},
    )


def shell(choices: FilterChoices, *, title: str, data_version: str) -> html.Div:
    """The whole page frame around ``dash.page_container``."""
    return html.Div(
        [
            # The browser keeps the address in step with the view (assets/view.js); the
            # location is read when the page loads and on back/forward, never written.
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.FILTER_STATE),
            dcc.Store(id=ids.FILTER_QUERY),
            dcc.Store(id=ids.FILTER_SELECT_MEANING, data=select_meaning(choices)),
            dcc.Store(id=ids.VIEW_CONTROLS, data=view_controls_spec()),
            dcc.Store(id=ids.VIEW_ADDRESS),
            dcc.Store(id=ids.PRESENT, data=False),
            dcc.Store(id=ids.PRESENT_STYLE, data=theme.presentation_style()),
            html.A("Skip to main content", href="#main-content", className="skip-link"),
            html.Header(
                dbc.Container(
                    [
                        html.Div(
                            [
                                html.P(
                                    [
                                        html.Span(title, className="site-title"),
                                        html.Span(SUBTITLE, className="site-subtitle"),
                                    ],
                                    className="site-heading mb-0",
                                ),
                                html.Button(
                                    "Present",
                                    id=ids.PRESENT_TOGGLE,
                                    type="button",
                                    className="btn btn-light btn-sm present-toggle",
                                    title="Presentation mode: one chart per screen, larger text",
                                    **{"aria-pressed": "false"},
                                ),
                            ],
                            className="site-header-row",
                        ),
                        navigation(),
                    ],
                    fluid="lg",
                ),
                className="site-header",
            ),
            dbc.Container(
                [
                    filter_bar(choices),
                    html.P(id=ids.FILTER_SUMMARY, className="filter-summary"),
                    demo_banner(),
                    html.Div(id=ids.PAGE_FAULT, role="alert", className="page-fault"),
                    presentation_bar(),
                    html.Main(dash.page_container, id="main-content", tabIndex="-1"),
                    meeting_pack_panel(),
                    html.Footer(
                        [
                            status_legend(),
                            html.P(FOOTER_EXPLANATION, className="small mb-1"),
                            html.P(BOUNDARY_ATTRIBUTION, className="small mb-1"),
                            html.P(
                                [
                                    "Data version ",
                                    html.Code(data_version, id=ids.DATA_VERSION),
                                    ". Sources and methods are on the Data and methods page.",
                                ],
                                className="small",
                            ),
                        ],
                        className="site-footer",
                    ),
                ],
                fluid="lg",
            ),
        ],
        id=ids.SHELL,
        className="app-shell",
    )
