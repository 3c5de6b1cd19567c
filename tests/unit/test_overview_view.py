"""The overview's headline lines, from their trend."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.views.overview import change_text


def _trend(previous: float, current: float, statuses=("demo", "demo")) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2023-24", "2024-25"],
            "label": ["2023/24", "2024/25"],
            "value": [previous, current],
            "status": list(statuses),
        }
    )


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (15_630, 15_679, "+0.3% on 2023/24"),  # it read "0% on 2023/24", as if unchanged
        (15_679, 15_630, "−0.3% on 2023/24"),
        (1_000, 1_000, "0% on 2023/24"),
        (1_000, 1_120, "+12% on 2023/24"),
        (1_000, 1_006, "+1% on 2023/24"),
    ],
)
def test_the_change_on_last_year_says_a_small_change_is_one(previous, current, expected):
    assert change_text(_trend(previous, current), "2024-25") == expected
