"""Targets page: render the bullet charts and the quarterly new-carers chart for the filters."""

from __future__ import annotations

from functools import partial

import pandas as pd
from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import chart_source
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import targets
from dashboard.views.common import ViewContext


def targets_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec, ...]:
    """The contract and yearly bullet charts, then new carers per quarter."""
    context, frame = ViewContext.from_repo(repo, filters.to_dict()), observations(repo)
    return tuple(
        build(frame, context)
        for build in (
            targets.contract_targets,
            targets.yearly_targets,
            targets.new_carers_quarterly,
        )
    )


def locality_specs(repo: Repository, filters: Filters, target: str) -> tuple[ChartSpec, ...]:
    """One target compared across localities."""
    context = ViewContext.from_repo(repo, filters.to_dict())
    return (targets.locality_comparison(observations(repo), context, target),)


def register(app: Dash, repo: Repository) -> None:
    default_target = targets.TARGET_CHOICES[0][0]
    page = chart_source(app, repo, "targets", partial(targets_specs, repo), warm_with=(Filters(),))
    by_locality = chart_source(
        app,
        repo,
        "targets-by-locality",
        partial(locality_specs, repo),
        warm_with=(Filters(), default_target),
    )

    @app.callback(
        Output(ids.TARGETS_CHARTS, "children"),
        Output(ids.TARGETS_NEW_CARERS, "children"),
        Input(ids.FILTER_STATE, "data"),
    )
    def update_targets(filter_state):
        *cards, new_carers = page.cards(Filters.from_dict(filter_state))
        return cards, new_carers

    @app.callback(
        Output(ids.TARGETS_LOCALITY_CHART, "children"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.TARGETS_MEASURE, "value"),
    )
    def update_locality_comparison(filter_state, target):
        chosen = target if target in dict(targets.TARGET_CHOICES) else default_target
        (card,) = by_locality.cards(Filters.from_dict(filter_state), chosen)
        return card


def observations(repo: Repository) -> pd.DataFrame:
    """Every row of the targets and the measures they are targets for."""
    slugs = targets.measures_needed(repo.reference())
    return pd.concat([repo.observations(slug) for slug in slugs], ignore_index=True)
