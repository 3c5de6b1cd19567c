"""Data-quality figures: completeness of returns as a labelled heat map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import label_demo, set_properties
from dashboard.theme import SEQUENTIAL


def completeness_heatmap(table: pd.DataFrame, districts: list[str], *, statuses) -> go.Figure:
    """Series down (``series_name``: one row each), districts across, each cell labelled with
    its percentage."""
    values = table[districts].to_numpy()
    labels = [[f"{v:.0f}%" for v in row] for row in values]
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=districts,
            y=table["series_name"],
            zmin=0,
            zmax=100,
            colorscale=[[0, SEQUENTIAL[0]], [1, SEQUENTIAL[-1]]],
            text=labels,
            texttemplate="%{text}",
            hovertemplate="%{y}, %{x}: %{text} of quarters<extra></extra>",
            colorbar={"title": "% of quarters", "ticksuffix": "%"},
        )
    )
    set_properties(
        figure.layout,
        height=120 + 32 * len(table),
        xaxis={"tickangle": -35, "side": "top"},
        yaxis={"autorange": "reversed"},
        margin={"t": 110},
    )
    return label_demo(figure, statuses)
