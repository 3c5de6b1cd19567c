"""The investment page in the browser: four charts, filters reach every chart, the denominator
switch by keyboard, published totals as published, CSV equals the table, no accessibility faults."""

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

CARDS = "#investment-charts .chart-card, #investment-detail .chart-card"


def _open(page, path):
    page.goto(path)
    expect(page.locator(CARDS)).to_have_count(4)
    expect(page.locator("#investment-detail .js-plotly-plot")).to_have_count(2)


TRACE_SIZES = "plot => plot.data.map(t => [t.type, (t.locations || t.y || []).length])"


def _trace_counts(page, card_index):
    """[trace type, number of features or bars] for each trace of the card's chart."""
    return page.locator(".chart-card .js-plotly-plot").nth(card_index).evaluate(TRACE_SIZES)


@pytest.mark.browser
def test_page_renders_every_chart_cleanly_with_published_totals(page, watcher):
    _open(page, "/investment?period=2016-17")
    # The four investment charts, then carers by hours of caring (tests/browser/test_planner.py).
    expect(page.locator(".chart-card .js-plotly-plot")).to_have_count(5)
    bars, choropleth, strip, heat = (_trace_counts(page, index) for index in range(4))
    assert sum(length for kind, length in bars if kind == "bar") == 12
    assert sum(length for kind, length in choropleth if kind == "choropleth") == 12
    # The rank strip: the lines (12 districts, 3 ranks and a break each) and the points.
    lengths = sorted(length for kind, length in strip if kind == "scatter")
    assert len(strip) == len(lengths) == 3 and 12 * 3 in lengths and sum(lengths) == 12 * (3 + 4)
    # 12 districts and Kent, in one heat map writing every cell's text (``readable_heatmap``).
    assert heat == [["heatmap", 13]]
    method = page.locator(".investment-method")
    for published in ("£5.66m", "£1.84m", "£7.5m", "£772k"):
        expect(method).to_contain_text(published)
    card = page.locator(".chart-card").first
    open_table(card)
    kent = card.locator("tbody tr").last
    expect(kent).to_contain_text("Kent (all 12 districts)")
    expect(kent).to_contain_text("£4.36m")
    expect(kent).to_contain_text("£772k")
    expect(kent).to_contain_text("£8.27m")
    expect(open_about(card)).to_contain_text("£5.66m and NHS £1.84m (£7.5m)")
    watcher.assert_clean()
    assert watcher.external_urls == []
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


@pytest.mark.browser
def test_locality_and_care_group_filters_update_every_chart(page):
    _open(page, "/investment")
    titles = page.locator(CARDS).locator(".chart-title")
    before = titles.all_inner_texts()
    page.select_option("#filter-locality", "thanet-dover")
    expect(titles.first).to_contain_text("Thanet & Dover: spend per carer")
    subtitles = page.locator(CARDS).locator(".chart-subtitle")
    expect(subtitles.last).to_contain_text("Thanet & Dover")
    # The heat map marks them by outlining their rows, and says so.
    marks = [
        re.search(r"Thanet & Dover districts( highlighted|' rows outlined)", text)
        for text in subtitles.all_inner_texts()
    ]
    assert all(marks) and marks[-1].group(1) == "' rows outlined", subtitles.all_inner_texts()
    assert titles.all_inner_texts()[0] != before[0]
    page.select_option("#filter-care-group", "dementia")
    expect(titles.first).to_contain_text("Dementia in Thanet & Dover: spend per carer")
    expect(subtitles.first).to_contain_text(
        "denominators for all care groups: not recorded by care group"
    )
    expect(page.locator(CARDS).locator(".chart-unavailable")).to_have_count(0)
    expect(titles.last).to_contain_text("Dementia: spend per carer supported runs from")
    expect(subtitles.last).to_contain_text("Dementia column outlined")


OUTLINES_SHOWN = "plot => plot.layout.shapes.filter(shape => shape.opacity).length"


@pytest.mark.browser
def test_a_filter_change_moves_the_heat_maps_outlines_without_computing_its_cells_again(page):
    """The heat map's cells are the same whichever locality and care group are chosen: only
    its outlines move. Plotly compares a figure's parts by identity, so every figure from Dash
    was computed and drawn afresh; ``assets/view.js`` gives it the parts it drew where they
    are equal, and it keeps the cells it computed (``calcdata``) and redraws the outlines."""
    _open(page, "/investment")
    heat = page.locator("#investment-detail .js-plotly-plot").nth(1)
    assert heat.evaluate("plot => plot.data[0].type") == "heatmap"
    assert heat.evaluate(OUTLINES_SHOWN) == 0
    heat.evaluate("plot => { plot.calcdata.keptFromBefore = true; }")
    for select, value, outlines in (
        # Each outline is two shapes, a dark line in a white band.
        ("#filter-locality", "thanet-dover", 4),  # Thanet's row and Dover's
        ("#filter-care-group", "dementia", 6),  # and the Dementia column
    ):
        page.select_option(select, value)
        page.wait_for_function(
            f"plot => ({OUTLINES_SHOWN})(plot) === {outlines}", arg=heat.element_handle()
        )
        assert heat.evaluate("plot => plot.calcdata.keptFromBefore === true"), value


@pytest.mark.browser
def test_a_change_of_locality_outlines_its_rows_without_computing_the_bars_again(page):
    """The per-head bars, their numbers sent as typed arrays, are the same whichever locality is
    chosen: only the outlines of its rows show (``district_rows``). ``assets/view.js`` gives
    Plotly the numbers as plain arrays, which it can match to those drawn (a typed array is
    decoded afresh on every drawing and read as changed), so it keeps the bars it computed."""
    _open(page, "/investment")
    bars = page.locator("#investment-charts .js-plotly-plot").first
    assert bars.evaluate("plot => plot.data[0].type") == "bar"
    assert bars.evaluate("plot => Array.isArray(plot.data[0].x)")  # given as plain numbers
    bars.evaluate("plot => { plot.calcdata.keptFromBefore = true; }")
    page.select_option("#filter-locality", "thanet-dover")
    # Thanet's row and Dover's, each a dark line in a white band.
    page.wait_for_function(f"plot => ({OUTLINES_SHOWN})(plot) === 4", arg=bars.element_handle())
    assert bars.evaluate("plot => plot.calcdata.keptFromBefore === true")
    names = bars.evaluate("plot => plot.data.flatMap(trace => trace.y)")
    assert "Thanet" in names and not any("▶" in name for name in names)


@pytest.mark.browser
def test_charts_keep_their_margins_whichever_rows_and_columns_are_marked(page):
    """A margin that moved from one drawing to the next made Plotly draw the chart twice on
    that change. The widest marked names: Tonbridge and Malling's row (South West Kent),
    Young carers in transition's column; and values of other widths for another care group.
    Names are never cut off at a chart's edge."""
    _open(page, "/investment")
    assert_charts_keep_margins_and_texts(
        page,
        5,
        page.locator(CARDS).locator(".chart-title").first,
        (
            ("#filter-locality", "south-west-kent", "South West Kent: spend per carer"),
            ("#filter-care-group", "young-carers-in-transition", "Young carers in transition in"),
            ("#filter-care-group", "older-people", "Older people in South West Kent"),
        ),
    )


@pytest.mark.browser
def test_denominator_switch_is_reached_and_operated_by_keyboard(page):
    _open(page, "/investment")
    title = page.locator(".chart-card .chart-title").first
    expect(title).to_contain_text("spend per carer (")
    page.focus("#filter-period")
    reached = []
    for _ in range(10):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.value"))
        if reached[-1] == "carers":
            break
    assert reached[-1] == "carers", reached
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Per carer caring 50+ hours a week")).to_be_checked()
    expect(title).to_contain_text("spend per carer caring 50+ hours")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("radio", name="Per resident (all ages)")).to_be_checked()
    expect(title).to_contain_text("spend per resident")
    expect(page.locator(".chart-card .chart-title").nth(1)).to_contain_text("Spend per resident")


@pytest.mark.browser
def test_csv_download_matches_the_table(page):
    _open(page, "/investment?period=2016-17")
    card = page.locator(".chart-card").first
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    open_table(card)
    assert re.fullmatch(
        r"investment-per-head_[a-z0-9-]+_[a-z0-9-]+_[a-z0-9-]+\.csv", download.suggested_filename
    )
    rows = data_rows(download.path().read_text(encoding="utf-8"))
    header = card.locator("table thead th").all_inner_texts()
    assert csv_names_match(rows[0][: len(header)], header), (rows[0], header)
    body = card.locator("table tbody tr")
    assert len(rows) - 1 == body.count() == 13
    for index in range(body.count()):
        cells = body.nth(index).locator("th, td").all_inner_texts()
        assert rows[index + 1][0] == cells[0]
        assert rows[index + 1][len(header) - 1] == cells[-1]
    kent = {column: value for column, value in zip(rows[0], rows[-1], strict=True)}
    assert kent["Spend in scope (£)"] == "8272000"
    assert kent["Spend per carer (£)"] == str(round(8_272_000 / 135_907, 2))
