"""Targets figures: bullet charts of actuals against targets, and new carers per quarter.

A bullet chart row has qualitative bands (under 90%, 90-99%, 100% and over of the target), a
bar for the actual coloured by its RAG status, a shape marking the same status at the bar's end,
and a vertical line for the target. Each row's title states the figures and the status in words.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.figures.common import (
    label_demo,
    panel_axes,
    panel_layout,
    panels,
    set_properties,
    status_pattern,
    with_headroom,
)
from dashboard.theme import BENCHMARK, CATEGORICAL, DIVERGING, GRID, SEQUENTIAL, TEXT

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
ROW_HEIGHT = 95


def bullet_chart(
    rows: pd.DataFrame,
    *,
    statuses,
    highlight: str | None = None,
) -> go.Figure:
    """One bullet per row of ``rows`` (label, actual, target, rag, rag_text, status, scale).

    ``actual`` NaN draws the target alone (no actuals recorded, or a suppressed count). Rows
    with the same ``scale`` share one axis range, so places can be compared on one measure.
    ``highlight`` is a label prefix whose row title is set in bold.
    """
    count = len(rows)
    figure = panels(
        count,
        spacing=min(0.5 / count, 0.25) if count > 1 else 0,
        titles=[_row_title(label, highlight) for label in rows["label"]],
    )
    limits = {scale: _limit(group) for scale, group in rows.groupby("scale", sort=False)}
    traces, shapes, axes, legend_seen = [], [], {}, set()
    for index, row in enumerate(rows.itertuples(), start=1):
        limit = limits[row.scale]
        shapes += _bands(index, row.target, limit)
        if not pd.isna(row.actual):
            traces += _actual(row, legend_seen, index)
        traces.append(_target(row, legend_seen, index))
        axes[panel_layout(index)[0]] = {"range": [0, limit], "tickformat": ","}
    figure.add_traces(traces)
    # Property by property (``set_properties``): ``update`` costs 10-30 ms a call here.
    for axis in figure.select_yaxes():
        set_properties(axis, range=[-0.5, 0.5], showticklabels=False, showgrid=False)
    for annotation in figure.layout.annotations:
        set_properties(annotation, x=0, xanchor="left", font={"size": 13, "color": TEXT})
    plot_height = ROW_HEIGHT * count
    set_properties(
        figure.layout,
        # The top margin is room for the first row's title above the plot area (it grew with
        # the rows, and left 50 px of blank above seven of them). Plotly widens the bottom one
        # as the legend below the plot needs.
        height=plot_height + 120,
        margin={"l": 20, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -50 / plot_height, "yanchor": "top"},
        barmode="overlay",
        bargap=0,
        shapes=shapes,
        **axes,
    )
    return label_demo(figure, statuses)


def _row_title(label: str, highlight: str | None) -> str:
    return f"<b>{label}</b>" if highlight and label.startswith(f"{highlight}:") else label


def _limit(rows: pd.DataFrame) -> float:
    """The axis end: room past the larger of the actual and the target."""
    largest = pd.concat([rows["actual"], rows["target"]]).max()
    return float(largest) * HEADROOM if largest and not pd.isna(largest) else 1.0


def _bands(index: int, target: float, limit: float) -> list[dict]:
    """Shaded rectangles behind row ``index``: under 90%, 90-99% and 100%+ of the target."""
    axes = panel_axes(index)
    return [
        {
            "type": "rect",
            "xref": axes["xaxis"],
            "yref": axes["yaxis"],
            "x0": low * target,
            "x1": limit if high is None else high * target,
            "y0": -0.4,
            "y1": 0.4,
            "fillcolor": colour,
            "line": {"width": 0},
            "layer": "below",
        }
        for low, high, colour in BANDS
    ]


def _target(row, legend_seen: set[str], panel: int) -> go.Scatter:
    shown = "target" not in legend_seen
    legend_seen.add("target")
    return go.Scatter(
        x=[row.target],
        y=[0],
        mode="markers",
        marker={"symbol": "line-ns", "size": 34, "line": {"width": 4, "color": TEXT}},
        name="Target",
        legendgroup="target",
        showlegend=shown,
        customdata=[formatting.format_count(row.target)],
        hovertemplate="Target: %{customdata}<extra></extra>",
        **panel_axes(panel),
    )


def _actual(row, legend_seen: set[str], panel: int) -> list[go.Bar | go.Scatter]:
    """The actual as a bar, and its RAG status as a shape at the bar's end, in ``panel``."""
    colour, symbol = RAG_STYLE[row.rag]
    bar = go.Bar(
        x=[row.actual],
        y=[0],
        orientation="h",
        width=0.3,
        marker={
            "color": colour,
            "line": {"color": TEXT, "width": 1},
            "pattern": {
                "shape": status_pattern(row.status),
                "fgcolor": TEXT,
                "fillmode": "overlay",
            },
        },
        name="Actual",
        legendgroup="actual",
        showlegend="actual" not in legend_seen,
        customdata=[[formatting.format_count(row.actual), row.rag_text]],
        hovertemplate="Actual: %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        **panel_axes(panel),
    )
    status = go.Scatter(
        x=[row.actual],
        y=[0],
        mode="markers",
        marker={
            "symbol": symbol,
            "size": 15,
            "color": colour,
            "line": {"color": TEXT, "width": 1.5},
        },
        name=row.rag_text,
        legendgroup=row.rag,
        showlegend=row.rag not in legend_seen,
        hovertemplate=f"{row.rag_text}<extra></extra>",
        **panel_axes(panel),
    )
    legend_seen.update({"actual", row.rag})
    return [bar, status]


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
        # A fixed range, so an event line can stop just above a bar's value (``mark_events``).
        yaxis={
            "title": "New carers identified",
            "tickformat": ",",
            "range": with_headroom(pd.to_numeric(frame["value"], errors="coerce")),
        },
        height=380,
        legend={"orientation": "h", "y": -0.25, "title": {"text": "Financial year: "}},
        margin={"t": 60},
    )
    # Kent with all care groups shows the published quarters, any other selection demo ones.
    return label_demo(figure, statuses, keep_band=True)
