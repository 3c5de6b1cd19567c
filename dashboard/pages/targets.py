"""Targets: performance against the 2013 contract's targets, by locality, with RAG status."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.components.intro import page_intro
from dashboard.components.updating import updating
from dashboard.filters import ViewControl, view_values
from dashboard.views.targets import RAG_RULE, TARGET_CHOICES

VIEW_CONTROLS = (
    ViewControl(
        "target",
        ids.TARGETS_MEASURE,
        "target",
        TARGET_CHOICES[0][0],
        tuple(slug for slug, _ in TARGET_CHOICES),
    ),
)

dash.register_page(
    __name__,
    path="/targets",
    name="Targets",
    title="Targets · Kent Carers Commissioning Dashboard",
    description=(
        "Each 2013 locality's contract targets against actuals, with a red, amber or green "
        "status in words, and new carers identified per quarter as published."
    ),
    order=60,
    nav=True,
    view_controls=VIEW_CONTROLS,
)

RAG_KEY = (
    ("●", "Green: met", "the actual is at least 100% of the target for the period."),
    ("◆", "Amber: 90–99% of target", "from 90% to under 100%."),
    ("✖", "Red: under 90% of target", "below 90%."),
    ("│", "Target", "the vertical line; shaded bands mark under 90%, 90–99% and 100% and over."),
    ("", "No actuals recorded", "the target is shown without a bar: no returns exist for it."),
)


def layout(**query) -> html.Div:
    values, _ = view_values(query, VIEW_CONTROLS)
    return html.Div(
        [
            html.H1("Targets: performance against the 2013 contract", className="h3"),
            *page_intro(
                "The 2013 contract's targets against actuals, with a red/amber/green status.",
                "The 2013 Carers' Assessment and Support contract set minimum numbers for Kent "
                "and each of its six localities: three totals for April 2013 to March 2016 and "
                "per-year targets from April 2014. Each target is shown as published beside the "
                "actuals it measures. Without a period filter the per-year targets are compared "
                "with 2015/16, the last contract year with targets.",
                RAG_RULE,
                _rag_key(),
            ),
            updating(html.Div(id=ids.TARGETS_CHARTS)),
            html.Div(
                [
                    dbc.Label(
                        "Target to compare across localities",
                        html_for=ids.TARGETS_MEASURE,
                        className="filter-label",
                    ),
                    dbc.Select(
                        id=ids.TARGETS_MEASURE,
                        options=[{"label": label, "value": slug} for slug, label in TARGET_CHOICES],
                        value=values["target"],
                    ),
                ],
                className="mb-2",
                style={"maxWidth": "28rem"},
            ),
            updating(html.Div(id=ids.TARGETS_LOCALITY_CHART)),
            updating(html.Div(id=ids.TARGETS_NEW_CARERS)),
        ]
    )


def _rag_key() -> html.Ul:
    """The key to the bullet charts' marks and statuses."""
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(glyph, className="me-1", **{"aria-hidden": "true"}),
                    html.Strong(name),
                    f": {meaning}",
                ]
            )
            for glyph, name, meaning in RAG_KEY
        ],
        className="status-legend targets-key",
        **{"aria-label": "Key to the RAG status"},
    )
