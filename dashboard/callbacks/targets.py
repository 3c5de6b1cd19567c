"""Targets page: render the bullet charts and the quarterly new-carers chart for the filters."""

from __future__ import annotations

from functools import partial

import pandas as pd
from dash import Dash, Input, Output

from dashboard import ids
from dashboard.charts import ChartSpec
from dashboard.components.chart_card import chart_card
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import targets
from dashboard.views.common import ViewContext


def target_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec, ...]:
    """The contract and yearly bullet charts, then new carers per quarter."""
    context, frame = ViewContext.from_repo(repo, filters.to_dict()), observations(repo)
    builds = (targets.contract_targets, targets.yearly_targets, targets.new_carers_quarterly)
    return tuple(build(frame, context) for build in builds)


def locality_spec(repo: Repository, filters: Filters, target: str) -> ChartSpec:
    """One target compared across localities."""
    context = ViewContext.from_repo(repo, filters.to_dict())
    return targets.locality_comparison(observations(repo), context, target)


def register(app: Dash, repo: Repository) -> None:
    default_target = targets.TARGET_CHOICES[0][0]
    specs_for = repo.cached(partial(target_specs, repo), warm_with=(Filters(),))
    locality_for = repo.cached(partial(locality_spec, repo), warm_with=(Filters(), default_target))

    @app.callback(
        Output(ids.TARGETS_CHARTS, "children"),
        Output(ids.TARGETS_NEW_CARERS, "children"),
        Input(ids.FILTER_STATE, "data"),
    )
    def update_targets(filter_state):
        *bullets, new_carers = specs_for(Filters.from_dict(filter_state))
        return [chart_card(spec) for spec in bullets], chart_card(new_carers)

    @app.callback(
        Output(ids.TARGETS_LOCALITY_CHART, "children"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.TARGETS_MEASURE, "value"),
    )
    def update_locality_comparison(filter_state, target):
        chosen = target if target in dict(targets.TARGET_CHOICES) else default_target
        return chart_card(locality_for(Filters.from_dict(filter_state), chosen))


def observations(repo: Repository) -> pd.DataFrame:
    """Every row of the targets and the measures they are targets for."""
    slugs = targets.measures_needed(repo.reference())
    return pd.concat([repo.observations(slug) for slug in slugs], ignore_index=True)
