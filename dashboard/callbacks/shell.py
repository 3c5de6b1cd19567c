"""Keep the filter selects, the filter store and the address in step; presentation mode.

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
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, no_update

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
        Output(ids.FILTER_QUERY, "data"),
        Output(ids.FILTER_NOTICE, "children"),
        Output(ids.FILTER_SUMMARY, "children"),
        Input(ids.URL, "search"),
        *(Input(select, "value") for select in SELECTS),
        State(ids.URL, "pathname"),
        State(ids.FILTER_STATE, "data"),
    )
    def sync_filters(search, scheme, locality, care_group, period, pathname, shown):
        choices = repo.reference().filter_choices()
        if ctx.triggered_id in SELECTS:
            if ctx.triggered_id == ids.FILTER_SCHEME:
                locality = None
            filters, notices = Filters.from_selects(scheme, locality, care_group, period), []
        else:
            filters, notices = parse_query(search, choices)
            notices += view_control_notices(repo, pathname, search)
        notice = (
            [dbc.Alert(link_notice(notices), color="info", className="py-1 my-1")]
            if notices
            else []
        )
        scheme_value, locality_value, care_group_value, period_value = filters.select_values()
        state = filters.to_dict()
        return (
            scheme_value,
            locality_options(choices, filters.scheme),
            locality_value,
            care_group_value,
            period_value,
            no_update if state == shown else state,  # unchanged filters rerun no chart
            {"search": to_query(filters), "parameters": list(PARAMETERS)},
            notice,
            summary(filters, choices),
        )

    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "writeFilters"), Input(ids.FILTER_QUERY, "data")
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
            # Dash calls a callback without outputs on its first layout only, not when a page
            # is rendered, so the writer names an output it never changes.
            app.clientside_callback(
                ClientsideFunction(NAMESPACE, "writeViewControls"),
                Output(ids.VIEW_CONTROLS, "data", allow_duplicate=True),
                *(Input(control.component_id, "value") for control in controls),
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
    districts = set(repo.reference().districts["code"])
    known = {c.parameter: districts for c in controls if c.choices is None}
    return view_values(query_values(search), controls, known)[1]
