"""Browser fixtures: one live app server and one Chromium per session, a fresh page per test."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import PageWatcher, launched_chromium, serve_wsgi

# Dash renders after load and the test server is single-process: give assertions time.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def live_server(settings):
    from dashboard.application import create_app

    app = create_app(settings)
    with serve_wsgi(app.server) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def watcher(page, live_server):
    return PageWatcher(page, live_server)
