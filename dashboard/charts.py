"""What a chart card shows, as plain data: title, figure, the table behind it, and provenance.

Views build a ``ChartSpec``; the chart-card component renders it; ``to_csv`` writes exactly the
table shown. Suppressed cells hold the text "<5" so every rendering shows the same thing.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.data_dates import DataDates
from dashboard.disclosure import (
    SECONDARY_FOOTNOTE,
    SUPPRESSED_TEXT,
    SUPPRESSION_FOOTNOTE,
    is_small_count,
)
from dashboard.theme import STATUS_STYLE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# How a chart answers the care-group filter (``ChartSpec.care_group_basis``).
BY_CARE_GROUP = "care group"  # the figure is for the chosen care group
ALL_CARE_GROUPS = "all care groups"  # not recorded by care group: the all-groups figure, tagged
BASE_ALL_CARE_GROUPS = "care group against all care groups"  # the group's on an all-groups base
ALL_CARE_GROUPS_TAG = "all care groups: not recorded by care group"


@dataclass(frozen=True)
class Column:
    """A table column: its key in the frame, its heading, the unit used to format it and, where
    the unit's default would hide differences that matter (rates of a few percent), its
    decimal places."""

    key: str
    label: str
    unit: str | None = None
    decimals: int | None = None

    def show(self, value) -> str:
        """``value`` as this column shows it to people."""
        return display_cell(value, self.unit, self.decimals)


@dataclass(frozen=True)
class ChartSpec:
    """Everything a chart card needs; ``unavailable`` replaces the chart with a sentence."""

    key: str
    title: str
    subtitle: str
    figure: go.Figure | None
    table: pd.DataFrame
    columns: tuple[Column, ...]
    sources: tuple[str, ...] = ()
    period_label: str = ""
    statuses: tuple[str, ...] = ()
    measure: dict | None = None
    unavailable: str = ""
    footnotes: tuple[str, ...] = ()
    data_date: DataDates | None = None  # publication or load date of each source
    alt_text: str = ""
    key_column: str = ""  # the column whose highest and lowest values the alt text names
    graph_config: dict = field(default_factory=dict)
    care_group_basis: str = ""  # empty when no care group is chosen or there is no chart
    events: tuple[str, ...] = ()  # the decisions and contract events marked, in words
    quality_flags: tuple[str, ...] = ()  # titles of the data-quality notes in the footnotes

    @property
    def has_demo(self) -> bool:
        return "demo" in self.statuses

    @property
    def filename(self) -> str:
        return f"{self.key}.csv"


def dated_sources(spec: ChartSpec) -> list[str]:
    """Each source of the chart with the date its figures were published or loaded."""
    measure = spec.measure or {}
    measures = [slug for slug in (measure.get("slug"), measure.get("target_of")) if slug]
    dates = spec.data_date
    return [dates.cite(source, measures) if dates else source for source in spec.sources]


def unavailable_spec(key: str, title: str, subtitle: str, message: str, **kwargs) -> ChartSpec:
    """A card that says, in words, why there is no chart for this selection."""
    return ChartSpec(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=None,
        table=pd.DataFrame(),
        columns=(),
        unavailable=message,
        **kwargs,
    )


def care_group_tag(recorded: str, care_group: str | None, base: str = "") -> str:
    """The one rule for a chart under a care-group filter: what its subtitle must add.

    ``recorded`` is ``BY_CARE_GROUP`` when the chart's figures exist for the chosen care group,
    ``ALL_CARE_GROUPS`` when they are not recorded by care group (the all-groups figure is
    shown), and ``BASE_ALL_CARE_GROUPS`` when the group's figure is set against an all-groups
    ``base`` (a Census denominator, a target). Empty when no care group is chosen or the figure
    is the group's own.
    """
    if not care_group or recorded == BY_CARE_GROUP:
        return ""
    if recorded == ALL_CARE_GROUPS:
        return ALL_CARE_GROUPS_TAG
    if recorded == BASE_ALL_CARE_GROUPS:
        return f"{base} for {ALL_CARE_GROUPS_TAG}"
    raise ValueError(f"unknown care-group basis {recorded!r}")


def suppress_small_counts(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, bool]:
    """Replace counts of 1 to 4 people in ``columns`` with "<5"; say whether any were."""
    result = frame.copy()
    suppressed_any = False
    for column in columns:
        small = result[column].map(is_small_count)
        if small.any():
            suppressed_any = True
            result[column] = result[column].astype(object).where(~small, SUPPRESSED_TEXT)
    return result, suppressed_any


def suppression_footnotes(suppressed: bool, secondary: bool = False) -> tuple[str, ...]:
    notes = (SUPPRESSION_FOOTNOTE,) if suppressed else ()
    return notes + ((SECONDARY_FOOTNOTE,) if secondary else ())


STATUS_UNITS = ("status",)


def display_cell(value, unit: str | None, decimals: int | None = None) -> str:
    """A table cell as people read it."""
    if unit in STATUS_UNITS and value in STATUS_STYLE:
        return STATUS_STYLE[value]["label"]
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return formatting.MISSING
    if unit is None:
        return str(value)
    return formatting.format_value(value, unit, decimals=decimals)


def csv_cell(value, unit: str | None) -> str:
    """A CSV cell: numbers plain, statuses in words, text protected against formula injection."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if unit in STATUS_UNITS:
        return STATUS_STYLE[value]["label"] if value in STATUS_STYLE else str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return neutralise_formula(str(value))


def neutralise_formula(text: str) -> str:
    """Stop a spreadsheet reading a text cell as a formula (OWASP CSV injection advice)."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


# The unit a CSV column's plain numbers are in, named in its header ("NHS share (%)"): the
# cells carry no sign, unlike the table on screen.
CSV_UNIT_NAMES = {
    "percent": "%",
    "gbp": "£",
    "gbp-pence": "£",
    "gbp-change": "£",
    "gbp-per-week": "£",
    "gbp-per-night": "£",
    "km2": "km²",
    "per-km2": "per km²",
}


def csv_column_name(column: Column) -> str:
    """A column's CSV header: its label, with the unit of its numbers unless the label names it."""
    unit = CSV_UNIT_NAMES.get(column.unit or "")
    if unit is None or unit in column.label:
        return column.label
    return f"{column.label} ({unit})"


# The trailing provenance columns of every CSV: the whole chart's sources and period. Named
# for the chart, not "Source" and "Period", which tables use for a row's own citation or period
# (the Decisions list, "Since last meeting", the Short Breaks charts): a header named twice is
# renamed or misread by Excel and pandas.
PROVENANCE_COLUMNS = ("Chart source", "Chart period")


def to_csv(spec: ChartSpec) -> str:
    """The table exactly as shown, one header row, with provenance in trailing columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_column_name(column) for column in spec.columns] + list(PROVENANCE_COLUMNS))
    source = neutralise_formula("; ".join(spec.sources))
    for values in spec.table.to_dict("records"):
        cells = [csv_cell(values[column.key], column.unit) for column in spec.columns]
        writer.writerow(cells + [source, neutralise_formula(spec.period_label)])
    return buffer.getvalue()
