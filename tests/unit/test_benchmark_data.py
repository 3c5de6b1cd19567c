"""Benchmark data of any size adds up to the normal demo data: more rows, never more carers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import benchmark_data, demo
from dashboard.config import DATA_DIR
from dashboard.db.seed_files import read_seed_data
from tests.support.parts import parts_exceeding_totals

# 10^3 and 10^5 are smaller than the normal demo data (about 143,000 rows): the oldest periods
# go. 400,000 is the smallest size at which every count is split into months as well.
SIZES = (1_000, 100_000, 400_000)
COUNT_UNITS = ("count", "hours")


@pytest.fixture(scope="module")
def seed_data():
    return read_seed_data(DATA_DIR)


@pytest.fixture(scope="module")
def normal(seed_data):
    return demo.generate(seed_data).observations


@pytest.fixture(scope="module")
def built(seed_data):
    return {rows: benchmark_data.build(seed_data, benchmark_data.Size(rows)) for rows in SIZES}


def seed_rows(seed_data) -> int:
    return len(seed_data["published/observations.csv"]) + len(seed_data["census/observations.csv"])


def quarter_of(period: pd.Series) -> pd.Series:
    """Month slugs mapped to the quarter containing them; other slugs unchanged."""
    month = period.str.extract(r"-m(\d\d)$")[0].astype(float)
    quarter = ((month - 4) % 12 // 3 + 1).astype("Int64").astype(str)
    return period.where(month.isna(), period.str[:7] + "-q" + quarter)


def yearly_counts(frame: pd.DataFrame, units: pd.Series) -> pd.Series:
    counts = frame[frame["measure"].map(units).isin(COUNT_UNITS)]
    counts = counts.assign(year=counts["period"].str[:7])
    return counts.groupby(["measure", "year", "geography"])["value"].sum()


@pytest.mark.parametrize("rows", SIZES)
def test_row_count_is_within_ten_percent_of_the_size_asked_for(built, seed_data, rows):
    total = len(built[rows].observations) + seed_rows(seed_data)
    assert abs(total - rows) <= rows / 10


@pytest.mark.parametrize("rows", SIZES)
def test_district_totals_per_measure_and_year_equal_the_normal_demo_data(
    built, normal, seed_data, rows
):
    observations = built[rows].observations
    observations = observations.assign(period=quarter_of(observations["period"]))
    present = set(zip(observations["measure"], observations["period"], strict=True))
    keys = zip(normal["measure"], normal["period"], strict=True)
    same_blocks = normal[[key in present for key in keys]]
    units = seed_data["reference/measures.csv"].set_index("slug")["unit"]
    expected = yearly_counts(same_blocks, units)
    actual = yearly_counts(observations, units)
    pd.testing.assert_series_equal(actual, expected)
    assert actual.sum() > 0


def test_shares_are_kept_as_they_are(built, normal, seed_data):
    units = seed_data["reference/measures.csv"].set_index("slug")["unit"]
    grown = built[400_000].observations
    shares = grown[~grown["measure"].map(units).isin(COUNT_UNITS)].reset_index(drop=True)
    original = normal[~normal["measure"].map(units).isin(COUNT_UNITS)].reset_index(drop=True)
    pd.testing.assert_frame_equal(shares, original)


@pytest.mark.parametrize("rows", SIZES)
def test_carers_supported_never_exceed_census_carers_in_a_district(built, seed_data, rows):
    census = seed_data["census/observations.csv"]
    carers = census[
        (census["measure"] == "census-carers")
        & (census["period"] == "census-2021")
        & (census["category"] == "")
    ].set_index("geography")["value"]
    supported = built[rows].observations
    supported = supported[supported["measure"] == "carers-supported"]
    per_year = supported.groupby([supported["period"].str[:7], "geography"])["value"].sum()
    census_carers = per_year.index.get_level_values("geography").map(carers)
    assert not pd.isna(census_carers).any()
    assert (per_year.to_numpy() <= census_carers.to_numpy()).all()


def test_growth_adds_months_and_synthetic_providers_with_contracts(built):
    grown = built[400_000]
    months = grown.observations[grown.observations["period"].str.contains("-m")]
    assert len(months) > len(grown.observations) / 2
    assert set(months["period"]) == {period["slug"] for period in grown.periods}
    providers = set(grown.observations["provider"])
    synthetic = {p for p in providers if p.startswith(benchmark_data.SYNTHETIC_PREFIX)}
    assert synthetic == set(grown.providers["slug"])
    assert set(grown.contracts["provider"]) == synthetic
    assert grown.providers["name"].str.contains("Synthetic benchmark provider").all()
    assert grown.providers["name"].str.endswith("(demo)").all()


def test_month_periods_lie_inside_their_quarter():
    april = benchmark_data.month_period("2023-24-m04")
    assert april == {
        "slug": "2023-24-m04",
        "kind": "month",
        "label": "April 2023",
        "start": date(2023, 4, 1),
        "end": date(2023, 4, 30),
    }
    march = benchmark_data.month_period("2023-24-m03")
    assert (march["label"], march["start"], march["end"]) == (
        "March 2024",
        date(2024, 3, 1),
        date(2024, 3, 31),
    )
    slugs = [benchmark_data.month_slug("2023-24-q4", index) for index in range(3)]
    assert slugs == ["2023-24-m01", "2023-24-m02", "2023-24-m03"]
    december = benchmark_data.month_period(benchmark_data.month_slug("2023-24-q3", 2))
    assert december["end"] == date(2023, 12, 31)


def test_same_size_gives_the_same_rows(built, seed_data):
    again = benchmark_data.build(seed_data, benchmark_data.Size(400_000))
    pd.testing.assert_frame_equal(again.observations, built[400_000].observations)


def test_without_months_only_providers_are_added(seed_data, normal):
    grown = benchmark_data.build(seed_data, benchmark_data.Size(300_000, months=False))
    assert set(grown.observations["period"]) == set(normal["period"])
    assert grown.periods == []
    assert len(grown.providers) >= 2


@pytest.mark.parametrize("rows", SIZES)
def test_no_piece_of_a_part_exceeds_the_same_piece_of_its_total(built, seed_data, rows):
    units = seed_data["reference/measures.csv"].set_index("slug")["unit"]
    exceeding = parts_exceeding_totals(built[rows].observations, units)
    assert exceeding.empty, exceeding.head(10).to_string()
