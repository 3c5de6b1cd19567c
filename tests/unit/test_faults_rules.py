"""The pure rules behind fault handling: screening stored values, callback requests, masked URLs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard import screening
from dashboard.callback_requests import (
    Callback,
    CallbackRequestError,
    callbacks_from_map,
    check_request,
    parse_body,
    value_check,
)
from dashboard.config import masked_url


def test_screening_names_each_reason_and_keeps_plausible_values():
    values = pd.Series([5.0, float("nan"), float("inf"), -1.0, 250.0, 250.0, 1e23, 0.0])
    units = pd.Series(["count", "count", "count", "count", "percent", "count", "gbp", "percent"])
    assert list(screening.reasons(values, units)) == [
        "",
        "not a finite number",
        "not a finite number",
        "negative",
        "a share above 100%",
        "",
        "larger than any real Kent figure",
        "",
    ]


def test_more_supported_than_carers_is_flagged_only_where_both_are_known():
    supported = pd.Series([50_000.0, 10.0, 5.0])
    carers = pd.Series([8_668.0, 100.0, float("nan")])
    assert list(screening.exceeds(supported, carers)) == [True, False, False]


CALLBACK_MAP = {
    "chart.children": {"callback": lambda: None, "inputs": [{"id": "f", "property": "data"}]},
    '{"chart":["MATCH"],"type":"dl"}.data': {
        "callback": lambda: None,
        "inputs": [{"id": '{"chart":["MATCH"],"type":"btn"}', "property": "n_clicks"}],
        "state": [],
    },
    "client.children": {"inputs": [{"id": "f", "property": "data"}]},
}


def _check(body: dict) -> None:
    callbacks = callbacks_from_map(CALLBACK_MAP)
    check_request(body, callbacks, value_check({}, {}))


def test_only_server_callbacks_can_be_posted():
    callbacks = callbacks_from_map(CALLBACK_MAP)
    assert set(callbacks) == {"chart.children", '{"chart":["MATCH"],"type":"dl"}.data'}
    assert callbacks["chart.children"] == Callback((("chart", "children"),), (("f", "data"),), ())


def test_a_well_formed_request_passes_and_a_changed_one_does_not():
    good = {
        "output": '{"chart":["MATCH"],"type":"dl"}.data',
        "outputs": {"id": {"chart": "c1", "type": "dl"}, "property": "data"},
        "inputs": [{"id": {"chart": "c1", "type": "btn"}, "property": "n_clicks", "value": 2}],
    }
    _check(good)
    for bad in (
        {**good, "output": "client.children"},
        {**good, "inputs": []},
        {**good, "inputs": [{**good["inputs"][0], "value": "2"}]},
        {**good, "inputs": [{**good["inputs"][0], "id": {"chart": ["x"], "type": "btn"}}]},
        {**good, "outputs": {"id": {"chart": "c1", "type": "other"}, "property": "data"}},
        {**good, "changedPropIds": "x"},
    ):
        with pytest.raises(CallbackRequestError):
            _check(bad)


def test_bodies_too_large_too_deep_or_not_json_are_refused():
    with pytest.raises(CallbackRequestError) as raised:
        parse_body(b" " * (1024 * 1024 + 1))
    assert raised.value.status == 413
    for raw in (
        b"[" * 50_000 + b"]" * 50_000,
        json.dumps([[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]).encode(),
        b"{",
        b"[]",
    ):
        with pytest.raises(CallbackRequestError) as raised:
            parse_body(raw)
        assert raised.value.status == 400


def test_static_choices_and_special_rules_apply():
    check = value_check({"measure": frozenset({"a", "b"})}, {("f", "data"): lambda v: None})
    assert check("measure", "value", "a") is None
    assert check("measure", "value", "zzz")
    assert check("free", "value", "x" * 3000)
    assert check("free", "value", ["a"])
    assert check("f", "data", 12) is None  # the special rule decides


def test_a_page_address_may_be_as_long_as_the_web_server_takes_a_request_line():
    # A link with a 2,000-character tracking parameter left every callback refused ("'url'.search
    # is too long") and the page blank; gunicorn.conf.py lets request lines be up to 8,190 bytes.
    check = value_check({}, {})
    tracked = "?utm_source=" + "x" * 3000 + "&locality=thanet-dover"
    assert check("url", "search", tracked) is None
    assert check("url", "href", "http://127.0.0.1:8050/funding" + tracked) is None
    assert check("url", "search", "?" + "x" * 10_000) == "is too long"
    assert check("free", "value", "x" * 3000) == "is too long"


def test_a_disclosure_open_state_is_true_false_or_nothing():
    check = value_check({}, {})
    pattern = {"type": "table-disclosure", "chart": ["MATCH"]}
    for state in (True, False, None):
        assert check(pattern, "open", state) is None
    for wrong in (1, 0, "open", "true", [True], {"open": True}, 1e308):
        assert check(pattern, "open", wrong) == "must be true or false"


def test_passwords_are_masked_in_urls_of_any_shape():
    assert masked_url("postgresql+psycopg://u:secret@h/db") == "postgresql+psycopg://u:***@h/db"
    assert "secret" not in masked_url("not a url://u:secret@h/db")
    assert (
        masked_url("sqlite:///instance/dashboard.sqlite") == "sqlite:///instance/dashboard.sqlite"
    )
