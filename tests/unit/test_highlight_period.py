"""The chosen period is shaded behind every panel of a short-breaks chart, and said in words."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.short_breaks import highlight_period

ORDER = ["2014/15", "2015/16", "2016/17"]


def _panels(rows: int) -> go.Figure:
    figure = make_subplots(rows=rows, cols=1, shared_xaxes=True)
    for row in range(1, rows + 1):
        figure.add_trace(go.Bar(x=ORDER, y=[1, 2, 3]), row=row, col=1)
    return figure


def test_each_stacked_panel_is_shaded_behind_the_chosen_year_as_add_vrect_would():
    figure, expected = _panels(2), _panels(2)
    highlight_period(figure, ORDER, ["2015/16"], stacked=True)
    expected.add_vrect(
        x0=0.5,
        x1=1.5,
        fillcolor=figure.layout.shapes[0].fillcolor,
        opacity=0.6,
        layer="below",
        line_width=0,
        row="all",
        col=1,
    )
    assert [shape.to_plotly_json() for shape in figure.layout.shapes] == [
        shape.to_plotly_json() for shape in expected.layout.shapes
    ]
    (label,) = figure.layout.annotations
    assert (label.text, label.x, label.yref) == ("Selected", "2015/16", "paper")


def test_a_single_chart_gets_one_shade_and_a_missing_year_none():
    figure = go.Figure(go.Bar(x=ORDER, y=[1, 2, 3]))
    highlight_period(figure, ORDER, ["2016/17"])
    (shade,) = figure.layout.shapes
    assert (shade.xref, shade.yref, shade.x0, shade.x1) == ("x", "y domain", 1.5, 2.5)
    assert figure.layout.annotations[0].xanchor == "right"
    untouched = go.Figure(go.Bar(x=ORDER, y=[1, 2, 3]))
    highlight_period(untouched, ORDER, ["2030/31"])
    assert not untouched.layout.shapes and not untouched.layout.annotations
