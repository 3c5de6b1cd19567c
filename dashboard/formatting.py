"""Numbers formatted for people reading the dashboard: money, counts, percentages and units.

Conventions: rounding is half-up (2.5 -> 3, as people expect, not Python's half-to-even);
missing values show as an en dash; negative numbers use a true minus sign (U+2212).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from dashboard.disclosure import SUPPRESSED_TEXT

MISSING = "\u2013"
"""En dash shown for a missing value."""
MINUS = "\u2212"

_UNIT_NOUNS = {
    "hours": ("hour", "hours"),
    "weeks": ("week", "weeks"),
    "nights": ("night", "nights"),
    "sessions": ("session", "sessions"),
    "places": ("place", "places"),
}
_DEFAULT_DECIMALS = {"score": 1, "rate": 1}


def finite_number(value: object) -> float | None:
    """The value as a finite float, or None if it is missing, NaN, infinite or not a number
    (a suppressed count written as "<5")."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _round(value: float, decimals: int = 0) -> Decimal:
    """Round half away from zero, using the shortest decimal form of the float."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _signed(rounded: Decimal, decimals: int) -> str:
    """Group thousands and use a real minus sign; a value rounding to zero gets no sign."""
    text = f"{abs(rounded):,.{decimals}f}"
    return MINUS + text if rounded < 0 else text


def _plural(number: Decimal, singular: str, plural: str) -> str:
    return singular if abs(number) == 1 else plural


def format_money(amount: float | None) -> str:
    """Pounds, shortened the way commissioning papers quote them (``format_short_count``):
    "£5.66m", "£7.5m", "£800k", "£424k", "£4,135". Missing and negative amounts show as an en
    dash: spending figures are never negative, so a negative one is not shown.
    """
    text = format_short_count(amount)
    return text if text == MISSING else f"£{text}"


def format_short_count(value: float | None) -> str:
    """A non-negative number shortened the way commissioning papers quote large ones.

    * 1m and over: millions to 2 decimal places without trailing zeros, "5.66m", "7.5m";
    * 10k up to 1m: nearest thousand, "800k", "424k" (a number that rounds to 1,000k is shown
      as "1m");
    * under 10k: nearest whole number, "4,135".

    The band is chosen after rounding, so 9,999.60 shows as "10k". Missing and negative numbers
    show as an en dash.
    """
    number = finite_number(value)
    if number is None or number < 0:
        return MISSING
    whole = _round(number)
    if whole < 10_000:
        return f"{whole:,}"
    thousands = _round(number / 1_000)
    if thousands < 1_000:
        return f"{thousands:,}k"
    millions = f"{_round(number / 1_000_000, 2):,.2f}".rstrip("0").rstrip(".")
    return f"{millions}m"


def format_count(value: float | None) -> str:
    """A whole number with thousands separators: 7174 -> "7,174"; 12.5 -> "13"."""
    return format_number(value, 0)


def format_number(value: float | None, decimals: int = 0) -> str:
    """A number with thousands separators and a fixed number of decimal places."""
    number = finite_number(value)
    if number is None:
        return MISSING
    return _signed(_round(number, decimals), decimals)


def format_percent(value: float | None, decimals: int = 0) -> str:
    """A percentage given on the 0-100 scale: 68 -> "68%"; 9.13 with 1 decimal -> "9.1%"."""
    number = finite_number(value)
    if number is None:
        return MISSING
    return _signed(_round(number, decimals), decimals) + "%"


def format_change(pct: float | None, decimals: int = 0) -> str:
    """A signed percentage change: 125 -> "+125%", -6 -> "-6%" (U+2212 minus), 0 -> "0%"."""
    number = finite_number(pct)
    if number is None:
        return MISSING
    rounded = _round(number, decimals)
    sign = "+" if rounded > 0 else ""
    return sign + _signed(rounded, decimals) + "%"


def format_ordinal(value: float | None) -> str:
    """A rank as an ordinal: 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    number = finite_number(value)
    if number is None:
        return MISSING
    rank = int(_round(number))
    if rank % 100 in (11, 12, 13):
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank:,}{suffix}"


def _with_noun(value: float | None, decimals: int, *, unit: str) -> str:
    number = finite_number(value)
    if number is None:
        return MISSING
    rounded = _round(number, decimals)
    return f"{_signed(rounded, decimals)} {_plural(rounded, *_UNIT_NOUNS[unit])}"


def _money_per(value: float | None, period: str) -> str:
    money = format_money(value)
    return MISSING if money == MISSING else f"{money} per {period}"


def format_pence(value: float | None) -> str:
    """Pounds and pence, for small amounts such as spend per head: 60.857 -> "£60.86"."""
    number = finite_number(value)
    if number is None or number < 0:
        return MISSING
    return f"£{_round(number, 2):,.2f}"


def format_money_change(amount: float | None) -> str:
    """A signed amount of money, shortened as ``format_money``: "+£120k", "−£45k", "£0"."""
    number = finite_number(amount)
    if number is None:
        return MISSING
    text = format_money(abs(number))
    if text in ("£0", MISSING):
        return text
    return ("+" if number > 0 else MINUS) + text


_FORMATTERS: dict[str, Callable[[float | None, int], str]] = {
    "count": format_number,
    "percent": format_percent,
    "score": format_number,
    "rate": format_number,
    "km2": lambda value, decimals: f"{format_number(value, decimals)} km²",
    "per-km2": lambda value, decimals: f"{format_number(value, decimals)} per km²",
    "gbp": lambda value, _decimals: format_money(value),
    "gbp-pence": lambda value, _decimals: format_pence(value),
    "gbp-change": lambda value, _decimals: format_money_change(value),
    "gbp-per-week": lambda value, _decimals: _money_per(value, "week"),
    "gbp-per-night": lambda value, _decimals: _money_per(value, "night"),
    "rank": lambda value, _decimals: format_ordinal(value),
    **{unit: partial(_with_noun, unit=unit) for unit in _UNIT_NOUNS},
}
UNITS = tuple(_FORMATTERS)
"""Units understood by :func:`format_value`."""


def format_value(
    value: float | None,
    unit: str,
    *,
    qualifier: str | None = None,
    suppressed: bool = False,
    decimals: int | None = None,
) -> str:
    """Format a figure for display according to its unit.

    Args:
        value: The figure (percentages on the 0-100 scale).
        unit: One of :data:`UNITS`: count, percent, score, rate, km2, per-km2, gbp,
            gbp-per-week, gbp-per-night, rank, hours, weeks, nights, sessions or places.
        qualifier: Words put before the figure, e.g. "over" -> "over 25,000", "average" ->
            "average £182". Not added to a missing or suppressed figure.
        suppressed: Show the disclosure-control text "<5" instead of the figure.
        decimals: Decimal places for non-money units; defaults to 1 for score and rate, else 0.

    Returns:
        The display text; an en dash for a missing figure (or a negative amount of money).

    Raises:
        ValueError: For an unknown unit.
    """
    if unit not in _FORMATTERS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")
    if suppressed:
        return SUPPRESSED_TEXT
    places = _DEFAULT_DECIMALS.get(unit, 0) if decimals is None else decimals
    text = _FORMATTERS[unit](value, places)
    if text == MISSING or not qualifier:
        return text
    return f"{qualifier} {text}"
