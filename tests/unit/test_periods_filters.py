"""Periods and URL filters: parsing, validation with notices, and round trips."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import (
    FilterChoices,
    Filters,
    ViewControl,
    describe,
    parse_query,
    query_values,
    summary,
    to_query,
    view_values,
)
from dashboard.periods import PeriodError, contains, parse_period, quarters_of

CHOICES = FilterChoices(
    localities={
        "cas-2013": {"thanet-dover": "Thanet & Dover", "canterbury-swale": "Canterbury & Swale"},
        "east-west": {"east-kent": "East Kent", "west-kent": "West Kent"},
    },
    care_groups={"dementia": "Dementia", "mental-health": "Mental health"},
    periods={"2015-16": "2015/16", "2015-16-q1": "2015/16 Q1", "2016-17-h1": "2016/17 H1"},
    scheme_names={"cas-2013": "Carers' localities", "east-west": "East and West Kent"},
)


@pytest.mark.parametrize(
    ("slug", "start", "end", "kind"),
    [
        ("2015-16", date(2015, 4, 1), date(2016, 3, 31), "year"),
        ("2015-16-q1", date(2015, 4, 1), date(2015, 6, 30), "quarter"),
        ("2015-16-q4", date(2016, 1, 1), date(2016, 3, 31), "quarter"),
        ("2016-17-h1", date(2016, 4, 1), date(2016, 9, 30), "half"),
        ("2016-17-h2", date(2016, 10, 1), date(2017, 3, 31), "half"),
        ("1999-00", date(1999, 4, 1), date(2000, 3, 31), "year"),
    ],
)
def test_regular_periods_have_financial_year_dates(slug, start, end, kind):
    period = parse_period(slug)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert period.financial_year == slug[:7]


@pytest.mark.parametrize(
    "slug", ["2015-17", "2015", "2015-16-q5", "2015-16-h3", "15-16", "2015-16-x1"]
)
def test_bad_periods_are_refused_with_a_reason(slug):
    with pytest.raises(PeriodError, match=slug):
        parse_period(slug)


def test_quarters_lie_within_their_year():
    year = parse_period("2020-21")
    assert all(contains(year, parse_period(q)) for q in quarters_of("2020-21"))
    assert not contains(parse_period("2020-21-q1"), year)


def test_query_round_trip_restores_filters():
    filters = Filters("cas-2013", "thanet-dover", "dementia", "2015-16-q1")
    parsed, notices = parse_query(to_query(filters), CHOICES)
    assert parsed == filters
    assert notices == []


def test_defaults_make_an_empty_query():
    assert to_query(Filters()) == ""
    assert parse_query("", CHOICES) == (Filters(), [])


@pytest.mark.parametrize(
    ("query", "expected", "mentions"),
    [
        ("?care_group=astronauts", Filters(), ["astronauts"]),
        ("?period=2030-31", Filters(), ["2030-31"]),
        ("?scheme=nowhere&locality=thanet-dover", Filters("cas-2013", "thanet-dover"), ["nowhere"]),
        ("?scheme=east-west&locality=thanet-dover", Filters("east-west"), ["thanet-dover"]),
        ("?CARE_GROUP=x&care_group=Dementia", Filters(care_group="dementia"), []),
    ],
)
def test_unknown_values_are_dropped_with_a_notice(query, expected, mentions):
    filters, notices = parse_query(query, CHOICES)
    assert filters == expected
    for text in mentions:
        assert any(text in notice for notice in notices)
    assert len(notices) == len(mentions)


def test_a_locality_alone_implies_its_scheme():
    filters, notices = parse_query("?locality=west-kent", CHOICES)
    assert filters == Filters("east-west", "west-kent")
    assert notices == []


def test_select_values_map_all_and_latest_to_no_filter():
    filters = Filters.from_selects("cas-2013", "all", "dementia", "latest")
    assert filters == Filters("cas-2013", None, "dementia", None)
    assert filters.select_values() == ("cas-2013", "all", "dementia", "latest")


def test_describe_names_place_group_and_period():
    text = describe(Filters("cas-2013", "thanet-dover", "dementia", "2015-16"), CHOICES)
    assert text == "Thanet & Dover · Dementia · 2015/16"


MEASURE = ViewControl("measure", "reach-measure", "map measure", "reach", ("reach", "carers"))
DISTRICT = ViewControl("district", "reach-district", "district", "")
SINCE = ViewControl("since", "changes-since", "meeting date", "", lambda text: text[:2] == "20")


def test_view_controls_take_the_link_value_or_the_default():
    values, notices = view_values({"measure": "carers", "other": "x"}, (MEASURE, DISTRICT))
    assert values == {"measure": "carers", "district": ""}
    assert notices == []
    assert view_values({}, (MEASURE,)) == ({"measure": "reach"}, [])


@pytest.mark.parametrize(
    ("query", "expected_notice"),
    [
        ({"measure": "astronauts"}, "Ignored unknown map measure “astronauts” in the link."),
        ({"measure": "<script>"}, "Ignored unknown map measure “<script>” in the link."),
        ({"since": "yesterday"}, "Ignored unknown meeting date “yesterday” in the link."),
    ],
)
def test_unknown_view_values_fall_back_to_the_default_with_a_notice(query, expected_notice):
    values, notices = view_values(query, (MEASURE, SINCE))
    assert values == {"measure": "reach", "since": ""}
    assert notices == [expected_notice]


def test_district_codes_are_checked_only_where_the_data_gives_them():
    link = query_values("?district=E07000107&district=E99999999")  # the last value counts
    assert view_values(link, (DISTRICT,)) == ({"district": "E99999999"}, [])
    values, notices = view_values(link, (DISTRICT,), {"district": {"E07000107"}})
    assert values == {"district": ""}
    assert notices == ["Ignored unknown district “E99999999” in the link."]
    assert view_values({"district": "E07000107"}, (DISTRICT,), {"district": {"E07000107"}}) == (
        {"district": "E07000107"},
        [],
    )


def test_summary_names_every_filter_in_words():
    assert summary(Filters(), CHOICES) == (
        "Filters: Locality All of Kent · Care group All care groups · Period Latest available"
    )
    chosen = Filters("cas-2013", "thanet-dover", "dementia", "2015-16")
    assert summary(chosen, CHOICES) == (
        "Filters: Locality Thanet & Dover (Carers' localities) · Care group Dementia · "
        "Period 2015/16"
    )
