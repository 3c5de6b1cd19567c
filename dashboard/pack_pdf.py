"""The meeting pack PDF (reportlab): a cover, then one chart a page with its caption and numbers.

A4 landscape with numbered pages. Each chart starts a page with its title as a heading, the
exported image (which carries its own filters, source and demo mark), its alt text, the table of
exactly its numbers (continued on the next page when long), and the source footer. A card that
is a table alone (the data-quality lists) gets the same page without an image or alt text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.charts import ChartSpec, dated_sources
from dashboard.exports import DEMO_MARK, describe_chart, status_words
from dashboard.theme import GRID, MUTED_TEXT, TEXT

PAGE = landscape(A4)
MARGIN = 1.2 * cm


@dataclass(frozen=True)
class Cover:
    filters: str
    data_version: str
    made_on: str
    pages: tuple[str, ...]
    unavailable: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackEntry:
    page: str
    spec: ChartSpec
    png: bytes | None  # None for a table alone
    link: str


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    text = colors.HexColor(TEXT)
    muted = colors.HexColor(MUTED_TEXT)
    return {
        "title": ParagraphStyle("pack-title", parent=base["Title"], textColor=text),
        "heading": ParagraphStyle("pack-heading", parent=base["Heading2"], textColor=text),
        "body": ParagraphStyle("pack-body", parent=base["BodyText"], textColor=text, fontSize=10),
        "small": ParagraphStyle("pack-small", parent=base["BodyText"], textColor=muted, fontSize=8),
        "cell": ParagraphStyle("pack-cell", parent=base["BodyText"], fontSize=7, leading=8.5),
    }


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.HexColor(MUTED_TEXT))
    canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, f"Page {document.page}")
    canvas.drawString(MARGIN, MARGIN / 2, "Kent Carers Commissioning Dashboard: meeting pack")
    canvas.restoreState()


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _cover(cover: Cover, entries: list[PackEntry], styles) -> list:
    demo = any(entry.spec.has_demo for entry in entries)
    flow = [
        _para("Kent Carers Commissioning Dashboard: meeting pack", styles["title"]),
        _para(f"Filters: {cover.filters}", styles["heading"]),
        _para(
            f"Data version {cover.data_version}. Each chart's source line gives the date its "
            "figures were published (council documents) or loaded (census, demo, returns).",
            styles["body"],
        ),
        _para(f"Made on {cover.made_on}.", styles["body"]),
        _para(f"Pages: {', '.join(cover.pages)}.", styles["body"]),
        Spacer(1, 0.4 * cm),
        _para("Charts in this pack:", styles["body"]),
    ]
    flow += [_para(f"{e.page}: {e.spec.title}", styles["small"]) for e in entries]
    if cover.unavailable:
        flow.append(_para("Not available for these filters:", styles["body"]))
        flow += [_para(text, styles["small"]) for text in cover.unavailable]
    if demo:
        flow += [
            Spacer(1, 0.4 * cm),
            _para(
                "DEMO DATA: charts marked as demo contain synthetic demonstration data, "
                "not real activity.",
                styles["heading"],
            ),
        ]
    return flow


def _image(png: bytes, max_width: float, max_height: float) -> Image:
    image = Image(io.BytesIO(png))
    ratio = min(max_width / image.imageWidth, max_height / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
    return image


def _table(spec: ChartSpec, styles) -> Table | None:
    if spec.table.empty or not spec.columns:
        return None
    header = [_para(column.label, styles["cell"]) for column in spec.columns]
    rows = [
        [_para(c.show(record[c.key]), styles["cell"]) for c in spec.columns]
        for record in spec.table.to_dict("records")
    ]
    table = Table([header, *rows], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor(GRID)),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _chart_page(entry: PackEntry, styles) -> list:
    spec = entry.spec
    width = PAGE[0] - 2 * MARGIN
    sources = dated_sources(spec)
    footer = f"Source: {'; '.join(sources)}" if sources else ""
    status = f"Status: {status_words(spec.statuses)}" if spec.statuses else ""
    drawn = (
        [
            _image(entry.png, width, 0.45 * PAGE[1]),
            _para(f"Description: {describe_chart(spec)}", styles["small"]),
        ]
        if entry.png is not None
        # The demo mark a chart's image carries, in words for a table alone.
        else [_para(spec.subtitle, styles["small"])]
        + ([_para(DEMO_MARK, styles["heading"])] if spec.has_demo else [])
    )
    flow = [
        _para(f"{entry.page}: {spec.title}", styles["heading"]),
        *drawn,
        _para(footer, styles["small"]),
        *(_para(line, styles["small"]) for line in spec.events),
        _para(" · ".join(filter(None, (status, f"Period: {spec.period_label}"))), styles["small"]),
        _para(f"Reopen this view: {entry.link}", styles["small"]),
        Spacer(1, 0.2 * cm),
    ]
    table = _table(spec, styles)
    if table is not None:
        flow.append(table)
    flow.append(PageBreak())
    return flow


def pack_pdf(cover: Cover, entries: list[PackEntry]) -> bytes:
    """The whole pack as PDF bytes."""
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Kent Carers Commissioning Dashboard: meeting pack",
        author="Kent Carers Commissioning Dashboard",
    )
    flow = _cover(cover, entries, styles) + [PageBreak()]
    for entry in entries:
        flow += _chart_page(entry, styles)
    document.build(
        flow[:-1] if entries else flow, onFirstPage=_page_number, onLaterPages=_page_number
    )
    return buffer.getvalue()
