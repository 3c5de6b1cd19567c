"""The short breaks page in the browser: published figures exact, filters reach every chart, CSV,
SPC signals, accessibility and keyboard use."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import data_rows, format_violations, open_table, run_axe

CHARTS = "#short-breaks-charts"
READY = f"{CHARTS} .chart-card"
CARD_COUNT = 8
# Trace counts for all of Kent in 2015/16 (hours: 3 demo types, published appointments, published
# total, stack totals written above the bars; unsocial: 4 lines and 2 legend keys; crisis: 2 bar
# statuses, share line, 2 legend keys; outcomes: 2 outcomes x 2 statuses; published grid;
# providers and respite: 2 panels each; SPC: values, mean, 2 limits, 3 kinds of signal).
TRACES_2015_16 = [6, 6, 5, 3, 1, 2, 2, 7]


def _open(page, path):
    page.goto(path)
    expect(page.locator(READY)).to_have_count(CARD_COUNT)


def _trace_counts(page) -> list[int]:
    return page.eval_on_selector_all(
        f"{CHARTS} .js-plotly-plot", "plots => plots.map(plot => plot.data.length)"
    )


@pytest.mark.browser
def test_page_loads_clean_with_the_published_figures_exact(page, watcher):
    _open(page, "/short-breaks?period=2015-16")
    expect(page.locator(f"{CHARTS} .js-plotly-plot")).to_have_count(CARD_COUNT)
    assert _trace_counts(page) == TRACES_2015_16
    titles = page.locator(f"{CHARTS} .chart-title")
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
    expect(respite.locator(".chart-about")).to_contain_text("374 weeks x £506.39 = £189,389.86")
    expect(respite.locator(".chart-about")).to_contain_text("363 weeks x £1,058.79")
    providers = page.locator(".chart-card").nth(5)
    expect(providers.locator(".chart-about")).to_contain_text("Volcare carers: 114 or 110")
    watcher.assert_clean()
    assert watcher.external_urls == []
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


@pytest.mark.browser
def test_locality_and_care_group_update_every_chart(page):
    _open(page, "/short-breaks")
    subtitles = page.locator(f"{CHARTS} .chart-subtitle")
    page.select_option("#filter-locality", "thanet-dover")
    expect(subtitles.first).to_contain_text("Thanet & Dover")
    assert all("Thanet & Dover" in text for text in subtitles.all_inner_texts())
    unavailable = page.locator(f"{CHARTS} .chart-unavailable")
    expect(unavailable).to_have_count(3)
    expect(unavailable.nth(0)).to_contain_text("not available by locality")
    expect(unavailable.nth(1)).to_contain_text("not for Thanet & Dover")
    expect(page.locator(f"{CHARTS} .chart-title").first).to_contain_text("Thanet & Dover")

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
    titles = page.locator(f"{CHARTS} .chart-title")
    expect(titles.first).to_contain_text("Thanet & Dover (Dementia):")
    expect(titles.nth(2)).to_contain_text("Thanet & Dover:")
    expect(titles.nth(2)).to_contain_text("crisis referrals for dementia")
    expect(titles.last).to_contain_text("crisis referrals for dementia")


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
    assert rows[0][: len(header)] == header
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
    titles = page.locator(f"{CHARTS} .chart-title")
    expect(titles.nth(2)).to_have_text(
        "Kent: 139 crisis referrals in 2016/17 H1 (Apr–Sep 2016), 60% for people with dementia"
    )
    expect(titles.nth(3)).to_contain_text("68 emergency admissions and 10 failed hospital")
    spc = page.locator(".chart-card").last
    expect(spc.locator(".chart-title")).to_contain_text("outside the control limits")
    expect(spc.locator(".legendtext", has_text="Signal: Outside the control limits")).to_have_count(
        1
    )
    expect(spc.locator(".chart-about")).to_contain_text("1.128")
    open_table(spc)
    flagged = spc.locator("table tbody tr", has_text="2016/17 Q1")
    expect(flagged.locator("td").nth(4)).to_have_text("Yes")


@pytest.mark.browser
def test_keyboard_reaches_and_opens_a_table_and_downloads_csv(page):
    _open(page, "/short-breaks")
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
