"""The quick benchmark runs end to end, so it cannot rot; its timings are never asserted."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard.config import PROJECT_ROOT

pytestmark = pytest.mark.browser
HEADLINE_KEYS = (
    "callback_p95_ms",
    "callback_cold_p95_ms",
    "floor_p95_ms",
    "repaint_p50_ms",
    "repaint_p95_ms",
    "repaint_in_view_p50_ms",
    "repaint_in_view_p95_ms",
    "load",
    "page_bytes",
    "peak_rss_mb",
    "init_db_seconds",
    "warm_up_seconds",
    "filters_warm_up_seconds",
)


def positive(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def test_quick_benchmark_writes_every_headline_figure(tmp_path):
    out = tmp_path / "latest.json"
    command = [sys.executable, "-m", "benchmarks.run", "--quick", "--sizes", "1e3"]
    subprocess.run([*command, "--out", str(out)], cwd=PROJECT_ROOT, check=True, timeout=600)
    result = json.loads(out.read_text())

    assert {"date", "machine", "command", *HEADLINE_KEYS} <= set(result)
    assert "--quick" in result["command"]
    assert positive(result["callback_p95_ms"]["sqlite"]["1000"])
    assert positive(result["callback_cold_p95_ms"]["sqlite"]["1000"])
    assert positive(result["floor_p95_ms"]["sqlite"])
    assert positive(result["repaint_p50_ms"]["1000"])
    assert positive(result["repaint_p95_ms"]["1000"])
    assert positive(result["repaint_in_view_p95_ms"]["1000"])
    assert positive(result["peak_rss_mb"]["1000"])
    assert positive(result["init_db_seconds"]["sqlite"]["1000"])
    # Measured after every worker finished its warm-up, which it logged: the default views
    # (the server the callbacks are timed on), then every locality and care group as well.
    assert positive(result["warm_up_seconds"]["sqlite"]["1000"])
    assert positive(result["filters_warm_up_seconds"]["sqlite"]["1000"])
    load = result["load"]
    assert {"users", "seconds", "requests", "errors", "p95_ms"} <= set(load)
    assert load["requests"] >= load["users"]
    assert load["errors"] == 0
    assert positive(load["p95_ms"])
    bytes_first = result["page_bytes"]["/"]["first"]
    assert positive(bytes_first) and result["page_bytes"]["/"]["repeat"] < bytes_first
    observations = result["observations"]["sqlite"]["1000"]
    assert abs(observations - 1000) <= 100
    run = result["runs"]["sqlite"]["1000"]
    assert run["callbacks"], "no callback takes the filters"
    assert all(callback["errors"] == 0 for callback in run["callbacks"].values())
    # A repaint's parts: the change's first request went out, and its charts were drawn (the
    # page's own measures of each draw, added up); the overview's charts in view were shown.
    overview = run["browser"]["/"]
    assert positive(overview["before_request_p50_ms"])
    assert positive(overview["plotly_p50_ms"])
    assert overview["plotly_p50_ms"] < overview["repaint_p50_ms"]
    assert positive(overview["in_view_p50_ms"]) and overview["in_view_changes"] > 0
