"""Figures already in the database that a return's values are checked against.

The rules themselves are declared per measure in the catalogue (``MeasureSpec``) and applied by
``parse``; this module holds what those rules compare with, gathered by the caller so that
nothing under ``dashboard.returns`` touches the database:

- ``caps``: for each measure named in a catalogue ``at_most`` column, its latest value for each
  district (the Census 2021 carers), which a row's value may not exceed;
- ``history``: each provider's earlier returned values, for the "unusual" query: a value more
  than ``unusual_ratio`` times the provider's last return for the same measure, district, care
  group and kind of period (or less than its reciprocal) must be confirmed before it is loaded.
  Changes smaller than ``UNUSUAL_MIN_DIFFERENCE`` are never queried, so 2 carers becoming 7 is
  not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.periods import PeriodError, parse_period

UNUSUAL_MIN_DIFFERENCE = 10.0

# (provider, measure, district code, care group or None, period kind)
HistoryKey = tuple[str, str, str, str | None, str]


@dataclass(frozen=True)
class Cap:
    """The value a row may not exceed; ``measure`` and ``period`` name it for the message."""

    value: float
    measure: str
    period: str


@dataclass(frozen=True)
class Earlier:
    """One earlier returned value."""

    start: date
    period: str
    value: float


@dataclass(frozen=True)
class Benchmarks:
    """``caps``: (measure, district code) -> Cap. ``history``: HistoryKey -> earlier values."""

    caps: dict[tuple[str, str], Cap] = field(default_factory=dict)
    history: dict[HistoryKey, list[Earlier]] = field(default_factory=dict)

    @classmethod
    def from_frames(
        cls,
        *,
        capping: pd.DataFrame,
        returned: pd.DataFrame,
        measures: pd.DataFrame,
        periods: pd.DataFrame,
    ) -> Benchmarks:
        """Build from observation frames.

        ``capping``: rows of the measures named in ``at_most`` (measure, period, geography,
        care_group, category, value); the all-care-groups, uncategorised row of the latest
        period is each district's cap. ``returned``: imported rows (provider, measure, period,
        geography, care_group, value). ``measures`` and ``periods`` (slug, name / label, start)
        name them.
        """
        names = dict(zip(measures["slug"], measures["name"], strict=True))
        labels = dict(zip(periods["slug"], periods["label"], strict=True))
        starts = dict(zip(periods["slug"], pd.to_datetime(periods["start"]), strict=True))
        totals = capping[capping["care_group"].isna() & (capping["category"].fillna("") == "")]
        totals = totals.assign(start=totals["period"].map(starts)).dropna(subset=["start"])
        latest = totals.sort_values("start").groupby(["measure", "geography"]).last()
        caps = {
            (measure, geography): Cap(float(row.value), names[measure], labels[row.period])
            for (measure, geography), row in latest.iterrows()
        }
        return cls(caps=caps, history=_history(returned.itertuples(index=False)))

    def last_before(self, key: HistoryKey, start: date) -> Earlier | None:
        """The latest earlier value for ``key`` from a period that started before ``start``."""
        earlier = [item for item in self.history.get(key, []) if item.start < start]
        return max(earlier, key=lambda item: item.start) if earlier else None


def is_unusual(value: float, last: float, ratio: float) -> bool:
    """Whether ``value`` is more than ``ratio`` times ``last``, or less than ``last / ratio``,
    by at least ``UNUSUAL_MIN_DIFFERENCE``."""
    if abs(value - last) < UNUSUAL_MIN_DIFFERENCE:
        return False
    return value > ratio * last or value * ratio < last


def _history(rows: Iterable) -> dict[HistoryKey, list[Earlier]]:
    history: dict[HistoryKey, list[Earlier]] = defaultdict(list)
    for row in rows:
        try:
            period = parse_period(row.period)
        except PeriodError:
            continue  # only regular periods (years, halves, quarters) are returned
        care_group = row.care_group if isinstance(row.care_group, str) else None
        key = (row.provider, row.measure, row.geography, care_group, period.kind)
        history[key].append(Earlier(period.start, period.slug, float(row.value)))
    return dict(history)
