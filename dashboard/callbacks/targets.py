"""Targets page: render the bullet charts and the quarterly new-carers chart for the filters."""

from __future__ import annotations

import pandas as pd
from dash import Dash, Input, Output

from dashboard import ids
from dashboard.components.chart_card import chart_card
from dashboard.db.repository import Repository
from dashboard.views import targets
from dashboard.views.common import ViewContext


def register(app: Dash, repo: Repository) -> None:
    @app.callback(
        Output(ids.TARGETS_CHARTS, "children"),
        Output(ids.TARGETS_NEW_CARERS, "children"),
        Input(ids.FILTER_STATE, "data"),
    )
    def update_targets(filter_state):
        context = ViewContext.from_repo(repo, filter_state)
        frame = observations(repo)
        cards = [
            chart_card(build(frame, context))
            for build in (targets.contract_targets, targets.yearly_targets)
        ]
        return cards, chart_card(targets.new_carers_quarterly(frame, context))

    @app.callback(
        Output(ids.TARGETS_LOCALITY_CHART, "children"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.TARGETS_MEASURE, "value"),
    )
    def update_locality_comparison(filter_state, target):
        context = ViewContext.from_repo(repo, filter_state)
        chosen = target if target in dict(targets.TARGET_CHOICES) else None
        spec = targets.locality_comparison(
            observations(repo), context, chosen or targets.TARGET_CHOICES[0][0]
        )
        return chart_card(spec)


def observations(repo: Repository) -> pd.DataFrame:
    """Every row of the targets and the measures they are targets for."""
    slugs = targets.measures_needed(repo.reference())
    return pd.concat([repo.observations(slug) for slug in slugs], ignore_index=True)
