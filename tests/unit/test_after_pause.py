"""benchmarks.after_pause: every request made after every pause, the pauses taken in turn in
each round, and the machine's own memory read just before a pause and then after it."""

import pytest

from benchmarks import after_pause


def test_each_request_follows_its_pause_every_pause_in_turn_each_round():
    events = []

    def timed(url, data):
        events.append(("asked", url, data))
        return float(sum(event[0] == "asked" for event in events)), 200

    def memory_read():
        events.append(("memory",))
        return 1.0

    requests = {"/health": ("http://a/health", None), "cards": ("http://a/cb", {"n": 1})}
    times = after_pause.paused_calls(
        requests, [0, 0.5], 2, timed, lambda s: events.append(("slept", s)), memory_read
    )

    one_pause = lambda s: [  # noqa: E731
        ("memory",),
        ("slept", s),
        ("memory",),
        ("slept", s),
        ("asked", "http://a/health", None),
        ("slept", s),
        ("asked", "http://a/cb", {"n": 1}),
    ]
    assert events == (one_pause(0) + one_pause(0.5)) * 2
    assert times[after_pause.MEMORY] == {0: [1.0, 1.0], 0.5: [1.0, 1.0]}
    # Answers numbered in the order asked: /health, cards, /health, cards; then round two.
    assert times["/health"] == {0: [1.0, 5.0], 0.5: [3.0, 7.0]}
    assert times["cards"] == {0: [2.0, 6.0], 0.5: [4.0, 8.0]}


def test_a_request_refused_stops_the_run_naming_it():
    with pytest.raises(SystemExit, match="cards answered 500"):
        after_pause.paused_calls(
            {"cards": ("http://a/cb", {})}, [0], 1, lambda u, d: (1.0, 500), lambda s: None
        )
