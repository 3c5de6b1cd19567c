"""Statistics for comparing Kent districts: confidence intervals, funnel limits, benchmarking.

Methods follow the public health conventions used by OHID/PHE Fingertips so the dashboard's
"better/similar/worse" labels agree with published profiles:

* proportions: Wilson score interval;
* funnel plots: Wilson-score control limits;
* benchmarking: an area differs from the benchmark only if its interval excludes it;
* change over time: XmR (individuals) statistical process control charts with run rules.

Every function is pure: inputs are never modified and new objects are returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

POLARITIES = ("higher-better", "lower-better", "neither")
XMR_D2 = 1.128
"""Bias-correction constant d2 for moving ranges of two points: sigma = mean moving range / d2."""


def _z(confidence: float) -> float:
    """Two-sided standard normal critical value, e.g. 1.959964 for 0.95."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_intervals(
    successes: ArrayLike, trials: ArrayLike, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score intervals for many proportions at once.

    Args:
        successes: Numerators (0 <= successes <= trials).
        trials: Denominators (>= 0).
        confidence: Two-sided confidence level, e.g. 0.95.

    Returns:
        ``(lower, upper)`` arrays of proportions in 0..1. Where ``trials`` is 0 or either input is
        NaN both limits are NaN.

    Raises:
        ValueError: If a count is negative or ``successes`` exceeds ``trials``.
    """
    z = _z(confidence)
    r, n = np.broadcast_arrays(np.asarray(successes, dtype=float), np.asarray(trials, dtype=float))
    if np.any(r < 0) or np.any(n < 0) or np.any(r > n):
        raise ValueError("need 0 <= successes <= trials")
    valid = n > 0
    # Placeholder 0/1 where there is no interval, so no invalid arithmetic runs there.
    r = np.where(valid, r, 0.0)
    n_safe = np.where(valid, n, 1.0)
    centre = 2 * r + z**2
    spread = z * np.sqrt(z**2 + 4 * r * (1 - r / n_safe))
    denominator = 2 * (n_safe + z**2)
    # At the edges the limits are exactly 0 (no successes) and 1 (all), which floating point
    # misses by an ulp; elsewhere clip only that noise.
    lower = np.where(r == 0, 0.0, np.clip((centre - spread) / denominator, 0.0, 1.0))
    upper = np.where(r == n_safe, 1.0, np.clip((centre + spread) / denominator, 0.0, 1.0))
    return np.where(valid, lower, np.nan), np.where(valid, upper, np.nan)


def _level_label(level: float) -> str:
    """Column suffix for a confidence level: 0.95 -> "95", 0.998 -> "998"."""
    return f"{level * 100:.10g}".replace(".", "")


def _denominator_array(denominators: ArrayLike) -> np.ndarray:
    values = np.atleast_1d(np.asarray(denominators, dtype=float))
    if np.any(values < 0):
        raise ValueError("denominators must be >= 0")
    return values


def proportion_funnel(
    benchmark_p: float,
    denominators: ArrayLike,
    confidence_levels: Sequence[float] = (0.95, 0.998),
) -> pd.DataFrame:
    """Funnel plot control limits for a proportion, by the Fingertips (Wilson score) method.

    Fingertips places each limit at the observed proportion whose Wilson score interval just
    reaches the benchmark, so a point falls outside the funnel exactly when its own Wilson
    interval excludes the benchmark. Solving the Wilson quadratic for the observed proportion
    gives the score-test limits ``P +/- z sqrt(P (1 - P) / n)``, which are truncated to 0..1.

    Args:
        benchmark_p: Benchmark proportion, 0..1 (e.g. the Kent or England value).
        denominators: Denominators at which to evaluate the limits (0 gives NaN).
        confidence_levels: Two-sided levels; 0.95 and 0.998 are the usual 2 and 3 sigma limits.

    Returns:
        Columns ``denominator`` then ``lower_<level>``/``upper_<level>`` for each level, e.g.
        ``lower_95``, ``upper_95``, ``lower_998``, ``upper_998``, as proportions.
    """
    if not 0 <= benchmark_p <= 1:
        raise ValueError("benchmark_p must be between 0 and 1")
    n = _denominator_array(denominators)
    columns: dict[str, np.ndarray] = {"denominator": n}
    with np.errstate(divide="ignore", invalid="ignore"):
        standard_error = np.where(n > 0, np.sqrt(benchmark_p * (1 - benchmark_p) / n), np.nan)
    for level in confidence_levels:
        half_width = _z(level) * standard_error
        label = _level_label(level)
        columns[f"lower_{label}"] = np.clip(benchmark_p - half_width, 0.0, 1.0)
        columns[f"upper_{label}"] = np.clip(benchmark_p + half_width, 0.0, 1.0)
    return pd.DataFrame(columns)


def classify(lower: float, upper: float, benchmark: float, polarity: str) -> str:
    """Fingertips-style comparison of an interval with a benchmark.

    The area is "similar" unless its interval lies wholly above or below the benchmark (an
    interval that touches the benchmark counts as similar).

    Args:
        lower: Lower confidence limit.
        upper: Upper confidence limit.
        benchmark: Benchmark value in the same units.
        polarity: ``"higher-better"``, ``"lower-better"`` or ``"neither"``.

    Returns:
        ``"better"``/``"worse"`` (or ``"higher"``/``"lower"`` when polarity is ``"neither"``),
        ``"similar"``, or ``"not compared"`` when a limit or the benchmark is missing.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {POLARITIES}, got {polarity!r}")
    if pd.isna(lower) or pd.isna(upper) or pd.isna(benchmark):
        return "not compared"
    if lower > benchmark:
        direction = "higher"
    elif upper < benchmark:
        direction = "lower"
    else:
        return "similar"
    if polarity == "neither":
        return direction
    higher_is_better = polarity == "higher-better"
    return "better" if (direction == "higher") == higher_is_better else "worse"


def classify_frame(
    df: pd.DataFrame,
    *,
    lower: str = "lower",
    upper: str = "upper",
    benchmark: str | float,
    polarity: str,
) -> pd.Series:
    """Apply :func:`classify` to every row of a frame.

    Args:
        df: Rows to classify.
        lower: Column of lower limits.
        upper: Column of upper limits.
        benchmark: A column name, or one number used for every row.
        polarity: One of :data:`POLARITIES` for every row, or the name of a column holding them.

    Returns:
        A new string Series named ``comparison`` aligned with ``df.index``.
    """
    n = len(df)
    benchmarks = df[benchmark] if isinstance(benchmark, str) else [benchmark] * n
    if polarity in POLARITIES:
        polarities = [polarity] * n
    elif polarity in df.columns:
        polarities = df[polarity]
    else:
        raise ValueError(f"polarity must be one of {POLARITIES} or a column of df")
    labels = [
        classify(lo, hi, bench, pol)
        for lo, hi, bench, pol in zip(df[lower], df[upper], benchmarks, polarities, strict=True)
    ]
    return pd.Series(labels, index=df.index, name="comparison", dtype="str")


def rank_table(
    df: pd.DataFrame,
    *,
    entity: str = "district",
    value_columns: Sequence[str],
    ascending: bool = False,
) -> pd.DataFrame:
    """Rank entities on several measures and show how much each entity's rank moves.

    Args:
        df: One row per entity.
        entity: Column identifying the entity.
        value_columns: Measures to rank; each becomes a column of ranks with the same name.
        ascending: ``False`` ranks the highest value 1; ``True`` ranks the lowest value 1.

    Returns:
        A new frame (same row order) with ``entity``, one nullable-integer rank column per measure
        (ties share the smallest rank, e.g. 1, 2, 2, 4; missing values are unranked) and
        ``rank_range``, the largest minus the smallest of an entity's ranks.

    Raises:
        ValueError: If no measures are given or an entity appears more than once.
    """
    if not value_columns:
        raise ValueError("value_columns must name at least one column")
    if df[entity].duplicated().any():
        raise ValueError(f"each {entity!r} must appear once")
    ranks = pd.DataFrame(
        {col: df[col].rank(ascending=ascending, method="min") for col in value_columns},
        index=df.index,
    )
    out = pd.concat([df[[entity]], ranks.astype("Int64")], axis=1)
    out["rank_range"] = (ranks.max(axis=1) - ranks.min(axis=1)).astype("Int64")
    return out


def _runs(keys: np.ndarray) -> list[tuple[int, int]]:
    """``(start, stop)`` slices of maximal runs of equal, non-zero keys."""
    runs = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start] != 0:
                runs.append((start, i))
            start = i
    return runs


def _two_of_three(beyond: np.ndarray) -> np.ndarray:
    """Flag points beyond 2 sigma that, with another, make 2 of 3 consecutive points."""
    flags = np.zeros(len(beyond), dtype=bool)
    for start in range(len(beyond) - 2):
        window = beyond[start : start + 3]
        if window.sum() >= 2:
            flags[start : start + 3] |= window
    return flags


def xmr_chart(values: Sequence[float], *, floor_at_zero: bool = False) -> pd.DataFrame:
    """XmR (individuals) statistical process control chart with the NHS run rules.

    ``sigma = mean moving range / 1.128`` and the limits are ``mean +/- 3 sigma``.

    Flags (every point taking part is flagged):

    * ``outside_limits``: strictly above the upper or below the lower limit;
    * ``run_of_8``: in a run of 8 or more consecutive points strictly on one side of the mean (a
      point exactly on the mean ends the run);
    * ``trend_of_6``: in a run of 6 or more consecutive points each strictly higher (or each
      strictly lower) than the one before (a repeated value ends the trend);
    * ``two_of_three_near_limit``: beyond 2 sigma, with at least one other of 3 consecutive points
      beyond 2 sigma on the same side (only the points beyond 2 sigma are flagged).

    Args:
        values: The series in time order; values must be finite.
        floor_at_zero: Floor the lower limit at 0, for counts that cannot be negative.

    Returns:
        A new frame with ``value``, ``mean``, ``moving_range`` (NaN for the first point),
        ``ucl``, ``lcl`` and the four boolean flags. With fewer than 2 points the limits are NaN
        and nothing is flagged.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or not np.all(np.isfinite(x)):
        raise ValueError("values must be a 1-D sequence of finite numbers")
    n = len(x)
    mean = x.mean() if n else np.nan
    moving_range = np.concatenate([[np.nan], np.abs(np.diff(x))]) if n else np.array([])
    flags = {
        name: np.zeros(n, dtype=bool)
        for name in ("outside_limits", "run_of_8", "trend_of_6", "two_of_three_near_limit")
    }
    ucl = lcl = np.nan
    if n >= 2:
        sigma = np.nanmean(moving_range) / XMR_D2
        ucl = mean + 3 * sigma
        lcl = mean - 3 * sigma
        if floor_at_zero:
            lcl = max(lcl, 0.0)
        flags["outside_limits"] = (x > ucl) | (x < lcl)
        for start, stop in _runs(np.sign(x - mean)):
            if stop - start >= 8:
                flags["run_of_8"][start:stop] = True
        for start, stop in _runs(np.sign(np.diff(x))):
            if stop - start >= 5:  # 5 steps in one direction join 6 points
                flags["trend_of_6"][start : stop + 1] = True
        flags["two_of_three_near_limit"] = _two_of_three(x > mean + 2 * sigma) | _two_of_three(
            x < mean - 2 * sigma
        )
    return pd.DataFrame(
        {
            "value": x,
            "mean": np.full(n, mean),
            "moving_range": moving_range,
            "ucl": np.full(n, ucl),
            "lcl": np.full(n, lcl),
            **flags,
        }
    )
