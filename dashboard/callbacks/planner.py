"""Fair-share planner: the scenario's four chart cards, and carers by hours of caring."""

from __future__ import annotations

from dataclasses import astuple
from functools import partial

from dash import ClientsideFunction, Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import SlotGroup, in_order, redraw
from dashboard.callbacks.shell import NAMESPACE
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import hours, planner
from dashboard.views.common import ViewContext
from dashboard.views.planner import VIEW_CONTROLS, PlannerData, Scenario

SCENARIO_INPUTS = tuple(control.component_id for control in VIEW_CONTROLS)


def planner_specs(repo: Repository, filters: Filters, *controls: str) -> tuple[ChartSpec, ...]:
    """The scenario's charts: by district, by locality, sensitivity and the phased path."""
    context = ViewContext.from_repo(repo, filters.to_dict())
    return tuple(planner.scenario_charts(repo.page_data(load), context, Scenario(*controls)))


def hours_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec]:
    """Carers by hours of caring a week, 2021, and the change from 2011."""
    context = ViewContext.from_repo(repo, filters.to_dict())
    return (hours.hours_of_caring(repo.observations("census-carers"), context),)


def register(app: Dash, repo: Repository) -> None:
    page = SlotGroup(app, repo, ids.PLANNER_SLOTS)
    scenario_source = page.source(
        "planner", partial(planner_specs, repo), warm_with=(Filters(), *astuple(Scenario()))
    )
    hours_source = page.source("planner-hours", partial(hours_specs, repo), warm_with=(Filters(),))

    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "mixSettingsDisabled"),
        Output(ids.PLANNER_MIX, "disabled"),
        Input(ids.PLANNER_FORMULA, "value"),
    )

    # One request a click: both sources, each memoised on its own inputs, in one callback.
    @app.callback(
        Output(ids.PLANNER_CHARTS, "children"),
        Output(ids.PLANNER_HOURS, "children"),
        *page.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        *(Input(control, "value") for control in SCENARIO_INPUTS),
        *page.slot_states(),
    )
    def update_planner(filter_state, *controls_then_shown):
        controls = controls_then_shown[: len(SCENARIO_INPUTS)]
        scenario = Scenario(*(str(value or "").strip() for value in controls))
        filters = Filters.from_dict(filter_state)
        return redraw(
            scenario_source.drawing(in_order, filters, *astuple(scenario)),
            hours_source.drawing(in_order, filters),
        )


def load(repo: Repository) -> PlannerData:
    """The cached repository frames the planner reads."""
    return PlannerData(
        funding=repo.funding(),
        population=repo.observations("population"),
        census_carers=repo.observations("census-carers"),
        imd_score=repo.observations("imd-score"),
    )
