"""benchmarks.server_ab: every filter setting is posted to both servers, cold then warm, the
first to be asked alternating, and each pair's ratio compared."""

from benchmarks import server_ab
from tests.support.callbacks import CALLBACK_PATH


def test_each_setting_goes_to_both_servers_cold_then_warm_the_first_asked_in_turn():
    asked = []

    def timed(url, data):
        asked.append((url, data["n"]))
        # The second server a fifth faster; a setting answered again (warm) ten times faster.
        first_time = sum(1 for u, n in asked if u == url and n == data["n"]) == 1
        ms = (100.0 + data["n"]) * (1 if first_time else 0.1)
        return (ms * 0.8 if url.startswith("http://b") else ms), 200

    result = server_ab.paired_calls(["http://a", "http://b"], [{"n": n} for n in range(3)], timed)

    a, b = "http://a" + CALLBACK_PATH, "http://b" + CALLBACK_PATH
    order = [(a, 0), (b, 0), (b, 1), (a, 1), (a, 2), (b, 2)]
    assert asked == order + order
    assert result["cold"]["first"]["p50_ms"] == 101.0
    assert result["cold"]["second"]["p50_ms"] == 80.8
    assert result["cold"]["ratio_median"] == 0.8
    assert result["warm"]["first"]["p95_ms"] == 10.2
    assert result["warm"]["ratio_median"] == 0.8
