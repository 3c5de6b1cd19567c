"""Charts as drawn at projector sizes: the demo mark, the funnel's labels and the values on trend
lines, measured in the page.

The unit tests check the figures' specifications; these measure what Chromium actually draws
(bounding boxes of SVG text), at 1280×720 and 1440×900.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.theme import EVENT_MARKER

pytestmark = pytest.mark.browser

VIEWPORTS = ((1280, 720), (1440, 900))
PAGES = ("/funding", "/reach", "/investment", "/planner", "/short-breaks", "/targets", "/data")

# Every chart with a demo mark: the mark's box and whatever it touches (text, plot areas, and
# Plotly's toolbar, laid out even while it is faded out until the chart is hovered).
DEMO_MARK_CLASHES = """() => {
    const clashes = [];
    const overlap = (a, b) => a.left < b.right && b.left < a.right
        && a.top < b.bottom && b.top < a.bottom;
    for (const plot of document.querySelectorAll('.js-plotly-plot')) {
        const mark = plot.querySelector('.g-gtitle text');
        if (!mark || !mark.textContent.includes('DEMO DATA')) continue;
        const box = mark.getBoundingClientRect();
        const svg = plot.querySelector('.main-svg').getBoundingClientRect();
        if (box.top < svg.top || box.left < svg.left - 0.5 || box.right > svg.right + 0.5) {
            clashes.push(['outside the image', mark.textContent]);
        }
        const others = [...plot.querySelectorAll('text')].filter(
            (t) => t !== mark && t.textContent.trim() && t.getBoundingClientRect().width > 0);
        const areas = [...plot.querySelectorAll(
            '.nsewdrag, .geolayer .bg rect, .sankey-node rect, .heatmaplayer image, .modebar')];
        for (const other of [...others, ...areas]) {
            if (overlap(box, other.getBoundingClientRect())) {
                clashes.push([mark.textContent, other.textContent || other.getAttribute('class')]);
            }
        }
    }
    return clashes;
}"""

ANNOTATION_OVERLAPS = """(plot) => {
    const labels = [...plot.querySelectorAll('.annotation-text-g text')];
    const boxes = labels.map((t) => [t.textContent, t.getBoundingClientRect()]);
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i][1], boxes[j][1]];
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
                overlaps.push([boxes[i][0], boxes[j][0]]);
            }
        }
    }
    return [labels.length, overlaps];
}"""


@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_the_demo_mark_covers_no_data_and_no_label(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    marks = 0
    for path in PAGES:
        page.goto(path)
        expect(page.locator(".chart-card .js-plotly-plot").first, path).to_be_visible()
        page.wait_for_load_state("networkidle")  # every chart's callback has answered
        assert page.evaluate(DEMO_MARK_CLASHES) == [], path
        marks += page.locator(".g-gtitle text", has_text="DEMO DATA").count()
    assert marks >= 15


# Each colour scale's title and the nearest of its tick labels: (title, label, gap in px).
COLOUR_SCALE_TITLE_GAPS = """() => [...document.querySelectorAll('.js-plotly-plot .colorbar')]
    .filter((bar) => bar.querySelector('.cbtitle text'))
    .map((bar) => {
        const title = bar.querySelector('.cbtitle text');
        const a = title.getBoundingClientRect();
        const gaps = [...bar.querySelectorAll('.cbaxis text, .ytick text')]
            .map((tick) => [tick.textContent, tick.getBoundingClientRect()])
            .filter(([, b]) => b.width > 0)
            .map(([text, b]) => [text, Math.max(
                b.left - a.right, a.left - b.right, b.top - a.bottom, a.top - b.bottom)]);
        gaps.sort((x, y) => x[1] - y[1]);
        return [title.textContent, ...gaps[0]];
    })"""


@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_every_colour_scale_title_clears_its_tick_labels(page, width, height):
    # The completeness scale's title sat on its "100%" (3 px into it).
    page.set_viewport_size({"width": width, "height": height})
    scales = 0
    for path in ("/reach", "/investment", "/data"):
        page.goto(path)
        expect(page.locator(".chart-card .js-plotly-plot").first, path).to_be_visible()
        page.wait_for_load_state("networkidle")
        for title, label, gap in page.evaluate(COLOUR_SCALE_TITLE_GAPS):
            assert gap >= 1.5, (path, title, label, gap)  # apart, not touching
            scales += 1
    assert scales >= 4


@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_funnel_labels_as_drawn_do_not_overlap(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/reach")
    funnel = page.locator("#reach-charts .js-plotly-plot").first
    expect(funnel.locator(".annotation-text-g text").first).to_be_visible()
    count, overlaps = funnel.evaluate(ANNOTATION_OVERLAPS)
    assert count >= 10
    assert overlaps == []


# Every plot of a page at the width its card gives it, once drawn (after any unfolding).
PLOTS_AT_CARD_WIDTH = """() => [...document.querySelectorAll('.chart-card .js-plotly-plot')].every(
    (plot) => {
        const body = plot.closest('.card-body').getBoundingClientRect().width;
        const svg = plot.querySelector('.main-svg');
        return svg && svg.getBoundingClientRect().width > 0.8 * body;
    })"""


@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_values_on_trend_lines_as_drawn_do_not_overlap(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    labels = 0
    for path in ("/funding", "/short-breaks"):
        page.goto(path)
        expect(page.locator(".chart-card .js-plotly-plot").first, path).to_be_visible()
        page.wait_for_load_state("networkidle")
        for fold in page.locator("main details.more-detail").all():
            fold.locator(":scope > summary").click()
            # Opening draws the folded charts in place of the placeholder.
            expect(fold.locator(".folded-charts")).to_have_count(0)
        page.wait_for_function(PLOTS_AT_CARD_WIDTH)
        for plot in page.locator(".chart-card .js-plotly-plot").all():
            count, overlaps = plot.evaluate(ANNOTATION_OVERLAPS)
            assert overlaps == [], (path, overlaps)
            labels += count
    assert labels >= 30


# Every dashed event line as drawn: how many are visible, and any written text of its chart that
# the visible part crosses. A line runs up past the plot, where Plotly clips it, so its box is
# cut to the plot area first.
EVENT_LINES_THROUGH_TEXT = """(colour) => {
    const crossings = [];
    let lines = 0;
    for (const plot of document.querySelectorAll('.chart-card .js-plotly-plot')) {
        const area = plot.querySelector('.draglayer .xy .nsewdrag');
        if (!area) continue;
        const inside = area.getBoundingClientRect();
        const written = '.textpoint text, .bartext, .annotation-text-g text';
        const texts = [...plot.querySelectorAll(written)]
            .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0);
        for (const path of plot.querySelectorAll('.shapelayer path')) {
            // Dashed: a leader in a line of the same colour is solid (and runs under its label).
            const style = getComputedStyle(path);
            if (style.stroke !== colour || style.strokeDasharray === 'none') continue;
            const drawn = path.getBoundingClientRect();
            const line = {
                left: drawn.left,
                right: drawn.right,
                top: Math.max(drawn.top, inside.top),
                bottom: Math.min(drawn.bottom, inside.bottom),
            };
            if (line.bottom - line.top < 4) continue;
            lines += 1;
            for (const text of texts) {
                const box = text.getBoundingClientRect();
                if (line.left < box.right && box.left < line.right
                        && line.top < box.bottom && box.top < line.bottom) {
                    crossings.push(text.textContent);
                }
            }
        }
    }
    return [lines, crossings];
}"""


@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_event_lines_as_drawn_cross_no_value_or_label(page, width, height):
    """An event's dashed line stops above the bar, point and value it marks (it ran through the
    value "1,292" of the new-carers chart's first quarter, and a bar total on /short-breaks)."""
    page.set_viewport_size({"width": width, "height": height})
    red, green, blue = (int(EVENT_MARKER[i : i + 2], 16) for i in (1, 3, 5))
    lines = 0
    for path in ("/funding", "/short-breaks", "/targets"):
        page.goto(path)
        expect(page.locator(".chart-card .js-plotly-plot").first, path).to_be_visible()
        page.wait_for_load_state("networkidle")
        page.wait_for_function(PLOTS_AT_CARD_WIDTH)
        drawn, crossings = page.evaluate(EVENT_LINES_THROUGH_TEXT, f"rgb({red}, {green}, {blue})")
        assert crossings == [], (path, crossings)
        lines += drawn
    assert lines >= 4
