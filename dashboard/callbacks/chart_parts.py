"""The parts of a chart card fetched on demand: its table, its notes, its CSV and its images.

A page's callback draws its cards from one or several ``ChartSource``s: a set of the page's
view functions for one set of filters and page controls, memoised with ``Repository.cached``.
Each card (the overview's headline cards too, for their trend tables) holds the signed name of
that result (source, filters, controls, chart, data version), and opening its table or
"About", or pressing a download, sends the name back; the same memoised result gives the
table, notes, CSV and image, so opening a table never recomputes the page. The link in each
file is the address the user is looking at.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import flask
from dash import ALL, MATCH, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import ids, rendering
from dashboard.caching import Deferred
from dashboard.callback_requests import CallbackRequestError
from dashboard.charts import to_csv
from dashboard.components.chart_card import (
    CARD_SLOTS,
    FIGURE_DIGEST,
    IMAGE_VARIANTS,
    about_list,
    card_slots,
    chart_card,
    holding,
    table_element,
)
from dashboard.components.tree import components_in
from dashboard.db.repository import Repository
from dashboard.exports import (
    PRESETS,
    ExportInfo,
    csv_header,
    export_figure,
    export_filename,
    signed,
    verified,
)
from dashboard.filters import Filters

logger = logging.getLogger(__name__)

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
IMAGE_PROBLEM = (
    "The image could not be made: {problem}. Nothing is wrong with the data; try again in a "
    "minute, or download the CSV."
)
SOURCES_EXTENSION = "kent_carers_chart_sources"  # the app's sources, in Flask's extensions
DATA_CHANGED = (
    "New data were loaded after this chart was drawn, so its table and notes are no longer "
    "those of the chart shown. Reload the page to see the chart, table and notes of the new data."
)

Controls = tuple[str | float | bool | None, ...]


@dataclass(frozen=True)
class ChartSource:
    """A page's charts for one selection: ``specs(filters, *controls)``, memoised.

    ``specs`` gives items with a ``key``: chart specs, or the overview's headlines, whose
    ``table`` is their own. ``controls`` are the page's own control values (text, numbers or
    flags), written as JSON into each card's origin and read back unchanged. ``slot_group``
    names the cards' slots in the page: the sources one callback draws share it.
    """

    name: str
    specs: Callable[..., Sequence]
    repo: Repository
    slot_group: str
    table: Callable[[Any], Component] = table_element
    card: Callable[[Any, dict, str], Component] = chart_card

    def drawn(self, filters: Filters, *controls) -> list[tuple[Any, dict]]:
        """Each item of this selection with the signed origin its card holds."""
        secret = flask.current_app.secret_key.encode()
        version = self.repo.data_version()
        return [
            (item, signed(self._origin(item.key, filters, controls, version), secret))
            for item in self.specs(filters, *controls)
        ]

    def cards(self, filters: Filters, *controls) -> list[Component]:
        """The chart cards of this selection."""
        return [drawn.card for drawn in self.keyed_cards(filters, *controls)]

    def keyed_cards(self, filters: Filters, *controls) -> list[DrawnCard]:
        """Each chart's card and slots for this selection, kept in the result cache like the
        specs: a selection seen before is answered without drawing a card or encoding a figure.
        """
        return self.repo.cached(_drawn_cards)(self.name, filters, *controls)

    def drawing(
        self,
        group: Callable[[list[DrawnCard]], tuple[list[DrawnCard], ...]],
        filters: Filters,
        *controls,
    ) -> Drawing:
        """This selection's cards, in the containers ``group(cards)`` puts them in."""
        return Drawing(self, group(self.keyed_cards(filters, *controls)))

    def slot_outputs(self) -> list[Output]:
        """The outputs ``redraw`` writes the cards' slots to: a callback's last outputs."""
        return slot_outputs(self.slot_group)

    def slot_states(self) -> list[State]:
        """What the cards shown hold (``slot_states``): a callback's last states."""
        return slot_states(self.slot_group)

    def redraw(
        self,
        group: Callable[[list[DrawnCard]], tuple[list[DrawnCard], ...]],
        filters: Filters,
        *controls,
    ) -> tuple:
        """A callback's outputs for this selection of this source alone (``redraw``)."""
        return redraw(self.drawing(group, filters, *controls))

    def folded(self, placeholder: Component) -> tuple:
        """A callback's outputs when its one container is folded: ``placeholder`` instead of
        the cards, whose slots go with them (``slot_outputs`` last, as for ``redraw``)."""
        shown = ctx.outputs_list[-len(CARD_SLOTS) :]
        return (placeholder, *([no_update] * len(outputs) for outputs in shown))

    def _origin(self, key: str, filters: Filters, controls: Controls, version: str) -> dict:
        return {
            "source": self.name,
            "chart": key,
            "filters": filters.to_dict(),
            "controls": list(controls),
            "data_version": version,
        }


@dataclass(frozen=True)
class Drawing:
    """A chart source's cards for one selection: each container's cards, in order."""

    source: ChartSource
    containers: tuple[list[DrawnCard], ...]


def redraw(*drawings: Drawing) -> tuple:
    """A callback's outputs for ``drawings`` of sources sharing one slot group, drawn in one
    request: the children of each drawing's containers in turn, then ``slot_outputs``.

    A container that already shows a card of each of its charts, with the same slots, is left
    alone and its cards' slots are written in place: the cards stay mounted, and Plotly
    redraws each chart where it is instead of purging it and drawing it afresh. Any other
    container (on the first draw, when a chart became unavailable, or one holding a chart that
    is not ``redrawn_in_place`` and whose figure changed) gets its cards anew.

    From the states of ``slot_states``: a chart whose figure is the one shown is not sent or
    redrawn at all, sankey or not (for example every funding chart on a change of care group,
    which funding is not recorded by), and no other slot is written with what it holds already
    (a title, a demo mark, the notes of a chart the change left as they were); a table or
    "About" left open gets what it holds for the new selection, and one opened and closed since
    gets its placeholder back, so that opening it again never shows the previous selection's
    rows.
    """
    if len({drawing.source.slot_group for drawing in drawings}) != 1:
        raise ValueError("the sources one callback redraws share one slot group")
    containers = [(drawing.source, cards) for drawing in drawings for cards in drawing.containers]
    shown = ctx.outputs_list[-len(CARD_SLOTS) :]
    shown_charts = {output["id"]["chart"] for outputs in shown for output in outputs}
    drawn_charts = {card.key for _source, cards in containers for card in cards}
    states = _shown_states()
    placed, in_place = [], {}
    for source, cards in containers:
        if (
            shown_charts <= drawn_charts
            and all(card.redrawn_in_place or card.shows("figure", states.digests) for card in cards)
            and _same_slots(cards, shown)
        ):
            placed.append(no_update)
            in_place.update((card.key, (source, card)) for card in cards)
        else:
            placed.append([_reopened(source, card, states) for card in cards])
    return (
        *placed,
        *(
            [_slot_value(in_place, states, output["id"]["chart"], part) for output in outputs]
            for part, outputs in zip(CARD_SLOTS, shown, strict=True)
        ),
    )


def _reopened(source: ChartSource, card: DrawnCard, states: ShownStates) -> Component:
    """``card`` to be placed anew, with each table or "About" the page shows open for its chart
    open again, holding what opening it for this selection gives (a copy: the card drawn stays
    in the cache as it was drawn)."""
    opened = [
        fetched
        for fetched in FETCHED_PARTS
        if states.disclosures.get((fetched.disclosure, card.key))
    ]
    if not opened:
        return card.card
    placed = copy.deepcopy(card.card)
    for component in components_in(placed):
        identity = getattr(component, "id", None)
        for fetched in opened:
            if identity == ids.chart_part(fetched.disclosure, card.key):
                component.open = True
            elif identity == ids.card_slot(source.slot_group, card.key, fetched.slot):
                component.children = holding(component.children, fetched.content(source, card.item))
    return placed


@dataclass(frozen=True)
class DrawnCard:
    """A chart's card, the value each of its slots holds (``CARD_SLOTS``) and the item it was
    drawn from (``item``: read from the cache only when asked for)."""

    key: str
    card: Component
    slots: dict[str, Any]
    held_item: Deferred

    @property
    def item(self) -> Any:
        return self.held_item.value

    def shows(self, part: str, digests: dict[str, dict]) -> bool:
        """Whether the page shows what this card's slot ``part`` holds, by the digests of the
        card shown for this chart (``digests``: what the digest store of each chart shown
        holds, by chart; ``chart_card``): the figure's, each other slot's, or for the digest
        store itself, all of them."""
        own, shown = self.slots.get(FIGURE_DIGEST), digests.get(self.key)
        if own is None or shown is None:
            return False
        if part == FIGURE_DIGEST:
            return shown == own
        if part == "figure":
            return shown["figure"] == own["figure"]
        return part in own["slots"] and shown.get("slots", {}).get(part) == own["slots"][part]

    @property
    def redrawn_in_place(self) -> bool:
        """Whether a new selection redraws this card's chart where it is. Not a sankey: Plotly
        fades its ribbons in over half a second whenever it redraws one in place, where a
        sankey drawn afresh shows them at once."""
        figure = self.slots.get("figure") or {}
        return not any(trace.get("type") == "sankey" for trace in figure.get("data", ()))


def _drawn_cards(name: str, filters: Filters, *controls) -> list[DrawnCard]:
    source = flask.current_app.extensions[SOURCES_EXTENSION][name]
    drawn = []
    for item, origin in source.drawn(filters, *controls):
        card = source.card(item, origin, source.slot_group)
        drawn.append(DrawnCard(item.key, card, card_slots(card), Deferred(item)))
    return drawn


@dataclass(frozen=True)
class ShownStates:
    """What the page shows, from a callback's states: what each chart's digest store holds
    (its figure's digest and its other slots'), and the open state of each table and "About"
    (``None`` for one not opened since it was placed)."""

    digests: dict[str, dict]
    disclosures: dict[tuple[str, str], bool | None]


def _shown_states() -> ShownStates:
    """The states of ``slot_states`` posted with this request (their form is
    checked with the request, ``dashboard/errors.py``; an empty digest store holds None)."""
    digests, disclosures = {}, {}
    for state in ctx.states_list:
        for shown in state if isinstance(state, list) else [state]:
            identity, value = shown.get("id"), shown.get("value")
            if not isinstance(identity, dict):
                continue
            if ids.slot_part(identity) == FIGURE_DIGEST and value:
                digests[value["chart"]] = value
            elif identity.get("type") in DISCLOSURES:
                disclosures[(identity["type"], identity["chart"])] = value
    return ShownStates(digests, disclosures)


def _slot_value(
    in_place: dict[str, tuple[ChartSource, DrawnCard]],
    states: ShownStates,
    chart: str,
    part: str,
):
    """What a slot shown is written with: nothing for a card placed anew (it comes with its
    card) or for a slot that holds what the card's would (by the digests shown), else the
    card's value for it. What a table or "About" holds: for one left open, what opening it for
    the new selection gives; for one opened and closed since the card was placed, its
    placeholder again; else nothing."""
    if chart not in in_place:
        return no_update
    source, card = in_place[chart]
    fetched = FETCHED_SLOTS.get(part)
    if fetched is None:
        return no_update if card.shows(part, states.digests) else card.slots[part]
    is_open = states.disclosures.get((fetched.disclosure, chart))
    if is_open is None:
        return no_update
    if not is_open:
        return card.slots[part]
    return holding(card.slots[part], fetched.content(source, card.item))


def slot_outputs(slot_group: str) -> list[Output]:
    """The outputs of the slots of every card drawn from the chart sources of ``slot_group``."""
    return [Output(ids.card_slot(slot_group, ALL, part), prop) for part, prop in CARD_SLOTS.items()]


def slot_states(slot_group: str) -> list[State]:
    """What the cards of ``slot_group`` shown hold: each figure's digest, and whether each
    table and "About" is open. A callback's last states, which ``redraw`` reads from the
    request."""
    return [
        State(ids.card_slot(slot_group, ALL, FIGURE_DIGEST), CARD_SLOTS[FIGURE_DIGEST]),
        *(State(ids.chart_part(fetched.disclosure, ALL), "open") for fetched in FETCHED_PARTS),
    ]


def in_order(drawn: list[DrawnCard]) -> tuple[list[DrawnCard]]:
    """All the cards, in order, in one container."""
    return (drawn,)


def _same_slots(cards: list[DrawnCard], shown: list[list[dict]]) -> bool:
    """Whether the page shows exactly the slots of ``cards`` among those of their charts."""
    charts = {card.key for card in cards}
    return all(
        {output["id"]["chart"] for output in outputs} & charts
        == {card.key for card in cards if part in card.slots}
        for part, outputs in zip(CARD_SLOTS, shown, strict=True)
    )


def chart_source(
    app: Dash,
    repo: Repository,
    name: str,
    build: Callable[..., Sequence],
    table: Callable[[Any], Component] = table_element,
    *,
    card: Callable[[Any, dict, str], Component] = chart_card,
    warm_with: tuple | None = None,
    slot_group: str | None = None,
) -> ChartSource:
    """Memoise ``build(filters, *controls)`` and let cards drawn from it fetch their parts.

    ``warm_with``: the arguments of the page's default view, whose cards a worker draws when
    it starts (and for every locality and care group, ``WarmUp``). ``slot_group``: the name
    the cards' slots share with those of the page's other sources its callback draws (by
    default the source's own).
    """
    source = ChartSource(name, repo.cached(build), repo, slot_group or name, table, card)
    if warm_with is not None:
        # The cards, not only the specs: drawing the map's card takes about 60 ms at 10^6 rows.
        repo.add_warm_up(source.keyed_cards, warm_with)
    app.server.extensions.setdefault(SOURCES_EXTENSION, {})[name] = source
    return source


@dataclass(frozen=True)
class SlotGroup:
    """The chart sources a page draws in one callback (one request a click): their cards' slots
    share the group's ``name``, which the callback's ``slot_outputs`` and ``slot_states`` are
    for, and ``redraw`` takes a drawing from each."""

    app: Dash
    repo: Repository
    name: str

    def source(
        self,
        name: str,
        build: Callable[..., Sequence],
        *,
        card: Callable[[Any, dict, str], Component] = chart_card,
        warm_with: tuple | None = None,
    ) -> ChartSource:
        """A chart source of this group (``chart_source``)."""
        return chart_source(
            self.app, self.repo, name, build, card=card, warm_with=warm_with, slot_group=self.name
        )

    def slot_outputs(self) -> list[Output]:
        return slot_outputs(self.name)

    def slot_states(self) -> list[State]:
        return slot_states(self.name)


@dataclass(frozen=True)
class Origin:
    """What a card's signed origin names: the item it was drawn from, its source and filters."""

    source: ChartSource
    item: Any
    filters: Filters
    data_version: str


def origin_of(payload) -> Origin:
    """The chart a card's signed origin names; no update for a forged or unknown one."""
    fields = verified(payload, flask.current_app.secret_key.encode())
    sources = flask.current_app.extensions.get(SOURCES_EXTENSION, {})
    if fields is None or fields.get("source") not in sources:
        raise PreventUpdate
    source, filters = sources[fields["source"]], Filters.from_dict(fields["filters"])
    items = source.specs(filters, *fields["controls"])
    item = next((i for i in items if i.key == fields["chart"]), None)
    if item is None:
        raise PreventUpdate
    return Origin(source, item, filters, fields["data_version"])


@dataclass(frozen=True)
class FetchedPart:
    """A card's disclosure whose opening fetches what it holds (``part``, inside the card slot
    ``slot``): ``content`` gives that for an item of a chart source."""

    disclosure: str
    part: str
    slot: str
    content: Callable[[ChartSource, Any], Any]


FETCHED_PARTS = (
    FetchedPart(
        ids.TABLE_DISCLOSURE_TYPE, ids.TABLE_TYPE, "table", lambda source, item: source.table(item)
    ),
    FetchedPart(
        ids.ABOUT_DISCLOSURE_TYPE, ids.ABOUT_TYPE, "about", lambda _source, item: about_list(item)
    ),
)
FETCHED_SLOTS = {fetched.slot: fetched for fetched in FETCHED_PARTS}
DISCLOSURES = {fetched.disclosure for fetched in FETCHED_PARTS}


def _register_disclosure(app: Dash, fetched: FetchedPart) -> None:
    @app.callback(
        Output(ids.chart_part(fetched.part, MATCH), "children"),
        Input(ids.chart_part(fetched.disclosure, MATCH), "open"),
        State(ids.chart_part(ids.CHART_ORIGIN_TYPE, MATCH), "data"),
        prevent_initial_call=True,
    )
    def opened(is_open, payload):
        # A filter change writes what an open disclosure holds itself (``redraw``).
        if not is_open:
            raise PreventUpdate
        origin = origin_of(payload)
        if origin.data_version != origin.source.repo.data_version():
            return html.P(DATA_CHANGED, className="small mb-0", role="status")
        return fetched.content(origin.source, origin.item)


def shown_address(address, href: str | None) -> str:
    """The address the browser shows (``{"href": ...}``, written by assets/view.js as it puts
    the view in the address), or else the one the page was opened at."""
    shown = address.get("href") if isinstance(address, dict) else None
    return shown if isinstance(shown, str) and shown else href or ""


def register(app: Dash, repo: Repository) -> None:
    for fetched in FETCHED_PARTS:
        _register_disclosure(app, fetched)

    @app.callback(
        Output(ids.chart_part(ids.CSV_DOWNLOAD_TYPE, MATCH), "data"),
        Input(ids.chart_part(ids.CSV_BUTTON_TYPE, MATCH), "n_clicks"),
        State(ids.chart_part(ids.CHART_ORIGIN_TYPE, MATCH), "data"),
        State(ids.VIEW_ADDRESS, "data"),
        State(ids.URL, "href"),
        prevent_initial_call=True,
    )
    def download_csv(_clicks, payload, address, href):
        origin = origin_of(payload)
        spec = origin.item
        info = ExportInfo(
            link=shown_address(address, href), data_version=repo.data_version(), made=date.today()
        )
        return dcc.send_string(
            csv_header(spec, info) + to_csv(spec),
            export_filename(spec, origin.filters, "csv"),
            type="text/csv",
        )

    @app.callback(
        Output(ids.chart_part(ids.IMAGE_DOWNLOAD_TYPE, MATCH), "data"),
        Output(ids.chart_part(ids.IMAGE_PROBLEM_TYPE, MATCH), "children"),
        Input(ids.image_button(MATCH, ALL), "n_clicks"),
        State(ids.chart_part(ids.CHART_ORIGIN_TYPE, MATCH), "data"),
        State(ids.VIEW_ADDRESS, "data"),
        State(ids.URL, "href"),
        prevent_initial_call=True,
    )
    def download_image(clicks, payload, address, href):
        if not any(clicks) or not isinstance(ctx.triggered_id, dict):
            raise PreventUpdate
        variant = ctx.triggered_id["variant"]
        if variant not in dict(IMAGE_VARIANTS):  # only a crafted request names another
            raise CallbackRequestError(f"No image of the kind {str(variant)[:40]!r} is offered.")
        preset_key, image_format = variant.split("-")
        origin = origin_of(payload)
        spec, preset = origin.item, PRESETS[preset_key]
        info = ExportInfo(
            link=shown_address(address, href), data_version=repo.data_version(), made=date.today()
        )
        try:
            image = rendering.render(export_figure(spec, info, preset), image_format, preset)
        except rendering.RenderingUnavailable as problem:
            logger.warning("An image of %s could not be made: %s", spec.key, problem)
            return no_update, IMAGE_PROBLEM.format(problem=problem)
        name = export_filename(spec, origin.filters, image_format, preset=preset_key)
        if image_format == "svg":
            return dcc.send_string(image.decode(), name, type=MEDIA_TYPES["svg"]), ""
        return dcc.send_bytes(image, name, type=MEDIA_TYPES["png"]), ""
