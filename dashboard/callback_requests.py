"""Checks a Dash callback request before Dash runs it: one place for every rule.

Dash trusts the body of ``POST /_dash-update-component``: an unknown output, an input of the
wrong type or a deeply nested value reaches the callback and ends in a 500. Here the body must
name a registered callback, carry exactly its inputs and state with their ids and properties,
and every value must be of the kind its property holds; anything else is a
``CallbackRequestError`` (a 4xx). No Dash or Flask import: the caller describes the callbacks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

MAX_BODY_BYTES = 1024 * 1024
# Dash's own requests nest at most about six levels (pattern-matching ids inside clickData).
MAX_DEPTH = 16
MAX_TEXT = 2000
# A page's address (its query string, or the whole link) can be as long as the web server takes
# a request line (gunicorn.conf.py: 8,190 bytes): a link carrying a long tracking parameter left
# every callback refused and the page blank.
MAX_ADDRESS = 8192
ADDRESS_PROPERTIES = ("search", "href")
WILDCARDS = (["ALL"], ["MATCH"], ["ALLSMALLER"])
# Properties that hold a short text or nothing (every select and text box here holds text).
TEXT_PROPERTIES = ("value", "search", "pathname", "href")
COUNT_PROPERTIES = ("n_clicks",)
FLAG_PROPERTIES = ("open",)  # a disclosure's state, which assets/view.js reports

Dependency = tuple[str | dict, str]  # (component id or pattern, property)
ValueCheck = Callable[[str | dict, str, object], str | None]


class CallbackRequestError(ValueError):
    """A callback request that cannot be run; the message says why, ``status`` is its 4xx."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Callback:
    """A registered server-side callback: its outputs, inputs and state, in order."""

    outputs: tuple[Dependency, ...]
    inputs: tuple[Dependency, ...]
    state: tuple[Dependency, ...]


def callbacks_from_map(callback_map: Mapping[str, dict]) -> dict[str, Callback]:
    """The server-side callbacks of a Dash ``callback_map`` (clientside ones cannot be posted)."""
    return {
        key: Callback(
            outputs=tuple(_split_outputs(key)),
            inputs=tuple(_dependency(d) for d in entry.get("inputs", [])),
            state=tuple(_dependency(d) for d in entry.get("state", [])),
        )
        for key, entry in callback_map.items()
        if callable(entry.get("callback"))
    }


def parse_body(raw: bytes) -> dict:
    """The request body as a JSON object no deeper than ``MAX_DEPTH``."""
    if len(raw) > MAX_BODY_BYTES:
        raise CallbackRequestError("The request is larger than a callback needs.", 413)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise CallbackRequestError("The request body is not valid JSON.") from None
    if _depth(body) > MAX_DEPTH:
        raise CallbackRequestError("The request body is nested too deeply.")
    if not isinstance(body, dict):
        raise CallbackRequestError("The request body must be a JSON object.")
    return body


def check_request(body: dict, callbacks: Mapping[str, Callback], check_value: ValueCheck) -> None:
    """Raise ``CallbackRequestError`` unless ``body`` is a well-formed call of a callback."""
    output = body.get("output")
    if not isinstance(output, str) or output not in callbacks:
        raise CallbackRequestError("The request names no callback of this dashboard.")
    callback = callbacks[output]
    outputs = body.get("outputs")
    if len(callback.outputs) == 1:
        outputs = [outputs]
    _check_items("outputs", outputs, callback.outputs, None)
    _check_items("inputs", body.get("inputs"), callback.inputs, check_value)
    _check_items("state", body.get("state", []), callback.state, check_value)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(
        isinstance(prop, str) and len(prop) <= MAX_TEXT for prop in changed
    ):
        raise CallbackRequestError("changedPropIds must be a list of property names.")


def text_problem(value: object, limit: int = MAX_TEXT) -> str | None:
    """Why ``value`` is not a text a select, text box or link can hold, or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        return "must be text"
    return None if len(value) <= limit else "is too long"


def count_problem(value: object) -> str | None:
    """Why ``value`` is not a click count, or None."""
    if value is None or (type(value) is int and 0 <= value < 2**53):
        return None
    return "must be a whole number of clicks"


def flag_problem(value: object) -> str | None:
    """Why ``value`` is not an open or closed state, or None."""
    return None if value is None or isinstance(value, bool) else "must be true or false"


def value_check(
    options: Mapping[str, frozenset], special: Mapping[tuple[str, str], Callable]
) -> ValueCheck:
    """The rule for each input value.

    ``special`` maps (component id or pattern type, property) to a function returning a problem
    or None; otherwise text properties must hold text, one of ``options`` (the choices a page's
    static select offers) where the component has them, click counts a whole number, open
    states true or false, and anything else an object, a list or nothing.
    """

    def check(pattern: str | dict, prop: str, value: object) -> str | None:
        key = pattern.get("type", "") if isinstance(pattern, dict) else pattern
        if (key, prop) in special:
            return special[key, prop](value)
        if prop in COUNT_PROPERTIES:
            return count_problem(value)
        if prop in FLAG_PROPERTIES:
            return flag_problem(value)
        if prop in TEXT_PROPERTIES:
            problem = text_problem(value, MAX_ADDRESS if prop in ADDRESS_PROPERTIES else MAX_TEXT)
            if problem is None and key in options and value not in options[key]:
                problem = "is not one of the choices offered"
            return problem
        if value is None or isinstance(value, dict | list):
            return None
        return "must be an object or a list"

    return check


def _check_items(
    part: str, items: object, expected: tuple[Dependency, ...], check_value: ValueCheck | None
) -> None:
    if not isinstance(items, list) or len(items) != len(expected):
        raise CallbackRequestError(f"{part} must list exactly the callback's {part}.")
    for item, (pattern, prop) in zip(items, expected, strict=True):
        many = isinstance(pattern, dict) and any(
            value in (["ALL"], ["ALLSMALLER"]) for value in pattern.values()
        )
        if many and not isinstance(item, list):
            raise CallbackRequestError(f"{part}: a wildcard {prop} must be a list.")
        for entry in item if many else [item]:
            _check_entry(part, entry, pattern, prop, check_value)


def _check_entry(
    part: str, entry: object, pattern: str | dict, prop: str, check_value: ValueCheck | None
) -> None:
    if not isinstance(entry, dict) or entry.get("property") != prop:
        raise CallbackRequestError(f"{part}: expected the {prop!r} property of {pattern!r}.")
    component_id = entry.get("id")
    if not _matches(component_id, pattern):
        raise CallbackRequestError(f"{part}: unknown component id {str(component_id)[:80]!r}.")
    if check_value is None:
        return
    if prop == "id":
        problem = None if entry.get("value") == component_id else "must be the component's id"
    else:
        problem = check_value(pattern, prop, entry.get("value"))
    if problem:
        raise CallbackRequestError(f"{part}: {component_id!r}.{prop} {problem}.")


def _matches(component_id: object, pattern: str | dict) -> bool:
    if isinstance(pattern, str):
        return component_id == pattern
    if not isinstance(component_id, dict) or set(component_id) != set(pattern):
        return False
    for key, wanted in pattern.items():
        value = component_id[key]
        if wanted in WILDCARDS:
            if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
                return False
        elif value != wanted:
            return False
    return True


def _split_outputs(key: str) -> list[Dependency]:
    parts = key[2:-2].split("...") if key.startswith("..") and key.endswith("..") else [key]
    return [
        _dependency({"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}) for p in parts
    ]


def _dependency(entry: dict) -> Dependency:
    component_id = entry["id"]
    if isinstance(component_id, str) and component_id.startswith("{"):
        component_id = json.loads(component_id)
    return component_id, entry["property"]


def _depth(value: object) -> int:
    """How deeply lists and objects nest in ``value`` (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest
