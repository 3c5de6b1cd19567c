"""The global filters live in the URL: links restore them, history works, pages keep them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    CALLBACK_REQUESTS,
    hold_answers,
    release_answers,
    wait_until_held,
)

READY = "#overview-cards .headline-card"


def _open(page, path: str) -> None:
    page.goto(path)
    expect(page.locator(READY).first).to_be_visible()


def _hold_filter_answers(page) -> list:
    """Hold back the server's part of each select change (locality options, address, summary)
    until ``release_answers``; the routes held so far are in the list returned."""
    return hold_answers(page, "filter-query.data")


@pytest.mark.browser
def test_setting_a_filter_changes_the_url_and_the_url_restores_it(page, browser, live_server):
    _open(page, "/")
    page.select_option("#filter-care-group", "dementia")
    expect(page).to_have_url(re.compile(r"care_group=dementia"))
    page.select_option("#filter-locality", "thanet-dover")
    expect(page).to_have_url(re.compile(r"locality=thanet-dover"))
    shared_link = page.url

    context = browser.new_context(base_url=live_server)
    other = context.new_page()
    other.goto(shared_link)
    expect(other.locator("#filter-care-group")).to_have_value("dementia")
    expect(other.locator("#filter-locality")).to_have_value("thanet-dover")
    expect(other.locator("#filter-scheme")).to_have_value("cas-2013")
    expect(other.locator("#overview-summary")).to_contain_text("Thanet & Dover")
    context.close()


@pytest.mark.browser
def test_filters_change_the_figures(page):
    _open(page, "/?period=2016-17")
    first = page.locator("#overview-cards .headline-value").first
    expect(first).to_have_text("£7.5m")
    page.select_option("#filter-locality", "canterbury-swale")
    expect(first).not_to_have_text("£7.5m")
    expect(page.locator("#overview-cards .headline-card").first).to_contain_text("Demo")


@pytest.mark.browser
def test_back_and_forward_restore_filters(page):
    _open(page, "/")
    page.select_option("#filter-period", "2015-16")
    expect(page).to_have_url(re.compile(r"period=2015-16"))
    page.select_option("#filter-care-group", "mental-health")
    expect(page).to_have_url(re.compile(r"care_group=mental-health"))
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"care_group"))
    expect(page.locator("#filter-care-group")).to_have_value("all")
    expect(page.locator("#filter-period")).to_have_value("2015-16")
    page.go_forward()
    expect(page.locator("#filter-care-group")).to_have_value("mental-health")


@pytest.mark.browser
def test_moving_between_pages_keeps_the_filters(page):
    _open(page, "/?locality=east-kent&scheme=east-west")
    expect(page.locator("#filter-scheme")).to_have_value("east-west")
    navigation = page.get_by_role("navigation", name="Dashboard pages")
    navigation.get_by_role("link", name="Data and methods").click()
    expect(page).to_have_url(re.compile(r"/data\?.*locality=east-kent"))
    expect(page.locator("#filter-locality")).to_have_value("east-kent")


@pytest.mark.browser
def test_unknown_values_are_ignored_with_one_notice_and_the_address_corrected(page, watcher):
    _open(page, "/?care_group=astronauts&period=1999-00&locality=atlantis&scheme=cas-2013")
    notice = page.locator("#filter-notice")
    expect(notice).to_contain_text("astronauts")
    expect(notice).to_contain_text("1999-00")
    expect(notice).to_contain_text("atlantis")
    expect(notice.locator(".alert")).to_have_count(1)
    expect(page.locator("#filter-care-group")).to_have_value("all")
    expect(page).not_to_have_url(re.compile(r"astronauts|1999-00|atlantis"))
    expect(notice.locator(".alert")).to_have_count(1)  # still shown once the address is fixed
    watcher.assert_clean()


@pytest.mark.browser
def test_a_corrected_link_keeps_its_valid_values_and_the_links_follow(page):
    _open(page, "/?care_group=astronauts&period=2015-16")
    expect(page).to_have_url(re.compile(r"/\?period=2015-16$"))
    expect(page.locator("#filter-period")).to_have_value("2015-16")
    expect(page.locator("#filter-notice .alert")).to_have_count(1)
    navigation = page.get_by_role("navigation", name="Dashboard pages")
    expect(navigation.get_by_role("link", name="Funding")).to_have_attribute(
        "href", "/funding?period=2015-16"
    )
    navigation.get_by_role("link", name="Funding").click()
    expect(page).to_have_url(re.compile(r"/funding\?period=2015-16$"))
    expect(page.locator("#filter-notice .alert")).to_have_count(0)


@pytest.mark.browser
def test_changing_each_dropdown_raises_no_notice(page, watcher):
    _open(page, "/")
    notices = page.locator("#filter-notice .alert")
    changes = [
        ("#filter-scheme", "east-west", r"scheme=east-west"),
        ("#filter-locality", "east-kent", r"locality=east-kent"),
        ("#filter-care-group", "dementia", r"care_group=dementia"),
        ("#filter-period", "2015-16", r"period=2015-16"),
        ("#filter-care-group", "all", r"^(?!.*care_group)"),
        ("#filter-period", "latest", r"^(?!.*period=)"),
        ("#filter-locality", "all", r"^(?!.*locality)"),
        ("#filter-scheme", "cas-2013", r"^(?!.*scheme)"),
    ]
    for select, value, address in changes:
        page.select_option(select, value)
        expect(page).to_have_url(re.compile(address))
        expect(page.locator(select)).to_have_value(value)
        expect(notices).to_have_count(0)
    expect(page.locator("#overview-summary")).to_contain_text("Kent")
    watcher.assert_clean()


@pytest.mark.browser
def test_the_charts_are_asked_for_without_waiting_for_the_servers_filter_answer(page):
    _open(page, "/")
    held = _hold_filter_answers(page)
    page.select_option("#filter-locality", "thanet-dover")
    expect(page.locator("#overview-summary")).to_contain_text("Thanet & Dover")
    assert len(held) == 1
    expect(page).not_to_have_url(re.compile(r"locality="))
    release_answers(page, held)
    expect(page).to_have_url(re.compile(r"locality=thanet-dover"))
    expect(page.locator("#filter-summary")).to_contain_text("Thanet & Dover")


@pytest.mark.browser
def test_a_new_scheme_clears_the_locality_and_a_change_clears_the_link_notice(page, watcher):
    _open(page, "/?locality=thanet-dover&care_group=astronauts")
    expect(page.locator("#filter-notice .alert")).to_have_count(1)
    expect(page.locator("#overview-summary")).to_contain_text("Thanet & Dover")
    page.select_option("#filter-scheme", "east-west")
    expect(page.locator("#filter-locality")).to_have_value("all")
    expect(page.locator("#filter-notice .alert")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/\?scheme=east-west$"))
    expect(page.locator("#overview-summary")).not_to_contain_text("Thanet")
    page.select_option("#filter-locality", "east-kent")
    expect(page.locator("#overview-summary")).to_contain_text("East Kent")
    watcher.assert_clean()


@pytest.mark.browser
def test_a_locality_of_the_old_scheme_picked_before_the_new_options_is_not_used(page, watcher):
    # The locality menu still lists the old scheme's localities until the server's answer to
    # the scheme change arrives; a pick from it then must not reach the charts.
    _open(page, "/?care_group=dementia")
    held = _hold_filter_answers(page)
    page.select_option("#filter-scheme", "east-west")
    expect(page.locator("#filter-locality")).to_have_value("all")
    page.select_option("#filter-locality", "thanet-dover")  # still offered: the old menu
    expect(page.locator("#filter-locality")).to_have_value("all")
    release_answers(page, held)
    expect(page).to_have_url(re.compile(r"scheme=east-west"))
    expect(page).not_to_have_url(re.compile(r"locality="))
    page.select_option("#filter-locality", "east-kent")
    expect(page.locator("#overview-summary")).to_contain_text("East Kent")
    expect(page.locator("#overview-summary")).to_contain_text("Dementia")
    watcher.assert_clean()


# What each chart card shows: its visible text (title, subtitle, demo mark, notes, footer), its
# chart's name for a screen reader and every text Plotly drew (ticks, labels, legend).
SHOWN_CARDS = """() => [...document.querySelectorAll('main .chart-card')].map(card => [
    card.innerText,
    (card.querySelector('[role=figure]') || {}).ariaLabel || null,
    [...card.querySelectorAll('.js-plotly-plot text')].map(t => t.textContent).join('|'),
])"""
CARD_READY = {
    "/funding": "#funding-charts .chart-card .js-plotly-plot",
    "/targets": "#targets-new-carers .chart-card .js-plotly-plot",
}


def _shown_cards(page, path: str) -> list:
    expect(page.locator(CARD_READY[path]).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.locator('[data-dash-is-loading="true"]')).to_have_count(0)
    # A chart out of view is drawn a frame after the answer (assets/view.js): Dash's graph
    # marks it pending until then.
    expect(page.locator(".js-plotly-plot.dash-graph--pending")).to_have_count(0)
    return page.evaluate(SHOWN_CARDS)


@pytest.mark.browser
@pytest.mark.parametrize("path", list(CARD_READY))
def test_cards_clicked_through_show_what_their_link_opened_afresh_shows(page, browser, path):
    # A change writes only the card slots whose value changed (by the digests the page posts
    # back): after each click, every card must say exactly what a fresh load of the same link
    # says, whether a slot was written or left as it was.
    page.goto(path)
    _shown_cards(page, path)
    context = browser.new_context(base_url=page.url.split(path)[0])
    fresh = context.new_page()
    for select, value, in_url in (
        ("#filter-care-group", "dementia", "care_group=dementia"),
        ("#filter-locality", "thanet-dover", "locality=thanet-dover"),
        ("#filter-care-group", "all", "locality=thanet-dover$"),
        ("#filter-locality", "canterbury-swale", "locality=canterbury-swale"),
    ):
        page.select_option(select, value)
        expect(page).to_have_url(re.compile(in_url))
        clicked = _shown_cards(page, path)
        fresh.goto(page.url)
        assert clicked == _shown_cards(fresh, path), (select, value)
    context.close()


@pytest.mark.browser
def test_an_outage_while_the_page_is_open_is_told_and_cleared_once_answered(page):
    # Callbacks answered 503 changed nothing on the page and said nothing: the charts stayed
    # under a locality they were not for.
    page.goto("/reach")
    expect(page.locator(".chart-card .js-plotly-plot").first).to_be_visible(timeout=90_000)
    unavailable = {
        "status": "unavailable",
        "message": "Data temporarily unavailable: the dashboard cannot reach its database.",
    }
    page.route(
        CALLBACK_REQUESTS,
        lambda route: route.fulfill(status=503, json=unavailable, headers={"Retry-After": "30"}),
    )
    page.select_option("#filter-locality", "thanet-dover")
    notice = page.locator(".page-fault .page-outage")
    expect(notice).to_contain_text("Data temporarily unavailable")
    expect(notice).to_contain_text("may be for the filters chosen before")
    page.unroute(CALLBACK_REQUESTS)
    page.select_option("#filter-care-group", "dementia")
    expect(notice).to_have_count(0)
    expect(page.locator(".chart-card .chart-title").first).to_contain_text("Thanet & Dover")


# Every chart drawn since ``start``: whether it was in view, when its draw began and ended
# (assets/view.js makes each draw a User Timing measure); and the frames the page has shown.
DRAWS = """(start) => performance.getEntriesByName('chart drawn', 'measure')
    .filter(e => e.startTime >= start)
    .map(e => [e.detail.inView, e.startTime, e.startTime + e.duration])"""
COUNT_FRAMES = """() => { window.kcFrames = [];
    const tick = () => { window.kcFrames.push(performance.now()); requestAnimationFrame(tick); };
    requestAnimationFrame(tick); return performance.now(); }"""


@pytest.mark.browser
def test_a_filter_change_shows_the_chart_in_view_before_drawing_the_others(page):
    # Plotly drew the page's four charts in one task, and the browser showed none until the
    # last was drawn; only the first is in view at 1280x900.
    page.goto("/targets")
    _shown_cards(page, "/targets")
    expect(page.locator("main .chart-card .js-plotly-plot")).to_have_count(4)
    start = page.evaluate(COUNT_FRAMES)
    page.select_option("#filter-locality", "thanet-dover")
    page.wait_for_function(f"() => ({DRAWS})({start}).length >= 4")
    (in_view, _, first_end), *others = page.evaluate(DRAWS, start)
    assert in_view and not any(shown for shown, _, _ in others)
    frames = page.evaluate("window.kcFrames")
    later = min(began for _, began, _ in others)
    assert any(first_end < frame < later for frame in frames), (first_end, later)
    fresh = page.context.new_page()
    fresh.goto(page.url)
    assert _shown_cards(page, "/targets") == _shown_cards(fresh, "/targets")
    fresh.close()


# When the filters' summary was last written (a mutation observed under it).
WATCH_SUMMARY = """() => { window.kcSummaryWritten = null;
    new MutationObserver(() => { window.kcSummaryWritten = performance.now(); })
        .observe(document.getElementById('filter-summary'),
                 {subtree: true, childList: true, characterData: true});
    return performance.now(); }"""


@pytest.mark.browser
def test_a_filter_changes_summary_is_written_once_its_charts_are_drawn(page):
    # The summary's answer is quicker to make than the charts' and came first: Dash wrote it,
    # and the address and links it sets off, while the charts' answer waited.
    page.goto("/targets")
    _shown_cards(page, "/targets")
    start = page.evaluate(WATCH_SUMMARY)
    page.select_option("#filter-locality", "thanet-dover")
    expect(page.locator("#filter-summary")).to_contain_text("Thanet & Dover")
    page.wait_for_function(f"() => ({DRAWS})({start}).length >= 4")
    last_drawn = max(end for _, _, end in page.evaluate(DRAWS, start))
    assert page.evaluate("window.kcSummaryWritten") >= last_drawn
    expect(page).to_have_url(re.compile(r"locality=thanet-dover"))


@pytest.mark.browser
@pytest.mark.parametrize("answer", ["none", "failed"])
def test_a_filter_changes_summary_is_written_when_its_charts_are_not_drawn(page, answer):
    # The summary waits for the charts asked for beside it, but never for ever: for charts
    # whose request failed, not at all; for charts never answered, a second.
    page.goto("/targets")
    _shown_cards(page, "/targets")
    held = hold_answers(page, "slot-figure")
    page.select_option("#filter-locality", "thanet-dover")
    wait_until_held(page, held)
    if answer == "failed":
        held.pop().abort()
    expect(page.locator("#filter-summary")).to_contain_text("Thanet & Dover")
    expect(page).to_have_url(re.compile(r"locality=thanet-dover"))
    release_answers(page, held)


SECOND_TITLE_WINS = """async () => {
    const graph = document.querySelectorAll('main .chart-card .js-plotly-plot')[2];
    const titled = (text) => Object.assign({}, graph.layout, {title: {text: text}});
    const queued = Plotly.react(graph, graph.data, titled('queued out of view'));
    graph.scrollIntoView({behavior: 'instant'});
    const inView = Plotly.react(graph, graph.data, titled('given once in view'));
    await Promise.all([queued, inView]);
    return [...graph.querySelectorAll('.gtitle')].map(t => t.textContent);
}"""


@pytest.mark.browser
def test_a_chart_given_a_figure_while_one_waits_out_of_view_draws_them_in_order(page):
    # A chart out of view waits for the next frame; scrolled into view meanwhile and given a
    # newer figure, it drew the newer at once and then the older over it.
    page.goto("/targets")
    _shown_cards(page, "/targets")
    assert page.evaluate(SECOND_TITLE_WINS) == ["given once in view"]
