"""Reading figures in tests."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.figures.common import DEMO_LABEL


def has_demo_mark(figure: go.Figure) -> bool:
    """Whether the figure carries the demo mark (``label_demo`` puts it in the layout title)."""
    return figure.layout.title.text == DEMO_LABEL
