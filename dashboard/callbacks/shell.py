"""Keep the filter selects, the URL query string and the filter store in step.

A select change writes a new address (a history entry). A link with values it cannot show gets
one notice, and its address is corrected in place (``history.replaceState``), so the back button
never returns to the wrong address only to be corrected again.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.components.shell import locality_options
from dashboard.db.repository import Repository
from dashboard.filters import Filters, corrected_query, link_notice, parse_query, to_query

SELECTS = (ids.FILTER_SCHEME, ids.FILTER_LOCALITY, ids.FILTER_CARE_GROUP, ids.FILTER_PERIOD)
REPLACE_ADDRESS = """
function (search) {
    if (typeof search === "string" && window.location.search !== search) {
        const address = window.location.pathname + search + window.location.hash;
        window.history.replaceState(window.history.state, "", address);
    }
}
"""


def register(app: Dash, repo: Repository) -> None:
    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.FILTER_SCHEME, "value"),
        Output(ids.FILTER_LOCALITY, "options"),
        Output(ids.FILTER_LOCALITY, "value"),
        Output(ids.FILTER_CARE_GROUP, "value"),
        Output(ids.FILTER_PERIOD, "value"),
        Output(ids.FILTER_STATE, "data"),
        Output(ids.FILTER_NOTICE, "children"),
        Output(ids.URL_CORRECTION, "data"),
        Input(ids.URL, "search"),
        *(Input(select, "value") for select in SELECTS),
    )
    def sync_filters(search, scheme, locality, care_group, period):
        choices = repo.reference().filter_choices()
        search_out = correction = no_update
        notice = []
        if ctx.triggered_id in SELECTS:
            if ctx.triggered_id == ids.FILTER_SCHEME:
                locality = None
            filters = Filters.from_selects(scheme, locality, care_group, period)
            new_search = to_query(filters)
            if new_search != (search or ""):
                search_out = new_search
        else:
            filters, notices = parse_query(search, choices)
            if notices:
                notice = [dbc.Alert(link_notice(notices), color="info", className="py-1 my-2")]
                correction = corrected_query(search, filters)
        scheme_value, locality_value, care_group_value, period_value = filters.select_values()
        return (
            search_out,
            scheme_value,
            locality_options(choices, filters.scheme),
            locality_value,
            care_group_value,
            period_value,
            filters.to_dict(),
            notice,
            correction,
        )

    app.clientside_callback(
        REPLACE_ADDRESS, Input(ids.URL_CORRECTION, "data"), prevent_initial_call=True
    )

    for link_type in (ids.NAV_LINK_TYPE, ids.PAGE_LINK_TYPE):

        @app.callback(
            Output({"type": link_type, "path": ALL}, "href"),
            Input(ids.FILTER_STATE, "data"),
            State({"type": link_type, "path": ALL}, "id"),
        )
        def keep_filters_in_links(filter_state, link_ids):
            query = to_query(Filters.from_dict(filter_state))
            return [f"{link['path']}{query}" for link in link_ids]
