"""Bytes a browser transfers to open a page, first visit and repeat visit; prints, asserts nothing.

Usage (with the dashboard served, e.g. by ``make run``):
    .venv/bin/python -m benchmarks.page_bytes http://127.0.0.1:8050 / /reach

Drives Debian's Chromium through Playwright and adds up ``encodedDataLength`` (bytes on the wire:
compressed bodies plus headers) of every response until every chart has painted. The repeat
visit reuses the browser's cache, as a commissioner returning to the dashboard does.
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from benchmarks.browser_times import open_page, opened_browser


def main(base: str, paths: list[str]) -> None:
    with sync_playwright() as playwright, opened_browser(playwright) as tab:
        for path in paths:
            for visit in ("first", "repeat"):
                loaded = open_page(tab, base + path, first=visit == "first")
                print(
                    f"{path:<14} {visit:<6} {loaded['responses']:>3} responses "
                    f"{loaded['bytes']:>10,} bytes, painted at {loaded['painted_ms']:,.0f} ms"
                )


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2:] or ["/"])
