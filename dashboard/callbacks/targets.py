"""Targets page: render the bullet charts and the quarterly new-carers chart for the filters."""

from __future__ import annotations

from functools import partial

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import DrawnCard, SlotGroup, in_order, redraw
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import targets
from dashboard.views.common import ViewContext


def targets_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec, ...]:
    """The contract and yearly bullet charts, then new carers per quarter."""
    context, data = ViewContext.from_repo(repo, filters.to_dict()), repo.page_data(load)
    return tuple(
        build(data, context)
        for build in (
            targets.contract_targets,
            targets.yearly_targets,
            targets.new_carers_quarterly,
        )
    )


def locality_specs(repo: Repository, filters: Filters, target: str) -> tuple[ChartSpec, ...]:
    """One target compared across localities."""
    context = ViewContext.from_repo(repo, filters.to_dict())
    return (targets.locality_comparison(repo.page_data(load), context, target),)


def register(app: Dash, repo: Repository) -> None:
    default_target = targets.TARGET_CHOICES[0][0]
    page = SlotGroup(app, repo, ids.TARGETS_SLOTS)
    bullets = page.source("targets", partial(targets_specs, repo), warm_with=(Filters(),))
    by_locality = page.source(
        "targets-by-locality", partial(locality_specs, repo), warm_with=(Filters(), default_target)
    )

    # One request a click: both sources, each memoised on its own inputs, in one callback.
    @app.callback(
        Output(ids.TARGETS_CHARTS, "children"),
        Output(ids.TARGETS_NEW_CARERS, "children"),
        Output(ids.TARGETS_LOCALITY_CHART, "children"),
        *page.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.TARGETS_MEASURE, "value"),
        *page.slot_states(),
    )
    def update_targets(filter_state, target, *_shown):
        chosen = target if target in dict(targets.TARGET_CHOICES) else default_target
        filters = Filters.from_dict(filter_state)
        return redraw(
            bullets.drawing(bullets_and_quarters, filters),
            by_locality.drawing(in_order, filters, chosen),
        )


def bullets_and_quarters(drawn: list[DrawnCard]) -> tuple[list[DrawnCard], list[DrawnCard]]:
    """The bullet charts' cards, then the new-carers chart's card."""
    *bullets, new_carers = drawn
    return bullets, [new_carers]


def load(repo: Repository) -> targets.TargetsData:
    """The page's data: the rows of the targets and of the measures they are targets for, by
    measure, the repository's cached frames as they are (joined into one frame, they cost 47 ms
    a filter change to join and about 30 ms a chart to split again at 10^6 rows)."""
    measures = targets.measures_needed(repo.reference())
    return targets.TargetsData({slug: repo.observations(slug) for slug in measures})
