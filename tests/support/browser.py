"""Headless-browser test helpers: Chromium via Playwright, a WSGI server, axe-core.

Playwright must never download a browser: everything here launches the system Chromium
(``/usr/bin/chromium`` from the Debian package, or ``$CHROMIUM_PATH``).
Playwright's ``launch()`` already gives every browser a fresh temporary profile
(``--user-data-dir`` in a ``playwright_chromiumdev_profile-*`` temp dir, removed on close),
and refuses a ``--user-data-dir`` in ``args``, so none is passed here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werkzeug.serving import WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        ConsoleMessage,
        Locator,
        Page,
        Request,
        Response,
        Route,
    )

DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"
REPO_ROOT = Path(__file__).resolve().parent.parent.parent
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEFAULT_AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
DEFAULT_AXE_IMPACTS = ("serious", "critical")


# --------------------------------------------------------------------------------------------
# Chromium


def chromium_launch_args() -> list[str]:
    """Command-line flags for a quiet, offline-friendly headless Chromium."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
    ]


def chromium_executable(path: str | os.PathLike[str] | None = None) -> str:
    """The Chromium binary to launch: ``path``, else ``$CHROMIUM_PATH``, else the default.

    Raises ``RuntimeError`` if it is not an executable file (Playwright is never allowed to
    fall back to downloading its own browser).
    """
    chosen = Path(path or os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM_PATH)
    if not (chosen.is_file() and os.access(chosen, os.X_OK)):
        raise RuntimeError(
            f"Chromium not found at {chosen}. Install the Debian 'chromium' package or set "
            "CHROMIUM_PATH to a Chromium binary."
        )
    return str(chosen)


@contextlib.contextmanager
def launched_chromium(
    executable_path: str | os.PathLike[str] | None = None, **launch_kwargs: Any
) -> Iterator[Browser]:
    """Start Playwright and a headless system Chromium; yield the ``Browser``; close both."""
    from playwright.sync_api import sync_playwright

    executable = chromium_executable(executable_path)
    args = [*chromium_launch_args(), *launch_kwargs.pop("args", [])]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=args, **launch_kwargs
        )
        try:
            yield browser
        finally:
            browser.close()


# --------------------------------------------------------------------------------------------
# WSGI server


class _QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without the per-request access log (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextlib.contextmanager
def serve_wsgi(app: Any, host: str = "127.0.0.1", *, quiet: bool = True) -> Iterator[str]:
    """Serve a WSGI app (e.g. a Flask app) on a free port in a background thread.

    Yields the base URL without a trailing slash, e.g. ``http://127.0.0.1:41234``.
    """
    server = make_server(
        host,
        0,
        app,
        threaded=True,
        request_handler=_QuietRequestHandler if quiet else None,
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    try:
        yield f"http://{host}:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextlib.contextmanager
def served_with_account(
    database_url: str, boundaries_path: Path, username: str, password: str, role: str
) -> Iterator[str]:
    """The dashboard on ``database_url`` served on loopback, with one staff account made first."""
    from dashboard.accounts import create_user
    from dashboard.application import create_app
    from dashboard.config import Settings
    from dashboard.db.engine import make_engine

    engine = make_engine(database_url)
    create_user(engine, username, password, role)
    engine.dispose()
    settings = Settings(
        database_url=database_url,
        boundaries_path=boundaries_path,
        environment="test",
        secret_key="browser-test",
    )
    with serve_wsgi(create_app(settings).server) as base_url:
        yield base_url


# --------------------------------------------------------------------------------------------
# Page watcher


@dataclass
class PageWatcher:
    """Record what goes wrong on a Playwright page, and every request leaving the server.

    ``base_url`` is the app server's URL; a request is *external* when its scheme is
    http(s)/ws(s) and its ``host:port`` differs from the server's (``data:``, ``blob:`` and
    ``about:`` URLs never are). Events are recorded as Playwright delivers them, i.e. while
    the test is calling into Playwright (``goto``, ``wait_for_*``, ``expect_*``...).
    """

    page: Page
    base_url: str
    console_errors: list[dict[str, Any]] = field(default_factory=list)
    page_errors: list[dict[str, Any]] = field(default_factory=list)
    failed_requests: list[dict[str, Any]] = field(default_factory=list)
    error_responses: list[dict[str, Any]] = field(default_factory=list)
    external_requests: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._netloc = _netloc(self.base_url)
        if not self._netloc:
            raise ValueError(f"base_url needs a scheme and host: {self.base_url!r}")
        self._handlers = {
            "console": self._on_console,
            "pageerror": self._on_page_error,
            "requestfailed": self._on_request_failed,
            "response": self._on_response,
            "request": self._on_request,
        }
        for event, handler in self._handlers.items():
            self.page.on(event, handler)

    # -- reading ---------------------------------------------------------------------------

    def is_external(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme.lower() not in {"http", "https", "ws", "wss"}:
            return False
        return _netloc(url) != self._netloc

    @property
    def external_urls(self) -> list[str]:
        return [r["url"] for r in self.external_requests]

    @property
    def problems(self) -> dict[str, list[dict[str, Any]]]:
        """Every non-empty category, keyed by name."""
        categories = {
            "console_errors": self.console_errors,
            "page_errors": self.page_errors,
            "failed_requests": self.failed_requests,
            "error_responses": self.error_responses,
            "external_requests": self.external_requests,
        }
        return {name: list(items) for name, items in categories.items() if items}

    def summary(self) -> str:
        """A readable multi-line report for assertion messages ('no problems' if clean)."""
        problems = self.problems
        if not problems:
            return "no problems"
        lines = []
        for name, items in problems.items():
            lines.append(f"{name} ({len(items)}):")
            lines.extend(f"  - {item}" for item in items)
        return "\n".join(lines)

    def assert_clean(self, *, ignore: Iterable[str] = ()) -> None:
        """Fail if any category (except those named in ``ignore``) recorded anything."""
        skipped = set(ignore)
        remaining = {k: v for k, v in self.problems.items() if k not in skipped}
        assert not remaining, "page problems:\n" + "\n".join(
            f"{k}: {v}" for k, v in remaining.items()
        )

    def clear(self) -> None:
        for items in (
            self.console_errors,
            self.page_errors,
            self.failed_requests,
            self.error_responses,
            self.external_requests,
        ):
            items.clear()

    def detach(self) -> None:
        for event, handler in self._handlers.items():
            with contextlib.suppress(Exception):
                self.page.remove_listener(event, handler)

    # -- event handlers --------------------------------------------------------------------

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append({"text": message.text, "location": message.location})

    def _on_page_error(self, error: Any) -> None:
        self.page_errors.append(
            {
                "message": getattr(error, "message", str(error)),
                "stack": getattr(error, "stack", None),
            }
        )

    def _on_request_failed(self, request: Request) -> None:
        self.failed_requests.append(
            {
                "url": request.url,
                "method": request.method,
                "resource_type": request.resource_type,
                "failure": request.failure,
            }
        )

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.error_responses.append(
                {
                    "url": response.url,
                    "status": response.status,
                    "method": response.request.method,
                }
            )

    def _on_request(self, request: Request) -> None:
        if self.is_external(request.url):
            self.external_requests.append(
                {
                    "url": request.url,
                    "method": request.method,
                    "resource_type": request.resource_type,
                }
            )


# Dash's callback requests; their address can carry a query (``endId``), which a glob ending
# in the path does not match.
CALLBACK_REQUESTS = re.compile(r"/_dash-update-component(\?|$)")


def hold_answers(page: Page, marker: str) -> list[Route]:
    """Hold back each callback request whose body contains ``marker`` (an output's id) until
    the test continues or fulfils it; the requests held so far are in the list returned. The
    others go on."""
    held = []

    def hold(route: Route) -> None:
        if marker in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route(CALLBACK_REQUESTS, hold)
    return held


def wait_until_held(page: Page, held: list[Route], count: int = 1) -> None:
    """Wait (up to 10 s) until ``hold_answers`` has held ``count`` requests."""
    for _ in range(200):
        if len(held) >= count:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{len(held)} requests held, not {count}")


def release_answers(page: Page, held: list[Route]) -> None:
    """Send the requests ``hold_answers`` held, and hold no more."""
    # Continued before the route is removed: removing it first answers them itself.
    for route in held:
        route.continue_()
    page.unroute(CALLBACK_REQUESTS)


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    if not parts.hostname:
        return ""
    default_port = {"http": 80, "ws": 80, "https": 443, "wss": 443}.get(parts.scheme.lower())
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{parts.port or default_port}"


# --------------------------------------------------------------------------------------------
# axe-core


def axe_script_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Path of ``axe.min.js`` (from ``npm ci`` at the repo root); RuntimeError if missing."""
    chosen = Path(path) if path is not None else AXE_PATH
    if not chosen.is_file():
        raise RuntimeError(f"axe-core not found at {chosen}; run `npm ci` in {REPO_ROOT}.")
    return chosen


def run_axe(
    page: Page,
    tags: Iterable[str] = DEFAULT_AXE_TAGS,
    *,
    impacts: Iterable[str] | None = DEFAULT_AXE_IMPACTS,
    context: str | None = None,
    axe_path: str | os.PathLike[str] | None = None,
) -> list[dict[str, Any]]:
    """Run axe-core on the page; return violations whose impact is in ``impacts``.

    ``impacts=None`` returns every violation. ``context`` is an optional CSS selector to
    limit the scan. Each violation is ``{"id", "impact", "help", "help_url", "targets",
    "nodes"}`` where ``targets`` are CSS selectors and ``nodes`` hold the HTML and axe's
    failure summary. Use ``format_violations`` for assertion messages.
    """
    script = axe_script_path(axe_path)
    from playwright.sync_api import Error as PlaywrightError

    has_axe = "() => typeof window.axe === 'object'"
    if not page.evaluate(has_axe):
        hint = (
            "axe-core could not be injected into the page (a Content-Security-Policy blocking "
            "inline scripts?). Create the context with browser.new_context(bypass_csp=True)."
        )
        try:
            page.add_script_tag(path=str(script))
        except PlaywrightError as exc:
            raise RuntimeError(f"{hint}\n{exc}") from exc
        if not page.evaluate(has_axe):
            raise RuntimeError(hint)
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    results = page.evaluate(
        "async ([context, options]) => await window.axe.run(context || document, options)",
        [context, options],
    )
    wanted = set(impacts) if impacts is not None else None
    violations = []
    for violation in results["violations"]:
        if wanted is not None and violation.get("impact") not in wanted:
            continue
        nodes = [
            {
                "target": " >>> ".join(_flatten_target(node.get("target", []))),
                "html": node.get("html", "")[:300],
                "summary": node.get("failureSummary", ""),
            }
            for node in violation.get("nodes", [])
        ]
        violations.append(
            {
                "id": violation["id"],
                "impact": violation.get("impact"),
                "help": violation.get("help"),
                "help_url": violation.get("helpUrl"),
                "targets": [n["target"] for n in nodes],
                "nodes": nodes,
            }
        )
    return violations


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One readable block per violation, for assertion messages."""
    if not violations:
        return "no accessibility violations"
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['help_url']})")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html']}")
    return "\n".join(lines)


def _flatten_target(target: Any) -> list[str]:
    # axe targets are selectors, or lists of selectors for iframes / shadow DOM.
    if isinstance(target, str):
        return [target]
    flat: list[str] = []
    for part in target:
        flat.extend(_flatten_target(part))
    return flat


def data_rows(csv_text: str) -> list[list[str]]:
    """The rows of a downloaded CSV after its commented provenance lines."""
    import csv
    import io

    return [row for row in csv.reader(io.StringIO(csv_text)) if not row[0].startswith("#")]


def csv_names_match(csv_names: list[str], shown: list[str]) -> bool:
    """Whether a CSV's column names are those of the table on screen, each maybe with the unit
    the CSV adds for its plain numbers (``charts.csv_column_name``)."""
    unit = r"(?: \((?:%|£|km²|per km²)\))?"
    return len(csv_names) == len(shown) and all(
        re.fullmatch(re.escape(name) + unit, csv_name)
        for csv_name, name in zip(csv_names, shown, strict=True)
    )


def open_table(card: Locator) -> Locator:
    """Open a chart card's "Table of this chart" and wait for the table the server sends."""
    card.get_by_text("Table of this chart").click()
    table = card.locator("table")
    table.locator("tbody tr").first.wait_for()
    return table


def open_about(card: Locator) -> Locator:
    """Open a chart card's "About" and wait for the notes the server sends."""
    about = card.locator(".chart-about")
    about.locator("summary").click()
    about.locator("dl").wait_for()
    return about


# Each chart's margins as Plotly laid them out (its own, widened for what it writes) by the id
# of its graph, once they have stayed the same for half a second.
MARGINS_SETTLED = """() => {
  const graphId = plot => {
    for (let element = plot; element; element = element.parentElement) {
      if (element.id) return element.id;
    }
    return '';
  };
  const plots = [...document.querySelectorAll('.chart-card .js-plotly-plot')];
  if (plots.some(plot => !(plot._fullLayout && plot._fullLayout._size))) return false;
  const sizes = JSON.stringify(Object.fromEntries(plots.map(plot => {
    const size = plot._fullLayout._size;
    return [graphId(plot), {l: size.l, r: size.r, t: size.t, b: size.b}];
  })));
  const now = performance.now();
  if (sizes !== window.__sizes) { window.__sizes = sizes; window.__sizesSince = now; }
  return !document.querySelector('[data-dash-is-loading="true"]')
    && now - window.__sizesSince > 500 ? sizes : false;
}"""


def settled_margins(page: Page) -> dict[str, dict]:
    """The page's charts' margins by graph id, once settled (``MARGINS_SETTLED``)."""
    return json.loads(page.wait_for_function(MARGINS_SETTLED, polling=100).json_value())


def changed_margins(before: dict[str, dict], after: dict[str, dict]) -> dict[str, tuple]:
    """The charts drawn in both whose margins differ: (before, after) by graph id."""
    return {
        graph: (before[graph], after[graph])
        for graph in before.keys() & after.keys()
        if before[graph] != after[graph]
    }


def assert_charts_keep_margins_and_texts(page: Page, charts: int, shown: Locator, choices) -> None:
    """Once the page's ``charts`` are drawn, make each (select, value, text) of ``choices`` in
    turn, and once ``shown`` holds its text check that every chart drawn before and after keeps
    its margins (a margin that moved from one drawing to the next made Plotly draw the chart
    twice on that change) and that no tick label or axis title is cut off, hidden or drawn
    over another."""
    from playwright.sync_api import expect

    expect(page.locator(".chart-card .js-plotly-plot")).to_have_count(charts)
    first = settled_margins(page)
    assert len(first) == charts
    assert texts_off_their_chart(page) == []
    for select, value, text in choices:
        page.select_option(select, value)
        expect(shown).to_contain_text(text)
        now = settled_margins(page)
        assert now.keys() <= first.keys(), (value, now.keys() - first.keys())
        assert changed_margins(first, now) == {}, value
        assert texts_off_their_chart(page) == [], value


# Each chart's tick labels and axis titles reaching past its edges or hidden, and its axis
# titles drawn over its tick labels, described: the labels of an axis without Plotly's
# automatic margin have only the room the figure's margins give them; Plotly hides a label that
# reaches past the chart, and keeps a title within it by moving it onto the labels.
_TEXTS_OFF_THEIR_CHART = """plots => plots.flatMap(plot => {
    const edge = plot.querySelector('.main-svg').getBoundingClientRect();
    const boxes = selector => [...plot.querySelectorAll(selector)]
      .filter(text => text.textContent)
      .map(text => [text.textContent, text.getBoundingClientRect()]);
    const labels = boxes('.xtick text, .ytick text');
    const titles = boxes('g[class^="g-x"][class$="title"] > text,'
      + ' g[class^="g-y"][class$="title"] > text');
    const outside = box => box.left < edge.left - 0.5 || box.right > edge.right + 0.5
      || box.top < edge.top - 0.5 || box.bottom > edge.bottom + 0.5;
    const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom
      && b.top < a.bottom;
    return [
      ...[...labels, ...titles].filter(([, box]) => !box.width).map(([text]) => `${text} hidden`),
      ...[...labels, ...titles].filter(([, box]) => box.width && outside(box))
        .map(([text]) => `${text} off the chart`),
      ...titles.flatMap(([title, box]) => labels.filter(([, label]) => meet(box, label))
        .map(([label]) => `${title} over ${label}`)),
    ];
  })"""


def texts_off_their_chart(page: Page, charts: str = ".chart-card .js-plotly-plot") -> list[str]:
    """The tick labels and axis titles of the charts ``charts`` selects that are cut off,
    hidden or drawn over one another, described (``_TEXTS_OFF_THEIR_CHART``)."""
    return page.eval_on_selector_all(charts, _TEXTS_OFF_THEIR_CHART)
