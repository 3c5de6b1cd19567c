"""The funding page in the browser: published table exact, filters reach every chart, CSV."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import csv_names_match, data_rows, format_violations, open_table, run_axe

READY = "#funding-charts .chart-card"


def _open(page, path):
    page.goto(path)
    expect(page.locator(READY)).to_have_count(4)


@pytest.mark.browser
def test_funding_page_shows_the_published_table_exactly(page, watcher):
    _open(page, "/funding?period=2016-17")
    split = page.locator(".chart-card").first
    open_table(split)
    expect(split.locator(".chart-title")).to_contain_text("KCC £5.66m, NHS £1.84m of £7.5m")
    table = split.locator("table")
    expect(table).to_contain_text("£3.1m")
    expect(table).to_contain_text("£1.26m")
    expect(table).to_contain_text("£800k")
    expect(table).to_contain_text("£580k")
    expect(table).to_contain_text("£1.76m")
    expect(split).to_contain_text("Published")
    expect(page.locator("#funding-charts .js-plotly-plot")).to_have_count(4)
    watcher.assert_clean()
    assert watcher.external_urls == []
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


@pytest.mark.browser
def test_locality_and_care_group_filters_update_every_chart(page):
    _open(page, "/funding")
    expect(page.locator("#funding-charts .chart-subtitle").first).to_contain_text(
        "latest available: 2024/25"
    )
    titles = page.locator("#funding-charts .chart-title")
    before = titles.all_inner_texts()
    page.select_option("#filter-locality", "thanet-dover")
    expect(titles.first).to_contain_text("Thanet & Dover")
    expect(page.locator("#funding-charts .chart-subtitle").first).to_contain_text("Thanet & Dover")
    subtitles = page.locator("#funding-charts .chart-subtitle").all_inner_texts()
    assert all("Thanet & Dover" in text for text in subtitles)
    assert titles.all_inner_texts() != before
    page.select_option("#filter-care-group", "dementia")
    tagged = page.locator("#funding-charts .chart-subtitle")
    expect(tagged.first).to_contain_text("all care groups: not recorded by care group")
    assert all(
        "Thanet & Dover · all care groups: not recorded by care group" in text
        for text in tagged.all_inner_texts()
    )
    expect(page.locator("#funding-charts .chart-unavailable")).to_have_count(0)


@pytest.mark.browser
def test_a_table_left_open_stays_open_and_follows_the_filters(page):
    _open(page, "/funding")
    split = page.locator(".chart-card").first
    open_table(split)
    caption = split.locator("table caption")
    expect(caption).to_contain_text("Kent:")
    disclosure = split.locator("details.chart-table-details")
    split.get_by_text("Table of this chart").focus()

    page.select_option("#filter-locality", "thanet-dover")
    # The same table, open, now for Thanet & Dover; a closed one holds no rows.
    expect(caption).to_contain_text("Thanet & Dover:")
    expect(disclosure).to_have_attribute("open", "")
    expect(split.locator("table tbody tr").first).to_be_visible()
    assert caption.inner_text() == split.locator(".chart-title").inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Table of this chart"
    second = page.locator(".chart-card").nth(1).locator("details.chart-table-details")
    expect(second.locator("table")).to_have_count(0)

    # Closed, then another locality: opening it again shows that locality's rows, never the
    # previous ones while they are fetched.
    split.get_by_text("Table of this chart").click()
    page.select_option("#filter-locality", "canterbury-swale")
    expect(split.locator(".chart-title")).to_contain_text("Canterbury & Swale")
    split.get_by_text("Table of this chart").click()
    assert "Thanet" not in disclosure.inner_text()  # at once, before any answer
    expect(caption).to_contain_text("Canterbury & Swale:")


@pytest.mark.browser
def test_csv_download_matches_the_table(page):
    _open(page, "/funding?period=2016-17")
    card = page.locator(".chart-card").first
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    open_table(card)
    assert re.fullmatch(
        r"funding-split_[a-z0-9-]+_[a-z0-9-]+_[a-z0-9-]+\.csv", download.suggested_filename
    )
    rows = data_rows(download.path().read_text(encoding="utf-8"))
    header = card.locator("table thead th").all_inner_texts()
    assert csv_names_match(rows[0][: len(header)], header), (rows[0], header)
    body = card.locator("table tbody tr")
    assert len(rows) - 1 == body.count()
    for index in range(body.count()):
        cells = body.nth(index).locator("th, td").all_inner_texts()
        assert rows[index + 1][0] == cells[0]
        assert rows[index + 1][len(header) - 1] == cells[-1]
    amounts = {row[0]: row[1] for row in rows[1:]}
    assert amounts["Total (CAS and short breaks)"] == "5660000"


@pytest.mark.browser
def test_a_download_after_a_filter_change_links_to_the_view_chosen(page):
    # The page writes the filters into the address itself; the CSV's link was the address the
    # page had been opened at, so it reopened Kent as a whole.
    _open(page, "/funding")
    page.select_option("#filter-locality", "thanet-dover")
    expect(page).to_have_url(re.compile(r"locality=thanet-dover"))
    card = page.locator(".chart-card").first
    expect(card.locator(".chart-title")).to_contain_text("Thanet & Dover")
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    text = download_info.value.path().read_text(encoding="utf-8")
    (link,) = [line for line in text.splitlines() if "Reopen this view: " in line]
    assert link.strip('"') == f"# Reopen this view: {page.url}"


@pytest.mark.browser
def test_table_and_csv_arrive_only_when_asked_for(page, watcher):
    _open(page, "/funding?period=2016-17")
    card = page.locator(".chart-card").first
    # A filter click brings the charts; no card holds table rows or CSV until asked.
    expect(page.locator(".chart-card table")).to_have_count(0)
    posts = []
    page.on("request", lambda request: posts.append(request.post_data or ""))
    table = open_table(card)
    assert any('"chart-table"' in body for body in posts)
    title = card.locator(".chart-title").inner_text()
    expect(table.locator("caption")).to_have_text(title)
    headers = table.locator("thead th")
    assert set(headers.evaluate_all("cells => cells.map(c => c.scope)")) == {"col"}
    assert table.locator("tbody th").first.get_attribute("scope") == "row"
    # Closing and opening again keeps the one table.
    card.locator("summary").first.click()
    card.locator("summary").first.click()
    expect(card.locator("table")).to_have_count(1)
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    text = download_info.value.path().read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith('"#')]
    assert comments[0] == f'"# {title}"'
    assert any(line.startswith('"# Reopen this view: ') for line in comments)
    assert len(data_rows(text)) - 1 == table.locator("tbody tr").count()
    watcher.assert_clean()


# Each funding chart's graph is marked, and counts the times Plotly draws it from now on.
MARK_GRAPHS = """() => document.querySelectorAll('#funding-charts .js-plotly-plot').forEach((g) => {
    g.dataset.kcMarked = 'yes';
    g.kcDraws = 0;
    g.on('plotly_afterplot', () => { g.kcDraws += 1; });
})"""
RESET_DRAWS = """() => document.querySelectorAll('#funding-charts .js-plotly-plot')
    .forEach((g) => { g.kcDraws = 0; })"""
MARKED_AND_DRAWN = """() => [...document.querySelectorAll('#funding-charts .js-plotly-plot')]
    .map((g) => [g.dataset.kcMarked === 'yes', g.kcDraws])"""


def _funding_answered(response) -> bool:
    return "_dash-update-component" in response.url and "funding-flow" in (
        response.request.post_data or ""
    )


@pytest.mark.browser
def test_a_care_group_leaves_the_funding_charts_as_drawn_and_a_locality_redraws_them(page):
    # Funding is not recorded by care group: the four charts are the same for every one, so
    # choosing one neither sends nor redraws them (the sankey was mounted afresh each time);
    # the cards' downloads follow the care group chosen: their subtitle says funding is not
    # recorded by it, and their file is named for all care groups, which it shows.
    _open(page, "/funding")
    expect(page.locator("#funding-charts .js-plotly-plot")).to_have_count(4)
    page.wait_for_load_state("networkidle")
    page.evaluate(MARK_GRAPHS)
    # A chart's first draw is followed by a resize after 100 ms, which Plotly draws again.
    page.wait_for_timeout(500)
    page.evaluate(RESET_DRAWS)
    with page.expect_response(_funding_answered):
        page.select_option("#filter-care-group", "dementia")
    page.wait_for_timeout(500)
    assert page.evaluate(MARKED_AND_DRAWN) == [[True, 0]] * 4
    card = page.locator(".chart-card").first
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    assert "_all-care-groups_" in download_info.value.suggested_filename
    assert "not recorded by care group" in download_info.value.path().read_text()

    with page.expect_response(_funding_answered):
        page.select_option("#filter-locality", "thanet-dover")
    expect(page.locator("#funding-charts .chart-title").first).to_contain_text("Thanet & Dover")
    page.wait_for_timeout(500)
    *in_place, flow = page.evaluate(MARKED_AND_DRAWN)
    assert all(marked and draws >= 1 for marked, draws in in_place)
    assert flow[0] is False  # the sankey, mounted afresh
