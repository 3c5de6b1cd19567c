"""Overview page: headline cards and the plain-English summary for the current filters."""

from __future__ import annotations

from functools import partial

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import chart_source, in_order
from dashboard.components.cards import headline_card, trend_table
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views.common import ViewContext
from dashboard.views.overview import Headline, OverviewData, summary_text
from dashboard.views.overview import build_headlines as headlines_from


def overview_data(repo: Repository) -> OverviewData:
    """The cached repository frames the headlines read."""
    return OverviewData(
        census_carers=repo.observations("census-carers"),
        carers_supported=repo.observations("carers-supported"),
        funding=repo.funding(),
        short_break_hours=repo.observations("short-break-hours"),
        admissions_prevented=repo.observations("admissions-prevented"),
    )


def build_headlines(repo: Repository, filters: Filters) -> list[Headline]:
    """The headline cards for one selection (hashable arguments, so it can be memoised)."""
    return headlines_from(overview_data(repo), ViewContext.from_repo(repo, filters.to_dict()))


def register(app: Dash, repo: Repository) -> None:
    source = chart_source(
        app,
        repo,
        "overview",
        partial(build_headlines, repo),
        trend_table,
        card=headline_column,
        warm_with=(Filters(),),
    )

    @app.callback(
        Output(ids.OVERVIEW_CARDS, "children"),
        Output(ids.OVERVIEW_SUMMARY, "children"),
        *source.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        *source.slot_states(),
    )
    def update_overview(filter_state, *_shown):
        filters = Filters.from_dict(filter_state)
        headlines = source.specs(filters)
        summary = summary_text(headlines, filters, repo.reference().filter_choices())
        cards, *slots = source.redraw(in_order, filters)
        return cards, summary, *slots


def headline_column(headline: Headline, origin: dict, source: str) -> dbc.Col:
    """A headline card in the overview's grid: a third of the width on a wide screen."""
    return dbc.Col(headline_card(headline, origin, source), xs=12, md=6, xl=4)
