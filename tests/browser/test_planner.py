"""The fair-share planner in the browser: the scenario lives in the address, a copied link and
back/forward restore it, the reach page's 50+ hours view is a link too, and axe finds nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import format_violations, hold_answers, run_axe, wait_until_held

CARDS = "#planner-charts .chart-card"


def _open(page, path: str) -> None:
    page.goto(path)
    expect(page.locator(CARDS)).to_have_count(4)
    expect(page.locator("#planner-hours .chart-card")).to_have_count(1)
    page.wait_for_load_state("networkidle")


def _first_subtitle(page):
    return page.locator(f"{CARDS} .chart-subtitle").first


@pytest.mark.browser
def test_the_scenario_is_in_the_address_and_a_copied_link_restores_it(page, browser, live_server):
    _open(page, "/planner")
    expect(_first_subtitle(page)).to_contain_text("in proportion to each district's unpaid carers")
    # The weights and uplift shape the weighted mix only: under another formula they changed
    # the address and nothing else, so they are disabled until it is chosen.
    expect(page.locator("#planner-weight-residents")).to_be_disabled()
    page.select_option("#planner-formula", "mix")
    expect(page).to_have_url(re.compile(r"formula=mix"))
    expect(page.locator("#planner-weight-residents")).to_be_enabled()
    # Each change is written to the address before the next, so each is its own history entry.
    for selector, part in (
        ("#planner-uplift", "uplift=50"),
        ("#planner-weight-residents", "w_residents=20"),
        ("#planner-phasing", "phase=50"),
    ):
        page.select_option(selector, part.split("=")[1])
        expect(page).to_have_url(re.compile(part))
    page.wait_for_load_state("networkidle")
    budget = page.locator("#planner-budget")
    budget.fill("8m")
    budget.press("Enter")
    expect(page).to_have_url(re.compile(r"budget=8m"))
    for part in ("uplift=50", "w_residents=20", "phase=50", "formula=mix"):
        expect(page).to_have_url(re.compile(part))
    expect(_first_subtitle(page)).to_contain_text("raised by up to 50% for deprivation")
    expect(_first_subtitle(page)).to_contain_text("£8m (a budget set in the planner)")
    expect(page.locator(f"{CARDS} .chart-title").nth(3)).to_contain_text(
        "50% of the remaining gap a year"
    )
    link = page.url

    context = browser.new_context(base_url=live_server)
    other = context.new_page()
    other.goto(link)
    expect(other.locator(CARDS)).to_have_count(4)
    expect(other.locator("#planner-uplift")).to_be_enabled()
    for selector, value in (
        ("#planner-formula", "mix"),
        ("#planner-uplift", "50"),
        ("#planner-weight-residents", "20"),
        ("#planner-phasing", "50"),
        ("#planner-budget", "8m"),
    ):
        expect(other.locator(selector)).to_have_value(value)
    expect(_first_subtitle(other)).to_contain_text("£8m (a budget set in the planner)")
    expect(_first_subtitle(other)).to_contain_text("raised by up to 50% for deprivation")
    expect(other).to_have_url(link)
    context.close()

    page.wait_for_load_state("networkidle")
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"budget="))
    expect(page.locator("#planner-budget")).to_have_value("")
    expect(_first_subtitle(page)).to_contain_text(
        "(the year's district allocations, carers' direct payments included)"
    )
    page.go_forward()
    expect(page.locator("#planner-budget")).to_have_value("8m")


@pytest.mark.browser
def test_a_slow_answer_for_an_earlier_scenario_never_replaces_the_latest(page):
    """Three changes are each sent before any answer comes back, and the answers arrive newest
    first, as from a busy server: the charts end on the last scenario, not the first. (Dash
    4.4 lets an overtaken answer land for a callback with an ALL output, as the cards' slots
    are; ``assets/view.js`` turns it into "no update".)"""
    _open(page, "/planner")
    held = hold_answers(page, "planner-charts.children")
    page.select_option("#planner-formula", "mix")
    expect(page).to_have_url(re.compile(r"formula=mix"))
    page.select_option("#planner-uplift", "50")
    expect(page).to_have_url(re.compile(r"uplift=50"))
    budget = page.locator("#planner-budget")
    budget.fill("8m")
    budget.press("Enter")
    expect(page).to_have_url(re.compile(r"budget=8m"))
    wait_until_held(page, held, 3)
    assert len(held) == 3
    for route in reversed(held):
        with page.expect_request_finished(lambda request, route=route: request == route.request):
            route.fulfill(response=route.fetch())
    # Give Dash the moment it takes to apply an answer before reading the page.
    page.wait_for_timeout(1_000)
    expect(_first_subtitle(page)).to_contain_text("£8m (a budget set in the planner)")
    expect(_first_subtitle(page)).to_contain_text("raised by up to 50% for deprivation")


@pytest.mark.browser
def test_an_unusable_budget_in_a_link_falls_back_with_a_notice(page):
    _open(page, "/planner?budget=lots&formula=carers_50plus")
    expect(page.locator("#filter-notice")).to_contain_text("lots")
    expect(page.locator("#planner-budget")).to_have_value("")
    expect(_first_subtitle(page)).to_contain_text("carers caring 50+ hours a week")
    expect(page).to_have_url(re.compile(r"/planner\?formula=carers_50plus$"))


@pytest.mark.browser
def test_a_typed_budget_that_cannot_be_used_is_explained_on_every_card(page):
    _open(page, "/planner")
    budget = page.locator("#planner-budget")
    budget.fill("a lot")
    budget.press("Enter")
    expect(page.locator(f"{CARDS} .chart-unavailable")).to_have_count(4)
    expect(page.locator(f"{CARDS} .chart-unavailable").first).to_contain_text(
        "is not an amount of money"
    )


@pytest.mark.browser
def test_planner_page_is_clean_and_has_no_serious_accessibility_violations(page, watcher):
    _open(page, "/planner?formula=mix")
    watcher.assert_clean()
    assert watcher.external_urls == []
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


@pytest.mark.browser
def test_reach_against_carers_caring_50_plus_hours_is_a_link(page):
    page.goto("/reach")
    expect(page.locator("#reach-charts .chart-card")).to_have_count(2)
    page.get_by_role("radio", name="Carers caring 50+ hours a week").check()
    expect(page).to_have_url(re.compile(r"base=carers_50plus"))
    expect(page.locator("#reach-charts .chart-title").first).to_contain_text(
        "Against carers caring 50+ hours"
    )
    page.reload()
    expect(page.get_by_role("radio", name="Carers caring 50+ hours a week")).to_be_checked()
    expect(page.locator("#reach-hours .chart-card")).to_have_count(1)
