"""Deterministic demonstration data for what the documents do not publish.

The council documents give county totals for a few periods; the dashboard needs quarterly
returns by district, care group and provider, and funding allocations by district and funder.
This module makes them up, plausibly and reproducibly (fixed seed), and calibrated: wherever a
published county total exists for a period, the demo rows for that period add up to it exactly
(counts) or average to it (shares). Every row it returns has status ``demo``.

Rules: where a year and its quarters are both published and disagree, the quarters win (the
difference is a data-quality note). District splits follow need: Census 2021 carers, weighted up
for deprivation (IMD 2019 average score), with fixed per-district variation so that spend and
reach per head differ between districts the way real allocations do. As in a provider's return
(``returns.parse.SUBSET_RULES``), a part never exceeds its whole for the same district part,
care group and quarter: new carers identified are among the carers supported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.db.seed_files import KENT_CODE, SeedData
from dashboard.periods import PeriodError, financial_year_slug, parse_period, quarters_of
from dashboard.returns.parse import SUBSET_RULES
from dashboard.rules import district_codes, is_district

GENERATOR_VERSION = "3"
SEED = 20130401
# The care-group split of short-breaks returns draws from its own stream, so adding it left
# every other demo figure exactly as before.
SHORT_BREAK_SPLIT_SEED = (SEED, 2)
SOURCE = "demo-generator"
FIRST_YEAR, LAST_YEAR = 2013, 2024  # financial years 2013-14 to 2024-25
QUARTER_WEIGHTS = np.array([0.24, 0.26, 0.24, 0.26])

# Annual county levels before calibration. Where the documents give a 2015/16 figure and its
# change on 2014/15, the 2014/15 level is that figure divided by (1 + change).
CAS_LEVELS = {
    "carers-supported": {2013: 9_800, 2014: 11_200, 2015: 12_600},
    "new-carers-identified": {2013: 2_100, 2014: round(5_313 / 1.64)},
    "referrals": {2013: 2_600, 2014: round(7_174 / 2.25)},
    "carers-assessments": {2013: 1_150, 2014: 1_240, 2015: 1_700},
    "health-checks": {2013: 1_050, 2014: round(1_775 / 1.28)},
    "information-advice": {2013: 23_000, 2014: round(27_871 / 1.10)},
    "emotional-support": {2013: 15_100, 2014: round(17_097 / 1.06)},
    "one-off-payments": {2013: 900, 2014: round(1_391 / 1.29)},
}
CAS_GROWTH = 0.03
COVID_YEAR, COVID_FACTOR = 2020, 0.82
CARE_GROUP_WEIGHTS = {
    "older-people": 0.20,
    "dementia": 0.16,
    "mental-health": 0.12,
    "physical-disability": 0.12,
    "learning-disability": 0.09,
    "parent-carers": 0.06,
    "autism": 0.05,
    "end-of-life": 0.04,
    "sensory-impairment": 0.03,
    "younger-adult-carers": 0.03,
    "substance-misuse": 0.02,
    "young-carers-in-transition": 0.02,
    "not-recorded": 0.06,
}
CRISIS_CARE_GROUP_WEIGHTS = {  # the referrals that are not for people with dementia
    "older-people": 0.12,
    "physical-disability": 0.06,
    "end-of-life": 0.05,
    "mental-health": 0.04,
    "learning-disability": 0.02,
    "not-recorded": 0.03,
    "autism": 0.015,
    "sensory-impairment": 0.015,
    "parent-carers": 0.015,
    "younger-adult-carers": 0.015,
    "substance-misuse": 0.015,
    "young-carers-in-transition": 0.015,
}
SHORT_BREAK_CARE_GROUP_WEIGHTS = {  # who short-break hours are delivered for
    "dementia": 0.30,
    "older-people": 0.24,
    "physical-disability": 0.10,
    "learning-disability": 0.07,
    "mental-health": 0.05,
    "end-of-life": 0.05,
    "not-recorded": 0.05,
    "autism": 0.03,
    "sensory-impairment": 0.03,
    "parent-carers": 0.03,
    "younger-adult-carers": 0.02,
    "substance-misuse": 0.015,
    "young-carers-in-transition": 0.015,
}
OUTCOME_MEASURES = ("admissions-prevented", "failed-discharges-prevented")
SHORT_BREAK_LEVELS = {  # hours a year by type, and crisis-service counts
    "planned sitting": 16_500,
    "crisis response": 6_500,
    "health appointments": 1_950,
    "crisis-referrals": 880,
    "admissions-prevented": 600,
    "failed-discharges-prevented": 25,
}
DEMENTIA_SHARE = 66.0
DEMENTIA_CATEGORY = "crisis referrals"
HOUR_TYPES = ("planned sitting", "crisis response", "health appointments")
UNSOCIAL_SHARES = {"planned sitting": 42.0, "crisis response": 60.0, "health appointments": 20.0}
SHORT_BREAK_PROVIDER = "crossroads-care-kent"

# Yearly allocations by service line (KCC, NHS) before calibration to a published year.
FUNDING_LEVELS = {
    ("council", "cas"): 3_100_000,
    ("council", "short-breaks-contracted"): 800_000,
    ("council", "short-breaks-grant"): 1_760_000,
    ("council", "direct-payments"): 772_000,
    ("nhs", "cas"): 1_260_000,
    ("nhs", "short-breaks-contracted"): 580_000,
}
FUNDING_GROWTH = 0.015
NHS_FUNDER_ERAS = (  # (first financial year, funder slug or None for the seven CCGs)
    (2013, None),
    (2020, "nhs-kent-medway-ccg"),
    (2022, "nhs-kent-medway-icb"),
)


@dataclass(frozen=True)
class DemoData:
    observations: pd.DataFrame
    funding: pd.DataFrame
    # Synthetic providers, their contracts and month periods: only in benchmark data
    # (``dashboard.benchmark_data``); columns as in reference/providers.csv and
    # provider_contracts.csv, periods as rows of the period table.
    providers: pd.DataFrame = field(default_factory=pd.DataFrame)
    contracts: pd.DataFrame = field(default_factory=pd.DataFrame)
    periods: list[dict] = field(default_factory=list)


def generate(seed_data: SeedData) -> DemoData:
    """Build every demo row from the validated seed data; same input, same output."""
    rng = np.random.default_rng(SEED)
    cells = _district_cells(seed_data, rng)
    targets = _published_targets(seed_data)
    returns = _cas_returns(cells, targets, rng)
    observations = pd.concat(
        [returns, _short_break_returns(cells, targets, rng)], ignore_index=True
    )
    return DemoData(observations=observations, funding=_funding(seed_data, cells, rng))


def years() -> list[str]:
    return [financial_year_slug(year) for year in range(FIRST_YEAR, LAST_YEAR + 1)]


def _district_cells(seed_data: SeedData, rng: np.random.Generator) -> pd.DataFrame:
    """One row per district part served by one CAS provider, with a need weight."""
    census = seed_data["census/observations.csv"]
    districts = district_codes(seed_data["reference/districts.csv"])
    carers = _district_values(census, "census-carers", "census-2021", "", districts)
    imd = _district_values(census, "imd-score", "imd-2019", "", districts)
    deprivation = 1 + 0.25 * (imd - imd.mean()) / imd.std()
    variation = pd.Series(rng.lognormal(0.0, 0.15, len(carers)), index=carers.index)
    need = carers * deprivation * variation
    shares = seed_data["reference/locality_shares.csv"]
    cas = shares[shares["scheme"] == "cas-2013"]
    rows = []
    for district, weight in need.sort_index().items():
        for part in cas[cas["district_code"] == district].itertuples():
            rows.append(
                {
                    "district": district,
                    "locality": part.locality,
                    "provider": _cas_provider(seed_data, part.locality),
                    "weight": weight * part.carer_share,
                    "carers": carers[district] * part.carer_share,
                }
            )
    return pd.DataFrame(rows)


def _district_values(
    frame: pd.DataFrame, measure: str, period: str, category: str, districts: frozenset[str]
) -> pd.Series:
    rows = frame[
        (frame["measure"] == measure)
        & (frame["period"] == period)
        & (frame["category"] == category)
        & is_district(frame["geography"], districts)
    ]
    if rows.empty:
        raise ValueError(f"census/observations.csv has no {measure} rows for {period}")
    return rows.set_index("geography")["value"].astype(float)


def _cas_provider(seed_data: SeedData, locality: str) -> str:
    """The latest CAS provider contracted for a locality (contracts are assumed to continue)."""
    contracts = seed_data["reference/provider_contracts.csv"]
    rows = contracts[(contracts["locality"] == locality) & (contracts["service_line"] == "cas")]
    if rows.empty:
        raise ValueError(f"reference/provider_contracts.csv has no CAS provider for {locality}")
    return rows.sort_values("start", key=lambda s: s.astype(str)).iloc[-1]["provider"]


def _published_targets(seed_data: SeedData) -> pd.DataFrame:
    """Published county totals for regular periods: what the demo rows must add up to.

    Rows with no provider describe the CAS services; the short-breaks figures name their provider.
    """
    published = seed_data["published/observations.csv"]
    rows = published[(published["geography"] == KENT_CODE) & (published["care_group"] == "")]
    regular = rows["period"].map(_is_regular)
    columns = ["measure", "period", "provider", "category", "value"]
    return rows[regular][columns].reset_index(drop=True)


def _is_regular(slug: str) -> bool:
    try:
        parse_period(slug)
    except PeriodError:
        return False
    return True


def _quarter_totals(
    levels: dict[int, float], targets: pd.DataFrame, growth: float, rng: np.random.Generator
) -> dict[str, int]:
    """County total per quarter: a trend, overridden by published quarters, halves and years."""
    totals: dict[str, int] = {}
    level = 0.0
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        level = levels.get(year, level * (1 + growth) * rng.lognormal(0, 0.03))
        annual = level * (COVID_FACTOR if year == COVID_YEAR else 1.0)
        slug = financial_year_slug(year)
        quarters = quarters_of(slug)
        fixed = {q: int(targets[q]) for q in quarters if q in targets}
        for half, members in ((f"{slug}-h1", quarters[:2]), (f"{slug}-h2", quarters[2:])):
            if half in targets and not any(q in fixed for q in members):
                fixed.update(_split(targets[half], QUARTER_WEIGHTS[:2], members))
        open_quarters = [q for q in quarters if q not in fixed]
        if open_quarters:
            remaining = targets[slug] - sum(fixed.values()) if slug in targets else None
            if remaining is None:
                remaining = annual * len(open_quarters) / 4
            weights = QUARTER_WEIGHTS[[quarters.index(q) for q in open_quarters]]
            fixed.update(_split(remaining, weights, open_quarters))
        totals.update(fixed)
    return totals


def _split(total: float, weights: np.ndarray, labels: list) -> dict:
    """Split a whole-number total over labels in proportion to weights (largest remainder)."""
    return dict(zip(labels, _allocate(round(total), np.asarray(weights, dtype=float)), strict=True))


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to weights that add up exactly to ``total``."""
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=int)
    exact = total * weights / weights.sum()
    counts = np.floor(exact).astype(int)
    shortfall = total - counts.sum()
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:shortfall]] += 1
    return counts


def _targets_for(
    targets: pd.DataFrame, measure: str, provider: str = "", category: str = ""
) -> dict[str, float]:
    """Published totals of one measure, provider and category, by period slug."""
    rows = targets[
        (targets["measure"] == measure)
        & (targets["provider"] == provider)
        & (targets["category"] == category)
    ]
    return dict(zip(rows["period"], rows["value"], strict=True))


def _cas_returns(
    cells: pd.DataFrame, targets: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """CAS counts by district part (one provider each), care group and quarter."""
    care_groups = list(CARE_GROUP_WEIGHTS)
    group_weights = np.array(list(CARE_GROUP_WEIGHTS.values()))
    counts: dict[tuple[str, str], np.ndarray] = {}
    for measure, levels in CAS_LEVELS.items():
        measure_variation = rng.lognormal(0.0, 0.12, len(cells))
        mix = rng.dirichlet(group_weights * 200, len(cells))
        totals = _quarter_totals(levels, _targets_for(targets, measure), CAS_GROWTH, rng)
        for quarter, total in totals.items():
            noise = rng.lognormal(0.0, 0.05, len(cells))
            weights = (cells["weight"].to_numpy() * measure_variation * noise)[:, None] * mix
            counts[measure, quarter] = _allocate(total, weights.ravel()).reshape(weights.shape)
    # Made after every draw, so keeping parts within totals changes no other demo figure.
    for part, whole in SUBSET_RULES:
        for measure, quarter in list(counts):
            if measure == part and (whole, quarter) in counts:
                counts[part, quarter] = _within_whole(counts[part, quarter], counts[whole, quarter])
    frames = [
        _cell_rows(cells, care_groups, values, measure, quarter)
        for (measure, quarter), values in counts.items()
    ]
    return pd.concat(frames, ignore_index=True)


def _within_whole(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """A part's counts (rows x care groups) moved so no cell exceeds the whole's, same total.

    Like a provider's return, a part (new carers identified) may not exceed its whole (carers
    supported) in any cell. The excess goes to cells with room in proportion to that room: first
    within its own row (district part and provider), so district totals stay as drawn, then
    across the county, so the calibrated county total for the quarter is kept exactly.
    """
    result = np.minimum(part, whole)
    excess = (part - result).sum(axis=1)
    for row in np.flatnonzero(excess):
        room = whole[row] - result[row]
        moved = min(int(excess[row]), int(room.sum()))
        result[row] += _allocate(moved, room)
        excess[row] -= moved
    leftover = int(excess.sum())
    if leftover:
        room = (whole - result).ravel()
        if leftover > room.sum():
            raise ValueError("demo data: a part's county total exceeds its whole's")
        result += _allocate(leftover, room).reshape(result.shape)
    return result


def _cell_rows(cells, care_groups, counts, measure, quarter) -> pd.DataFrame:
    repeat = len(care_groups)
    return pd.DataFrame(
        {
            "measure": measure,
            "period": quarter,
            "geography": np.repeat(cells["district"].to_numpy(), repeat),
            "care_group": np.tile(care_groups, len(cells)),
            "provider": np.repeat(cells["provider"].to_numpy(), repeat),
            "category": "",
            "value": counts.ravel().astype(float),
        }
    )


def _short_break_returns(
    cells: pd.DataFrame, targets: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Short breaks and crisis response by district and quarter (one Kent-wide provider)."""
    need = cells.groupby("district", sort=True)["weight"].sum()
    rows = _ShortBreakRows(need.index.to_numpy())
    base = need.to_numpy() * rng.lognormal(0.0, 0.15, len(need))
    hours = {
        hour_type: _quarter_totals(
            {FIRST_YEAR: SHORT_BREAK_LEVELS[hour_type]},
            _hour_type_targets(targets, hour_type),
            0.02,
            rng,
        )
        for hour_type in HOUR_TYPES
    }
    for quarter in hours[HOUR_TYPES[0]]:
        for hour_type in HOUR_TYPES:
            noise = rng.lognormal(0.0, 0.06, len(base))
            rows.add(
                "short-break-hours",
                quarter,
                _allocate(hours[hour_type][quarter], base * noise),
                hour_type,
            )
            shares = np.clip(rng.normal(UNSOCIAL_SHARES[hour_type], 6.0, len(base)), 5, 95)
            rows.add("unsocial-hours-share", quarter, shares, hour_type)
    for measure in ("crisis-referrals", "admissions-prevented", "failed-discharges-prevented"):
        level = {FIRST_YEAR: SHORT_BREAK_LEVELS[measure]}
        totals = _quarter_totals(
            level, _targets_for(targets, measure, SHORT_BREAK_PROVIDER), 0.02, rng
        )
        for quarter, total in totals.items():
            weights = base * rng.lognormal(0.0, 0.08, len(base))
            if measure == "crisis-referrals":
                _add_crisis_rows(rows, quarter, total, weights, targets, rng)
            else:
                rows.add(measure, quarter, _allocate(total, weights))
    returns = _calibrate_unsocial(rows.frame(), targets)
    split = _short_break_care_groups(returns, np.random.default_rng(SHORT_BREAK_SPLIT_SEED))
    return pd.concat([returns, split], ignore_index=True)


class _ShortBreakRows:
    """Collects district rows for the Kent-wide short-breaks provider."""

    def __init__(self, districts: np.ndarray):
        self.districts = districts
        self.frames: list[pd.DataFrame] = []

    def add(self, measure, quarter, values, category="", care_group="") -> None:
        self.frames.append(
            pd.DataFrame(
                {
                    "measure": measure,
                    "period": quarter,
                    "geography": self.districts,
                    "care_group": care_group,
                    "provider": SHORT_BREAK_PROVIDER,
                    "category": category,
                    "value": np.asarray(values, dtype=float),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        return pd.concat(self.frames, ignore_index=True)


def _hour_type_targets(targets: pd.DataFrame, hour_type: str) -> dict[str, float]:
    """Published hours of one type, plus its share of any published total for all types."""
    own = _targets_for(targets, "short-break-hours", SHORT_BREAK_PROVIDER, hour_type)
    by_type = {
        t: _targets_for(targets, "short-break-hours", SHORT_BREAK_PROVIDER, t) for t in HOUR_TYPES
    }
    result = dict(own)
    for period, total in _targets_for(targets, "short-break-hours", SHORT_BREAK_PROVIDER).items():
        if period in own:
            continue
        fixed = sum(values.get(period, 0.0) for values in by_type.values())
        open_types = [t for t in HOUR_TYPES if period not in by_type[t]]
        levels = sum(SHORT_BREAK_LEVELS[t] for t in open_types)
        result[period] = (total - fixed) * SHORT_BREAK_LEVELS[hour_type] / levels
    return result


def _add_crisis_rows(rows, quarter, total, weights, targets, rng) -> None:
    """Crisis referrals by care group and in all, and the dementia share derived from them."""
    published = _targets_for(targets, "dementia-share", SHORT_BREAK_PROVIDER, DEMENTIA_CATEGORY)
    share = _covering(published, quarter, DEMENTIA_SHARE) / 100
    dementia_total = round(total * share)
    dementia = _allocate(dementia_total, weights * rng.lognormal(0.0, 0.1, len(weights)))
    mix = np.outer(weights, np.array(list(CRISIS_CARE_GROUP_WEIGHTS.values())))
    others = _allocate(total - dementia_total, mix.ravel()).reshape(mix.shape)
    rows.add("crisis-referrals", quarter, dementia, care_group="dementia")
    for index, group in enumerate(CRISIS_CARE_GROUP_WEIGHTS):
        rows.add("crisis-referrals", quarter, others[:, index], care_group=group)
    everyone = dementia + others.sum(axis=1)
    rows.add("crisis-referrals", quarter, everyone)
    safe = np.where(everyone > 0, everyone, 1)
    rows.add(
        "dementia-share",
        quarter,
        np.where(everyone > 0, 100 * dementia / safe, np.nan),
        DEMENTIA_CATEGORY,
    )


def _short_break_care_groups(returns: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Care-group rows for the short-breaks measures a provider reports by care group.

    Every all-groups row (district, quarter, type of hours) is split between the care groups so
    that they add up to it exactly: hours by the district's mix of people cared for, emergency
    admissions and failed discharges prevented by that quarter's crisis referrals, and the
    unsocial-hours share so that the hours-weighted mean of the groups is the all-groups share.
    Crisis referrals already carry their care groups (``_add_crisis_rows``).
    """
    groups = list(SHORT_BREAK_CARE_GROUP_WEIGHTS)
    totals = returns[returns["care_group"] == ""]
    districts = sorted(totals["geography"].unique())
    base_weights = np.array(list(SHORT_BREAK_CARE_GROUP_WEIGHTS.values()))
    mix = pd.DataFrame(
        rng.dirichlet(base_weights * 200, len(districts)), index=districts, columns=groups
    )
    hours = totals[totals["measure"] == "short-break-hours"]
    hour_mix = mix.loc[hours["geography"]].to_numpy()
    hour_split = _split_rows(hours["value"], hour_mix * rng.lognormal(0, 0.1, hour_mix.shape))
    crisis = returns[(returns["measure"] == "crisis-referrals") & (returns["care_group"] != "")]
    crisis_mix = crisis.pivot_table(
        index=["period", "geography"], columns="care_group", values="value", aggfunc="sum"
    ).reindex(columns=groups, fill_value=0.0)
    outcomes = totals[totals["measure"].isin(OUTCOME_MEASURES)]
    keys = pd.MultiIndex.from_arrays([outcomes["period"], outcomes["geography"]])
    outcome_mix = crisis_mix.reindex(keys).fillna(0.0).to_numpy(copy=True)
    no_referrals = outcome_mix.sum(axis=1) == 0
    outcome_mix[no_referrals] = mix.loc[outcomes["geography"]].to_numpy()[no_referrals]
    outcome_split = _split_rows(
        outcomes["value"], outcome_mix * rng.lognormal(0, 0.2, outcome_mix.shape)
    )
    shares = totals[totals["measure"] == "unsocial-hours-share"]
    hours_of = pd.DataFrame(
        hour_split,
        index=pd.MultiIndex.from_frame(hours[["period", "geography", "category"]]),
        columns=groups,
    )
    share_hours = hours_of.reindex(
        pd.MultiIndex.from_frame(shares[["period", "geography", "category"]])
    ).to_numpy()
    share_split = _split_share(shares["value"].to_numpy(), share_hours, rng)
    return pd.concat(
        [
            _group_rows(hours, groups, hour_split),
            _group_rows(outcomes, groups, outcome_split),
            _group_rows(shares, groups, share_split).dropna(subset=["value"]),
        ],
        ignore_index=True,
    )


def _split_rows(totals: pd.Series, weights: np.ndarray) -> np.ndarray:
    """Each whole-number total split over its row of weights, adding up exactly."""
    return np.vstack(
        [_allocate(round(total), row) for total, row in zip(totals, weights, strict=True)]
    )


def _split_share(shares: np.ndarray, hours: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Care-group shares (0-100) around each all-groups share, hours-weighted to it exactly.

    Each group's share is the all-groups share moved on the log-odds scale by its own noise and
    by one shift per row, found by bisection, that makes the hours-weighted mean come out at the
    all-groups share. A group with no hours has no share (NaN: no row is written).
    """
    target = shares / 100
    spread = np.log(target / (1 - target))[:, None] + rng.normal(0, 0.3, hours.shape)
    low, high = np.full(len(shares), -20.0), np.full(len(shares), 20.0)
    total_hours = hours.sum(axis=1)
    for _ in range(80):
        shift = (low + high) / 2
        mean = (hours / (1 + np.exp(-(spread + shift[:, None])))).sum(axis=1) / total_hours
        too_high = mean > target
        high = np.where(too_high, shift, high)
        low = np.where(too_high, low, shift)
    result = 100 / (1 + np.exp(-(spread + ((low + high) / 2)[:, None])))
    return np.where(hours > 0, result, np.nan)


def _group_rows(totals: pd.DataFrame, groups: list[str], values: np.ndarray) -> pd.DataFrame:
    """One row per all-groups row and care group, carrying ``values`` (rows x groups)."""
    repeat = len(groups)
    return pd.DataFrame(
        {
            column: np.repeat(totals[column].to_numpy(), repeat)
            for column in ("measure", "period", "geography", "provider", "category")
        }
    ).assign(care_group=np.tile(groups, len(totals)), value=values.ravel().astype(float))[
        ["measure", "period", "geography", "care_group", "provider", "category", "value"]
    ]


def _covering(published: dict[str, float], quarter: str, default: float) -> float:
    """The published value for the half-year or year containing a quarter, else ``default``."""
    half = f"{quarter[:7]}-h{1 if quarter[-1] in '12' else 2}"
    return published.get(half, published.get(quarter[:7], default))


def _calibrate_unsocial(observations: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Scale unsocial-hours shares so their hours-weighted mean equals each published share.

    A published share with no category covers all types of hours; one with a category covers
    that type only.
    """
    hours = observations[observations["measure"] == "short-break-hours"]
    hours = hours.set_index(["period", "geography", "category"])["value"]
    result = observations.copy()
    period_start = result["period"].map(lambda slug: parse_period(slug).start)
    published = targets[
        (targets["measure"] == "unsocial-hours-share")
        & (targets["provider"] == SHORT_BREAK_PROVIDER)
    ]
    for target in published.itertuples():
        covered = parse_period(target.period)
        selected = (
            (result["measure"] == "unsocial-hours-share")
            & period_start.between(covered.start, covered.end)
            & ((result["category"] == target.category) if target.category else True)
        )
        rows = result[selected]
        keys = list(zip(rows["period"], rows["geography"], rows["category"], strict=True))
        mean = float(np.average(rows["value"], weights=hours.loc[keys].to_numpy()))
        result.loc[selected, "value"] = rows["value"] * (target.value / mean)
    return result


def _funding(seed_data: SeedData, cells: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Allocations by district, funder and service line per year, calibrated to published years."""
    published = seed_data["published/funding.csv"]
    funders = seed_data["reference/funders.csv"]
    shares = seed_data["reference/locality_shares.csv"]
    ccg_shares = shares[shares["scheme"] == "ccg-2013"]
    ccgs = funders[funders["slug"].str.startswith("ccg-")]
    district_need = cells.groupby("district")["weight"].sum().sort_index()
    district_bias = pd.Series(rng.lognormal(0.0, 0.2, len(district_need)), district_need.index)
    rows = []
    for (kind, line), base_level in FUNDING_LEVELS.items():
        level = float(base_level)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            slug = financial_year_slug(year)
            if year > FIRST_YEAR:
                level *= (1 + FUNDING_GROWTH) * rng.lognormal(0, 0.02)
            total = _published_funding(published, kind, line, slug) or level
            if kind == "council":
                weights = district_need * district_bias * rng.lognormal(0, 0.05, len(district_need))
                for district, amount in _money_split(total, weights).items():
                    rows.append(("kcc", line, district, slug, amount))
                continue
            era_funder = [f for first, f in NHS_FUNDER_ERAS if year >= first][-1]
            if era_funder is None:
                rows.extend(
                    _ccg_rows(
                        total, line, slug, ccgs, ccg_shares, district_need * district_bias, rng
                    )
                )
            else:
                for district, amount in _money_split(total, district_need * district_bias).items():
                    rows.append((era_funder, line, district, slug, amount))
    frame = pd.DataFrame(rows, columns=["funder", "service_line", "geography", "period", "amount"])
    return frame.assign(basis="allocated")


def _ccg_rows(total, line, year, ccgs, ccg_shares, need, rng) -> list[tuple]:
    """Split an NHS total across the seven CCGs by need, then each CCG across its districts."""
    ccg_need = {}
    for ccg in ccgs.itertuples():
        parts = ccg_shares[ccg_shares["locality"] == ccg.locality]
        ccg_need[ccg.slug] = {
            row.district_code: need[row.district_code] * row.carer_share
            for row in parts.itertuples()
        }
    ccg_totals = pd.Series({slug: sum(parts.values()) for slug, parts in ccg_need.items()})
    ccg_totals = ccg_totals * rng.lognormal(0, 0.1, len(ccg_totals))
    rows = []
    for ccg, amount in _money_split(total, ccg_totals).items():
        for district, part in _money_split(amount, pd.Series(ccg_need[ccg])).items():
            rows.append((ccg, line, district, year, part))
    return rows


def _money_split(total: float, weights: pd.Series) -> dict[str, float]:
    """Split pounds in proportion to weights, in whole pounds that add up exactly."""
    pennies = _allocate(round(total), weights.to_numpy(dtype=float))
    return dict(zip(weights.index, pennies.astype(float), strict=True))


def _published_funding(published: pd.DataFrame, kind: str, line: str, year: str) -> float | None:
    funder = "kcc" if kind == "council" else "kent-ccgs"
    rows = published[
        (published["funder"] == funder)
        & (published["service_line"] == line)
        & (published["period"] == year)
        & (published["geography"] == KENT_CODE)
        & (published["basis"] == "allocated")
    ]
    return float(rows["amount"].iloc[0]) if len(rows) == 1 else None
