"""Chromium timings: a filter change to every chart repainted, and a page's first load.

A script added to every page counts the dashboard's callback requests in flight and notes the
time of the last change to the page (a response or any DOM mutation, such as Plotly drawing).
The page has settled when no callback is in flight, nothing is loading and nothing has changed
for ``QUIET_MS``; the time taken is that of the last change, so the quiet wait is not counted.

One change is noted but not counted as drawing: Dash's graph taking its mark
``dash-graph--pending`` off a chart. After drawing a chart placed anew, it asks Plotly to fit the
chart to its container, which Plotly does after a 100 ms pause, and only then takes the mark off;
no style sheet styles the mark (checked on every page opened), so taking it off changes nothing
on screen. A fit that does resize the chart redraws it, and that is counted. Nor are changes
outside the page's ``main`` (the filters' summary line, the locality menu, the links): since
8 Dec 2026 the page writes them once the charts are drawn (assets/view.js), and they are not a
chart repainted. The time to the last change of any kind is kept as well (``settled_ms``).

A repaint is timed from the moment the page receives the choice (the select's ``input`` event),
as a user's choice reaches it. Its parts are kept beside it: the time until the first callback
request went out (Dash's renderer reading the choice), after the last response, and the time
spent drawing charts (each draw a User Timing measure of assets/view.js, added up). So is the
time to the frame that showed the charts in view when the choice was made (a page draws them
before the others): what the room sees first.
Playwright's own way from the script to that event (its messages to the browser and its checks
of the select) is timed apart (``harness_ms``) and not counted: a user's click does not pay it.
"""

from __future__ import annotations

import contextlib
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from benchmarks.callback_times import percentile
from tests.support.browser import chromium_executable, chromium_launch_args

QUIET_MS = 600
TIMEOUT_MS = 120_000
FILTER_SELECTS = ("#filter-care-group", "#filter-locality")
OPTION_VALUES = "options => options.filter(o => !o.disabled).map(o => o.value)"
PENDING_MARK = "dash-graph--pending"
WATCH_SCRIPT = f"""
window.__bench = {{pending: 0, started: 0, chosenAt: null, inView: [], inViewShown: null,
  lastChange: performance.now(), lastDrawn: performance.now()}};
document.addEventListener("input", (event) => {{
  if (window.__bench.chosenAt === null && event.target instanceof HTMLSelectElement) {{
    window.__bench.chosenAt = event.timeStamp;
  }}
}}, true);
const pageFetch = window.fetch;
window.fetch = function (...args) {{
  const url = String((args[0] && args[0].url) || args[0]);
  const callback = url.includes("_dash-update-component");
  if (callback) {{ window.__bench.pending += 1; window.__bench.started += 1; }}
  const answer = pageFetch.apply(this, args);
  if (callback) answer.finally(() => {{
    window.__bench.pending -= 1;
    window.__bench.lastChange = window.__bench.lastDrawn = performance.now();
  }});
  return answer;
}};
const classesBesideMark = (value) => (value || "").split(/\\s+/)
  .filter((name) => name && name !== "{PENDING_MARK}").sort().join(" ");
const onlyMarkChanged = (record) => record.type === "attributes" && record.attributeName === "class"
  && classesBesideMark(record.oldValue) === classesBesideMark(record.target.getAttribute("class"));
const inPage = (record) => {{
  const main = document.querySelector("main");
  return main !== null && main.contains(record.target);
}};
const inViewChart = (record) => window.__bench.inView.some((chart) =>
  chart.contains(record.target));
new MutationObserver((records) => {{
  const now = performance.now();
  window.__bench.lastChange = now;
  const drawing = records.filter((record) => inPage(record) && !onlyMarkChanged(record));
  if (drawing.length) window.__bench.lastDrawn = now;
  // Shown at the next frame: the browser paints what a task drew once the task ends.
  if (drawing.some(inViewChart)) {{
    requestAnimationFrame(() => {{ window.__bench.inViewShown = performance.now(); }});
  }}
}}).observe(document, {{subtree: true, childList: true, attributes: true, characterData: true,
  attributeOldValue: true}});
"""
# Style rules that name the pending mark: were there any, taking it off could change the screen.
MARK_STYLED = f"""() => [...document.styleSheets].flatMap((sheet) => {{
  try {{ return [...sheet.cssRules]; }} catch (error) {{ return []; }}
}}).map((rule) => rule.cssText).filter((text) => text.includes("{PENDING_MARK}"))"""
# When the last callback response of a change had arrived (Resource Timing: a response's end,
# not when the page's script got round to reading it).
LAST_RESPONSE = """(start) => Math.max(start, ...performance.getEntriesByType('resource')
  .filter(e => e.name.includes('_dash-update-component') && e.startTime >= start)
  .map(e => e.responseEnd))"""
# When the first callback request of a change went out.
FIRST_REQUEST = """(start) => {
  const sent = performance.getEntriesByType('resource')
    .filter(e => e.name.includes('_dash-update-component') && e.startTime >= start)
    .map(e => e.startTime);
  return sent.length ? Math.min(...sent) : null;
}"""
# Before a change: Resource Timing's buffer cleared, so that its 250 entries never fill and
# drop new ones; the last choice forgotten; the charts in view noted; the page's time now.
BEFORE_CHANGE = """() => {
  performance.clearResourceTimings();
  window.__bench.chosenAt = null;
  window.__bench.inViewShown = null;
  window.__bench.inView = [...document.querySelectorAll('.js-plotly-plot')].filter((chart) => {
    const box = chart.getBoundingClientRect();
    return box.width > 0 && box.bottom > 0 && box.top < window.innerHeight;
  });
  return performance.now();
}"""
# The time Plotly spent drawing charts since ``start``: assets/view.js makes each chart's
# draw a User Timing measure.
PLOTLY_MS = """(start) => performance.getEntriesByName('chart drawn', 'measure')
  .filter(e => e.startTime >= start).reduce((sum, e) => sum + e.duration, 0)"""
SETTLED = f"""() => window.__bench && window.__bench.started > 0 && window.__bench.pending === 0
  && !document.querySelector('[data-dash-is-loading="true"]')
  && performance.now() - window.__bench.lastChange > {QUIET_MS}"""


@dataclass
class Tab:
    """A Chromium page, its DevTools session and the responses and bytes it has received."""

    page: object
    devtools: object
    received: dict = field(default_factory=lambda: {"responses": 0, "bytes": 0})


@contextlib.contextmanager
def opened_browser(playwright) -> Iterator[Tab]:
    """A Chromium page with the watch script and a DevTools session counting bytes received."""
    browser = playwright.chromium.launch(
        executable_path=chromium_executable(), args=chromium_launch_args()
    )
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.add_init_script(WATCH_SCRIPT)
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        tab = Tab(page, devtools)

        def finished(event: dict) -> None:
            tab.received["responses"] += 1
            tab.received["bytes"] += int(event["encodedDataLength"])

        devtools.on("Network.loadingFinished", finished)
        yield tab
    finally:
        browser.close()


@dataclass(frozen=True)
class Settled:
    """When a settled page last changed, in milliseconds since its time origin: drawing
    (``drawn``: any response or DOM mutation but the pending mark taken off) and anything at
    all (``changed``)."""

    drawn: float
    changed: float


def settled_at(page) -> Settled:
    """When the page last changed, once it has settled."""
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS, polling=100)
    drawn, changed = page.evaluate("[window.__bench.lastDrawn, window.__bench.lastChange]")
    return Settled(float(drawn), float(changed))


def open_page(tab: Tab, url: str, *, first: bool) -> dict:
    """Responses and bytes received until every chart has painted, and when that was (and
    when the page last changed at all). Stops if a style sheet styles the pending mark, which
    the times would then have to count."""
    if first:
        tab.devtools.send("Network.clearBrowserCache")
    tab.received.update(responses=0, bytes=0)
    # Network idle as well: Plotly's bundle loads after the first callbacks, with no DOM change.
    tab.page.goto(url, wait_until="networkidle", timeout=TIMEOUT_MS)
    settled = settled_at(tab.page)
    if styled := tab.page.evaluate(MARK_STYLED):
        raise RuntimeError(f"{url}: a style rule names {PENDING_MARK}: {styled[0]}")
    return {
        **tab.received,
        "painted_ms": round(settled.drawn, 1),
        "settled_ms": round(settled.changed, 1),
    }


@dataclass(frozen=True)
class Repaint:
    """One filter change: milliseconds from the page receiving the choice to the last chart
    repainted (``ms``); of those, the milliseconds after the last callback response arrived
    (``after_response_ms``, the browser's share); the select changed; the milliseconds
    Playwright took from the script's call to the page receiving the choice (``harness_ms``,
    not counted in ``ms``); the milliseconds to the page's last change of any kind
    (``settled_ms``: the pending mark taken off included); and, of ``ms``, the milliseconds
    before the first callback request went out (``before_request_ms``; None if none went out)
    and drawing charts (``plotly_ms``, every chart's draw added up); and the milliseconds to
    the frame that showed the last change to a chart in view when the choice was made
    (``in_view_ms``; None if none of them changed)."""

    ms: float
    after_response_ms: float
    select: str
    harness_ms: float
    settled_ms: float
    before_request_ms: float | None
    plotly_ms: float
    in_view_ms: float | None


def repaint_times(page, changes: int) -> tuple[list[Repaint], int]:
    """The filter changes made (see ``Repaint``) and how many never settled within
    ``TIMEOUT_MS`` (left out)."""
    repaints, timeouts = [], 0
    for change in range(changes):
        try:
            timed = filter_change(page, change)
        except PlaywrightTimeoutError:
            timeouts += 1
            continue
        if timed is not None:
            repaints.append(timed)
    return repaints, timeouts


def filter_change(page, change: int) -> Repaint | None:
    """Make the ``change``-th filter change (care group and locality in turn, each through its
    other values) and time it; None when the select offers no other value. A page not settled
    within ``TIMEOUT_MS`` raises Playwright's TimeoutError."""
    select = FILTER_SELECTS[change % len(FILTER_SELECTS)]
    values = page.eval_on_selector_all(f"{select} option", OPTION_VALUES)
    current = page.input_value(select)
    others = [value for value in values if value != current]
    if not others:
        return None
    value = others[(change // len(FILTER_SELECTS)) % len(others)]
    start = float(page.evaluate(BEFORE_CHANGE))
    page.select_option(select, value)
    settled = settled_at(page)
    chosen, in_view = page.evaluate("[window.__bench.chosenAt, window.__bench.inViewShown]")
    if chosen is None:
        raise RuntimeError(f"choosing {value!r} in {select} raised no input event")
    first_request = page.evaluate(FIRST_REQUEST, start)
    return Repaint(
        ms=settled.drawn - float(chosen),
        after_response_ms=settled.drawn - float(page.evaluate(LAST_RESPONSE, start)),
        select=select,
        harness_ms=float(chosen) - start,
        settled_ms=settled.changed - float(chosen),
        before_request_ms=None if first_request is None else first_request - float(chosen),
        plotly_ms=float(page.evaluate(PLOTLY_MS, start)),
        in_view_ms=None if in_view is None else float(in_view) - float(chosen),
    )


def measure(base: str, paths: list[str], changes: int, playwright) -> dict:
    """Per page: first-load bytes and paint time, repeat-visit bytes, repaint p50/p95."""
    results = {}
    with opened_browser(playwright) as tab:
        for path in paths:
            first = open_page(tab, base + path, first=True)
            repeat = open_page(tab, base + path, first=False)
            repaints, timeouts = repaint_times(tab.page, changes)
            times = [repaint.ms for repaint in repaints]
            settled = [repaint.settled_ms for repaint in repaints]
            in_view = [r.in_view_ms for r in repaints if r.in_view_ms is not None]
            results[path] = {
                "first_load": first,
                "repeat_visit": repeat,
                "repaint_p50_ms": p50(times),
                "repaint_p95_ms": p95(times),
                # Its parts: until the first request went out, after the last response, and
                # drawing charts.
                "before_request_p50_ms": p50(
                    [r.before_request_ms for r in repaints if r.before_request_ms is not None]
                ),
                "after_response_p50_ms": p50([r.after_response_ms for r in repaints]),
                "plotly_p50_ms": p50([r.plotly_ms for r in repaints]),
                # What the room sees first: the chart in view repainted (view.js draws it
                # before the others), over the changes that changed it.
                "in_view_p50_ms": p50(in_view),
                "in_view_p95_ms": p95(in_view),
                "in_view_changes": len(in_view),
                # A page whose charts a filter does not change (funding by care group)
                # repaints nothing for it: the p50 of each filter's changes, apart.
                "repaint_p50_ms_by_filter": {
                    select: p50(own)
                    for select in FILTER_SELECTS
                    if (own := [r.ms for r in repaints if r.select == select])
                },
                # Not counted in the times above: Playwright's way to the page's choice.
                "harness_p50_ms": p50([r.harness_ms for r in repaints]),
                # To the last change of any kind, the pending mark taken off included.
                "settled_p50_ms": p50(settled),
                "settled_p95_ms": p95(settled),
                "changes": len(times),
                "timeouts": timeouts,
            }
    return results


def p50(values: list[float]) -> float | None:
    """The median of ``values`` to 0.1 ms, or None for none."""
    return round(statistics.median(values), 1) if values else None


def p95(values: list[float]) -> float | None:
    """The 95th percentile of ``values`` to 0.1 ms, or None for none."""
    return round(percentile(values, 0.95), 1) if values else None
