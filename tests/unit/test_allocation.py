"""The fair-share arithmetic, worked by hand: exact pence, refusals, gaps, sensitivity, path."""

from __future__ import annotations

from fractions import Fraction

import pytest

from dashboard.allocation import (
    PRESETS,
    AllocationError,
    DistrictGap,
    Formula,
    fair_shares,
    need_shares,
    parse_budget,
    per_head,
    phased_path,
    share_pence,
    sign_changes,
    year_reached,
)

NAMES = {"A": "Ashby", "B": "Bexley Vale", "C": "Cranfield"}


def bases(residents=None, carers=None, heavy=None):
    return {
        "residents": residents or {},
        "carers": carers or {},
        "carers_50plus": heavy or {},
    }


def fair(budget, formula, current, denominators, deprivation=None):
    names = {code: NAMES[code] for code in current}
    gaps = fair_shares(budget, formula, current, denominators, deprivation or {}, names)
    return {gap.code: gap.fair_pence for gap in gaps}


def test_equal_need_leaves_one_penny_to_the_earliest_code():
    # 100p / 3 = 33.33p each: 33 + 33 + 33 = 99, the last penny to A (tie, earliest code).
    shares = {code: Fraction(1, 3) for code in "ABC"}
    assert share_pence(100, shares) == {"A": 34, "B": 33, "C": 33}


def test_largest_remainder_gives_the_penny_to_the_largest_fraction():
    # Carers 1, 2, 3 of £10: 166.67p, 333.33p, 500p; floors add to 999p; A's .67 is largest.
    denominators = bases(residents={"A": 1, "B": 2, "C": 3}, carers={"A": 1, "B": 2, "C": 3})
    result = fair(1000, PRESETS["carers"], {"A": 0, "B": 0, "C": 0}, denominators)
    assert result == {"A": 167, "B": 333, "C": 500}
    assert sum(result.values()) == 1000


def test_fair_shares_always_add_up_to_the_budget_to_the_penny():
    counts = {"A": 7919, "B": 104729, "C": 1299709}
    for budget in (1, 2, 3, 99, 1001, 750_000_000, 123_456_789_01):
        shares = need_shares(PRESETS["carers"], bases(carers=counts), {}, NAMES)
        result = share_pence(budget, shares)
        assert sum(result.values()) == budget
        assert all(abs(result[c] - budget * shares[c]) < 1 for c in counts)


def test_a_weighted_mix_averages_the_shares_by_weight():
    # Residents A 25%, B 75%; carers A 75%, B 25%; equal weights: 50% each; 1001p -> 501 + 500.
    denominators = bases(residents={"A": 100, "B": 300}, carers={"A": 30, "B": 10})
    formula = Formula(residents=1, carers=1)
    assert fair(1001, formula, {"A": 0, "B": 0}, denominators) == {"A": 501, "B": 500}
    # Weights are relative: 30/30 is the same formula as 1/1.
    assert fair(1001, Formula(residents=30, carers=30), {"A": 0, "B": 0}, denominators) == {
        "A": 501,
        "B": 500,
    }


def test_the_uplift_scales_need_between_the_least_and_most_deprived():
    # Equal carers; IMD A 10 (least), B 30 (most), C 20 (half way); uplift 50%:
    # need 1, 1.5, 1.25 (total 3.75) -> of 375p: 100p, 150p, 125p.
    denominators = bases(carers={"A": 5, "B": 5, "C": 5})
    imd = {"A": 10.0, "B": 30.0, "C": 20.0}
    formula = Formula(carers=1, uplift=50)
    assert fair(375, formula, {"A": 0, "B": 0, "C": 0}, denominators, imd) == {
        "A": 100,
        "B": 150,
        "C": 125,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "Bexley Vale has 0"), (None, "Bexley Vale has no figure"), (float("nan"), "no figure")],
)
def test_zero_or_missing_denominators_are_refused_naming_district_and_denominator(value, expected):
    denominators = bases(carers={"A": 5, "B": value, "C": 5})
    with pytest.raises(AllocationError) as refused:
        need_shares(PRESETS["carers"], denominators, {}, NAMES)
    assert expected in str(refused.value)
    assert "unpaid carers" in str(refused.value)


def test_a_base_with_no_weight_is_not_read():
    denominators = bases(residents={"A": 1, "B": 1, "C": 2}, carers={"A": 0, "B": None, "C": 1})
    shares = need_shares(PRESETS["residents"], denominators, {}, NAMES)
    assert shares == {"A": Fraction(1, 4), "B": Fraction(1, 4), "C": Fraction(1, 2)}


def test_missing_deprivation_is_refused_only_with_an_uplift():
    denominators = bases(carers={"A": 1, "B": 1, "C": 1})
    need_shares(PRESETS["carers"], denominators, {}, NAMES)
    with pytest.raises(AllocationError, match="Ashby has no figure"):
        need_shares(Formula(carers=1, uplift=10), denominators, {"B": 20, "C": 30}, NAMES)


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (Formula(carers=-1, residents=2), "0 or more"),
        (Formula(), "At least one weight"),
        (Formula(carers=float("nan")), "0 or more"),
        (Formula(carers=1, uplift=101), "between 0% and 100%"),
        (Formula(carers=1, uplift=-5), "between 0% and 100%"),
    ],
)
def test_weights_and_uplift_are_validated(formula, message):
    with pytest.raises(AllocationError, match=message):
        formula.check()


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("7500000", 750_000_000),
        ("7,500,000", 750_000_000),
        ("£7.5m", 750_000_000),
        ("772k", 77_200_000),
        (" 1234.56 ", 123_456),
    ],
)
def test_budgets_are_read_in_pounds_as_pence(text, pence):
    assert parse_budget(text) == pence


@pytest.mark.parametrize(
    "text", ["", "abc", "0", "-5", "1.234", "nan", "inf", "2000000000", "1e400"]
)
def test_unusable_budgets_are_refused(text):
    with pytest.raises(AllocationError):
        parse_budget(text)


def test_gap_in_pounds_and_percent_of_the_current_allocation():
    gap = DistrictGap("A", current_pence=50_000, fair_pence=60_000)
    assert (gap.gap_pence, gap.gap_percent, gap.position) == (10_000, 20.0, "under")
    assert DistrictGap("A", 0, 100).gap_percent is None
    # Within 1% of the fair share counts as at the fair share.
    assert DistrictGap("A", 10_050, 10_000).position == "fair"
    assert DistrictGap("A", 10_200, 10_000).position == "over"


def test_per_head_in_pounds():
    assert per_head(123_456, 1000) == pytest.approx(1.23456)
    assert per_head(100, 0) is None
    assert per_head(100, None) is None


def test_sign_changes_name_districts_under_by_one_formula_and_over_by_another():
    by_residents = [
        DistrictGap("A", 100, 200),
        DistrictGap("B", 200, 100),
        DistrictGap("C", 100, 100),
    ]
    by_carers = [DistrictGap("A", 100, 50), DistrictGap("B", 200, 150), DistrictGap("C", 100, 300)]
    assert sign_changes({"residents": by_residents, "carers": by_carers}) == ["A"]


def test_phased_path_moves_the_chosen_share_of_the_remaining_gap_each_year():
    # Gap £10 of a £100 fair share, 50% a year: 1000p, 500p, 250p, 125p, 62.5p remaining;
    # within 1% (100p) first in year 4.
    gaps = [DistrictGap("A", 9_000, 10_000), DistrictGap("B", 10_000, 10_000)]
    steps = phased_path(gaps, 50, years=5)
    remaining = [s.remaining_gap for s in steps if s.code == "A"]
    assert remaining == [1000, 500, 250, 125, Fraction(125, 2), Fraction(125, 4)]
    assert [s.allocation for s in steps if s.code == "A"][:2] == [9_000, 9_500]
    assert year_reached(steps, {"A": 10_000, "B": 10_000}) == {"A": 4, "B": 0}


def test_phased_path_all_at_once_and_not_within_the_horizon():
    gaps = [DistrictGap("A", 5_000, 10_000)]
    assert year_reached(phased_path(gaps, 100), {"A": 10_000}) == {"A": 1}
    # 10% a year: after 10 years 0.9^10 = 35% of a 5,000p gap is left, far above 100p.
    assert year_reached(phased_path(gaps, 10, years=10), {"A": 10_000}) == {"A": None}


@pytest.mark.parametrize("percent", [0, -10, 101, float("nan")])
def test_phasing_outside_0_to_100_is_refused(percent):
    with pytest.raises(AllocationError, match="each year"):
        phased_path([DistrictGap("A", 1, 2)], percent)


def test_the_formula_is_stated_in_words():
    assert PRESETS["carers_50plus"].describe() == (
        "Budget shared in proportion to each district's carers caring 50+ hours a week "
        "(Census 2021)"
    )
    text = Formula(residents=1, carers=3, uplift=20).describe()
    assert text.startswith("Budget shared by a weighted mix: 25% by residents (all ages), 75% by")
    assert "raised by up to 20% for deprivation (IMD 2019" in text
