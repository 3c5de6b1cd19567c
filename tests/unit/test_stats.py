"""Tests for dashboard.stats, against values worked by hand or taken from statistical tables."""

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.stats import (
    classify,
    classify_frame,
    proportion_funnel,
    rank_table,
    wilson_intervals,
    xmr_chart,
)

Z95 = 1.959964


def wilson_interval(successes, trials, confidence=0.95):
    """One proportion's Wilson interval, through the vectorised production function."""
    lower, upper = wilson_intervals(successes, trials, confidence)
    return float(lower), float(upper)


# --- Wilson ---------------------------------------------------------------------------------


def test_wilson_81_of_263():
    # (2r + z^2 -/+ z sqrt(z^2 + 4r(1 - p))) / (2(n + z^2)) = (165.84 -/+ 29.60) / 533.68
    lower, upper = wilson_interval(81, 263)
    assert lower == pytest.approx(0.2553, abs=1e-4)
    assert upper == pytest.approx(0.3662, abs=1e-4)


def test_wilson_zero_successes_has_lower_zero():
    lower, upper = wilson_interval(0, 10)
    assert lower == 0.0
    assert upper == pytest.approx(Z95**2 / (10 + Z95**2), abs=1e-6)  # 0.27753


def test_wilson_all_successes_has_upper_one():
    lower, upper = wilson_interval(10, 10)
    assert upper == 1.0
    assert lower == pytest.approx(1 - Z95**2 / (10 + Z95**2), abs=1e-6)


def test_wilson_zero_trials_is_nan():
    assert all(math.isnan(v) for v in wilson_interval(0, 0))


def test_wilson_wider_at_higher_confidence():
    lo95, hi95 = wilson_interval(81, 263, 0.95)
    lo99, hi99 = wilson_interval(81, 263, 0.99)
    assert lo99 < lo95 and hi99 > hi95


def test_wilson_intervals_vectorised_matches_scalar_and_keeps_inputs():
    successes = np.array([81, 0, 0, 3])
    trials = np.array([263, 10, 0, np.nan])
    before = successes.copy(), trials.copy()
    lower, upper = wilson_intervals(successes, trials)
    assert lower[0] == pytest.approx(wilson_interval(81, 263)[0])
    assert upper[1] == pytest.approx(wilson_interval(0, 10)[1])
    assert np.isnan(lower[2]) and np.isnan(upper[2])
    assert np.isnan(lower[3]) and np.isnan(upper[3])
    np.testing.assert_array_equal(successes, before[0])
    np.testing.assert_array_equal(trials, before[1])


@pytest.mark.parametrize(("successes", "trials"), [(5, 4), (-1, 4), (1, -2)])
def test_wilson_rejects_impossible_counts(successes, trials):
    with pytest.raises(ValueError):
        wilson_interval(successes, trials)


@pytest.mark.parametrize("confidence", [0, 1, 95])
def test_confidence_must_be_a_fraction(confidence):
    with pytest.raises(ValueError):
        wilson_interval(1, 2, confidence)


# --- Poisson counts and rates ---------------------------------------------------------------


# --- Funnels --------------------------------------------------------------------------------


def test_proportion_funnel_known_values():
    # P = 0.3, n = 200: sqrt(0.3 * 0.7 / 200) = 0.0324037
    # 95%: 0.3 -/+ 1.959964 * 0.0324037; 99.8%: 0.3 -/+ 3.090232 * 0.0324037
    funnel = proportion_funnel(0.3, [200])
    assert list(funnel.columns) == [
        "denominator",
        "lower_95",
        "upper_95",
        "lower_998",
        "upper_998",
    ]
    row = funnel.iloc[0]
    assert row["lower_95"] == pytest.approx(0.236490, abs=1e-5)
    assert row["upper_95"] == pytest.approx(0.363510, abs=1e-5)
    assert row["lower_998"] == pytest.approx(0.199865, abs=1e-5)
    assert row["upper_998"] == pytest.approx(0.400135, abs=1e-5)


def test_proportion_funnel_symmetric_narrowing_and_clipped():
    denominators = [10, 50, 200, 1000, 10000]
    funnel = proportion_funnel(0.3, denominators)
    unclipped = funnel["lower_998"] > 0
    np.testing.assert_allclose(funnel["lower_95"] + funnel["upper_95"], 0.6)
    np.testing.assert_allclose((funnel["lower_998"] + funnel["upper_998"])[unclipped], 0.6)
    assert funnel.loc[0, "lower_998"] == 0.0  # 0.3 - 3.09 * 0.145 < 0
    assert funnel["upper_95"].is_monotonic_decreasing
    assert funnel["lower_95"].is_monotonic_increasing
    assert (funnel["upper_998"] > funnel["upper_95"]).all()


def test_proportion_funnel_agrees_with_wilson_comparison():
    # A point just outside the funnel has a Wilson interval that just excludes the benchmark.
    upper = proportion_funnel(0.3, [200])["upper_95"].iloc[0]
    assert wilson_interval(upper * 200 + 0.01, 200)[0] > 0.3
    assert wilson_interval(upper * 200 - 0.01, 200)[0] < 0.3


def test_proportion_funnel_zero_denominator_and_custom_levels():
    funnel = proportion_funnel(0.5, [0, 100], confidence_levels=(0.9,))
    assert list(funnel.columns) == ["denominator", "lower_90", "upper_90"]
    assert np.isnan(funnel.loc[0, "lower_90"])
    assert funnel.loc[1, "upper_90"] == pytest.approx(0.5 + 1.644854 * 0.05, abs=1e-6)


def test_proportion_funnel_rejects_bad_input():
    with pytest.raises(ValueError):
        proportion_funnel(1.2, [10])
    with pytest.raises(ValueError):
        proportion_funnel(0.2, [-10])


# --- Classification -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "expected"),
    [
        (0.6, 0.7, "higher-better", "better"),
        (0.3, 0.4, "higher-better", "worse"),
        (0.6, 0.7, "lower-better", "worse"),
        (0.3, 0.4, "lower-better", "better"),
        (0.6, 0.7, "neither", "higher"),
        (0.3, 0.4, "neither", "lower"),
        (0.4, 0.6, "higher-better", "similar"),
        (0.5, 0.6, "higher-better", "similar"),  # touching the benchmark is similar
        (0.4, 0.5, "lower-better", "similar"),
        (float("nan"), 0.6, "higher-better", "not compared"),
        (0.4, None, "neither", "not compared"),
    ],
)
def test_classify_table(lower, upper, polarity, expected):
    assert classify(lower, upper, 0.5, polarity) == expected


def test_classify_missing_benchmark_and_bad_polarity():
    assert classify(0.1, 0.2, float("nan"), "neither") == "not compared"
    with pytest.raises(ValueError):
        classify(0.1, 0.2, 0.5, "up")


def test_classify_frame_with_scalar_and_column_arguments():
    df = pd.DataFrame(
        {
            "lo": [0.6, 0.3, 0.4, np.nan],
            "hi": [0.7, 0.4, 0.6, 0.5],
            "kent": [0.5, 0.5, 0.5, 0.5],
            "pol": ["lower-better", "higher-better", "neither", "neither"],
        },
        index=[10, 11, 12, 13],
    )
    before = df.copy()
    by_column = classify_frame(df, lower="lo", upper="hi", benchmark="kent", polarity="pol")
    assert by_column.tolist() == ["worse", "worse", "similar", "not compared"]
    assert by_column.index.tolist() == [10, 11, 12, 13]
    by_scalar = classify_frame(df, lower="lo", upper="hi", benchmark=0.5, polarity="neither")
    assert by_scalar.tolist() == ["higher", "lower", "similar", "not compared"]
    pd.testing.assert_frame_equal(df, before)
    with pytest.raises(ValueError):
        classify_frame(df, lower="lo", upper="hi", benchmark=0.5, polarity="missing")


# --- Ranks ----------------------------------------------------------------------------------


def test_rank_table_ties_min_and_range():
    df = pd.DataFrame(
        {"district": ["A", "B", "C", "D"], "carers": [3, 1, 3, 2], "spend": [1.0, 2.0, None, 4.0]}
    )
    before = df.copy()
    ranks = rank_table(df, value_columns=["carers", "spend"])
    assert list(ranks.columns) == ["district", "carers", "spend", "rank_range"]
    assert ranks["carers"].tolist() == [1, 4, 1, 3]
    assert ranks["spend"].tolist()[:2] == [3, 2] and ranks["spend"].tolist()[3] == 1
    assert pd.isna(ranks.loc[2, "spend"])
    assert ranks["rank_range"].tolist() == [2, 2, 0, 2]
    pd.testing.assert_frame_equal(df, before)


def test_rank_table_ascending_ranks_lowest_first():
    df = pd.DataFrame({"area": ["A", "B", "C", "D"], "v": [3, 1, 3, 2]})
    ranks = rank_table(df, entity="area", value_columns=["v"], ascending=True)
    assert ranks["v"].tolist() == [3, 1, 3, 2]
    assert ranks["rank_range"].tolist() == [0, 0, 0, 0]


def test_rank_table_rejects_duplicates_and_no_columns():
    df = pd.DataFrame({"district": ["A", "A"], "v": [1, 2]})
    with pytest.raises(ValueError):
        rank_table(df, value_columns=["v"])
    with pytest.raises(ValueError):
        rank_table(df.iloc[:1], value_columns=[])


# --- XmR charts -----------------------------------------------------------------------------


def test_xmr_limits_and_outside_point():
    # mean = 58 / 8 = 7.25; moving ranges 1 x6 and 15 -> mean 3; sigma = 3 / 1.128 = 2.6596
    chart = xmr_chart([5, 6, 5, 6, 5, 6, 5, 20])
    assert chart["mean"].iloc[0] == pytest.approx(7.25)
    assert math.isnan(chart["moving_range"].iloc[0])
    assert chart["moving_range"].iloc[-1] == 15
    assert chart["ucl"].iloc[0] == pytest.approx(7.25 + 3 * 3 / 1.128)
    assert chart["lcl"].iloc[0] == pytest.approx(7.25 - 3 * 3 / 1.128)  # -0.729
    assert chart["outside_limits"].tolist() == [False] * 7 + [True]
    assert not chart[["run_of_8", "trend_of_6", "two_of_three_near_limit"]].any().any()


def test_xmr_floor_at_zero():
    chart = xmr_chart([5, 6, 5, 6, 5, 6, 5, 20], floor_at_zero=True)
    assert (chart["lcl"] == 0).all()


def test_xmr_stable_series_flags_nothing():
    chart = xmr_chart([10, 12] * 10)
    flags = ["outside_limits", "run_of_8", "trend_of_6", "two_of_three_near_limit"]
    assert not chart[flags].any().any()


def test_xmr_run_of_8_flags_every_point_in_the_run():
    chart = xmr_chart([12] * 8 + [8] * 8)  # mean 10: 8 above then 8 below
    assert chart["run_of_8"].all()


def test_xmr_run_of_7_is_not_a_run():
    chart = xmr_chart(([12] * 7 + [8] * 7) * 2)
    assert not chart["run_of_8"].any()


def test_xmr_point_on_mean_breaks_a_run():
    # mean = (48 + 10 + 48 + 64 + 10) / 18 = 10: 4 above, on mean, 4 above, 8 below, on mean
    chart = xmr_chart([12] * 4 + [10] + [12] * 4 + [8] * 8 + [10])
    assert chart["run_of_8"].tolist() == [False] * 9 + [True] * 8 + [False]


def test_xmr_trend_of_6_rising_and_falling():
    rising = xmr_chart([5, 1, 2, 3, 4, 5, 6, 2])
    assert rising["trend_of_6"].tolist() == [False] + [True] * 6 + [False]
    falling = xmr_chart([9, 8, 7, 6, 5, 4])
    assert falling["trend_of_6"].all()


@pytest.mark.parametrize("values", [[5, 1, 2, 3, 4, 5, 2], [1, 2, 3, 3, 4, 5, 6]])
def test_xmr_five_point_trend_or_repeat_does_not_trigger(values):
    assert not xmr_chart(values)["trend_of_6"].any()


def test_xmr_two_of_three_beyond_two_sigma():
    # n = 23, mean = 35 / 23 = 1.522; moving ranges 2 x19 then 5, 6, 6 -> mean 2.5;
    # sigma = 2.2163, so mean + 2 sigma = 5.954 and the upper limit is 8.171.
    chart = xmr_chart([0, 2] * 10 + [7, 1, 7])
    assert chart["ucl"].iloc[0] == pytest.approx(35 / 23 + 3 * 2.5 / 1.128)
    expected = [False] * 20 + [True, False, True]
    assert chart["two_of_three_near_limit"].tolist() == expected
    assert not chart["outside_limits"].any()


@pytest.mark.parametrize(
    "tail",
    [
        [7, 1, 1, 7],  # two high points but not within three consecutive points
        [7, -5, 1],  # one high and one low: not the same side
        [7, 1],  # a single point beyond 2 sigma
    ],
)
def test_xmr_two_of_three_needs_two_on_one_side(tail):
    assert not xmr_chart([0, 2] * 10 + tail)["two_of_three_near_limit"].any()


@pytest.mark.parametrize("values", [[], [4.0]])
def test_xmr_short_series_has_no_limits_or_flags(values):
    chart = xmr_chart(values)
    assert len(chart) == len(values)
    assert chart["ucl"].isna().all() and chart["lcl"].isna().all()
    assert not chart[["outside_limits", "run_of_8"]].any().any()


def test_xmr_does_not_mutate_and_rejects_nan():
    values = [3.0, 4.0, 5.0]
    xmr_chart(values)
    assert values == [3.0, 4.0, 5.0]
    with pytest.raises(ValueError):
        xmr_chart([1.0, float("nan"), 2.0])


def test_funnel_does_not_share_memory_with_its_input():
    denominators = np.array([100.0, 1000.0])
    funnel = proportion_funnel(0.3, denominators)
    funnel.loc[0, "denominator"] = 5.0
    np.testing.assert_array_equal(denominators, [100.0, 1000.0])
