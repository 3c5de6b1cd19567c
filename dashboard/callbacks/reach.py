"""Carers versus reach: the map card, the profile panel, and the funnel and ranking cards."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from dash import Dash, Input, Output, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.chart_parts import SlotGroup, in_order, redraw
from dashboard.callbacks.planner import hours_specs
from dashboard.charts import ChartSpec
from dashboard.components.chart_card import chart_card
from dashboard.components.status import status_badge
from dashboard.db.repository import Repository
from dashboard.figures import maps
from dashboard.filters import Filters
from dashboard.views import reach
from dashboard.views.common import ViewContext
from dashboard.views.reach import (
    CONFIDENCE_LEVELS,
    DEFAULT_BASE,
    DEFAULT_MEASURE,
    NO_DISTRICT,
    PROFILE_PROMPT,
    REACH_BASES,
    DistrictProfile,
    ReachData,
)


def reach_data(repo: Repository) -> ReachData:
    """The cached repository frames the reach views read."""
    return ReachData(
        census_carers=repo.observations("census-carers"),
        census_share=repo.observations("census-carers-share"),
        census_base=repo.observations("census-base-5plus"),
        population=repo.observations("population"),
        imd_rank=repo.observations("imd-rank"),
        supported=repo.observations("carers-supported"),
        funding=repo.funding(),
    )


def map_spec(
    repo: Repository,
    filters: Filters,
    measure: str,
    colour_mode: str,
    use_boundaries: bool,
    confidence: float,
) -> tuple[ChartSpec]:
    """The map card's spec for one selection."""
    spec = reach.reach_map(
        repo.page_data(reach_data),
        ViewContext.from_repo(repo, filters.to_dict()),
        measure=measure,
        colour_mode=colour_mode,
        geojson=repo.boundaries if use_boundaries else None,
        boundaries_available=repo.boundaries is not None,
        confidence=confidence,
    )
    return (replace(spec, graph_config=maps.GRAPH_CONFIG),)


def reach_specs(
    repo: Repository, filters: Filters, confidence: float, base: str = DEFAULT_BASE
) -> tuple[ChartSpec, ...]:
    """The funnel and ranking specs for one selection, against the chosen base."""
    context, data = ViewContext.from_repo(repo, filters.to_dict()), repo.page_data(reach_data)
    return tuple(
        build(data, context, confidence, base)
        for build in (reach.reach_funnel, reach.reach_ranking)
    )


def register(app: Dash, repo: Repository) -> None:
    confidence = CONFIDENCE_LEVELS["95"]
    page = SlotGroup(app, repo, ids.REACH_SLOTS)
    map_source = page.source(
        "reach-map",
        partial(map_spec, repo),
        warm_with=(Filters(), DEFAULT_MEASURE, "value", repo.boundaries is not None, confidence),
    )
    charts_source = page.source(
        "reach-charts",
        partial(reach_specs, repo),
        card=half_width_card,
        warm_with=(Filters(), confidence, DEFAULT_BASE),
    )
    hours_source = page.source("reach-hours", partial(hours_specs, repo), warm_with=(Filters(),))

    # One request a click: the three sources, each memoised on its own inputs, in one
    # callback. A chart a control leaves as it is (the map's controls, the others) is not
    # sent again, but a slow answer dims every container under its spinner. The credit is
    # written with every answer: an answer overtaken by a newer one is dropped in the browser
    # (assets/view.js), so one that alone wrote it could be lost.
    @app.callback(
        Output(ids.REACH_MAP_CREDIT, "children"),
        Output(ids.REACH_MAP_CARD, "children"),
        Output(ids.REACH_CHARTS, "children"),
        Output(ids.REACH_HOURS, "children"),
        *page.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.REACH_MEASURE, "value"),
        Input(ids.REACH_COLOUR_MODE, "value"),
        Input(ids.REACH_MAP_KIND, "value"),
        Input(ids.REACH_CONFIDENCE, "value"),
        Input(ids.REACH_BASE, "value"),
        *page.slot_states(),
    )
    def update_reach(filter_state, measure, colour_mode, map_kind, chosen, base, *_shown):
        use_boundaries = map_kind != "tiles" and repo.boundaries is not None
        credits = [maps.ATTRIBUTION] + ([maps.BOUNDARY_CREDIT] if use_boundaries else [])
        filters, confidence = Filters.from_dict(filter_state), CONFIDENCE_LEVELS.get(chosen, 0.95)
        return " ".join(credits), *redraw(
            map_source.drawing(in_order, filters, measure, colour_mode, use_boundaries, confidence),
            charts_source.drawing(
                in_order, filters, confidence, base if base in REACH_BASES else DEFAULT_BASE
            ),
            hours_source.drawing(in_order, filters),
        )

    # One callback for the district menu and the profile: as two, the profile's request waited
    # for the menu's answer (its value is an input), a second round trip on every filter click.
    @app.callback(
        Output(ids.REACH_DISTRICT, "options"),
        Output(ids.REACH_DISTRICT, "value"),
        Output(ids.REACH_PROFILE, "children"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.REACH_DISTRICT, "value"),
        Input(ids.REACH_CONFIDENCE, "value"),
    )
    def district_panel(filter_state, chosen, confidence):
        context = ViewContext.from_repo(repo, filter_state)
        choices = reach.district_choices(context)
        options = no_update
        if ctx.triggered_id in (None, ids.FILTER_STATE):  # the menu follows the filters only
            options = [{"label": "Choose a district", "value": NO_DISTRICT}] + [
                {"label": name, "value": code} for code, name in choices.items()
            ]
        # The prompt's class leaves an unchosen profile off paper (assets/style.css).
        prompt = html.P(PROFILE_PROMPT, className="reach-profile-prompt")
        if chosen not in choices:
            # A district from a link that is not offered falls back to none (the filter notice
            # says so).
            return options, no_update if chosen == NO_DISTRICT else NO_DISTRICT, prompt
        profile = reach.district_profile(
            repo.page_data(reach_data), context, chosen, CONFIDENCE_LEVELS.get(confidence, 0.95)
        )
        return options, no_update, profile_panel(profile) if profile else prompt

    @app.callback(
        Output(ids.REACH_DISTRICT, "value", allow_duplicate=True),
        Input(ids.REACH_MAP, "clickData"),
        prevent_initial_call=True,
    )
    def district_from_map(click):
        points = (click or {}).get("points") or []
        code = next((p.get("location") for p in points if p.get("location")), None)
        if not code:
            raise PreventUpdate
        return code


def half_width_card(spec: ChartSpec, origin: dict, source: str) -> html.Div:
    """A chart card in half the width of a wide screen, beside another."""
    return html.Div(chart_card(spec, origin, source), className="col-xl-6")


def profile_panel(profile: DistrictProfile) -> html.Div:
    """The district's facts as a definition list, each with its status badge."""
    items = []
    for fact in profile.facts:
        badge = [" ", status_badge(fact.status)] if fact.status else []
        items += [html.Dt(fact.label), html.Dd([fact.value, *badge])]
    return html.Div(
        [
            html.H3(profile.name, className="h6 mb-2"),
            html.Dl(items, className="reach-profile-facts mb-2"),
            *(html.P(note, className="small mb-1") for note in profile.notes),
            html.P("Source: " + "; ".join(profile.sources), className="small text-muted mb-0"),
        ]
    )
