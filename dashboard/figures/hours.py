"""Hours of caring figure: each district's carers split by weekly hours band, stacked to 100%."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.figures.common import (
    district_rows,
    set_properties,
    value_column,
)
from dashboard.theme import SEQUENTIAL, text_colour_on


def hours_bands(
    frame: pd.DataFrame, *, bands: list[tuple[str, str]], highlight: set[str]
) -> go.Figure:
    """Stacked horizontal bars of each band's share of the district's carers (Kent last, at the
    bottom); the 50+ hours share and its change from 2011 are written beside each bar.

    ``frame`` has code, name and <band>_share, <band>_change for each band key in ``bands``.
    """
    rows = frame.iloc[::-1]
    labels = rows["name"].tolist()
    figure = go.Figure()
    colours = SEQUENTIAL[1:]
    for (band, words), colour in zip(bands, colours, strict=True):
        figure.add_bar(
            y=labels,
            x=rows[f"{band}_share"],
            orientation="h",
            name=words,
            marker={"color": colour},
            text=[formatting.format_percent(v) for v in rows[f"{band}_share"]],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": text_colour_on(colour)},
            hovertemplate=f"%{{y}}: %{{x:.1f}}% care {words} a week<extra></extra>",
        )
    heavy = bands[-1][0]
    texts = [
        f"50+: {formatting.format_change(change)} since 2011" for change in rows[f"{heavy}_change"]
    ]
    set_properties(
        figure.layout,
        barmode="stack",
        xaxis={
            "title": "Share of the district's unpaid carers (%)",
            "ticksuffix": "%",
            "range": [0, 100],
        },
        height=max(380, 32 * len(labels) + 150),
        margin={"t": 40, "b": 70},
        legend={
            "orientation": "h",
            "y": 1.02,
            "yanchor": "bottom",
            "title": {"text": "Hours a week: "},
            "traceorder": "normal",
        },
        uniformtext={"minsize": 12, "mode": "hide"},
    )
    district_rows(figure, labels, outlined=set(rows.loc[rows["code"].isin(highlight), "name"]))
    value_column(figure, labels, texts)
    return figure
