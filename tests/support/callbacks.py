"""Build Dash callback requests for every registered server callback, as the browser sends them.

``realistic_posts(app, repo)`` yields (output, body) pairs: every callback with the default
values of its inputs, then each input varied over the values its page or the filters offer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

import dash
from dash import Output
from dash.development.base_component import Component

from dashboard import ids
from dashboard.callback_requests import Callback, callbacks_from_map
from dashboard.callbacks.chart_parts import FETCHED_PARTS, slot_outputs
from dashboard.components.chart_card import CARD_SLOTS, FIGURE_DIGEST, IMAGE_VARIANTS
from dashboard.errors import static_options
from dashboard.filters import Filters

CALLBACK_PATH = "/_dash-update-component"
PAGE_PATHS = (
    "/",
    "/funding",
    "/reach",
    "/investment",
    "/planner",
    "/short-breaks",
    "/targets",
    "/changes",
)
ALL_WILDCARD_VALUES = {
    "path": PAGE_PATHS,
    "variant": tuple(variant for variant, _label in IMAGE_VARIANTS),
}


def server_callbacks(app) -> dict[str, Callback]:
    """The app's server-side callbacks (the first request registers Dash's page router)."""
    app.server.test_client().get("/")
    return callbacks_from_map(app.callback_map)


def filter_states(repo) -> list[dict]:
    """The default filters, a locality of each scheme, a care group, the latest and oldest year."""
    choices = repo.reference().filter_choices()
    states = [Filters()]
    states += [
        Filters(scheme, next(iter(places)))
        for scheme, places in choices.localities.items()
        if places
    ]
    states.append(Filters(care_group=next(iter(choices.care_groups))))
    years = [slug for slug in choices.periods if len(slug) == 7]
    states += [Filters(period=years[0]), Filters(period=years[-1])]
    return [state.to_dict() for state in states]


def candidate_values(app, repo) -> dict[tuple, list]:
    """For each (component id or pattern type, property), the values a user can produce."""
    choices = repo.reference().filter_choices()
    districts = list(repo.reference().districts["code"])
    values: dict[tuple, list] = {
        (key, "value"): sorted(options, key=str) for key, options in static_options(app).items()
    }
    values.update(
        {
            (ids.FILTER_STATE, "data"): filter_states(repo),
            (ids.URL, "search"): ["", "?care_group=dementia", "?period=2015-16", "?locality=x"],
            (ids.URL, "pathname"): list(PAGE_PATHS),
            ("_pages_location", "pathname"): list(PAGE_PATHS),
            ("_pages_location", "search"): [""],
            (ids.FILTER_SCHEME, "value"): list(choices.scheme_names),
            (ids.FILTER_LOCALITY, "value"): ["all", *list(choices.localities["cas-2013"])[:2]],
            (ids.FILTER_CARE_GROUP, "value"): ["all", *choices.care_groups],
            (ids.FILTER_PERIOD, "value"): ["latest", *list(choices.periods)[:3]],
            (ids.REACH_DISTRICT, "value"): ["", "none", *districts],
            (ids.CARD_SLOT_TYPE, "clickData"): [{"points": [{"location": districts[0]}]}, None],
            (ids.CHANGES_SINCE, "value"): ["2000-01-01", "", "not a date"],
            (ids.PLANNER_BUDGET, "value"): ["", "8m", "lots", "0", "-5", "1e400", None],
            (ids.CSV_BUTTON_TYPE, "n_clicks"): [1],
            (ids.TABLE_DISCLOSURE_TYPE, "open"): [True, False],
            (ids.ABOUT_DISCLOSURE_TYPE, "open"): [True, False],
            (ids.SHORT_BREAKS_FOLD, "open"): [True, False, None],
            (ids.SHORT_BREAKS_DETAIL_REQUEST, "data"): [
                {"filters": state, "open": is_open}
                for state in filter_states(repo)[:2]
                for is_open in (True, False)
            ],
            (ids.CHART_ORIGIN_TYPE, "data"): [{"body": "{}", "signature": "not-signed"}],
        }
    )
    return values


def concrete_id(pattern: str | dict) -> str | dict:
    """A component id matching ``pattern`` (wildcards filled in)."""
    if isinstance(pattern, str):
        return pattern
    return {key: "chart-1" if isinstance(v, list) else v for key, v in pattern.items()}


def entry(pattern, prop: str, value) -> dict | list:
    """One inputs/state item: a list of matches for an ALL wildcard, else one component.

    The ALL key takes the values the pages give it (a link's path, an image button's variant);
    an ``id`` property holds the component's own id (an input that calls a callback once, when
    its page is drawn).
    """
    if isinstance(pattern, dict) and ["ALL"] in pattern.values():
        wildcard = next(key for key, v in pattern.items() if v == ["ALL"])
        matches = [
            {**concrete_id(pattern), wildcard: option}
            for option in ALL_WILDCARD_VALUES.get(wildcard, ("item-1", "item-2"))
        ]
        return [
            {"id": match, "property": prop, "value": match if prop == "id" else value}
            for match in matches
        ]
    component = concrete_id(pattern)
    return {"id": component, "property": prop, "value": component if prop == "id" else value}


def body(output: str, callback: Callback, values: dict) -> dict:
    """The request the renderer would send with ``values[(key, prop)]`` for every input."""

    def key(pattern):
        return pattern.get("type") if isinstance(pattern, dict) else pattern

    outputs = [entry(pattern, prop, None) for pattern, prop in callback.outputs]
    outputs = [
        [{"id": o["id"], "property": o["property"]} for o in item]
        if isinstance(item, list)
        else {"id": item["id"], "property": item["property"]}
        for item in outputs
    ]
    request = {
        "output": output,
        "outputs": outputs[0] if len(outputs) == 1 else outputs,
        "inputs": [entry(p, prop, values.get((key(p), prop))) for p, prop in callback.inputs],
        "state": [entry(p, prop, values.get((key(p), prop))) for p, prop in callback.state],
    }
    first = callback.inputs[0]
    request["changedPropIds"] = [f"{first[0] if isinstance(first[0], str) else 'x'}.{first[1]}"]
    return request


def realistic_posts(app, repo) -> Iterator[tuple[str, dict]]:
    """Every callback with default values, then with each input over its candidate values."""
    candidates = candidate_values(app, repo)
    defaults = {key: options[0] for key, options in candidates.items() if options}
    for output, callback in server_callbacks(app).items():
        yield output, body(output, callback, defaults)
        for pattern, prop in (*callback.inputs, *callback.state):
            key = (pattern.get("type") if isinstance(pattern, dict) else pattern, prop)
            for value in candidates.get(key, [])[1:]:
                yield output, body(output, callback, {**defaults, key: value})


def layout_components(path: str) -> list[Component]:
    """Every component with a text id in the layout of the page at ``path``."""
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    layout = page["layout"]() if callable(page["layout"]) else page["layout"]
    found, stack = [], [layout]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, Component):
            if isinstance(getattr(item, "id", None), str):
                found.append(item)
            if getattr(item, "children", None) is not None:
                stack.append(item.children)
    return found


def filter_click_posts(app, path: str, filter_state: dict) -> Iterator[tuple[str, dict]]:
    """The requests a filter change on ``path`` sends: each of the page's callbacks that take
    the filters, with the page's own controls at the values its layout starts with."""
    components = layout_components(path)
    values = {(c.id, "value"): c.value for c in components if hasattr(c, "value")}
    values[ids.FILTER_STATE, "data"] = filter_state
    on_page = {c.id for c in components}
    for output, callback in server_callbacks(app).items():
        # A card's slots are outputs by pattern; the containers the cards go in are named.
        named = {pattern for pattern, _prop in callback.outputs if isinstance(pattern, str)}
        if (ids.FILTER_STATE, "data") in callback.inputs and named and named <= on_page:
            yield output, body(output, callback, values)


def cards_request(
    containers: tuple[str, ...],
    slot_group: str,
    filter_state: dict,
    shown: tuple[dict, ...] = (),
    more_inputs: tuple[dict, ...] = (),
    shown_values: Mapping[str, object] | None = None,
    opened: Mapping[tuple[str, str], bool] | None = None,
    fold_open: bool | None = None,
) -> dict:
    """What a page posts for the filters ``filter_state`` to the callback drawing the cards of
    the chart sources of ``slot_group`` into ``containers``, when the page shows the card slots
    ``shown`` (their ids; none on the first draw). ``more_inputs``: the callback's other
    inputs after the filters, as posted (``id``, ``property``, ``value``). ``shown_values``:
    what the shown slots hold, by id as sorted JSON; the figure digests among them are posted
    as the callback's state (none when not given). ``opened``: whether the table or "About"
    disclosure of a chart shown is open, by (its id type, chart); one not given was not
    opened since its card was placed. ``fold_open``: for the callback of a folded section,
    which the filters reach through its request store (``foldRequest``), whether it is open."""
    slots = slot_outputs(slot_group)
    values = shown_values or {}
    opened = opened or {}
    charts = sorted({slot["chart"] for slot in shown})
    outputs = [*(Output(container, "children") for container in containers), *slots]
    names = [f"{output.component_id_str()}.{output.component_property}" for output in outputs]
    return {
        "output": ".." + "...".join(names) + "..",
        "outputs": [
            *({"id": container, "property": "children"} for container in containers),
            *(
                [
                    {"id": slot, "property": output.component_property}
                    for slot in shown
                    if ids.slot_part(slot) == ids.slot_part(output.component_id)
                ]
                for output in slots
            ),
        ],
        "inputs": [
            {"id": ids.FILTER_STATE, "property": "data", "value": filter_state}
            if fold_open is None
            else {
                "id": ids.SHORT_BREAKS_DETAIL_REQUEST,
                "property": "data",
                "value": {"filters": filter_state, "open": fold_open},
            },
            *more_inputs,
        ],
        "state": [
            [
                {
                    "id": slot,
                    "property": CARD_SLOTS[FIGURE_DIGEST],
                    "value": values.get(json.dumps(slot, sort_keys=True)),
                }
                for slot in shown
                if ids.slot_part(slot) == FIGURE_DIGEST
            ],
            *(
                [
                    {
                        "id": ids.chart_part(disclosure, chart),
                        "property": "open",
                        "value": opened.get((disclosure, chart)),
                    }
                    for chart in charts
                ]
                for disclosure in (fetched.disclosure for fetched in FETCHED_PARTS)
            ),
        ],
        "changedPropIds": [
            f"{ids.FILTER_STATE if fold_open is None else ids.SHORT_BREAKS_DETAIL_REQUEST}.data"
        ],
    }


def _part_output(app, kind: str) -> str:
    """The callback whose output is the ``kind`` part of every chart card."""
    return next(
        key
        for key, callback in server_callbacks(app).items()
        if callback.outputs[0][0] == ids.chart_part(kind, ["MATCH"])
    )


def table_request(app, origin: dict, is_open: bool = True) -> dict:
    """What opening or closing a card's table sends; ``origin`` is the card's origin store as it
    arrived (its ``id`` and ``data``)."""
    return disclosure_request(app, origin, ids.TABLE_DISCLOSURE_TYPE, ids.TABLE_TYPE, is_open)


def about_request(app, origin: dict, is_open: bool = True) -> dict:
    """What opening or closing a card's "About" sends (``origin`` as for ``table_request``)."""
    return disclosure_request(app, origin, ids.ABOUT_DISCLOSURE_TYPE, ids.ABOUT_TYPE, is_open)


def disclosure_request(app, origin: dict, disclosure: str, content: str, is_open: bool) -> dict:
    """What opening or closing the ``disclosure`` of a card sends, to fetch its ``content``."""
    chart = origin["id"]["chart"]
    return {
        "output": _part_output(app, content),
        "outputs": {"id": ids.chart_part(content, chart), "property": "children"},
        "inputs": [{"id": ids.chart_part(disclosure, chart), "property": "open", "value": is_open}],
        "state": [{"id": origin["id"], "property": "data", "value": origin["data"]}],
    }


def response_key(identity: dict) -> str:
    """A pattern-matching id as a request's changed inputs and a response's outputs name it."""
    return json.dumps(identity, sort_keys=True, separators=(",", ":"))


def image_request(app, origin: dict, href: str, variant: str = "report-png") -> dict:
    """What pressing one of a card's image buttons (``<preset>-<format>``) sends."""
    chart = origin["id"]["chart"]
    pressed = ids.image_button(chart, variant)
    buttons = [ids.image_button(chart, choice) for choice, _label in IMAGE_VARIANTS]
    return {
        "output": _part_output(app, ids.IMAGE_DOWNLOAD_TYPE),
        "outputs": [
            {"id": ids.chart_part(ids.IMAGE_DOWNLOAD_TYPE, chart), "property": "data"},
            {"id": ids.chart_part(ids.IMAGE_PROBLEM_TYPE, chart), "property": "children"},
        ],
        "inputs": [
            [
                {"id": button, "property": "n_clicks", "value": 1 if button == pressed else None}
                for button in buttons
            ]
        ],
        "changedPropIds": [
            json.dumps(pressed, separators=(",", ":"), sort_keys=True) + ".n_clicks"
        ],
        "state": [
            {"id": origin["id"], "property": "data", "value": origin["data"]},
            {"id": ids.VIEW_ADDRESS, "property": "data", "value": None},
            {"id": ids.URL, "property": "href", "value": href},
        ],
    }


def csv_request(app, origin: dict, href: str, address: str | None = None) -> dict:
    """What pressing a card's Download CSV sends, on a page opened at ``href`` that now shows
    ``address`` (the browser's address store; None before it has written one)."""
    chart = origin["id"]["chart"]
    button = ids.chart_part(ids.CSV_BUTTON_TYPE, chart)
    return {
        "output": _part_output(app, ids.CSV_DOWNLOAD_TYPE),
        "outputs": {"id": ids.chart_part(ids.CSV_DOWNLOAD_TYPE, chart), "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": origin["id"], "property": "data", "value": origin["data"]},
            {"id": ids.VIEW_ADDRESS, "property": "data", "value": address and {"href": address}},
            {"id": ids.URL, "property": "href", "value": href},
        ],
    }
