"""Data and methods page: tables of sources, measures, quality notes and locality shares."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import chart_source
from dashboard.callbacks.reach import reach_data
from dashboard.charts import ChartSpec
from dashboard.components.chart_card import plain_json
from dashboard.components.tables import data_methods_tables
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import data_quality, reach
from dashboard.views.common import ViewContext


def register(app: Dash, repo: Repository) -> None:
    # Warmed for the day it is warmed on: which returns are late depends on the date.
    source = chart_source(
        app,
        repo,
        "data-quality",
        partial(quality_specs, repo),
        warm_with=(Filters(), lambda: date.today().isoformat()),
    )
    reference_tables = repo.cached(partial(drawn_reference_tables, repo), warm_with=())

    # The sources, measures and schemes do not change with the filters: drawn when the page is
    # (a component's id never changes, so Dash calls this once a page), not sent again with
    # every filter click (about 150 KB of JSON before compression).
    @app.callback(
        Output(ids.DATA_SOURCES, "children"),
        Output(ids.DATA_MEASURES, "children"),
        Output(ids.DATA_SCHEMES, "children"),
        Input(ids.DATA_SOURCES, "id"),
    )
    def draw_reference_tables(_id):
        return reference_tables()

    @app.callback(Output(ids.DATA_QUALITY, "children"), Input(ids.FILTER_STATE, "data"))
    def update_data_quality(filter_state):
        return source.cards(Filters.from_dict(filter_state), date.today().isoformat())


def drawn_reference_tables(repo: Repository) -> tuple[dict, ...]:
    """The sources, measures and schemes tables as the JSON the browser receives.

    Drawn once per data version: their hundreds of rows took about 60 ms to build and 30 ms to
    encode on every visit, more than the rest of the page's answer.
    """
    return tuple(plain_json(table) for table in data_methods_tables(repo.reference()))


def quality_specs(repo: Repository, filters: Filters, today: str) -> tuple[ChartSpec, ...]:
    """The data-quality charts; which returns are late depends on ``today`` (an ISO date)."""
    return quality_charts(repo, ViewContext.from_repo(repo, filters.to_dict()), today)


def quality_charts(repo: Repository, context: ViewContext, today: str) -> tuple[ChartSpec, ...]:
    """The data-quality cards, the page's and the meeting pack's: most are tables alone."""
    coverage = repo.coverage()
    return (
        data_quality.sources_card(coverage, context),
        data_quality.completeness_card(coverage, context),
        data_quality.returns_card(repo.returns_received(), context, date.fromisoformat(today)),
        data_quality.notes_card(context),
        data_quality.screened_card(screened_values(repo, context), context),
    )


def screened_values(repo: Repository, context: ViewContext) -> pd.DataFrame:
    """Stored values out of range, and districts reporting more carers supported than carers."""
    over_census = reach.supported_over_census(repo.page_data(reach_data), context)
    return pd.concat([repo.screened_out(), over_census], ignore_index=True)
