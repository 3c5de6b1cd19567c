"""benchmarks.repaint_ab: each filter change is made in both tabs, first in one then in the other
in turn, and only pairs where both settled are compared."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from benchmarks import browser_times, repaint_ab


class FakePage:
    """A page that has always settled; records the addresses opened."""

    def __init__(self, name: str, calls: list) -> None:
        self.name, self.calls = name, calls

    def goto(self, url: str, **_options) -> None:
        self.calls.append(("open", self.name, url))

    def wait_for_function(self, *_args, **_options) -> None:
        return None

    def evaluate(self, script: str):
        if script == browser_times.MARK_STYLED:
            return []
        return [0.0, 0.0] if "lastDrawn" in script else 0.0


@pytest.fixture
def calls():
    return []


def _tabs(calls: list) -> list:
    return [browser_times.Tab(FakePage(name, calls), None) for name in ("before", "after")]


def test_each_change_is_made_in_both_tabs_and_the_first_to_go_alternates(monkeypatch, calls):
    def change(page, number):
        calls.append((number, page.name))
        ms = 100.0 if page.name == "before" else 80.0
        return browser_times.Repaint(ms, 10.0, "#filter-locality", 12.0, ms, 30.0, 40.0, ms / 2)

    monkeypatch.setattr(browser_times, "filter_change", change)
    result = repaint_ab._page_pairs(_tabs(calls), ["http://a/reach", "http://b/reach"], 4)

    opened, changes = calls[:2], calls[2:]
    assert opened == [("open", "before", "http://a/reach"), ("open", "after", "http://b/reach")]
    assert changes[:4] == [(0, "before"), (0, "after"), (1, "after"), (1, "before")]
    assert len(changes) == 2 * (4 + repaint_ab.UNMEASURED_CHANGES)
    assert result == {
        "repaint_p50_ms": [100.0, 80.0],
        "in_view_p50_ms": [50.0, 40.0],
        "ratio_median": 0.8,
        "second_faster": 4,
        "pairs": 4,
        "unpaired": 0,
    }


def test_a_change_that_did_not_settle_in_one_tab_leaves_its_pair_out(monkeypatch, calls):
    def change(page, number):
        if number == 3 and page.name == "after":
            raise PlaywrightTimeoutError("not settled")
        ms = 100.0 + number if page.name == "before" else 150.0
        in_view = None if page.name == "after" else 60.0  # no chart in view changed
        return browser_times.Repaint(ms, 10.0, "#filter-care-group", 12.0, ms, 30.0, 40.0, in_view)

    monkeypatch.setattr(browser_times, "filter_change", change)
    result = repaint_ab._page_pairs(_tabs(calls), ["http://a/", "http://b/"], 3)

    assert result["pairs"] == 2 and result["unpaired"] == 1
    assert result["repaint_p50_ms"] == [103.0, 150.0]  # changes 2 and 4: 102 and 104
    assert result["in_view_p50_ms"] == [60.0, None]
    assert result["second_faster"] == 0
