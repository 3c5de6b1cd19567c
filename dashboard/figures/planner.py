"""Fair-share planner figures: current against fair share, the gap under each formula, and the
years each district takes to reach its fair share on the phased path."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.figures.common import (
    LABEL_SIZE,
    add_to_layout,
    district_rows,
    label_demo,
    money_ticks,
    set_properties,
    status_pattern,
    value_column,
    vertical_line,
)
from dashboard.theme import BACKGROUND, CATEGORICAL, MUTED_TEXT, TEXT

CURRENT_COLOUR, FAIR_COLOUR = CATEGORICAL[0], CATEGORICAL[1]
FORMULA_MARKERS = ("circle", "diamond", "square", "triangle-up")
NOTE_ROWS = 1  # the blank strip over a sensitivity chart's first district, in rows


def _pattern(status: str) -> dict:
    return {
        "shape": status_pattern(status),
        "fillmode": "overlay",
        "fgcolor": TEXT,
        "fgopacity": 0.3,
    }


def current_against_fair(
    frame: pd.DataFrame, *, statuses, highlight: Collection[str] = ()
) -> go.Figure:
    """Paired horizontal bars, current and fair share, the largest shortfall at the top.

    ``frame`` has code, name, current, fair, gap, gap_percent, current_status, fair_status
    (pounds). The gap is written in a column to the right (the formula is the subtitle's, which
    every image of the chart carries). The rows whose code is in ``highlight`` (the chosen
    locality's) are outlined (``district_rows``).
    """
    # The first row is drawn at the bottom. An area that gets nothing now has no percentage and
    # the largest shortfall of all: at the top, as the chart's title names it.
    rows = frame.sort_values("gap_percent", ascending=True, na_position="last")
    names = rows["name"].tolist()
    outlined = set(rows.loc[rows["code"].isin(highlight), "name"])
    figure = go.Figure()
    for column, label, colour, status_column in (
        ("fair", "Fair share", FAIR_COLOUR, "fair_status"),
        ("current", "Current allocation", CURRENT_COLOUR, "current_status"),
    ):
        status = "demo" if (rows[status_column] == "demo").any() else "modelled"
        figure.add_bar(
            y=names,
            x=rows[column],
            orientation="h",
            name=label,
            marker={"color": colour, "pattern": _pattern(status)},
            customdata=rows[[column]].map(formatting.format_money),
            hovertemplate=f"%{{y}}: {label.lower()} %{{customdata[0]}}<extra></extra>",
        )
    set_properties(
        figure.layout,
        barmode="group",
        xaxis={
            "title": "£ a year",
            "rangemode": "tozero",
            **money_ticks(rows[["current", "fair"]].max().max()),
        },
        height=max(280, 46 * len(names) + 90),
        margin={"t": 40, "b": 70},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "traceorder": "reversed"},
    )
    texts = [
        f"{formatting.format_money_change(gap)} ({formatting.format_change(pct)})"
        for gap, pct in zip(rows["gap"], rows["gap_percent"], strict=True)
    ]
    district_rows(figure, names, outlined=outlined)
    value_column(figure, names, texts)
    return label_demo(figure, statuses)


def sensitivity(
    frame: pd.DataFrame,
    *,
    formulas: list[tuple[str, str]],
    statuses,
    highlight: Collection[str] = (),
) -> go.Figure:
    """A row per district with one marker per formula at its gap (% of current); 0 is fair.

    Districts whose gap changes sign between formulas are written in bold and marked ⇄; those
    whose code is in ``highlight`` (the chosen locality's) are outlined, as on every ranking.
    """
    rows = frame.sort_values("name", ascending=False)
    labels = [
        f"<b>⇄ {name}</b>" if flipped else name
        for name, flipped in zip(rows["name"], rows["changes_sign"], strict=True)
    ]
    outlined = {
        label for label, code in zip(labels, rows["code"], strict=True) if code in highlight
    }
    figure = go.Figure()
    for index, (key, label) in enumerate(formulas):
        figure.add_scatter(
            y=labels,
            x=rows[f"gap_percent_{key}"],
            mode="markers",
            name=label,
            marker={
                "symbol": FORMULA_MARKERS[index % len(FORMULA_MARKERS)],
                "size": 13,
                "color": CATEGORICAL[index % len(CATEGORICAL)],
                "line": {"color": BACKGROUND, "width": 1},
            },
            customdata=rows[[f"gap_percent_{key}"]].map(formatting.format_change),
            hovertemplate=f"%{{y}}: {label} %{{customdata[0]}}<extra></extra>",
        )
    vertical_line(figure, 0, line={"color": TEXT, "width": 2})
    set_properties(
        figure.layout,
        xaxis={"title": "Gap: fair share minus current, % of current", "ticksuffix": "%"},
        height=max(360, 34 * (len(labels) + NOTE_ROWS) + 160),
        margin={"t": 40, "b": 80},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "title": {"text": "Formula: "}},
    )
    # A blank row's height over the first district holds the note on which side is which:
    # above the plot it shared the legend's band, and a slide's larger legend ran into it.
    district_rows(figure, labels, outlined=outlined, range=[-0.5, len(labels) - 0.5 + NOTE_ROWS])
    add_to_layout(
        figure,
        "annotations",
        [
            {
                "x": 0,
                "xref": "x",
                "y": len(labels) - 0.5 + NOTE_ROWS / 2,
                "yref": "y",
                "yanchor": "middle",
                "text": "← above fair share · below fair share →",
                "showarrow": False,
                "font": {"size": LABEL_SIZE, "color": MUTED_TEXT},
                "bgcolor": BACKGROUND,
            }
        ],
    )
    return label_demo(figure, statuses)


def years_to_fair_share(
    frame: pd.DataFrame,
    *,
    horizon: int,
    start_label: str,
    statuses,
    highlight: Collection[str] = (),
) -> go.Figure:
    """Horizontal bars of the years each district takes to come within tolerance of its fair
    share; a district not there within ``horizon`` years is drawn to the edge, hatched. Those
    whose code is in ``highlight`` (the chosen locality's) are outlined."""
    rows = frame.assign(
        shown=frame["years"].astype(float).fillna(horizon + 1),
        late=frame["years"].isna(),
    ).sort_values(["shown", "name"], ascending=[False, True])
    names = list(rows["name"])
    outlined = set(rows.loc[rows["code"].isin(highlight), "name"])
    figure = go.Figure()
    for late, label, colour in (
        (False, "Reaches its fair share", FAIR_COLOUR),
        (True, f"Not within {horizon} years", MUTED_TEXT),
    ):
        members = rows[rows["late"] == late]
        if members.empty:
            continue
        figure.add_bar(
            y=members["name"],
            x=members["shown"],
            orientation="h",
            name=label,
            marker={
                "color": colour,
                "pattern": {
                    "shape": "x" if late else "",
                    "fillmode": "overlay",
                    "fgcolor": BACKGROUND,
                },
            },
            customdata=members[["reached"]],
            hovertemplate="%{y}: %{customdata[0]}<extra></extra>",
        )
    set_properties(
        figure.layout,
        barmode="overlay",
        xaxis={"title": f"Years after {start_label}", "range": [0, horizon + 1.2], "dtick": 1},
        height=max(360, 34 * len(names) + 150),
        margin={"t": 40, "b": 80},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
    )
    district_rows(figure, names, outlined=outlined)
    value_column(figure, names, list(rows["reached"]))
    return label_demo(figure, statuses)
