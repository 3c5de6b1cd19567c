"""A page's introduction: one line to read before the charts, the rest on request."""

from __future__ import annotations

from dash import html


def page_intro(lead: str, *more) -> list:
    """The one-sentence ``lead`` and, folded under "About this page", the paragraphs ``more``.

    A committee member reads one line before the first chart; the detail stays a click away.
    """
    parts: list = [html.P(lead, className="page-intro mb-1")]
    if more:
        paragraphs = [item if not isinstance(item, str) else html.P(item) for item in more]
        parts.append(
            html.Details(
                [html.Summary("About this page"), *paragraphs],
                className="page-about small mb-2",
            )
        )
    return parts
