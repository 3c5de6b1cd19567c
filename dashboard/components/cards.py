"""Cards: headline figures with their provenance and a small trend line."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import formatting, ids
from dashboard.components.chart_card import (
    FETCHED_DISCLOSURE_CLASS,
    TABLE_PLACEHOLDER,
    origin_slot,
    plain_json,
    slot,
)
from dashboard.components.status import status_badge
from dashboard.figures.common import LABEL_SIZE
from dashboard.theme import BACKGROUND, STATUS_STYLE, TEXT, halo
from dashboard.views.overview import Headline

SPARKLINE_HEIGHT = 110  # pixels; as .sparkline in assets/style.css


def sparkline_figure(headline: Headline) -> go.Figure:
    """A minimal trend line, one marker shape per status so demo years read as demo, with the
    first and last years' values written at its ends."""
    trend = headline.trend
    # Built in one go: each add_scatter or update_layout on a growing figure costs a few ms more.
    traces = [
        go.Scatter(
            x=trend["label"],
            y=trend["value"],
            mode="lines",
            line={"width": 2},
            hoverinfo="skip",
            showlegend=False,
        )
    ]
    for status, rows in trend.groupby("status", sort=False):
        style = STATUS_STYLE[status]
        traces.append(
            go.Scatter(
                x=rows["label"],
                y=rows["value"],
                mode="markers",
                marker={"symbol": style["symbol"], "size": 7, "color": style["colour"]},
                name=style["label"],
                showlegend=False,
                hovertemplate="%{x}: %{y:,.0f} (" + style["label"] + ")<extra></extra>",
            )
        )
    # The first and last years' values written at the ends, so the trend reads without hovering:
    # each on the side of its point away from the line's next (or previous) point. A chosen
    # period's year is ringed and written too: a slide of 2022/23 showed "2024/25: £1.82m" beside
    # the card's £1.79m, with nothing saying which point the card's figure was.
    unit = _trend_unit(headline)

    def label(row, above: bool, anchor: str) -> dict:
        return {
            "x": row["label"],
            "y": row["value"],
            "text": f"{row['label']}: {formatting.format_value(row['value'], unit)}",
            "showarrow": False,
            "xanchor": anchor,
            "yanchor": "bottom" if above else "top",
            "yshift": 5 if above else -5,
            "font": {"size": LABEL_SIZE, "color": TEXT, "shadow": halo(BACKGROUND)},
        }

    first, last = trend.iloc[0], trend.iloc[-1]
    sides = {
        "left": first["value"] >= trend.iloc[1]["value"],  # above, where the line is not
        "right": last["value"] >= trend.iloc[-2]["value"],
    }
    labels = [(first, sides["left"], "left"), (last, sides["right"], "right")]
    chosen = [i for i, p in enumerate(trend["period"]) if p == headline.chosen_year]
    if chosen and 0 < chosen[0] < len(trend) - 1:
        row = trend.iloc[chosen[0]]
        # On the other side from the nearer end's label, which it would otherwise run into.
        nearer = "left" if chosen[0] < len(trend) / 2 else "right"
        labels.append((row, not sides[nearer], "center"))
        traces.append(
            go.Scatter(
                x=[row["label"]],
                y=[row["value"]],
                mode="markers",
                marker={"symbol": "circle-open", "size": 14, "color": TEXT, "line": {"width": 2}},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    # A hidden count (under 5) is a gap, and "<5" in the table.
    annotations = [label(*each) for each in labels if not pd.isna(each[0]["value"])]
    return go.Figure(
        data=traces,
        layout={
            "annotations": annotations,
            "height": SPARKLINE_HEIGHT,
            "margin": {"l": 0, "r": 0, "t": 22, "b": 22},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
        },
    )


def _trend_unit(headline: Headline) -> str:
    return "gbp" if headline.key == "investment" else "count"


def headline_card(headline: Headline, origin: dict, source: str) -> dbc.Card:
    """A headline figure with period, source, status, change and trend (and its table).

    ``origin`` is the signed name of the overview result the headline came from, which opening
    "Trend as a table" sends back to fetch the table. ``source`` names the chart source the card
    is drawn from; its parts are the card's slots.
    """
    top = [html.H2(headline.title, className="h6 card-title")]
    if headline.care_group_line:
        top.append(html.P(headline.care_group_line, className="headline-care-group small mb-1"))
    top.append(html.P(headline.value_text, className="headline-value mb-0"))
    if headline.detail:
        top.append(html.P(headline.detail, className="headline-detail mb-1"))
    meta = [html.Span(headline.period_label, className="me-2")]
    if headline.status:
        meta.append(status_badge(headline.status))
    top.append(html.P(meta, className="headline-meta mb-1"))
    if headline.change_text:
        top.append(html.P(headline.change_text, className="headline-change mb-1"))
    if headline.note:
        top.append(html.P(headline.note, className="headline-note mb-1"))
    body = [html.Div(top, id=slot(source, headline, "head"))]
    below = []
    if headline.trend is not None and len(headline.trend) > 1:
        body.append(
            html.Div(
                dcc.Graph(
                    figure=plain_json(sparkline_figure(headline)),
                    config={"displayModeBar": False, "staticPlot": True},
                    className="sparkline",
                    id=slot(source, headline, "figure"),
                ),
                **{"aria-hidden": "true"},
            )
        )
        # Not in a slot: it stays mounted, so a trend table left open stays open.
        body.append(_trend_details(headline, origin, source))
    below.append(html.P(["Source: ", headline.citation], className="headline-source small mb-0"))
    if headline.href:
        below.append(dbc.CardLink("More detail", href=headline.href, className="small"))
    body.append(html.Div(below, id=slot(source, headline, "body")))
    return dbc.Card(dbc.CardBody(body), className="headline-card h-100")


def _trend_details(headline: Headline, origin: dict, source: str) -> html.Details:
    """The disclosure whose opening fetches the trend table (as a chart card's table)."""
    return html.Details(
        [
            html.Summary("Trend as a table"),
            html.Div(
                html.Div(TABLE_PLACEHOLDER, id=ids.chart_part(ids.TABLE_TYPE, headline.key)),
                id=slot(source, headline, "table"),
            ),
            origin_slot(headline, origin, source),
        ],
        id=ids.chart_part(ids.TABLE_DISCLOSURE_TYPE, headline.key),
        className=f"small {FETCHED_DISCLOSURE_CLASS}",
    )


def trend_table(headline: Headline) -> html.Table:
    """The headline's trend, year by year, with each value's status."""
    rows = [
        html.Tr(
            [
                html.Th(row.label, scope="row"),
                html.Td(
                    formatting.format_value(
                        row.value,
                        _trend_unit(headline),
                        qualifier=row.qualifier or None,
                        suppressed=getattr(row, "hidden", False),
                    )
                ),
                html.Td(status_badge(row.status)),
            ]
        )
        for row in headline.trend.itertuples()
    ]
    return html.Table(
        [
            html.Caption(f"{headline.title}: by year"),
            html.Thead(
                html.Tr(
                    [
                        html.Th("Year", scope="col"),
                        html.Th("Value", scope="col"),
                        html.Th("Status", scope="col"),
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="table table-sm trend-table",
    )
