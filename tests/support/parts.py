"""Checking generated data against the return validator's part-and-total rules."""

from __future__ import annotations

import pandas as pd

from dashboard.returns.parse import SUBSET_RULES

# A provider's figure is one row of a return: provider, period, district, care group (and, in the
# demo data, the type of short-break hours, which the validator's rows do not have).
FIGURE = ["provider", "period", "geography", "care_group", "category"]


def parts_exceeding_totals(observations: pd.DataFrame, units: pd.Series) -> pd.DataFrame:
    """Every figure a return would be refused for as "part exceeds its total".

    The two rules of ``dashboard.returns.parse``: a measure in ``SUBSET_RULES`` may not exceed
    its whole for the same figure, and a care group's count or hours may not exceed the
    all-care-groups figure of the same measure. ``units`` maps measure slugs to their unit.
    """
    # The demo data has one row per part of a split district; a provider serving both parts
    # (Sevenoaks) returns their sum.
    observations = observations.groupby([*FIGURE, "measure"], as_index=False)["value"].sum(
        min_count=1
    )
    found = []
    for part, whole in SUBSET_RULES:
        parts = observations[observations["measure"] == part]
        wholes = observations[observations["measure"] == whole]
        paired = parts.merge(wholes, on=FIGURE, suffixes=("", "_whole"))
        found.append(paired[paired["value"] > paired["value_whole"]])
    additive = observations[observations["measure"].map(units) != "percent"]
    groups = additive[additive["care_group"] != ""]
    totals = additive[additive["care_group"] == ""].drop(columns="care_group")
    paired = groups.merge(
        totals, on=[c for c in FIGURE if c != "care_group"] + ["measure"], suffixes=("", "_whole")
    )
    found.append(paired[paired["value"] > paired["value_whole"]])
    return pd.concat(found, ignore_index=True)
