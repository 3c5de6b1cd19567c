"""Keep the filter selects, the URL query string and the filter store in step."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.components.shell import locality_options
from dashboard.db.repository import Repository
from dashboard.filters import Filters, parse_query, to_query

SELECTS = (ids.FILTER_SCHEME, ids.FILTER_LOCALITY, ids.FILTER_CARE_GROUP, ids.FILTER_PERIOD)


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
        Input(ids.URL, "search"),
        *(Input(select, "value") for select in SELECTS),
    )
    def sync_filters(search, scheme, locality, care_group, period):
        choices = repo.reference().filter_choices()
        if ctx.triggered_id in SELECTS:
            if ctx.triggered_id == ids.FILTER_SCHEME:
                locality = None
            requested = Filters(
                scheme or "cas-2013", locality or None, care_group or None, period or None
            )
            filters, notices = parse_query(to_query(requested), choices)
            new_search = to_query(filters)
            search_out = new_search if new_search != (search or "") else no_update
        else:
            filters, notices = parse_query(search, choices)
            search_out = no_update
        notice = [dbc.Alert(text, color="info", className="py-1 my-2") for text in notices]
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
        )

    for link_type in (ids.NAV_LINK_TYPE, ids.PAGE_LINK_TYPE):

        @app.callback(
            Output({"type": link_type, "path": ALL}, "href"),
            Input(ids.URL, "search"),
            State({"type": link_type, "path": ALL}, "id"),
        )
        def keep_filters_in_links(search, link_ids):
            return [f"{link['path']}{search or ''}" for link in link_ids]
