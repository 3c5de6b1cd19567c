"""Report exports: the figure a committee pastes, its file name, its alt text and CSV header.

Pure functions (a ChartSpec and the filter context in, new objects out); rendering the figure to
PNG or SVG is ``dashboard.rendering``'s job. An exported figure carries everything a reader needs
without the web page: the active title, the filters and period, a footer with source, status,
data date, data version and the link that reopens the view, and a "DEMO DATA" mark whenever demo
rows are in it.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import math
import re
import textwrap
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import ALL_CARE_GROUPS, ChartSpec, dated_sources
from dashboard.data_dates import format_date
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.figures.common import DEMO_LABEL, without_demo_band
from dashboard.filters import Filters
from dashboard.theme import BACKGROUND, MUTED_TEXT, STATUS_STYLE, TEXT

DEMO_MARK = "DEMO DATA: not real activity"
LINK_LABEL = "Reopen this view: "
NUMERIC_UNITS = ("count", "percent", "gbp", "gbp-pence", "hours", "rate")


@dataclass(frozen=True)
class Preset:
    """An image size: layout pixels times ``scale`` gives the file's pixels.

    A slide is always exactly its size; a report image is its width, and taller when the chart
    needs it.
    """

    key: str
    label: str
    width: int
    height: int
    scale: float
    fixed_height: bool

    @property
    def pixel_width(self) -> int:
        return round(self.width * self.scale)

    def layouts(self) -> tuple[tuple[int, int], ...]:
        """Layout sizes to try, smallest (largest text) first. A slide that needs more room
        gets a larger layout drawn at a smaller scale, so its pixels never change."""
        if not self.fixed_height:
            return ((self.width, self.height),)
        return tuple(
            (round(self.width * factor), round(self.height * factor)) for factor in (1, 1.2, 1.5)
        )


PRESETS = {
    # 1280 x 720 layout pixels at 1.5x: a 1920 x 1080 slide with text readable across a room.
    "slide": Preset("slide", "16:9 slide", 1280, 720, 1.5, fixed_height=True),
    # 17 cm at 300 dpi is 2008 px: 1004 layout pixels at 2x keeps the text at print size.
    "report": Preset("report", "A4 report width", 1004, 680, 2, fixed_height=False),
}


@dataclass(frozen=True)
class ExportInfo:
    """What an export says beyond its spec: the link that reopens the view, the data version,
    and the day it was exported (a pasted chart or a saved CSV says when it was taken)."""

    link: str
    data_version: str
    made: date


_TITLE_SIZE, _SUBTITLE_SIZE, _FOOTER_SIZE, _MARK_SIZE = 20, 15, 12, 15
_LINE = 1.3  # line height as a multiple of the font size
_CHAR_WIDTH = 0.55  # average Arial character width as a multiple of the font size
_BOLD_CHAR_WIDTH = 0.62
_TICK_SIZE = 14  # the template's font size
_PAD = 16
_CHART_BOTTOM = 150  # room under the plot for tick labels, axis titles and a bottom legend
_LEGEND_BOTTOM = 60  # room under a plot without axes (a map, a flow) for its legend


def wrap(text: str, width_px: float, size: int, bold: bool = False) -> list[str]:
    """Break ``text`` into lines that fit ``width_px`` at font ``size`` (Plotly never wraps)."""
    chars = max(20, int(width_px / (size * (_BOLD_CHAR_WIDTH if bold else _CHAR_WIDTH))))
    return textwrap.wrap(text, chars, break_long_words=True, break_on_hyphens=False) or [""]


def status_words(statuses) -> str:
    return ", ".join(STATUS_STYLE[s]["label"] for s in statuses if s in STATUS_STYLE)


def footer_lines(spec: ChartSpec, info: ExportInfo) -> list[str]:
    """Source, events marked, status, period, data date, data version, export date and link, as
    plain sentences."""
    facts = []
    if spec.statuses:
        facts.append(f"Status: {status_words(spec.statuses)}")
    if spec.period_label:
        facts.append(f"Period: {spec.period_label}")
    facts.append(f"Data version {info.data_version}")
    facts.append(f"Exported {format_date(info.made)}")
    sources = dated_sources(spec)
    lines = [f"Source: {'; '.join(sources)}"] if sources else []
    if spec.quality_flags:
        titles = "; ".join(f"“{title}”" for title in spec.quality_flags)
        lines.append(f"Data quality: {titles} (see Data and methods)")
    return lines + [*spec.events, " · ".join(facts), f"{LINK_LABEL}{info.link}"]


def _frame(spec: ChartSpec, info: ExportInfo, figure: go.Figure, width: int):
    """The wrapped title, subtitle and footer lines for ``width``, and their heights."""
    usable = width - 2 * _PAD
    mark_width = len(DEMO_MARK) * _MARK_SIZE * _BOLD_CHAR_WIDTH + 24 if spec.has_demo else 0
    title = wrap(spec.title, usable - mark_width, _TITLE_SIZE, bold=True)
    subtitle = wrap(spec.subtitle, usable - mark_width, _SUBTITLE_SIZE)
    footer = [
        line for text in footer_lines(spec, info) for line in wrap(text, usable, _FOOTER_SIZE)
    ]
    # Plotly spaces every line of an annotation by its base font size; the chart's own top
    # margin (its panel titles) stays under the header.
    header_px = _LINE * _TITLE_SIZE * (len(title) + len(subtitle)) + 2 * _PAD
    header_px += figure.layout.margin.t or 0
    footer_px = _LINE * _FOOTER_SIZE * len(footer) + _PAD
    return title, subtitle, footer, header_px, footer_px


def export_figure(spec: ChartSpec, info: ExportInfo, preset: Preset) -> go.Figure:
    """A new figure for a report: the chart with its title, filters, footer and demo mark."""
    figure = without_demo_band(go.Figure(spec.figure))
    for width, height in preset.layouts():
        title, subtitle, footer, header_px, footer_px = _frame(spec, info, figure, width)
        needed = math.ceil((figure.layout.height or 0) + header_px + footer_px + _PAD)
        if needed <= height:
            break
    if not preset.fixed_height:
        # A tall chart (one row per target, say) keeps its own height in a report.
        height = max(height, needed)
    kept = [a for a in figure.layout.annotations if a.text != DEMO_LABEL]
    left, bottom = _left_margin(figure), _room_under_plot(figure)
    annotations = [
        *kept,
        _header(_header_text(title, subtitle), header_px, left),
        _footer(footer, bottom, left),
    ]
    if spec.has_demo:
        annotations.append(_demo_mark(header_px))
    legend_y = figure.layout.legend.y
    if legend_y is None or legend_y < 0:
        # A legend under the plot goes just above the footer, where nothing else is drawn.
        figure.update_layout(
            legend={"yref": "container", "y": (footer_px + _PAD) / height, "yanchor": "bottom"}
        )
    # Assigned, not passed to update_layout, which would merge the lists item by item.
    figure.layout.annotations = annotations
    figure.update_layout(
        width=width,
        height=height,
        autosize=False,
        paper_bgcolor=BACKGROUND,
        title={"text": ""},
        margin={
            "t": math.ceil(header_px),
            "b": math.ceil(bottom + footer_px),
            "l": left,
            "r": max(figure.layout.margin.r or 0, 30),
        },
    )
    return figure


def _room_under_plot(figure: go.Figure) -> int:
    """Pixels between the plot and the footer: for tick labels, axis titles and a legend under
    a chart with axes; for the legend alone under a map or a flow, if it shows one; else a
    gap (a map drawn in a slide's whole height is larger, as it is fitted to its plot)."""
    if any("xaxis" in trace for trace in figure.data):
        return _CHART_BOTTOM
    shown = figure.layout.showlegend
    entries = sum("showlegend" in trace and trace.showlegend is not False for trace in figure.data)
    if shown or (shown is None and entries > 1):
        return _LEGEND_BOTTOM
    return 2 * _PAD


def _left_margin(figure: go.Figure) -> int:
    """Room for the longest category label of a horizontal chart, so Plotly's automargin need
    not widen the margin (which would push the title and footer, placed from it, inwards)."""
    labels = [
        str(value)
        for trace in figure.data
        if getattr(trace, "orientation", None) == "h" and getattr(trace, "y", None) is not None
        for value in trace.y
    ]
    longest = max((len(label) for label in labels), default=0)
    return max(figure.layout.margin.l or 0, 80, math.ceil(longest * _TICK_SIZE * _CHAR_WIDTH) + 40)


def _header_text(title: list[str], subtitle: list[str]) -> str:
    lines = [f"<b>{line}</b>" for line in title]
    lines += [f"<span style='font-size:{_SUBTITLE_SIZE}px'>{line}</span>" for line in subtitle]
    return "<br>".join(lines)


def _header(text: str, header_px: float, left: int) -> dict:
    """Title and subtitle, from the top left corner (the plot area starts under them)."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1,
        "xanchor": "left",
        "yanchor": "top",
        "xshift": _PAD - left,
        "yshift": header_px - _PAD,
        "align": "left",
        "showarrow": False,
        "font": {"size": _TITLE_SIZE, "color": TEXT},
    }


def _footer(lines: list[str], chart_bottom: int, left: int) -> dict:
    return {
        "text": "<br>".join(lines),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xshift": _PAD - left,
        "xanchor": "left",
        "yanchor": "top",
        "yshift": -chart_bottom,
        "align": "left",
        "showarrow": False,
        "font": {"size": _FOOTER_SIZE, "color": MUTED_TEXT},
    }


def _demo_mark(header_px: float) -> dict:
    """A boxed mark in the top right corner, level with the title."""
    return {
        "text": f"<b>{DEMO_MARK}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": 1,
        "y": 1,
        "xanchor": "right",
        "yanchor": "top",
        "yshift": header_px - _PAD,
        "showarrow": False,
        "font": {"size": _MARK_SIZE, "color": TEXT},
        "bordercolor": TEXT,
        "borderwidth": 2,
        "borderpad": 5,
        "bgcolor": BACKGROUND,
    }


def slug(text: str) -> str:
    """Lower-case words joined by hyphens: ``2024/25`` -> ``2024-25``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def export_stem(key: str, filters: Filters, period_label: str) -> str:
    """``<chart>_<locality>_<care group>_<period>``, the same for every file of one view."""
    period = filters.period or slug(re.split(r"[;(]", period_label or "")[0]) or "latest"
    parts = (key, filters.locality or "kent", filters.care_group or "all-care-groups", period)
    return "_".join(slug(part) for part in parts)


def export_filename(
    spec: ChartSpec, filters: Filters, extension: str, preset: str | None = None
) -> str:
    """The file's name; an image's names its preset too, so a slide and a report image of one
    view never take the same name (the second download overwrote the first). A chart whose
    figures are not recorded by care group is named for all care groups, as it shows them,
    whichever group is chosen."""
    if spec.care_group_basis == ALL_CARE_GROUPS:
        filters = replace(filters, care_group=None)
    ending = f"_{slug(preset)}" if preset else ""
    return f"{export_stem(spec.key, filters, spec.period_label)}{ending}.{extension}"


def describe_chart(spec: ChartSpec) -> str:
    """Plain-English alt text: what the chart shows and its key numbers, from its table alone."""
    sentences = [spec.alt_text or f"Chart. {spec.title}."]
    if spec.title not in sentences[0]:
        sentences.append(f"{spec.title}.")
    sentences.append(f"Shown for {spec.subtitle}.")
    sentences += _key_numbers(spec)
    if spec.has_demo:
        sentences.append("Includes demonstration data, not real activity.")
    return " ".join(sentences)


def _key_numbers(spec: ChartSpec) -> list[str]:
    """Highest and lowest rows of the key (or first numeric) column, leaving out totals, and
    Kent's value if a row is Kent."""
    labels = [c for c in spec.columns if c.unit is None and c.key in spec.table]
    values = [c for c in spec.columns if c.unit in NUMERIC_UNITS and c.key in spec.table]
    if not labels or not values or spec.table.empty:
        return []
    value = next((c for c in values if c.key == spec.key_column), values[0])
    numbers = pd.to_numeric(spec.table[value.key], errors="coerce")
    names = spec.table[labels[0].key].astype(str)
    if len(labels) > 1 and names.duplicated().any():
        names = names + ", " + spec.table[labels[1].key].astype(str)
    is_kent = names.str.fullmatch(r"Kent( .*)?")
    rows = ~is_kent & ~names.str.startswith("Total")
    shown = numbers[rows].dropna()
    # Values hidden as "<5" are neither highest nor lowest of anything said: "highest 2013/14 Q2
    # (0)" was written beside hidden counts of 1 to 4. The extremes are then of those shown.
    hidden = int((rows & spec.table[value.key].astype(str).eq(SUPPRESSED_TEXT)).sum())
    if shown.empty:
        return (
            [f"{value.label}: all {hidden} values hidden as {SUPPRESSED_TEXT}."] if hidden else []
        )

    def item(index) -> str:
        return f"{names[index]} ({value.show(spec.table[value.key][index])})"

    of_shown = " shown" if hidden else ""
    text = [f"{value.label}: {len(shown) + hidden} values"]
    if hidden:
        text[0] += f", {hidden} of them hidden as {SUPPRESSED_TEXT}"
    if len(shown) > 1:
        text.append(f"highest{of_shown} {item(shown.idxmax())}")
        text.append(f"lowest{of_shown} {item(shown.idxmin())}")
    else:
        text.append(
            f"the one{of_shown}: {item(shown.index[0])}" if hidden else item(shown.index[0])
        )
    kent = numbers[is_kent].dropna()
    if len(kent):
        text.append(f"Kent {value.show(spec.table[value.key][kent.index[0]])}")
    return ["; ".join(text) + "."]


def csv_header(spec: ChartSpec, info: ExportInfo) -> str:
    """Commented lines that say what produced a CSV, each one quoted cell starting with ``#``."""
    lines = [f"# {spec.title}", f"# Filters: {spec.subtitle}"]
    lines += [f"# {line}" for line in footer_lines(spec, info)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerows([line] for line in lines)
    return buffer.getvalue()


# A chart card names the view result it was drawn from (page, filters, controls); the name comes
# back signed, so the server only rebuilds a table, CSV or image for a selection it offered.


def signed(fields: dict, secret: bytes) -> dict:
    """``fields`` as JSON with its signature, for the browser to hold and send back."""
    body = json.dumps(fields, sort_keys=True)
    return {"body": body, "signature": _sign(body, secret)}


def verified(payload: object, secret: bytes) -> dict | None:
    """The fields of a payload made by :func:`signed`, or None if it was altered or is not one."""
    if not isinstance(payload, dict):
        return None
    body, signature = payload.get("body", ""), payload.get("signature", "")
    # Compared as bytes: compare_digest refuses text that is not ASCII (a crafted signature).
    expected = _sign(body, secret).encode() if isinstance(body, str) else None
    if expected is None or not hmac.compare_digest(expected, str(signature).encode()):
        return None
    return json.loads(body)


def _sign(body: str, secret: bytes) -> str:
    return hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
