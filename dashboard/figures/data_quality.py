"""Data-quality figures: completeness of returns as a labelled heat map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import (
    DENSE_TICKS,
    LABEL_SIZE,
    label_demo,
    readable_heatmap,
    set_properties,
)
from dashboard.theme import SEQUENTIAL


def completeness_heatmap(table: pd.DataFrame, districts: list[str], *, statuses) -> go.Figure:
    """Series down (``series_name``: one row each), districts across, each cell labelled with
    its percentage."""
    values = table[districts].to_numpy()
    labels = [[f"{v:.0f}%" for v in row] for row in values]
    figure = go.Figure()
    readable_heatmap(
        figure,
        z=values.tolist(),
        x=districts,
        y=list(table["series_name"]),
        zmin=0,
        zmax=100,
        colours=(SEQUENTIAL[0], SEQUENTIAL[-1]),
        text=labels,
        hovertemplate="%{y}, %{x}: %{customdata} of quarters<extra></extra>",
        # Beside the scale: above it, the title touched the "100%" at the scale's top.
        colorbar={"title": {"text": "% of quarters", "side": "right"}, "ticksuffix": "%"},
        # A set size, which a slide raises to its smallest type: Plotly's own fitted the cells
        # at 13 px on a slide.
        font={"size": LABEL_SIZE},
    )
    set_properties(
        figure.layout,
        height=120 + 32 * len(table),
        xaxis={"tickangle": -35, "side": "top", "tickfont": DENSE_TICKS},
        yaxis={"autorange": "reversed", "tickfont": DENSE_TICKS},
        margin={"t": 110},
    )
    return label_demo(figure, statuses)
