"""Data-status markers and the legend every chart and table shares."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.theme import STATUS_DESCRIPTIONS, STATUS_STYLE


def status_badge(status: str) -> html.Span:
    """A marker glyph plus the status in words, so status never rests on colour alone."""
    style = STATUS_STYLE[status]
    return html.Span(
        [
            html.Span(style["glyph"], className="status-glyph", **{"aria-hidden": "true"}),
            style["label"],
        ],
        className=f"status-badge status-{status}",
        title=STATUS_DESCRIPTIONS[status],
    )


LEGEND_TITLE = "Data status"


def status_names() -> str:
    """Every status in the legend's order, as a list inside a sentence ("A, B or C")."""
    labels = [style["label"] for style in STATUS_STYLE.values()]
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


def status_legend() -> html.Div:
    """The legend of every status with a one-line meaning each."""
    items = [
        html.Li([status_badge(status), html.Span(f" {STATUS_DESCRIPTIONS[status]}")])
        for status in STATUS_STYLE
    ]
    return html.Div(
        [html.H2(LEGEND_TITLE, className="h6 mb-1"), html.Ul(items, className="status-legend")],
        className="status-legend-box",
        role="note",
        **{"aria-label": "Data status legend"},
    )


def demo_banner() -> dbc.Alert:
    """The notice that demonstration data is mixed with published figures."""
    return dbc.Alert(
        [
            status_badge("demo"),
            " figures are synthetic, calibrated to published totals: not real activity, "
            "never to be quoted.",
        ],
        color="warning",
        className="demo-banner",
    )
