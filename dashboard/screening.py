"""Values no chart may use: stored figures outside the range their unit allows.

Whatever reached the database (an old import, a hand edit), a value that is not a finite
number, is negative, is a share above 100% or is beyond any real Kent figure is left out of
every statistic and listed, with its reason, in the data-quality panel. One rule, used by the
repository for every frame it returns and by the panel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PERCENT_UNITS = ("percent",)
# Far above any real Kent figure (1.6 million residents, tens of millions of pounds a year).
CEILING = 1e9
REASONS = {
    "not-a-number": "not a finite number",
    "negative": "negative",
    "over-100": "a share above 100%",
    "too-large": "larger than any real Kent figure",
}


def reasons(values: pd.Series, units: pd.Series) -> pd.Series:
    """Why each value is left out ("" when it is usable), given each row's unit."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    is_percent = units.isin(PERCENT_UNITS).to_numpy()
    finite = np.isfinite(numbers.to_numpy())
    conditions = [
        ~finite,
        numbers.to_numpy() < 0,
        is_percent & (numbers.to_numpy() > 100),
        numbers.to_numpy() > CEILING,
    ]
    labels = [REASONS[key] for key in ("not-a-number", "negative", "over-100", "too-large")]
    return pd.Series(np.select(conditions, labels, default=""), index=values.index)


def usable(frame: pd.DataFrame, column: str, units: pd.Series) -> pd.DataFrame:
    """``frame`` without the rows whose ``column`` value is left out."""
    return frame[reasons(frame[column], units).to_numpy() == ""]


def exceeds(part: pd.Series, whole: pd.Series) -> pd.Series:
    """Where a count of people is larger than the group it counts from (e.g. reach > 100%)."""
    return part.gt(whole) & whole.notna()
