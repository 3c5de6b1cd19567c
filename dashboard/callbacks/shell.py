"""Keep the filter selects, the filter store and the address in step; presentation mode.

A select change sets the filter store in the browser, so the page's callbacks are asked at once;
the server's answer to the same change brings the locality options, the summary and the address.
A server callback writing the select values would make Dash hold back the browser's reading of
them until its answer came, so only reading a link (``read_link``) writes them on the server;
the browser resets the locality select itself when the scheme no longer has that locality.

The address is written in the browser (``assets/view.js``) with the history API, never through
the location component, so a change of filter or page control runs each page callback once:
writing the location would make Dash Pages rebuild the page and run every callback again.
The location is read when a page loads and on back/forward. A select change is never read back
as a link value, so it raises no notice; a link with values it cannot show gets one notice, and
the address is tidied in place (a replaced history entry, not a new one).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, no_update

from dashboard import ids
from dashboard.components.shell import locality_options
from dashboard.db.repository import Repository
from dashboard.filters import (
    PARAMETERS,
    Filters,
    link_notice,
    parse_query,
    query_values,
    summary,
    to_query,
    view_values,
)

SELECTS = (ids.FILTER_SCHEME, ids.FILTER_LOCALITY, ids.FILTER_CARE_GROUP, ids.FILTER_PERIOD)
NAMESPACE = "kentCarers"  # window.dash_clientside.kentCarers in assets/view.js


def register(app: Dash, repo: Repository) -> None:
    @app.callback(
        Output(ids.FILTER_SCHEME, "value"),
        Output(ids.FILTER_LOCALITY, "options"),
        Output(ids.FILTER_LOCALITY, "value"),
        Output(ids.FILTER_CARE_GROUP, "value"),
        Output(ids.FILTER_PERIOD, "value"),
        Output(ids.FILTER_STATE, "data"),
        Output(ids.FILTER_NOTICE, "children"),
        Input(ids.URL, "search"),
        State(ids.URL, "pathname"),
        State(ids.FILTER_STATE, "data"),
    )
    def read_link(search, pathname, shown):
        choices = repo.reference().filter_choices()
        filters, notices = parse_query(search, choices)
        notices += view_control_notices(repo, pathname, search)
        notice = (
            [dbc.Alert(link_notice(notices), color="info", className="py-1 my-1")]
            if notices
            else []
        )
        scheme, locality, care_group, period = filters.select_values()
        state = filters.to_dict()
        return (
            scheme,
            locality_options(choices, filters.scheme),
            locality,
            care_group,
            period,
            no_update if state == shown else state,  # unchanged filters rerun no chart
            notice,
        )

    # A select change is read in the browser by the rules select_meaning sends, so the charts
    # are asked for at once; the request below brings the rest. The browser writes only a change
    # the user made (after read_link the selects show the filters already stored), and resets a
    # locality that is not of the scheme.
    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "filtersFromSelects"),
        Output(ids.FILTER_STATE, "data", allow_duplicate=True),
        Output(ids.FILTER_LOCALITY, "value", allow_duplicate=True),
        Output(ids.FILTER_NOTICE, "children", allow_duplicate=True),
        *(Input(select, "value") for select in SELECTS),
        State(ids.FILTER_STATE, "data"),
        State(ids.FILTER_SELECT_MEANING, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.FILTER_LOCALITY, "options", allow_duplicate=True),
        Output(ids.FILTER_QUERY, "data"),
        Output(ids.FILTER_SUMMARY, "children"),
        *(Input(select, "value") for select in SELECTS),
        prevent_initial_call="initial_duplicate",
    )
    def describe_filters(scheme, locality, care_group, period):
        choices = repo.reference().filter_choices()
        # Only values the filters offer (the rule select_meaning gives the browser): on a new
        # scheme this runs beside the browser's reset of the locality, with the old one selected.
        filters, _ = parse_query(
            to_query(Filters.from_selects(scheme, locality, care_group, period)), choices
        )
        return (
            locality_options(choices, filters.scheme),
            {"search": to_query(filters), "parameters": list(PARAMETERS)},
            summary(filters, choices),
        )

    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "writeFilters"),
        Output(ids.VIEW_ADDRESS, "data"),
        Input(ids.FILTER_QUERY, "data"),
    )
    for link_type in (ids.NAV_LINK_TYPE, ids.PAGE_LINK_TYPE):
        app.clientside_callback(
            ClientsideFunction(NAMESPACE, "linkHrefs"),
            Output({"type": link_type, "path": ALL}, "href"),
            Input(ids.FILTER_QUERY, "data"),
            State({"type": link_type, "path": ALL}, "id"),
        )
    for page in dash.page_registry.values():
        controls = page.get("view_controls", ())
        if controls:
            # Its output, the address written, also makes Dash call it when a page is rendered
            # (a callback without outputs is called on the first layout only).
            app.clientside_callback(
                ClientsideFunction(NAMESPACE, "writeViewControls"),
                Output(ids.VIEW_ADDRESS, "data", allow_duplicate=True),
                *(Input(control.component_id, control.prop) for control in controls),
                State(ids.VIEW_CONTROLS, "data"),
                prevent_initial_call="initial_duplicates",
            )

    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "presentFromAddress"),
        Output(ids.PRESENT, "data"),
        Input(ids.URL, "search"),
    )
    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "togglePresent"),
        Output(ids.PRESENT, "data", allow_duplicate=True),
        Input(ids.PRESENT_TOGGLE, "n_clicks"),
        Input(ids.PRESENT_EXIT, "n_clicks"),
        State(ids.PRESENT, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "applyPresent"),
        Output(ids.SHELL, "className"),
        Output(ids.PRESENT_TOGGLE, "aria-pressed"),
        Input(ids.PRESENT, "data"),
        State(ids.PRESENT_STYLE, "data"),
    )


def view_control_notices(repo: Repository, pathname: str | None, search: str | None) -> list[str]:
    """Notices for page controls in the link that the page does not offer."""
    page = next((p for p in dash.page_registry.values() if p["path"] == pathname), None)
    controls = page.get("view_controls", ()) if page else ()
    if not controls:
        return []
    reference = repo.reference()
    listed = {
        "district": set(reference.districts["code"]),
        "line": set(reference.service_lines["slug"]),
    }
    known = {c.parameter: listed[c.parameter] for c in controls if c.choices is None}
    return view_values(query_values(search), controls, known)[1]
