"""Reach figures: the funnel plot of reach rate against carers, and the ranked bars.

Comparison classes use the Fingertips colours and are also written in words (text labels and
marker shapes), so nothing relies on colour alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.figures.common import (
    HIGHLIGHT_MARK,
    LABEL_SIZE,
    Box,
    JoinedLabel,
    SlideLabels,
    district_rows,
    join_labels,
    label_demo,
    on_two_lines,
    place_labels,
    set_properties,
    status_pattern,
    text_box_size,
    value_column,
    vertical_line,
)
from dashboard.theme import (
    BENCHMARK,
    CATEGORICAL,
    MUTED_TEXT,
    PRESENTATION_MIN_FONT_SIZE,
    SLIDE_MARGIN_KEY,
    TEXT,
)

CLASS_SYMBOLS = {
    "better": "triangle-up",
    "similar": "circle",
    "worse": "triangle-down",
    "lower": "triangle-down",
    "higher": "triangle-up",
    "not compared": "circle-open",
}
LIMIT_STYLES = {"95": ("95% limits", "dash"), "998": ("99.8% limits", "dot")}


def _class_of(value: object) -> str:
    return "not compared" if pd.isna(value) else str(value)


# The funnel's geometry is fixed so its labels can be placed in pixels: the plot area is
# FUNNEL_PLOT_HEIGHT tall and between FUNNEL_PLOT_WIDTHS wide (a half-width card at 1280 px to
# a full-width one on a large screen); labels are placed clear of each other across that range.
FUNNEL_HEIGHT = 540
FUNNEL_MARGIN = {"l": 72, "r": 20, "t": 20, "b": 140}
# On a slide the legend is pinned under the axis title (assets/view.js), which needs less room
# than the page's legend a fifth of the plot below it.
FUNNEL_SLIDE_MARGIN = {"b": 120}
FUNNEL_PLOT_HEIGHT = FUNNEL_HEIGHT - FUNNEL_MARGIN["t"] - FUNNEL_MARGIN["b"]
FUNNEL_PLOT_WIDTHS = (400, 1200)
# On a slide the chart fills the screen's width and the height left under its title, and its
# labels are written at least PRESENTATION_MIN_FONT_SIZE: placed again for the plots of screens
# from 1024 x 768 to 1920 x 1080 (measured in Chromium: 874-1770 px wide, 294-647 px tall, less
# TITLE_LINE across for a two-line axis title). On a plot under 280 px the seeded districts'
# labels found no place clear of each other.
FUNNEL_SLIDE_PLOT_WIDTHS = (845, 1780)
FUNNEL_SLIDE_PLOT_HEIGHTS = (290, 650)
MARKER_SIZE, HIGHLIGHT_SIZE = 11, 16
ONE_LINE_AXIS_TITLE = 24  # characters; a slide's funnel plot is 290 px tall at the least
TITLE_LINE = 26  # pixels of left margin for an axis title's second line, in a slide's type


def funnel(
    frame: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    kent_rate: float,
    highlight: set[str],
    statuses,
    base_column: str = "carers_2021",
    base_title: str = "Unpaid carers (Census 2021)",
    rate_title: str = "Reach rate (%)",
) -> go.Figure:
    """Districts as points (reach % against carers) inside 95% and 99.8% limits around Kent.

    ``frame`` has code, name, ``base_column`` (the carers the rate is set against, titled
    ``base_title``), supported, reach, reach_comparison (reach in %);
    ``limits`` is :func:`dashboard.stats.proportion_funnel` output (proportions 0-1).
    Traces: the Kent line, four limit lines, then one point trace per comparison class. Each
    district is named by an annotation placed where it overlaps no other name, point or the
    Kent line (:func:`place_labels`), joined to its point by a short leader line.
    """
    figure = go.Figure()
    x = limits["denominator"]
    figure.add_scatter(
        x=x,
        y=[kent_rate] * len(x),
        mode="lines",
        name=f"Kent {formatting.format_percent(kent_rate, 1)}",
        line={"color": TEXT, "width": 2},
        hoverinfo="skip",
    )
    for level, (name, dash) in LIMIT_STYLES.items():
        for side in ("lower", "upper"):
            figure.add_scatter(
                x=x,
                y=100 * limits[f"{side}_{level}"],
                mode="lines",
                name=name,
                legendgroup=level,
                showlegend=side == "upper",
                line={"color": MUTED_TEXT, "dash": dash, "width": 1.5},
                hoverinfo="skip",
            )
    shown = frame[frame["reach"].notna()]
    classes = shown["reach_comparison"].map(_class_of)
    for cls in CLASS_SYMBOLS:
        members = shown[classes == cls]
        if members.empty:
            continue
        chosen = members["code"].isin(highlight)
        figure.add_scatter(
            x=members[base_column],
            y=members["reach"],
            mode="markers",
            name=cls.capitalize(),
            marker={
                "symbol": CLASS_SYMBOLS[cls],
                "size": [HIGHLIGHT_SIZE if pick else MARKER_SIZE for pick in chosen],
                "color": BENCHMARK[cls] if cls != "not compared" else MUTED_TEXT,
                "line": {"color": TEXT, "width": [3 if pick else 1 for pick in chosen]},
            },
            customdata=[
                [
                    name,
                    formatting.format_percent(rate, 1),
                    formatting.format_count(carers),
                    formatting.format_count(supported),
                ]
                for name, rate, carers, supported in zip(
                    members["name"],
                    members["reach"],
                    members[base_column],
                    members["supported"],
                    strict=True,
                )
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>Reach %{customdata[1]}<br>Carers %{customdata[2]}"
                "<br>Supported %{customdata[3]}<extra>" + cls + " than Kent</extra>"
            ).replace("similar than", "similar to"),
        )
    x_range = [float(x.min()), float(x.max())]
    top = max(float(100 * limits["upper_998"].max()), float(shown["reach"].max()), kent_rate)
    y_range = [0.0, top * 1.08]
    _label_points(
        figure,
        shown.assign(_base=shown[base_column]),
        highlight,
        kent_rate,
        limits,
        x_range,
        y_range,
    )
    # Over two lines when long: "Carers supported per 100 carers caring 50+ hours" ran past both
    # ends of a slide's plot.
    axis_title = on_two_lines(rate_title, ONE_LINE_AXIS_TITLE)
    set_properties(
        figure.layout,
        xaxis={
            "title": base_title,
            "tickformat": ",~r",
            "range": x_range,
            "automargin": False,
            # Clear of the y axis's "0%": on a slide, a tick at the plot's left edge met it.
            "ticklabelstandoff": 10,
        },
        yaxis={
            "title": {"text": axis_title, "standoff": 8},
            "ticksuffix": "%",
            "range": y_range,
            "automargin": False,
        },
        height=FUNNEL_HEIGHT,
        margin={**FUNNEL_MARGIN, "l": FUNNEL_MARGIN["l"] + TITLE_LINE * axis_title.count("<br>")},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top"},
        meta={**(figure.layout.meta or {}), SLIDE_MARGIN_KEY: FUNNEL_SLIDE_MARGIN},
    )
    return label_demo(figure, statuses)


def _label_points(
    figure: go.Figure,
    shown: pd.DataFrame,
    highlight: set[str],
    kent_rate: float,
    limits: pd.DataFrame,
    x_range: list[float],
    y_range: list[float],
) -> None:
    """Name every point with an annotation placed clear of the others and of the lines, on
    the page and, in the figure's ``meta``, on a slide."""

    def position(x: float, y: float) -> tuple[float, float]:
        """Fractions of the plot's width and height."""
        return (
            (x - x_range[0]) / (x_range[1] - x_range[0]),
            (y - y_range[0]) / (y_range[1] - y_range[0]),
        )

    texts = [
        (HIGHLIGHT_MARK if code in highlight else "") + name
        for code, name in zip(shown["code"], shown["name"], strict=True)
    ]
    points = [position(x, y) for x, y in zip(shown["_base"], shown["reach"], strict=True)]
    curves = [
        [position(x, 100 * y) for x, y in zip(limits["denominator"], limits[column], strict=True)]
        for column in ("lower_95", "upper_95", "lower_998", "upper_998")
    ]
    kent_y = position(x_range[0], kent_rate)[1]

    def offsets(font_size: float, widths, heights) -> list[tuple[float, float]]:
        pixel = 1 / min(heights)  # lines are kept a pixel or two clear, at the shortest
        lines = [Box(0, kent_y - 2 * pixel, 1, kent_y + 2 * pixel)] + [
            Box(x0, min(y0, y1) - pixel, x1, max(y0, y1) + pixel)
            for curve in curves
            for (x0, y0), (x1, y1) in zip(curve[:-1], curve[1:], strict=True)
        ]
        return place_labels(
            points,
            [text_box_size(text, font_size) for text in texts],
            marker_radius=HIGHLIGHT_SIZE / 2,
            plot_widths=widths,
            plot_heights=heights,
            obstacles=lines,
        )

    page = offsets(LABEL_SIZE, FUNNEL_PLOT_WIDTHS, (FUNNEL_PLOT_HEIGHT, FUNNEL_PLOT_HEIGHT))
    slide = SlideLabels(
        offsets(
            max(LABEL_SIZE, PRESENTATION_MIN_FONT_SIZE),
            FUNNEL_SLIDE_PLOT_WIDTHS,
            FUNNEL_SLIDE_PLOT_HEIGHTS,
        ),
        min(FUNNEL_SLIDE_PLOT_HEIGHTS),
    )
    join_labels(
        figure,
        [
            JoinedLabel(x, y, text, {"size": LABEL_SIZE, "color": TEXT}, MUTED_TEXT)
            for text, x, y in zip(texts, shown["_base"], shown["reach"], strict=True)
        ],
        page,
        slide=slide,
        standoff=HIGHLIGHT_SIZE / 2,
        leader_width=1,
    )


def ranked_bars(
    frame: pd.DataFrame,
    *,
    kent_rate: float,
    highlight: set[str],
    statuses,
    rate_title: str = "Reach rate (%)",
) -> go.Figure:
    """Horizontal bars of reach, highest first, with interval whiskers and the Kent line.

    ``frame`` is sorted as it should be drawn and has name, code, reach, reach_lower,
    reach_upper, reach_comparison and, if known, each figure's status (its bar's hatching).
    One bar trace per comparison class (for the legend).
    """
    figure = go.Figure()
    classes = frame["reach_comparison"].map(_class_of)
    frame = frame.assign(label=frame["name"])
    # Each bar hatched by its own figure's status: a return beside demo districts is solid.
    fallback = statuses[-1] if statuses else "published"
    patterns = [
        status_pattern(status if isinstance(status, str) else fallback)
        for status in frame.get("status", pd.Series(fallback, index=frame.index))
    ]
    frame = frame.assign(pattern=patterns)
    for cls in CLASS_SYMBOLS:
        members = frame[classes == cls]
        if members.empty:
            continue
        figure.add_bar(
            y=members["label"],
            x=members["reach"],
            orientation="h",
            name=cls.capitalize(),
            marker={
                "color": BENCHMARK[cls],
                "line": {"color": TEXT, "width": 1},
                "pattern": {
                    "shape": members["pattern"].tolist(),
                    "fillmode": "overlay",
                    "fgcolor": TEXT,
                    "fgopacity": 0.3,
                },
            },
            error_x={
                "type": "data",
                "symmetric": False,
                "array": members["reach_upper"] - members["reach"],
                "arrayminus": members["reach"] - members["reach_lower"],
                "color": TEXT,
                "thickness": 1.5,
            },
            customdata=[
                [
                    _rate_text(rate, cls),
                    formatting.format_percent(lo, 1),
                    formatting.format_percent(hi, 1),
                ]
                for rate, lo, hi in zip(
                    members["reach"], members["reach_lower"], members["reach_upper"], strict=True
                )
            ],
            hovertemplate=(
                "%{y}: %{customdata[0]}<br>Interval %{customdata[1]} to %{customdata[2]}"
                "<extra></extra>"
            ),
        )
    vertical_line(
        figure,
        kent_rate,
        line={"color": CATEGORICAL[4], "width": 2, "dash": "dash"},
        label={"text": f"Kent {formatting.format_percent(kent_rate, 1)}"},
    )
    set_properties(
        figure.layout,
        barmode="overlay",
        xaxis={"title": rate_title, "ticksuffix": "%", "rangemode": "tozero"},
        height=480,
        margin={"t": 40, "b": 110},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top"},
    )
    # The first row at the top, by a fixed range: a reversed autorange is drawn again on every
    # redraw; given its own figure again, the ranking took 43-45 ms with it, 10-12 without.
    district_rows(
        figure,
        frame["label"],
        outlined=set(frame.loc[frame["code"].isin(highlight), "label"]),
        range=[len(frame) - 0.5, -0.5],
        autorange=False,
    )
    value_column(
        figure,
        frame["label"].tolist(),
        [_rate_text(rate, cls) for rate, cls in zip(frame["reach"], classes, strict=True)],
        RATE_WIDEST,
    )
    return label_demo(figure, statuses)


# As wide as the widest rate the ranking writes with a class, so that its column's margin is
# the same for every selection (``value_column``). A rate not compared, rare, widens it: sized
# for that, the column took 40 px more from a half-width card's plot.
RATE_WIDEST = "00.0% (similar)"


def _rate_text(rate: float, cls: str) -> str:
    return f"{formatting.format_percent(rate, 1)} ({cls})" if pd.notna(rate) else "not shown"
