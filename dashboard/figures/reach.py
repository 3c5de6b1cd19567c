"""Reach figures: the funnel plot of reach rate against carers, and the ranked bars.

Comparison classes use the Fingertips colours and are also written in words (text labels and
marker shapes), so nothing relies on colour alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.figures.common import label_demo, status_pattern
from dashboard.theme import BENCHMARK, CATEGORICAL, MUTED_TEXT, TEXT

CLASS_SYMBOLS = {
    "better": "triangle-up",
    "similar": "circle",
    "worse": "triangle-down",
    "lower": "triangle-down",
    "higher": "triangle-up",
    "not compared": "circle-open",
}
LIMIT_STYLES = {"95": ("95% limits", "dash"), "998": ("99.8% limits", "dot")}
HIGHLIGHT_MARK = "▸ "


def label_map_demo(figure: go.Figure, statuses) -> go.Figure:
    """The demo label on a map, with room above the map for it."""
    labelled = label_demo(figure, statuses)
    if "demo" in statuses:
        labelled.update_layout(margin={"t": 40})
        labelled.layout.annotations[-1].update(y=1.0, yanchor="bottom")
    return labelled


def _class_of(value: object) -> str:
    return "not compared" if pd.isna(value) else str(value)


def funnel(
    frame: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    kent_rate: float,
    highlight: set[str],
    statuses,
) -> go.Figure:
    """Districts as points (reach % against carers) inside 95% and 99.8% limits around Kent.

    ``frame`` has code, name, carers_2021, supported, reach, reach_comparison (reach in %);
    ``limits`` is :func:`dashboard.stats.proportion_funnel` output (proportions 0-1).
    Traces: the Kent line, four limit lines, then one point trace per comparison class.
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
    classes = frame["reach_comparison"].map(_class_of)
    for cls in CLASS_SYMBOLS:
        members = frame[(classes == cls) & frame["reach"].notna()]
        if members.empty:
            continue
        chosen = members["code"].isin(highlight)
        figure.add_scatter(
            x=members["carers_2021"],
            y=members["reach"],
            mode="markers+text",
            name=cls.capitalize(),
            text=[
                (HIGHLIGHT_MARK if pick else "") + name
                for name, pick in zip(members["name"], chosen, strict=True)
            ],
            textposition=_label_positions(members, frame),
            textfont={"size": 11},
            marker={
                "symbol": CLASS_SYMBOLS[cls],
                "size": [16 if pick else 11 for pick in chosen],
                "color": BENCHMARK[cls] if cls != "not compared" else MUTED_TEXT,
                "line": {"color": TEXT, "width": [3 if pick else 1 for pick in chosen]},
            },
            customdata=[
                [
                    formatting.format_percent(rate, 1),
                    formatting.format_count(carers),
                    formatting.format_count(supported),
                ]
                for rate, carers, supported in zip(
                    members["reach"], members["carers_2021"], members["supported"], strict=True
                )
            ],
            hovertemplate=(
                "<b>%{text}</b><br>Reach %{customdata[0]}<br>Carers %{customdata[1]}"
                "<br>Supported %{customdata[2]}<extra>" + cls + " than Kent</extra>"
            ).replace("similar than", "similar to"),
        )
    figure.update_layout(
        xaxis={"title": "Unpaid carers (Census 2021)", "tickformat": ",~r"},
        yaxis={"title": "Reach rate (%)", "ticksuffix": "%", "rangemode": "tozero"},
        height=440,
        legend={"orientation": "h", "y": -0.22},
    )
    return label_demo(figure, statuses)


def _label_positions(members: pd.DataFrame, frame: pd.DataFrame) -> list[str]:
    """Labels alternate above and below the points in order of x, so neighbours do not collide."""
    order = frame["carers_2021"].rank(method="first").astype(int)
    ranks = order.loc[members.index]
    return ["top center" if rank % 2 else "bottom center" for rank in ranks]


def ranked_bars(
    frame: pd.DataFrame, *, kent_rate: float, highlight: set[str], statuses
) -> go.Figure:
    """Horizontal bars of reach, highest first, with interval whiskers and the Kent line.

    ``frame`` is sorted as it should be drawn and has name, code, reach, reach_lower,
    reach_upper, reach_comparison. One bar trace per comparison class (for the legend).
    """
    figure = go.Figure()
    classes = frame["reach_comparison"].map(_class_of)
    labels = [
        (f"<b>{HIGHLIGHT_MARK}{name}</b>" if code in highlight else name)
        for name, code in zip(frame["name"], frame["code"], strict=True)
    ]
    frame = frame.assign(label=labels)
    status = statuses[-1] if statuses else "published"
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
                    "shape": status_pattern(status),
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
            text=[
                f"{formatting.format_percent(rate, 1)} ({cls})" if pd.notna(rate) else "not shown"
                for rate in members["reach"]
            ],
            textposition="inside",
            insidetextanchor="start",
            customdata=[
                [formatting.format_percent(lo, 1), formatting.format_percent(hi, 1)]
                for lo, hi in zip(members["reach_lower"], members["reach_upper"], strict=True)
            ],
            hovertemplate=(
                "%{y}: %{text}<br>Interval %{customdata[0]} to %{customdata[1]}<extra></extra>"
            ),
        )
    figure.add_vline(
        x=kent_rate,
        line={"color": CATEGORICAL[4], "width": 2, "dash": "dash"},
        annotation={
            "text": f"Kent {formatting.format_percent(kent_rate, 1)}",
            "yanchor": "bottom",
        },
        annotation_position="top",
    )
    figure.update_layout(
        barmode="overlay",
        xaxis={"title": "Reach rate (%)", "ticksuffix": "%", "rangemode": "tozero"},
        yaxis={
            "categoryorder": "array",
            "categoryarray": frame["label"].tolist(),
            "autorange": "reversed",
            "title": "",
        },
        height=460,
        margin={"r": 110, "t": 40},
        legend={"orientation": "h", "y": -0.18},
    )
    return label_demo(figure, statuses)
