"""The selection rules, as a commissioner would state them (``dashboard.rules``).

Each case is a small hand-made frame with the expected figure worked out by hand in a comment.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.rules import (
    APPORTIONED,
    COUNTY_ONLY,
    KENT_CODE,
    NO_DATA,
    NOT_BY_CARE_GROUP,
    care_group_rows,
    concerns_place,
    contracted_providers,
    district_codes,
    funding_by_kind,
    is_district,
    latest_available,
    locality_districts,
    locality_weights,
    prefer_returns,
    resolve_count,
    weakest_status,
    weighted_sum,
    within,
    yearly_series,
)

THANET, DOVER, CANTERBURY, SWALE = "E07000114", "E07000108", "E07000106", "E07000113"
MEDWAY = "E06000035"  # a unitary district next to Kent, not one of Kent's districts
DISTRICT_TABLE = pd.DataFrame(
    {
        "code": [THANET, DOVER, CANTERBURY, SWALE],
        "name": ["Thanet", "Dover", "Canterbury", "Swale"],
    }
)
DISTRICTS = district_codes(DISTRICT_TABLE)
QUARTERS = {
    "q1": ("-04-01", "-06-30"),
    "q2": ("-07-01", "-09-30"),
    "q3": ("-10-01", "-12-31"),
    "q4": ("-01-01", "-03-31"),
}
PERIODS = pd.DataFrame(
    [
        ("2015-16", "year", "2015/16", "2015-04-01", "2016-03-31"),
        ("2016-17", "year", "2016/17", "2016-04-01", "2017-03-31"),
        ("2017-18", "year", "2017/18", "2017-04-01", "2018-03-31"),
        ("2016-17-q1", "quarter", "Q1 2016/17", "2016-04-01", "2016-06-30"),
        ("2016-17-q4", "quarter", "Q4 2016/17", "2017-01-01", "2017-03-31"),
    ],
    columns=["slug", "kind", "label", "start", "end"],
).astype({"start": "datetime64[ns]", "end": "datetime64[ns]"})


def _period(slug: str) -> pd.Series:
    return PERIODS.set_index("slug", drop=False).loc[slug]


def _row(period, geography, value, status, *, care_group=None, provider=None, category=""):
    """One observation row as the repository returns it (quarters or whole financial years)."""
    year = int(period[:4])
    if period[-2:] in QUARTERS:
        first, last = QUARTERS[period[-2:]]
        start_year = year + 1 if period.endswith("q4") else year
        start, end = f"{start_year}{first}", f"{start_year}{last}"
    else:
        start, end = f"{year}-04-01", f"{year + 1}-03-31"
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
        "source": {"published": "doc", "return": "provider-return"}.get(status, "demo-generator"),
        "source_section": "",
        "note": "",
        "period_kind": "quarter" if period[-2:] in QUARTERS else "year",
        "period_start": pd.Timestamp(start),
        "period_end": pd.Timestamp(end),
    }


def _frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def _resolve(frame, period="2015-16", *, weights=None, **filters):
    return resolve_count(
        frame,
        period=_period(period),
        filters=Filters(**filters),
        weights=weights,
        districts=DISTRICTS,
    )


@pytest.fixture
def frame():
    """Kent's published 2015/16 total of 100, and demo quarters for Thanet and Dover.

    Thanet: 10 dementia + 5 older people a quarter; Dover: 10 dementia a quarter.
    """
    rows = [_row("2015-16", KENT_CODE, 100, "published")]
    for quarter in ("q1", "q2", "q3", "q4"):
        rows.append(_row(f"2015-16-{quarter}", THANET, 10, "demo", care_group="dementia"))
        rows.append(_row(f"2015-16-{quarter}", THANET, 5, "demo", care_group="older-people"))
        rows.append(_row(f"2015-16-{quarter}", DOVER, 10, "demo", care_group="dementia"))
    return pd.DataFrame(rows)


# --- Published first, never added to demo ---------------------------------------------------


def test_the_published_county_figure_is_used_for_all_of_kent(frame):
    resolved = _resolve(frame)
    assert (resolved.value, resolved.status, resolved.sources) == (100, "published", ("doc",))


def test_published_and_demo_are_never_added(frame):
    # Demo district rows add up to 4 x (15 + 10) = 100 too; the total is 100, not 200.
    assert _resolve(frame).value == 100


def test_a_published_kent_total_for_2016_17_is_shown_as_published_and_demo_rows_not_added():
    rows = _frame(
        _row("2016-17", KENT_CODE, 7_174, "published"),
        _row("2016-17-q1", THANET, 900, "demo"),
        _row("2016-17-q4", DOVER, 800, "demo"),
    )
    resolved = _resolve(rows, "2016-17")
    assert (resolved.value, resolved.status) == (7_174, "published")


def test_without_a_published_total_the_demo_districts_are_added_and_labelled_demo():
    rows = _frame(_row("2016-17-q1", THANET, 900, "demo"), _row("2016-17-q4", DOVER, 800, "demo"))
    resolved = _resolve(rows, "2016-17")
    assert (resolved.value, resolved.status) == (900 + 800, "demo")


def test_another_services_published_figure_is_not_taken_for_this_service(frame):
    other = pd.DataFrame([_row("2015-16", KENT_CODE, 2849, "published", provider="crossroads")])
    mixed = pd.concat([frame[frame["status"] == "demo"], other], ignore_index=True)
    resolved = _resolve(mixed)
    assert (resolved.value, resolved.status) == (100, "demo")


def test_two_published_totals_for_one_period_show_the_first_and_name_the_other():
    rows = _frame(
        _row("2015-16", KENT_CODE, 5_313, "published"),
        _row("2015-16", KENT_CODE, 5_360, "published"),
    )
    resolved = _resolve(rows)
    assert (resolved.value, resolved.alternatives) == (5_313, (5_360,))


def test_the_yearly_trend_is_published_where_published_and_demo_elsewhere():
    rows = _frame(
        _row("2015-16", KENT_CODE, 100, "published"),
        _row("2015-16-q1", THANET, 30, "demo"),
        _row("2016-17-q1", THANET, 40, "demo"),
        _row("2016-17-q4", DOVER, 2, "demo"),
    )
    years = PERIODS[PERIODS["kind"] == "year"]
    trend = yearly_series(rows, years, filters=Filters(), weights=None, districts=DISTRICTS)
    assert trend.drop(columns="qualifier").to_dict("records") == [
        {"period": "2015-16", "label": "2015/16", "value": 100.0, "status": "published"},
        {"period": "2016-17", "label": "2016/17", "value": 42.0, "status": "demo"},
    ]


def test_a_trend_counts_each_row_in_the_year_wholly_holding_it_whatever_order_years_come_in():
    spanning = _row("2015-16-q4", THANET, 50, "demo") | {"period_end": pd.Timestamp("2016-06-30")}
    rows = _frame(
        _row("2015-16-q4", THANET, 1, "demo"),
        spanning,  # January to June 2016: inside neither year
        _row("2016-17", DOVER, 2, "demo"),  # its year is not asked for
        _row("2017-18-q1", THANET, 3, "demo", care_group="dementia"),
        _row("2017-18-q1", THANET, 4, "demo"),
    )
    years = PERIODS[PERIODS["slug"].isin(["2017-18", "2015-16"])].iloc[::-1]
    trend = yearly_series(rows, years, filters=Filters(), weights=None, districts=DISTRICTS)
    assert trend[["period", "value"]].to_dict("records") == [
        {"period": "2015-16", "value": 1.0},
        {"period": "2017-18", "value": 4.0},  # the all-groups row, not added to its group's
    ]
    for year in trend.itertuples():
        assert _resolve(rows, year.period).value == year.value


def test_no_rows_for_the_period_says_there_is_no_data(frame):
    resolved = _resolve(frame, "2016-17")
    assert (resolved.value, resolved.unavailable) == (None, NO_DATA)


# --- Imported returns over demo -------------------------------------------------------------


def test_an_imported_return_for_thanet_q1_replaces_thanets_demo_q1_but_not_dovers():
    rows = _frame(
        _row("2016-17-q1", THANET, 50, "demo"),
        _row("2016-17-q1", THANET, 7, "demo", care_group="dementia"),
        _row("2016-17-q1", THANET, 42, "return"),
        _row("2016-17-q1", DOVER, 30, "demo"),
        _row("2016-17-q4", THANET, 60, "demo"),
    )
    kept = prefer_returns(rows)
    assert sorted(zip(kept["geography"], kept["period"], kept["status"], strict=True)) == [
        (DOVER, "2016-17-q1", "demo"),
        (THANET, "2016-17-q1", "return"),
        (THANET, "2016-17-q4", "demo"),  # later quarter: no return yet
    ]
    # Kent's Q1 is then Thanet's return plus Dover's demo: 42 + 30, and demo (a demo part).
    resolved = _resolve(kept, "2016-17-q1")
    assert (resolved.value, resolved.status) == (42 + 30, "demo")


def test_a_return_for_the_whole_year_replaces_the_demo_quarters_inside_it():
    rows = _frame(
        _row("2016-17-q1", THANET, 50, "demo"),
        _row("2016-17-q4", THANET, 60, "demo"),
        _row("2016-17", THANET, 400, "return"),
    )
    kept = prefer_returns(rows)
    assert kept["status"].tolist() == ["return"]
    assert _resolve(kept, "2016-17").value == 400


def test_census_rows_do_not_replace_demo_rows_and_nothing_changes_without_a_return():
    rows = _frame(_row("2016-17-q1", THANET, 50, "demo"), _row("2016-17", THANET, 9, "census"))
    assert prefer_returns(rows).equals(rows)


# --- Locality shares of split districts -----------------------------------------------------

SHARES = pd.DataFrame(
    {
        "scheme": ["cas-2013", "cas-2013", "cas-2013", "ccg-2013"],
        "locality": ["canterbury-coastal", "canterbury-swale", "canterbury-swale", "ccg-x"],
        "district_code": [CANTERBURY, CANTERBURY, SWALE, DOVER],
        "carer_share": [0.4, 0.6, 1.0, 1.0],
    }
)


def test_locality_weights_come_from_the_chosen_schemes_shares():
    weights = locality_weights(SHARES, Filters("cas-2013", "canterbury-swale"))
    assert weights.to_dict() == {CANTERBURY: 0.6, SWALE: 1.0}
    assert locality_weights(SHARES, Filters()) is None


def test_canterbury_split_60_40_counts_60_percent_in_the_first_locality():
    rows = _frame(
        _row("2016-17-q1", CANTERBURY, 100, "demo"),
        _row("2016-17-q1", SWALE, 20, "demo"),
        _row("2016-17-q1", DOVER, 1_000, "demo"),  # outside the locality: counts 0
    )
    weights = locality_weights(SHARES, Filters("cas-2013", "canterbury-swale"))
    resolved = _resolve(rows, "2016-17-q1", weights=weights, locality="canterbury-swale")
    # 0.6 x 100 + 1.0 x 20 = 80.
    assert resolved.value == pytest.approx(80)
    assert (resolved.status, resolved.note) == ("demo", APPORTIONED)
    assert weighted_sum(rows, weights) == pytest.approx(80)
    assert weighted_sum(rows, None) == 1_120


def test_a_localitys_districts_are_those_with_a_share_and_split_ones_are_partly_in_it():
    weights = locality_weights(SHARES, Filters("cas-2013", "canterbury-swale"))
    assert locality_districts(weights) == ({CANTERBURY, SWALE}, {CANTERBURY})
    assert locality_districts(None) == (set(), set())  # all of Kent: nothing picked out


def test_a_contract_for_canterbury_coastal_concerns_canterbury_and_swale_but_not_dover():
    # Canterbury is split between two localities; a contract for either concerns a place
    # holding Canterbury, whichever scheme the place is chosen in.
    assert concerns_place(["canterbury-coastal"], {CANTERBURY, SWALE}, SHARES)
    assert not concerns_place(["canterbury-coastal"], {DOVER}, SHARES)
    assert concerns_place(["ccg-x"], {DOVER}, SHARES)  # another scheme's locality
    assert concerns_place([], {DOVER}, SHARES)  # named for no locality: Kent-wide
    assert concerns_place(["canterbury-coastal"], None, SHARES)  # Kent as a whole


def test_a_locality_sums_demo_district_rows_times_their_share(frame):
    weights = pd.Series({THANET: 1.0, DOVER: 0.5})
    resolved = _resolve(frame, weights=weights, locality="x")
    assert resolved.value == 4 * 15 + 0.5 * 4 * 10
    assert resolved.status == "demo"


def test_a_county_only_figure_is_not_split_by_locality(frame):
    county_only = frame[frame["status"] == "published"]
    resolved = _resolve(county_only, weights=pd.Series({THANET: 1.0}), locality="x")
    assert resolved.value is None
    assert resolved.unavailable == COUNTY_ONLY.format(what="locality")


def test_census_carers_split_by_shares_are_modelled_and_whole_districts_stay_census():
    rows = _frame(
        _row("2015-16", CANTERBURY, 1_000, "census"), _row("2015-16", SWALE, 50, "census")
    )
    split = _resolve(rows, weights=pd.Series({CANTERBURY: 0.6, SWALE: 1.0}), locality="x")
    assert (split.value, split.status) == (pytest.approx(650), "modelled")
    whole = _resolve(rows, weights=pd.Series({SWALE: 1.0}), locality="y")
    assert (whole.value, whole.status) == (50, "census")


# --- The combined status of a figure --------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "status"),
    [
        (["return", "demo"], "demo"),  # a total made of a return and demo parts is demo
        (["published", "demo"], "demo"),
        (["return", "published"], "return"),
        (["published", "published"], "published"),
        ([], "demo"),  # a total of nothing is not a real figure
    ],
)
def test_a_total_is_only_as_real_as_its_weakest_part(parts, status):
    assert weakest_status(parts) == status


# --- All care groups without double counting ------------------------------------------------


def test_all_care_groups_takes_a_districts_all_groups_row_rather_than_adding_its_groups_too():
    rows = _frame(
        _row("2016-17-q1", THANET, 42, "return"),
        _row("2016-17-q1", THANET, 30, "return", care_group="dementia"),
        _row("2016-17-q1", DOVER, 10, "demo", care_group="dementia"),
        _row("2016-17-q1", DOVER, 5, "demo", care_group="autism"),
    )
    chosen = care_group_rows(rows, None)
    # Thanet's all-groups 42; Dover has no all-groups row, so its groups 10 + 5.
    assert chosen["value"].sum() == 42 + 10 + 5
    assert care_group_rows(rows, "dementia")["value"].sum() == 30 + 10
    assert care_group_rows(rows, "learning-disability") is None


def test_a_care_group_uses_only_that_groups_rows(frame):
    resolved = _resolve(frame, care_group="older-people")
    assert (resolved.value, resolved.status) == (20, "demo")


def test_a_care_group_without_rows_says_so(frame):
    census = frame.assign(status="census", care_group=None)
    resolved = _resolve(census, care_group="dementia")
    assert resolved.value is None
    assert resolved.unavailable == NOT_BY_CARE_GROUP


# --- What a district is ---------------------------------------------------------------------


def test_a_district_is_what_the_district_reference_table_lists():
    assert {THANET, DOVER, CANTERBURY, SWALE} == DISTRICTS
    codes = pd.Series([THANET, MEDWAY, KENT_CODE, "canterbury-swale", "E07000999"])
    assert is_district(codes, DISTRICTS).tolist() == [True, False, False, False, False]


def test_rows_for_places_not_in_the_district_table_are_never_added_to_kent():
    rows = _frame(
        _row("2016-17-q1", THANET, 40, "demo"),
        _row("2016-17-q1", MEDWAY, 500, "demo"),
        _row("2016-17-q1", "canterbury-swale", 70, "published"),  # a locality's own figure
    )
    assert _resolve(rows, "2016-17-q1").value == 40


# --- Periods --------------------------------------------------------------------------------


def test_rows_count_for_a_period_only_when_they_lie_wholly_inside_it():
    rows = _frame(
        _row("2016-17-q1", THANET, 1, "demo"),
        _row("2016-17", THANET, 2, "return"),
        _row("2017-18-q1", THANET, 3, "demo"),
    )
    inside = within(rows, pd.Timestamp("2016-04-01"), pd.Timestamp("2017-03-31"))
    assert inside["value"].tolist() == [1, 2]


def test_latest_available_is_the_latest_year_a_chart_has_rows_for():
    # A Q4 2016/17 row makes 2016/17 the latest year; by period it is that quarter itself.
    slugs = pd.Series(["2015-16", "2016-17-q4"])
    assert latest_available(slugs, PERIODS) == "2016-17"
    assert latest_available(slugs, PERIODS, kind=None) == "2016-17-q4"
    assert latest_available(pd.Series([], dtype=object), PERIODS) is None


# --- Contracts ------------------------------------------------------------------------------


def test_a_provider_is_contracted_for_a_quarter_only_while_one_of_its_contracts_covers_it():
    # As the documents record them: contracts ending 31 March 2018, one left open, and Involve
    # Carers named without a start date.
    contracts = pd.DataFrame(
        {
            "provider": ["east-kent", "east-kent", "maidstone", "involve", "later"],
            "start": [date(2013, 4, 1), date(2013, 4, 1), date(2013, 4, 1), None, date(2019, 1, 1)],
            "end": [date(2018, 3, 31), date(2018, 3, 31), None, date(2018, 3, 31), None],
        }
    )
    jan_mar_2018 = contracted_providers(contracts, date(2018, 1, 1), date(2018, 3, 31))
    apr_jun_2018 = contracted_providers(contracts, date(2018, 4, 1), date(2018, 6, 30))
    oct_dec_2018 = contracted_providers(contracts, date(2018, 10, 1), date(2018, 12, 31))
    jan_mar_2019 = contracted_providers(contracts, date(2019, 1, 1), date(2019, 3, 31))
    assert jan_mar_2018 == {"east-kent", "maidstone", "involve"}
    assert apr_jun_2018 == oct_dec_2018 == {"maidstone"}
    assert jan_mar_2019 == {"maidstone", "later"}


# --- Funding --------------------------------------------------------------------------------


def test_funding_headline_prefers_published_then_demo_in_the_published_scope():
    def row(funder, kind, line, amount, status, geography=KENT_CODE):
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
            row("kcc", "council", "cas", 1_000, "demo", THANET),
            row("kcc", "council", "direct-payments", 500, "demo", THANET),
            row("ccg-a", "nhs", "cas", 300, "demo", THANET),
        ]
    )
    kent = funding_by_kind(funding, period_slug="2016-17", weights=None)
    assert [kent[k].value for k in ("council", "nhs", "total")] == [5_660_000, 1_840_000, 7_500_000]
    assert kent["total"].status == "published"
    # Half of Thanet in the locality: council 0.5 x 1,000, NHS 0.5 x 300 (direct payments are
    # outside the published table's scope).
    local = funding_by_kind(funding, period_slug="2016-17", weights=pd.Series({THANET: 0.5}))
    assert [local[k].value for k in ("council", "nhs", "total")] == [500, 150, 650]
    assert local["total"].status == "demo"
