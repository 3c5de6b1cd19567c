"""Repaint times of one checkout alone: serve it as ``make run`` does, change the filters in
Chromium, print p50/p95 per page, of the chart in view, and its parts (before the first
request, after the last response, drawing charts), and write them as JSON.

    python -m benchmarks.repaint sqlite:////tmp/q1e6.sqlite --changes 10 --out after.json \\
        / /funding /reach

Run it from each checkout in turn (``PYTHONPATH=<checkout>``) to compare two side by side.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks import browser_times
from benchmarks.run import CHART_PAGES
from benchmarks.server import served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("pages", nargs="*", default=list(CHART_PAGES))
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_intermixed_args()
    log = Path(tempfile.gettempdir()) / "benchmark-repaint-gunicorn.log"
    with served(arguments.database_url, 2, log) as server, sync_playwright() as playwright:
        results = browser_times.measure(server.base, arguments.pages, arguments.changes, playwright)
    for page, result in results.items():
        print(
            f"{page:<14} repaint p50 {result['repaint_p50_ms'] or 0:>7,.0f} ms"
            f"  p95 {result['repaint_p95_ms'] or 0:>7,.0f} ms"
            f"  the chart in view p50 {result['in_view_p50_ms'] or 0:>5,.0f} ms"
            f" p95 {result['in_view_p95_ms'] or 0:>5,.0f} ms ({result['in_view_changes']} changes)"
            f"  before the first request p50 {result['before_request_p50_ms'] or 0:>5,.0f} ms"
            f"  after the last response p50 {result['after_response_p50_ms'] or 0:>7,.0f} ms"
            f" (drawing charts {result['plotly_p50_ms'] or 0:>5,.0f} ms)"
            f"  by filter {result['repaint_p50_ms_by_filter']}"
            f"  to the last change of any kind p50 {result['settled_p50_ms'] or 0:>7,.0f} ms"
            f"  ({result['changes']} changes, {result['timeouts']} timed out)"
        )
    if arguments.out:
        arguments.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
