"""In a meeting: presentation mode, the projector-first layout, printing, and links that reopen
exactly the view, with one run of each page callback per click."""

from __future__ import annotations

import json
import math
import re

import pytest
from playwright.sync_api import expect

from dashboard.figures.common import DEMO_LABEL
from dashboard.figures.reach import FUNNEL_SLIDE_PLOT_HEIGHTS
from dashboard.theme import (
    DEMO_BAND,
    DEMO_BAND_KEY,
    PRESENTATION_MIN_HEIGHT_SHARE,
    PRESENTATION_ROW_SPACING,
    SLIDE_LABELS_KEY,
    SLIDE_MIN_HEIGHT_SHARE_KEY,
)
from tests.support.browser import PageWatcher, format_violations, run_axe, texts_off_their_chart

PROJECTOR = {"width": 1280, "height": 720}
A4_LANDSCAPE_PRINTABLE_PX = 277 / 25.4 * 96  # 297 mm less the 10 mm margins, in CSS pixels
A4_LANDSCAPE_PRINTABLE_HEIGHT_PX = 190 / 25.4 * 96  # 210 mm less the margins
READY = {
    "/": "#overview-cards .headline-card",
    "/funding": "#funding-charts .chart-card .js-plotly-plot",
    "/reach": "#reach-charts .chart-card .js-plotly-plot",
    "/investment": "#investment-detail .chart-card .js-plotly-plot",
    "/planner": "#planner-charts .chart-card .js-plotly-plot",
    "/short-breaks": "#short-breaks-charts .chart-card .js-plotly-plot",
    "/targets": "#targets-new-carers .chart-card .js-plotly-plot",
    "/changes": "#changes-results .chart-card",
    "/decisions": "#decisions-results .chart-card",
    "/data": "#data-quality .chart-card",
}
VISIBLE_CARDS = "main .chart-card:visible"
# The height a chart was drawn at on the page less its demo band (which a slide leaves out),
# the height it is drawn at on its slide, and the figure's own least share of the first.
SHOWN_HEIGHTS = f"""g => {{
    const meta = g._kcOriginal.layout.meta || {{}};
    return [g._kcOriginal.drawnHeight - (meta['{DEMO_BAND_KEY}'] ? {DEMO_BAND} : 0),
        g._fullLayout.height, meta['{SLIDE_MIN_HEIGHT_SHARE_KEY}']];
}}"""
# A slide's chart once its fitting is over: fitted to the screen, then, once Plotly has set
# its margins, made taller where its rows need it (assets/view.js, after SETTLED_MS = 250 ms
# of a steady plot area). Read any sooner, the ranking of spend per carer was 17 px shorter
# than it ended, and its source line, on the screen then, ended under the screen's edge.
FIT_OVER_MS = 700
FIT_OVER = f"""g => {{
    const now = performance.now();
    const state = JSON.stringify([g._kcFitted === g.layout, g._fullLayout.height,
        g._fullLayout._size]);
    if (g._testFitState !== state) {{
        g._testFitState = state;
        g._testFitSince = now;
    }}
    return g._kcFitted === g.layout && now - g._testFitSince >= {FIT_OVER_MS};
}}"""
SCROLLS = "() => document.documentElement.scrollHeight > window.innerHeight"


def _shortest(drawn: float, own_share: float | None) -> int:
    """The least height a slide draws a chart at, drawn at ``drawn`` on the page, by the
    figure's own share where it has one."""
    return math.floor(drawn * (own_share or PRESENTATION_MIN_HEIGHT_SHARE))


TEXT_SIZES = """graph => [...graph.querySelectorAll('text')]
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize))"""


def _open(page, path: str) -> None:
    page.goto(path)
    expect(page.locator(READY[path.split("?")[0]]).first).to_be_visible(timeout=60_000)
    page.wait_for_load_state("networkidle")


LEFT_OUT = r" \(\d+ without a chart skipped\)"  # after the position, if any were


def _present(page) -> int:
    """Presentation started from its button, as a person would, with its first slide shown
    before any key is pressed: entering runs in the browser after the click has returned.
    The number of slides so far."""
    page.get_by_role("button", name="Present").click()
    position = page.locator("#present-position")
    expect(position).to_have_text(re.compile(rf"Chart 1 of \d+({LEFT_OUT})?$"))
    return int(re.search(r"Chart 1 of (\d+)", position.inner_text())[1])


@pytest.fixture
def projector(browser, live_server):
    context = browser.new_context(viewport=PROJECTOR, base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.browser
def test_presentation_mode_shows_one_chart_a_screen_and_arrow_keys_move(projector, watcher):
    page = projector
    _open(page, "/funding")
    cards = page.locator("#funding-charts .chart-card")
    expect(cards).to_have_count(4)
    titles = cards.locator(".chart-title").all_inner_texts()
    page.get_by_role("button", name="Present").click()
    expect(page).to_have_url(re.compile(r"present=1"))
    # The focus leaves the hidden Present button for the next-chart one, not for the page.
    expect(page.get_by_role("button", name="Next chart")).to_be_focused()
    navigation = page.get_by_role("navigation", name="Dashboard pages")
    expect(navigation).to_be_hidden()
    expect(page.locator("#filter-care-group")).to_be_hidden()
    expect(page.locator("#filter-summary")).to_have_text(
        "Filters: Locality All of Kent · Care group All care groups · Period Latest available"
    )
    position = page.locator("#present-position")
    expect(position).to_have_text("Funding split: Chart 1 of 4")
    previous, following = (
        page.locator(f"#{name}") for name in ("present-previous", "present-next")
    )
    expect(previous).to_have_attribute("aria-disabled", "true")
    expect(following).to_have_attribute("aria-disabled", "false")
    expect(page.locator(VISIBLE_CARDS)).to_have_count(1)
    expect(page.locator(VISIBLE_CARDS).locator(".chart-title")).to_have_text(titles[0])
    # The chart, not its controls: no table, image or About disclosures on the projector.
    for disclosure in (".chart-table-details", ".chart-image-exports", ".chart-about"):
        expect(page.locator(VISIBLE_CARDS).locator(disclosure)).to_be_hidden()
    meeting_pack = page.get_by_role("region", name="Meeting pack")
    expect(meeting_pack).to_be_hidden()  # a control, not a slide

    page.keyboard.press("ArrowRight")
    expect(position).to_have_text("Funding split: Chart 2 of 4")
    expect(page.locator(VISIBLE_CARDS).locator(".chart-title")).to_have_text(titles[1])
    page.get_by_role("button", name="Next chart").click()
    expect(position).to_have_text("Funding split: Chart 3 of 4")
    page.keyboard.press("ArrowLeft")
    expect(position).to_have_text("Funding split: Chart 2 of 4")
    expect(page.get_by_role("button", name="Next chart")).to_be_focused()
    expect(previous).to_have_attribute("aria-disabled", "false")
    # The last slide: "Next chart" says it can go no further, and keeps the focus.
    page.keyboard.press("End")
    expect(position).to_have_text("Funding split: Chart 4 of 4")
    expect(following).to_have_attribute("aria-disabled", "true")
    expect(following).to_be_focused()
    page.keyboard.press("Home")
    expect(position).to_have_text("Funding split: Chart 1 of 4")
    page.keyboard.press("ArrowRight")

    # The chart fills the screen below the controls, with no text under 14 px.
    graph = page.locator(f"{VISIBLE_CARDS} .js-plotly-plot")
    page.wait_for_function(
        "g => g.getBoundingClientRect().height > 380", arg=graph.element_handle()
    )
    box = graph.bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"]
    assert box["width"] > 0.9 * PROJECTOR["width"]
    sizes = graph.evaluate(TEXT_SIZES)
    assert sizes and min(sizes) >= 14, sizes

    page.keyboard.press("Escape")
    expect(page).not_to_have_url(re.compile(r"present="))
    expect(navigation).to_be_visible()
    expect(page.get_by_role("button", name="Present")).to_be_focused()
    expect(page.locator(VISIBLE_CARDS)).to_have_count(4)
    expect(page.locator("#filter-summary")).to_be_hidden()
    expect(meeting_pack).to_be_visible()
    watcher.assert_clean()


# The y axis's category labels a chart draws, and how many categories that axis has.
Y_LABELS = """g => [g.querySelectorAll('.yaxislayer-above .ytick text').length,
    g._fullLayout.yaxis._categories.length]"""


def _slide(page, number: int):
    """The chart of slide ``number`` (from 1), presentation started from its button, once
    presentation has fitted it to the screen (``FIT_OVER``)."""
    _present(page)
    return _moved_to_slide(page, number)


def _moved_to_slide(page, number: int):
    """The chart of slide ``number`` (from 1) of the presentation shown from its first, once
    its fitting to the screen is over."""
    position = page.locator("#present-position")
    for shown in range(2, number + 1):
        # A folded section's charts become slides as they arrive: pressed at the last slide
        # so far, the key stays there, as it would for a presenter.
        expect(position).not_to_have_text(re.compile(rf"Chart {shown - 1} of {shown - 1}$"))
        page.keyboard.press("ArrowRight")
        expect(position).to_have_text(re.compile(rf"Chart {shown} of"))
    graph = page.locator(f"{VISIBLE_CARDS} .js-plotly-plot")
    page.wait_for_function(FIT_OVER, arg=graph.element_handle(), polling=100)
    return graph


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "number"), [("/reach", 3), ("/investment", 1), ("/investment", 4)]
)
def test_a_slide_names_every_row_of_a_chart_on_a_short_screen(projector, path, number):
    # The reach ranking's and the spend per carer's 12 districts, and the heat map's 13 rows.
    # Squeezed into what the projector leaves under the title, the ranking named every second
    # district and the heat map's cells ran into one another; a slide now draws a chart at
    # least nearly at its page height. The spend per carer then still named every second
    # district in the slide's larger type, though each row had room for its name.
    page = projector
    _open(page, f"{path}?locality=thanet-dover&care_group=dementia")
    graph = _slide(page, number)
    drawn, shown, own_share = graph.evaluate(SHOWN_HEIGHTS)
    assert shown >= _shortest(drawn, own_share)
    labels, categories = graph.evaluate(Y_LABELS)
    assert categories >= 12
    assert labels == categories


@pytest.mark.browser
def test_the_heat_maps_slide_writes_its_row_and_column_names_apart(projector):
    # In the template's 20 px slide type, the 13 district names ran into one another on rows
    # 18 px apart, and the slanted care-group names took a third of the slide; the names are
    # drawn at the slide's smallest type, the long ones on two lines.
    page = projector
    graph = _settled_slide(page, "/investment", 4)
    expect(graph.locator(".xtick text")).to_have_count(13)
    expect(graph.locator(".ytick text")).to_have_count(13)
    assert _crossed(graph, ".ytick text") == []  # (slanted names' boxes overlap whatever)
    assert graph.bounding_box()["y"] + graph.bounding_box()["height"] <= PROJECTOR["height"]


# Pixels a row of each category y axis has on the chart, and its tick labels' size.
ROW_ROOM = """g => Object.keys(g._fullLayout).filter((name) => /^yaxis\\d*$/.test(name)
    && g._fullLayout[name].type === 'category').map((name) => {
        const axis = g._fullLayout[name];
        return [(axis.domain[1] - axis.domain[0]) * g._fullLayout._size.h
            / Math.abs(axis.range[1] - axis.range[0]), axis.tickfont.size];
    })"""


@pytest.mark.browser
def test_a_slide_keeps_room_for_each_rows_name(projector):
    # The planner's twelve districts, each with two bars: drawn only as tall as the screen
    # leaves, its rows were 19 px apart and the 20 px names touched. A slide draws a chart of
    # rows at least as tall as its rows need, and scrolls beyond that.
    page = projector
    graph = _settled_slide(page, "/planner", 1)
    [(room, size)] = graph.evaluate(ROW_ROOM)
    assert room >= size * PRESENTATION_ROW_SPACING
    assert size >= 16
    expect(graph.locator(".ytick text")).to_have_count(12)
    assert _crossed(graph, ".ytick text") == []


# Font sizes (px) of a headline slide's words, and how many of its controls are on screen.
HEADLINE_SLIDE = """() => {
    const card = document.querySelector('.headline-card.present-current');
    const size = (selector) => parseFloat(getComputedStyle(card.querySelector(selector)).fontSize);
    const shown = [...card.querySelectorAll('details, a')].filter((e) => e.offsetParent);
    return [size('.card-title'), size('.headline-detail'), size('.headline-meta'),
        size('.headline-note'), shown.length];
}"""


@pytest.mark.browser
def test_a_headline_slide_writes_its_words_for_the_room_and_leaves_its_controls(projector):
    # Carers supported: the title was 16 px, the period 14.4 and the note 13.6 beside a number
    # of 64 px, and "Trend as a table" and "More detail" stayed on the slide.
    page = projector
    _open(page, "/")
    _present(page)
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#present-position")).to_have_text(re.compile(r"Chart 3 of"))
    expect(page.locator(".headline-card.present-current")).to_contain_text("Carers supported")
    title, detail, meta, note, controls = page.evaluate(HEADLINE_SLIDE)
    assert title >= 24 and detail >= 20 and meta >= 18 and note >= 16
    assert controls == 0


@pytest.mark.browser
def test_a_slide_squeezes_a_tall_chart_only_so_far_and_scrolls(projector):
    # The yearly target bullets: seven rows, each titled above its axis, far taller than the
    # room the projector leaves: drawn only a little shorter than on the page (the figure's own
    # share, as its panels' gaps are set in pixels, and its plot area as much of the page's,
    # which may add a few pixels once the slide's margins are known), and the slide scrolls.
    page = projector
    _open(page, "/targets")
    graph = _slide(page, 2)
    page.wait_for_function(SETTLED_LAYOUT, arg=graph.element_handle(), polling=400)
    drawn, shown, own_share = graph.evaluate(SHOWN_HEIGHTS)
    assert own_share > PRESENTATION_MIN_HEIGHT_SHARE
    assert shown >= _shortest(drawn, own_share) > PROJECTOR["height"] - graph.bounding_box()["y"]
    page_plot, plot = graph.evaluate("g => [g._kcOriginal.drawnPlotHeight, g._fullLayout._size.h]")
    assert plot >= math.floor(page_plot * own_share)
    assert shown <= drawn  # never taller than on the page
    assert graph.bounding_box()["height"] == pytest.approx(shown, abs=1)
    assert page.evaluate(SCROLLS)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "number"),
    [
        ("/funding", 3),
        ("/funding?locality=thanet-dover", 3),
        ("/investment", 1),
        ("/investment", 2),
        ("/short-breaks", 3),
        ("/reach", 4),
        ("/data", 2),
        ("/short-breaks", 8),
        ("/reach", 1),
        ("/reach", 2),
        ("/planner", 4),
    ],
)
def test_a_slide_shows_the_chart_and_its_source_not_the_list_of_events(projector, path, number):
    # The funding trend marks three events, listed in words under it on the page. On a slide
    # the list gave way to the chart (squeezed to a plot about 130 px high) and pushed the
    # source line off the screen; the labels on the chart stay, and the source follows it.
    # For Kent the source takes three lines: drawn at its page height, the chart pushed them
    # under the screen's edge, and the card's margin scrolled every slide by a few pixels.
    # The spend per carer ranking's slide scrolled by 8 px while its source line was set at the
    # subtitle's size. The investment map's and the crisis referrals' source lines ended 16
    # and 20 px under the screen's edge until the lines above a slide were set closer. The
    # hours of caring and the returns' completeness scrolled by 44 and 50 px while a slide drew
    # every chart at least 85% of its page height; they are drawn shorter, each row keeping
    # room for its name (below), and the heat map's names in dense type. The control chart's
    # folded section added its margin under the slide (16 px). Read once the fitting was over,
    # the spend per carer's, the hours of caring's, the map's and the planner's years ended 3 to
    # 32 px under the edge, their rows' room taken by the demo band above the plot and by names
    # in the template's type; a slide leaves the band out (below) and they are set dense. The
    # funnel's ended 22 px under it, at 85% of its page height: it keeps the plot its names are
    # placed for (below), with a bottom margin of its own for its pinned legend.
    page = projector
    _open(page, path)
    card = page.locator(VISIBLE_CARDS)
    if path.startswith("/funding"):
        expect(page.locator("#funding-charts .chart-events").first).to_be_attached()
    graph = _slide(page, number)
    expect(card.locator(".chart-events")).to_be_hidden()
    drawn, shown, own_share = graph.evaluate(SHOWN_HEIGHTS)
    assert shown >= _shortest(drawn, own_share)
    footer = card.locator(".chart-footer")
    expect(footer).to_contain_text("Source:")
    box = footer.bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"]
    assert not page.evaluate(SCROLLS)


@pytest.mark.browser
def test_a_slide_keeps_the_plot_its_labels_are_placed_for(projector):
    # The funnel's names are placed by the server for a slide's plot at least 290 px tall; at
    # 1280x720, under Kent's two-line title, the screen leaves it 285 px: the chart is made just
    # tall enough, once Plotly has set its margins (and still fits the screen: above).
    page = projector
    _open(page, "/reach")
    graph = _slide(page, 2)
    placed, plot = graph.evaluate(
        f"g => [g.layout.meta['{SLIDE_LABELS_KEY}'].min_plot_height, g._fullLayout._size.h]"
    )
    assert placed == min(FUNNEL_SLIDE_PLOT_HEIGHTS)
    assert placed <= plot <= placed + 1


@pytest.mark.browser
def test_every_slide_of_a_page_is_fitted_without_a_script_error(projector, live_server):
    # The crisis referrals' panels have a category axis with no tick labels: the step that keeps
    # each row room for its name read their size and threw ("Cannot read properties of
    # undefined") on slides 6 and 7 of /short-breaks, which were left unfinished.
    page = projector
    watcher = PageWatcher(page, live_server)
    _open(page, "/short-breaks")
    _present(page)
    position = page.locator("#present-position")
    expect(position).to_have_text(re.compile(r"Chart 1 of 8$"))
    for number in range(1, 9):
        expect(position).to_have_text(re.compile(rf"Chart {number} of 8$"))
        for graph in page.locator(f"{VISIBLE_CARDS} .js-plotly-plot").all():
            page.wait_for_function(FIT_OVER, arg=graph.element_handle(), polling=100)
        page.keyboard.press("ArrowRight")
    watcher.assert_clean()


@pytest.mark.browser
def test_a_slide_leaves_out_the_demo_band_and_puts_it_back_after(projector):
    # The demo mark's band above a chart (30 px) took a ranking's rows' room on a slide, which
    # then grew under the screen's edge; the slide shows the mark beside the chart's title, as
    # an exported image does, and the page's chart keeps its own.
    page = projector
    _open(page, "/investment")
    graph = _slide(page, 1).element_handle()
    page_top = graph.evaluate("g => g._kcOriginal.layout.margin.t")
    assert graph.evaluate("g => g._fullLayout.margin.t") == page_top - DEMO_BAND
    assert graph.query_selector(".gtitle") is None
    expect(page.locator(f"{VISIBLE_CARDS} .chart-subtitle .status-demo")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).not_to_have_url(re.compile(r"present="))
    page.wait_for_function(f"g => g._fullLayout.margin.t === {page_top}", arg=graph)
    assert graph.query_selector(".gtitle").text_content() == DEMO_LABEL


# The texts of a chart's x axes (tick labels and titles) that its legend is drawn over.
LEGEND_OVER_AXIS_TEXT = """graph => {
    const legend = graph.querySelector('.infolayer .legend');
    if (!legend) return [];
    const box = legend.getBoundingClientRect();
    return [...graph.querySelectorAll('.xaxislayer-above text, .g-xtitle text, .g-x2title text')]
        .filter((text) => {
            const r = text.getBoundingClientRect();
            return r.width > 0 && r.left < box.right && box.left < r.right
                && r.top < box.bottom && box.top < r.bottom;
        })
        .map((text) => text.textContent);
}"""

# True once the legend's and the x axes' boxes are the same on two polls in a row.
SETTLED_LAYOUT = """graph => {
    const parts = graph.querySelectorAll('.infolayer .legend, .xaxislayer-above, .g-xtitle');
    const boxes = JSON.stringify([...parts].map((part) => {
        const r = part.getBoundingClientRect();
        return [r.top, r.bottom, r.left, r.right];
    }));
    const settled = graph.dataset.testBoxes === boxes;
    graph.dataset.testBoxes = boxes;
    return settled;
}"""


def _settled_slide(page, path: str, number: int, title: str = ""):
    """The chart of slide ``number`` of page ``path`` (its card's title holding ``title``), once
    Plotly has drawn it at the slide's size."""
    _open(page, path)
    graph = _slide(page, number)
    if title:
        expect(page.locator(f"{VISIBLE_CARDS} .chart-title")).to_contain_text(title)
    page.wait_for_function(SETTLED_LAYOUT, arg=graph.element_handle(), polling=400)
    return graph


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/short-breaks", "/reach"])
def test_a_legend_under_a_chart_stays_clear_of_its_axis_on_every_slide(projector, path):
    # Placed a fraction of the plot's height below it, the legend landed on the rotated period
    # labels of the short-breaks outcomes and on the funnel's axis title once a slide enlarged
    # the type; pinned to the bottom of the chart, it keeps its own room.
    page = projector
    _open(page, f"{path}?locality=thanet-dover&care_group=dementia")
    count = _present(page)
    legends = 0
    for number in range(1, count + 1):
        expect(page.locator("#present-position")).to_have_text(re.compile(rf"Chart {number} of"))
        for graph in page.locator(f"{VISIBLE_CARDS} .js-plotly-plot").all():
            handle = graph.element_handle()
            page.wait_for_function("g => g._kcFitted === g.layout", arg=handle)
            # Plotly draws the fitted figure after that: wait until the legend and axes stay put.
            page.wait_for_function(SETTLED_LAYOUT, arg=handle, polling=250)
            assert graph.evaluate(LEGEND_OVER_AXIS_TEXT) == [], (path, number)
            legends += graph.locator(".infolayer .legend").count()
        page.keyboard.press("ArrowRight")
    assert legends >= 3


@pytest.mark.browser
def test_a_one_row_targets_chart_keeps_its_legend_off_its_axis_title(projector):
    # The per-year targets drawn as shares of their targets have an axis title; for 2013/14,
    # one target of one row, Plotly took the legend's room out of the short plot and brought
    # the legend up onto that title, on the page and on its slide.
    page = projector
    _open(page, "/targets?period=2013-14")
    graphs = page.locator("main .chart-card .js-plotly-plot")
    expect(graphs.first).to_be_visible()
    titled = 0
    for graph in graphs.all():
        graph.scroll_into_view_if_needed()
        page.wait_for_function(SETTLED_LAYOUT, arg=graph.element_handle(), polling=250)
        assert graph.evaluate(LEGEND_OVER_AXIS_TEXT) == []
        titled += graph.locator(".g-xtitle text").count()
    assert titled >= 2
    _present(page)
    for number in (1, 2):
        expect(page.locator("#present-position")).to_have_text(re.compile(rf"Chart {number} of"))
        graph = page.locator(f"{VISIBLE_CARDS} .js-plotly-plot").element_handle()
        page.wait_for_function("g => g._kcFitted === g.layout", arg=graph)
        page.wait_for_function(SETTLED_LAYOUT, arg=graph, polling=250)
        assert graph.evaluate(LEGEND_OVER_AXIS_TEXT) == [], number
        page.keyboard.press("ArrowRight")


@pytest.mark.browser
def test_cards_without_a_chart_for_the_filters_are_left_out_of_the_slides_and_counted(projector):
    # For a locality, three of /short-breaks' eight slides only said that their published
    # figures are Kent's alone: a meeting clicked through them.
    page = projector
    page.goto("/short-breaks?present=1&locality=thanet-dover")
    position = page.locator("#present-position")
    expect(position).to_have_text(
        re.compile(r"Chart 1 of 5 \(3 without a chart skipped\)$"),
        timeout=60_000,
    )
    for number in range(1, 6):
        expect(position).to_contain_text(f"Chart {number} of 5")
        shown = page.locator(VISIBLE_CARDS)
        expect(shown).to_have_count(1)
        expect(shown.locator(".js-plotly-plot")).to_have_count(1)
        page.keyboard.press("ArrowRight")
    expect(position).to_contain_text("Chart 5 of 5")  # the last slide stays


@pytest.mark.browser
def test_a_presentation_link_shows_the_folded_charts_as_the_present_button_does(projector):
    # Presenting unfolds "More detail" so that its charts are slides too. Opened from a
    # present=1 link, presentation began before the page had its folded section, which stayed
    # shut: /short-breaks had 4 slides instead of 8.
    page = projector
    _open(page, "/short-breaks")
    _present(page)
    position = page.locator("#present-position")
    expect(position).to_have_text(re.compile(r"Chart 1 of 8$"), timeout=30_000)
    page.goto("/short-breaks?present=1")
    expect(position).to_have_text(re.compile(r"Chart 1 of 8$"), timeout=60_000)
    expect(page.locator("main details.more-detail")).to_have_attribute("open", "")


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/reach", "/planner"])
def test_a_pages_own_controls_are_hidden_on_its_slides(projector, path):
    # The map settings (/reach) and the planner's budget and formula sit in a bar of their own,
    # a flex row: presenting left it as an empty grey strip over the slide.
    page = projector
    _open(page, path)
    _present(page)
    bars = page.locator("main .filter-bar")
    assert bars.count() >= 1
    for index in range(bars.count()):
        expect(bars.nth(index)).to_be_hidden()


@pytest.mark.browser
def test_a_slide_of_a_card_without_a_chart_shows_its_table(projector):
    # /data's lists (the sources, the returns received, the notes) have no chart: their slides
    # showed a title and a source line only, the table being hidden on a slide like a chart's.
    # A list now stands in its card where a chart would (no disclosure to open).
    page = projector
    _open(page, "/data")
    count = _present(page)
    position = page.locator("#present-position")
    lists = 0
    for shown in range(1, count + 1):
        if shown > 1:
            page.keyboard.press("ArrowRight")
        expect(position).to_have_text(re.compile(rf"Chart {shown} of"))
        slide = page.locator(VISIBLE_CARDS)
        charts = slide.locator(".js-plotly-plot").count()
        tables = slide.locator(".chart-list").count()
        if charts or not tables:  # a chart, or a card saying in words there is nothing to list
            continue
        lists += 1
        expect(slide.locator(".chart-list table tbody tr").first).to_be_visible()
        assert slide.locator("details.chart-table-details").count() == 0
    assert lists >= 2


# The bottom of the legend's box and the top of the plot area.
LEGEND_AND_PLOT = """g => [g.querySelector('.infolayer .legend').getBoundingClientRect().bottom,
    g.querySelector('.draglayer .nsewdrag').getBoundingClientRect().top]"""


@pytest.mark.browser
def test_a_legend_over_a_slide_chart_stays_off_its_first_rows(projector):
    # The hours of caring chart has its legend over the plot. On a slide, once Dash's graph had
    # resized the chart and Plotly laid its margins out afresh, the legend covered the first two
    # districts' bars; pinned to the top of the chart, it keeps its own room.
    page = projector
    # Opened from a link to presentation mode, as a meeting does.
    page.goto("/reach?present=1")
    position = page.locator("#present-position")
    expect(position).to_have_text(re.compile(r"Chart 1 of 4"), timeout=60_000)
    page.wait_for_load_state("networkidle")
    graph = _moved_to_slide(page, 4)
    expect(page.locator(f"{VISIBLE_CARDS} .chart-title")).to_contain_text("50+ hours")
    page.wait_for_function(SETTLED_LAYOUT, arg=graph.element_handle(), polling=400)
    legend_bottom, plot_top = graph.evaluate(LEGEND_AND_PLOT)
    assert legend_bottom <= plot_top


# The boxes of the legend and of the note naming each side of the fair line, as [top, bottom].
LEGEND_AND_SIDES_NOTE = """g => {
    const box = (el) => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
    const note = [...g.querySelectorAll('.annotation')]
        .find((a) => a.textContent.includes('above fair share'));
    return [box(g.querySelector('.infolayer .legend')), box(note)];
}"""


@pytest.mark.browser
def test_a_slide_keeps_the_sensitivity_charts_side_note_clear_of_its_legend(projector):
    # The planner's sensitivity chart names each side of its fair line above the plot, under
    # the legend: on a slide the legend's larger type ran into that note.
    page = projector
    graph = _settled_slide(page, "/planner", 3, "formula")
    legend, note = graph.evaluate(LEGEND_AND_SIDES_NOTE)
    assert legend[1] <= note[0]


# The pairs of a chart's texts matching a selector (drawn, not hidden) whose boxes overlap.
CROSSED_TEXTS = """(g, selector) => {
    const texts = [...g.querySelectorAll(selector)]
        .map((t) => [t.textContent, t.getBoundingClientRect()])
        .filter(([, r]) => r.height > 0);
    return texts.flatMap(([first, a], i) => texts.slice(i + 1)
        .filter(([, b]) => a.left < b.right && b.left < a.right
            && a.top < b.bottom && b.top < a.bottom)
        .map(([second]) => [first, second]));
}"""


def _crossed(graph, selector: str) -> list:
    return graph.evaluate(CROSSED_TEXTS, selector)


@pytest.mark.browser
@pytest.mark.parametrize("size", [PROJECTOR, {"width": 1440, "height": 900}], ids=["720", "900"])
def test_a_slide_writes_the_funnels_district_names_clear_of_each_other(projector, size):
    # The funnel names each district beside its point, placed for the page's type and shape:
    # on a slide, in larger type on a wider, shorter plot, Tonbridge and Malling ran into Ashford
    # (1440 x 900; into Dover at 1280 x 720 on the demo file). The slide now writes them where
    # the figure says they go on a slide.
    page = projector
    page.set_viewport_size(size)
    graph = _settled_slide(page, "/reach", 2)
    expect(graph.locator(".g-xtitle")).to_contain_text("Carers")  # the funnel
    assert graph.evaluate("g => g.querySelectorAll('.annotation').length") >= 12
    assert _crossed(graph, ".annotation .annotation-text-g") == []


@pytest.mark.browser
def test_a_slide_keeps_the_crisis_panels_tick_labels_apart(projector):
    # Crisis referrals over the chosen group's share: in a slide's larger type the referrals'
    # "0" ran into the share's "100%" across the gap between the panels.
    page = projector
    graph = _settled_slide(page, "/short-breaks", 3, "crisis referrals")
    assert _crossed(graph, ".yaxislayer-above text") == []


# Each bar label's right edge against the left edge of the next panel's plot area.
LABELS_AND_NEXT_PANEL = """g => {
    const next = g.querySelector('.draglayer .x2y2 .nsewdrag').getBoundingClientRect().left;
    return [...g.querySelectorAll('.cartesianlayer .subplot.xy .bartext')]
        .map((t) => [t.textContent, t.getBoundingClientRect().right, next]);
}"""


@pytest.mark.browser
def test_a_slide_keeps_the_provider_bars_labels_in_their_own_panel(projector):
    # In the slide's larger type "over 62,500 hours" no longer fitted inside its bar; Plotly
    # wrote it beside the bar, where the people panel covered all but "over 6".
    page = projector
    graph = _settled_slide(page, "/short-breaks", 6, "short-break hours")
    labels = graph.evaluate(LABELS_AND_NEXT_PANEL)
    assert len(labels) == 7
    assert [label for label, right, next_left in labels if right > next_left] == []


@pytest.mark.browser
def test_the_control_charts_slide_writes_its_values_clear_of_its_other_texts(projector):
    # Under four rows of legend a slide's plot is about 150 px tall: the values, placed for
    # the page's 330, ran out of the plot, the last quarter's "277" into "Selected".
    page = projector
    graph = _settled_slide(page, "/short-breaks", 8, "special-cause")
    texts = graph.evaluate(
        "g => [...g.querySelectorAll('.annotation-text')].map(t => t.textContent)"
    )
    assert "Selected" in texts and sum(text.isdigit() for text in texts) >= 4
    assert _crossed(graph, ".annotation .annotation-text-g") == []


@pytest.mark.browser
@pytest.mark.parametrize(("path", "number"), [("/reach", 1), ("/investment", 2)])
def test_a_slide_writes_the_maps_district_names_clear_of_each_other(projector, path, number):
    # The map hardly grows on a slide: at the slide's 16 px Gravesham's name ran over Dartford's
    # value. Its names are raised to 14 px, still above the page's 12. The investment map kept
    # an empty strip of 50 px above the county, which drew it smaller, and Gravesham's name
    # touched Dartford's value.
    page = projector
    graph = _settled_slide(page, path, number)
    sizes = graph.evaluate(
        "g => [...g.querySelectorAll('.scattergeo text')].map((t) => parseFloat(t.style.fontSize))"
    )
    assert len(sizes) == 12 and min(sizes) >= 14
    assert _crossed(graph, ".scattergeo text") == []


# The y axis title's box and the plot area's, as [top, bottom].
Y_TITLE_AND_PLOT = """g => [g.querySelector('.g-ytitle'), g.querySelector('.draglayer .nsewdrag')]
    .map((part) => { const r = part.getBoundingClientRect(); return [r.top, r.bottom]; })"""


@pytest.mark.browser
def test_the_control_charts_slide_keeps_its_axis_title_beside_its_plot(projector):
    # The control chart's slide drew a plot 120 px tall under four rows of legend, and its axis
    # title "Crisis referrals per quarter" ran past both ends of it, over the demo mark and the
    # quarters.
    page = projector
    _open(page, "/short-breaks")
    _present(page)
    # The last of the charts under "More detail", which presenting unfolds.
    expect(page.locator("#present-position")).to_have_text(re.compile(r"of 8$"), timeout=30_000)
    graph = _moved_to_slide(page, 8)
    expect(page.locator(f"{VISIBLE_CARDS} .chart-title")).to_contain_text("special-cause")
    page.wait_for_function(SETTLED_LAYOUT, arg=graph.element_handle(), polling=400)
    (title_top, title_bottom), (plot_top, plot_bottom) = graph.evaluate(Y_TITLE_AND_PLOT)
    assert plot_top <= title_top and title_bottom <= plot_bottom
    assert plot_bottom - plot_top >= 140


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "number"),
    [
        ("/investment?locality=thanet-dover&care_group=dementia", 3),
        ("/reach?base=carers_50plus", 2),
    ],
)
def test_a_slide_writes_a_long_axis_title_beside_its_plot(projector, path, number):
    # On one line, the rank stability's "Rank (1st = most spend per head)" was cut to "ank (1st"
    # and the funnel's "Carers supported per 100 carers caring 50+ hours" ran over the demo
    # mark and out of the chart: each is written on two lines.
    page = projector
    graph = _settled_slide(page, path, number)
    (title_top, title_bottom), (plot_top, plot_bottom) = graph.evaluate(Y_TITLE_AND_PLOT)
    assert plot_top <= title_top and title_bottom <= plot_bottom


# The x axes' tick labels that run more than 2 px into the box of a note (a bullet's title).
TICKS_UNDER_NOTES = """g => {
    const notes = [...g.querySelectorAll('.annotation rect.bg')]
        .map((note) => note.getBoundingClientRect());
    return [...g.querySelectorAll('.xaxislayer-above text')].filter((text) => {
        const r = text.getBoundingClientRect();
        return r.width > 0 && notes.some((b) => r.left < b.right && b.left < r.right
            && r.top + 2 < b.bottom && b.top < r.bottom - 2);
    }).map((text) => text.textContent);
}"""


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "number"),
    [("/targets", 2), ("/targets", 3), ("/targets?locality=thanet-dover&care_group=dementia", 1)],
)
def test_a_slide_keeps_each_bullets_tick_labels_clear_of_the_next_title(projector, path, number):
    # The yearly and the locality target bullets: a panel's tick labels, in a slide's larger type
    # and on a chart drawn shorter, ran under the title of the panel below. The contract
    # bullets of a locality and care group did so at 85% of their page height, as a legend of
    # two rows and the slide's margins took more of it: their plot keeps 85% of its own.
    page = projector
    graph = _settled_slide(page, path, number)
    assert graph.evaluate(TICKS_UNDER_NOTES) == []


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/short-breaks", "/targets"])
def test_a_slide_draws_each_tick_label_and_axis_title_whole(projector, path):
    # Their values and periods are written without Plotly's automatic margin on the page, in
    # margins that hold the page's type (``value_axis``); a slide gives it back for its larger
    # type. The target bullets' "200%" was hidden on a slide, reaching past the chart.
    page = projector
    _open(page, path)
    _present(page)
    position = page.locator("#present-position")
    for number in range(1, 5):
        if number > 1:
            page.keyboard.press("ArrowRight")
            expect(position).to_have_text(re.compile(rf"Chart {number} of"))
        graph = page.locator(f"{VISIBLE_CARDS} .js-plotly-plot")
        page.wait_for_function(FIT_OVER, arg=graph.element_handle(), polling=100)
        page.wait_for_function(SETTLED_LAYOUT, arg=graph.element_handle(), polling=400)
        assert texts_off_their_chart(page, f"{VISIBLE_CARDS} .js-plotly-plot") == [], number


CHART_HEIGHTS = """() => [...document.querySelectorAll('main .chart-card .js-plotly-plot')]
    .map((graph) => Math.round(graph.getBoundingClientRect().height))"""


@pytest.mark.browser
def test_leaving_presentation_gives_every_chart_its_page_height_again(projector):
    # Each chart left presentation at its slide's height (the hours chart 470 -> 375 px), its
    # page height having been dropped from its layout by Plotly's first resize.
    page = projector
    _open(page, "/short-breaks?locality=thanet-dover&care_group=dementia")
    before = page.evaluate(CHART_HEIGHTS)
    count = _present(page)
    for number in range(1, count + 1):
        expect(page.locator("#present-position")).to_have_text(re.compile(rf"Chart {number} of"))
        for graph in page.locator(f"{VISIBLE_CARDS} .js-plotly-plot").all():
            page.wait_for_function("g => g._kcFitted === g.layout", arg=graph.element_handle())
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Present")).to_be_visible()
    # The charts the page showed before, in order (the folded ones drawn for the slides follow).
    page.wait_for_function(
        f"before => ({CHART_HEIGHTS})().slice(0, before.length).join() === before.join()",
        arg=before,
    )
    assert page.evaluate(CHART_HEIGHTS)[: len(before)] == before


SHOWN_DATA = "g => JSON.stringify(g.data.map(trace => [trace.x, trace.y]))"


def _presenting_funding(page):
    """The first funding chart presented and fitted: its graph and the data it shows."""
    _open(page, "/funding?present=1")
    graph = page.locator(f"{VISIBLE_CARDS} .js-plotly-plot")
    page.wait_for_function("g => g._kcFitted", arg=graph.element_handle())
    graph = graph.element_handle()
    return graph, graph.evaluate(SHOWN_DATA)


def _choose_thanet_and_dover(page) -> None:
    """What back or forward in a meeting does: the filters change with the bar hidden."""
    page.evaluate("window.dash_clientside.set_props('filter-locality', {value: 'thanet-dover'})")


@pytest.mark.browser
def test_a_chart_redrawn_while_presenting_shows_the_new_figures_fitted(projector):
    """Each figure is written in place when the filters change."""
    page = projector
    graph, kent = _presenting_funding(page)

    _choose_thanet_and_dover(page)
    expect(page.locator(f"{VISIBLE_CARDS} .chart-title")).to_contain_text("Thanet & Dover")
    page.wait_for_function(
        f"([g, before]) => g._kcFitted === g.layout && ({SHOWN_DATA})(g) !== before",
        arg=[graph, kent],
    )
    # Fitted to the screen from the new figure, not the figure shown before.
    assert graph.evaluate(SHOWN_DATA) == graph.evaluate(
        "g => JSON.stringify(g._kcOriginal.data.map(trace => [trace.x, trace.y]))"
    )
    assert graph.evaluate("g => g.getBoundingClientRect().height") > 380


@pytest.mark.browser
def test_leaving_presentation_keeps_the_figures_redrawn_since_a_slide_was_shown(projector):
    page = projector
    first, kent = _presenting_funding(page)
    page.keyboard.press("ArrowRight")
    expect(page.locator("#present-position")).to_have_text("Funding split: Chart 2 of 4")

    _choose_thanet_and_dover(page)
    page.wait_for_function(
        f"([g, before]) => g.data && ({SHOWN_DATA})(g) !== before", arg=[first, kent]
    )
    redrawn = first.evaluate(SHOWN_DATA)
    page.get_by_role("button", name="Exit presentation").click()
    expect(page.locator(".filter-bar").first).to_be_visible()
    page.wait_for_timeout(500)  # a restore would redraw the chart within a frame or two
    assert first.evaluate(SHOWN_DATA) == redrawn


@pytest.mark.browser
def test_a_present_link_opens_in_presentation_mode_without_accessibility_faults(projector):
    page = projector
    page.goto("/reach?present=1&locality=thanet-dover")
    # The map, the funnel, the ranking and carers by hours of caring.
    expect(page.locator("#present-position")).to_have_text("Carers versus reach: Chart 1 of 4")
    expect(page.locator(".present-current .js-plotly-plot")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#filter-summary")).to_contain_text("Thanet & Dover")
    expect(page.locator(".filter-bar").first).to_be_hidden()
    expect(page.get_by_role("button", name="Next chart")).to_be_focused()
    # The map's credits stay in sight, in its source line: the paragraph under the card that
    # repeats them took the slide's last 46 px and scrolled it.
    footer = page.locator(".present-current .chart-footer")
    expect(footer).to_contain_text("Open Government Licence")
    expect(footer).to_contain_text("CC BY 4.0")
    expect(page.locator(".reach-attribution")).to_be_hidden()
    violations = run_axe(page)
    assert violations == [], format_violations(violations)
    page.get_by_role("button", name="Exit presentation").click()
    expect(page.locator(".filter-bar").first).to_be_visible()
    present = page.get_by_role("button", name="Present")
    expect(present).to_have_attribute("aria-pressed", "false")
    expect(present).to_be_focused()


@pytest.mark.browser
@pytest.mark.parametrize("path", READY)
def test_first_chart_starts_above_the_fold_on_a_projector(projector, path):
    page = projector
    _open(page, path)
    first = page.locator("main .chart-card, main .headline-card").first
    plot = first.locator(".js-plotly-plot")
    target = plot if plot.count() else first
    top = target.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    assert top < PROJECTOR["height"], f"{path}: first chart starts at {top}px"


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/funding", "/targets", "/reach"])
def test_print_gives_a4_landscape_pages_with_whole_charts_and_no_controls(page, path):
    _open(page, f"{path}?locality=thanet-dover")
    page.emulate_media(media="print")
    # Each card, and each chart as drawn (a chart's box clips what overflows it), within the
    # paper; waited for, as the page scales the charts when the browser reports the print
    # media, which can come after ``emulate_media`` has returned.
    page.wait_for_function(
        """limit => {
            const boxes = [...document.querySelectorAll('.js-plotly-plot .main-svg, .chart-card')]
                .map(e => e.getBoundingClientRect());
            return boxes.length > 0 && boxes.every(box => box.left >= 0 && box.right <= limit);
        }""",
        arg=A4_LANDSCAPE_PRINTABLE_PX,
    )
    for hidden in (
        "#filter-care-group",
        ".main-nav",
        "#present-toggle",
        ".chart-card button",
        ".meeting-pack",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    summary = page.locator("#filter-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Locality Thanet & Dover")
    expect(page.locator(".demo-banner")).to_be_visible()
    expect(page.locator(".chart-footer").first).to_contain_text("Source:")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    assert re.search(rb"/MediaBox \[0 0 841\.9\d* 594\.9\d*\]", pdf)  # A4 landscape, in points


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/decisions", "/changes", "/planner"])
def test_pages_of_controls_and_lists_print_within_the_paper(page, path):
    # /decisions' rows of controls printed 8 px past the paper: a row's negative margins are
    # the container's padding, which printing takes off.
    page.set_viewport_size({"width": int(A4_LANDSCAPE_PRINTABLE_PX), "height": 720})
    _open(page, path)
    page.emulate_media(media="print")
    wider = page.evaluate(
        """limit => [...document.querySelectorAll('main *')]
            .filter((e) => e.getBoundingClientRect().right > limit + 1)
            .map((e) => e.tagName + '.' + e.className)""",
        A4_LANDSCAPE_PRINTABLE_PX,
    )
    assert wider == []


# Table cells of one word or number printed over two lines (a broken word gives two boxes);
# a slug may break after its hyphens.
BROKEN_WORDS = """() => [...document.querySelectorAll('.table td, .table th')]
    .filter((cell) => /^[^\\s-]+$/.test(cell.textContent.trim()))
    .filter((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size > 1;
    })
    .map((cell) => cell.textContent.trim())"""


@pytest.mark.browser
def test_printed_tables_keep_each_word_and_number_whole(page):
    # Found by a review: /data printed its sources table with "8,06" over "4", "Dem" over "o"
    # and "Statu" over "s" (cells broken anywhere to fit narrow columns).
    page.set_viewport_size({"width": int(A4_LANDSCAPE_PRINTABLE_PX), "height": 720})
    _open(page, "/data?locality=thanet-dover&care_group=dementia&period=2022-23")
    page.emulate_media(media="print")
    expect(page.locator(".table td").first).to_be_attached()
    assert page.evaluate(BROKEN_WORDS) == []


# Noted as the page is laid out for paper (a listener added after the page's own): the right
# edge of each chart as drawn (its box clips what overflows it), and any sankey ribbon faded out;
# and every time Plotly redraws a chart while the page prints.
NOTE_PRINTED_CHARTS = """() => {
    window.redrawsWhilePrinting = 0;
    document.querySelectorAll('.js-plotly-plot').forEach((g) => g.on('plotly_afterplot', () => {
        if (matchMedia('print').matches) window.redrawsWhilePrinting += 1;
    }));
    matchMedia('print').addEventListener('change', (event) => {
        if (!event.matches) return;
        const graphs = [...document.querySelectorAll('.js-plotly-plot')];
        window.printedCharts = {
            rights: graphs.map((g) => g.querySelector('.main-svg').getBoundingClientRect().right),
            fadedRibbons: [...document.querySelectorAll('.sankey-link')]
                .filter((l) => parseFloat(getComputedStyle(l).opacity) < 1).length,
        };
    });
}"""


@pytest.mark.browser
def test_printing_straight_from_the_screen_fits_every_chart_to_the_paper(page):
    # Printing as a browser's print command does it: "beforeprint" while the page is still laid
    # out for the screen, then the print media. Fitted at "beforeprint", each chart kept its
    # screen width and was cut at the paper's edge, and the sankey was redrawn, its ribbons
    # fading in as the paper was printed. Redrawn to the paper's width as the print media came,
    # every chart was missing from the paper: the page is taken as it is laid out then.
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, "/funding?locality=thanet-dover")
    page.evaluate(NOTE_PRINTED_CHARTS)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    printed = page.evaluate("window.printedCharts")
    assert len(printed["rights"]) == 4
    assert all(right <= A4_LANDSCAPE_PRINTABLE_PX for right in printed["rights"]), printed
    assert printed["fadedRibbons"] == 0
    assert page.evaluate("window.redrawsWhilePrinting") == 0


# Noted as the page is laid out for paper, in pages (a listener added after the page's own):
# where the first chart card starts, from the top of the first page, and its chart's height.
NOTE_FIRST_CARD = """() => matchMedia('print').addEventListener('change', (event) => {
    if (!event.matches) return;
    const card = document.querySelector('main .chart-card');
    window.firstCard = {
        top: card.getBoundingClientRect().top - document.body.getBoundingClientRect().top,
        chart: card.querySelector('.js-plotly-plot').getBoundingClientRect().height,
    };
})"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/investment", "/short-breaks"])
def test_the_first_printed_page_holds_the_first_chart_under_the_heading(page, path):
    # These pages' first cards were taller than the room under the heading: kept whole, they
    # went to the second page and the first held only the heading and the filters.
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, path)
    page.evaluate(NOTE_FIRST_CARD)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    first = page.evaluate("window.firstCard")
    assert first["top"] < A4_LANDSCAPE_PRINTABLE_HEIGHT_PX, first
    assert first["chart"] >= 300, first  # scaled down, never to a sliver


# Noted as the page is laid out for paper: each chart card's height with its bottom margin,
# and whether the reach page's profile prompt and map credit are shown.
NOTE_PRINTED_CARDS = """() => matchMedia('print').addEventListener('change', (event) => {
    if (!event.matches) return;
    window.printedCards = [...document.querySelectorAll('main .chart-card')].map((card) => [
        card.querySelector('.chart-title').textContent.slice(0, 40),
        card.getBoundingClientRect().height + parseFloat(getComputedStyle(card).marginBottom),
    ]);
    window.printedAsides = ['.reach-profile', '.reach-attribution']
        .filter((selector) => document.querySelector(selector)?.offsetParent);
})"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/funding?locality=thanet-dover", "/investment", "/reach"])
def test_every_printed_card_fits_a_page_with_its_source_line(page, path):
    # The funding trend with its events, and the hours of caring, were taller than the paper:
    # split, their source lines went to the next page alone. The reach map's credit, which its
    # source line repeats, and the district profile's "Click a district" took a page together.
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, path)
    page.evaluate(NOTE_PRINTED_CARDS)
    assert page.pdf(prefer_css_page_size=True, print_background=True).startswith(b"%PDF")
    cards = page.evaluate("window.printedCards")
    assert len(cards) >= 4
    assert [card for card in cards if card[1] > A4_LANDSCAPE_PRINTABLE_HEIGHT_PX] == []
    assert page.evaluate("window.printedAsides") == []


def _set_every_control(page) -> dict[str, str]:
    page.select_option("#filter-locality", "thanet-dover")
    page.select_option("#reach-measure", "carers-2021")
    page.get_by_label("Comparison with Kent").check()
    page.get_by_label("Equal-area tiles").check()
    page.get_by_role("radio", name="99.8%").check()
    page.select_option("#reach-district", "E07000108")  # Dover
    expect(page).to_have_url(re.compile(r"district=E07000108"))
    return {
        "#filter-locality": "thanet-dover",
        "#reach-measure": "carers-2021",
        "#reach-district": "E07000108",
    }


@pytest.mark.browser
def test_a_copied_link_restores_every_control(page, browser, live_server):
    _open(page, "/reach")
    selects = _set_every_control(page)
    expect(page.locator("#reach-profile h3")).to_have_text("Dover")
    link = page.url

    context = browser.new_context(base_url=live_server)
    other = context.new_page()
    other.goto(link)
    for selector, value in selects.items():
        expect(other.locator(selector)).to_have_value(value)
    for label in ("Comparison with Kent", "Equal-area tiles", "99.8%"):
        expect(other.get_by_role("radio", name=label)).to_be_checked()
    expect(other.locator("#reach-profile h3")).to_have_text("Dover")
    expect(other).to_have_url(link)
    for path, selector, value in (
        ("/investment?per=residents", "#investment-denominator input:checked", "residents"),
        ("/targets?target=target-new-carers", "#targets-measure", "target-new-carers"),
        ("/changes?since=2025-09-01", "#changes-since", "2025-09-01"),
        ("/decisions?kind=contract-end", "#decisions-kind", "contract-end"),
        ("/decisions?line=cas", "#decisions-service-line", "cas"),
        ("/decisions?from=2014-01-01", "#decisions-from", "2014-01-01"),
    ):
        other.goto(path)
        expect(other.locator(selector)).to_have_value(value)
    context.close()


@pytest.mark.browser
def test_the_decisions_list_follows_the_dashboards_locality_and_keeps_its_own_in_the_link(page):
    # The list had a locality menu of its own, which said "All of Kent" while the filters above
    # it said Thanet & Dover; and a link kept none of the list's kind, service line or dates.
    _open(page, "/decisions?locality=thanet-dover")
    results = page.locator("#decisions-results")
    expect(results.locator(".chart-subtitle")).to_contain_text(
        "All kinds · All service lines · Thanet & Dover"
    )
    expect(page.locator("#decisions-locality")).to_have_count(0)
    page.select_option("#decisions-kind", "contract-end")
    page.locator("#decisions-from").fill("2018-01-01")
    page.locator("#decisions-from").press("Enter")
    expect(results.locator(".chart-subtitle")).to_contain_text(
        "Contract end · All service lines · Thanet & Dover (Carers' support localities (2013)) · "
        "from 2018-01-01"
    )
    expect(page).to_have_url(re.compile(r"kind=contract-end"))
    expect(page).to_have_url(re.compile(r"from=2018-01-01"))
    page.select_option("#filter-locality", "south-west-kent")
    expect(results.locator(".chart-subtitle")).to_contain_text(
        "Contract end · All service lines · South West Kent"
    )
    _open(page, "/decisions?kind=astronauts&line=nowhere&to=yesterday")
    notice = page.locator("#filter-notice")
    for words in ("kind “astronauts”", "service line “nowhere”", "to date “yesterday”: not a date"):
        expect(notice).to_contain_text(words)
    expect(page.locator("#decisions-kind")).to_have_value("all")
    # Named as ignored, the service line is ignored: the menu, the list and the address.
    expect(page.locator("#decisions-service-line")).to_have_value("all")
    expect(page).not_to_have_url(re.compile(r"line="))
    expect(results.locator(".chart-title")).to_contain_text("decisions and contract events")


@pytest.mark.browser
def test_unknown_view_values_fall_back_with_a_notice(page, watcher):
    _open(page, "/reach?measure=astronauts&district=E99999999&intervals=42")
    notice = page.locator("#filter-notice")
    for value in ("astronauts", "E99999999", "42"):
        expect(notice).to_contain_text(value)
    expect(page.locator("#reach-measure")).to_have_value("reach")
    expect(page.locator("#reach-district")).to_have_value("none")  # "Choose a district"
    expect(page).to_have_url(re.compile(r"/reach$"))
    watcher.assert_clean()


@pytest.mark.browser
def test_each_click_runs_each_page_callback_once_and_history_restores_controls(page):
    _open(page, "/reach")
    outputs: list[str] = []

    def record(request):
        if "_dash-update-component" in request.url:
            outputs.append(json.loads(request.post_data)["output"])

    page.on("request", record)
    page.select_option("#filter-locality", "thanet-dover")
    expect(page.locator("#reach-map-card .chart-subtitle")).to_contain_text("Thanet & Dover")
    page.wait_for_load_state("networkidle")
    assert not any("_pages_content" in output for output in outputs), outputs
    assert len(outputs) == len(set(outputs)), outputs
    # The map and the charts in one request.
    assert sum("reach-map-card" in o and "reach-charts" in o for o in outputs) == 1, outputs
    assert sum("reach-charts" in output for output in outputs) == 1

    # A map control: the page's one callback again, which sends the map's figure alone.
    outputs.clear()
    with page.expect_response(
        lambda r: "_dash-update-component" in r.url and "reach-map-card" in r.request.post_data
    ) as answer:
        page.select_option("#reach-measure", "carers-2021")
    expect(page).to_have_url(re.compile(r"measure=carers-2021"))
    page.wait_for_load_state("networkidle")
    assert sum("reach-map-card" in output for output in outputs) == 1, outputs
    assert not any("_pages_content" in output for output in outputs), outputs
    written = answer.value.json()["response"]
    assert not {"reach-map-card", "reach-charts", "reach-hours"} & set(written), written.keys()
    figures = [
        json.loads(key)["chart"]
        for key, props in written.items()
        if key.startswith("{") and "figure" in props
    ]
    assert figures == ["reach-map"], figures

    page.go_back()
    expect(page.locator("#reach-measure")).to_have_value("reach")
    expect(page.locator("#filter-locality")).to_have_value("thanet-dover")
    page.go_back()
    expect(page.locator("#filter-locality")).to_have_value("all")
    page.go_forward()
    page.go_forward()
    expect(page.locator("#reach-measure")).to_have_value("carers-2021")
    expect(page.locator("#filter-locality")).to_have_value("thanet-dover")


@pytest.mark.browser
def test_printed_headline_cards_are_as_tall_as_their_words(page):
    # Each card took its row's height (h-100): where the row broke across pages, Chromium cut
    # a card short on paper and its words ran over the next card and the "Explore" list (a
    # locality and care group chosen make the cards of a row differ in height). On paper each
    # is as tall as what it holds; the cut itself shows only in the printed pages.
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, "/?locality=thanet-dover&care_group=dementia")
    page.emulate_media(media="print")
    stretched = page.evaluate(
        """() => [...document.querySelectorAll('.headline-card')].filter((card) => {
            const last = card.querySelector('.card-body').lastElementChild;
            // Below its last line, only the body's padding and the border.
            return card.getBoundingClientRect().bottom - last.getBoundingClientRect().bottom > 30;
        }).map((card) => card.querySelector('.card-title, h2, h3').textContent)"""
    )
    assert stretched == []
    assert page.pdf(prefer_css_page_size=True, print_background=True).startswith(b"%PDF")


# A new figure given to the second slide's chart while it is hidden (as Dash gives one on a
# filter change), and the presenter moving to that slide in the same frame: the chart then
# waits for the next frame to be drawn, and presentation fits it to the screen.
NEW_FIGURE_THEN_NEXT_SLIDE = """() => {
    const graph = document.querySelectorAll('main .chart-card .js-plotly-plot')[1];
    const data = graph.data.map((trace, i) => i === 0 ? Object.assign({}, trace,
        {name: 'the new figure'}) : trace);
    Plotly.react(graph, data, Object.assign({}, graph.layout));
    document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
}"""


@pytest.mark.browser
def test_a_slide_shown_while_its_new_figure_waits_is_fitted_from_the_new_figure(projector):
    # Fitted from the figure it showed until its turn came, the slide drew the previous
    # filters' figure over the new one, and leaving put that back on the page.
    page = projector
    _open(page, "/targets")
    _present(page)
    page.evaluate(NEW_FIGURE_THEN_NEXT_SLIDE)
    expect(page.locator("#present-position")).to_have_text(re.compile(r"Chart 2 of"))
    graph = page.locator(f"{VISIBLE_CARDS} .js-plotly-plot").element_handle()
    page.wait_for_function(FIT_OVER, arg=graph, polling=100)
    assert (
        graph.evaluate("g => [g.data[0].name, g._kcOriginal.data[0].name]")
        == ["the new figure"] * 2
    )
    page.keyboard.press("Escape")
    page.wait_for_function("g => !g._kcOriginal", arg=graph)
    page.wait_for_timeout(300)
    assert graph.evaluate("g => g.data[0].name") == "the new figure"
