"""Bytes a browser transfers to open a page, first visit and repeat visit; prints, asserts nothing.

Usage (with the dashboard served, e.g. by ``make run``):
    .venv/bin/python -m benchmarks.page_bytes http://127.0.0.1:8050 / /reach

Drives Debian's Chromium through Playwright and adds up ``encodedDataLength`` (bytes on the wire:
compressed bodies plus headers) of every response until the first chart has painted. The repeat
visit reuses the browser's cache, as a commissioner returning to the dashboard does.
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from tests.support.browser import chromium_executable, chromium_launch_args


def main(base: str, paths: list[str]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=chromium_launch_args()
        )
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        received = {"responses": 0, "bytes": 0}

        def finished(event: dict) -> None:
            received["responses"] += 1
            received["bytes"] += int(event["encodedDataLength"])

        devtools.on("Network.loadingFinished", finished)
        for path in paths:
            for visit in ("first", "repeat"):
                if visit == "first":
                    devtools.send("Network.clearBrowserCache")
                received.update(responses=0, bytes=0)
                page.goto(base + path, wait_until="networkidle", timeout=120_000)
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
                page.wait_for_timeout(2_000)  # late callbacks after the first paint
                print(
                    f"{path:<14} {visit:<6} {received['responses']:>3} responses "
                    f"{received['bytes']:>10,} bytes"
                )
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2:] or ["/"])
