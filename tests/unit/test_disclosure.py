"""Tests for dashboard.disclosure: primary and secondary suppression of small counts."""

import numpy as np
import pandas as pd
import pytest

from dashboard.disclosure import (
    SMALL_COUNT_MAX,
    SMALL_COUNT_MIN,
    SUPPRESSED_TEXT,
    SUPPRESSION_FOOTNOTE,
    is_small_count,
    secondary_suppress,
)


def test_constants():
    assert (SMALL_COUNT_MIN, SMALL_COUNT_MAX, SUPPRESSED_TEXT) == (1, 4, "<5")
    assert SUPPRESSED_TEXT in SUPPRESSION_FOOTNOTE and SUPPRESSION_FOOTNOTE.endswith(".")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, False), (1, True), (2, True), (4, True), (4.0, True), (5, False), (120, False)],
)
def test_is_small_count(value, expected):
    assert is_small_count(value) is expected


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA])
def test_missing_is_not_small(value):
    assert is_small_count(value) is False


def _group(values, parts=("A", "B", "C", "D"), total=None, year="2023-24"):
    labels = list(parts) + (["Kent"] if total is not None else [])
    counts = list(values) + ([total] if total is not None else [])
    return pd.DataFrame({"year": year, "district": labels, "value": counts})


def _run(df, **kwargs):
    return secondary_suppress(
        df, group_cols=["year"], part_col="district", total_label="Kent", **kwargs
    )


def test_secondary_hides_next_smallest_part_when_total_shown():
    # A = 3 could be recovered as 120 - (7 + 50 + 60), so B (the smallest other) is hidden too.
    df = _group([3, 7, 50, 60], total=120)
    before = df.copy()
    out = _run(df)
    assert out["suppressed"].tolist() == [True, True, False, False, False]
    assert out["suppressed_reason"].tolist()[:2] == ["primary", "secondary"]
    assert out["suppressed_reason"].iloc[2:].isna().all()
    assert out["value"].iloc[:2].isna().all()
    assert out["value"].iloc[2:].tolist() == [50, 60, 120]
    pd.testing.assert_frame_equal(df, before)


def test_secondary_skips_zero_parts():
    out = _run(_group([3, 0, 6, 111], total=120))
    assert out["suppressed"].tolist() == [True, False, True, False, False]
    assert out.loc[2, "suppressed_reason"] == "secondary"


def test_secondary_tie_takes_first_in_row_order():
    out = _run(_group([3, 7, 7, 103], total=120))
    assert out["suppressed"].tolist() == [True, True, False, False, False]


def test_nothing_secondary_when_two_parts_already_hidden():
    out = _run(_group([3, 2, 50, 65], total=120))
    assert out["suppressed"].tolist() == [True, True, False, False, False]
    assert out["suppressed_reason"].tolist()[:2] == ["primary", "primary"]


def test_nothing_secondary_without_a_total_row():
    df = _group([3, 7, 50, 60])
    out = secondary_suppress(df, group_cols=["year"], part_col="district", total_label=None)
    assert out["suppressed"].tolist() == [True, False, False, False]
    assert _run(df)["suppressed"].tolist() == [True, False, False, False]


def test_small_total_is_primary_and_needs_no_secondary():
    out = _run(_group([2, 0, 0, 0], total=2))
    assert out["suppressed"].tolist() == [True, False, False, False, True]
    assert out.loc[4, "suppressed_reason"] == "primary"


def test_total_hidden_when_no_other_part_can_be():
    # Only A is hidden and no other shown part is non-zero, so the total must go.
    out = _run(_group([3, 0, np.nan, 0], total=10))
    assert out["suppressed"].tolist() == [True, False, False, False, True]
    assert out.loc[4, "suppressed_reason"] == "secondary"


def test_groups_are_independent():
    df = pd.concat(
        [_group([3, 7, 50, 60], total=120), _group([8, 7, 50, 60], total=125, year="2024-25")],
        ignore_index=True,
    )
    out = _run(df)
    assert out["suppressed"].tolist() == [True, True, False, False, False] + [False] * 5


def test_already_suppressed_input_is_respected_and_result_idempotent():
    # A is already hidden (value gone, marked suppressed), as an earlier pass would leave it.
    first = _group([np.nan, 7, 50, 60], total=120).assign(
        suppressed=[True, False, False, False, False]
    )
    out = _run(first)
    assert out["suppressed"].tolist() == [True, True, False, False, False]
    assert out["suppressed_reason"].tolist()[:2] == ["primary", "secondary"]
    pd.testing.assert_frame_equal(_run(out), out)


def test_whole_frame_as_one_group_and_two_totals_rejected():
    df = _group([3, 7, 50, 60], total=120).drop(columns="year")
    out = secondary_suppress(df, group_cols=[], part_col="district", total_label="Kent")
    assert out["suppressed"].tolist() == [True, True, False, False, False]
    doubled = pd.concat([_group([3, 7], parts="AB", total=10)] * 2, ignore_index=True)
    with pytest.raises(ValueError):
        _run(doubled)


def test_secondary_works_with_nullable_integers():
    df = pd.DataFrame(
        {"district": ["A", "B", "C", "Kent"], "value": pd.array([3, 7, None, 10], dtype="Int64")}
    )
    out = secondary_suppress(df, group_cols=[], part_col="district", total_label="Kent")
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert out["value"].iloc[3] == 10
