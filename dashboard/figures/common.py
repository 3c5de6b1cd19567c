"""Figure conventions shared by every chart: status markers, the demo mark and label layout.

The demo mark is the figure's title, pinned to the top left corner of the whole image
(``yref="container"``) inside a band the figure reserves for it above its own top margin, so it
never covers data, tick labels or annotations however Plotly sizes the plot area, and Plotly's
toolbar, shown on hover at the top right, never covers it.

Labels that Plotly cannot keep apart by itself (funnel points, values on trend lines, values
beside bars) are placed here from estimates of their size in pixels: :func:`text_box_size` gives
a label's box, and :func:`place_labels` picks, for each point, the nearest spot where that box
touches no other label, no marker and no obstacle such as a reference line. :func:`label_trends`
uses them to write a trend's key values on the chart, so nobody has to hover to read them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.basedatatypes import BasePlotlyType

from dashboard.formatting import finite_number, format_money, format_short_count
from dashboard.theme import (
    BACKGROUND,
    BLACK_TEXT,
    DEMO_BAND,
    DEMO_BAND_KEY,
    DEMO_PATTERN,
    EVENT_MARKER,
    FONT_SIZE,
    MARGIN,
    MUTED_TEXT,
    PRESENTATION_MIN_FONT_SIZE,
    SLIDE_KEEP_HEIGHT_SHARE,
    SLIDE_LABELS_KEY,
    SLIDE_MIN_HEIGHT_SHARE_KEY,
    SLIDE_MIN_PLOT_SHARE_KEY,
    STATUS_STYLE,
    TEXT,
    WHITE_TEXT,
    halo,
    interpolate,
    readable_on_background,
    text_colour_on,
)

DEMO_LABEL = f"{STATUS_STYLE['demo']['glyph']} DEMO DATA: not real activity"
DEMO_MARK_SIZE = 13
DEFAULT_HEIGHT = 450  # Plotly's height when a figure sets none
LABEL_SIZE = 12  # the smallest text any chart writes on itself, for a projector
# Tick labels of a chart of many close rows or columns (13 districts, 13 care groups), their
# size set rather than the template's: a slide raises a set size only to its smallest type (16
# px, assets/view.js), where the template's 20 px ran the names of neighbouring rows together.
DENSE_TICKS = {"size": FONT_SIZE}
HIGHLIGHT_MARK = "▶ "  # a chosen locality's district named by its point: a mark, not colour alone

# Arial's widest common glyphs are about 0.6 of the font size; estimating every character at
# that width over-estimates a label's box, so estimated boxes that do not overlap never do.
CHARACTER_WIDTH = 0.6
LINE_HEIGHT = 1.25
EVENT_LABEL_ROWS = 3  # event labels cycle through this many lines above the plot
EVENT_ROW_HEIGHT = LABEL_SIZE * LINE_HEIGHT * 1.2


def label_demo(figure: go.Figure, statuses, *, keep_band: bool = False) -> go.Figure:
    """Add the demo mark to ``figure`` when any shown figure is demo; return the figure.

    The mark sits in a band added above the figure. ``keep_band`` adds the band even when there
    is no mark, for a chart whose figures turn from published to demo as the selection changes:
    a chart that changes height on a filter click makes the page below it jump, and Plotly
    resizes it again after a 100 ms timer (about 150 ms more before the page settles). The band
    is noted in the layout's ``meta`` for ``without_demo_band`` and for a slide, which leaves it
    out too (assets/view.js).

    The figure is changed, not copied: every caller is building it, and a copy re-validates
    every trace (25 ms for a four-bar chart, a tenth of a filter change's server time).
    """
    is_demo = "demo" in statuses
    if not (is_demo or keep_band):
        return figure
    top = figure.layout.margin.t
    top = MARGIN["t"] if top is None else top
    band = {
        "margin": {"t": top + DEMO_BAND},
        "height": (figure.layout.height or DEFAULT_HEIGHT) + DEMO_BAND,
        "meta": {**(figure.layout.meta or {}), DEMO_BAND_KEY: True},
    }
    if is_demo:
        band["title"] = {
            "text": DEMO_LABEL,
            "xref": "container",
            "yref": "container",
            "x": 0,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "pad": {"t": 8, "l": 10},
            "font": {"size": DEMO_MARK_SIZE, "color": MUTED_TEXT},
            "automargin": False,
        }
    set_properties(figure.layout, **band)
    return figure


def without_demo_band(figure: go.Figure) -> go.Figure:
    """``figure`` without the band ``label_demo`` added above it, marked or not: an image made
    of the chart writes its own demo mark beside its title, and needs no room for the screen's."""
    meta = figure.layout.meta or {}
    if not meta.get(DEMO_BAND_KEY):
        return figure
    set_properties(
        figure.layout,
        margin={"t": figure.layout.margin.t - DEMO_BAND},
        height=figure.layout.height - DEMO_BAND,
    )
    figure.layout.meta = {
        name: value for name, value in meta.items() if name != DEMO_BAND_KEY
    } or None
    return figure


def set_properties(target: BasePlotlyType, **properties) -> None:
    """``target.update(**properties)`` for plain property names, on a layout, an axis or an
    annotation: nested dicts merge into what ``target`` holds, anything else replaces it.

    Each property is assigned directly. ``update`` (and ``update_layout``) batches its changes
    and replays them through Plotly's relayout machinery, which costs about 10 ms on a finished
    chart against under 1 ms here.
    """
    _merge(target, properties)


def _merge(target, properties: dict) -> None:
    for name, value in properties.items():
        current = target[name] if isinstance(value, dict) else None
        # An object with nothing set takes the whole dict at once: the same result, and one
        # validation instead of one per leaf.
        if isinstance(current, BasePlotlyType) and current.to_plotly_json():
            _merge(current, value)
        else:
            target[name] = value


def add_to_layout(figure: go.Figure, part: str, items: Iterable[dict]) -> None:
    """Append ``items`` to the figure's layout ``part`` ("shapes" or "annotations"), checking
    the new items alone.

    ``figure.layout.shapes += items`` has Plotly check every item the figure holds already, as
    if each were new: on a chart of labelled lines (each value an annotation) the shaded
    period, the event lines and the leaders each paid again for all the labels before them
    (under cProfile a sixth of a cold answer on /short-breaks; about 5% of its real time).
    Here the new items are checked on their own, as Plotly would check them, and stored after
    the ones already checked.
    """
    layout = figure.layout
    added = layout._get_validator(part).validate_coerce(list(items))
    if not added:
        return
    layout._validate = False  # what the layout holds was checked when it was added
    try:
        layout[part] = (*layout[part], *added)
    finally:
        layout._validate = figure._validate


PANEL_TITLE_SIZE = 16


def panels(
    count: int,
    *,
    spacing: float,
    across: bool = False,
    sizes: Sequence[float] | None = None,
    titles: Sequence[str] = (),
    shared: bool = False,
) -> go.Figure:
    """A figure of ``count`` panels, stacked (the first on top) or side by side (``across``),
    each with its own axes (``panel_axes``), laid out as ``make_subplots`` lays them out.

    Built in one step: ``make_subplots`` costs about 15 ms a figure, a tenth of a page's figure
    time. ``spacing`` is the gap between panels as a fraction of the figure; ``sizes`` their
    relative heights (or widths); ``titles`` are written above each panel. ``shared`` gives the
    panels one value axis, labelled once: stacked panels share the bottom panel's x axis,
    panels side by side the first panel's y axis.
    """
    sizes = sizes or [1] * count
    room = 1.0 - spacing * (count - 1)
    lengths = [room * size / sum(sizes) for size in sizes]
    # Stacked panels are placed from the bottom up, panels side by side from the left.
    order = range(count) if across else range(count - 1, -1, -1)
    domains, start = [None] * count, 0.0
    for index in order:
        domains[index] = [start, min(start + lengths[index], 1.0)]
        start += lengths[index] + spacing
    layout, annotations = {}, []
    for index, domain in enumerate(domains):
        x, y = _axis_names(index + 1)
        x_axis = {"anchor": y, "domain": domain if across else [0.0, 1.0]}
        y_axis = {"anchor": x, "domain": [0.0, 1.0] if across else domain}
        if shared and not across and index < count - 1:
            x_axis.update(matches=_axis_names(count)[0], showticklabels=False)
        if shared and across and index > 0:
            y_axis.update(matches="y", showticklabels=False)
        x_name, y_name = panel_layout(index + 1)
        layout[x_name], layout[y_name] = x_axis, y_axis
        if index < len(titles):
            annotations.append(
                {
                    "text": titles[index],
                    "x": sum(x_axis["domain"]) / 2,
                    "y": y_axis["domain"][1],
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "center",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": PANEL_TITLE_SIZE},
                }
            )
    return go.Figure(layout={**layout, "annotations": annotations})


def panel_axes(panel: int) -> dict[str, str]:
    """The axes of a figure's ``panel`` (from 1, as ``panels`` numbers them), as trace
    properties: ``figure.add_bar(..., **panel_axes(2))`` draws a bar chart in the second."""
    x, y = _axis_names(panel)
    return {"xaxis": x, "yaxis": y}


def panel_layout(panel: int) -> tuple[str, str]:
    """The layout properties of a ``panel``'s x and y axes: ``("xaxis2", "yaxis2")``."""
    x, y = _axis_names(panel)
    return f"xaxis{x[1:]}", f"yaxis{y[1:]}"


def _axis_names(panel: int) -> tuple[str, str]:
    suffix = "" if panel == 1 else str(panel)
    return f"x{suffix}", f"y{suffix}"


def vertical_line(figure: go.Figure, x: float, *, line: dict, label: dict | None = None) -> None:
    """A line at ``x`` from the bottom of the plot to its top, with ``label`` (an annotation's
    text and style) centred above it: what ``add_vline(annotation_position="top")`` draws, at
    a tenth of its cost (about 10 ms a chart)."""
    add_to_layout(
        figure,
        "shapes",
        (
            {
                "type": "line",
                "xref": "x",
                "yref": "y domain",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": line,
            },
        ),
    )
    if label is not None:
        add_to_layout(
            figure,
            "annotations",
            (
                {
                    "x": x,
                    "xref": "x",
                    "y": 1,
                    "yref": "y domain",
                    "xanchor": "center",
                    "yanchor": "bottom",
                    "showarrow": False,
                }
                | label,
            ),
        )


def mark_events(figure: go.Figure, markers: Sequence) -> go.Figure:
    """Add a labelled dashed line at each event marker to ``figure``; return the figure.

    ``markers`` are ``dashboard.events.EventMarker``: an x value on the figure's x axis, a
    short label written at the top of the plot, and the events in words, shown on hover.
    Markers come in the order of the x axis. On a figure whose y axis has a fixed range, each
    line comes down from the top of the plot only to just above what is drawn at its x (a bar
    and its value, a point and its label), so it never runs through a number; otherwise it
    spans the plot. Like ``label_demo``, it changes the figure it is given rather than paying
    for a copy.
    """
    # Added in one step each: every addition copies the items already there (with Plotly's own
    # ``add_annotation``, 20 labels took 94 ms one by one).
    add_to_layout(
        figure,
        "annotations",
        (
            {
                "x": marker.x,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                # Above the plot, clear of the values written on the lines; neighbouring labels
                # step up a line each, so they never cover one another.
                "yshift": (index % EVENT_LABEL_ROWS) * EVENT_ROW_HEIGHT,
                "text": f"▼ {marker.label}",
                "hovertext": marker.hover,
                "font": {"size": LABEL_SIZE, "color": EVENT_MARKER},
                "bgcolor": BACKGROUND,
                "name": "event",
            }
            for index, marker in enumerate(markers)
        ),
    )
    if markers:
        rows = min(len(markers), EVENT_LABEL_ROWS)
        top = figure.layout.margin.t if figure.layout.margin.t is not None else MARGIN["t"]
        figure.layout.margin.t = max(top, rows * EVENT_ROW_HEIGHT + 8)
    tops = _drawn_tops(figure)
    add_to_layout(
        figure, "shapes", (_event_line(marker.x, tops.get(marker.x)) for marker in markers)
    )
    return figure


PLOTLY_MARKER_SIZE = 6  # a marker's size when a trace sets none
# Pixels between an event line's foot and the value or point below it: enough for a slide,
# whose larger type (``theme.PRESENTATION_FONT_SIZE``) makes a value's box up to 7.5 px taller.
EVENT_LINE_GAP = 8
_ABOVE_THE_PLOT = 4000  # pixels: an event line's head, cut off at the top of the plot


def _event_line(x, drawn: tuple[float, float] | None) -> dict:
    """The dashed line of an event at ``x``: from the top of the plot down to ``drawn`` (the
    highest value drawn there and the pixels its marker and label take above it), or to the
    bottom of the plot when nothing is known to be drawn there."""
    line = {
        "type": "line",
        "xref": "x",
        "x0": x,
        "x1": x,
        "line": {"color": EVENT_MARKER, "width": 2, "dash": "dash"},
        "layer": "below",
    }
    if drawn is None:
        return line | {"yref": "paper", "y0": 0, "y1": 1}
    value, rise = drawn
    # Measured in pixels from the value, so the gap is the same however tall the plot is drawn
    # (a slide, an image); the y range is fixed, so these pixels never widen it.
    return line | {
        "yref": "y",
        "ysizemode": "pixel",
        "yanchor": value,
        "y0": rise + EVENT_LINE_GAP,
        "y1": _ABOVE_THE_PLOT,
    }


def _drawn_tops(figure: go.Figure) -> dict[object, tuple[float, float]]:
    """For each x of the first axes, where the figure's y range is fixed: the highest value
    drawn there (bars stacked when the figure stacks them) and the pixels above it that what
    is drawn there reaches: a marker, a bar's value written outside it, a point's text, a
    label joined to a point (``label_trends``). Lines alone (a control limit across the chart)
    are not counted: an event line may cross them. Without a fixed range, nothing.

    A label above a lower point can reach higher than a higher point's: values are put in
    pixels with the plot height the layout sets (its height less its top and bottom margins).
    Texts are measured at their size on the page (``EVENT_LINE_GAP`` allows for a slide's).
    Read from the figure's own property dicts (as ``caching`` pickles them; plotly is pinned):
    through Plotly's property objects the same reading took 6 ms for a trend with 16 labels.
    """
    layout = figure._layout
    y_axis = layout.get("yaxis", {})
    y_range = y_axis.get("range")
    if y_range is None or None in y_range or y_axis.get("autorange"):
        return {}
    margin = {**MARGIN, **layout.get("margin", {})}
    plot_height = layout.get("height", DEFAULT_HEIGHT) - margin["t"] - margin["b"]
    per_unit = max(plot_height, 1) / ((y_range[1] - y_range[0]) or 1)
    drawn: dict[object, list[tuple[float, float]]] = {}
    stacks = {} if layout.get("barmode") in ("stack", "relative") else None
    for trace in figure._data:
        on_first_axes = trace.get("xaxis", "x") == "x" and trace.get("yaxis", "y") == "y"
        shown = trace.get("visible", True) not in (False, "legendonly")
        x, y = trace.get("x"), trace.get("y")
        if not (on_first_axes and shown) or x is None or y is None or np.ndim(x) != 1:
            continue
        if trace.get("type") == "bar" and trace.get("orientation", "v") == "v":
            parts = _bar_tops(trace, stacks)
        elif trace.get("type", "scatter") == "scatter":
            parts = _point_tops(trace)
        else:
            continue
        for category, value, rise in parts:
            _note_drawn(drawn, category, value, rise)
    for label in layout.get("annotations", ()):
        on_first_axes = label.get("xref", "x") == "x" and label.get("yref", "y") == "y"
        rise = _label_rise(label) if on_first_axes else None  # Plotly's default axes
        if rise is not None:
            _note_drawn(drawn, label.get("x"), label.get("y"), rise)
    tops = {}
    for category, parts in drawn.items():
        highest = max(value for value, _rise in parts)
        reach = max(value * per_unit + rise for value, rise in parts)
        tops[category] = (highest, reach - highest * per_unit)
    return tops


def _drawn_size(font: dict | None) -> float:
    """A text's size on the page: its own, or else the template's."""
    return (font or {}).get("size") or FONT_SIZE


def _label_rise(label: dict) -> float | None:
    """How many pixels above its y an annotation's box reaches, or None when the box lies wholly
    beside its x (a label joined to its point from the side; Plotly's default arrow points 10 px
    left and 30 px up; offsets in axis units are not counted)."""
    width, height = text_box_size(label.get("text") or "", _drawn_size(label.get("font")))
    arrow = label.get("showarrow", True) and label.get("axref", "pixel") == "pixel"
    across = label.get("ax", -10) if arrow else label.get("xshift", 0)
    if abs(across) > width / 2 + EVENT_LINE_GAP:
        return None
    in_pixels = label.get("ayref", "pixel") == "pixel"
    up = -label.get("ay", -30) if label.get("showarrow", True) and in_pixels else 0
    anchored = {"bottom": height, "top": 0.0}.get(label.get("yanchor"), height / 2)
    return up + label.get("yshift", 0) + anchored


def _note_drawn(drawn: dict, x, value, rise: float) -> None:
    """Add a value drawn at ``x`` and the pixels above it that its marker or text reaches."""
    number = finite_number(value)
    if number is not None:
        drawn.setdefault(x, []).append((number, rise))


def _bar_tops(trace: dict, stacks: dict | None):
    """(x, top, rise) of each bar, whose top is its value or its base at zero when negative;
    ``stacks`` (running totals by x) when bars are stacked."""
    outside = trace.get("text") is not None and trace.get("textposition") == "outside"
    size = _drawn_size(trace.get("textfont"))
    rise = text_box_size("0", size)[1] + 3 if outside else 0.0  # Plotly pads bar text by 3 px
    for x, value in zip(trace["x"], trace["y"], strict=False):
        number = finite_number(value)
        if number is not None and stacks is not None and number > 0:
            stacks[x] = number = stacks.get(x, 0.0) + number
        yield x, None if number is None else max(number, 0.0), rise


def _point_tops(trace: dict):
    """(x, y, rise) of each point drawn with a marker or a text: half its marker, and its text
    when written above it."""
    mode = trace.get("mode", "lines+markers")
    if "markers" not in mode and "text" not in mode:
        return
    sizes = trace.get("marker", {}).get("size", PLOTLY_MARKER_SIZE) if "markers" in mode else 0
    written = "text" in mode and "top" in trace.get("textposition", "")
    texts = trace.get("text") if written else None
    text_size = _drawn_size(trace.get("textfont"))
    for index, (x, value) in enumerate(zip(trace["x"], trace["y"], strict=False)):
        rise = (finite_number(_item(sizes, index)) or 0.0) / 2
        text = _item(texts, index)
        if isinstance(text, str) and text:
            rise += text_box_size(text, text_size)[1] + 2
        yield x, value, rise


def _item(values, index: int):
    """``values[index]`` for an array property, the value itself for a scalar one."""
    return values[index] if np.ndim(values) > 0 else values


def with_headroom(values) -> list[float]:
    """A y range from zero with room above the tallest bar for its value, below the plot top."""
    top = np.nanmax(np.asarray(values, dtype=float), initial=-np.inf)
    return [0, float(top) * 1.2 if np.isfinite(top) and top > 0 else 1.0]


# Times a power of ten. Not 2.5: "£12,500" would be written "£13k" (``format_money`` rounds
# amounts from £10k to the nearest thousand), where every step here is written exactly.
TICK_STEPS = (1, 2, 5, 10)


def value_ticks(
    top: float, write: Callable[[float], str] = format_short_count, *, most: int = 6
) -> dict:
    """An axis's ticks from 0 to just past ``top``, no more than ``most`` of them up to ``top``,
    whole numbers written by ``write``. Known before Plotly draws them, so a margin can be
    made to hold them (``value_axis``)."""
    top = finite_number(top)
    if top is None or top <= 0:
        return {"tickmode": "array", "tickvals": [0], "ticktext": [write(0)]}
    power = max(1, 10 ** math.floor(math.log10(top / most)))
    step = next(factor * power for factor in TICK_STEPS if top / (factor * power) < most)
    values = [round(index * step, 6) for index in range(math.ceil(top / step) + 1)]
    return {"tickmode": "array", "tickvals": values, "ticktext": [write(value) for value in values]}


def money_ticks(top: float, *, most: int = 6) -> dict:
    """``value_ticks`` written as the chart's own labels write amounts ("£2.5m", "£800k"):
    Plotly's own "£8M" sat beside labels reading "£8.72m"."""
    return value_ticks(top, format_money, most=most)


# Pixels from a value axis's tick labels to its plot, and from the labels to its title: as
# Plotly draws them with no tick marks and the title's standoff left to it, and a little more.
TICK_LABEL_GAP = 4
AXIS_TITLE_GAP = 12
# As wide as the widest tick label ``value_ticks`` writes in counts shortened
# (``format_short_count``: "9,000", "800k", "1.5m") or percentages ("100%"): a value axis's
# margin is the same whatever its figures, as a district's rows' is (``rows_margin``).
VALUE_TICK_WIDEST = "0,000"


def tick_labels_width(texts: Sequence[str]) -> float:
    """The width in pixels of the widest of a value axis's tick ``texts``, or of
    ``VALUE_TICK_WIDEST`` if that is wider."""
    return max(text_box_size(text, FONT_SIZE)[0] for text in [VALUE_TICK_WIDEST, *texts])


def value_axis(
    figure: go.Figure,
    top: float,
    write: Callable[[float], str] = format_short_count,
    *,
    axis: str = "yaxis",
    title: str = "",
    most: int = 6,
    **more,
) -> None:
    """Give ``figure``'s vertical value ``axis`` (``"yaxis2"``...) the ticks of ``value_ticks``
    from 0 to ``top`` (``most`` of them at most), its one-line ``title`` (``more``: other
    properties of the axis), and a left margin that holds both (labels as wide as
    ``VALUE_TICK_WIDEST`` or wider), widened from the figure's own if need be.

    Without Plotly's automatic margin, as ``district_rows``: Plotly would measure each tick
    label on every drawing. A slide, in larger type, has it again (assets/view.js).
    """
    ticks = value_ticks(top, write, most=most)
    widest = tick_labels_width(ticks["ticktext"])
    room = widest + TICK_LABEL_GAP + (AXIS_TITLE_GAP + LINE_HEIGHT * FONT_SIZE if title else 0)
    left = max(figure.layout.margin.l or MARGIN["l"], math.ceil(room))
    set_properties(
        figure.layout,
        **{axis: {"title": title, **ticks, "automargin": False, **more}},
        margin={"l": left},
    )


def status_symbol(status: str) -> str:
    return STATUS_STYLE[status]["symbol"]


def status_pattern(status: str) -> str:
    """Demo bars are hatched so they read as demo without colour."""
    return DEMO_PATTERN if status == "demo" else ""


def district_rows(
    figure: go.Figure, names: Sequence[str], *, outlined: Collection[str] = (), **more
) -> None:
    """Give ``figure`` a y axis of one row per name (districts, Kent), in ``names``' order,
    named in ``DENSE_TICKS`` (``more``: other properties of the axis), and a left margin that
    holds every name (``rows_margin``). On a slide in the template's 20 px, the planner's, the
    reach ranking's and the hours of caring's names needed rows taller than the screen had.

    The rows named in ``outlined`` (the chosen locality's districts) are outlined across the
    plot (``outline_shapes``), their names plain: every row's outline is in the figure, so a
    change of locality changes the outlines' opacity alone, and Plotly redraws them without the
    bars (``assets/view.js``). Names marked "▶" in bold, arrays of the traces, made it compute
    and draw the whole chart again: the per-head bars took about 65 ms a change, 17 ms now.

    Without Plotly's automatic margin: the margin holds every name, so Plotly need not measure
    them, which it does for each name on every drawing (in a test node, its position part of
    the key of its cache of measures): the reach ranking drew in 30 ms without, 52 ms with. A
    slide, in larger type, has it again (assets/view.js).
    """
    names = list(names)
    axis = {
        "title": "",
        "categoryorder": "array",
        "categoryarray": names,
        "tickfont": DENSE_TICKS,
        "automargin": False,
    }
    set_properties(figure.layout, yaxis={**axis, **more}, margin={"l": rows_margin(names)})
    # Added at once: every addition copies the shapes already there. One by one (Plotly's
    # ``add_shape``), a cold investment callback took about 680 ms at 10^6 rows, 340 ms at once.
    add_to_layout(
        figure,
        "shapes",
        (
            shape
            for position, name in enumerate(names)
            for shape in outline_shapes(
                None, cell_edges(position, position, len(names)), shown=name in outlined
            )
        ),
    )


# An outline's inset from the plot's edge, in rows or columns: the edge cut half of the line
# off the outer ones. Between rows the line lies on the gap, clear of the bars and values.
OUTLINE_INSET = 0.06


def cell_edges(first: int, last: int, count: int) -> tuple[float, float]:
    """The edges of rows (or columns) ``first`` to ``last`` of ``count`` along one axis, those
    at the plot's edge drawn in by ``OUTLINE_INSET``."""
    return (
        first - 0.5 + (OUTLINE_INSET if first == 0 else 0),
        last + 0.5 - (OUTLINE_INSET if last == count - 1 else 0),
    )


def outline_shapes(
    across: tuple[float, float] | None, down: tuple[float, float] | None, *, shown: bool
) -> list[dict]:
    """The shapes outlining the plot from ``across`` (x, in columns) and ``down`` (y, in rows);
    None: the plot's whole width or height. A mark of a chosen row or column, not colour alone:
    a dark line in a thin white band, which stands out from light bars and cells and dark ones
    (a dark line alone had 1.9:1 against the heat map's darkest cells); thin, as a 7 px band ran
    over the values of the heat map's rows outlined on a slide.

    Drawn transparent unless ``shown``, so that a chart keeps the same shapes whatever is
    chosen. (Not ``visible``: Plotly reads a hidden shape's other properties only once it is
    shown, takes them as new, and computes the chart again.)
    """
    columns = {"xref": "paper", "x0": 0.005, "x1": 0.995}
    if across is not None:
        columns = {"xref": "x", "x0": across[0], "x1": across[1]}
    rows = {"yref": "paper", "y0": 0.005, "y1": 0.995}
    if down is not None:
        rows = {"yref": "y", "y0": down[0], "y1": down[1]}
    return [
        {
            "type": "rect",
            **columns,
            **rows,
            "line": {"color": colour, "width": width},
            "opacity": 1 if shown else 0,
        }
        for colour, width in ((BACKGROUND, 5), (TEXT, 2))
    ]


def row_label(name: str, highlighted: bool) -> str:
    """A district's name written by its point, marked and bold when the district is of the
    chosen locality (the rank-stability chart's; a ranking outlines rows, ``district_rows``)."""
    return f"<b>{HIGHLIGHT_MARK}{name}</b>" if highlighted else name


ROW_NAME_GAP = 4  # pixels between the widest row name and the figure's left edge


def rows_margin(labels: Sequence[str]) -> int:
    """A left margin holding each of ``labels`` (row names in ``DENSE_TICKS``, some perhaps
    marked by ``row_label``) as if it were marked, so that it is the same whichever locality's
    rows are marked. A margin that changed from one drawing to the next made Plotly, whose
    automatic margins start from the last drawing's, draw the chart twice on that change."""
    widest = max(
        text_box_size(
            row_label(_plain(label).removeprefix(HIGHLIGHT_MARK), True), DENSE_TICKS["size"]
        )[0]
        for label in labels
    )
    return math.ceil(widest) + ROW_NAME_GAP


def text_box_size(text: str, size: float = LABEL_SIZE) -> tuple[float, float]:
    """Estimated (width, height) in pixels of ``text`` at font ``size``; ``<br>`` breaks lines."""
    lines = _plain(text).split("<br>")
    width = max(len(line) for line in lines) * CHARACTER_WIDTH * size + 4
    return width, len(lines) * LINE_HEIGHT * size + 2


def _plain(text: str) -> str:
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        text = text.replace(tag, "")
    return text


@dataclass(frozen=True)
class Box:
    """A rectangle, y upwards (for :func:`place_labels`, in fractions of the plot's width and
    height)."""

    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True)
class Anchored:
    """A box whose centre is ``fx`` of the plot width across plus ``dx`` pixels, and ``fy`` of
    its height up plus ``dy`` pixels."""

    fx: float
    fy: float
    dx: float
    dy: float
    width: float
    height: float

    def leader(self) -> tuple[float, float, np.ndarray, np.ndarray]:
        """Its leader as ``_leader_crossings`` takes one spot: the point, then the offsets."""
        return self.fx, self.fy, np.array([self.dx]), np.array([self.dy])


def place_labels(
    points: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    *,
    marker_radius: float,
    plot_widths: tuple[float, float],
    plot_heights: tuple[float, float],
    obstacles: Sequence[Box] = (),
) -> list[tuple[float, float]]:
    """Offsets (dx, dy) in pixels of each label's centre from its point, y upwards.

    ``points`` are fractions of the plot's width and height; so are ``obstacles``. A chart's
    size follows the screen, so a spot is taken only if, at the smallest and the largest of
    ``plot_widths`` and ``plot_heights``, the label's box stays inside the plot and touches no
    marker, obstacle or label already placed, and keeps to one side of each of them, across or
    up: positions move linearly with the size, so it is then clear at every size between.
    Labels of the most crowded points are placed first, each at the nearest clear spot; a
    label that fits nowhere takes the spot with least overlap. Then a label whose leader (from
    its point to the label's centre) crosses another leader or runs over a marker is placed
    again among all the others, the same way, but of equally clear spots at the first whose
    leader crosses fewest. Leaders are checked at sizes between the extremes too
    (``_Sizes.grid``). If a leader still crosses, the whole is done again keeping leaders apart
    from the first label placed on, and the placement with less overlap, then fewer crossings,
    is kept.
    """
    sizes_at = _Sizes(plot_widths, plot_heights)
    markers = [
        Anchored(fx, fy, 0.0, 0.0, 2 * marker_radius, 2 * marker_radius) for fx, fy in points
    ]
    short = plot_heights[0]
    crowding = [
        sum(abs(x - ox) < 0.3 and abs(y - oy) * short < 40 for ox, oy in points) for x, y in points
    ]
    order = sorted(range(len(points)), key=lambda i: (-crowding[i], points[i][0]))
    fixed = _Boxes.of_obstacles(obstacles)

    def spot(index: int, others: list[Anchored], lines: np.ndarray | None = None) -> Anchored:
        """The label's best spot with ``others`` placed: the first clear one, else the one
        with least overlap; given ``lines`` to keep its leader off, of those the first whose
        leader crosses fewest."""
        fx, fy = points[index]
        width, height = sizes[index]
        across, up = _candidates(width, height, marker_radius)
        inside = _inside_plot(fx, fy, across, up, width, height, sizes_at)
        across, up = across[inside], up[inside]
        if not len(across):  # nowhere inside the plot: keep it beside the point
            return Anchored(fx, fy, width / 2 + marker_radius + 2, 0.0, width, height)
        spots = _Boxes(
            np.full(len(across), fx),
            across - width / 2,
            across + width / 2,
            np.full(len(across), fy),
            up - height / 2,
            up + height / 2,
            scaled=False,
        )
        against = _Against.of(spots, [*markers, *others], fixed, sizes_at)
        best = _best_spot(spots, against, (fx, fy, across, up), lines)
        return Anchored(fx, fy, float(across[best]), float(up[best]), width, height)

    def lines_to_keep_off(index: int, others: list[Anchored]) -> np.ndarray:
        return _lines_to_keep_off(points, index, others, marker_radius, sizes_at)

    def placement(leaders_from_the_first: bool) -> dict[int, Anchored]:
        """Each label at its nearest clear spot, most crowded first (``leaders_from_the_first``:
        of equally clear spots, the first whose leader crosses fewest of those placed); then
        a label whose leader crosses another or runs over a marker is placed again among all
        the others (after the nearest spots are taken, so that a label chosen for its leader
        leaves the others the room they had): it moves only to a spot clashing no more, and
        among those to the first whose leader crosses fewest."""
        placed: dict[int, Anchored] = {}
        for index in order:
            others = list(placed.values())
            lines = lines_to_keep_off(index, others) if leaders_from_the_first else None
            placed[index] = spot(index, others, lines)
        for index in order:
            others = [label for other, label in placed.items() if other != index]
            label = placed[index]
            lines = lines_to_keep_off(index, others)
            if _leader_crossings(*label.leader(), lines, sizes_at)[0]:
                placed[index] = spot(index, others, lines)
        return placed

    # Nearest spots first leave the most room, and on a crowded plot only they fit every label;
    # keeping leaders apart from the first label on finds spots that the second pass, moving
    # one label at a time, cannot (a leader ran over another district's point on a slide). Any
    # overlap is worse than a crossing.
    placed = placement(False)
    if _crossings(placed, points, marker_radius, sizes_at):
        apart = placement(True)
        placed = _fewer_faults(placed, apart, points, markers, fixed, marker_radius, sizes_at)
    return [(placed[i].dx, placed[i].dy) for i in range(len(points))]


def _inside_plot(
    fx: float,
    fy: float,
    across: np.ndarray,
    up: np.ndarray,
    width: float,
    height: float,
    sizes: _Sizes,
) -> np.ndarray:
    """Whether a label ``width`` by ``height`` centred at each offset from the point at ``fx``,
    ``fy`` stays inside the plot at the extreme sizes (and so at every size between)."""
    inside = np.ones(len(across), dtype=bool)
    for plot_width in sizes.widths:
        centre = fx * plot_width + across
        inside &= (centre - width / 2 >= 0) & (centre + width / 2 <= plot_width)
    for plot_height in sizes.heights:
        middle = fy * plot_height + up
        inside &= (middle - height / 2 >= 0) & (middle + height / 2 <= plot_height)
    return inside


def _fewer_faults(
    first: dict[int, Anchored],
    second: dict[int, Anchored],
    points: Sequence[tuple[float, float]],
    markers: list[Anchored],
    fixed: _Boxes,
    radius: float,
    sizes: _Sizes,
) -> dict[int, Anchored]:
    """Of two placements, the one with less overlap (any is worse than a leader crossing),
    then fewer crossings; the first of equals."""

    def faults(placed: dict[int, Anchored]) -> tuple[float, int]:
        return _overlap(placed, markers, fixed, sizes), _crossings(placed, points, radius, sizes)

    return second if faults(second) < faults(first) else first


def _lines_to_keep_off(
    points: Sequence[tuple[float, float]],
    index: int,
    others: Sequence[Anchored],
    radius: float,
    sizes: _Sizes,
) -> np.ndarray:
    """What the leader of the label of point ``index`` keeps off: the leaders of ``others``
    and the markers apart from its own (``_leaders_and_markers``)."""
    return _leaders_and_markers(others, _markers_apart(points, index, radius, sizes), radius)


def _crossings(
    placed: dict[int, Anchored], points: Sequence[tuple[float, float]], radius: float, sizes
) -> int:
    """How many leaders or markers the leaders of a placement cross, in all."""
    total = 0
    for index, label in placed.items():
        others = [other for position, other in placed.items() if position != index]
        lines = _lines_to_keep_off(points, index, others, radius, sizes)
        total += int(_leader_crossings(*label.leader(), lines, sizes)[0])
    return total


def _overlap(placed: dict[int, Anchored], markers: list[Anchored], fixed: _Boxes, sizes) -> float:
    """How much a placement's labels overlap markers, lines and one another (``_clashes``)."""
    labels = _Boxes.of_anchored(list(placed.values()))
    # Each label meets its own box too: the same amount in any placement of these labels.
    against = _Against.of(labels, [*markers, *placed.values()], fixed, sizes)
    return float(_clashes(labels, against).sum())


@dataclass(frozen=True)
class _Sizes:
    """The smallest and largest plot width and height a placement must hold at."""

    widths: tuple[float, float]
    heights: tuple[float, float]

    def corners(self):
        """Every (width, height) pair of the extremes, each once."""
        return sorted({(w, h) for w in self.widths for h in self.heights})

    def grid(self):
        """Every (width, height) pair of ``_GRID_STEPS`` sizes from the smallest to the largest
        across and up, each once: where a leader lies is not linear in the size, so one clear
        of a line or a marker at the four extremes could still cross it between them."""
        across = np.linspace(*self.widths, _GRID_STEPS)
        up = np.linspace(*self.heights, _GRID_STEPS)
        return sorted({(float(w), float(h)) for w in across for h in up})


_GRID_STEPS = 3  # sizes across and up: the extremes and the middle (5 cost twice as much)


@dataclass(frozen=True)
class _Boxes:
    """Boxes as arrays, so that one spot is checked against all of them at once.

    Each box is ``fx * plot width + dx`` across and ``fy * plot height + dy`` up (``fx``, ``fy``
    0 for fixed obstacles, whose edges are then scaled by the width and the height).
    """

    fx: np.ndarray
    left: np.ndarray
    right: np.ndarray
    fy: np.ndarray
    bottom: np.ndarray
    top: np.ndarray
    scaled: bool

    @classmethod
    def of_obstacles(cls, obstacles: Sequence[Box]) -> _Boxes:
        rows = np.array([(o.left, o.right, o.bottom, o.top) for o in obstacles]).reshape(-1, 4)
        zeros = np.zeros(len(rows))
        left, right, bottom, top = rows.T
        return cls(zeros, left, right, zeros, bottom, top, scaled=True)

    @classmethod
    def of_anchored(cls, boxes: Sequence[Anchored]) -> _Boxes:
        rows = np.array(
            [
                (b.fx, b.dx - b.width / 2, b.dx + b.width / 2)
                + (b.fy, b.dy - b.height / 2, b.dy + b.height / 2)
                for b in boxes
            ]
        ).reshape(-1, 6)
        return cls(*rows.T, scaled=False)

    def near(self, boxes: _Boxes, sizes: _Sizes) -> _Boxes:
        """Only the boxes that reach the area ``boxes`` span at some size (the rest cannot
        overlap any of them)."""
        keep = np.zeros(len(self.left), dtype=bool)
        if len(boxes.left):
            across = np.zeros(len(self.left), dtype=bool)
            for plot_width in sizes.widths:
                left, right = self.across(plot_width)
                span_left, span_right = boxes.across(plot_width)
                across |= (left < span_right.max()) & (right > span_left.min())
            for plot_height in sizes.heights:
                bottom, top = self.up(plot_height)
                span_bottom, span_top = boxes.up(plot_height)
                keep |= (bottom < span_top.max()) & (top > span_bottom.min())
            keep &= across
        return self.taken(keep)

    def taken(self, rows: slice | np.ndarray) -> _Boxes:
        """The boxes of ``rows`` only (a slice or a mask)."""
        return _Boxes(
            self.fx[rows],
            self.left[rows],
            self.right[rows],
            self.fy[rows],
            self.bottom[rows],
            self.top[rows],
            self.scaled,
        )

    def across(self, plot_width: float) -> tuple[np.ndarray, np.ndarray]:
        """Left and right edges in pixels at ``plot_width``."""
        if self.scaled:
            return self.left * plot_width, self.right * plot_width
        return self.fx * plot_width + self.left, self.fx * plot_width + self.right

    def up(self, plot_height: float) -> tuple[np.ndarray, np.ndarray]:
        """Bottom and top edges in pixels at ``plot_height``."""
        if self.scaled:
            return self.bottom * plot_height, self.top * plot_height
        return self.fy * plot_height + self.bottom, self.fy * plot_height + self.top


@dataclass(frozen=True)
class _Against:
    """What spots are checked against: labels and markers, and the fixed obstacles near the
    spots; and the sizes the check holds at."""

    anchored: _Boxes
    fixed: _Boxes
    sizes: _Sizes

    @classmethod
    def of(cls, spots: _Boxes, others: Sequence[Anchored], fixed: _Boxes, sizes: _Sizes):
        """Against ``others`` and the obstacles of ``fixed`` near any of ``spots``: taken once
        for all of them, so that a spot's clash is the same whichever of them are checked
        with it."""
        return cls(_Boxes.of_anchored(others), fixed.near(spots, sizes), sizes)


_FIRST_SPOTS = 16  # spots checked in the first round; each later round checks twice as many


def _best_spot(
    spots: _Boxes,
    against: _Against,
    leaders: tuple[float, float, np.ndarray, np.ndarray],
    lines: np.ndarray | None,
) -> int:
    """The index of the spot with least clash and then, given ``lines``, whose leader crosses
    fewest of them; the first of equals. ``leaders`` are the spots' leaders as
    ``_leader_crossings`` takes them: the point, then the offsets.

    The spots come nearest first, and are checked in rounds: a spot clear of everything whose
    leader crosses nothing is the answer as soon as it is found, since no later spot can be
    better. On most charts the nearest few spots hold one, so the rest are never checked.
    """
    fx, fy, across, up = leaders
    clashes, crossings = [], []
    start, size = 0, _FIRST_SPOTS
    while start < len(across):
        taken = slice(start, start + size)
        clash = _clashes(spots.taken(taken), against)
        crossing = (
            np.zeros(len(clash), dtype=int)
            if lines is None
            else _leader_crossings(fx, fy, across[taken], up[taken], lines, against.sizes)
        )
        clear = np.flatnonzero((clash == 0) & (crossing == 0))
        if len(clear):
            return start + int(clear[0])
        clashes.append(clash)
        crossings.append(crossing)
        start, size = start + size, 2 * size
    return int(np.lexsort((np.concatenate(crossings), np.concatenate(clashes)))[0])


def _clashes(candidates: _Boxes, against: _Against) -> np.ndarray:
    """Each spot's overlap in square pixels with everything else at each extreme size (0 if
    clear).

    A spot that keeps to no one side of a label, marker or line, across at both widths or up at
    both heights, crosses it somewhere between: that counts as the spot's whole area.
    """
    sizes = against.sizes
    areas = (candidates.right - candidates.left) * (candidates.top - candidates.bottom)
    total = np.zeros(len(candidates.left))
    # Every corner size at once, one row each (corner, spot, box); added up corner by corner.
    widths, heights = np.array(sizes.corners()).T[:, :, None]
    left, right = (edge[:, :, None] for edge in candidates.across(widths))
    bottom, top = (edge[:, :, None] for edge in candidates.up(heights))
    for boxes in (against.anchored, against.fixed):
        other_left, other_right = (edge[:, None, :] for edge in boxes.across(widths))
        other_bottom, other_top = (edge[:, None, :] for edge in boxes.up(heights))
        across = np.minimum(right, other_right) - np.maximum(left, other_left)
        up = np.minimum(top, other_top) - np.maximum(bottom, other_bottom)
        for corner in (np.maximum(across, 0) * np.maximum(up, 0)).sum(axis=2):
            total += corner
        total += (~_to_one_side(candidates, boxes, sizes)).sum(axis=1) * areas
    return total


def _leader_crossings(
    fx: float, fy: float, across: np.ndarray, up: np.ndarray, lines: np.ndarray, sizes
) -> np.ndarray:
    """How many of ``lines`` the leader of each spot (``across``, ``up`` from the point at
    ``fx``, ``fy``, to its label's centre) crosses, at any extreme size. Each line is a row
    (fx, fy, from across, from up, along across, along up): from ``fx`` of the plot's width
    plus ``from across`` pixels, and so on. Two lines cross where each one's ends lie on
    either side of the other."""
    if not len(lines):
        return np.zeros(len(across), dtype=int)
    # Every size at once, one row each (size, spot, line).
    width, height = np.array(sizes.grid()).T[:, :, None, None]
    spot = (across[None, :, None], up[None, :, None])
    point = (fx * width, fy * height)
    start = (lines[:, 0] * width + lines[:, 2], lines[:, 1] * height + lines[:, 3])
    step = (lines[:, 4], lines[:, 5])
    end = (start[0] + step[0], start[1] + step[1])
    lines_apart = _side(point, spot, start) * _side(point, spot, end) < 0
    spot_apart = (
        _side(start, step, point) * _side(start, step, (point[0] + spot[0], point[1] + spot[1])) < 0
    )
    return (lines_apart & spot_apart).any(axis=0).sum(axis=1)


def _markers_apart(
    points: Sequence[tuple[float, float]], index: int, radius: float, sizes: _Sizes
) -> list[tuple[float, float]]:
    """The points but the one at ``index`` and those whose markers overlap its marker even at
    the largest size (and so at every size): a leader starts on such a marker whichever way it
    goes, and counting it made every spot cross something, so that a leader over a third
    marker was chosen as readily as a clear one."""
    fx, fy = points[index]
    width, height = max(sizes.widths), max(sizes.heights)
    return [
        (x, y)
        for position, (x, y) in enumerate(points)
        if position != index and math.hypot((x - fx) * width, (y - fy) * height) >= 2 * radius
    ]


def _leaders_and_markers(
    labels: Sequence[Anchored], points: Sequence[tuple[float, float]], radius: float
) -> np.ndarray:
    """The lines a leader keeps off (rows as ``_leader_crossings`` takes them): each label's
    leader, and both diagonals of each marker at ``points`` (a leader crossing a diagonal runs
    over the marker)."""
    rows = [(label.fx, label.fy, 0.0, 0.0, label.dx, label.dy) for label in labels]
    for x, y in points:
        rows += [(x, y, -radius, -radius, 2 * radius, 2 * radius)]
        rows += [(x, y, -radius, radius, 2 * radius, -2 * radius)]
    return np.array(rows).reshape(-1, 6)


def _side(start, step, point):
    """Positive on the left of the line from ``start`` along ``step``, negative on its right
    (each an (x, y) pair of numbers or arrays)."""
    return step[0] * (point[1] - start[1]) - step[1] * (point[0] - start[0])


def _to_one_side(candidates: _Boxes, boxes: _Boxes, sizes: _Sizes) -> np.ndarray:
    """Whether each candidate stays on one side of each box, across at both extreme widths or
    up at both extreme heights (then it is clear of it at every size between)."""
    apart = np.zeros((len(candidates.left), len(boxes.left)), dtype=bool)
    for edges, extremes in ((_Boxes.across, sizes.widths), (_Boxes.up, sizes.heights)):
        (low, high), (later_low, later_high) = (edges(candidates, size) for size in extremes)
        (other_low, other_high), (later_other_low, later_other_high) = (
            edges(boxes, size) for size in extremes
        )
        before = (high[:, None] <= other_low) & (later_high[:, None] <= later_other_low)
        beyond = (low[:, None] >= other_high) & (later_low[:, None] >= later_other_high)
        apart |= before | beyond
    return apart


_STEPS = 12


@functools.cache
def _candidates(width: float, height: float, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (across, up) that keep the label off its own point, nearest first.

    Cached: a chart's labels share a few sizes, and each size has the same 324 offsets.
    """
    gap = radius + 3
    across = [0.0] + [
        sign * (width / 2 + gap + step * width / 3)
        for step in range(_STEPS // 2)
        for sign in (1, -1)
    ]
    up = [0.0] + [
        sign * (height / 2 + gap + step * height / 2) for step in range(_STEPS) for sign in (1, -1)
    ]
    offsets = [(dx, dy) for dx in across for dy in up if dx or dy]
    offsets.sort(key=lambda offset: (offset[0] ** 2 + (2 * offset[1]) ** 2, offset))
    chosen = np.array(offsets)
    chosen.flags.writeable = False  # shared by every call with this size
    return chosen[:, 0], chosen[:, 1]


def readable_heatmap(
    figure: go.Figure,
    *,
    z: Sequence[Sequence[float | None]],
    text: Sequence[Sequence[str]],
    colours: Sequence[str],
    x: Sequence,
    y: Sequence,
    zmin: float | None = None,
    zmax: float | None = None,
    font: dict | None = None,
    **heatmap,
) -> None:
    """Add a heat map of ``z`` coloured evenly along ``colours``, each cell's ``text`` written in
    white or dark, whichever meets WCAG AA on the colour drawn under it (a gap's is dark).

    Plotly gives all of a trace's cell texts one colour, or picks white or black by lightness
    (white on a mid-blue at 3.4:1), so the texts are dark and those to be white are styled so
    in place, in Plotly's own markup. A second trace on top for the dark texts, its cells
    transparent, made Plotly draw a second canvas at every redraw (the spend per carer heat map:
    32-34 ms a redraw with it, 27-28 without). The hover reads ``%{customdata}``, the cell's
    whole text.
    """
    values = [v for row in z for v in row if finite_number(v) is not None]
    low = min(values, default=0.0) if zmin is None else zmin
    high = max(values, default=1.0) if zmax is None else zmax

    def white(value) -> bool:
        if finite_number(value) is None:
            return False
        position = (value - low) / (high - low) if high > low else 0.0
        return text_colour_on(interpolate(colours, position)) == WHITE_TEXT

    last = len(colours) - 1
    figure.add_heatmap(
        z=z,
        x=x,
        y=y,
        zmin=low,
        zmax=high,
        **heatmap,
        text=[
            [
                f'<span style="color:{WHITE_TEXT}">{t}</span>' if t and white(v) else t
                for t, v in zip(texts, row, strict=True)
            ]
            for texts, row in zip(text, z, strict=True)
        ],
        texttemplate="%{text}",
        customdata=text,
        textfont={**(font or {}), "color": BLACK_TEXT},
        colorscale=[[i / last, colour] for i, colour in enumerate(colours)],
    )


# The hidden x axis of a value column: over the plot area, from 0 at its left edge to 1 at its
# right, so the column stands at 1 whatever the data's range. Numbered clear of any panel's.
VALUE_AXIS = "x9"
VALUE_GAP = 6  # pixels between the plot's edge and the value column


def value_column(
    figure: go.Figure, categories: Sequence[str], texts: Sequence[str], widest: str = ""
) -> None:
    """Write each category's value in a column right of the plot area, in a margin sized for it
    and for ``widest``, a text as wide as the widest the chart writes for any selection: a
    margin that changed from one drawing to the next made Plotly draw the chart twice on that
    change (``rows_margin``), and a value a digit longer changed it.

    Values beside the bars would collide with reference lines, whiskers and each other; in their
    own column they are read like a table and nothing crosses them. One text trace draws the
    column: as a dozen annotations it took Plotly a quarter of each redraw of the chart
    (``Plotly.react`` of the spend per head chart in a blank page: 28-29 ms, 21-22 ms with one
    trace).
    """
    figure.add_scatter(
        x=[1] * len(texts),
        y=list(categories),
        text=list(texts),
        # An invisible marker, for the text's gap from the plot: Plotly sets a text off its
        # point by the marker's radius, and with none the column touched a bar ending at the
        # plot's edge (the hours chart's 100%).
        mode="markers+text",
        marker={"size": VALUE_GAP * 2, "opacity": 0},
        textposition="middle right",
        textfont={"size": LABEL_SIZE + 1, "color": TEXT},
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
        xaxis=VALUE_AXIS,
    )
    figure.layout[f"xaxis{VALUE_AXIS[1:]}"] = {
        "overlaying": "x",
        "range": [0, 1],
        "visible": False,
        "fixedrange": True,
    }
    room = max(text_box_size(text, LABEL_SIZE + 1)[0] for text in [widest, *texts])
    set_properties(figure.layout, margin={"r": round(room) + 16})


# A trend of at most this many points writes every value; a longer one writes its first, last,
# highest and lowest, the numbers a committee reads off a trend.
ALL_POINTS_LABELLED = 8
TREND_LABEL_GAP = 6  # pixels between two trend labels side by side
# Trend charts are drawn between these plot-area widths (a half-width card at 1280 px to a
# full-width one on a large screen); their labels are placed clear at every width between.
TREND_PLOT_WIDTHS = (400, 1200)
_LINE_PIECES = 8  # each line segment is an obstacle in this many pieces, hugging the line


def key_points(values: Sequence[float]) -> list[int]:
    """Positions of the values a trend writes on itself (gaps never count).

    Every value when there are at most :data:`ALL_POINTS_LABELLED`; otherwise the first, the
    last, the highest and the lowest (the earliest of equal ones).
    """
    present = [i for i, value in enumerate(values) if finite_number(value) is not None]
    if len(present) <= ALL_POINTS_LABELLED:
        return present
    highest = max(present, key=lambda i: (values[i], -i))
    lowest = min(present, key=lambda i: (values[i], i))
    return sorted({present[0], present[-1], highest, lowest})


@dataclass(frozen=True)
class TrendSeries:
    """One line of a trend chart: its categories, values (NaN for a gap) and each value's text.

    ``always`` are positions labelled whatever :func:`key_points` picks (published points).
    """

    x: Sequence[str]
    y: Sequence[float]
    texts: Sequence[str]
    colour: str
    always: frozenset[int] = frozenset()


def label_trends(
    figure: go.Figure,
    series: Sequence[TrendSeries],
    *,
    categories: Sequence[str],
    y_range: tuple[float, float],
    plot_height: float,
    axes: tuple[str, str] = ("x", "y"),
    marker_radius: float = 7.0,
    levels: Sequence[float] = (),
    slide_plot: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> None:
    """Write each series' key values beside its points, clear of each other and of every line.

    The x axis (categories, in order) is set to span them exactly and the y axis to
    ``y_range``, so a point's place in pixels is known from ``plot_height`` and the plot width;
    each label is placed with :func:`place_labels` (every marker and every line an obstacle)
    and joined to its point by a short leader in the line's colour. ``levels`` are horizontal
    reference lines (a mean, control limits) that labels keep off as well. A label takes its
    line's colour where that meets WCAG AA on the background, else the text colour.
    ``slide_plot``: the (widths, heights) a slide draws the plot at, when they are far from the
    page's (a short plot under a tall legend): the labels are placed again for them, in the
    slide's type (:func:`join_labels`).
    """
    count = len(categories)
    column = {label: index for index, label in enumerate(categories)}
    low, high = y_range

    def position(label: str, value: float) -> tuple[float, float]:
        """Fractions of the plot's width and height."""
        return (column[label] + 0.5) / count, (value - low) / (high - low)

    labelled: list[tuple[TrendSeries, int]] = []
    unlabelled: list[tuple[float, float]] = []
    lines: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for line in series:
        chosen = set(key_points(line.y)) | {
            i for i in line.always if finite_number(line.y[i]) is not None
        }
        places = [
            position(x, y) if finite_number(y) is not None else None
            for x, y in zip(line.x, line.y, strict=True)
        ]
        for index, place in enumerate(places):
            if place is not None:
                (labelled.append((line, index)) if index in chosen else unlabelled.append(place))
        lines += [
            (start, end)
            for start, end in zip(places[:-1], places[1:], strict=True)
            if start is not None and end is not None
        ]
    points = [position(line.x[i], line.y[i]) for line, i in labelled]
    heights = [(level - low) / (high - low) for level in levels]

    def offsets(font_size: float, widths, plot_heights) -> list[tuple[float, float]]:
        # Obstacles in fractions of the plot, sized for its narrowest and shortest shape.
        pixel = 1 / plot_heights[0]
        across, up = marker_radius / widths[0], marker_radius * pixel
        obstacles = [Box(0, height - 2 * pixel, 1, height + 2 * pixel) for height in heights]
        obstacles += [Box(x - across, y - up, x + across, y + up) for x, y in unlabelled]
        for start, end in lines:
            obstacles += _line_pieces(start, end, pad=2 * pixel)
        # Each label a little wider than its text: boxes that only touched wrote two values
        # as one ("£1.84m£1.84m" on a slide), and a text's width is an estimate.
        sizes = [text_box_size(line.texts[i], font_size) for line, i in labelled]
        return place_labels(
            points,
            [(width + TREND_LABEL_GAP, height) for width, height in sizes],
            marker_radius=marker_radius,
            plot_widths=widths,
            plot_heights=plot_heights,
            obstacles=obstacles,
        )

    slide = None
    if slide_plot is not None:
        slide_widths, slide_heights = slide_plot
        slide = SlideLabels(
            offsets(max(LABEL_SIZE, PRESENTATION_MIN_FONT_SIZE), slide_widths, slide_heights),
            min(slide_heights),
        )
    page = offsets(LABEL_SIZE, TREND_PLOT_WIDTHS, (plot_height, plot_height))
    xref, yref = axes
    join_labels(
        figure,
        [
            JoinedLabel(
                line.x[index],
                line.y[index],
                line.texts[index],
                {
                    "size": LABEL_SIZE,
                    "color": readable_on_background(line.colour),
                    "shadow": halo(BACKGROUND),
                },
                line.colour,
            )
            for line, index in labelled
        ],
        page,
        slide=slide,
        axes=axes,
        standoff=marker_radius,
        leader_width=1.5,
    )
    x_axis = "xaxis" + xref.removeprefix("x")
    y_axis = "yaxis" + yref.removeprefix("y")
    set_properties(
        figure.layout,
        **{x_axis: {"range": [-0.5, count - 0.5]}, y_axis: {"range": [low, high]}},
    )


@dataclass(frozen=True)
class JoinedLabel:
    """A text written beside its point, joined to it by a leader: the point (``x`` in its x
    axis's units, a category on a category axis), the text, its font and the leader's colour."""

    x: object
    y: float
    text: str
    font: dict
    leader_colour: str


@dataclass(frozen=True)
class SlideLabels:
    """Where joined labels go on a slide: each label's offset (dx, dy up, in pixels) from its
    point, placed for plots at least ``min_plot_height`` tall."""

    offsets: Sequence[tuple[float, float]]
    min_plot_height: float


LABEL_NAME, LEADER_NAME = "joined label", "leader"  # the names they carry in the figure


def join_labels(
    figure: go.Figure,
    labels: Sequence[JoinedLabel],
    offsets: Sequence[tuple[float, float]],
    *,
    slide: SlideLabels | None = None,
    axes: tuple[str, str] = ("x", "y"),
    standoff: float,
    leader_width: float,
) -> None:
    """Write each label with its centre at its offset (dx, dy up, in pixels) from its point,
    joined to it by a leader from ``standoff`` pixels off the point.

    The leader is a line shape sized in pixels, not the label's own arrow: Plotly measures an
    arrow's path in the page to draw its end, which made the browser lay the page out again for
    every arrow (35 times a filter change on /short-breaks, about a tenth of its repaint). It
    runs to the label's centre, under the label, whose background hides the rest: it ends at
    the label's edge in any type, on the page or on a slide, as Plotly's arrow did.

    ``slide``: where the labels go on a slide, when the page's places do not fit its plot. The
    figure carries them, their leaders and the shortest plot they are placed for in its
    ``meta``; assets/view.js moves the labels there when it fits the chart to a slide, and draws
    the chart tall enough for that plot.
    """
    xref, yref = axes
    if slide is not None:
        meta = dict(figure.layout.meta or {})
        if SLIDE_LABELS_KEY in meta:
            raise ValueError("a figure carries one set of slide label offsets")
        meta[SLIDE_LABELS_KEY] = {
            "first": len(figure.layout.annotations),
            "offsets": [[dx, dy] for dx, dy in slide.offsets],
            "first_leader": len(figure.layout.shapes),
            "leaders": [_leader_ends(offset, standoff) for offset in slide.offsets],
            "min_plot_height": slide.min_plot_height,
        }
        figure.layout.meta = meta
    # Added in one step each: every addition copies the items already there.
    add_to_layout(
        figure,
        "annotations",
        (
            {
                "x": label.x,
                "y": label.y,
                "xref": xref,
                "yref": yref,
                "text": label.text,
                "showarrow": False,
                "xshift": dx,
                "yshift": dy,
                "xanchor": "center",
                "yanchor": "middle",
                "font": label.font,
                "bgcolor": BACKGROUND,
                "name": LABEL_NAME,
            }
            for label, (dx, dy) in zip(labels, offsets, strict=True)
        ),
    )
    add_to_layout(
        figure,
        "shapes",
        (
            _leader(label, xref, yref, _leader_ends(offset, standoff), leader_width)
            for label, offset in zip(labels, offsets, strict=True)
        ),
    )


def _leader(
    label: JoinedLabel, xref: str, yref: str, ends: list[float] | None, width: float
) -> dict:
    """The line shape joining ``label`` to its point: its ``ends`` in pixels from the point (y
    up), hidden where there are none."""
    x0, y0, x1, y1 = ends or (0, 0, 0, 0)
    return {
        "type": "line",
        "xref": xref,
        "yref": yref,
        "xsizemode": "pixel",
        "ysizemode": "pixel",
        "xanchor": label.x,
        "yanchor": label.y,
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "line": {"color": label.leader_colour, "width": width},
        "visible": ends is not None,
        "name": LEADER_NAME,
    }


def _leader_ends(offset: tuple[float, float], standoff: float) -> list[float] | None:
    """Where the leader of a label centred at ``offset`` (dx, dy up, in pixels) from its point
    runs: from ``standoff`` pixels off the point to the label's centre (x0, y0, x1, y1); None
    for a label within the standoff."""
    dx, dy = offset
    length = math.hypot(dx, dy)
    if length <= standoff:
        return None
    start = standoff / length
    return [round(dx * start, 1), round(dy * start, 1), dx, dy]


def on_two_lines(text: str, longer_than: int = 0) -> str:
    """``text``, if longer than ``longer_than`` characters, broken (``<br>``) at the space that
    leaves its longer line shortest."""
    words = text.split(" ")
    if len(text) <= longer_than or len(words) < 2:
        return text
    cut = min(
        range(1, len(words)),
        key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))),
    )
    return " ".join(words[:cut]) + "<br>" + " ".join(words[cut:])


def keep_height_on_slides(figure: go.Figure, *, plot: bool = False) -> None:
    """Mark, in its ``meta``, a figure whose texts are placed in pixels for its page's height:
    a slide draws it at most a little shorter (``SLIDE_KEEP_HEIGHT_SHARE``) and scrolls rather
    than squeeze it further. ``plot``: its plot area keeps that share of its page's too (a
    bullet chart, whose panels' gaps are pixels of the plot: with the slide's larger legend
    and margins, its panel titles ran over the tick labels of the panel above)."""
    figure.layout.meta = {
        **(figure.layout.meta or {}),
        SLIDE_MIN_HEIGHT_SHARE_KEY: SLIDE_KEEP_HEIGHT_SHARE,
        **({SLIDE_MIN_PLOT_SHARE_KEY: SLIDE_KEEP_HEIGHT_SHARE} if plot else {}),
    }


def _line_pieces(start: tuple[float, float], end: tuple[float, float], *, pad: float) -> list[Box]:
    """Boxes hugging the straight line from ``start`` to ``end`` (fractions of the plot), ``pad``
    above and below it."""
    (x0, y0), (x1, y1) = start, end
    pieces = []
    for step in range(_LINE_PIECES):
        a, b = step / _LINE_PIECES, (step + 1) / _LINE_PIECES
        left, right = x0 + (x1 - x0) * a, x0 + (x1 - x0) * b
        bottom, top = sorted((y0 + (y1 - y0) * a, y0 + (y1 - y0) * b))
        pieces.append(Box(min(left, right), bottom - pad, max(left, right), top + pad))
    return pieces
