"""A filter change on a page that already shows its cards rewrites each card's slots in place.

Through Flask's test client, as the browser posts them: the first draw places the cards; a later
change, posted with the slots the page then shows, answers with the slots alone, holding exactly
what a first draw for the new filters holds; a page whose cards differ gets the cards anew.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from dashboard import ids
from dashboard.callbacks.chart_parts import FETCHED_SLOTS
from dashboard.components.chart_card import CARD_SLOTS, FIGURE_DIGEST, TABLE_PLACEHOLDER
from dashboard.components.fold import FOLDED_CLASS, OPENING_TEXT, PRINTED_TEXT
from dashboard.filters import Filters
from dashboard.views.investment import DEFAULT_DENOMINATOR
from dashboard.views.reach import DEFAULT_BASE, DEFAULT_MEASURE
from dashboard.views.targets import TARGET_CHOICES
from tests.support.callbacks import CALLBACK_PATH, about_request, cards_request, table_request

DEFAULT = Filters().to_dict()
CHOSEN = Filters("cas-2013", "thanet-dover", "dementia").to_dict()
REACH_CONTROLS = tuple(
    {"id": control, "property": "value", "value": value}
    for control, value in (
        (ids.REACH_MEASURE, DEFAULT_MEASURE),
        (ids.REACH_COLOUR_MODE, "value"),
        (ids.REACH_MAP_KIND, "boundaries"),
        (ids.REACH_CONFIDENCE, "95"),
        (ids.REACH_BASE, DEFAULT_BASE),
    )
)
# (containers, the slot group of the cards, the containers whose cards are placed anew for
# ``CHOSEN``, how the callback is asked beside the filters: ``cards_request``'s ``more_inputs``
# at the page's defaults, or ``fold_open``): callbacks
# drawing cards from one or several chart sources (short breaks' "More detail" while it is
# open; the reach map's credit is an output before the containers, written with every
# answer). The funding flow is a sankey, drawn afresh when its figure changes (as it does for
# ``CHOSEN``);
# the 2009/10 and published short-breaks charts have no figure for a locality.
CALLBACKS = [
    ((ids.FUNDING_SPLIT_CHARTS, ids.FUNDING_FLOW), "funding", {ids.FUNDING_FLOW}, {}),
    (
        (ids.INVESTMENT_CHARTS, ids.INVESTMENT_DETAIL, ids.INVESTMENT_HOURS),
        ids.INVESTMENT_SLOTS,
        set(),
        {
            "more_inputs": (
                {
                    "id": ids.INVESTMENT_DENOMINATOR,
                    "property": "value",
                    "value": DEFAULT_DENOMINATOR,
                },
            )
        },
    ),
    (
        (ids.REACH_MAP_CREDIT, ids.REACH_MAP_CARD, ids.REACH_CHARTS, ids.REACH_HOURS),
        ids.REACH_SLOTS,
        {ids.REACH_MAP_CREDIT},
        {"more_inputs": REACH_CONTROLS},
    ),
    (
        (ids.TARGETS_CHARTS, ids.TARGETS_NEW_CARERS, ids.TARGETS_LOCALITY_CHART),
        ids.TARGETS_SLOTS,
        set(),
        {
            "more_inputs": (
                {"id": ids.TARGETS_MEASURE, "property": "value", "value": TARGET_CHOICES[0][0]},
            )
        },
    ),
    ((ids.SHORT_BREAKS_CHARTS,), "short-breaks", set(), {}),
    (
        (ids.SHORT_BREAKS_DETAIL,),
        "short-breaks-detail",
        {ids.SHORT_BREAKS_DETAIL},
        {"fold_open": True},
    ),
]


def _post(client, request: dict) -> dict:
    response = client.post(CALLBACK_PATH, json=request)
    assert response.status_code == 200
    return response.get_json()["response"]


def _components(children) -> Iterator[dict]:
    """The props of each component in ``children`` (the JSON of placed cards)."""
    stack = [children]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            props = item.get("props", {})
            yield props
            stack.extend(value for value in props.values() if isinstance(value, list | dict))


def _slots(children) -> dict[str, object]:
    """Each card slot in ``children`` (the JSON of placed cards): its id as JSON, its value."""
    found = {}
    for props in _components(children):
        identity = props.get("id")
        part = ids.slot_part(identity)
        if part is not None:
            found[json.dumps(identity, sort_keys=True)] = props[CARD_SLOTS[part]]
    return found


def _props(children, identity) -> dict:
    """The props of the component ``identity`` in ``children``."""
    for props in _components(children):
        if props.get("id") == identity:
            return props
    raise AssertionError(f"no component {identity}")


def _written(answer: dict) -> dict[str, object]:
    """Each slot an answer writes: its id as JSON, its value."""
    return {
        json.dumps(json.loads(key), sort_keys=True): value
        for key, props in answer.items()
        if key.startswith("{")
        for value in props.values()
    }


def _shown(slots: dict[str, object]) -> tuple[dict, ...]:
    return tuple(json.loads(key) for key in slots)


def _part(key: str) -> str:
    return ids.slot_part(json.loads(key))


# What a table or "About" holds: written on a change only if it was opened since its card was
# placed (``test_an_open_table_or_about_follows_the_filters...``).
UNOPENED = tuple(FETCHED_SLOTS)


def _after(answer: dict, containers, shown: dict[str, object] | None = None) -> dict[str, object]:
    """Each slot the page holds after ``answer``: those it wrote or placed, and of the slots
    ``shown`` before it (when given), those of the cards it left mounted that it did not write
    (but for an unopened table or "About", as ``_as_drawn``)."""
    placed = _placed(answer, containers)
    replaced = {json.loads(key)["chart"] for key in placed}
    kept = {
        key: value
        for key, value in (shown or {}).items()
        if json.loads(key)["chart"] not in replaced and _part(key) not in UNOPENED
    }
    return {**kept, **_written(answer), **placed}


def _as_drawn(slots: dict[str, object], answer: dict, containers) -> dict[str, object]:
    """``slots`` (a first draw's) without the unopened tables and "About" of the cards that
    ``answer`` leaves mounted: the slots such an answer is to match."""
    placed = _placed(answer, containers)
    return {
        key: value for key, value in slots.items() if key in placed or _part(key) not in UNOPENED
    }


def _placed(answer: dict, containers) -> dict[str, object]:
    """The slots of every card an answer places, in any of ``containers``."""
    return {
        key: value
        for container in containers
        if container in answer
        for key, value in _slots(answer[container]["children"]).items()
    }


@pytest.mark.parametrize(("containers", "slot_group", "afresh", "more"), CALLBACKS)
def test_a_filter_change_writes_each_slot_as_a_first_draw_would(
    client, containers, slot_group, afresh, more
):
    def request(filters, shown=(), values=None):
        return cards_request(containers, slot_group, filters, shown, shown_values=values, **more)

    client.get("/")
    shown = _placed(_post(client, request(DEFAULT)), containers)
    parts = {_part(key) for key in shown}
    assert {
        "head",
        "subtitle",
        "demo",
        "figure",
        FIGURE_DIGEST,
        "table",
        "about",
        "origin",
    } <= parts

    # Posted with the figures it shows, as the page posts them: every one of them changes.
    answer = _post(client, request(CHOSEN, _shown(shown), shown))
    fresh = _placed(_post(client, request(CHOSEN)), containers)

    # The cards stay mounted, but for those placed anew; no slot is written with what it
    # holds already.
    assert {container for container in containers if container in answer} == afresh
    assert _after(answer, containers, shown) == _as_drawn(fresh, answer, containers)
    assert fresh != shown  # the chosen filters change what the cards say
    written = _written(answer)
    assert bool(written) == bool(set(containers) - afresh)
    assert not any(shown[key] == value for key, value in written.items())


@pytest.mark.parametrize(("containers", "slot_group", "afresh", "more"), CALLBACKS)
def test_cards_are_placed_anew_when_the_page_shows_other_slots(
    client, containers, slot_group, afresh, more
):
    def request(filters, shown=()):
        return cards_request(containers, slot_group, filters, shown, **more)

    client.get("/")
    shown = _placed(_post(client, request(DEFAULT)), containers)
    missing, *others = _shown(shown)
    stranger = {**missing, "chart": "no-such-chart"}

    # One slot fewer: the container of that card gets its cards anew, the others stay.
    answer = _post(client, request(DEFAULT, tuple(others)))
    assert json.dumps(missing, sort_keys=True) in _placed(answer, containers)
    assert _after(answer, containers) == _as_drawn(shown, answer, containers)

    # A card of a chart the selection does not have: every container gets its cards anew.
    answer = _post(client, request(DEFAULT, (*_shown(shown), stranger)))
    assert _placed(answer, containers) == shown
    assert _written(answer) == {}


FUNDING = ((ids.FUNDING_SPLIT_CHARTS, ids.FUNDING_FLOW), "funding")


def test_a_change_that_leaves_the_figures_as_shown_does_not_send_or_redraw_them(client):
    # Funding is not recorded by care group: choosing one leaves all four funding charts as
    # they are, the sankey too, which is otherwise drawn afresh on every change.
    client.get("/")
    shown = _placed(_post(client, cards_request(*FUNDING, DEFAULT)), FUNDING[0])
    care_group = Filters(care_group="dementia").to_dict()
    fresh = _placed(_post(client, cards_request(*FUNDING, care_group)), FUNDING[0])
    figures = {key: value for key, value in fresh.items() if _part(key) == "figure"}
    assert len(figures) == 4
    assert all(shown[key] == value for key, value in figures.items())

    answer = _post(client, cards_request(*FUNDING, care_group, _shown(shown), shown_values=shown))
    written = _written(answer)
    assert not any(container in answer for container in FUNDING[0])  # nothing mounted anew
    # Only what the new selection changes is written (the origin is new), a table or "About"
    # not opened since its card was placed, not at all.
    assert written == {
        key: value
        for key, value in fresh.items()
        if value != shown[key] and _part(key) not in UNOPENED
    }
    assert {_part(key) for key in written} >= {"origin", "subtitle"}
    assert {_part(key) for key in written}.isdisjoint({"figure", "head", "demo"})

    # A page whose digests say it shows another title gets the title written.
    digests = next(k for k in shown if _part(k) == FIGURE_DIGEST and "funding-split" in k)
    stale = {**shown[digests], "slots": {**shown[digests]["slots"], "head": "another title"}}
    answer = _post(
        client,
        cards_request(*FUNDING, care_group, _shown(shown), shown_values={**shown, digests: stale}),
    )
    head = digests.replace(FIGURE_DIGEST, "head")
    assert {key for key in _written(answer) if _part(key) == "head"} == {head}
    assert _written(answer)[head] == fresh[head]

    # Without the figures shown (or with figures of another selection) they are sent.
    answer = _post(client, cards_request(*FUNDING, care_group, _shown(shown)))
    assert ids.FUNDING_FLOW in answer
    assert _after(answer, FUNDING[0]) == _as_drawn(fresh, answer, FUNDING[0])


def test_only_the_figures_the_page_shows_are_left_out(client):
    # The page posts the digests of two split charts only (as a page mid-way through drawing
    # might): the third split chart's figure is sent, and the flow, whose figure the page does
    # not say it shows, is mounted afresh.
    client.get("/")
    shown = _placed(_post(client, cards_request(*FUNDING, DEFAULT)), FUNDING[0])
    care_group = Filters(care_group="dementia").to_dict()
    fresh = _placed(_post(client, cards_request(*FUNDING, care_group)), FUNDING[0])
    kept = {"funding-split", "funding-over-time"}
    posted = {
        key: value
        for key, value in shown.items()
        if _part(key) == FIGURE_DIGEST and json.loads(key)["chart"] in kept
    }

    answer = _post(client, cards_request(*FUNDING, care_group, _shown(shown), shown_values=posted))
    written = _written(answer)
    assert ids.FUNDING_FLOW in answer and ids.FUNDING_SPLIT_CHARTS not in answer
    sent = {json.loads(key)["chart"] for key in written if _part(key) == "figure"}
    assert sent == {"funding-nhs-share"}
    placed = _placed(answer, FUNDING[0])
    assert {json.loads(key)["chart"] for key in placed} == {"funding-flow"}
    assert all(fresh[key] == value for key, value in {**written, **placed}.items())
    # Of a chart whose digests were posted, only what changed; of the other, every slot.
    assert set(written) == {
        key
        for key, value in fresh.items()
        if json.loads(key)["chart"] != "funding-flow"
        and _part(key) not in UNOPENED
        and (json.loads(key)["chart"] not in kept or value != shown[key])
    }


@pytest.mark.parametrize(
    "posted",
    [
        None,
        {"chart": "funding-split", "figure": "not this figure's digest"},
        {"chart": "funding-split", "figure": "x", "slots": {"head": "not this title's digest"}},
    ],
)
def test_digests_of_other_figures_get_the_figures_sent_again(client, posted):
    client.get("/")
    shown = _placed(_post(client, cards_request(*FUNDING, DEFAULT)), FUNDING[0])
    care_group = Filters(care_group="dementia").to_dict()
    request = cards_request(*FUNDING, care_group, _shown(shown))
    request["state"][0] = [{**item, "value": posted} for item in request["state"][0]]
    answer = _post(client, request)
    fresh = _placed(_post(client, cards_request(*FUNDING, care_group)), FUNDING[0])
    assert _after(answer, FUNDING[0]) == _as_drawn(fresh, answer, FUNDING[0])


@pytest.mark.parametrize(
    "posted",
    [
        "text",
        {},
        {"chart": 1, "figure": "x"},
        {"chart": "funding-split"},
        {"chart": "funding-split", "figure": {"nested": "value"}},
        {"chart": "funding-split", "figure": "x", "more": "y"},
        {"chart": "funding-split", "figure": "x", "slots": "text"},
        {"chart": "funding-split", "figure": "x", "slots": {"no-such-part": "x"}},
        {"chart": "funding-split", "figure": "x", "slots": {"head": ["x"]}},
    ],
)
def test_a_figure_digest_not_in_its_form_is_refused(client, posted):
    client.get("/")
    shown = _placed(_post(client, cards_request(*FUNDING, DEFAULT)), FUNDING[0])
    request = cards_request(*FUNDING, CHOSEN, _shown(shown))
    request["state"][0] = [{**item, "value": posted} for item in request["state"][0]]
    response = client.post(CALLBACK_PATH, json=request)
    assert response.status_code == 400
    assert b"must be" in response.data


def _fold_request(filters: dict, shown: tuple[dict, ...], *, is_open) -> dict:
    return cards_request(
        (ids.SHORT_BREAKS_DETAIL,), "short-breaks-detail", filters, shown, fold_open=is_open
    )


def _placeholder_texts(placed: dict) -> list[str] | None:
    """The texts of the folded section's placeholder, or None when ``placed`` is not it."""
    if FOLDED_CLASS not in placed["props"].get("className", ""):
        return None
    return [span["props"]["children"] for span in placed["props"]["children"]]


def test_folded_charts_are_drawn_when_opened_and_removed_by_a_new_selection(client):
    # The browser asks only when what the section shows changes (``foldRequest``, whose
    # choices the browser test of the fold checks): opened, or folded after a new selection.
    client.get("/")

    # Opened: its charts for the current filters, as any other container's.
    opened = _post(client, _fold_request(CHOSEN, (), is_open=True))
    shown = _placed(opened, (ids.SHORT_BREAKS_DETAIL,))
    assert len({json.loads(key)["chart"] for key in shown}) == 4

    # A new selection while folded: the charts of the old one go, with the placeholder instead.
    answer = _post(client, _fold_request(DEFAULT, _shown(shown), is_open=False))
    placed = answer[ids.SHORT_BREAKS_DETAIL]["children"]
    assert _placeholder_texts(placed) == [OPENING_TEXT, PRINTED_TEXT]
    assert _slots(placed) == {} and _written(answer) == {}


@pytest.mark.parametrize(
    "asked",
    [
        {"filters": DEFAULT},
        {"filters": DEFAULT, "open": "yes"},
        {"filters": {"locality": "nowhere"}, "open": True},
        {"filters": DEFAULT, "open": True, "more": 1},
        ["open"],
    ],
)
def test_a_fold_request_the_browser_could_not_have_written_is_refused(client, asked):
    client.get("/")
    request = _fold_request(DEFAULT, (), is_open=True)
    request["inputs"][0]["value"] = asked
    response = client.post(CALLBACK_PATH, json=request)
    assert response.status_code == 400
    assert ids.SHORT_BREAKS_DETAIL_REQUEST.encode() in response.data


def _origin_store(answer: dict, chart: str) -> dict:
    """A funding card's origin store as the page holds it after ``answer`` (id and data)."""
    key = json.dumps(ids.card_slot("funding", chart, "origin"), sort_keys=True)
    store = {**_placed(answer, FUNDING[0]), **_written(answer)}[key]["props"]
    return {"id": store["id"], "data": store["data"]}


def test_an_open_table_or_about_follows_the_filters_and_one_closed_since_is_emptied(app, client):
    # A commissioner opened the split chart's table and notes, and the NHS share's table, which
    # they then closed, and the flow's table; then chose a locality and a care group.
    client.get("/")
    first = _post(client, cards_request(*FUNDING, DEFAULT))
    shown = _placed(first, FUNDING[0])
    opened = {
        (ids.TABLE_DISCLOSURE_TYPE, "funding-split"): True,
        (ids.ABOUT_DISCLOSURE_TYPE, "funding-split"): True,
        (ids.TABLE_DISCLOSURE_TYPE, "funding-nhs-share"): False,
        (ids.TABLE_DISCLOSURE_TYPE, "funding-flow"): True,
    }
    answer = _post(
        client, cards_request(*FUNDING, CHOSEN, _shown(shown), shown_values=shown, opened=opened)
    )
    written = _written(answer)

    def holds(chart: str, part: str):
        """What the disclosure shows after the answer; None when the answer leaves it."""
        key = json.dumps(ids.card_slot("funding", chart, part), sort_keys=True)
        return written[key]["props"]["children"] if key in written else None

    def opening(request) -> object:
        (props,) = client.post(CALLBACK_PATH, json=request).get_json()["response"].values()
        return props["children"]

    # The open ones hold what opening them for the new selection gives, not the old rows; the
    # element holding them keeps its id, so opening it again fetches into it.
    new, old = _origin_store(answer, "funding-split"), _origin_store(first, "funding-split")
    assert holds("funding-split", "table") == opening(table_request(app, new))
    assert holds("funding-split", "table") != opening(table_request(app, old))
    assert holds("funding-split", "about") == opening(about_request(app, new))
    key = json.dumps(ids.card_slot("funding", "funding-split", "table"), sort_keys=True)
    assert written[key]["props"]["id"] == ids.chart_part(ids.TABLE_TYPE, "funding-split")
    # The one closed since holds the placeholder again; those never opened are left alone.
    assert holds("funding-nhs-share", "table") == TABLE_PLACEHOLDER
    assert holds("funding-nhs-share", "about") is None
    assert holds("funding-over-time", "table") is None
    # The flow is placed anew for these filters: its new card comes with its table open again,
    # holding what opening it for the new selection gives, and its "About" closed as it was.
    assert ids.FUNDING_FLOW in answer
    assert holds("funding-flow", "table") is None  # it comes with its card
    flow = answer[ids.FUNDING_FLOW]["children"]
    assert _props(flow, ids.chart_part(ids.TABLE_DISCLOSURE_TYPE, "funding-flow"))["open"] is True
    assert not _props(flow, ids.chart_part(ids.ABOUT_DISCLOSURE_TYPE, "funding-flow")).get("open")
    flow_table = _placed(answer, FUNDING[0])[
        json.dumps(ids.card_slot("funding", "funding-flow", "table"), sort_keys=True)
    ]
    new_flow = _origin_store(answer, "funding-flow")
    assert flow_table["props"]["children"] == opening(table_request(app, new_flow))
    assert flow_table["props"]["id"] == ids.chart_part(ids.TABLE_TYPE, "funding-flow")
    # The card drawn for these filters is kept as drawn: asked again with nothing open, closed.
    again = _post(client, cards_request(*FUNDING, CHOSEN, _shown(shown), shown_values=shown))
    flow_again = again[ids.FUNDING_FLOW]["children"]
    assert not _props(flow_again, ids.chart_part(ids.TABLE_DISCLOSURE_TYPE, "funding-flow")).get(
        "open"
    )
