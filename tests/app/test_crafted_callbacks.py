"""Crafted posts to Dash's callback endpoint get a 4xx and a logged warning, never a 500.

The cases are generated for every registered server callback: each input and state given the
wrong type, an unknown value, a 1 MB string or deep nesting; fields missing; wrong output ids.
"""

from __future__ import annotations

import copy
import json
import logging

import pytest

from dashboard import ids
from dashboard.callback_requests import MAX_BODY_BYTES, MAX_DEPTH, TEXT_PROPERTIES
from dashboard.errors import static_options
from tests.support.callbacks import CALLBACK_PATH, body, candidate_values, server_callbacks

MEGABYTE_TEXT = "x" * MAX_BODY_BYTES


def _nested(depth: int):
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


WRONG_VALUES = {
    "list": [1, 2, 3],
    "object": {"unexpected": {"nested": True}},
    "number": 1e308,
    "unknown text": "no-such-choice-\u202e<script>",
    "long text": "y" * 100_000,
    "deep": _nested(MAX_DEPTH + 5),
}


def _with_value(request: dict, part: str, index: int, value) -> dict:
    crafted = copy.deepcopy(request)
    item = crafted[part][index]
    for entry in item if isinstance(item, list) else [item]:
        entry["value"] = value
    return crafted


def crafted_posts(app, repo) -> list[tuple[str, bytes | dict]]:
    """(description, body) pairs: every callback, every input, every kind of bad value."""
    values = {key: options[0] for key, options in candidate_values(app, repo).items() if options}
    offered = static_options(app)
    cases: list[tuple[str, bytes | dict]] = []
    for output, callback in server_callbacks(app).items():
        valid = body(output, callback, values)
        for part in ("inputs", "state"):
            for index, (pattern, prop) in enumerate(getattr(callback, part)):
                if prop == "n_clicks":  # any click count is a click; check the payload instead
                    cases.append(
                        (f"{output} {part}[{index}] negative", _with_value(valid, part, index, -1))
                    )
                    continue
                for kind, value in WRONG_VALUES.items():
                    if (
                        kind == "unknown text"
                        and prop in TEXT_PROPERTIES
                        and pattern not in offered
                    ):
                        # Free text (a link, a date, the filters): answered with a notice.
                        continue
                    cases.append(
                        (f"{output} {part}[{index}] {kind}", _with_value(valid, part, index, value))
                    )
        without_inputs = {key: v for key, v in valid.items() if key != "inputs"}
        cases.append((f"{output} without inputs", without_inputs))
        cases.append((f"{output} with an extra input", {**valid, "inputs": valid["inputs"] * 2}))
        wrong_id = copy.deepcopy(valid)
        first = wrong_id["inputs"][0]
        (first[0] if isinstance(first, list) else first)["id"] = "no-such-component"
        cases.append((f"{output} wrong input id", wrong_id))
        cases.append(
            (f"{output} wrong outputs", {**valid, "outputs": {"id": "x", "property": "y"}})
        )
    general = {
        "unknown output": {"output": "no-such.children", "outputs": {}, "inputs": []},
        "output not text": {"output": ["a"], "inputs": []},
        "clientside callback": {"output": "_pages_dummy.children", "inputs": []},
        "not an object": [1, 2, 3],
        "changedPropIds wrong": {**valid, "changedPropIds": {"a": 1}},
        "one megabyte string": {**valid, "output": MEGABYTE_TEXT},
        "deep json": b"[" * 100_000 + b"]" * 100_000,
        "not json": b"{'output': ",
        "empty": b"",
    }
    cases += list(general.items())
    return cases


@pytest.fixture
def posts(app, repo):
    return app.server.test_client(), crafted_posts(app, repo)


def test_crafted_callback_posts_are_refused_with_a_4xx_and_logged(posts, caplog):
    client, cases = posts
    assert len(cases) >= 60
    answers = {}
    for description, crafted in cases:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="dashboard.errors"):
            if isinstance(crafted, bytes):
                response = client.post(CALLBACK_PATH, data=crafted, content_type="application/json")
            else:
                response = client.post(CALLBACK_PATH, json=crafted)
        answers[description] = response.status_code
        if 400 <= response.status_code < 500:
            assert "Refused a callback request" in caplog.text, description
    assert {d: s for d, s in answers.items() if not 400 <= s < 500} == {}


def test_realistic_posts_still_run(app, repo):
    client = app.server.test_client()
    values = {key: options[0] for key, options in candidate_values(app, repo).items() if options}
    for output, callback in server_callbacks(app).items():
        response = client.post(CALLBACK_PATH, json=body(output, callback, values))
        assert response.status_code in (200, 204), output


def _image_request(app, variant) -> dict:
    """A click on one image button of a card whose id names ``variant``."""
    output, callback = next(
        (output, callback)
        for output, callback in server_callbacks(app).items()
        if ids.IMAGE_DOWNLOAD_TYPE in output
    )
    request = body(output, callback, {})
    button = {**request["inputs"][0][0]["id"], "variant": variant}
    request["inputs"][0] = [{"id": button, "property": "n_clicks", "value": 1}]
    request["changedPropIds"] = [json.dumps(button, separators=(",", ":")) + ".n_clicks"]
    return request


@pytest.mark.parametrize("variant", ["foo", "x-png", "slide-gif", "report-svg-extra", 7])
def test_an_image_of_a_kind_not_offered_is_refused(app, variant, caplog):
    # Each raised inside the callback (ValueError, KeyError, AttributeError...): a traceback
    # in the log and the page's fault message, for a button no page has.
    client = app.server.test_client()
    with caplog.at_level(logging.WARNING, logger="dashboard.errors"):
        response = client.post(CALLBACK_PATH, json=_image_request(app, variant))
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert "No image of the kind" in response.get_json()["message"]
    assert not [record for record in caplog.records if record.exc_info]


def test_an_image_button_the_cards_offer_reaches_the_origin_check(app):
    # The same request with a real variant and no chart origin: nothing to draw, no error.
    response = app.server.test_client().post(CALLBACK_PATH, json=_image_request(app, "slide-png"))
    assert response.status_code == 204


@pytest.mark.parametrize("pathname", ["", "all", "NaN", "<script>alert(1)</script>", "reach"])
def test_the_page_router_is_asked_only_for_paths(app, pathname, caplog):
    output, callback = next(
        (output, callback)
        for output, callback in server_callbacks(app).items()
        if any(pattern == ids.PAGES_LOCATION for pattern, _prop in callback.inputs)
    )
    values = {(ids.PAGES_LOCATION, "pathname"): pathname, (ids.PAGES_LOCATION, "search"): ""}
    client = app.server.test_client()
    with caplog.at_level(logging.WARNING, logger="dashboard.errors"):
        response = client.post(CALLBACK_PATH, json=body(output, callback, values))
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert not [record for record in caplog.records if record.exc_info]
    values[ids.PAGES_LOCATION, "pathname"] = "/reach"
    assert client.post(CALLBACK_PATH, json=body(output, callback, values)).status_code == 200


def test_a_callback_request_that_is_not_json_is_refused_in_json(app, caplog):
    client = app.server.test_client()
    with caplog.at_level(logging.WARNING, logger="dashboard.errors"):
        response = client.post(CALLBACK_PATH, data='{"output": "x"}', content_type="text/plain")
    assert response.status_code == 415
    assert response.get_json()["status"] == "refused"
    assert "Refused a callback request" in caplog.text
