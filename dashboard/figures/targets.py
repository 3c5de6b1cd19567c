"""Targets figures: bullet charts of actuals against targets, and new carers per quarter.

A bullet chart row has qualitative bands (under 90%, 90-99%, 100% and over of the target), a
bar for the actual coloured by its RAG status, a shape marking the same status at the bar's end,
and a vertical line for the target. Each row's title states the figures and the status in words.
"""

from __future__ import annotations

import itertools
import math

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.figures.common import (
    keep_height_on_slides,
    label_demo,
    panel_axes,
    panel_layout,
    panels,
    set_properties,
    status_pattern,
    tick_labels_width,
    value_axis,
    value_ticks,
    with_headroom,
)
from dashboard.theme import (
    BACKGROUND,
    BENCHMARK,
    CATEGORICAL,
    DIVERGING,
    GRID,
    SEQUENTIAL,
    TEXT,
)

# RAG status -> (Fingertips colour, marker shape): green better, amber similar, red worse.
RAG_STYLE = {
    "green": (BENCHMARK["better"], "circle"),
    "amber": (BENCHMARK["similar"], "diamond"),
    "red": (BENCHMARK["worse"], "x"),
    # A care group's part of a target set for all carers: not rated against it.
    "part": (SEQUENTIAL[2], "square"),
}
# Bands from darkest (furthest below target) to lightest, as in Stephen Few's bullet graph.
BANDS = ((0.0, 0.9, GRID), (0.9, 1.0, DIVERGING[2]), (1.0, None, SEQUENTIAL[0]))
HEADROOM = 1.15
# A row is a unit of its panel's y axis, this many pixels tall: the band fills the middle
# 60%, its title sits in the 40% above it (where the row before it ends).
ROW_PITCH = 70
BAND_HALF = 0.3
TITLE_ABOVE = 0.6  # how far above its first row's centre a panel reaches, for that row's title
BELOW_LAST = 0.35  # and below its last row's centre, just past the band
# A share-of-target chart's axis ends here at most: one target exceeded six times over (the
# 2013 new-carers target) left every other row in the first sixth of the width.
SHARE_AXIS_END = 200.0
SHARE_AXIS_TITLE = "Actual as a share of its target"
SHARE_CUT = f" (cut at {SHARE_AXIS_END:.0f}%: the row's title gives its share)"
LEGEND_BELOW = 50  # pixels from the plot's foot to the legend's top: the tick labels' room
AXIS_TITLE_ROOM = 36  # and the axis title's, where there is one (28 left it touching the legend)
# Pixels between panels, for the upper one's tick labels: room for them in a slide's larger
# type too (20 px, on a chart drawn up to 15% shorter: ``keep_height_on_slides``), where 30 px
# let them run under the title of the panel below.
PANEL_GAP = 44


def bullet_chart(
    rows: pd.DataFrame,
    *,
    statuses,
    highlight: str | None = None,
    share_of_target: bool = False,
) -> go.Figure:
    """One bullet per row of ``rows`` (label, actual, target, rag, rag_text, status, scale).

    ``actual`` NaN draws the target alone (no actuals recorded, or a suppressed count). Rows
    in a run with the same ``scale`` share one panel and one axis, so places are compared on
    one measure against one set of gridlines; rows of another scale get a panel of their own.
    ``share_of_target`` draws every row in one panel as its actual's share of its own target
    (targets of different measures: each at 100%, the RAG bands lined up), with the axis cut
    at ``SHARE_AXIS_END`` (a bar past it runs to the edge; its title gives the share).
    ``highlight`` is a label prefix whose row title is set in bold.
    """
    drawn = _drawn(rows, share_of_target)
    runs = [
        list(run) for _scale, run in itertools.groupby(drawn.itertuples(), lambda row: row.scale)
    ]
    sizes = [len(run) - 1 + TITLE_ABOVE + BELOW_LAST for run in runs]
    plot_height = ROW_PITCH * sum(sizes) + PANEL_GAP * (len(runs) - 1)
    figure = panels(len(runs), spacing=PANEL_GAP / plot_height, sizes=sizes)
    limits = {
        scale: _limit(group, SHARE_AXIS_END if share_of_target else None)
        for scale, group in drawn.groupby("scale", sort=False)
    }
    title_room = AXIS_TITLE_ROOM if share_of_target else 0
    traces, shapes, titles, axes, legend_seen = [], [], [], {}, set()
    widest = 0.0
    write = formatting.format_percent if share_of_target else formatting.format_short_count
    for panel, run in enumerate(runs, start=1):
        limit = limits[run[0].scale]
        x_axis, y_axis = panel_layout(panel)
        for place, row in enumerate(run):
            shapes += _bands(panel, place, row.goal, limit)
            titles.append(_row_title(row.label, highlight, panel, place))
        measured = [(place, row) for place, row in enumerate(run) if not pd.isna(row.actual)]
        traces += _actuals(measured, legend_seen, panel, limit)
        traces.append(_targets(list(enumerate(run)), legend_seen, panel))
        ticks = value_ticks(limit, write)
        widest = max(widest, tick_labels_width(ticks["ticktext"]))
        # Without Plotly's automatic margin (see ``value_axis``): the right margin holds half
        # the widest tick label, centred on the plot's right edge; the room between the
        # panels and above the legend holds the labels under them. Drawn whatever their
        # place: Plotly hides a label that reaches past the chart, and a slide's automatic
        # margin, which leaves hidden labels out, then left the larger "200%" out.
        axes[x_axis] = {
            "range": [0, limit],
            **ticks,
            "automargin": False,
            "ticklabeloverflow": "allow",
        }
        if share_of_target:
            cut = any(row.at > limit for row in run)
            axes[x_axis]["title"] = SHARE_AXIS_TITLE + (SHARE_CUT if cut else "")
        # Reversed, so the first row is on top; a row is one unit.
        axes[y_axis] = {
            "range": [len(run) - 1 + BELOW_LAST, -TITLE_ABOVE],
            "showticklabels": False,
            "showgrid": False,
            "zeroline": False,
            "automargin": False,
        }
    figure.add_traces([*traces, *_band_keys()])
    set_properties(
        figure.layout,
        # The top margin is the demo mark's band and a little air: each row's title is drawn
        # inside its panel. Plotly widens the bottom one as the legend below the plot needs,
        # out of the chart's height: so the height has room for it, and for an axis title
        # (a one-row chart's plot, squeezed, brought its legend up onto the title).
        height=plot_height + 100 + title_room,
        margin={"l": 20, "r": max(20, math.ceil(widest / 2)), "t": 40, "b": 40},
        legend={
            "orientation": "h",
            "y": -(LEGEND_BELOW + title_room) / plot_height,
            "yanchor": "top",
        },
        barmode="overlay",
        bargap=0,
        shapes=shapes,
        annotations=titles,
        **axes,
    )
    keep_height_on_slides(figure, plot=True)  # PANEL_GAP holds a slide's tick labels so
    return label_demo(figure, statuses)


def _row_title(label: str, highlight: str | None, panel: int, place: int) -> dict:
    """A row's title, just above its band, from the panel's left edge."""
    bold = highlight and label.startswith(f"{highlight}:")
    axes = panel_axes(panel)
    return {
        "text": f"<b>{label}</b>" if bold else label,
        "x": 0,
        "xref": f"{axes['xaxis']} domain",
        "xanchor": "left",
        "y": place - BAND_HALF - 0.02,
        "yref": axes["yaxis"],
        "yanchor": "bottom",
        "showarrow": False,
        # The chart's own type, as its tick labels: at 13 px a slide raised it to 16 under
        # tick labels of 20, so the sentence a meeting reads was the smallest text on the slide.
        "font": {"color": TEXT},
        "bgcolor": BACKGROUND,  # the gridlines pass behind the words, not through them
    }


def _drawn(rows: pd.DataFrame, share_of_target: bool) -> pd.DataFrame:
    """``rows`` with where each is drawn: the actual's bar end (``at``) and the target
    (``goal``), in its own units or, ``share_of_target``, in percent of its target (and every
    row on one scale)."""
    if not share_of_target:
        return rows.assign(at=rows["actual"], goal=rows["target"], shared=False)
    share = 100 * rows["actual"] / rows["target"]
    return rows.assign(at=share, goal=100.0, scale="share", shared=True)


def _limit(rows: pd.DataFrame, end: float | None) -> float:
    """The axis end: room past the larger of the actual and the target, at most ``end``."""
    largest = pd.concat([rows["at"], rows["goal"]]).max()
    limit = float(largest) * HEADROOM if largest and not pd.isna(largest) else 1.0
    return min(limit, end) if end else limit


def _bands(panel: int, place: int, target: float, limit: float) -> list[dict]:
    """Shaded rectangles behind the row at ``place`` of ``panel``: under 90%, 90-99% and
    100%+ of the target."""
    axes = panel_axes(panel)
    return [
        {
            "type": "rect",
            "xref": axes["xaxis"],
            "yref": axes["yaxis"],
            "x0": low * target,
            "x1": limit if high is None else high * target,
            "y0": place - BAND_HALF,
            "y1": place + BAND_HALF,
            "fillcolor": colour,
            "line": {"width": 0},
            "layer": "below",
        }
        for low, high, colour in BANDS
    ]


def _band_keys() -> list[go.Scatter]:
    """The shading behind the bars in the legend: without it the three shades were unexplained.
    Keys only (no points), each outlined so that the palest reads on the page."""
    words = ("Shading: under 90%", "90% to 99%", "100% or more")
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={
                "symbol": "square",
                "size": 15,
                "color": colour,
                "line": {"color": TEXT, "width": 1},
            },
            name=name,
            hoverinfo="skip",
        )
        for name, (_low, _high, colour) in zip(words, BANDS, strict=True)
    ]


def _targets(rows: list[tuple[int, object]], legend_seen: set[str], panel: int) -> go.Scatter:
    """The target of each row (``(place, row)``) of a panel: a vertical line across its band."""
    shown = "target" not in legend_seen
    legend_seen.add("target")
    return go.Scatter(
        x=[row.goal for _place, row in rows],
        y=[place for place, _row in rows],
        mode="markers",
        marker={"symbol": "line-ns", "size": 34, "line": {"width": 4, "color": TEXT}},
        name="Target",
        legendgroup="target",
        showlegend=shown,
        customdata=[formatting.format_count(row.target) for _place, row in rows],
        hovertemplate="Target: %{customdata}<extra></extra>",
        **panel_axes(panel),
    )


def _actuals(
    rows: list[tuple[int, object]], legend_seen: set[str], panel: int, limit: float
) -> list[go.Bar | go.Scatter]:
    """The actual of each row (``(place, row)``) of a panel as a bar, and its RAG status as a
    shape at the bar's end (at the axis end for a bar cut there).

    The bars of one status are one trace, and their shapes another: a trace for each row's
    bar, shape and target made the locality chart 24 traces (11 now), and Plotly works through
    each trace on every redraw. Not one trace of all the bars: coloured from a list, a bar's
    pattern is drawn in the colour contrasting with the bar's, not in ink.
    """
    drawn = []
    for rag in dict.fromkeys(row.rag for _place, row in rows):
        colour, symbol = RAG_STYLE[rag]
        rated = [(place, row) for place, row in rows if row.rag == rag]
        ends = [min(row.at, limit) for _place, row in rated]
        places = [place for place, _row in rated]
        drawn.append(
            go.Bar(
                x=ends,
                y=places,
                orientation="h",
                width=0.25,
                marker={
                    "color": colour,
                    "line": {"color": TEXT, "width": 1},
                    "pattern": {
                        "shape": [status_pattern(row.status) for _place, row in rated],
                        "fgcolor": TEXT,
                        "fillmode": "overlay",
                    },
                },
                name="Actual",
                legendgroup="actual",
                showlegend="actual" not in legend_seen,
                customdata=[[_actual_text(row), row.rag_text] for _place, row in rated],
                hovertemplate="Actual: %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
                **panel_axes(panel),
            )
        )
        drawn.append(
            go.Scatter(
                x=ends,
                y=places,
                mode="markers",
                marker={
                    "symbol": symbol,
                    "size": 15,
                    "color": colour,
                    "line": {"color": TEXT, "width": 1.5},
                },
                name=rated[0][1].rag_text,
                legendgroup=rag,
                showlegend=rag not in legend_seen,
                customdata=[row.rag_text for _place, row in rated],
                hovertemplate="%{customdata}<extra></extra>",
                cliponaxis=False,  # whole at the axis end, where a cut bar's shape is drawn
                **panel_axes(panel),
            )
        )
        legend_seen.update({"actual", rag})
    return drawn


def _actual_text(row) -> str:
    """The actual in words for its hover: with its share of the target on a shares chart."""
    actual = formatting.format_count(row.actual)
    if row.shared:
        return f"{actual} ({formatting.format_percent(row.at)} of the target)"
    return actual


def quarterly_bars(frame: pd.DataFrame, *, statuses) -> go.Figure:
    """One bar per quarter, a colour per financial year, each labelled with its value.

    A suppressed count ("<5") draws no bar; its label and hover say "<5".
    """
    figure = go.Figure()
    for colour, (year, rows) in zip(CATEGORICAL, frame.groupby("year", sort=False), strict=False):
        numbers = pd.to_numeric(rows["value"], errors="coerce")
        labels = [
            SUPPRESSED_TEXT if isinstance(v, str) else formatting.format_count(v)
            for v in rows["value"]
        ]
        status = rows["status"].iloc[0]
        figure.add_bar(
            x=rows["short_label"],
            y=numbers,
            name=year,
            marker={
                "color": colour,
                "pattern": {"shape": status_pattern(status), "fillmode": "overlay"},
            },
            text=labels,
            textposition="outside",
            customdata=labels,
            hovertemplate="%{x}: %{customdata} new carers<extra>" + year + "</extra>",
        )
    set_properties(
        figure.layout,
        xaxis={
            "title": "Quarter",
            "categoryorder": "array",
            "categoryarray": list(frame["short_label"]),
        },
        height=380,
        legend={"orientation": "h", "y": -0.25, "title": {"text": "Financial year: "}},
        margin={"t": 60},
    )
    # A fixed range, so an event line can stop just above a bar's value (``mark_events``).
    highest = with_headroom(pd.to_numeric(frame["value"], errors="coerce"))[1]
    value_axis(figure, highest, title="New carers identified", range=[0, highest])
    # Kent with all care groups shows the published quarters, any other selection demo ones.
    return label_demo(figure, statuses, keep_band=True)
