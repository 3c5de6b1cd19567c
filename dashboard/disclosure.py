"""Statistical disclosure control: hiding small counts of people so no one can be identified.

Every count of people from 1 to 4 is hidden and shown as "<5" (primary suppression). Zero is shown:
knowing that nobody is in a group identifies no one. Where a single hidden count could be worked
out by subtracting the other figures from a published total, the next-smallest figure is hidden
too (secondary suppression). All rules live here so tables, charts and downloads agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

SMALL_COUNT_MIN = 1
SMALL_COUNT_MAX = 4
SUPPRESSED_TEXT = "<5"
SUPPRESSION_FOOTNOTE = (
    "To protect confidentiality, counts of 1 to 4 people are shown as <5, and where a hidden "
    "count could be worked out from a total, the next-smallest figure is also hidden."
)
PRIMARY = "primary"
SECONDARY = "secondary"


def is_small_count(value: float | None) -> bool:
    """Whether a count must be hidden: 1 to 4 inclusive. 0, 5+, None and NaN are not."""
    if value is None or pd.isna(value):
        return False
    return SMALL_COUNT_MIN <= value <= SMALL_COUNT_MAX


def _small_mask(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.between(SMALL_COUNT_MIN, SMALL_COUNT_MAX).fillna(False).astype(bool)


def _existing_suppressed(df: pd.DataFrame) -> pd.Series:
    if "suppressed" not in df.columns:
        return pd.Series(False, index=df.index)
    return df["suppressed"].fillna(False).astype(bool)


def _group_positions(df: pd.DataFrame, group_cols: Sequence[str]) -> list[np.ndarray]:
    if not group_cols:
        return [np.arange(len(df))]
    grouped = df.groupby(list(group_cols), dropna=False, sort=False)
    return list(grouped.indices.values())


def secondary_suppress(
    df: pd.DataFrame,
    *,
    group_cols: Sequence[str],
    part_col: str,
    value: str = "value",
    total_label: object = None,
) -> pd.DataFrame:
    """Hide small counts and any figure that would let a hidden count be worked out.

    Each group (rows sharing ``group_cols``) holds parts, e.g. one row per district, and
    optionally one total row whose ``part_col`` equals ``total_label``. The parts are assumed to
    add up to the total. The rule:

    1. Primary: any row, the total included, whose value is 1 to 4, or that ``df`` already marks
       ``suppressed``, is hidden with reason "primary".
    2. Secondary: if the group has a total row that is still shown and exactly one part is
       hidden, that part equals the total minus the shown parts. So the shown part with the
       smallest non-zero value (the first in row order on a tie) is hidden too, reason
       "secondary". If no shown part is non-zero, the total is hidden instead.

    Nothing secondary is needed when two or more parts are already hidden (only their sum can
    be derived), when the total is itself hidden, or when the group has no total row
    (``total_label`` is None or absent from the group): a frame published alongside a total
    should include that total as a row. Zeros are never hidden, and a part whose value is
    missing but not suppressed is treated as shown.

    Args:
        df: Rows of counts of people.
        group_cols: Columns identifying a group; an empty sequence makes the frame one group.
        part_col: Column naming the part (and the total row).
        value: Column holding the count.
        total_label: Value of ``part_col`` on the total row, or None if there is none.

    Returns:
        A new frame with ``value`` set to NaN where hidden, a boolean ``suppressed`` column and a
        ``suppressed_reason`` column ("primary", "secondary" or missing). Reasons already in
        ``df`` are kept, so applying this twice is the same as applying it once.

    Raises:
        ValueError: If a group has more than one total row.
    """
    out = df.copy()
    numbers = pd.to_numeric(out[value], errors="coerce").to_numpy(dtype=float)
    already = _existing_suppressed(out).to_numpy()
    hidden = already | _small_mask(out[value]).to_numpy()
    reasons = np.where(hidden, PRIMARY, None).astype(object)
    if "suppressed_reason" in out.columns:
        previous = out["suppressed_reason"].to_numpy(dtype=object)
        keep = already & pd.notna(previous)
        reasons[keep] = previous[keep]
    if total_label is None:
        is_total = np.zeros(len(out), dtype=bool)
    else:
        is_total = (out[part_col] == total_label).to_numpy()

    for rows in _group_positions(out, group_cols):
        totals = rows[is_total[rows]]
        parts = rows[~is_total[rows]]
        if len(totals) > 1:
            raise ValueError(f"a group has {len(totals)} rows labelled {total_label!r}")
        if len(totals) == 0 or hidden[totals[0]] or hidden[parts].sum() != 1:
            continue
        candidates = parts[~hidden[parts] & (numbers[parts] > 0)]
        chosen = candidates[np.argmin(numbers[candidates])] if len(candidates) else totals[0]
        hidden[chosen] = True
        reasons[chosen] = SECONDARY

    out[value] = out[value].where(~hidden)
    out["suppressed"] = hidden
    out["suppressed_reason"] = pd.Series(reasons, index=out.index, dtype="str")
    return out


SECONDARY_TEXT = "[c]"
SECONDARY_FOOTNOTE = (
    "[c]: hidden so that a count of fewer than 5 cannot be worked out from the total and the "
    "other figures."
)


def suppression_reasons(values: pd.Series, is_total: pd.Series) -> pd.Series:
    """ "primary", "secondary" or "" for each of a set of parts and their one total row.

    Applies :func:`secondary_suppress` to a single group, for callers holding parts and total in
    one column (e.g. twelve districts and Kent).
    """
    frame = pd.DataFrame({"part": is_total.map({True: "total", False: "part"}), "value": values})
    result = secondary_suppress(frame, group_cols=[], part_col="part", total_label="total")
    return result["suppressed_reason"].fillna("").where(result["suppressed"], "")
