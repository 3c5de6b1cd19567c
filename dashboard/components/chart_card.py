"""The chart card: active title, filters, the chart or a reason, its table, CSV, and provenance.

A chart's card carries no table rows, no notes and no CSV: opening "Table of this chart" or
"About", or pressing "Download CSV", asks the server for them (``dashboard/callbacks/
chart_parts.py``), with the signed origin the card holds, so a filter click sends only the
figures and texts. A card without a chart (a list) shows its table in the chart's place.
"""

from __future__ import annotations

import copy
import hashlib
import json

import flask
import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from dashboard import ids
from dashboard.charts import ChartSpec, dated_sources
from dashboard.components.status import status_badge
from dashboard.components.tables import text_table
from dashboard.components.tree import components_in
from dashboard.exports import PRESETS, describe_chart

# No toolbar button may send a chart anywhere: no cloud "Share chart"/"Edit in Chart Studio",
# and no browser-side PNG (the card's server-rendered exports carry title, filters and source).
GRAPH_CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtonsToRemove": [
        "lasso2d",
        "select2d",
        "autoScale2d",
        "toImage",
        "sendDataToCloud",
        "editInChartStudio",
    ],
}
FIGURE_DIGEST = "figure-digest"
# The parts of a card that a filter change rewrites in place, each with the property written
# (``ChartSource.redraw``). Replacing a card's children instead would make Dash remount the card,
# so its chart would be purged and drawn afresh. Most parts are a text, a flag or a figure of a
# component that stays mounted: a click's answer stays small, and Dash mounts few components anew
# (one store update for each, which every mounted component is asked about). The table and
# "About" disclosures stay mounted, so one left open stays open: only what they hold is a slot.
CARD_SLOTS = {
    "head": "children",  # a chart's title (text); a headline card's figures
    "subtitle": "children",
    "demo": "hidden",  # the demo mark after the subtitle
    "quality": "children",  # the data-quality notes the chart is read with, by title
    "figure": "figure",
    # What the card shows: its figure's digest (``figure_digest``) and each other slot's
    # (``slot_digests``). A filter change writes only the slots whose value changed: Dash's
    # renderer finds each slot written among the page's pattern-matching ids and recomputes
    # the paths of what a ``children`` slot holds.
    FIGURE_DIGEST: "data",
    "figure-label": "aria-label",
    "unavailable": "children",  # why there is no chart for this selection
    "events": "children",
    "table": "children",  # what the table disclosure holds: its placeholder until opened
    "list": "children",  # a card without a chart: its table, shown in place of one
    "alt": "children",
    "about-summary": "children",  # what "About" is about: the measure's name
    "about": "children",  # what the "About" disclosure holds, as the table
    # The store of the signed origin that opening the table or "About", and the downloads,
    # send back: new for each selection.
    "origin": "children",
    "body": "children",  # a headline card's parts below its figure
    "foot": "children",
}
# In Flask's extensions: (the district boundary collection, the address it is served at).
SERVED_BOUNDARIES = "kent_carers_served_boundaries"
IMAGE_VARIANTS = (
    ("slide-png", f"PNG, {PRESETS['slide'].label} (1920×1080)"),
    ("report-png", f"PNG, {PRESETS['report'].label} (2008 px wide)"),
    ("report-svg", f"SVG, {PRESETS['report'].label}"),
)


def chart_card(spec: ChartSpec, origin: dict, source: str) -> html.Section:
    """Render a ChartSpec as an accessible card.

    Above the chart: the title and one subtitle line (with the demo mark when it applies).
    Below it: the table (fetched when opened), the CSV, "About" (the measure and the chart's
    notes) and one line of provenance. ``origin`` is the signed name of the view result the spec
    came from (``exports.signed``), which the table, About, CSV and image requests send back.
    ``source`` names the chart source the card is drawn from; its parts are the card's slots.
    The controls' names end with the title by reference (``aria-labelledby``), so the controls
    stay mounted while the title changes.
    """
    heading_id = title_id(spec)
    digests = None
    body = [
        html.P(
            [
                html.Span(spec.subtitle, id=slot(source, spec, "subtitle")),
                html.Span(
                    [" · ", status_badge("demo"), " not real activity"],
                    className="chart-demo-label",
                    hidden=not spec.has_demo or bool(spec.unavailable),
                    id=slot(source, spec, "demo"),
                ),
            ],
            className="chart-subtitle mb-2",
        )
    ]
    if spec.unavailable:
        below = [
            html.P(
                spec.unavailable,
                className="chart-unavailable",
                role="status",
                id=slot(source, spec, "unavailable"),
            )
        ]
    else:
        alt_text = describe_chart(spec)
        if spec.figure is not None:
            figure = plain_json(browser_figure(spec.figure))
            digests = dcc.Store(
                id=slot(source, spec, FIGURE_DIGEST),
                data={"chart": spec.key, "figure": figure_digest(figure)},
            )
            body.append(
                html.Div(
                    [
                        dcc.Graph(
                            figure=figure,
                            config={**GRAPH_CONFIG, **spec.graph_config},
                            className="chart-graph",
                            id=slot(source, spec, "figure"),
                        ),
                        digests,
                    ],
                    role="figure",
                    id=slot(source, spec, "figure-label"),
                    **{"aria-label": alt_text},
                )
            )
        below = [
            html.Div(_events(spec), id=slot(source, spec, "events")),
            _table(spec, source) if spec.figure is not None else _list(spec, source),
            _download(spec, alt_text, source),
        ]
    # Under the chart, not over it: a reader meets at most three lines before a chart.
    below.insert(0, html.Div(quality_line(spec), id=slot(source, spec, "quality")))
    below.append(_about(spec, source))
    below.append(origin_slot(spec, origin, source))
    body.append(html.Div(below))
    card = html.Section(
        [
            html.Div(
                html.H2(
                    html.Span(spec.title, id=slot(source, spec, "head")),
                    id=heading_id,
                    className="h5 mb-0 chart-title",
                ),
                className="card-header",
            ),
            html.Div(body, className="card-body"),
            html.Div(
                html.P(
                    provenance_line(spec),
                    className="chart-provenance mb-0",
                    id=slot(source, spec, "foot"),
                ),
                className="card-footer chart-footer small",
            ),
        ],
        className="card chart-card mb-3",
        **{"aria-labelledby": heading_id},
    )
    if digests is not None:
        digests.data["slots"] = slot_digests(card_slots(card))
    return card


def quality_line(spec: ChartSpec) -> html.P | None:
    """The data-quality notes a chart is to be read with, named under it (what each says is in
    "About this measure"); nothing for a chart without any, or without a chart."""
    if not spec.quality_flags or spec.unavailable:
        return None
    return html.P(
        [
            html.Strong("Data quality: "),
            "; ".join(f"“{title}”" for title in spec.quality_flags),
            # "About" is not on a slide or on paper: there, the names stand alone.
            html.Span(f" (see “{_about_name(spec)}”)", className="chart-quality-pointer"),
            ".",
        ],
        className="chart-quality small mt-2 mb-0",
    )


def origin_slot(item, origin: dict, source: str) -> html.Div:
    """The slot holding the store of the card's signed origin (``item``: a spec or a
    headline)."""
    return html.Div(
        dcc.Store(id=ids.chart_part(ids.CHART_ORIGIN_TYPE, item.key), data=origin),
        id=slot(source, item, "origin"),
    )


def holding(slot_value: Component, content) -> Component:
    """A copy of the table or "About" slot's value (the element the disclosure shows) that
    holds ``content`` instead of its placeholder."""
    shown = copy.copy(slot_value)
    shown.children = content
    return shown


def title_id(spec: ChartSpec) -> str:
    """The DOM id of the card's heading, which names the card and ends its controls' names."""
    return f"{spec.key}-title"


def _named_by(spec: ChartSpec, *label_ids: str) -> dict:
    """``aria-labelledby``: the labels ``label_ids``, then the card's title."""
    return {"aria-labelledby": " ".join([*label_ids, title_id(spec)])}


def slot(source: str, item, part: str) -> dict:
    """The id of one of ``CARD_SLOTS`` in the card of ``item`` (a spec or a headline)."""
    return ids.card_slot(source, item.key, part)


def card_slots(card: Component) -> dict[str, object]:
    """The value each slot in ``card`` holds, by part."""
    found = {}
    for component in components_in(card):
        part = ids.slot_part(getattr(component, "id", None))
        if part is not None:
            found[part] = getattr(component, CARD_SLOTS[part])
    return found


def plain_json(value: go.Figure | Component | dict) -> dict:
    """A figure or component as the JSON the browser receives: plain dicts, lists and numbers.

    Encoded once, when it is drawn: a cached card then costs only its own JSON on every later
    response, instead of Plotly copying and encoding the figure object each time.
    """
    return json.loads(to_json_plotly(value))


def figure_digest(figure: dict) -> str:
    """A short fingerprint of a figure's JSON: equal only for figures whose JSON is identical."""
    encoded = json.dumps(figure, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.blake2b(encoded, digest_size=12).hexdigest()


def slot_digests(slots: dict[str, object]) -> dict[str, str]:
    """A short fingerprint of the JSON of each slot's value, by part: not the figure's (it has
    ``figure_digest``), the digests' own, or the origin's, which is new for each selection."""
    return {
        part: hashlib.blake2b(to_json_plotly(value).encode(), digest_size=8).hexdigest()
        for part, value in slots.items()
        if part not in ("figure", FIGURE_DIGEST, "origin")
    }


def browser_figure(figure: go.Figure) -> go.Figure | dict:
    """The figure as the page gets it: a map's district boundaries by address, fetched once
    (``dashboard/callbacks/boundaries.py``), instead of a copy in every trace of every response."""
    collection, address = flask.current_app.extensions.get(SERVED_BOUNDARIES, (None, ""))
    if collection is None or not any(
        getattr(trace, "geojson", None) == collection for trace in figure.data
    ):
        return figure
    # The trace's own property dict, shallow-copied: ``to_plotly_json`` would deep-copy the
    # boundaries only to drop them (46 ms a map trace).
    data = [
        {**trace._props, "geojson": address}
        if getattr(trace, "geojson", None) == collection
        else trace
        for trace in figure.data
    ]
    return {"data": data, "layout": figure.layout}


def table_element(spec: ChartSpec) -> dcc.Markdown:
    """The HTML table of exactly the numbers in the chart."""
    rows = [
        [column.show(record[column.key]) for column in spec.columns]
        for record in spec.table.to_dict("records")
    ]
    return text_table(
        spec.title,
        [column.label for column in spec.columns],
        rows,
        "table table-sm table-striped chart-table mb-0",
    )


def _events(spec: ChartSpec) -> html.Ul | None:
    """The decisions and contract events marked on the chart, in words under it."""
    if not spec.events:
        return None
    return html.Ul(
        [html.Li(line) for line in spec.events],
        className="chart-events small mt-2",
        **{"aria-label": "Decisions and contract events marked on this chart"},
    )


TABLE_PLACEHOLDER = "Fetching the table…"
ABOUT_PLACEHOLDER = "Fetching the notes…"
# Disclosures whose opening fetches what they hold: assets/view.js reports them opening and closing.
FETCHED_DISCLOSURE_CLASS = "fetched-disclosure"


def _table(spec: ChartSpec, source: str) -> html.Details:
    """The disclosure whose opening fetches the table (``assets/view.js`` reports its ``open``,
    by mouse or keyboard, which Dash's Details does not). Its region is named by reference, so
    the disclosure stays as it is while the title changes."""
    table_word = f"{spec.key}-table-word"
    return html.Details(
        [
            html.Summary("Table of this chart"),
            html.Span("Table:", id=table_word, hidden=True),
            html.Div(
                html.Div(
                    TABLE_PLACEHOLDER,
                    id=ids.chart_part(ids.TABLE_TYPE, spec.key),
                    className="table-responsive small",
                    tabIndex="0",
                    role="region",
                    **_named_by(spec, table_word),
                ),
                id=slot(source, spec, "table"),
            ),
        ],
        id=ids.chart_part(ids.TABLE_DISCLOSURE_TYPE, spec.key),
        className=f"chart-table-details {FETCHED_DISCLOSURE_CLASS} mt-2",
    )


def _list(spec: ChartSpec, source: str) -> html.Div:
    """A card without a chart (a list of events, returns or notes): its table is what it shows,
    so it stands where a chart would, not behind a disclosure."""
    return html.Div(
        html.Div(
            table_element(spec),
            className="table-responsive small",
            tabIndex="0",
            role="region",
            **_named_by(spec),
        ),
        id=slot(source, spec, "list"),
        className="chart-list mt-2",
    )


def _download(spec: ChartSpec, alt_text: str, source: str) -> html.Div:
    """CSV always; report images and the alt text when there is a chart."""
    csv_label = f"{spec.key}-csv-label"
    parts = [
        html.Button(
            html.Span("Download CSV", id=csv_label),
            id=ids.chart_part(ids.CSV_BUTTON_TYPE, spec.key),
            type="button",
            className="btn btn-outline-secondary btn-sm mt-2 me-2",
            **_named_by(spec, csv_label),
        ),
        dcc.Download(id=ids.chart_part(ids.CSV_DOWNLOAD_TYPE, spec.key)),
    ]
    if spec.figure is not None:
        parts.append(_image_exports(spec, alt_text, source))
    return html.Div(parts, className="chart-downloads")


def _image_exports(spec: ChartSpec, alt_text: str, source: str) -> html.Details:
    alt_id = ids.chart_part(ids.ALT_TEXT_TYPE, spec.key)
    download_word = f"{spec.key}-image-download"
    buttons = [
        html.Button(
            html.Span(label, id=f"{spec.key}-{variant}-label"),
            id=ids.image_button(spec.key, variant),
            type="button",
            className="btn btn-outline-secondary btn-sm me-2 mb-2",
            **_named_by(spec, download_word, f"{spec.key}-{variant}-label"),
        )
        for variant, label in IMAGE_VARIANTS
    ]
    return html.Details(
        [
            html.Summary("Image for a report or slide"),
            html.P(
                "Made on the server with the title, filters, source, data version and link.",
                className="small mb-2",
            ),
            html.Span("Download", id=download_word, hidden=True),
            html.Div(buttons),
            dcc.Loading(dcc.Download(id=ids.chart_part(ids.IMAGE_DOWNLOAD_TYPE, spec.key))),
            html.P(
                id=ids.chart_part(ids.IMAGE_PROBLEM_TYPE, spec.key),
                role="status",
                className="small chart-image-problem mb-1",
            ),
            html.Span("Alt text for the image:", className="small d-block mt-1"),
            html.Div(
                [
                    html.P(
                        html.Span(alt_text, id=slot(source, spec, "alt")),
                        id=alt_id,
                        className="small chart-alt-text mb-1",
                    ),
                    # A button, so that the keyboard reaches it (dcc.Clipboard's icon is not
                    # focusable); assets/view.js copies the text beside it.
                    html.Button(
                        html.Span("Copy the alt text", id=f"{spec.key}-alt-copy-label"),
                        type="button",
                        className="btn btn-outline-secondary btn-sm chart-alt-copy",
                        **_named_by(spec, f"{spec.key}-alt-copy-label"),
                    ),
                    html.Span(role="status", className="small ms-2 chart-alt-copied"),
                ]
            ),
        ],
        className="chart-image-exports mt-2",
    )


def _about_name(spec: ChartSpec) -> str:
    """What the card's "About" disclosure is called: a measure's definition, or a chart's notes."""
    return "About this measure" if spec.measure else "About this chart"


def _about(spec: ChartSpec, source: str) -> html.Details | None:
    """The disclosure of the measure's definition and the chart's notes, fetched when opened
    (``about_list``), as the table is: a card redrawn in place gets only its summary anew."""
    if not spec.measure and not spec.footnotes:
        return None
    summary = _about_name(spec) + (f": {spec.measure['name']}" if spec.measure else "")
    return html.Details(
        [
            html.Summary(html.Span(summary, id=slot(source, spec, "about-summary"))),
            html.Div(
                html.Div(ABOUT_PLACEHOLDER, id=ids.chart_part(ids.ABOUT_TYPE, spec.key)),
                id=slot(source, spec, "about"),
            ),
        ],
        id=ids.chart_part(ids.ABOUT_DISCLOSURE_TYPE, spec.key),
        className=f"chart-about {FETCHED_DISCLOSURE_CLASS} mt-2",
    )


def about_list(spec: ChartSpec) -> html.Dl:
    """The measure's definition, numerator, method and so on, then the chart's notes."""
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
    return html.Dl(items, className="mb-0")


def _polarity_text(polarity: str | None) -> str:
    return {
        "higher-better": "better",
        "lower-better": "worse",
        "neither": "neither better nor worse",
    }.get(polarity or "", "")


def provenance_line(spec: ChartSpec) -> list:
    """One line: each source with its publication or load date · period · status."""
    sources = dated_sources(spec)
    parts: list = []
    if sources:
        parts.append("Source: " + "; ".join(sources))
    if spec.period_label:
        parts.append(spec.period_label)
    line: list = [" · ".join(parts)]
    if spec.statuses:
        line += [" · " if parts else ""] + [status_badge(s) for s in spec.statuses]
    return line
