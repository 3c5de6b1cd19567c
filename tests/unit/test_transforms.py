"""Selection rules: published first, never added to demo; localities apportioned; honest gaps."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.transforms import (
    COUNTY_ONLY,
    NOT_BY_CARE_GROUP,
    funding_by_kind,
    locality_weights,
    resolve_count,
)

YEAR = pd.Series(
    {"slug": "2015-16", "start": pd.Timestamp("2015-04-01"), "end": pd.Timestamp("2016-03-31")}
)


def _row(period, geography, value, status, *, care_group=None, provider=None, category=""):
    quarter = period.endswith(("q1", "q2", "q3", "q4"))
    starts = {"q1": "2015-04-01", "q2": "2015-07-01", "q3": "2015-10-01", "q4": "2016-01-01"}
    ends = {"q1": "2015-06-30", "q2": "2015-09-30", "q3": "2015-12-31", "q4": "2016-03-31"}
    return {
        "measure": "referrals",
        "period": period,
        "geography": geography,
        "care_group": care_group,
        "provider": provider,
        "category": category,
        "value": float(value),
        "qualifier": "",
        "status": status,
        "source": "doc" if status == "published" else "demo-generator",
        "source_section": "",
        "note": "",
        "period_kind": "quarter" if quarter else "year",
        "period_start": pd.Timestamp(starts[period[-2:]] if quarter else "2015-04-01"),
        "period_end": pd.Timestamp(ends[period[-2:]] if quarter else "2016-03-31"),
    }


@pytest.fixture
def frame():
    rows = [_row("2015-16", "E10000016", 100, "published")]
    for quarter in ("q1", "q2", "q3", "q4"):
        rows.append(_row(f"2015-16-{quarter}", "E07000114", 10, "demo", care_group="dementia"))
        rows.append(_row(f"2015-16-{quarter}", "E07000114", 5, "demo", care_group="older-people"))
        rows.append(_row(f"2015-16-{quarter}", "E07000108", 10, "demo", care_group="dementia"))
    return pd.DataFrame(rows)


def test_the_published_county_figure_is_used_for_all_of_kent(frame):
    resolved = resolve_count(frame, period=YEAR, filters=Filters(), weights=None)
    assert (resolved.value, resolved.status) == (100, "published")


def test_published_and_demo_are_never_added(frame):
    resolved = resolve_count(frame, period=YEAR, filters=Filters(), weights=None)
    assert resolved.value != 100 + 100


def test_a_locality_sums_demo_district_rows_times_their_share(frame):
    weights = pd.Series({"E07000114": 1.0, "E07000108": 0.5})
    resolved = resolve_count(frame, period=YEAR, filters=Filters(locality="x"), weights=weights)
    assert resolved.value == 4 * 15 + 0.5 * 4 * 10
    assert resolved.status == "demo"


def test_a_care_group_uses_only_that_groups_rows(frame):
    filters = Filters(care_group="older-people")
    resolved = resolve_count(frame, period=YEAR, filters=filters, weights=None)
    assert (resolved.value, resolved.status) == (20, "demo")


def test_a_care_group_without_rows_says_so(frame):
    census = frame.assign(status="census", care_group=None)
    resolved = resolve_count(
        census, period=YEAR, filters=Filters(care_group="dementia"), weights=None
    )
    assert resolved.value is None
    assert resolved.unavailable == NOT_BY_CARE_GROUP


def test_a_county_only_figure_is_not_split_by_locality(frame):
    county_only = frame[frame["status"] == "published"]
    weights = pd.Series({"E07000114": 1.0})
    resolved = resolve_count(
        county_only, period=YEAR, filters=Filters(locality="x"), weights=weights
    )
    assert resolved.value is None
    assert resolved.unavailable == COUNTY_ONLY.format(what="locality")


def test_another_services_published_figure_is_not_taken_for_this_service(frame):
    other = pd.DataFrame([_row("2015-16", "E10000016", 2849, "published", provider="crossroads")])
    mixed = pd.concat([frame[frame["status"] == "demo"], other], ignore_index=True)
    resolved = resolve_count(mixed, period=YEAR, filters=Filters(), weights=None)
    assert (resolved.value, resolved.status) == (100, "demo")


def test_locality_weights_come_from_the_scheme_shares():
    shares = pd.DataFrame(
        {
            "scheme": ["cas-2013", "cas-2013", "ccg-2013"],
            "locality": ["a", "a", "a"],
            "district_code": ["D1", "D2", "D3"],
            "carer_share": [1.0, 0.385, 1.0],
        }
    )
    weights = locality_weights(shares, Filters("cas-2013", "a"))
    assert weights.to_dict() == {"D1": 1.0, "D2": 0.385}
    assert locality_weights(shares, Filters()) is None


def test_funding_headline_prefers_published_then_demo_in_the_published_scope():
    def row(funder, kind, line, amount, status, geography="E10000016"):
        return {
            "funder": funder,
            "funder_kind": kind,
            "service_line": line,
            "geography": geography,
            "period": "2016-17",
            "amount": amount,
            "basis": "allocated",
            "qualifier": "",
            "status": status,
            "source": "s",
            "source_section": "",
            "note": "",
        }

    funding = pd.DataFrame(
        [
            row("kcc", "council", None, 5_660_000, "published"),
            row("kent-ccgs", "nhs", None, 1_840_000, "published"),
            row(None, None, None, 7_500_000, "published"),
            row("kcc", "council", "cas", 1_000, "demo", "D1"),
            row("kcc", "council", "direct-payments", 500, "demo", "D1"),
            row("ccg-a", "nhs", "cas", 300, "demo", "D1"),
        ]
    )
    kent = funding_by_kind(funding, period_slug="2016-17", weights=None)
    assert [kent[k].value for k in ("council", "nhs", "total")] == [5_660_000, 1_840_000, 7_500_000]
    local = funding_by_kind(funding, period_slug="2016-17", weights=pd.Series({"D1": 0.5}))
    assert [local[k].value for k in ("council", "nhs", "total")] == [500, 150, 650]
    assert local["total"].status == "demo"
