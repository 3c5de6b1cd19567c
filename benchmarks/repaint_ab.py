"""Two checkouts' repaint times, measured change by change in turn, to compare code on a machine
whose speed drifts: each checkout served as ``make run`` serves it (``--workers``, 2 as there;
one before 8 Dec 2026; every locality and care group warmed), a Chromium tab on each, and every
filter change made in one tab and then the same change in the other (which goes first
alternates). A slow minute slows both alike, so the ratio of each pair compares the code, where
two runs one after the other compare the minutes they ran in too.

    python -m benchmarks.repaint_ab sqlite:////tmp/demo.sqlite /tmp/before . --changes 12 \\
        /reach /targets

Prints, per page, each checkout's p50 and the median of the ratio (second ÷ first) over the
pairs, and each checkout's p50 to the chart in view repainted, and writes them as JSON with
``--out``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

from benchmarks import browser_times
from benchmarks.run import CHART_PAGES
from benchmarks.server import served

# One change of each filter is made first on each page and not counted: a warm-up of both tabs,
# so that neither checkout is timed on its tab's first change and the other not.
UNMEASURED_CHANGES = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("first", type=Path, help="a project checkout")
    parser.add_argument("second", type=Path, help="another project checkout")
    parser.add_argument("pages", nargs="*", default=list(CHART_PAGES))
    parser.add_argument("--changes", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers a checkout")
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_intermixed_args()
    checkouts = [arguments.first.resolve(), arguments.second.resolve()]
    results = {}
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(
                served(
                    arguments.database_url,
                    arguments.workers,
                    Path(tempfile.gettempdir()) / f"benchmark-repaint-ab-{index}.log",
                    checkout=checkout,
                )
            )
            for index, checkout in enumerate(checkouts)
        ]
        playwright = stack.enter_context(sync_playwright())
        tabs = [stack.enter_context(browser_times.opened_browser(playwright)) for _ in servers]
        for path in arguments.pages:
            results[path] = _page_pairs(
                tabs, [server.base + path for server in servers], arguments.changes
            )
            print(_line(path, results[path]), flush=True)
    if arguments.out:
        arguments.out.write_text(
            json.dumps({"checkouts": [str(c) for c in checkouts], **results}, indent=1)
        )


def _page_pairs(tabs: list, urls: list[str], changes: int) -> dict:
    """Both tabs' times for the same filter changes of one page, and the ratio of each pair."""
    for tab, url in zip(tabs, urls, strict=True):
        browser_times.open_page(tab, url, first=False)
    times: list[list[float]] = [[], []]
    in_view: list[list[float]] = [[], []]
    unpaired = 0
    for change in range(changes + UNMEASURED_CHANGES):
        order = [0, 1] if change % 2 == 0 else [1, 0]
        timed = {}
        for index in order:
            with contextlib.suppress(PlaywrightTimeoutError):
                timed[index] = browser_times.filter_change(tabs[index].page, change)
        if change < UNMEASURED_CHANGES:
            continue
        if timed.get(0) is None or timed.get(1) is None:
            unpaired += 1
            continue
        for index in (0, 1):
            times[index].append(timed[index].ms)
            if timed[index].in_view_ms is not None:
                in_view[index].append(timed[index].in_view_ms)
    ratios = [second / first for first, second in zip(*times, strict=True)]
    return {
        "repaint_p50_ms": [browser_times.p50(t) for t in times],
        "in_view_p50_ms": [browser_times.p50(t) for t in in_view],
        "ratio_median": round(statistics.median(ratios), 3) if ratios else None,
        "second_faster": sum(ratio < 1 for ratio in ratios),
        "pairs": len(ratios),
        "unpaired": unpaired,
    }


def _line(path: str, result: dict) -> str:
    first, second = (f"{ms or 0:>6,.0f} ms" for ms in result["repaint_p50_ms"])
    first_in_view, second_in_view = (f"{ms or 0:,.0f} ms" for ms in result["in_view_p50_ms"])
    return (
        f"{path:<14} p50 {first} then {second}  second ÷ first, median of "
        f"{result['pairs']} pairs: {result['ratio_median']}  (second faster in "
        f"{result['second_faster']}, {result['unpaired']} not paired)  the chart in view p50 "
        f"{first_in_view} then {second_in_view}"
    )


if __name__ == "__main__":
    main()
