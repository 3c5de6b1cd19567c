"""The parts of a chart card fetched on demand: its table, its notes, its CSV and its images.

A page's callback draws its cards from a ``ChartSource``: the page's view functions for one set
of filters and page controls, memoised with ``Repository.cached``. Each card (the overview's
headline cards too, for their trend tables) holds the signed name of that result (source,
filters, controls, chart, data version), and opening its table or "About", or pressing a
download, sends the name back; the same memoised result gives the table, notes, CSV and image,
so opening a table never recomputes the page. The link in each file is the address the user is
looking at.
"""

from __future__ import annotations

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
from dashboard.charts import to_csv
from dashboard.components.chart_card import (
    CARD_SLOTS,
    FIGURE_DIGEST,
    about_list,
    card_slots,
    chart_card,
    table_element,
)
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
KEPT_WITH_FIGURE = ("figure", FIGURE_DIGEST)  # the slots not written for a figure shown already


@dataclass(frozen=True)
class ChartSource:
    """A page's charts for one selection: ``specs(filters, *controls)``, memoised.

    ``specs`` gives items with a ``key``: chart specs, or the overview's headlines, whose
    ``table`` is their own. ``controls`` are the page's own control values (text, numbers or
    flags), written as JSON into each card's origin and read back unchanged.
    """

    name: str
    specs: Callable[..., Sequence]
    repo: Repository
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

    def slot_outputs(self) -> list[Output]:
        """The outputs ``redraw`` writes the cards' slots to: a callback's last outputs."""
        return slot_outputs(self.name)

    def slot_states(self) -> list[State]:
        """What each card shown holds as its figure's digest: a callback's last state, passed
        to ``redraw`` as ``shown_figures``."""
        return [State(ids.card_slot(self.name, ALL, FIGURE_DIGEST), CARD_SLOTS[FIGURE_DIGEST])]

    def redraw(
        self,
        group: Callable[[list[DrawnCard]], tuple[list[DrawnCard], ...]],
        filters: Filters,
        *controls,
        shown_figures: Sequence = (),
    ) -> tuple:
        """A callback's outputs for this selection: the children of each container the cards
        go in (``group(cards)`` gives each container's cards), then ``slot_outputs``.

        A container that already shows a card of each of its charts, with the same slots, is
        left alone and its cards' slots are written in place: the cards stay mounted, and
        Plotly redraws each chart where it is instead of purging it and drawing it afresh.
        Any other container (on the first draw, when a chart became unavailable, or one holding
        a chart that is not ``redrawn_in_place`` and whose figure changed) gets its cards anew.

        ``shown_figures`` (``slot_states``): a chart whose figure is the one shown is not sent
        or redrawn at all, sankey or not; for example every funding chart on a change of care
        group, which funding is not recorded by.
        """
        groups = group(self.keyed_cards(filters, *controls))
        shown = ctx.outputs_list[-len(CARD_SLOTS) :]
        shown_charts = {output["id"]["chart"] for outputs in shown for output in outputs}
        drawn_charts = {card.key for cards in groups for card in cards}
        digests = _shown_digests(shown_figures)
        kept = {card.key for cards in groups for card in cards if card.figure_in(digests)}
        placed, in_place = [], {}
        for cards in groups:
            if (
                shown_charts <= drawn_charts
                and all(card.redrawn_in_place or card.key in kept for card in cards)
                and _same_slots(cards, shown)
            ):
                placed.append(no_update)
                in_place.update((card.key, card.slots) for card in cards)
            else:
                placed.append([card.card for card in cards])
        return (
            *placed,
            *(
                [_slot_value(in_place, kept, output["id"]["chart"], part) for output in outputs]
                for part, outputs in zip(CARD_SLOTS, shown, strict=True)
            ),
        )

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
class DrawnCard:
    """A chart's card and the value each of its slots holds (``CARD_SLOTS``)."""

    key: str
    card: Component
    slots: dict[str, Any]

    def figure_in(self, digests: dict[str, str]) -> bool:
        """Whether the page shows this card's figure already (``digests``: by chart)."""
        own = (self.slots.get(FIGURE_DIGEST) or {}).get("figure")
        return own is not None and digests.get(self.key) == own

    @property
    def redrawn_in_place(self) -> bool:
        """Whether a new selection redraws this card's chart where it is. Not a sankey: Plotly
        fades its ribbons in over half a second whenever it redraws one in place, where a
        sankey drawn afresh shows them at once."""
        figure = self.slots.get("figure") or {}
        return not any(trace.get("type") == "sankey" for trace in figure.get("data", ()))


def _drawn_cards(name: str, filters: Filters, *controls) -> list[DrawnCard]:
    source = flask.current_app.extensions[SOURCES_EXTENSION][name]
    drawn = source.drawn(filters, *controls)
    cards = [(item.key, source.card(item, origin, name)) for item, origin in drawn]
    return [DrawnCard(key, card, card_slots(card)) for key, card in cards]


def _shown_digests(shown_figures: Sequence) -> dict[str, str]:
    """The figure digest of each chart, from the digest stores a page posts (their form is
    checked with the request, ``dashboard/errors.py``; an empty store holds None)."""
    return {shown["chart"]: shown["figure"] for shown in shown_figures or () if shown}


def _slot_value(in_place: dict[str, dict], kept: set[str], chart: str, part: str):
    """What a slot shown is written with: nothing for a card placed anew (it comes with its
    card) or for a figure the page shows already, else the card's value for it."""
    if chart not in in_place or (chart in kept and part in KEPT_WITH_FIGURE):
        return no_update
    return in_place[chart][part]


def slot_outputs(source: str) -> list[Output]:
    """The outputs of the slots of every card drawn from the chart source named ``source``."""
    return [Output(ids.card_slot(source, ALL, part), prop) for part, prop in CARD_SLOTS.items()]


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
) -> ChartSource:
    """Memoise ``build(filters, *controls)`` and let cards drawn from it fetch their parts.

    ``warm_with``: the arguments of the page's default view, whose cards a worker draws when
    it starts (and for every locality and care group, ``WarmUp``).
    """
    source = ChartSource(name, repo.cached(build), repo, table, card)
    if warm_with is not None:
        # The cards, not only the specs: drawing the map's card takes about 60 ms at 10^6 rows.
        repo.add_warm_up(source.keyed_cards, warm_with)
    app.server.extensions.setdefault(SOURCES_EXTENSION, {})[name] = source
    return source


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


# Each disclosure whose opening fetches what it holds: (the part it holds, what that is for the
# chart a card was drawn from).
FETCHED_DISCLOSURES: dict[str, tuple[str, Callable[[Origin], Component]]] = {
    ids.TABLE_DISCLOSURE_TYPE: (ids.TABLE_TYPE, lambda origin: origin.source.table(origin.item)),
    ids.ABOUT_DISCLOSURE_TYPE: (ids.ABOUT_TYPE, lambda origin: about_list(origin.item)),
}


def _register_disclosure(app: Dash, disclosure: str, part: str, content) -> None:
    @app.callback(
        Output(ids.chart_part(part, MATCH), "children"),
        Input(ids.chart_part(disclosure, MATCH), "open"),
        State(ids.chart_part(ids.CHART_ORIGIN_TYPE, MATCH), "data"),
        prevent_initial_call=True,
    )
    def opened(is_open, payload):
        # Redrawn cards start closed, with the placeholder: opening fetches the content again.
        if not is_open:
            raise PreventUpdate
        origin = origin_of(payload)
        if origin.data_version != origin.source.repo.data_version():
            return html.P(DATA_CHANGED, className="small mb-0", role="status")
        return content(origin)


def shown_address(address, href: str | None) -> str:
    """The address the browser shows (``{"href": ...}``, written by assets/view.js as it puts
    the view in the address), or else the one the page was opened at."""
    shown = address.get("href") if isinstance(address, dict) else None
    return shown if isinstance(shown, str) and shown else href or ""


def register(app: Dash, repo: Repository) -> None:
    for disclosure, (part, content) in FETCHED_DISCLOSURES.items():
        _register_disclosure(app, disclosure, part, content)

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
            export_filename(spec.key, origin.filters, spec.period_label, "csv"),
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
        preset_key, image_format = ctx.triggered_id["variant"].split("-")
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
        name = export_filename(
            spec.key, origin.filters, spec.period_label, image_format, preset=preset_key
        )
        if image_format == "svg":
            return dcc.send_string(image.decode(), name, type=MEDIA_TYPES["svg"]), ""
        return dcc.send_bytes(image, name, type=MEDIA_TYPES["png"]), ""
