"""Overview: headline figures for the current filters, with links into each page."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components.updating import updating

dash.register_page(
    __name__,
    path="/",
    name="Overview",
    title="Overview · Kent Carers Commissioning Dashboard",
    description="Headline funding, carers, reach and short-break figures for Kent.",
    order=0,
    nav=True,
)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1("Overview", className="h3"),
            html.P(id=ids.OVERVIEW_SUMMARY, className="lead-summary", **{"aria-live": "polite"}),
            updating(dbc.Row(id=ids.OVERVIEW_CARDS, className="g-3")),
            html.H2("Explore", className="h4 mt-4"),
            html.Ul(_page_links(), className="page-links"),
        ]
    )


def _page_links() -> list[html.Li]:
    """A link to every other page with its description, from the page registry."""
    pages = sorted(
        (p for p in dash.page_registry.values() if p.get("nav") and p["path"] != "/"),
        key=lambda p: p.get("order", 99),
    )
    return [
        html.Li(
            [
                dcc.Link(page["name"], href=page["path"], id=ids.page_link(page["path"])),
                html.Span(f": {page['description']}"),
            ]
        )
        for page in pages
    ]
