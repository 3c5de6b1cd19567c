"""The short breaks page in the browser: published figures exact, filters reach every chart, CSV,
SPC signals, accessibility and keyboard use."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard import ids
from dashboard.components.fold import OPENING_TEXT, PRINTED_TEXT
from tests.support.browser import (
    assert_charts_keep_margins_and_texts,
    csv_names_match,
    data_rows,
    format_violations,
    hold_answers,
    open_about,
    open_table,
    release_answers,
    run_axe,
    wait_until_held,
)

MAIN, DETAIL = "#short-breaks-charts", "#short-breaks-detail"
# The page's cards in page order: the four main charts, then the four under "More detail".
CARDS = f"{MAIN} .chart-card, {DETAIL} .chart-card"
CARD_COUNT, MAIN_COUNT = 8, 4
# Trace counts for all of Kent in 2015/16 (hours: 3 demo types, published appointments, published
# total, stack totals written above the bars; unsocial: 4 lines and 2 legend keys; crisis: 2 bar
# statuses, share line, 2 legend keys; outcomes: 2 outcomes x 2 statuses; published grid;
# providers and respite: 2 panels each; SPC: values, mean, 2 limits, 3 kinds of signal).
TRACES_2015_16 = [6, 6, 5, 3, 1, 2, 2, 7]


def _open(page, path, *, detail=True):
    """Open the page and, unless ``detail`` is False, unfold "More detail" from the keyboard,
    which draws its charts."""
    page.goto(path)
    expect(page.locator(f"{MAIN} .chart-card")).to_have_count(MAIN_COUNT)
    if detail:
        page.locator(".more-detail > summary").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".more-detail")).to_have_attribute("open", "")
        expect(page.locator(CARDS)).to_have_count(CARD_COUNT)


def _trace_counts(page) -> list[int]:
    return page.eval_on_selector_all(
        f"{MAIN} .js-plotly-plot, {DETAIL} .js-plotly-plot",
        "plots => plots.map(plot => plot.data.length)",
    )


@pytest.mark.browser
def test_page_loads_clean_with_the_published_figures_exact(page, watcher):
    _open(page, "/short-breaks?period=2015-16")
    expect(page.locator(f"{MAIN} .js-plotly-plot, {DETAIL} .js-plotly-plot")).to_have_count(
        CARD_COUNT
    )
    assert _trace_counts(page) == TRACES_2015_16
    titles = page.locator(f"{MAIN} .chart-title, {DETAIL} .chart-title")
    expect(titles.nth(0)).to_contain_text("over 25,000 hours of short breaks in 2015/16")
    expect(titles.nth(1)).to_contain_text("50% of short-break hours in 2015/16 were unsocial")
    expect(titles.nth(2)).to_have_text(
        "Kent: 895 crisis referrals in 2015/16, 68% for people with dementia"
    )
    expect(titles.nth(3)).to_contain_text("613 emergency admissions")
    published = page.locator(".chart-card").nth(4)
    open_table(published)
    rows = published.locator("table tbody tr")
    expected = {
        "Short-break hours delivered": "over 25,000 hours",
        "Share of hours that were unsocial hours": "50%",
        "Replacement care hours for carers' appointments": "1,974 hours",
        "People supported to attend their appointments": "274",
        "Carers' own appointments attended": "634",
        "Crisis support hours": "over 3,300 hours",
        "Share of crisis hours that were unsocial hours": "65%",
        "Failed hospital discharges prevented": "10",
    }
    seen = {}
    for index in range(rows.count()):
        cells = rows.nth(index).locator("th, td").all_inner_texts()
        seen[(cells[0], cells[1])] = cells[2]
        assert cells[3] == "Published"
    for figure, text in expected.items():
        assert text in {seen[key] for key in seen if key[1] == figure}
    assert seen[("2015/16", "Crisis referrals")] == "895"
    assert seen[("2015/16", "Share of crisis referrals for people with dementia")] == "68%"
    assert seen[("April–September 2016", "Crisis referrals")] == "139"
    assert seen[("April–September 2016", "Share of crisis referrals for people with dementia")] == (
        "60%"
    )
    assert seen[("April–September 2016", "Emergency admissions prevented")] == "68"
    respite = page.locator(".chart-card").nth(6)
    expect(open_about(respite)).to_contain_text("374 weeks x £506.39 = £189,389.86")
    expect(respite.locator(".chart-about")).to_contain_text("363 weeks x £1,058.79")
    providers = page.locator(".chart-card").nth(5)
    expect(open_about(providers)).to_contain_text("Volcare carers: 114 or 110")
    watcher.assert_clean()
    assert watcher.external_urls == []
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


@pytest.mark.browser
def test_locality_and_care_group_update_every_chart(page):
    _open(page, "/short-breaks")
    subtitles = page.locator(f"{MAIN} .chart-subtitle, {DETAIL} .chart-subtitle")
    page.select_option("#filter-locality", "thanet-dover")
    expect(subtitles.first).to_contain_text("Thanet & Dover")
    assert all("Thanet & Dover" in text for text in subtitles.all_inner_texts())
    unavailable = page.locator(f"{MAIN} .chart-unavailable, {DETAIL} .chart-unavailable")
    expect(unavailable).to_have_count(3)
    expect(unavailable.nth(0)).to_contain_text("not available by locality")
    expect(unavailable.nth(1)).to_contain_text("not for Thanet & Dover")
    expect(page.locator(f"{MAIN} .chart-title").first).to_contain_text("Thanet & Dover")

    page.select_option("#filter-care-group", "dementia")
    expect(subtitles.first).to_contain_text("Dementia")
    for index in (0, 1, 2, 3, CARD_COUNT - 1):
        expect(subtitles.nth(index)).to_contain_text("Thanet & Dover · Dementia")
    for index in (4, 5):  # the published and 2009/10 figures are not by care group
        expect(subtitles.nth(index)).to_contain_text(
            "Thanet & Dover · all care groups: not recorded by care group"
        )
    expect(unavailable).to_have_count(3)
    expect(unavailable.nth(2)).to_contain_text("published for older people")
    titles = page.locator(f"{MAIN} .chart-title, {DETAIL} .chart-title")
    expect(titles.first).to_contain_text("Thanet & Dover (Dementia):")
    expect(titles.nth(2)).to_contain_text("Thanet & Dover:")
    expect(titles.nth(2)).to_contain_text("crisis referrals for dementia")
    expect(titles.last).to_contain_text("crisis referrals for dementia")


@pytest.mark.browser
def test_charts_keep_their_margins_and_their_axes_texts_whatever_the_filters(page):
    """Values and periods are written without Plotly's automatic margin (``value_axis``): the
    margins hold them whatever the figures, so a chart keeps them from one filter to the next,
    and no tick label or axis title is cut off at a chart's edge or drawn over another."""
    _open(page, "/short-breaks", detail=False)
    assert_charts_keep_margins_and_texts(
        page,
        MAIN_COUNT,
        page.locator(f"{MAIN} .chart-subtitle").first,
        (
            ("#filter-care-group", "older-people", "Kent · Older people"),
            ("#filter-locality", "south-west-kent", "South West Kent · Older people"),
            ("#filter-care-group", "all", "South West Kent · all care groups"),
        ),
    )


@pytest.mark.browser
def test_csv_download_matches_the_respite_table(page):
    _open(page, "/short-breaks")
    card = page.locator(".chart-card").nth(6)
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert re.fullmatch(
        r"short-breaks-respite-2009-10_[a-z0-9-]+_[a-z0-9-]+_[a-z0-9-]+\.csv",
        download.suggested_filename,
    )
    open_table(card)
    rows = data_rows(download.path().read_text(encoding="utf-8"))
    header = card.locator("table thead th").all_inner_texts()
    assert csv_names_match(rows[0][: len(header)], header), (rows[0], header)
    body = card.locator("table tbody tr")
    assert len(rows) - 1 == body.count() == 8
    for index in range(body.count()):
        cells = body.nth(index).locator("th, td").all_inner_texts()
        assert rows[index + 1][:3] == cells[:3]
        assert rows[index + 1][4] == cells[4]  # average weekly cost, as published
        assert rows[index + 1][5] == cells[5].replace(",", "")  # total, plain in the CSV
    totals = {row[5] for row in rows[1:]}
    assert {"189896", "384054"} <= totals


@pytest.mark.browser
def test_half_year_and_spc_signals(page):
    _open(page, "/short-breaks?period=2016-17-h1")
    titles = page.locator(f"{MAIN} .chart-title")
    expect(titles.nth(2)).to_have_text(
        "Kent: 139 crisis referrals in 2016/17 H1 (Apr–Sep 2016), 60% for people with dementia"
    )
    expect(titles.nth(3)).to_contain_text("68 emergency admissions and 10 failed hospital")
    spc = page.locator(".chart-card").last
    expect(spc.locator(".chart-title")).to_contain_text("outside the control limits")
    expect(spc.locator(".legendtext", has_text="Signal: Outside the control limits")).to_have_count(
        1
    )
    expect(open_about(spc)).to_contain_text("1.128")
    open_table(spc)
    flagged = spc.locator("table tbody tr", has_text="2016/17 Q1")
    expect(flagged.locator("td").nth(4)).to_have_text("Yes")


@pytest.mark.browser
def test_keyboard_reaches_and_opens_a_table_and_downloads_csv(page):
    _open(page, "/short-breaks", detail=False)
    card = page.locator(".chart-card").first
    summary = card.locator("summary").first
    for _ in range(80):
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first chart's table")
    page.keyboard.press("Enter")
    expect(card.locator("details").first).to_have_attribute("open", "")
    expect(card.locator("table")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the scrollable table region to the button
    button = card.get_by_role("button", name="Download CSV")
    expect(button).to_be_focused()
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    assert re.fullmatch(
        r"short-breaks-hours_[a-z0-9-]+_[a-z0-9-]+_[a-z0-9-]+\.csv",
        download_info.value.suggested_filename,
    )


@pytest.mark.browser
def test_secondary_charts_start_folded_and_open_from_the_keyboard(page):
    _open(page, "/short-breaks", detail=False)
    asked = _detail_requests(page)
    fold = page.locator(".more-detail")
    summary = fold.locator(":scope > summary")
    expect(summary).to_contain_text("More detail")
    expect(fold).not_to_have_attribute("open", "")
    expect(page.locator(f"{MAIN} .chart-card")).to_have_count(MAIN_COUNT)
    for index in range(MAIN_COUNT):
        expect(page.locator(f"{MAIN} .chart-card").nth(index)).to_be_visible()
    # Folded charts are not drawn: a filter change repaints only what is on screen.
    expect(page.locator(f"{DETAIL} .chart-card")).to_have_count(0)
    expect(page.locator(f"{DETAIL} .folded-charts")).to_have_count(1)
    first_title = page.locator(f"{MAIN} .chart-title").first
    for care_group, shown in (("dementia", "(Dementia)"), ("all", "Kent:")):
        page.select_option("#filter-care-group", care_group)
        expect(first_title).to_contain_text(shown)
        expect(page.locator(f"{DETAIL} .chart-card")).to_have_count(0)
        expect(page.locator(f"{DETAIL} .folded-charts")).to_have_count(1)
    # Nor is the server asked for them.
    assert asked == []
    # A screen reader hears the summary as a collapsed, expandable control.
    assert page.evaluate(
        "() => { const s = document.querySelector('.more-detail > summary');"
        " return s.tabIndex === 0 && s.parentElement.tagName === 'DETAILS'; }"
    )
    for _ in range(200):
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached More detail")
    held = hold_answers(page, "short-breaks-detail")
    page.keyboard.press("Space")
    expect(fold).to_have_attribute("open", "")
    # Until its charts arrive, the open section says they are being drawn.
    expect(fold.locator(".folded-charts .when-opening")).to_have_text(OPENING_TEXT)
    expect(fold.locator(".folded-charts .when-printed")).to_be_hidden()
    wait_until_held(page, held)
    release_answers(page, held)
    details = page.locator(f"{DETAIL} .chart-card")
    expect(details).to_have_count(CARD_COUNT - MAIN_COUNT)
    for index in range(CARD_COUNT - MAIN_COUNT):
        card = details.nth(index)
        card.scroll_into_view_if_needed()
        expect(card).to_be_visible()
        # Drawn at the card's width once unfolded, not at a hidden container's.
        graph, body = card.locator(".main-svg").first, card.locator(".card-body")
        assert graph.bounding_box()["width"] > 0.9 * body.bounding_box()["width"] - 40
        expect(card.get_by_text("Table of this chart")).to_be_visible()
    violations = run_axe(page)
    assert violations == [], format_violations(violations)

    # Folded again, its charts stay, with nothing asked, until a new selection, which removes
    # them (one request); later selections ask for nothing.
    asked.clear()
    summary.click()
    expect(fold).not_to_have_attribute("open", "")
    page.wait_for_timeout(300)  # a request still to come would be sent by now
    assert asked == []
    expect(page.locator(f"{DETAIL} .chart-card")).to_have_count(CARD_COUNT - MAIN_COUNT)
    for care_group in ("dementia", "all"):
        page.select_option("#filter-care-group", care_group)
        expect(first_title).to_contain_text("(Dementia)" if care_group == "dementia" else "Kent:")
        expect(page.locator(f"{DETAIL} .chart-card")).to_have_count(0)
        expect(page.locator(f"{DETAIL} .folded-charts")).to_have_count(1)
    page.wait_for_timeout(300)  # a request still to come would be sent by now
    assert len(asked) == 1


def _detail_requests(page) -> list[str]:
    """The callback requests asking for "More detail"'s charts from now on (a list that grows)."""
    sent: list[str] = []

    def note(request) -> None:
        body = request.post_data or ""
        if "_dash-update-component" in request.url and ids.SHORT_BREAKS_DETAIL_REQUEST in body:
            sent.append(body)

    page.on("request", note)
    return sent


@pytest.mark.browser
def test_a_link_keeps_more_detail_open_or_closed_as_it_was_shown(page, browser, live_server):
    """A copied link reopens the view as it was: with "More detail" open, its charts drawn for
    the link's filters; closed again, the link says nothing of it."""
    _open(page, "/short-breaks?care_group=dementia", detail=False)
    expect(page).not_to_have_url(re.compile("detail="))
    _open(page, "/short-breaks?care_group=dementia")
    expect(page).to_have_url(re.compile(r"care_group=dementia.*detail=open|detail=open.*dementia"))
    link = page.url

    context = browser.new_context(base_url=live_server)
    other = context.new_page()
    other.goto(link)
    expect(other.locator(".more-detail")).to_have_attribute("open", "")
    details = other.locator(f"{DETAIL} .chart-card")
    expect(details).to_have_count(CARD_COUNT - MAIN_COUNT)
    expect(other.locator(f"{DETAIL} .chart-subtitle").last).to_contain_text("Dementia")
    expect(other).to_have_url(link)
    other.locator(".more-detail > summary").click()
    expect(other.locator(".more-detail")).not_to_have_attribute("open", "")
    expect(other).not_to_have_url(re.compile("detail="))
    # A state the page does not know is said so, and the section stays closed.
    other.goto("/short-breaks?detail=wide")
    expect(other.locator(".more-detail")).not_to_have_attribute("open", "")
    expect(other.get_by_text("unknown More detail “wide”")).to_be_visible()
    context.close()


@pytest.mark.browser
def test_printing_and_presenting_unfold_the_folded_charts(page):
    _open(page, "/short-breaks", detail=False)
    expect(page.locator(f"{DETAIL} .chart-card")).to_have_count(0)
    # Printing opens the fold, which draws its charts; printed before they arrive, the section
    # says on paper how to include them.
    held = hold_answers(page, "short-breaks-detail")
    page.emulate_media(media="print")
    expect(page.locator(".more-detail")).to_have_attribute("open", "")
    expect(page.locator(f"{DETAIL} .when-printed")).to_have_text(PRINTED_TEXT)
    expect(page.locator(f"{DETAIL} .when-opening")).to_be_hidden()
    wait_until_held(page, held)
    release_answers(page, held)
    for index in range(CARD_COUNT - MAIN_COUNT):
        expect(page.locator(f"{DETAIL} .chart-card").nth(index)).to_be_visible()
    page.emulate_media(media="screen")
    _open(page, "/short-breaks", detail=False)
    expect(page.locator(f"{DETAIL} .chart-card")).to_have_count(0)
    # Presenting opens the fold too: the folded charts are slides like the others.
    page.get_by_role("button", name="Present").click()
    position = page.locator("#present-position")
    expect(position).to_contain_text(f"Chart 1 of {CARD_COUNT}")
    page.keyboard.press("End")
    expect(position).to_contain_text(f"Chart {CARD_COUNT} of {CARD_COUNT}")
    current = page.locator(".present-current")
    expect(current.locator(".chart-title")).to_contain_text("special-cause signal")
    expect(current.locator(".js-plotly-plot")).to_be_visible()
    # Leaving the presentation folds again what presenting unfolded.
    page.keyboard.press("Escape")
    expect(position).to_be_hidden()
    expect(page.locator(".present-current")).to_have_count(0)
    expect(page.locator(".more-detail")).not_to_have_attribute("open", "")


# Lines of text a reader meets in a card before its chart (headings and paragraphs above it).
LINES_BEFORE_CHART = """card => {
    const graph = card.querySelector('.js-plotly-plot');
    const top = graph.getBoundingClientRect().top;
    let lines = 0;
    for (const text of card.querySelectorAll('h2, h3, p')) {
        const box = text.getBoundingClientRect();
        if (box.height === 0 || box.bottom > top) continue;
        lines += Math.round(box.height / parseFloat(getComputedStyle(text).lineHeight));
    }
    return lines;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1280, 720), (1440, 900)])
def test_no_chart_needs_more_than_three_lines_read_before_it(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    _open(page, "/short-breaks")
    cards = page.locator(CARDS)
    for index in range(CARD_COUNT):
        card = cards.nth(index)
        if card.locator(".js-plotly-plot").count():
            lines = card.evaluate(LINES_BEFORE_CHART)
            assert 1 <= lines <= 3, (card.locator(".chart-title").inner_text(), lines)
