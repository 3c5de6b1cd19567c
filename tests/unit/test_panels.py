"""Charts of several panels and reference lines look as Plotly's own helpers draw them.

``panels`` and ``vertical_line`` build in one step what ``make_subplots`` and ``add_vline`` build
slowly, and ``add_to_layout`` adds shapes and labels without checking again the ones there;
Plotly's own ways are the specification of what a chart must look like.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from dashboard.figures.common import (
    add_to_layout,
    panel_axes,
    panel_layout,
    panels,
    vertical_line,
)
from dashboard.figures.short_breaks import highlight_period

ORDER = ["2014/15", "2015/16", "2016/17"]


def _close(a, b) -> bool:
    """Equal, with fractions of the figure equal to a rounding error."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, abs_tol=1e-12)
    return a == b


@pytest.mark.parametrize(
    ("plotly_arguments", "arguments"),
    [
        (  # crisis referrals above the share of them: one period axis, unequal heights
            {"rows": 2, "shared_xaxes": True, "row_heights": [0.6, 0.4], "vertical_spacing": 0.06},
            {"count": 2, "spacing": 0.06, "sizes": [0.6, 0.4], "shared": True},
        ),
        (  # outcomes, one titled panel each
            {"rows": 3, "shared_xaxes": True, "vertical_spacing": 0.12, "subplot_titles": "abc"},
            {"count": 3, "spacing": 0.12, "shared": True, "titles": "abc"},
        ),
        (  # one outcome only
            {"rows": 1, "shared_xaxes": True, "vertical_spacing": 0.12, "subplot_titles": "a"},
            {"count": 1, "spacing": 0.12, "shared": True, "titles": "a"},
        ),
        (  # target bullets: each row its own scale
            {"rows": 5, "vertical_spacing": 0.1, "subplot_titles": "abcde"},
            {"count": 5, "spacing": 0.1, "titles": "abcde"},
        ),
        (  # 2009/10 providers: two measures side by side for the same rows
            {"cols": 2, "shared_yaxes": True, "horizontal_spacing": 0.04, "subplot_titles": "ab"},
            {"count": 2, "spacing": 0.04, "across": True, "shared": True, "titles": "ab"},
        ),
    ],
)
def test_panels_are_laid_out_as_make_subplots_lays_them_out(plotly_arguments, arguments):
    plotly_arguments = {"rows": 1, "cols": 1, **plotly_arguments}
    if "subplot_titles" in plotly_arguments:
        plotly_arguments["subplot_titles"] = list(plotly_arguments["subplot_titles"])
    expected = make_subplots(**plotly_arguments)
    figure = panels(**arguments)
    for panel in range(1, arguments["count"] + 1):
        row, col = (1, panel) if arguments.get("across") else (panel, 1)
        expected.add_bar(x=ORDER, y=[1, 2, 3], row=row, col=col)
        figure.add_bar(x=ORDER, y=[1, 2, 3], **panel_axes(panel))
    assert _close(figure.to_plotly_json(), expected.to_plotly_json())


def test_a_panels_axes_are_named_as_plotly_names_them():
    assert panel_axes(1) == {"xaxis": "x", "yaxis": "y"}
    assert panel_axes(3) == {"xaxis": "x3", "yaxis": "y3"}
    assert panel_layout(1) == ("xaxis", "yaxis")
    assert panel_layout(2) == ("xaxis2", "yaxis2")


def test_the_chosen_period_is_shaded_in_every_panel_of_a_panels_figure():
    figure = panels(2, spacing=0.1, shared=True)
    for panel in (1, 2):
        figure.add_bar(x=ORDER, y=[1, 2, 3], **panel_axes(panel))
    highlight_period(figure, ORDER, ["2015/16"], stacked=True)
    assert [(shape.xref, shape.yref) for shape in figure.layout.shapes] == [
        ("x", "y domain"),
        ("x2", "y2 domain"),
    ]


@pytest.mark.parametrize("label", [None, {"text": "Kent 12%", "font": {"size": 13}}])
def test_a_vertical_line_is_drawn_as_add_vline_draws_it_labelled_at_the_top(label):
    line = {"color": "#0B0C0C", "width": 2, "dash": "dash"}
    figure, expected = (
        go.Figure(go.Bar(x=[3, 5], y=["a", "b"], orientation="h")),
        go.Figure(go.Bar(x=[3, 5], y=["a", "b"], orientation="h")),
    )
    vertical_line(figure, 4, line=line, label=label)
    if label is None:
        expected.add_vline(x=4, line=line)
    else:
        expected.add_vline(x=4, line=line, annotation=label, annotation_position="top")
    assert figure.to_plotly_json() == expected.to_plotly_json()


def _labelled_figure() -> go.Figure:
    figure = go.Figure(go.Scatter(x=ORDER, y=[1, 2, 3]))
    figure.layout.annotations = [
        {"x": label, "y": 1, "text": f"{value}%", "showarrow": False, "yshift": 6}
        for value, label in enumerate(ORDER)
    ]
    figure.layout.shapes = [{"type": "line", "x0": 0, "x1": 1, "y0": 0, "y1": 1}]
    return figure


def test_items_added_to_a_layout_are_what_plotly_adds_checked_as_plotly_checks_them():
    shapes = [{"type": "rect", "x0": 0.5, "x1": 1.5, "y0": 0, "y1": 1, "fillcolor": "#eeeeee"}]
    annotations = ({"x": ORDER[1], "y": 1, "text": "▼ event", "font": {"size": 12}},)
    by_plotly, added = _labelled_figure(), _labelled_figure()
    by_plotly.layout.shapes += tuple(shapes)
    by_plotly.layout.annotations += annotations
    add_to_layout(added, "shapes", iter(shapes))
    add_to_layout(added, "annotations", annotations)
    add_to_layout(added, "annotations", ())

    assert added.to_plotly_json() == by_plotly.to_plotly_json()
    # Read back and changed afterwards as any other layout item: the figure checks again.
    added.layout.annotations[3].text = "changed"
    assert added.layout.annotations[3].text == "changed"
    with pytest.raises(ValueError, match="colour"):
        added.layout.shapes[0].colour = "red"
    with pytest.raises(ValueError, match="fontsize"):
        add_to_layout(added, "annotations", [{"x": 0, "y": 0, "fontsize": 12}])
    assert len(added.layout.annotations) == len(ORDER) + 1
