"""Figure conventions shared by every chart: status markers and the demo label."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.theme import DEMO_PATTERN, MUTED_TEXT, STATUS_STYLE

DEMO_LABEL = "DEMO DATA: not real activity"


def label_demo(figure: go.Figure, statuses) -> go.Figure:
    """Return a copy of ``figure`` with a visible demo label when any shown figure is demo."""
    labelled = go.Figure(figure)
    if "demo" in statuses:
        labelled.add_annotation(
            text=DEMO_LABEL,
            xref="paper",
            yref="paper",
            x=1,
            y=1.08,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font={"size": 12, "color": MUTED_TEXT},
            bordercolor=MUTED_TEXT,
            borderwidth=1,
            borderpad=3,
        )
    return labelled


def status_symbol(status: str) -> str:
    return STATUS_STYLE[status]["symbol"]


def status_pattern(status: str) -> str:
    """Demo bars are hatched so they read as demo without colour."""
    return DEMO_PATTERN if status == "demo" else ""
