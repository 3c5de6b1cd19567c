"""Decisions in the browser: an editor records an event, it is listed and filtered on the
Decisions page and marked on a trend; axe finds nothing serious on either page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import format_violations, run_axe, served_with_account

PASSWORD = "a long enough password"
TITLE = "Group agrees a new short breaks specification"


@pytest.fixture
def editor_server(fresh_db_url, boundaries_path):
    with served_with_account(fresh_db_url, boundaries_path, "editor1", PASSWORD, "editor") as url:
        yield url


@pytest.mark.browser
def test_an_editor_records_an_event_that_is_listed_and_marked(browser, editor_server):
    context = browser.new_context(base_url=editor_server)
    page = context.new_page()
    page.goto("/decisions/manage")
    page.get_by_label("User name").fill("editor1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{editor_server}/decisions/manage")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)

    page.get_by_label("Date (YYYY-MM-DD)").fill("2016-06-01")
    page.get_by_label("Kind").select_option("jcg-decision")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Service lines it concerns").select_option("short-breaks-contracted")
    page.get_by_role("button", name="Record the event").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Source or citation")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)
    page.get_by_label("Source or citation").fill("JCG minutes, June 2016, item 3")
    page.get_by_role("button", name="Record the event").click()
    expect(page.locator("table.decision-events")).to_contain_text(TITLE)

    page.goto("/decisions")
    results = page.locator("#decisions-results")
    expect(results.locator(".chart-title")).to_contain_text("decisions and contract events")
    page.select_option("#decisions-kind", "jcg-decision")
    expect(results.locator(".chart-title")).to_contain_text("1 decision or contract event")
    expect(results.locator("table tbody tr")).to_have_count(1)  # the list follows the filter
    expect(results.locator("table")).to_contain_text(TITLE)  # the list, with no table to open
    expect(results.locator("table")).to_contain_text("Recorded on screen (not published)")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)

    page.goto("/short-breaks")
    events = page.locator(".chart-events").first
    expect(events).to_contain_text(TITLE)
    expect(
        page.locator(".js-plotly-plot .annotation-text", has_text="JCG decision").first
    ).to_be_visible()
    context.close()
