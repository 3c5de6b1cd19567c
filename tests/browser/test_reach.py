"""The reach page in the browser: 12 districts the right way out, no outside requests, filters.

The map is a plotly geo chart, which by default fetches base-map TopoJSON from cdn.plot.ly;
the watcher records every request leaving the test server, so these tests prove it does not.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    csv_names_match,
    data_rows,
    format_violations,
    open_about,
    open_table,
    run_axe,
)

MAP = "#reach-map-card .chart-graph"
DISTRICTS = f"{MAP} path.choroplethlocation"
SUBTITLES = "#reach-map-card .chart-subtitle, #reach-charts .chart-subtitle"


def _open(page, path="/reach"):
    page.goto(path)
    expect(page.locator(DISTRICTS)).to_have_count(12)
    expect(page.locator("#reach-charts .js-plotly-plot")).to_have_count(2)


def _district_boxes(page) -> tuple[list[dict], dict]:
    """Bounding boxes of the 12 district paths and of the map's plot area."""
    return page.evaluate(
        """(map) => {
            const box = (e) => { const r = e.getBoundingClientRect();
                                 return {w: r.width, h: r.height}; };
            const paths = [...document.querySelectorAll(map + ' path.choroplethlocation')];
            const area = document.querySelector(map + ' .geolayer .bg rect')
                || document.querySelector(map + ' .main-svg');
            return [paths.map(box), box(area)];
        }""",
        MAP,
    )


@pytest.mark.browser
def test_map_draws_12_districts_right_way_out_with_no_outside_requests(page, watcher):
    _open(page)
    paths, plot = _district_boxes(page)
    assert len(paths) == 12
    # An inside-out ring fills the whole plot; every real district is a small part of it.
    for path in paths:
        assert 0 < path["w"] * path["h"] < 0.25 * plot["w"] * plot["h"]
    expect(page.locator("#reach-map-credit")).to_contain_text("Contains OS data © Crown copyright")
    expect(page.locator("#reach-map-credit")).to_contain_text("Open Government Licence v3.0")
    expect(page.locator("#reach-map-card .chart-demo-label")).to_be_visible()
    expect(page.locator(f"{MAP} .scattergeo text").first).to_be_visible()
    watcher.assert_clean()
    assert watcher.external_urls == []
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


@pytest.mark.browser
def test_tiles_toggle_by_keyboard_and_profile_by_click_and_select(page, watcher):
    _open(page)
    page.get_by_label("Boundaries").focus()
    page.keyboard.press("ArrowRight")  # radio group: the arrow key moves to Equal-area tiles
    expect(page.get_by_label("Equal-area tiles")).to_be_checked()
    page.wait_for_function(
        """(selector) => { const p = [...document.querySelectorAll(selector)];
            if (p.length !== 12) return false;
            const w = p.map(e => Math.round(e.getBoundingClientRect().width));
            return Math.max(...w) - Math.min(...w) <= 1; }""",
        arg=DISTRICTS,
    )  # every hexagon is the same size
    page.locator(DISTRICTS).nth(2).click(force=True)  # Dartford, third in code order
    profile = page.locator("#reach-profile")
    expect(profile.locator("h3")).to_have_text("Dartford")
    expect(profile).to_contain_text("Caring 50+ hours a week")
    expect(profile).to_contain_text("Spend per head")
    expect(profile).to_contain_text("Carers First")
    select = page.locator("#reach-district")
    expect(select).to_have_value("E07000107")
    select.focus()
    page.keyboard.press("ArrowDown")  # the next district by name: Dover
    expect(profile.locator("h3")).to_have_text("Dover")
    measure = page.locator("#reach-measure")
    measure.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#reach-colour-mode') !== null")
    watcher.assert_clean()
    assert watcher.external_urls == []


@pytest.mark.browser
def test_the_district_menu_steps_through_districts_from_the_keyboard(page):
    # Found by a review: "Choose a district" and the menu's hidden placeholder both held "", so
    # after each arrow key press the placeholder was chosen again and no district was reached.
    _open(page)
    select = page.locator("#reach-district")
    expect(select).to_have_value("none")
    select.focus()
    profile = page.locator("#reach-profile")
    for district in ("Ashford", "Canterbury", "Dartford"):
        page.keyboard.press("ArrowDown")
        expect(profile.locator("h3")).to_have_text(district)
    for _ in range(3):
        page.keyboard.press("ArrowUp")
    expect(select).to_have_value("none")
    expect(profile).to_contain_text("Click a district on the map")


@pytest.mark.browser
def test_locality_and_care_group_update_every_chart(page):
    _open(page)
    page.select_option("#filter-locality", "south-west-kent")
    subtitles = page.locator(SUBTITLES)
    expect(subtitles).to_have_count(3)
    for index in range(3):  # each card updates when its own callback returns
        expect(subtitles.nth(index)).to_contain_text("South West Kent")
    expect(page.locator("#reach-map-card .chart-title")).to_contain_text(
        "Of South West Kent's districts"
    )
    expect(open_about(page.locator("#reach-map-card"))).to_contain_text("only partly in it")
    page.select_option("#filter-care-group", "dementia")
    for index in range(3):
        expect(subtitles.nth(index)).to_contain_text(
            "Dementia · latest available: 2024/25; carers from Census 2021 · "
            "Census 2021 carers for all care groups: not recorded by care group"
        )
    expect(page.locator(".chart-unavailable")).to_have_count(0)
    page.select_option("#reach-measure", "carers-2021")
    expect(page.locator("#reach-map-card .chart-subtitle")).to_contain_text(
        "South West Kent · all care groups: not recorded by care group"
    )
    page.select_option("#reach-measure", "supported")
    expect(page.locator(DISTRICTS)).to_have_count(12)
    expect(page.locator("#reach-map-card .chart-subtitle")).to_contain_text("Dementia")


@pytest.mark.browser
def test_census_figures_as_published_and_csv_matches_the_table(page):
    _open(page)
    page.select_option("#reach-measure", "carers-2021")
    card = page.locator("#reach-map-card .chart-card")
    expect(card.locator(".chart-title")).to_contain_text("unpaid carers")
    open_table(card)
    table = card.locator("table")
    expect(table).to_contain_text("135,907")  # Kent, Census 2021 (MSOA sum)
    expect(table.locator("tbody tr").filter(has_text="Dartford")).to_contain_text("8,668")
    ranking = page.locator("#reach-charts .chart-card").last
    with page.expect_download() as download_info:
        ranking.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert re.fullmatch(
        r"reach-ranking_[a-z0-9-]+_[a-z0-9-]+_[a-z0-9-]+\.csv", download.suggested_filename
    )
    open_table(ranking)
    rows = data_rows(download.path().read_text(encoding="utf-8"))
    header = ranking.locator("table thead th").all_inner_texts()
    assert csv_names_match(rows[0][: len(header)], header), (rows[0], header)
    body = ranking.locator("table tbody tr")
    assert len(rows) - 1 == body.count() == 12
    for index in range(body.count()):
        cells = body.nth(index).locator("th, td").all_inner_texts()
        assert rows[index + 1][0] == cells[0]
        assert rows[index + 1][1] == cells[1].replace(",", "")
        assert rows[index + 1][len(header) - 1] == cells[-1]
