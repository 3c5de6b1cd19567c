"""Reading figures in tests."""

from __future__ import annotations

import json

import plotly.graph_objects as go

from dashboard.figures.common import DEMO_LABEL
from dashboard.theme import TEXT


def has_demo_mark(figure: go.Figure) -> bool:
    """Whether the figure carries the demo mark (``label_demo`` puts it in the layout title)."""
    return figure.layout.title.text == DEMO_LABEL


def outlines_shown(figure: go.Figure) -> list:
    """The outlines ``outline_shapes`` gave and left shown: each is a dark line (the theme's text
    colour) in a white band, two shapes, and counted once."""
    return [shape for shape in figure.layout.shapes if shape.opacity and shape.line.color == TEXT]


def outlined_rows(figure: go.Figure) -> list[str]:
    """The names of the rows ``district_rows`` outlined, in the axis's order."""
    names = list(figure.layout.yaxis.categoryarray)
    return [names[round(shape.y0 + 0.5)] for shape in outlines_shown(figure) if shape.yref == "y"]


def figure_but_outline_opacity(figure: go.Figure) -> dict:
    """The figure as JSON, every shape kept but without its opacity: what a change of the
    rows outlined leaves as it was."""
    drawn = json.loads(figure.to_json())
    for shape in drawn["layout"].get("shapes", []):
        shape.pop("opacity", None)
    return drawn
