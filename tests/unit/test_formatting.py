"""Tests for dashboard.formatting, including the exact figures published in Kent's papers."""

import numpy as np
import pytest

from dashboard.formatting import (
    MINUS,
    MISSING,
    format_change,
    format_count,
    format_money,
    format_money_change,
    format_number,
    format_ordinal,
    format_percent,
    format_short_count,
    format_value,
)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (5_660_000, "£5.66m"),
        (1_840_000, "£1.84m"),
        (7_500_000, "£7.5m"),
        (3_100_000, "£3.1m"),
        (1_260_000, "£1.26m"),
        (4_360_000, "£4.36m"),
        (800_000, "£800k"),
        (580_000, "£580k"),
        (1_380_000, "£1.38m"),
        (1_760_000, "£1.76m"),
        (168_000, "£168k"),
        (424_322.6, "£424k"),
        (1_525_217, "£1.53m"),
        (1_000_000, "£1m"),
        (12_345_678, "£12.35m"),
        (4_135, "£4,135"),
        (0, "£0"),
        (999.5, "£1,000"),
    ],
)
def test_format_money(amount, expected):
    assert format_money(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (9_999.6, "£10k"),  # rounds to £10,000, which is in the thousands band
        (10_500, "£11k"),  # half-up, not half-to-even
        (999_600, "£1m"),  # rounds to £1,000k
        (1_005_000, "£1.01m"),
    ],
)
def test_format_money_band_edges(amount, expected):
    assert format_money(amount) == expected


@pytest.mark.parametrize("amount", [None, float("nan"), -5, float("inf")])
def test_format_money_missing_or_negative_is_en_dash(amount):
    assert format_money(amount) == "\u2013" == MISSING


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (9_000, "9,000"),
        (9_999.6, "10k"),
        (34_372, "34k"),
        (800_000, "800k"),
        (1_500_000, "1.5m"),
        (0, "0"),
        (-1, MISSING),
        (None, MISSING),
    ],
)
def test_a_count_is_shortened_as_amounts_are_without_the_pound_sign(number, expected):
    assert format_short_count(number) == expected
    if expected != MISSING:
        assert format_money(number) == f"£{expected}"


def test_format_money_accepts_numpy_numbers():
    assert format_money(np.float64(5_660_000)) == "£5.66m"
    assert format_money(np.int64(4_135)) == "£4,135"


def test_format_count():
    assert format_count(7174) == "7,174"
    assert format_count(7174.5) == "7,175"
    assert format_count(2.5) == "3"
    assert format_count(-1200) == MINUS + "1,200"
    assert format_count(None) == MISSING


def test_format_percent():
    assert format_percent(68) == "68%"
    assert format_percent(9.13, decimals=1) == "9.1%"
    assert format_percent(9.13) == "9%"
    assert format_percent(12.5) == "13%"
    assert format_percent(float("nan")) == MISSING


def test_format_number():
    assert format_number(15150.456, 2) == "15,150.46"


def test_format_change_uses_real_minus():
    assert format_change(125) == "+125%"
    assert format_change(-6) == "\u22126%"
    assert format_change(-0.4) == "0%"
    assert format_change(2.25, decimals=1) == "+2.3%"
    assert format_change(None) == MISSING


@pytest.mark.parametrize(
    ("rank", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
    ],
)
def test_format_ordinal(rank, expected):
    assert format_ordinal(rank) == expected


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (7174, "count", None, "7,174"),
        (25000, "count", "over", "over 25,000"),
        (15150, "count", "about", "about 15,150"),
        (68, "percent", None, "68%"),
        (182, "gbp", "average", "average £182"),
        (5_660_000, "gbp", None, "£5.66m"),
        (182, "gbp-per-week", None, "£182 per week"),
        (95.5, "gbp-per-night", None, "£96 per night"),
        (50, "hours", None, "50 hours"),
        (12, "weeks", None, "12 weeks"),
        (1, "weeks", None, "1 week"),
        (1, "nights", None, "1 night"),
        (3, "nights", None, "3 nights"),
        (240, "sessions", None, "240 sessions"),
        (1, "places", None, "1 place"),
        (3, "rank", None, "3rd"),
        (7.26, "score", None, "7.3"),
        (3544.6, "km2", None, "3,545 km²"),
        (447.2, "per-km2", None, "447 per km²"),
        (12.34, "rate", None, "12.3"),
    ],
)
def test_format_value_by_unit(value, unit, qualifier, expected):
    assert format_value(value, unit, qualifier=qualifier) == expected


def test_format_value_suppressed_missing_decimals_and_unknown_unit():
    assert format_value(3, "count", suppressed=True) == "<5"
    assert format_value(3, "count", qualifier="about", suppressed=True) == "<5"
    assert format_value(None, "count", qualifier="over") == MISSING
    assert format_value(-10, "gbp-per-week") == MISSING
    assert format_value(9.13, "percent", decimals=1) == "9.1%"
    assert format_value(7.26, "score", decimals=2) == "7.26"
    with pytest.raises(ValueError):
        format_value(1, "furlongs")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (261_400, "+£261k"),
        (-310_600, f"{MINUS}£311k"),
        (2_280.4, "+£2,280"),
        (0.3, "£0"),
        (-0.4, "£0"),
        (None, MISSING),
        (float("nan"), MISSING),
    ],
)
def test_format_money_change_is_signed_and_shortened(amount, expected):
    assert format_money_change(amount) == expected
    assert format_value(amount, "gbp-change") == expected
