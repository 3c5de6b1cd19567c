"""Demo data of a chosen size for benchmarks: same county totals, more or fewer rows.

The normal demo data (``dashboard.demo``) has about 142,000 observation rows. To measure the
dashboard at 10^3 to 10^7 rows this module reshapes it without changing what it adds up to:

* fewer rows: keep whole (quarter, measure) blocks, newest quarter first, until the size is met;
  the oldest periods are simply absent;
* more rows: split every count (carers supported, referrals, hours...) into finer pieces, by
  month (``2023-24-m04``, when every count row can be split three ways) and then by synthetic
  providers contracted for the CAS localities. Each piece is a whole number and the pieces of a
  row add up to it exactly, so a district's total for a measure and quarter never changes and
  carers supported never exceed Census carers. A part of another row's total, as the return
  validator defines parts (new carers identified of carers supported, ``SUBSET_RULES``; a care
  group of all care groups), is split into the same months and providers as its total and in
  proportion to its pieces, so no piece exceeds its total's piece. Shares (percentages) are not
  additive and stay as they are, one row per quarter.

Synthetic providers are named as such and every row keeps the status ``demo``. The split
follows a fixed seed: the same size gives the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard import demo
from dashboard.db.seed_files import SeedData
from dashboard.returns.parse import SUBSET_RULES

SEED = (demo.SEED, 7)
ADDITIVE_UNITS = ("count", "hours")
SYNTHETIC_PREFIX = "synthetic-benchmark-provider-"
MONTHS_PER_QUARTER = 3
# What makes one figure of a return, apart from its measure.
FIGURE = ["provider", "period", "geography", "care_group", "category"]


@dataclass(frozen=True)
class Size:
    """How many observation rows to load in all (seed files included), and whether the
    returns may be split into months (which needs the database to sum months into quarters)."""

    rows: int
    months: bool = True

    def version_tag(self) -> str:
        return f"rows{self.rows}{'-months' if self.months else ''}"


def build(seed_data: SeedData, size: Size) -> demo.DemoData:
    """The normal demo data reshaped to about ``size.rows`` observation rows in all."""
    normal = demo.generate(seed_data)
    seed_rows = len(seed_data["published/observations.csv"]) + len(
        seed_data["census/observations.csv"]
    )
    budget = max(size.rows - seed_rows, 0)
    returns = normal.observations
    if budget <= len(returns):
        return replace(normal, observations=_newest_blocks(returns, budget))
    units = seed_data["reference/measures.csv"].set_index("slug")["unit"]
    additive = returns["measure"].map(units).isin(ADDITIVE_UNITS).to_numpy()
    is_cas = (returns["provider"] != demo.SHORT_BREAK_PROVIDER).to_numpy()
    pieces, months = _pieces_per_row(budget, additive, is_cas, size.months)
    whole_rows = _whole_rows(returns, additive)
    is_part = whole_rows >= 0
    pieces[is_part] = pieces[whole_rows[is_part]]
    split = _split(returns, pieces, is_cas & additive, months, whole_rows)
    providers = int(split["provider_index"].max())
    observations = split.assign(
        provider=np.where(
            split["provider_index"] == 0,
            split["provider"],
            SYNTHETIC_PREFIX + split["provider_index"].astype(str).str.zfill(3),
        )
    ).drop(columns="provider_index")
    used_months = sorted(set(observations["period"]) - set(returns["period"]))
    return replace(
        normal,
        observations=observations,
        providers=synthetic_providers(providers),
        contracts=_contracts(seed_data, providers),
        periods=[month_period(slug) for slug in used_months],
    )


def _newest_blocks(returns: pd.DataFrame, budget: int) -> pd.DataFrame:
    """Whole (quarter, measure) blocks, newest quarter first, that fit in ``budget`` rows."""
    keys = returns[["period", "measure"]].drop_duplicates()
    keys = keys.sort_values("period", ascending=False, kind="stable")
    sizes = returns.groupby(["period", "measure"]).size()
    kept, remaining = [], budget
    for period, measure in keys.itertuples(index=False):
        rows = int(sizes[(period, measure)])
        if rows <= remaining:
            kept.append((period, measure))
            remaining -= rows
    chosen = pd.MultiIndex.from_tuples(kept, names=["period", "measure"])
    selected = pd.MultiIndex.from_frame(returns[["period", "measure"]]).isin(chosen)
    return returns[selected].reset_index(drop=True)


def _pieces_per_row(
    budget: int, additive: np.ndarray, is_cas: np.ndarray, months: bool
) -> tuple[np.ndarray, bool]:
    """How many rows each demo row becomes so that all of them come to about ``budget``,
    and whether counts are split by month.

    Shares stay one row. With months (if the budget allows every count three monthly rows),
    the CAS counts then take the rest of the budget as more providers (short breaks have one).
    """
    fixed = int((~additive).sum())
    splittable = additive & is_cas
    others = additive & ~is_cas
    use_months = months and budget >= fixed + MONTHS_PER_QUARTER * int(additive.sum())
    per_other = MONTHS_PER_QUARTER if use_months else 1
    per_cas = (budget - fixed - per_other * int(others.sum())) / max(int(splittable.sum()), 1)
    per_cas = max(per_cas, 1.0)
    rng = np.random.default_rng(SEED)
    whole = np.floor(per_cas) + (rng.random(len(additive)) < per_cas - np.floor(per_cas))
    pieces = np.ones(len(additive), dtype=int)
    pieces[others] = per_other
    pieces[splittable] = whole[splittable].astype(int)
    if use_months:
        pieces[splittable] = np.maximum(pieces[splittable], MONTHS_PER_QUARTER)
    return pieces, use_months


def _whole_rows(returns: pd.DataFrame, additive: np.ndarray) -> np.ndarray:
    """For each row that is part of another row's total, that row; -1 for the others.

    The parts are those the return validator refuses to see above their totals: a measure in
    ``SUBSET_RULES`` of its whole for the same figure, and a care group's count or hours of the
    same measure's all-care-groups figure. A split district's parts served by one provider are
    separate rows with the same figure; they pair in the order the demo generator writes them.
    """
    keyed = returns[[*FIGURE, "measure"]].assign(
        occurrence=returns.groupby([*FIGURE, "measure"]).cumcount().to_numpy(),
        row=np.arange(len(returns)),
    )
    measure, all_groups = returns["measure"], (returns["care_group"] == "").to_numpy()
    rules = [(measure == part, measure == whole, FIGURE) for part, whole in SUBSET_RULES]
    by_measure = [column for column in FIGURE if column != "care_group"] + ["measure"]
    rules.append((additive & ~all_groups, additive & all_groups, by_measure))
    whole_rows = np.full(len(returns), -1)
    for is_part, is_whole, same in rules:
        pairs = keyed[is_part].merge(
            keyed[is_whole], on=[*same, "occurrence"], suffixes=("", "_whole")
        )
        whole_rows[pairs["row"].to_numpy()] = pairs["row_whole"].to_numpy()
    return whole_rows


def _split(
    returns: pd.DataFrame,
    pieces: np.ndarray,
    by_provider: np.ndarray,
    months: bool,
    whole_rows: np.ndarray,
) -> pd.DataFrame:
    """Each row repeated ``pieces`` times, its value shared out in whole numbers.

    Piece ``j`` of a row split by month is month ``j % 3`` of the quarter for provider
    ``j // 3``; without months it is provider ``j``. Provider 0 is the row's own provider.
    A row with a whole (``whole_rows``, which has as many pieces) is shared out in proportion
    to the whole's pieces.
    """
    rows = np.repeat(np.arange(len(returns)), pieces)
    first = np.repeat(np.cumsum(pieces) - pieces, pieces)
    piece = np.arange(len(rows)) - first
    in_months = np.repeat(months & (pieces >= MONTHS_PER_QUARTER), pieces)
    month = np.where(in_months, piece % MONTHS_PER_QUARTER, -1)
    provider_index = np.where(in_months, piece // MONTHS_PER_QUARTER, piece)
    provider_index = np.where(np.repeat(by_provider, pieces), provider_index, 0)
    values = returns["value"].to_numpy()
    weights = np.random.default_rng(SEED).lognormal(0, 0.5, len(rows))
    shared = _share_out(values, pieces, weights)
    # A whole of 0 gives no weights; its part is 0 too and keeps the random ones.
    with_whole = whole_rows >= 0
    with_whole[with_whole] = values[whole_rows[with_whole]] > 0
    if with_whole.any():
        from_whole = np.repeat(with_whole, pieces)
        whole_first = np.repeat((np.cumsum(pieces) - pieces)[whole_rows], pieces)
        whole_piece = np.where(from_whole, whole_first + piece, 0)
        shared = _share_out(values, pieces, np.where(from_whole, shared[whole_piece], weights))
    result = returns.iloc[rows].reset_index(drop=True)
    period = result["period"].to_numpy(dtype=object)
    monthly = month >= 0
    period[monthly] = [
        month_slug(slug, index) for slug, index in zip(period[monthly], month[monthly], strict=True)
    ]
    return result.assign(
        period=period,
        value=np.where(np.repeat(pieces, pieces) > 1, shared, values[rows]),
        provider_index=provider_index,
    )


def _share_out(values: np.ndarray, pieces: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each whole-number value split over its pieces by weight (largest remainder), exactly."""
    row = np.repeat(np.arange(len(values)), pieces)
    totals = np.rint(np.nan_to_num(values)).astype(np.int64)
    weight_sums = np.bincount(row, weights=weights, minlength=len(values))
    exact = totals[row] * weights / weight_sums[row]
    counts = np.floor(exact).astype(np.int64)
    shortfall = totals - np.bincount(row, weights=counts, minlength=len(values)).astype(np.int64)
    order = np.lexsort((-(exact - counts), row))
    rank = np.empty(len(row), dtype=np.int64)
    rank[order] = np.arange(len(row)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    counts += rank < shortfall[row]
    return counts.astype(float)


def month_slug(quarter: str, index: int) -> str:
    """Month ``index`` (0-2) of a quarter slug: ``2023-24-q1``, 0 -> ``2023-24-m04``."""
    calendar_month = (int(quarter[-1]) - 1) * MONTHS_PER_QUARTER + index + 4
    return f"{quarter[:7]}-m{(calendar_month - 1) % 12 + 1:02d}"


def month_period(slug: str) -> dict:
    """A month's row for the period table: ``2023-24-m04`` is April 2023."""
    first_year, month = int(slug[:4]), int(slug[-2:])
    year = first_year if month >= 4 else first_year + 1
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return {"slug": slug, "kind": "month", "label": f"{start:%B %Y}", "start": start, "end": end}


def synthetic_providers(count: int) -> pd.DataFrame:
    """Providers 1..count, named plainly as made up for benchmarks."""
    numbers = range(1, count + 1)
    return pd.DataFrame(
        {
            "slug": [f"{SYNTHETIC_PREFIX}{n:03d}" for n in numbers],
            "name": [f"Synthetic benchmark provider {n} (demo)" for n in numbers],
            "aliases": "",
            "description": "Made up to measure the dashboard on more rows; its returns are "
            "demo figures split from the demo data, not real returns.",
        }
    )


def _contracts(seed_data: SeedData, count: int) -> pd.DataFrame:
    """A CAS contract in every CAS locality for each synthetic provider, from April 2013."""
    localities = seed_data["reference/locality_shares.csv"]
    localities = sorted(set(localities[localities["scheme"] == "cas-2013"]["locality"]))
    return pd.DataFrame(
        [
            {
                "provider": f"{SYNTHETIC_PREFIX}{n:03d}",
                "locality": locality,
                "service_line": "cas",
                "start": date(demo.FIRST_YEAR, 4, 1),
                "end": None,
                "source_id": demo.SOURCE,
                "source_section": "benchmark data",
            }
            for n in range(1, count + 1)
            for locality in localities
        ],
        columns=[
            "provider",
            "locality",
            "service_line",
            "start",
            "end",
            "source_id",
            "source_section",
        ],
    )
