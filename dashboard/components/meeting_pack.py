"""The meeting pack control: one button, a progress bar while it builds, two downloads."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.meeting_pack import PAGES


def meeting_pack_panel() -> html.Section:
    """Make the meeting pack for the current filters (built in the background)."""
    return html.Section(
        [
            html.H2("Meeting pack", className="h6 mb-1"),
            html.P(
                f"One PDF of the charts of {_page_names()} for the current filters (a cover, "
                "then one chart a page with its description, source and table, then the "
                "data-quality tables) and a ZIP of the charts as PNGs.",
                className="small mb-2",
            ),
            html.Button(
                "Make the meeting pack",
                id=ids.MEETING_PACK_BUTTON,
                type="button",
                className="btn btn-outline-primary btn-sm me-2",
            ),
            html.Progress(
                id=ids.MEETING_PACK_PROGRESS,
                value="0",
                max="1",
                className="align-middle me-2",
                **{"aria-label": "Meeting pack progress"},
            ),
            html.Span(
                id=ids.MEETING_PACK_STATUS,
                className="small",
                role="status",
                **{"aria-live": "polite"},
            ),
            html.Span(id=ids.MEETING_PACK_RESULT, className="small ms-2"),
            dcc.Download(id=ids.MEETING_PACK_PDF),
            dcc.Download(id=ids.MEETING_PACK_ZIP),
        ],
        className="meeting-pack mb-3",
        **{"aria-label": "Meeting pack"},
    )


def _page_names() -> str:
    """The pages the pack holds, named: it is offered on every page, the overview, decisions
    and "since the last meeting" included, which it does not hold ("every chart" said so)."""
    *others, last = [page.name for page in PAGES.values()]
    return f"the {', '.join(others)} and {last} pages"
