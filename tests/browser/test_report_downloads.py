"""Report exports in the browser: server-rendered images, alt text, and a toolbar that keeps
every chart on the server."""

from __future__ import annotations

import re
import struct

import pytest
from playwright.sync_api import expect

READY = "#funding-charts .chart-card"
OUTSIDE_TOOLBAR_TITLES = ("Download plot", "Edit in Chart Studio", "Share", "Produced with Plotly")


@pytest.mark.browser
def test_slide_png_is_rendered_on_the_server_with_the_filters_in_its_name(page, watcher):
    page.goto("/funding?locality=thanet-dover")
    expect(page.locator(READY)).to_have_count(4)
    card = page.locator(".chart-card").first
    card.get_by_text("Image for a report or slide").click()
    with page.expect_download(timeout=90_000) as download_info:
        card.get_by_role("button", name="PNG, 16:9 slide").click()
    download = download_info.value
    assert re.fullmatch(
        r"funding-split_thanet-dover_all-care-groups_[0-9]{4}-[0-9]{2}_slide\.png",
        download.suggested_filename,
    )
    data = download.path().read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1920, 1080)
    watcher.assert_clean()


@pytest.mark.browser
def test_alt_text_labels_the_chart_and_is_offered_for_copying(page):
    page.goto("/funding")
    expect(page.locator(READY)).to_have_count(4)
    for card in page.locator(".chart-card").all():
        label = card.locator("[role=figure]").get_attribute("aria-label")
        assert label and card.locator(".chart-title").inner_text() in label
        card.get_by_text("Image for a report or slide").click()
        expect(card.locator(".chart-alt-text")).to_have_text(label)


@pytest.mark.browser
def test_an_open_image_section_follows_a_filter_change(page):
    # Left open, the section's alt text is written anew with the chart (a slot of the card),
    # so the alt text offered is always that of the chart shown.
    page.goto("/funding")
    expect(page.locator(READY)).to_have_count(4)
    card = page.locator(".chart-card").first
    card.get_by_text("Image for a report or slide").click()
    before = card.locator("[role=figure]").get_attribute("aria-label")
    expect(card.locator(".chart-alt-text")).to_have_text(before)
    page.select_option("#filter-locality", "thanet-dover")
    expect(card.locator("[role=figure]")).not_to_have_attribute("aria-label", before)
    after = card.locator("[role=figure]").get_attribute("aria-label")
    expect(card.locator(".chart-alt-text")).to_have_text(after)
    expect(card.get_by_role("button", name="PNG, 16:9 slide")).to_be_visible()


@pytest.mark.browser
def test_the_alt_text_is_copied_from_the_keyboard(browser, live_server):
    # dcc.Clipboard's icon could not be reached with Tab; the copy is now a button.
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto("/funding")
        card = page.locator(".chart-card").first
        expect(card.locator(".js-plotly-plot")).to_be_visible(timeout=90_000)
        card.get_by_text("Image for a report or slide").click()
        copy = card.get_by_role("button", name="Copy the alt text")
        copy.focus()
        expect(copy).to_be_focused()
        page.keyboard.press("Enter")
        expect(card.locator(".chart-alt-copied")).to_have_text("Copied.")
        label = card.locator("[role=figure]").get_attribute("aria-label")
        assert page.evaluate("navigator.clipboard.readText()") == label
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "charts"),
    [("/funding", 4), ("/reach", 4), ("/investment", 5), ("/short-breaks", 8), ("/targets", 4)],
)
def test_no_toolbar_button_sends_a_chart_elsewhere(page, path, charts):
    page.goto(path)
    graphs = page.locator(".chart-card .js-plotly-plot")
    # A page's first render can be slow on a busy machine; this waits, it does not time.
    expect(graphs.first).to_be_visible(timeout=90_000)
    # Charts folded under "More detail" are unfolded first, as a user would to use them; that
    # draws them.
    for summary in page.locator(".more-detail > summary").all():
        summary.click()
    expect(graphs).to_have_count(charts, timeout=90_000)
    for index in range(charts):
        graphs.nth(index).hover()
        toolbar = graphs.nth(index).locator(".modebar")
        titles = toolbar.locator(".modebar-btn").evaluate_all(
            "buttons => buttons.map(b => b.getAttribute('data-title') || '')"
        )
        assert not [t for t in titles if t.startswith(OUTSIDE_TOOLBAR_TITLES)], titles
        assert toolbar.locator("a[href]").count() == 0
