"""A folded section of secondary charts ("More detail"), drawn only while it is open.

Folded charts are not on screen, so a filter change does not draw them: the page repaints
only what the reader sees. Opening the section draws its charts for the current filters;
while it stays open, every filter change redraws them with the rest of the page. The browser
decides when to ask (``foldRequest`` in assets/view.js): a filter change while the section is
folded sends no request, unless it holds the charts of an earlier selection, which then go.
"""

from __future__ import annotations

from dash import dcc, html
from dash.development.base_component import Component

from dashboard.components.chart_card import FETCHED_DISCLOSURE_CLASS
from dashboard.components.updating import updating
from dashboard.filters import ViewControl

FOLD_STATES = ("open", "closed")


def fold_control(parameter: str, fold_id: str) -> ViewControl:
    """A "More detail" section's state kept in the link (``detail=open``), closed by default."""
    return ViewControl(parameter, fold_id, "More detail", "closed", FOLD_STATES, prop="open")


FOLDED_CLASS = "folded-charts"
# What the placeholder says (assets/style.css shows one; a closed section shows neither): on
# screen, once opened, while the charts are fetched; on paper, where printing opened it too
# late for them.
OPENING_TEXT = "Drawing the charts…"
PRINTED_TEXT = (
    "These charts were not drawn when this page was printed: open “More detail” on screen, "
    "then print again to include them."
)


def more_detail(
    summary: str, fold_id: str, charts_id: str, request_id: str, *, open_: bool = False
) -> html.Details:
    """The native disclosure ``fold_id`` (keyboard and screen readers open it like any other)
    titled ``summary``, its charts to be drawn into ``charts_id`` for what the store
    ``request_id`` asks (``foldRequest``); open to begin with if ``open_`` (a link to the page
    as it was shown with the section open)."""
    return html.Details(
        [
            html.Summary(summary),
            dcc.Store(id=request_id),
            updating(html.Div(folded(), id=charts_id, className="mt-2")),
        ],
        id=fold_id,
        open=open_,
        className=f"more-detail {FETCHED_DISCLOSURE_CLASS} mb-3",
    )


def folded() -> Component:
    """What a folded section holds until it is opened."""
    return html.P(
        [
            html.Span(OPENING_TEXT, className="when-opening", role="status"),
            html.Span(PRINTED_TEXT, className="when-printed"),
        ],
        className=f"{FOLDED_CLASS} small text-muted mb-0",
    )
