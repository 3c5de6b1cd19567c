"""Every page in a real browser: loads cleanly, stays on its own server, passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import format_violations, run_axe

PAGES = {
    "/": "#overview-cards .headline-card",
    "/data": "#data-measures table",
    "/changes": "#changes-results .chart-card",
    "/decisions": "#decisions-results .chart-card",
}


def _open(page, path: str, ready: str) -> None:
    page.goto(path)
    expect(page.locator(ready).first).to_be_visible()
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_errors_or_outside_requests(page, watcher, path):
    _open(page, path, PAGES[path])
    assert page.locator(".dash-fe-error__title").count() == 0
    watcher.assert_clean()
    assert watcher.external_urls == []


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violations(page, path):
    _open(page, path, PAGES[path])
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


@pytest.mark.browser
def test_every_registered_page_is_in_the_navigation(page):
    _open(page, "/", PAGES["/"])
    links = page.get_by_role("navigation", name="Dashboard pages").get_by_role("link")
    hrefs = {
        href.split("?")[0]
        for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    }
    assert hrefs == {
        "/",
        "/funding",
        "/reach",
        "/investment",
        "/planner",
        "/short-breaks",
        "/targets",
        "/changes",
        "/decisions",
        "/data",
    }


@pytest.mark.browser
@pytest.mark.parametrize("width", [1024, 1280, 1440])
def test_the_navigation_takes_one_line_on_a_laptop_or_projector(page, width):
    # At 1024 px the ten links took two lines, pushing the page down a line on every screen.
    page.set_viewport_size({"width": width, "height": 720})
    _open(page, "/", PAGES["/"])
    links = page.get_by_role("navigation", name="Dashboard pages").get_by_role("link")
    tops = links.evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().top))")
    assert len(tops) == 10 and len(set(tops)) == 1, tops


@pytest.mark.browser
def test_overview_shows_five_headlines_with_status_and_source(page):
    _open(page, "/", PAGES["/"])
    cards = page.locator("#overview-cards .headline-card")
    expect(cards).to_have_count(5)
    for index in range(5):
        card = cards.nth(index)
        expect(card.locator(".headline-source")).to_contain_text("Source:")
    expect(page.locator("#overview-cards")).to_contain_text("135,907")


@pytest.mark.browser
def test_published_funding_shows_as_published(page):
    _open(page, "/?period=2016-17", PAGES["/"])
    card = page.locator("#overview-cards .headline-card").first
    expect(card).to_contain_text("£7.5m")
    expect(card).to_contain_text("KCC £5.66m")
    expect(card).to_contain_text("NHS £1.84m")
    expect(card.locator(".headline-meta .status-badge")).to_contain_text("Published")


@pytest.mark.browser
def test_the_browser_keeps_its_own_number_parsing_and_trimming(page):
    # Dash's polyfill (core-js 2) replaces these with slower copies that count U+180E as white
    # space; the browser's own functions, as ECMAScript has them since 2016, do not.
    _open(page, "/", PAGES["/"])
    kept = page.evaluate(
        """() => [[parseFloat, parseInt, Number.parseFloat].map(f => Number.isNaN(f('\\u180e1'))),
                  ['\\u180e'.trim().length, '\\u180e'.trimStart().length]]"""
    )
    assert kept == [[True, True, True], [1, 1]]  # not a number after a non-space; kept


@pytest.mark.browser
def test_the_pages_components_hear_of_store_changes_once_a_task_but_at_once_in_an_event(page):
    # Dash's callback machinery subscribed before the list had the store, so it hears of each
    # change at once; a later subscriber (React's) hears once for a task's changes, except
    # while an event is handled, when a controlled input must see its new value at once.
    _open(page, "/", PAGES["/"])
    heard = page.evaluate(
        """async () => {
          const store = window.dash_stores[window.dash_stores.length - 1];
          let told = 0;
          const stop = store.subscribe(() => { told += 1; });
          const changes = () => { for (let i = 0; i < 5; i++) store.dispatch({type: 'NOTHING'}); };
          changes();
          const inTask = told;
          await new Promise(resolve => setTimeout(resolve, 50));
          const afterTask = told;
          const button = document.createElement('button');
          document.body.appendChild(button);
          button.addEventListener('click', () => changes());
          button.click();
          const inEvent = told - afterTask;
          button.remove();
          stop();
          changes();
          await new Promise(resolve => setTimeout(resolve, 50));
          return {inTask, afterTask, inEvent, afterStop: told - afterTask - inEvent};
        }"""
    )
    assert heard == {"inTask": 0, "afterTask": 1, "inEvent": 5, "afterStop": 0}


@pytest.mark.browser
def test_since_the_last_meeting_follows_the_filters(page):
    # The revisions card kept "Kent · all care groups" after a locality was chosen.
    _open(page, "/changes", PAGES["/changes"])
    results = page.locator("#changes-results")
    expect(results).not_to_contain_text("Thanet & Dover")
    page.select_option("#filter-locality", "thanet-dover")
    expect(results).to_contain_text("Thanet & Dover")


@pytest.mark.browser
def test_a_meeting_date_counts_once_typed_in_full(page):
    # Each keystroke made a half-typed date the page's: 0002-01-01, 0020-01-01, 0202-01-01...
    _open(page, "/changes", PAGES["/changes"])
    before = page.evaluate("history.length")
    field = page.locator("#changes-since")
    field.focus()  # the first part of the date (the month, in this browser's en-US)
    field.press_sequentially("01012020")
    expect(page).not_to_have_url(re.compile(r"since=0"))
    assert page.evaluate("history.length") == before
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"since=2020-01-01"))
