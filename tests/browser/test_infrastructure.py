"""The browser test helpers in tests/support/browser.py detect what they claim to detect."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.support.browser import (
    PageWatcher,
    chromium_launch_args,
    format_violations,
    run_axe,
    serve_wsgi,
)

pytestmark = pytest.mark.browser

HEAD = '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'

CLEAN_PAGE = f"""<!doctype html>
<html lang="en"><head>{HEAD}<title>Clean page</title></head>
<body><main>
  <h1>Carers supported in Kent</h1>
  <p>Plain, readable text with good contrast.</p>
  <label for="district">District</label>
  <select id="district"><option>Ashford</option><option>Dover</option></select>
  <button type="button">Apply filter</button>
  <script src="/static/app.js"></script>
</main></body></html>"""

INACCESSIBLE_PAGE = f"""<!doctype html>
<html lang="en"><head>{HEAD}<title>Broken page</title></head>
<body><main>
  <h1>Broken</h1>
  <img src="/static/chart.png">
  <button type="button" id="nameless"></button>
</main></body></html>"""

MODERATE_ONLY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, user-scalable=no">
<title>Moderate issue only</title></head>
<body><main><h1>Zoom disabled</h1>
<button type="button" tabindex="3">Positive tabindex is a serious best-practice issue</button>
</main></body></html>"""

EXTERNAL_PAGE = f"""<!doctype html>
<html lang="en"><head>{HEAD}<title>External</title></head>
<body><main><h1>External</h1>
<script src="/static/app.js"></script>
<script>fetch('http://example.invalid/tracker.js').catch(() => {{}});</script>
</main></body></html>"""

CONSOLE_PAGE = f"""<!doctype html>
<html lang="en"><head>{HEAD}<title>Console</title></head>
<body><main><h1>Console</h1>
<script>
  console.log('just information');
  console.warn('just a warning');
  console.error('boom from the page');
  setTimeout(() => {{ throw new Error('uncaught kaboom'); }}, 0);
</script>
</main></body></html>"""

# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _app() -> Flask:
    app = Flask(__name__)
    pages = {
        "/clean": CLEAN_PAGE,
        "/inaccessible": INACCESSIBLE_PAGE,
        "/moderate": MODERATE_ONLY_PAGE,
        "/external": EXTERNAL_PAGE,
        "/console": CONSOLE_PAGE,
    }
    for path, html in pages.items():
        app.add_url_rule(path, path, lambda html=html: html)
    app.add_url_rule(
        "/static/app.js",
        "js",
        lambda: ("window.appLoaded = true;", 200, {"Content-Type": "text/javascript"}),
    )
    app.add_url_rule("/static/chart.png", "png", lambda: (PNG, 200, {"Content-Type": "image/png"}))
    return app


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_wsgi(_app()) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_launch_args_are_headless_and_offline_friendly() -> None:
    args = chromium_launch_args()
    for flag in ("--headless", "--no-sandbox", "--disable-background-networking", "--no-first-run"):
        assert flag in args
    # Playwright makes (and removes) a temporary profile itself and rejects this flag.
    assert not any(a.startswith("--user-data-dir") for a in args)


def test_serve_wsgi_serves_and_shuts_down() -> None:
    import urllib.error
    import urllib.request

    with serve_wsgi(_app()) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/clean", timeout=5) as response:
            assert response.status == 200
            assert b"Carers supported in Kent" in response.read()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{url}/clean", timeout=2)


def test_axe_reports_obvious_violations(page, base_url: str) -> None:
    page.goto(f"{base_url}/inaccessible")
    violations = run_axe(page)
    ids = {v["id"] for v in violations}
    assert {"image-alt", "button-name"} <= ids, format_violations(violations)
    assert all(v["impact"] in {"serious", "critical"} for v in violations)
    button = next(v for v in violations if v["id"] == "button-name")
    assert button["targets"] == ["#nameless"], format_violations(violations)


def test_axe_passes_clean_page(page, base_url: str) -> None:
    page.goto(f"{base_url}/clean")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)
    # Running again reuses the injected script.
    assert run_axe(page, impacts=None) == []


def test_axe_filters_by_impact_and_tags(page, base_url: str) -> None:
    page.goto(f"{base_url}/moderate")
    everything = run_axe(page, impacts=None)
    assert [(v["id"], v["impact"]) for v in everything] == [("meta-viewport", "moderate")]
    assert run_axe(page) == [], "moderate violations must not be reported by default"
    assert run_axe(page, impacts=("moderate",)) == everything
    # The serious "tabindex" rule is best-practice, not WCAG: only reported when asked for.
    assert [v["id"] for v in run_axe(page, tags=("best-practice",))] == ["tabindex"]


def test_watcher_records_external_requests_only(page, base_url: str) -> None:
    watcher = PageWatcher(page, base_url)
    with page.expect_request(lambda r: "example.invalid" in r.url):
        page.goto(f"{base_url}/external")
    page.wait_for_function("window.appLoaded === true")
    assert watcher.external_urls == ["http://example.invalid/tracker.js"], watcher.summary()
    assert watcher.is_external("https://cdn.example.com/x.js")
    assert watcher.is_external(base_url.replace("127.0.0.1", "localhost") + "/x")
    assert not watcher.is_external(f"{base_url}/static/app.js")
    assert not watcher.is_external("data:text/plain,hi")


def test_watcher_records_console_and_page_errors(page, base_url: str) -> None:
    watcher = PageWatcher(page, base_url)
    with page.expect_event("pageerror"):
        page.goto(f"{base_url}/console")
    assert [e["text"] for e in watcher.console_errors] == ["boom from the page"], watcher.summary()
    assert len(watcher.page_errors) == 1, watcher.summary()
    assert "uncaught kaboom" in watcher.page_errors[0]["message"]
    assert watcher.external_requests == []
    with pytest.raises(AssertionError, match="boom from the page"):
        watcher.assert_clean()


def test_watcher_records_failed_requests_and_error_responses(page, base_url: str) -> None:
    watcher = PageWatcher(page, base_url)
    page.goto(f"{base_url}/clean")
    page.route("**/aborted", lambda route: route.abort())
    with page.expect_event("requestfailed"):
        page.evaluate("fetch('/aborted').catch(() => {})")
    with page.expect_response(lambda r: r.url.endswith("/missing")):
        page.evaluate("fetch('/missing').catch(() => {})")
    assert [r["url"] for r in watcher.failed_requests] == [f"{base_url}/aborted"]
    assert [(r["url"], r["status"]) for r in watcher.error_responses] == [
        (f"{base_url}/missing", 404)
    ]
    assert watcher.external_requests == []


def test_watcher_stays_clean_on_clean_page(page, base_url: str) -> None:
    watcher = PageWatcher(page, base_url)
    page.goto(f"{base_url}/clean")
    page.wait_for_function("window.appLoaded === true")
    watcher.assert_clean()
    assert watcher.summary() == "no problems"


def test_repaint_watch_counts_drawing_but_not_the_pending_mark_taken_off(browser, base_url) -> None:
    """The benchmark's page script (benchmarks/browser_times.py): Dash's pending mark put on
    and taken off is a change but not drawing, and so is a change outside the page's ``main``
    (the filters' summary); any other change is both; a change to a chart in view is timed to
    the frame that shows it."""
    from benchmarks.browser_times import BEFORE_CHANGE, MARK_STYLED, WATCH_SCRIPT

    context = browser.new_context()
    context.add_init_script(WATCH_SCRIPT)
    page = context.new_page()
    try:
        page.goto(f"{base_url}/clean")
        page.evaluate("""() => { const chart = document.createElement('div');
            chart.id = 'chart'; chart.className = 'js-plotly-plot';
            document.querySelector('main').append(chart);
            const summary = document.createElement('p'); summary.id = 'summary';
            document.body.prepend(summary); }""")
        page.wait_for_timeout(50)

        def times_after(script: str) -> tuple[bool, bool]:
            before = page.evaluate("[window.__bench.lastDrawn, window.__bench.lastChange]")
            page.evaluate(script)
            page.wait_for_timeout(50)
            after = page.evaluate("[window.__bench.lastDrawn, window.__bench.lastChange]")
            return after[0] > before[0], after[1] > before[1]

        chart = "document.getElementById('chart').classList"
        assert times_after(f"{chart}.add('dash-graph--pending')") == (False, True)
        assert times_after(f"{chart}.remove('dash-graph--pending')") == (False, True)
        assert times_after(f"{chart}.add('drawn')") == (True, True)
        assert times_after(f"{chart}.replace('drawn', 'dash-graph--pending')") == (True, True)
        assert times_after("document.getElementById('chart').textContent = 'bars'") == (True, True)
        assert times_after("document.getElementById('summary').textContent = 'Kent'") == (
            False,
            True,
        )

        # A chart in view when the change began is timed to the frame that shows its change;
        # one out of view is not, nor is the pending mark.
        page.evaluate("""() => { const far = document.createElement('div');
            far.id = 'far'; far.className = 'js-plotly-plot';
            far.style.cssText = 'position: absolute; top: 5000px; height: 10px; width: 10px';
            far.textContent = 'x'; document.querySelector('main').append(far); }""")
        page.evaluate(BEFORE_CHANGE)
        page.evaluate(f"{chart}.remove('dash-graph--pending')")
        page.evaluate("document.getElementById('far').textContent = 'lines'")
        page.wait_for_timeout(100)
        assert page.evaluate("window.__bench.inViewShown") is None
        changed_at = page.evaluate(
            "() => { document.getElementById('chart').textContent = 'dots';"
            " return performance.now(); }"
        )
        page.wait_for_timeout(100)
        assert page.evaluate("window.__bench.inViewShown") > changed_at

        assert page.evaluate(MARK_STYLED) == []
        page.add_style_tag(content=".dash-graph--pending { opacity: 0.5; }")
        assert page.evaluate(MARK_STYLED) == [".dash-graph--pending { opacity: 0.5; }"]
    finally:
        context.close()
