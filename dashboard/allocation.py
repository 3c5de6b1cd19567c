"""Fair-share allocation: a budget shared between districts by a need formula, exactly.

The rules, stated once:

- **Need.** A district's need is a weighted mix of its shares of Kent's residents, unpaid carers
  and carers caring 50+ hours a week (each district's count over the 12 districts' total); the
  weights are relative (only their proportions matter), non-negative and not all zero. The
  single formulas are the mixes with one weight. A deprivation uplift of U% (0 to
  ``MAX_UPLIFT``) then multiplies the most deprived district's need by 1 + U/100, the least
  deprived's by 1, and each other's in proportion to its IMD 2019 average score between them.
- **Fair share.** The budget, in pence, in proportion to need. Each district first gets the
  whole pence of its exact share; the pence left over (fewer than the number of districts) go
  one each to the districts with the largest fractions of a penny left, ties to the earlier
  district code (the largest remainder method). Fair shares therefore add up to the budget
  exactly, to the penny.
- **Gap.** Fair share minus current allocation: positive means the district gets less than its
  fair share. As a percentage it is of the current allocation (how much the district's money
  would have to change).
- **Phased path.** Each year moves a chosen percentage P of the remaining gap: after t years the
  gap is the starting gap times (1 - P/100)^t. A district reaches its fair share in the first
  year its remaining gap is within ``TOLERANCE_PERCENT`` of its fair share, or not within the
  horizon.

Nothing here rounds for display; every amount is exact pence or an exact fraction until asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from math import floor, isfinite

MAX_UPLIFT = 100  # per cent: the most deprived district's need at most doubled
MAX_BUDGET_POUNDS = 1_000_000_000
TOLERANCE_PERCENT = 1  # "reached its fair share": remaining gap within 1% of the fair share
HORIZON_YEARS = 10
BASES = ("residents", "carers", "carers_50plus")
BASE_WORDS = {
    "residents": "residents (all ages)",
    "carers": "unpaid carers",
    "carers_50plus": "carers caring 50+ hours a week",
}


class AllocationError(ValueError):
    """A scenario that cannot be computed; the message says why in words for the page."""


@dataclass(frozen=True)
class Formula:
    """Relative weights of the three need bases and the deprivation uplift (per cent)."""

    residents: float = 0.0
    carers: float = 0.0
    carers_50plus: float = 0.0
    uplift: float = 0.0

    def weights(self) -> dict[str, float]:
        return {
            "residents": self.residents,
            "carers": self.carers,
            "carers_50plus": self.carers_50plus,
        }

    def check(self) -> None:
        """Raise ``AllocationError`` unless the weights and uplift are usable."""
        for base, weight in self.weights().items():
            if not isfinite(weight) or weight < 0:
                raise AllocationError(
                    f"The weight for {BASE_WORDS[base]} must be a number of 0 or more "
                    f"(it is {weight})."
                )
        if sum(self.weights().values()) <= 0:
            raise AllocationError("At least one weight must be above 0 to share the budget.")
        if not isfinite(self.uplift) or not 0 <= self.uplift <= MAX_UPLIFT:
            raise AllocationError(
                f"The deprivation uplift must be between 0% and {MAX_UPLIFT}% "
                f"(it is {self.uplift}%)."
            )

    def describe(self) -> str:
        """The formula in words, as charts and exports state it."""
        weights = {base: w for base, w in self.weights().items() if w > 0}
        total = sum(weights.values())
        if len(weights) == 1:
            (base,) = weights
            text = f"Budget shared in proportion to each district's {BASE_WORDS[base]}"
        else:
            parts = [
                f"{_percent_text(100 * w / total)}% by {BASE_WORDS[base]}"
                for base, w in weights.items()
            ]
            text = "Budget shared by a weighted mix: " + ", ".join(parts)
        if self.uplift > 0:
            text += (
                f"; need raised by up to {_percent_text(self.uplift)}% for deprivation (IMD 2019 "
                "average score: the most deprived district by the full uplift, the least by none)"
            )
        return text + " (Census 2021)"


PRESETS = {
    "residents": Formula(residents=1),
    "carers": Formula(carers=1),
    "carers_50plus": Formula(carers_50plus=1),
}


def _percent_text(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def parse_budget(text: str) -> int:
    """A budget typed in pounds (``7,500,000``, ``£7.5m``, ``7500000.50``) as whole pence."""
    cleaned = (text or "").strip().lower().replace(",", "").replace("£", "").replace(" ", "")
    scale = Decimal(1)
    for suffix, factor in (("m", Decimal(1_000_000)), ("k", Decimal(1_000))):
        if cleaned.endswith(suffix):
            cleaned, scale = cleaned[: -len(suffix)], factor
            break
    try:
        pounds = Decimal(cleaned) * scale
    except InvalidOperation:
        raise AllocationError(
            f"“{text}” is not an amount of money: type pounds, e.g. 7500000 or 7.5m."
        ) from None
    if not pounds.is_finite() or pounds <= 0:
        raise AllocationError("The budget must be more than £0.")
    if pounds > MAX_BUDGET_POUNDS:
        raise AllocationError("The budget must be at most £1,000,000,000.")
    pence = pounds * 100
    if pence != pence.to_integral_value():
        raise AllocationError("The budget can have at most two decimal places (whole pence).")
    return int(pence)


def _checked(
    values: Mapping[str, float | None], codes: Sequence[str], names: Mapping[str, str], what: str
) -> dict[str, Fraction]:
    """Each district's value as an exact fraction, refusing a missing or non-positive one."""
    checked = {}
    for code in codes:
        value = values.get(code)
        name = names.get(code, code)
        if value is None or not isfinite(float(value)):
            raise AllocationError(f"Cannot share the budget by {what}: {name} has no figure.")
        if float(value) <= 0:
            raise AllocationError(
                f"Cannot share the budget by {what}: {name} has {float(value):g}, and a share "
                "needs more than 0."
            )
        checked[code] = Fraction(str(float(value)))
    return checked


def need_shares(
    formula: Formula,
    denominators: Mapping[str, Mapping[str, float | None]],
    deprivation: Mapping[str, float | None],
    names: Mapping[str, str],
) -> dict[str, Fraction]:
    """Each district's share of need (exact fractions adding up to 1), by ``formula``.

    ``names`` (code -> name) fixes the districts and their order; ``denominators`` maps each
    base in ``BASES`` to code -> count; ``deprivation`` maps code -> IMD 2019 average score
    (read only when the uplift is above 0).
    """
    formula.check()
    codes = list(names)
    if not codes:
        raise AllocationError("There are no districts to share the budget between.")
    need = {code: Fraction(0) for code in codes}
    total_weight = Fraction(str(sum(formula.weights().values())))
    for base, weight in formula.weights().items():
        if weight == 0:
            continue
        counts = _checked(denominators.get(base, {}), codes, names, BASE_WORDS[base])
        total = sum(counts.values())
        for code in codes:
            need[code] += Fraction(str(weight)) / total_weight * counts[code] / total
    if formula.uplift > 0:
        scores = _checked(deprivation, codes, names, "deprivation (IMD 2019 average score)")
        low, high = min(scores.values()), max(scores.values())
        uplift = Fraction(str(formula.uplift)) / 100
        for code in codes:
            position = (scores[code] - low) / (high - low) if high > low else Fraction(0)
            need[code] *= 1 + uplift * position
    total_need = sum(need.values())
    return {code: value / total_need for code, value in need.items()}


def share_pence(budget_pence: int, shares: Mapping[str, Fraction]) -> dict[str, int]:
    """``budget_pence`` split by ``shares`` (adding up to 1), largest remainder on pence.

    The result adds up to ``budget_pence`` exactly; ties for a leftover penny go to the earlier
    district code.
    """
    exact = {code: budget_pence * share for code, share in shares.items()}
    whole = {code: floor(value) for code, value in exact.items()}
    left_over = budget_pence - sum(whole.values())
    by_remainder = sorted(exact, key=lambda code: (-(exact[code] - whole[code]), code))
    for code in by_remainder[:left_over]:
        whole[code] += 1
    return whole


@dataclass(frozen=True)
class DistrictGap:
    """One district under one formula: current and fair share (pence), and the gap."""

    code: str
    current_pence: int
    fair_pence: int

    @property
    def gap_pence(self) -> int:
        return self.fair_pence - self.current_pence

    @property
    def gap_percent(self) -> float | None:
        """The gap as a percentage of the current allocation (None with none allocated)."""
        if self.current_pence <= 0:
            return None
        return 100 * self.gap_pence / self.current_pence

    @property
    def position(self) -> str:
        """``under`` (gets less than its fair share), ``over``, or ``fair`` (within tolerance)."""
        if abs(self.gap_pence) * 100 <= TOLERANCE_PERCENT * self.fair_pence:
            return "fair"
        return "under" if self.gap_pence > 0 else "over"


def fair_shares(
    budget_pence: int,
    formula: Formula,
    current_pence: Mapping[str, int],
    denominators: Mapping[str, Mapping[str, float | None]],
    deprivation: Mapping[str, float | None],
    names: Mapping[str, str],
) -> list[DistrictGap]:
    """Each district's current allocation, fair share and gap under ``formula``."""
    if budget_pence <= 0:
        raise AllocationError("The budget must be more than £0.")
    shares = need_shares(formula, denominators, deprivation, names)
    fair = share_pence(budget_pence, shares)
    missing = [names.get(code, code) for code in fair if code not in current_pence]
    if missing:
        raise AllocationError(f"No current allocation for {', '.join(missing)}.")
    return [DistrictGap(code, int(current_pence[code]), fair[code]) for code in fair]


def per_head(pence: int, count: float | None) -> float | None:
    """Pounds per head (None without a positive count)."""
    if count is None or not isfinite(count) or count <= 0:
        return None
    return pence / 100 / count


def sign_changes(gaps_by_formula: Mapping[str, Sequence[DistrictGap]]) -> list[str]:
    """District codes that are under their fair share by one formula and over it by another."""
    positions: dict[str, set[str]] = {}
    for gaps in gaps_by_formula.values():
        for gap in gaps:
            positions.setdefault(gap.code, set()).add(gap.position)
    return [code for code, seen in positions.items() if {"under", "over"} <= seen]


@dataclass(frozen=True)
class PathStep:
    """A district's allocation after ``year`` years of the phased path."""

    code: str
    year: int
    allocation: Fraction
    remaining_gap: Fraction


def phased_path(
    gaps: Sequence[DistrictGap], percent_per_year: float, years: int = HORIZON_YEARS
) -> list[PathStep]:
    """Year 0 (now) to ``years``: each year moves ``percent_per_year`` of the remaining gap."""
    if not isfinite(percent_per_year) or not 0 < percent_per_year <= 100:
        raise AllocationError(
            "The share of the gap moved each year must be above 0% and at most 100%."
        )
    keep = 1 - Fraction(str(percent_per_year)) / 100
    steps = []
    for gap in gaps:
        for year in range(years + 1):
            remaining = gap.gap_pence * keep**year
            steps.append(PathStep(gap.code, year, gap.fair_pence - remaining, remaining))
    return steps


def year_reached(steps: Sequence[PathStep], fair_pence: Mapping[str, int]) -> dict[str, int | None]:
    """The first year each district's remaining gap is within tolerance (None: not by then)."""
    reached: dict[str, int | None] = {}
    for step in sorted(steps, key=lambda s: (s.code, s.year)):
        if step.code in reached and reached[step.code] is not None:
            continue
        within = abs(step.remaining_gap) * 100 <= TOLERANCE_PERCENT * fair_pence[step.code]
        reached[step.code] = step.year if within else None
    return reached
