"""Reporting periods: parse and describe the slugs used in URLs, data files and returns.

Regular periods are UK financial years (1 April to 31 March) and their quarters and halves:
``2015-16``, ``2015-16-q1``, ``2016-17-h1``. Irregular periods (census days, multi-year contract
terms) come from ``data/reference/periods.csv`` and are passed in where needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

_REGULAR = re.compile(r"^(?P<y1>\d{4})-(?P<y2>\d{2})(?:-(?P<part>[qh])(?P<n>[1-4]))?$")
KINDS = ("year", "half", "quarter", "span", "point")
MENU_KINDS = ("year", "half", "quarter")  # the order of the period menu


class PeriodError(ValueError):
    """A period slug that is not a financial year, quarter or half-year."""


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period with inclusive start and end dates."""

    start: date
    end: date
    slug: str
    kind: str
    label: str


def parse_period(slug: str) -> Period:
    """Parse a regular period slug, raising PeriodError with the reason if it is not one."""
    match = _REGULAR.match(slug.strip().lower())
    if not match:
        raise PeriodError(
            f"{slug!r} is not a period: use a financial year such as 2015-16, a quarter such as "
            "2015-16-q1 or a half-year such as 2016-17-h1."
        )
    first_year = int(match["y1"])
    if (first_year + 1) % 100 != int(match["y2"]):
        raise PeriodError(
            f"{slug!r} is not a financial year: the second year must follow the first."
        )
    if not 1 <= first_year < 9999:  # the years a date holds, the next one's March included
        raise PeriodError(f"{slug!r} is not a period: its years are out of range.")
    year_start = date(first_year, 4, 1)
    fy_label = f"{first_year}/{match['y2']}"
    part, number = match["part"], match["n"]
    if part is None:
        return Period(year_start, date(first_year + 1, 3, 31), match.group(0), "year", fy_label)
    months = 3 if part == "q" else 6
    count = 4 if part == "q" else 2
    index = int(number)
    if index > count:
        raise PeriodError(f"{slug!r} is not a period: a year has only {count} {part}{count}.")
    start = _add_months(year_start, months * (index - 1))
    end = _add_months(start, months) - timedelta(days=1)
    span = f"{start:%b}–{end:%b %Y}" if start.year == end.year else f"{start:%b %Y}–{end:%b %Y}"
    label = f"{fy_label} {part.upper()}{index} ({span})"
    return Period(start, end, match.group(0), "quarter" if part == "q" else "half", label)


def menu_order(slugs: Iterable[str]) -> list[str]:
    """Regular period slugs in menu order: years, halves, then quarters, newest first in each."""
    periods = [parse_period(slug) for slug in slugs]
    periods.sort(key=lambda period: (MENU_KINDS.index(period.kind), -period.start.toordinal()))
    return [period.slug for period in periods]


def financial_year_slug(first_year: int) -> str:
    """``2015`` -> ``2015-16``."""
    return f"{first_year}-{(first_year + 1) % 100:02d}"


def years_from_to(first_slug: str, last_slug: str) -> list[Period]:
    """Every financial year from the one ``first_slug`` falls in to ``last_slug``'s."""

    def first_year(slug: str) -> int:
        start = parse_period(slug).start
        return start.year if start.month >= 4 else start.year - 1

    years = range(first_year(first_slug), first_year(last_slug) + 1)
    return [parse_period(financial_year_slug(year)) for year in years]


def quarters_of(year_slug: str) -> list[str]:
    """The four quarter slugs of a financial year slug."""
    parse_period(year_slug)
    return [f"{year_slug}-q{n}" for n in range(1, 5)]


def halves_of(year_slug: str) -> list[str]:
    """The two half-year slugs of a financial year slug."""
    parse_period(year_slug)
    return [f"{year_slug}-h{n}" for n in range(1, 3)]


def contains(outer: Period, inner: Period) -> bool:
    """Whether ``inner`` lies wholly within ``outer``."""
    return outer.start <= inner.start and inner.end <= outer.end


def overlaps(first: Period, second: Period) -> bool:
    """Whether the two periods share at least one day."""
    return first.start <= second.end and second.start <= first.end


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    return date(day.year + month_index // 12, month_index % 12 + 1, day.day)
