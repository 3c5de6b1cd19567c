"""The chart card: active title, filters, the chart or a reason, its table, CSV, and provenance."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.charts import ChartSpec, display_cell, to_csv
from dashboard.components.status import status_badge

GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def chart_card(spec: ChartSpec) -> html.Section:
    """Render a ChartSpec as an accessible card.

    Above the chart: the title and one subtitle line (with the demo mark when it applies).
    Below it: the table, the CSV, "About" (the measure and the chart's notes) and one line of
    provenance.
    """
    heading_id = f"{spec.key}-title"
    subtitle = [spec.subtitle]
    if spec.has_demo and not spec.unavailable:
        subtitle += [
            " · ",
            html.Span([status_badge("demo"), " not real activity"], className="chart-demo-label"),
        ]
    body = [html.P(subtitle, className="chart-subtitle mb-2")]
    if spec.unavailable:
        body.append(html.P(spec.unavailable, className="chart-unavailable", role="status"))
    else:
        if spec.figure is not None:
            body.append(html.P(spec.alt_text or spec.title, className="visually-hidden"))
            config = {
                **GRAPH_CONFIG,
                "toImageButtonOptions": {
                    **GRAPH_CONFIG["toImageButtonOptions"],
                    "filename": spec.key,
                },
                **spec.graph_config,
            }
            graph_id = {"id": spec.graph_id} if spec.graph_id else {}
            body.append(
                dcc.Graph(figure=spec.figure, config=config, className="chart-graph", **graph_id)
            )
        body.append(_table(spec))
        body.append(_download(spec))
    if spec.measure or spec.footnotes:
        body.append(_about(spec))
    return html.Section(
        [
            html.Div(
                html.H2(spec.title, id=heading_id, className="h5 mb-0 chart-title"),
                className="card-header",
            ),
            html.Div(body, className="card-body"),
            html.Div(provenance_line(spec), className="card-footer chart-footer small"),
        ],
        className="card chart-card mb-3",
        **{"aria-labelledby": heading_id},
    )


def table_element(spec: ChartSpec) -> html.Table:
    """The HTML table of exactly the numbers in the chart."""
    header = html.Thead(html.Tr([html.Th(c.label, scope="col") for c in spec.columns]))
    rows = []
    for record in spec.table.to_dict("records"):
        cells = []
        for index, column in enumerate(spec.columns):
            text = display_cell(record[column.key], column.unit)
            cells.append(html.Th(text, scope="row") if index == 0 else html.Td(text))
        rows.append(html.Tr(cells))
    return html.Table(
        [html.Caption(spec.title), header, html.Tbody(rows)],
        className="table table-sm table-striped chart-table mb-0",
    )


def _table(spec: ChartSpec) -> html.Details:
    return html.Details(
        [
            html.Summary("Table of this chart"),
            html.Div(
                table_element(spec),
                className="table-responsive",
                tabIndex="0",
                role="region",
                **{"aria-label": f"Table: {spec.title}"},
            ),
        ],
        className="chart-table-details mt-2",
    )


def _download(spec: ChartSpec) -> html.Div:
    return html.Div(
        [
            html.Button(
                "Download CSV",
                id=ids.chart_part(ids.CSV_BUTTON_TYPE, spec.key),
                type="button",
                className="btn btn-outline-secondary btn-sm mt-2",
                **{"aria-label": f"Download CSV: {spec.title}"},
            ),
            dcc.Download(id=ids.chart_part(ids.CSV_DOWNLOAD_TYPE, spec.key)),
            dcc.Store(
                id=ids.chart_part(ids.CSV_DATA_TYPE, spec.key),
                data={"filename": spec.filename, "content": to_csv(spec)},
            ),
        ]
    )


def _about(spec: ChartSpec) -> html.Details:
    """The measure's definition and the chart's notes, out of the way until asked for."""
    measure = spec.measure or {}
    rows = [
        ("Definition", measure.get("definition")),
        ("Numerator", measure.get("numerator")),
        ("Denominator", measure.get("denominator")),
        ("Method", measure.get("method")),
        ("Caveats", measure.get("caveats")),
        ("Unit", measure.get("unit")),
        ("Higher is", _polarity_text(measure.get("polarity"))),
        ("Finest geography", measure.get("finest_geography")),
    ]
    items = []
    for label, value in rows:
        if value:
            items += [html.Dt(label), html.Dd(value)]
    if spec.footnotes:
        items += [html.Dt("Notes on this chart")]
        items += [html.Dd(note, className="chart-footnote") for note in spec.footnotes]
    summary = f"About this measure: {measure['name']}" if measure else "About this chart"
    return html.Details(
        [html.Summary(summary), html.Dl(items)],
        className="chart-about mt-2",
    )


def _polarity_text(polarity: str | None) -> str:
    return {
        "higher-better": "better",
        "lower-better": "worse",
        "neither": "neither better nor worse",
    }.get(polarity or "", "")


def provenance_line(spec: ChartSpec) -> html.P:
    """One line: each source with its publication or load date · period · status."""
    measure = spec.measure or {}
    measures = [slug for slug in (measure.get("slug"), measure.get("target_of")) if slug]
    dates = spec.data_date
    sources = [dates.cite(source, measures) if dates else source for source in spec.sources]
    parts: list = []
    if sources:
        parts.append("Source: " + "; ".join(sources))
    if spec.period_label:
        parts.append(spec.period_label)
    line: list = [html.Span(" · ".join(parts))]
    if spec.statuses:
        line += [html.Span(" · " if parts else "")] + [status_badge(s) for s in spec.statuses]
    return html.P(line, className="chart-provenance mb-0")
