"""Every chart reads on a projector: no colliding funnel labels, WCAG AA text on bars, the demo
mark clear of the data, map labels large enough with full district names, the key values of
every trend written on it without collisions, and the funding flow with the least crossing.

Figures come from the same view functions the pages call, on the seeded database, for Kent, a
locality and a care group; the adversarial funnel is built by hand.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import geo, stats
from dashboard.callbacks.reach import reach_data
from dashboard.components.cards import sparkline_figure
from dashboard.figures import common, maps
from dashboard.figures import investment as investment_figures
from dashboard.figures import reach as reach_figures
from dashboard.figures import short_breaks as short_breaks_figures
from dashboard.figures.common import (
    DEMO_LABEL,
    DEMO_MARK_SIZE,
    LABEL_NAME,
    LABEL_SIZE,
    LEADER_NAME,
    LINE_HEIGHT,
    Box,
    JoinedLabel,
    SlideLabels,
    TrendSeries,
    join_labels,
    key_points,
    label_trends,
    money_ticks,
    on_two_lines,
    place_labels,
    text_box_size,
)
from dashboard.figures.funding import link_crossings
from dashboard.formatting import format_money, format_percent, format_short_count
from dashboard.theme import (
    BACKGROUND,
    CATEGORICAL,
    COMMISSIONERS,
    DEMO_BAND,
    DEMO_BAND_KEY,
    FONT_SIZE,
    MARGIN,
    PRESENTATION_MIN_FONT_SIZE,
    SLIDE_KEEP_HEIGHT_SHARE,
    SLIDE_LABELS_KEY,
    SLIDE_MARGIN_KEY,
    SLIDE_MIN_HEIGHT_SHARE_KEY,
    SLIDE_MIN_PLOT_SHARE_KEY,
    TEXT,
    WCAG_AA_TEXT,
    contrast_ratio,
    interpolate,
    with_alpha,
)
from dashboard.views import data_quality, funding, reach
from dashboard.views.overview import Headline
from tests.support.figures import has_demo_mark
from tests.support.label_boxes import LabelBox
from tests.support.specs import FILTER_STATES, page_specs, view_context


@pytest.fixture(scope="module")
def figures(repo) -> list:
    """(description, figure) of every chart the pages draw, for each filter state."""
    built = []
    for state in FILTER_STATES:
        for spec in page_specs(repo, view_context(repo, **state)):
            if spec.figure is not None:
                built.append((f"{spec.key} {state}", spec.figure))
    return built


# ------------------------------------------------------------------------------------------
# Text on bars


def _bar_fill(trace) -> str:
    """The colour behind a bar's text: the pattern's background where one replaces the fill."""
    pattern = trace.marker.pattern
    if pattern.shape and pattern.fillmode != "overlay" and pattern.bgcolor:
        return pattern.bgcolor
    return trace.marker.color


def _colours(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def test_every_bar_text_meets_wcag_aa_against_what_it_is_drawn_on(figures):
    checked = 0
    for name, figure in figures:
        for trace in figure.data:
            if trace.type != "bar" or trace.text is None:
                continue
            position = trace.textposition or "auto"
            positions = {"auto": ("inside", "outside")}.get(position, (position,))
            for where in positions:
                if where == "none":
                    continue
                specific = trace.insidetextfont if where == "inside" else trace.outsidetextfont
                text_colour = specific.color or trace.textfont.color
                if where == "outside" and text_colour is None:
                    text_colour = TEXT  # outside text inherits the template's font colour
                assert text_colour is not None, f"{name}: bar text colour left to Plotly"
                behind = _bar_fill(trace) if where == "inside" else BACKGROUND
                for text, fill in itertools.product(_colours(text_colour), _colours(behind)):
                    ratio = contrast_ratio(text, fill)
                    assert ratio >= WCAG_AA_TEXT, f"{name}: {text} on {fill} is {ratio:.2f}:1"
                    checked += 1
    assert checked > 0


def _heatmap_fill(coloured, value) -> str:
    """The colour Plotly draws a heat map cell of ``value`` in (the page background for a gap)."""
    if value is None or not np.isfinite(value):
        return BACKGROUND
    colours = [colour for _, colour in coloured.colorscale]
    low, high = coloured.zmin, coloured.zmax
    red, green, blue = interpolate(colours, (value - low) / (high - low) if high > low else 0)
    return f"#{round(red):02x}{round(green):02x}{round(blue):02x}"


def test_every_heat_map_cell_text_meets_wcag_aa_against_its_cell(figures):
    # Plotly picked white or black for a cell's text by lightness: white on a mid-blue cell of
    # the spend per carer heat map was 3.4:1.
    checked = set()
    for name, figure in figures:
        heat_maps = [trace for trace in figure.data if trace.type == "heatmap"]
        if not heat_maps:
            continue
        coloured = heat_maps[0]
        for trace in heat_maps:
            assert trace.textfont.color is not None, f"{name}: cell text colour left to Plotly"
            for row, values in zip(trace.text, coloured.z, strict=True):
                for text, value in zip(row, values, strict=True):
                    if not text:
                        continue
                    # A cell's own colour, in Plotly's markup, or else the trace's.
                    styled = re.fullmatch(r'<span style="color:(#[0-9A-Fa-f]{6})">.*</span>', text)
                    colour = styled.group(1) if styled else trace.textfont.color
                    fill = _heatmap_fill(coloured, value)
                    ratio = contrast_ratio(colour, fill)
                    assert ratio >= WCAG_AA_TEXT, f"{name}: {text!r} on {fill} is {ratio:.2f}:1"
                    checked.add(name.split(" ")[0])
        assert len(heat_maps) == 1, f"{name}: one heat map draws the cells and their texts"
    assert len(checked) >= 2  # the completeness and the spend per carer heat maps


def test_the_similar_class_is_dark_text_on_yellow_not_white():
    frame = pd.DataFrame(
        {
            "code": ["a"],
            "name": ["Dover"],
            "reach": [11.8],
            "reach_lower": [11.0],
            "reach_upper": [12.6],
            "reach_comparison": ["similar"],
        }
    )
    figure = reach_figures.ranked_bars(frame, kent_rate=11.5, highlight=set(), statuses=())
    (column,) = [t for t in figure.data if t.type == "scatter" and "11.8% (similar)" in t.text]
    assert contrast_ratio(column.textfont.color, BACKGROUND) >= WCAG_AA_TEXT
    # Beside the plot, where no line crosses it: at the right end of an axis spanning the plot.
    axis = figure.layout[f"xaxis{column.xaxis[1:]}"]
    assert column.x == (1,) and tuple(axis.range) == (0, 1) and axis.overlaying == "x"
    assert column.cliponaxis is False and column.textposition == "middle right"
    # Set off the plot's edge by an invisible marker: with none, it touched a bar ending there.
    assert column.marker.opacity == 0 and column.marker.size >= 8


# ------------------------------------------------------------------------------------------
# The demo mark


def test_the_demo_mark_sits_in_its_own_band_above_everything_else(figures):
    marked = 0
    for name, figure in figures:
        if not has_demo_mark(figure):
            assert not any(DEMO_LABEL in (a.text or "") for a in figure.layout.annotations)
            continue
        marked += 1
        title = figure.layout.title
        assert (title.xref, title.yref, title.y, title.yanchor) == (
            "container",
            "container",
            1,
            "top",
        ), name
        assert title.automargin is False, name
        _, height = text_box_size(DEMO_LABEL, DEMO_MARK_SIZE)
        assert title.pad.t + height <= DEMO_BAND, name
        # Nothing else reaches into the band: every annotation above the plot area fits in
        # the top margin below the band.
        room = figure.layout.margin.t - DEMO_BAND
        bottom = figure.layout.margin.b
        plot_height = (
            figure.layout.height
            - figure.layout.margin.t
            - (MARGIN["b"] if bottom is None else bottom)
        )
        for annotation in figure.layout.annotations:
            if annotation.yref != "paper" or annotation.y is None or annotation.y < 1:
                continue
            above = (annotation.y - 1) * plot_height + (annotation.yshift or 0)
            if annotation.yanchor in ("bottom", None, "auto"):
                above += text_box_size(annotation.text, annotation.font.size or 14)[1]
            assert above <= room, f"{name}: {annotation.text!r} reaches into the demo band"
    assert marked >= 20


def test_the_completeness_heat_map_keeps_its_column_headers_clear_of_the_demo_mark(repo):
    spec = data_quality.completeness_card(repo.coverage(), view_context(repo))
    figure = spec.figure
    assert has_demo_mark(figure)
    assert figure.layout.xaxis.side == "top"
    # The headers live in the top margin under the band: as much room as before the mark.
    assert figure.layout.margin.t - DEMO_BAND >= 110
    # Its cells' and names' sizes are set, so a slide raises them to its smallest type (Plotly
    # fitted the cells at 13 px) and keeps the names of its 14 rows apart (the template's 20).
    assert {trace.textfont.size for trace in figure.data} == {LABEL_SIZE}
    assert figure.layout.yaxis.tickfont.size == figure.layout.xaxis.tickfont.size == FONT_SIZE


# ------------------------------------------------------------------------------------------
# Funnel labels


def _funnel_label_boxes(
    figure, plot_width: float, plot_height: float, *, slide: bool
) -> tuple[list[LabelBox], list[LabelBox], float]:
    """Label boxes, marker boxes and the Kent line's height, in pixels for a plot of that size,
    on the page or (``slide``) as a slide writes the labels: larger, at the offsets in meta."""
    x0, x1 = figure.layout.xaxis.range
    y0, y1 = figure.layout.yaxis.range

    def pixels(x, y):
        return (x - x0) / (x1 - x0) * plot_width, (y - y0) / (y1 - y0) * plot_height

    placed = figure.layout.meta[SLIDE_LABELS_KEY]
    labels = []
    for index, annotation in enumerate(figure.layout.annotations):
        x, y = pixels(annotation.x, annotation.y)
        size = annotation.font.size
        dx, dy = annotation.xshift, annotation.yshift
        if slide:
            size = max(size, PRESENTATION_MIN_FONT_SIZE)
            dx, dy = placed["offsets"][index - placed["first"]]
        width, tall = text_box_size(annotation.text, size)
        labels.append(LabelBox.around(x + dx, y + dy, width, tall))
    markers = []
    for trace in figure.data[5:]:
        sizes = trace.marker.size
        for x, y, size in zip(trace.x, trace.y, np.broadcast_to(sizes, len(trace.x)), strict=True):
            px, py = pixels(x, y)
            markers.append(LabelBox.around(px, py, size, size))
    kent = pixels(x0, figure.data[0].y[0])[1]
    return labels, markers, kent


def _between(extremes, count: int = 5) -> list[float]:
    return list(np.linspace(*extremes, count))


PAGE_SIZES = [
    (width, reach_figures.FUNNEL_PLOT_HEIGHT)
    for width in (*reach_figures.FUNNEL_PLOT_WIDTHS, 520, 700, 1000)
]
# The funnel's plot on a slide, measured in Chromium (5 Dec 2026) on screens of 1024 x 768,
# 1280 x 720 (and 1280 x 800), 1366 x 768, 1440 x 900, 1536 x 864, 1600 x 900 and 1920 x 1080.
SLIDE_SCREEN_PLOTS = [
    (874, 294),
    (1130, 294),
    (1216, 294),
    (1290, 415),
    (1386, 400),
    (1450, 436),
    (1770, 647),
]
SLIDE_SIZES = list(
    itertools.product(
        _between(reach_figures.FUNNEL_SLIDE_PLOT_WIDTHS),
        _between(reach_figures.FUNNEL_SLIDE_PLOT_HEIGHTS),
    )
)


def _assert_labels_clear(figure, *, expected: int, slide: bool = False) -> None:
    assert len(figure.layout.annotations) == expected
    for annotation in figure.layout.annotations:
        assert annotation.font.size >= LABEL_SIZE
    for width, height in SLIDE_SIZES if slide else PAGE_SIZES:
        labels, markers, kent = _funnel_label_boxes(figure, width, height, slide=slide)
        area = LabelBox(0, 0, width, height)
        for first, second in itertools.combinations(labels, 2):
            assert not first.overlaps(second), (width, height, first, second)
        for label in labels:
            assert label.inside(area), (width, height, label)
            assert not any(label.overlaps(marker) for marker in markers), (width, height, label)
            assert not (label.bottom <= kent <= label.top), (width, height, label, kent)


@pytest.mark.parametrize("slide", [False, True], ids=["page", "slide"])
def test_funnel_labels_on_the_seeded_data_do_not_collide(repo, slide):
    # On a slide the labels are larger and the plot another shape: the figure carries their
    # places there too, clear at every size from a 1024 x 768 screen's to a 1920 x 1080 one's.
    spec = reach.reach_funnel(reach_data(repo), view_context(repo))
    shown = spec.table["reach"].map(lambda v: isinstance(v, float) and not np.isnan(v)).sum()
    _assert_labels_clear(spec.figure, expected=int(shown), slide=slide)


@pytest.mark.parametrize("slide", [False, True], ids=["page", "slide"])
def test_funnel_labels_of_a_tight_cluster_of_points_do_not_collide(slide):
    names = list(geo.KENT_DISTRICTS.values())
    frame = pd.DataFrame(
        {
            "code": list(geo.KENT_DISTRICTS),
            "name": names,
            # Ten districts within 300 carers and half a point of each other, on the Kent line.
            "carers_2021": [10_000 + 30 * i for i in range(10)] + [6_000, 16_000],
            "reach": [11.3 + 0.05 * i for i in range(10)] + [11.5, 11.5],
            "supported": [1_000] * 12,
            "reach_comparison": ["similar"] * 12,
        }
    )
    limits = stats.proportion_funnel(0.115, np.linspace(4_800, 17_600, 60))
    figure = reach_figures.funnel(
        frame, limits, kent_rate=11.5, highlight={frame["code"][3]}, statuses=("demo",)
    )
    _assert_labels_clear(figure, expected=12, slide=slide)


def _crossing(first, second) -> bool:
    """Whether two segments ((x, y), (x, y)) cross, each one's ends either side of the other."""

    def side(start, end, point):
        return (end[0] - start[0]) * (point[1] - start[1]) - (end[1] - start[1]) * (
            point[0] - start[0]
        )

    return (
        side(*first, second[0]) * side(*first, second[1]) < 0
        and side(*second, first[0]) * side(*second, first[1]) < 0
    )


def _distance_to_segment(point, segment) -> float:
    (x0, y0), (x1, y1) = segment
    dx, dy = x1 - x0, y1 - y0
    along = ((point[0] - x0) * dx + (point[1] - y0) * dy) / (dx * dx + dy * dy or 1.0)
    along = min(1.0, max(0.0, along))
    return float(np.hypot(point[0] - (x0 + along * dx), point[1] - (y0 + along * dy)))


@pytest.mark.parametrize("slide", [False, True], ids=["page", "slide"])
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"care_group": "learning-disability"},
        {"care_group": "sensory-impairment"},
        {"locality": "thanet-dover"},
    ],
    ids=["kent", "learning-disability", "sensory-impairment", "thanet-dover"],
)
def test_funnel_leaders_on_the_seeded_data_cross_no_leader_and_no_other_marker(
    repo, filters, slide
):
    # With learning disability and sensory impairment a label was placed before the one whose
    # leader then crossed its own (Ashford's and Tonbridge and Malling's, Thanet's and
    # Tonbridge and Malling's); Kent's were clear already. On a slide of Thanet & Dover at
    # 1280 x 720 (a plot of 1130 x 294 px) Tonbridge and Malling's leader ran 6 px from
    # Ashford's point, between the sizes the placement was checked at: it read as pointing there.
    # Checked on the plots of real screens: a plot as wide as 1920 x 1080's and as short as
    # 1280 x 720's is no screen's, and there a leader could not keep off every point.
    spec = reach.reach_funnel(reach_data(repo), view_context(repo, **filters))
    figure = spec.figure
    x0, x1 = figure.layout.xaxis.range
    y0, y1 = figure.layout.yaxis.range
    placed = figure.layout.meta[SLIDE_LABELS_KEY]
    for width, height in SLIDE_SCREEN_PLOTS if slide else PAGE_SIZES:
        _labels, markers, _kent = _funnel_label_boxes(figure, width, height, slide=slide)
        leaders = []
        for index, annotation in enumerate(figure.layout.annotations):
            if annotation.name != LABEL_NAME:
                continue
            dx, dy = annotation.xshift, annotation.yshift
            if slide:
                dx, dy = placed["offsets"][index - placed["first"]]
            x = (annotation.x - x0) / (x1 - x0) * width
            y = (annotation.y - y0) / (y1 - y0) * height
            leaders.append(((x, y), (x + dx, y + dy)))
        assert len(leaders) == 12
        for first, second in itertools.combinations(leaders, 2):
            assert not _crossing(first, second), (width, height, first, second)
        for leader in leaders:
            for marker in markers:
                centre = ((marker.left + marker.right) / 2, (marker.bottom + marker.top) / 2)
                clearance = (marker.right - marker.left) / 2 + 2
                if np.hypot(centre[0] - leader[0][0], centre[1] - leader[0][1]) < 2 * clearance:
                    continue  # its own point, or one drawn over it (a leader cannot avoid it)
                assert _distance_to_segment(centre, leader) > clearance, (width, height, leader)


def test_a_label_placed_for_plots_of_several_heights_crosses_no_line_between_them():
    # A point near the bottom of the plot and a line a tenth of the plot up: 17 px above the
    # point, the nearest spot clear of the line on a 100 px plot (over it) and on a 600 px one
    # (under it), the label would cross the line somewhere between. It must keep to one side.
    point, line = (0.5, 0.02), Box(0.0, 0.099, 1.0, 0.101)
    heights = (100.0, 600.0)
    ((dx, dy),) = place_labels(
        [point],
        [(40.0, 12.0)],
        marker_radius=2.0,
        plot_widths=(400.0, 400.0),
        plot_heights=heights,
        obstacles=[line],
    )
    for height in np.linspace(*heights, 51):
        label = LabelBox.around(point[0] * 400 + dx, point[1] * height + dy, 40, 12)
        assert not label.overlaps(LabelBox(0, line.bottom * height, 400, line.top * height))


def test_each_label_takes_the_spot_a_search_of_every_spot_would(monkeypatch):
    # The spots are checked nearest first, a few at a time, and the search stops at a spot
    # clear of everything whose leader crosses nothing. Each search must end where checking
    # every spot would: the first of those with least clash, then fewest crossings. Crowded
    # points (no clear spot near them, some with none at all) and lines across the plot.
    searched = {"clear early": 0, "later": 0, "with leaders": 0}
    best_spot = common._best_spot

    def checked(spots, against, leaders, leader_lines):
        found = best_spot(spots, against, leaders, leader_lines)
        clashes = common._clashes(spots, against)
        if leader_lines is None:
            assert found == int(np.argmin(clashes))
        else:
            crossings = common._leader_crossings(*leaders, leader_lines, against.sizes)
            assert found == int(np.lexsort((crossings, clashes))[0])
            searched["with leaders"] += 1
        searched["clear early" if found < common._FIRST_SPOTS else "later"] += 1
        return found

    monkeypatch.setattr(common, "_best_spot", checked)
    for seed in range(8):
        rng = np.random.default_rng(seed)
        crowd = rng.uniform(0.3, 0.5, size=(6, 2))
        points = [tuple(point) for point in [*crowd, *rng.uniform(0.05, 0.95, size=(6, 2))]]
        lines = [Box(0.0, y - 0.003, 1.0, y + 0.003) for y in rng.uniform(0.1, 0.9, size=3)]
        place_labels(
            points,
            [(float(rng.uniform(40, 140)), 14.0) for _ in points],
            marker_radius=5.0,
            plot_widths=(420.0, 700.0),
            plot_heights=(260.0, 380.0),
            obstacles=lines,
        )
    assert all(searched.values()), searched


# ------------------------------------------------------------------------------------------
# Map labels


def _district_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": list(geo.KENT_DISTRICTS),
            "name": list(geo.KENT_DISTRICTS.values()),
            "rate": [float(i) for i in range(12)],
            "count": [5, 5, *[3] * 10],
            "small": [False, False, *[True] * 10],
            "difference": [float(i * 7 - 40) for i in range(12)],
            "per_head_text": ["£1.00"] * 12,
            "band": ["Within 10% of Kent"] * 12,
        }
    )


def _names_on(labels) -> list[str]:
    return [text.rsplit("<br>", 1)[0].replace("<br>", " ") for text in labels.text]


def test_map_labels_are_at_least_12px_with_full_names_and_readable_colours(figures):
    maps_seen = 0
    for name, figure in figures:
        labels = [t for t in figure.data if t.type == "scattergeo"]
        if not labels:
            continue
        maps_seen += 1
        (labels,) = labels
        assert labels.textfont.size >= LABEL_SIZE, name
        shown = {n.removesuffix(" (part)") for n in _names_on(labels)}
        assert shown == set(geo.KENT_DISTRICTS.values()), name
        fills = {}
        for trace in figure.data[1:]:
            for code in trace.locations:
                fills[code] = trace.colorscale[0][1] if trace.showscale is False else None
        for code, colour in zip(labels.customdata, labels.textfont.color, strict=True):
            if fills.get(code):
                assert contrast_ratio(colour, fills[code]) >= WCAG_AA_TEXT, (name, code)
    assert maps_seen >= 10


BULLET_CHARTS = ("targets-contract", "targets-yearly", "targets-by-locality")


def test_only_a_chart_with_texts_placed_for_its_height_keeps_it_on_a_slide(figures):
    # A map's district names and a bullet chart's panels (gaps in pixels) ran into one another
    # drawn much shorter; any other chart may be drawn as short as a slide needs (its rows are
    # kept legible in the browser), and labels placed for a slide's plot keep the shortest plot
    # they were placed for (the funnel's at 85% of its page height scrolled at 1280x720).
    kept = 0
    for name, figure in figures:
        meta = figure.layout.meta or {}
        placed = any(trace.type == "scattergeo" for trace in figure.data) or name.startswith(
            BULLET_CHARTS
        )
        assert (meta.get(SLIDE_MIN_HEIGHT_SHARE_KEY) == SLIDE_KEEP_HEIGHT_SHARE) == placed, name
        if SLIDE_LABELS_KEY in meta:
            shortest = {
                min(reach_figures.FUNNEL_SLIDE_PLOT_HEIGHTS),
                min(short_breaks_figures.XMR_SLIDE_PLOT[1]),
            }
            assert meta[SLIDE_LABELS_KEY]["min_plot_height"] in shortest, name
        # A bullet chart's plot area keeps that share too: its panels' gaps are its pixels.
        bullets = name.startswith(BULLET_CHARTS)
        assert (meta.get(SLIDE_MIN_PLOT_SHARE_KEY) == SLIDE_KEEP_HEIGHT_SHARE) == bullets, name
        kept += placed
    assert 0 < kept < len(figures)


def test_a_long_text_is_broken_where_its_longer_line_is_shortest():
    assert on_two_lines("Rank (1st = most spend per head)") == "Rank (1st = most<br>spend per head)"
    assert on_two_lines("Reach rate (%)", 24) == "Reach rate (%)"  # short enough for one line
    assert on_two_lines("Autism", 3) == "Autism"  # one word: nowhere to break
    long = "Carers supported per 100 carers caring 50+ hours"
    assert on_two_lines(long, 24) == "Carers supported per 100<br>carers caring 50+ hours"


def test_investment_map_writes_full_names_not_their_first_word():
    figure = investment_figures.difference_map(
        _district_frame(), geojson=None, per_label="per carer", highlight=set(), partial=set()
    )
    labels = next(t for t in figure.data if t.type == "scattergeo")
    names = _names_on(labels)
    assert "Tunbridge Wells" in names and "Folkestone and Hythe" in names
    assert "Tonbridge and Malling" in names


def test_the_care_group_heat_map_writes_a_long_column_name_on_two_short_lines():
    # Slanted on one line, "Young carers in transition" took 170 px under the plot, and the
    # heat map's slide scrolled by 114 px at 1280x720.
    groups = {
        "dementia": "Dementia",
        "young": "Young carers in transition",
        "younger": "Younger adult carers",
        "unknown": "Not recorded",
    }
    table = pd.DataFrame(
        [
            {"code": code, "name": code, "care_group": slug, "group_name": name, "per_carer": 400.0}
            for code in ("E07000105", "E07000106")
            for slug, name in groups.items()
        ]
    )
    figure = investment_figures.care_group_heatmap(
        table,
        district_order=["E07000105", "E07000106"],
        group_order=list(groups),
        highlight_districts=set(),
        highlight_group="young",
    )
    labels = list(figure.data[0].x)
    assert labels == [
        "Dementia",
        "Young carers<br>in transition",
        "Younger<br>adult carers",
        "Not recorded",
    ]
    # Steep enough that two-line names at a slide's type do not run into their neighbours.
    assert figure.layout.xaxis.tickangle <= -60


def test_a_map_where_all_but_equal_counts_are_suppressed_has_no_misleading_scale():
    figure = maps.district_map(
        _district_frame(),
        geojson=None,
        value="count",
        label="Carers supported",
        unit="count",
        suppressed="small",
    )
    coloured = [t for t in figure.data if t.type == "choropleth" and t.name == "Carers supported"]
    (values,) = coloured
    assert list(values.locations) == list(geo.KENT_DISTRICTS)[:2]
    assert values.showscale is False  # one value: no 5.0-6.0 colour bar
    assert len({colour for _, colour in values.colorscale}) == 1
    suppressed = next(t for t in figure.data if t.name == "No value shown")
    assert len(suppressed.locations) == 10
    assert {colour for _, colour in suppressed.colorscale} == {BACKGROUND}


def test_a_count_map_with_a_narrow_range_has_whole_number_ticks():
    frame = _district_frame().assign(count=[5, 6, 7, 8, 5, 6, 7, 8, 5, 6, 7, 8], small=False)
    figure = maps.district_map(frame, geojson=None, value="count", label="Carers", unit="count")
    (values,) = [t for t in figure.data if t.type == "choropleth"]
    assert values.colorbar.dtick == 1 and values.colorbar.tick0 == 5
    assert values.colorbar.tickformat == ",d"


def test_a_percent_map_with_a_narrow_range_can_label_half_percent_ticks():
    frame = _district_frame().assign(rate=[1.5, 2.0, 2.5, 3.0] * 3, small=False)
    figure = maps.district_map(frame, geojson=None, value="rate", label="Reach", unit="percent")
    (values,) = [t for t in figure.data if t.type == "choropleth"]
    # d3 format: up to two decimals, trailing zeros trimmed (1.5%, 2%), never rounded to whole.
    assert values.colorbar.tickformat == ".2~f" and values.colorbar.ticksuffix == "%"


def _returns(repo, small: set[str]) -> pd.DataFrame:
    """One quarter of carers-supported returns: 100 per district, 2 in the ``small`` ones."""
    period = repo.reference().periods.set_index("slug").loc["2024-25-q1"]
    return pd.DataFrame(
        [
            {
                "measure": "carers-supported",
                "period": "2024-25-q1",
                "geography": code,
                "care_group": "dementia",
                "provider": "carers-first",
                "category": "",
                "value": 2.0 if code in small else 100.0,
                "status": "demo",
                "source": "demo-generator",
                "period_start": period["start"],
                "period_end": period["end"],
            }
            for code in geo.KENT_DISTRICTS
        ]
    )


def test_the_map_title_names_the_locality_when_none_of_its_districts_has_a_value(repo):
    codes = {name: code for code, name in geo.KENT_DISTRICTS.items()}
    small = {codes["Thanet"], codes["Dover"]}
    data = dataclasses.replace(reach_data(repo), supported=_returns(repo, small))
    context = view_context(repo, locality="thanet-dover")
    spec = reach.reach_map(data, context, measure="supported")
    assert spec.title.endswith("no district in Thanet & Dover has a value to show")
    shown = [t for t in spec.figure.data if t.type == "choropleth" and t.name != "No value shown"]
    assert small.isdisjoint(code for trace in shown for code in trace.locations)
    # Census measures are drawn whatever the returns hide, and their title names the extremes.
    census = reach.reach_map(data, context, measure="carers-2021")
    assert "no district" not in census.title


# ------------------------------------------------------------------------------------------
# The funding flow


def test_the_flow_is_coloured_by_commissioner_and_its_title_explains_direct_payments(repo):
    spec = funding.funding_flow(repo.funding(), view_context(repo, period="2016-17"))
    assert "KCC's £6.43m is £5.66m for CAS and short breaks plus" in spec.title
    assert spec.title.endswith("plus £772k of carers' direct payments")
    (sankey,) = spec.figure.data
    labels = list(sankey.node.label)
    council = labels.index("Kent County Council £6.43m")
    nhs = next(i for i, label in enumerate(labels) if label.startswith("NHS: 7 CCGs"))
    assert (sankey.node.color[council], sankey.node.color[nhs]) == (
        COMMISSIONERS["council"],
        COMMISSIONERS["nhs"],
    )
    colours = {
        source: colour
        for source, colour in zip(sankey.link.source, sankey.link.color, strict=True)
        if source in (council, nhs)
    }
    assert colours == {
        council: with_alpha(COMMISSIONERS["council"], 0.45),
        nhs: with_alpha(COMMISSIONERS["nhs"], 0.45),
    }
    # Every ribbon out of a service line keeps the colour of the commissioner paying for it.
    assert set(sankey.link.color) == set(colours.values())
    assert sankey.textfont.size >= LABEL_SIZE


# ------------------------------------------------------------------------------------------
# Values on trend lines


def _is_trend(trace) -> bool:
    if trace.type != "scatter":
        return False
    mode = trace.mode or ""
    return "lines" in mode and "markers" in mode


def _last_point(trace) -> tuple[str, float]:
    points = [(x, y) for x, y in zip(trace.x, trace.y, strict=True) if y is not None and y == y]
    return points[-1]


def _trend_labels(figure) -> list:
    """The value labels :func:`label_trends` wrote: annotations joined to a point on an axis."""
    return [a for a in figure.layout.annotations if a.name == LABEL_NAME]


def test_every_trend_line_writes_the_value_of_its_last_point(figures):
    trends = 0
    for name, figure in figures:
        for trace in figure.data:
            if not _is_trend(trace):
                continue
            trends += 1
            x, y = _last_point(trace)
            if "text" in trace.mode:  # a line that writes its own text (the rank strip)
                assert trace.text[list(trace.x).index(x)], name
                continue
            labels = [
                a
                for a in _trend_labels(figure)
                if (a.xref, a.yref) == (trace.xaxis or "x", trace.yaxis or "y")
                and a.x == x
                and a.y == pytest.approx(y)
            ]
            assert labels, f"{name}: {trace.name} has no value written at {x}"
            assert any(character.isdigit() for character in labels[0].text), name
    assert trends >= 10


def _trend_label_boxes(
    figure,
    plot_width: float,
    plot_height: float | None = None,
    *,
    slide: bool = False,
    slide_type: bool = False,
) -> list[tuple[str, LabelBox, LabelBox]]:
    """(text, label box, plot area) of each trend label, in pixels for ``plot_width`` (and
    ``plot_height``, else the page's), on the page or (``slide``) as a slide writes them:
    larger, at the offsets in the figure's meta; ``slide_type``: larger, at the page's
    offsets (a figure with no offsets of its own for a slide)."""
    boxes = []
    margin = figure.layout.margin
    full_height = plot_height or figure.layout.height - margin.t - margin.b
    placed = (figure.layout.meta or {}).get(SLIDE_LABELS_KEY) if slide else None
    annotations = list(figure.layout.annotations)
    for annotation in _trend_labels(figure):
        dx, dy, size = annotation.xshift, annotation.yshift, annotation.font.size
        if slide_type:
            size = max(size, PRESENTATION_MIN_FONT_SIZE)
        if placed is not None:
            dx, dy = placed["offsets"][annotations.index(annotation) - placed["first"]]
            size = max(size, PRESENTATION_MIN_FONT_SIZE)
        x_axis = figure.layout["xaxis" + annotation.xref.removeprefix("x")]
        y_axis = figure.layout["yaxis" + annotation.yref.removeprefix("y")]
        bottom, top = y_axis.domain or (0, 1)
        height = full_height * (top - bottom)
        order = list(x_axis.categoryarray)
        x0, x1 = x_axis.range
        y0, y1 = y_axis.range
        px = (order.index(annotation.x) - x0) / (x1 - x0) * plot_width
        py = (annotation.y - y0) / (y1 - y0) * height
        width, tall = text_box_size(annotation.text, size)
        label = LabelBox.around(px + dx, py + dy, width, tall)
        boxes.append((annotation.text, label, LabelBox(0, 0, plot_width, height)))
    return boxes


def test_trend_labels_do_not_overlap_and_stay_in_the_plot(figures):
    labelled = 0
    for name, figure in figures:
        if not any(_is_trend(trace) for trace in figure.data):
            continue
        if not _trend_labels(figure):
            continue
        labelled += 1
        for width in (400, 600, 900, 1200):
            boxes = _trend_label_boxes(figure, width)
            for (first, a, _), (second, b, _) in itertools.combinations(boxes, 2):
                assert not a.overlaps(b), f"{name} at {width}px: {first!r} on {second!r}"
            for text, box, area in boxes:
                assert box.inside(area), f"{name} at {width}px: {text!r} leaves the plot"
    assert labelled >= 10


def test_trend_labels_placed_for_a_slide_stay_apart_and_in_its_short_plot(figures):
    # The control chart's slide plot is about 150 px tall under its legend (330 on the page):
    # its values, placed for the page, ran out of the plot into "Selected".
    widths, heights = short_breaks_figures.XMR_SLIDE_PLOT
    checked = 0
    for name, figure in figures:
        if SLIDE_LABELS_KEY not in (figure.layout.meta or {}) or not _trend_labels(figure):
            continue
        if figure.layout.xaxis.type != "category":  # the funnel, checked on its own above
            continue
        checked += 1
        for width, height in itertools.product(_between(widths, 4), _between(heights, 4)):
            boxes = _trend_label_boxes(figure, width, height, slide=True)
            for (first, a, _), (second, b, _) in itertools.combinations(boxes, 2):
                assert not a.overlaps(b), f"{name} at {width}x{height}: {first!r} on {second!r}"
            for text, box, area in boxes:
                assert box.inside(area), f"{name} at {width}x{height}: {text!r} leaves the plot"
    assert checked >= 1


def test_trend_labels_stay_apart_in_a_slides_larger_type(figures):
    # Found by a review: on a 1280 x 720 slide the funding trend wrote "£1.84m£1.84m", the
    # NHS's published and demo values, placed touching for the page's type.
    checked = 0
    for name, figure in figures:
        if SLIDE_LABELS_KEY in (figure.layout.meta or {}) or not _trend_labels(figure):
            continue
        checked += 1
        for width in (1130, 1290, 1770):  # the plots of 1280, 1440 and 1920 px wide slides
            boxes = _trend_label_boxes(figure, width, slide_type=True)
            for (first, a, _), (second, b, _) in itertools.combinations(boxes, 2):
                assert not a.overlaps(b), f"{name} at {width}px: {first!r} on {second!r}"
    assert checked >= 5


def _leaders(figure) -> list:
    return [shape for shape in figure.layout.shapes if shape.name == LEADER_NAME]


def test_no_chart_asks_plotly_for_an_arrow(figures):
    # Plotly measured each arrow's path in the page to draw its end, laying the page out again
    # every time: 35 times a filter change on /short-breaks. Labels are joined by line shapes.
    for name, figure in figures:
        arrows = [a.text for a in figure.layout.annotations if a.showarrow is not False]
        assert arrows == [], f"{name}: {arrows}"


def test_each_joined_label_has_a_leader_from_near_its_point_to_under_it(figures):
    joined = 0
    for name, figure in figures:
        labels, leaders = _trend_labels(figure), _leaders(figure)
        assert len(labels) == len(leaders), name
        joined += bool(labels)
        placed = (figure.layout.meta or {}).get(SLIDE_LABELS_KEY)
        for index, (label, leader) in enumerate(zip(labels, leaders, strict=True)):
            assert (leader.xanchor, leader.yanchor) == (label.x, label.y), name
            assert (leader.xref, leader.yref) == (label.xref, label.yref), name
            assert (leader.xsizemode, leader.ysizemode) == ("pixel", "pixel"), name
            # The label's background hides the leader's end: it stops at the label's edge.
            assert label.bgcolor == BACKGROUND, name
            page = [leader.x0, leader.y0, leader.x1, leader.y1] if leader.visible else None
            drawn = [(page, (label.xshift, label.yshift))]
            if placed is not None:
                assert figure.layout.shapes[placed["first_leader"] + index] == leader, name
                drawn.append((placed["leaders"][index], tuple(placed["offsets"][index])))
            for ends, centre in drawn:
                if ends is None:
                    assert np.hypot(*centre) < 15, (name, label.text)  # on its point
                    continue
                assert ends[2:] == list(centre), name
                assert 0 < np.hypot(*ends[:2]) < np.hypot(*centre), name
                across = ends[0] * centre[1] - ends[1] * centre[0]  # 2-D cross product
                # On the way from the point to the label (its start rounded to 0.1 px).
                assert abs(across) <= 0.05 * (abs(centre[0]) + abs(centre[1])), name
    assert joined >= 10


def test_a_leader_runs_from_the_standoff_to_its_label_and_none_within_the_standoff():
    figure = go.Figure()
    labels = [
        JoinedLabel("2020/21", 40.0, "40%", {"size": LABEL_SIZE, "color": TEXT}, CATEGORICAL[0]),
        JoinedLabel("2021/22", 45.0, "45%", {"size": LABEL_SIZE, "color": TEXT}, CATEGORICAL[0]),
    ]
    join_labels(
        figure,
        labels,
        [(60.0, 0.0), (0.0, 5.0)],
        slide=SlideLabels([(0.0, -40.0), (30.0, 40.0)], 200.0),
        standoff=7,
        leader_width=1.5,
    )
    beside, over = _leaders(figure)
    assert [beside.x0, beside.y0, beside.x1, beside.y1] == [7, 0, 60, 0]
    assert beside.visible and not over.visible
    assert [(a.xshift, a.yshift) for a in figure.layout.annotations] == [(60, 0), (0, 5)]
    placed = figure.layout.meta[SLIDE_LABELS_KEY]
    assert placed["offsets"] == [[0, -40], [30, 40]]
    assert placed["leaders"] == [[0, -7, 0, -40], [4.2, 5.6, 30, 40]]
    assert (placed["first"], placed["first_leader"]) == (0, 0)
    assert placed["min_plot_height"] == 200


def test_trend_labels_are_large_enough_and_meet_wcag_aa(figures):
    for name, figure in figures:
        for annotation in _trend_labels(figure):
            assert annotation.font.size >= LABEL_SIZE, name
            assert contrast_ratio(annotation.font.color, BACKGROUND) >= WCAG_AA_TEXT, name


def test_key_points_are_every_point_of_a_short_trend_else_first_last_highest_lowest():
    assert key_points([3.0, float("nan"), 5.0]) == [0, 2]
    eight = [float(v) for v in (5, 1, 7, 3, 2, 8, 4, 6)]
    assert key_points(eight) == list(range(8))
    long = [5.0, 6.0, 9.0, 2.0, 4.0, 4.0, 7.0, 3.0, 5.0, float("nan")]
    assert key_points(long) == [0, 2, 3, 8]  # first, highest, lowest, last (the gap skipped)
    assert key_points([4.0] * 10) == [0, 9]  # a flat line: its ends


def test_labels_of_two_lines_meeting_at_every_point_do_not_overlap():
    """Two series on the same values: every label has a twin fighting for its place."""
    categories = [f"{year}/{year + 1 - 2000}" for year in range(2013, 2025)]
    values = [40.0 + (i % 3) for i in range(12)]
    figure = go.Figure()
    series = []
    for colour in CATEGORICAL[:2]:
        figure.add_scatter(x=categories, y=values, mode="lines+markers")
        series.append(
            TrendSeries(
                x=categories,
                y=values,
                texts=[f"{v:.0f}%" for v in values],
                colour=colour,
                always=frozenset({5}),  # and a published point in the middle
            )
        )
    figure.update_layout(
        height=420, margin={"t": 50, "b": 150}, xaxis={"categoryarray": categories}
    )
    label_trends(figure, series, categories=categories, y_range=(0, 100), plot_height=220)
    assert len(_trend_labels(figure)) == 2 * len(set(key_points(values)) | {5})
    for width in (400, 1200):
        boxes = _trend_label_boxes(figure, width)
        for (first, a, _), (second, b, _) in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), (width, first, second)


# ------------------------------------------------------------------------------------------
# Crossing ribbons in the funding flow


def test_link_crossings_counts_pairs_whose_ends_are_in_opposite_orders():
    left, right = ["a", "b"], ["x", "y"]
    assert link_crossings(left, right, [("a", "x", 1), ("b", "y", 1)]) == 0
    assert link_crossings(left, right, [("a", "y", 1), ("b", "x", 1)]) == 1
    assert link_crossings(left, right, [("a", "y", 2), ("b", "x", 3)]) == 6  # widths multiply
    assert link_crossings(left, right, [("a", "x", 1), ("a", "y", 1), ("b", "x", 1)]) == 1
    assert link_crossings(left, ["y", "x"], [("a", "y", 1), ("b", "x", 1)]) == 0


def _flow_columns(sankey) -> tuple[list[list[str]], list[tuple[str, str, float]]]:
    """The figure's columns top-down (its nodes are kept in input order) and its ribbons."""
    labels = list(sankey.node.label)
    sources, targets = set(sankey.link.source), set(sankey.link.target)
    columns = [
        [labels[i] for i in range(len(labels)) if (i in sources, i in targets) == kind]
        for kind in ((True, False), (True, True), (False, True))
    ]
    links = [
        (labels[s], labels[t], v / 1e6)
        for s, t, v in zip(sankey.link.source, sankey.link.target, sankey.link.value, strict=True)
    ]
    return columns, links


def _least_over_orders(free: list[str], other: dict[str, int], links) -> float:
    """Brute force: the least crossing of ``links`` (free node, other node, width) over every
    order of ``free``, the other column fixed at the positions ``other``."""
    node = np.array([free.index(a) for a, _b, _w in links])
    fixed = np.array([other[b] for _a, b, _w in links])
    width = np.array([w for _a, _b, w in links])
    first, second = np.triu_indices(len(links), k=1)
    orders = np.array(list(itertools.permutations(range(len(free)))))
    position = np.argsort(orders, axis=1)[:, node]  # each link's free end, for every order
    crossed = (position[:, first] - position[:, second]) * (fixed[first] - fixed[second]) < 0
    return float((crossed @ (width[first] * width[second])).min())


@pytest.mark.parametrize("scheme", ["cas-2013", "east-west", "ccg-2013"])
@pytest.mark.parametrize("period", [None, "2016-17"])
def test_the_flow_has_the_least_crossing_of_all_node_orders(repo, scheme, period):
    spec = funding.funding_flow(repo.funding(), view_context(repo, scheme=scheme, period=period))
    (sankey,) = spec.figure.data
    assert (sankey.node.sort, sankey.link.sort) == ("input", "input")
    (left, middle, right), links = _flow_columns(sankey)
    # At every node the ribbons are listed in the order of their other ends, so Plotly stacks
    # them without crossing each other (the premise of counting crossings between columns).
    order = {name: i for column in (left, middle, right) for i, name in enumerate(column)}
    for node in order:
        leaving = [order[b] for a, b, _w in links if a == node]
        arriving = [order[a] for a, b, _w in links if b == node]
        assert leaving == sorted(leaving) and arriving == sorted(arriving), node
    funding_links = [link for link in links if link[0] in left]
    locality_links = [(b, a, w) for a, b, w in links if b in right]
    shown = link_crossings(left, middle, funding_links) + link_crossings(
        middle, right, [(b, a, w) for a, b, w in locality_links]
    )
    least = min(
        _least_over_orders(left, position, funding_links)
        + _least_over_orders(right, position, locality_links)
        for position in (
            {name: i for i, name in enumerate(ordering)}
            for ordering in itertools.permutations(middle)
        )
    )
    assert shown == pytest.approx(least)
    assert len(middle) >= 4 and len(right) >= 2


def test_the_overview_sparkline_writes_its_first_and_last_years_values():
    trend = pd.DataFrame(
        {
            "period": ["2013-14", "2014-15", "2015-16"],
            "label": ["2013/14", "2014/15", "2015/16"],
            "value": [7_500_000.0, 6_100_000.0, 8_720_000.0],
            "status": ["published", "demo", "demo"],
        }
    )
    headline = Headline(
        key="investment",
        title="Annual investment",
        value_text="£8.72m",
        status="demo",
        period_label="2015/16",
        citation="demo",
        trend=trend,
    )
    figure = sparkline_figure(headline)
    first, last = figure.layout.annotations
    assert (first.text, last.text) == ("2013/14: £7.5m", "2015/16: £8.72m")
    # Each is written on the side away from the line: the line falls after 2013/14 and rises
    # into 2015/16, so both labels sit above their points.
    assert (first.yanchor, last.yanchor) == ("bottom", "bottom")
    assert (first.xanchor, last.xanchor) == ("left", "right")
    for label in (first, last):
        assert label.font.size >= LABEL_SIZE
        assert contrast_ratio(label.font.color, BACKGROUND) >= WCAG_AA_TEXT


def test_a_chart_keeps_its_height_from_the_default_view_to_a_locality_or_a_care_group(figures):
    # A chart that changed height on a filter click would move everything under it, and Plotly
    # would resize it once more after a 100 ms timer. (A chart that becomes unavailable for a
    # selection is replaced by its reason, and is not drawn.)
    heights: dict[str, dict[str, list]] = {}
    for name, figure in figures:
        key, state = name.split(" ", 1)
        heights.setdefault(key, {}).setdefault(state, []).append(figure.layout.height)
    assert len({state for by_state in heights.values() for state in by_state}) == 3
    changed = {
        key: by_state
        for key, by_state in heights.items()
        if len({tuple(values) for values in by_state.values()}) > 1
    }
    assert not changed, changed


def test_a_chart_keeps_its_margins_from_the_default_view_to_a_locality_or_a_care_group(figures):
    # A chart whose margins changed between two drawings was drawn twice by Plotly on that
    # change: its automatic margins start from the last drawing's. Row and column names are
    # given room as if marked (``rows_margin``), value columns room for their widest value.
    # The demo mark's band comes and goes with what the chart shows, not with its layout.
    margins: dict[str, set] = {}
    for name, figure in figures:
        margin = figure.layout.margin
        band = DEMO_BAND if (figure.layout.meta or {}).get(DEMO_BAND_KEY) else 0
        margins.setdefault(name.split(" ", 1)[0], set()).add(
            (margin.l, margin.r, margin.t - band, margin.b)
        )
    changed = {key: found for key, found in margins.items() if len(found) > 1}
    assert not changed, changed


def test_row_names_without_plotlys_automatic_margin_have_room_in_the_left_margin(figures):
    # Plotly gives no room to the names of an axis without its automatic margin: the margin
    # must hold them (``district_rows``), or the widest would be cut off at the chart's edge.
    checked = 0
    for name, figure in figures:
        for axis_name in figure.layout:
            axis = figure.layout[axis_name]
            if not axis_name.startswith("yaxis") or axis.automargin is not False:
                continue
            names = list(axis.categoryarray or ()) or [
                label for trace in figure.data if trace.type == "heatmap" for label in trace.y
            ]
            if names:
                checked += 1
                assert figure.layout.margin.l >= common.rows_margin(names), name
    assert checked >= 6 * 3


def test_value_axes_without_plotlys_automatic_margin_have_room_for_their_labels_and_title(
    figures,
):
    # Plotly gives no room to the tick labels of an axis without its automatic margin: the
    # figure's own margins must hold them (``value_axis``), so the labels must be known.
    checked = set()
    for name, figure in figures:
        layout = figure.layout
        for axis_name in layout:
            axis = layout[axis_name]
            if not axis_name.startswith(("xaxis", "yaxis")) or axis.automargin is not False:
                continue
            names = axis.type == "category" or axis.categoryarray
            if axis.showticklabels is False or names or figure.data[0].type == "heatmap":
                continue  # rows and columns: the test above, and the browser's
            if (layout.meta or {}).get(SLIDE_MARGIN_KEY):
                continue  # the funnel: margins of its own, page and slide (figures/reach.py)
            assert axis.tickmode == "array", (name, axis_name)
            widest = common.tick_labels_width(axis.ticktext)
            if axis_name.startswith("yaxis"):
                title = common.AXIS_TITLE_GAP + LINE_HEIGHT * FONT_SIZE if axis.title.text else 0
                assert layout.margin.l >= widest + common.TICK_LABEL_GAP + title, name
            else:  # a bullet chart's: its last label is centred on the plot's right edge
                assert layout.margin.r >= widest / 2, name
            checked.add(name.split(" ", 1)[0])
    assert {"short-breaks-hours", "short-breaks-crisis", "targets-contract"} <= checked, checked


@pytest.mark.parametrize(
    ("top", "write", "most", "expected"),
    [
        (34_372 * 1.2, format_short_count, 6, ["0", "10k", "20k", "30k", "40k", "50k"]),
        (1_064 * 1.2, format_short_count, 6, ["0", "500", "1,000", "1,500"]),
        (100, format_percent, 6, ["0%", "20%", "40%", "60%", "80%", "100%"]),
        (100, format_percent, 3, ["0%", "50%", "100%"]),
        (0.5, format_short_count, 6, ["0", "1"]),
    ],
)
def test_a_value_axis_is_written_in_whole_steps_to_just_past_its_top(top, write, most, expected):
    ticks = common.value_ticks(top, write, most=most)
    assert ticks["ticktext"] == expected
    assert ticks["tickvals"][-1] >= top


def test_a_row_names_margin_is_that_of_the_widest_name_marked():
    names = ["Dover", "Tonbridge and Malling", "Thanet"]
    marked = [common.row_label(name, name == "Dover") for name in names]
    widest = text_box_size(common.row_label("Tonbridge and Malling", True), FONT_SIZE)[0]
    assert common.rows_margin(names) == common.rows_margin(marked) > widest


def test_a_value_column_is_given_room_for_its_widest_value():
    def right_margin(texts, widest=""):
        figure = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))
        common.value_column(figure, ["a", "b"], texts, widest)
        return figure.layout.margin.r

    assert right_margin(["£1.00 (+2%)", "£2.00 (−3%)"]) < right_margin(["£10.00 (+12%)"] * 2)
    sample = "£00.00 (−00.0%)"
    assert right_margin(["£1.00 (+2%)"] * 2, sample) == right_margin(["£10.00 (+12%)"] * 2, sample)


# ------------------------------------------------------------------------------------------
# Amounts on axes


def _money_axes(figure: go.Figure):
    """Each axis or colour bar of ``figure`` whose title says it is in pounds."""
    layout = figure.layout
    axes = [layout[name] for name in layout if name.startswith(("xaxis", "yaxis"))]
    axes += [trace.colorbar for trace in figure.data if "colorbar" in trace]
    return [axis for axis in axes if "£" in (axis.title.text or "")]


def test_years_on_an_axis_are_written_level_where_they_have_room(figures):
    # Twelve financial years slanted at -45 degrees on a laptop, a projector and a report page,
    # where each had room to read level; Plotly slants them only where they would touch.
    year_axes = 0
    for description, figure in figures:
        for axis in figure.select_xaxes():
            if not any(re.fullmatch(r"\d{4}/\d{2}", str(c)) for c in axis.categoryarray or ()):
                continue
            year_axes += 1
            assert axis.tickangle is None, description
            assert axis.autotickangles is None or list(axis.autotickangles)[0] == 0, description
            if axis.autotickangles is not None and axis.title.text:
                # Without a set distance Plotly left the slanted labels' room above the title.
                assert axis.title.standoff is not None, description
    assert year_axes >= 4


def test_quarters_on_an_axis_are_named_by_year_at_each_years_first_quarter_level(figures):
    # Plotly named every third of 48 quarters, slanted ("2013/14 Q1", "2013/14 Q4", "2014/15
    # Q3"): a different quarter of each year, in a third of a slide's plot. A few quarters
    # (up to three years') are each named.
    quarter_axes = 0
    for description, figure in figures:
        for axis in figure.select_xaxes():
            quarters = [str(c) for c in axis.categoryarray or ()]
            if len(quarters) <= 12 or not all(
                re.fullmatch(r"\d{4}/\d{2} Q[1-4]", q) for q in quarters
            ):
                continue
            quarter_axes += 1
            years = list(dict.fromkeys(q.split(" ")[0] for q in quarters))
            assert list(axis.ticktext) == years, description
            assert list(axis.tickvals) == [
                next(q for q in quarters if q.startswith(year)) for year in years
            ]
            assert axis.tickangle is None and list(axis.autotickangles)[0] == 0, description
    assert quarter_axes >= 1


def test_an_amount_axis_writes_its_ticks_as_the_chart_writes_amounts(figures):
    # Plotly's own SI ticks read "£8M" beside a bar labelled "£8.72m", and "£1500" without its
    # thousands comma.
    checked = 0
    for name, figure in figures:
        for axis in _money_axes(figure):
            checked += 1
            if axis.ticktext is not None:
                assert list(axis.ticktext) == [format_money(v) for v in axis.tickvals], name
            else:
                assert (axis.tickprefix, axis.tickformat) == ("£", ","), name
    assert checked >= 4


@pytest.mark.parametrize("top", [1, 950, 12_345, 320_000, 999_999, 1_000_000, 8.72e6 * 1.2, 3e7])
def test_amount_ticks_run_from_nothing_past_the_top_each_written_exactly(top):
    ticks = money_ticks(top)
    values = ticks["tickvals"]
    assert values[0] == 0 and values[-1] >= top > values[-2]
    assert sum(value <= top for value in values) <= 6
    steps = {round(b - a, 6) for a, b in itertools.pairwise(values)}
    assert len(steps) == 1
    for value, text in zip(values, ticks["ticktext"], strict=True):
        number = float(text.strip("£mk").replace(",", ""))
        scale = {"m": 1e6, "k": 1e3}.get(text[-1], 1)
        assert number * scale == pytest.approx(value), (value, text)


def test_nothing_to_show_gives_a_single_zero_tick():
    assert money_ticks(0)["ticktext"] == ["£0"]
    assert money_ticks(float("nan"))["ticktext"] == ["£0"]
