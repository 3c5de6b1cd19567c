"""What a page's data keeps of what its charts work out (``views.common.worked_out_once``)."""

from __future__ import annotations

from dashboard.views import common
from dashboard.views.common import worked_out_once


def test_a_result_is_worked_out_once_even_when_it_is_none():
    store, calls = {}, []

    def compute():
        calls.append(1)
        return None  # the reach page's returns period, when no year has returns

    assert worked_out_once(store, ("period",), compute) is None
    assert worked_out_once(store, ("period",), compute) is None
    assert calls == [1]


def test_the_oldest_results_go_first_once_the_store_is_full(monkeypatch):
    # A worker asked for every filter setting must not keep a district table for each.
    monkeypatch.setattr(common, "WORKED_OUT_KEPT", 3)
    store = {}
    for setting in range(5):
        assert worked_out_once(store, ("table", setting), lambda s=setting: s * 10) == setting * 10
    assert list(store) == [("table", 2), ("table", 3), ("table", 4)]
    calls = []
    worked_out_once(store, ("table", 0), lambda: calls.append(0) or 0)
    assert calls == [0]  # dropped, so worked out again
