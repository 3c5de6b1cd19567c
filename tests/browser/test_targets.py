"""The targets page in the browser: published figures exact, filters reach every chart, CSV,
the page's own target selector by keyboard, and no accessibility faults."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    assert_charts_keep_margins_and_texts,
    csv_names_match,
    data_rows,
    format_violations,
    open_about,
    open_table,
    run_axe,
)

CARDS = ", ".join(
    f"#{container} .chart-card"
    for container in ("targets-charts", "targets-locality-chart", "targets-new-carers")
)
# Each chart's number of bars and of target lines drawn, then of traces.
DRAWN = """Array.from(document.querySelectorAll('.chart-card .js-plotly-plot'), g => [
  g.data.filter(t => t.type === 'bar').reduce((n, t) => n + t.x.length, 0),
  g.data.filter(t => t.name === 'Target').reduce((n, t) => n + t.x.length, 0),
  g.data.length])"""


def _open(page, path="/targets", graphs=4):
    page.goto(path)
    expect(page.locator(CARDS)).to_have_count(4)
    expect(page.locator(".chart-card .js-plotly-plot")).to_have_count(graphs)


@pytest.mark.browser
def test_targets_page_shows_published_figures_exactly(page, watcher):
    _open(page)
    # Contract: 2 bullets with bar, status shape and target line + 1 target alone; per year:
    # 3 with actuals + 4 targets alone; localities: 7 with actuals; quarters: one bar trace per
    # year (of 3 quarters each).
    drawn = page.evaluate(DRAWN)
    assert [(bars, targets) for bars, targets, _traces in drawn[:3]] == [(2, 3), (3, 7), (7, 7)]
    assert drawn[3] == [6, 0, 2]
    yearly = page.locator(".chart-card").nth(1)
    expect(yearly.locator(".chart-title")).to_contain_text("Kent met 3 of 3 per-year targets")
    expect(yearly.locator(".chart-subtitle")).to_contain_text("2015/16 (the last contract year")
    open_table(yearly)
    health = yearly.locator("tr", has_text="Health checks")
    expect(health).to_contain_text("1,775")
    expect(health).to_contain_text("1,250")
    expect(health).to_contain_text("Green: met")
    expect(health).to_contain_text("Published")
    expect(yearly.locator("tr", has_text="Something for Me")).to_contain_text("1,391")
    expect(yearly.locator("tr", has_text="Emergency cards")).to_contain_text("No actuals recorded")
    quarters = page.locator(".chart-card").nth(3)
    open_table(quarters)
    cells = quarters.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert cells == ["1,292", "1,376", "1,295", "1,397", "1,337", "1,431"]
    expect(open_about(quarters)).to_contain_text("sums to 5,360")
    expect(quarters.locator(".chart-about")).to_contain_text("gives 5,313")
    comparison = page.locator("#targets-locality-chart .chart-card")
    expect(open_about(comparison)).to_contain_text(
        "add up to 33,421; the published Kent target is 33,240"
    )
    watcher.assert_clean()
    assert watcher.external_urls == []
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


@pytest.mark.browser
def test_locality_and_care_group_filters_update_every_chart(page):
    _open(page)
    titles = page.locator(".chart-card .chart-title")
    subtitles = page.locator(".chart-card .chart-subtitle")
    page.select_option("#filter-locality", "maidstone-malling")
    expect(titles.nth(2)).to_contain_text("Maidstone & Malling: 8")
    expect(subtitles.nth(3)).to_contain_text("Maidstone & Malling")
    assert all("Maidstone & Malling" in text for text in subtitles.all_inner_texts())
    assert all("Maidstone & Malling" in text for text in titles.all_inner_texts())
    expect(titles.nth(3)).to_contain_text("Published quarterly new carers are for Kent only")
    page.select_option("#filter-care-group", "dementia")
    expect(titles.first).to_contain_text("Maidstone & Malling, Dementia: actuals make up")
    for index in range(3):
        expect(subtitles.nth(index)).to_contain_text(
            "targets for all care groups: not recorded by care group"
        )
    expect(page.locator(".chart-card .chart-unavailable")).to_have_count(0)
    expect(titles.nth(3)).to_contain_text("Maidstone & Malling (Dementia)")
    assert all("Dementia" in text for text in subtitles.all_inner_texts())


@pytest.mark.browser
def test_charts_keep_their_margins_and_their_axes_texts_whatever_the_filters(page):
    """Bullets' and bars' values are written without Plotly's automatic margin (``value_axis``):
    the margins hold them whatever the figures, so a chart keeps them from one filter to the
    next, and no tick label or axis title is cut off or drawn over another."""
    _open(page)
    assert_charts_keep_margins_and_texts(
        page,
        4,
        page.locator(".chart-card .chart-subtitle").first,
        (
            ("#filter-care-group", "dementia", "Kent · Dementia"),
            ("#filter-locality", "maidstone-malling", "Maidstone & Malling · Dementia"),
            ("#filter-care-group", "all", "Maidstone & Malling · all care groups"),
        ),
    )


@pytest.mark.browser
def test_other_schemes_say_targets_are_for_the_2013_localities(page):
    _open(page, "/targets?scheme=east-west&locality=east-kent", graphs=1)
    unavailable = page.locator(".chart-card .chart-unavailable")
    expect(unavailable).to_have_count(3)
    expect(unavailable.first).to_contain_text("six 2013 contract localities")
    expect(page.locator(".chart-card .chart-title").nth(3)).to_contain_text("East Kent")


@pytest.mark.browser
def test_csv_download_matches_the_locality_table(page):
    _open(page)
    card = page.locator("#targets-locality-chart .chart-card")
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    open_table(card)
    assert re.fullmatch(
        r"targets-by-locality_[a-z0-9-]+_[a-z0-9-]+_[a-z0-9-]+\.csv", download.suggested_filename
    )
    rows = data_rows(download.path().read_text(encoding="utf-8"))
    header = card.locator("table thead th").all_inner_texts()
    assert csv_names_match(rows[0][: len(header)], header), (rows[0], header)
    body = card.locator("table tbody tr")
    assert len(rows) - 1 == body.count() == 7
    for index in range(body.count()):
        cells = body.nth(index).locator("th, td").all_inner_texts()
        assert rows[index + 1][0] == cells[0]
        assert rows[index + 1][header.index("RAG status")] == cells[header.index("RAG status")]
    targets = {row[0]: row[header.index("Target as published")] for row in rows[1:]}
    assert targets["Kent"] == "33240" and targets["Maidstone & Malling"] == "4779"


@pytest.mark.browser
def test_target_selector_is_reached_and_operated_by_keyboard(page):
    _open(page)
    title = page.locator("#targets-locality-chart .chart-title")
    expect(title).to_contain_text("carers-supported target")
    page.focus("#filter-period")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "targets-measure":
            break
    assert page.evaluate("document.activeElement.id") == "targets-measure"
    page.keyboard.press("ArrowDown")
    expect(title).to_contain_text("new-carers target")
    page.keyboard.press("ArrowDown")
    expect(title).to_contain_text("Seldom-heard carers targets by locality: no actuals recorded")
