"""Periods and URL filters: parsing, validation with notices, and round trips."""

from __future__ import annotations

from datetime import date
from random import Random

import pandas as pd
import pytest

from dashboard.filters import (
    FilterChoices,
    Filters,
    ViewControl,
    describe,
    link_notice,
    meeting_filters,
    parse_query,
    query_values,
    select_meaning,
    summary,
    to_query,
    view_values,
)
from dashboard.periods import (
    PeriodError,
    contains,
    menu_order,
    parse_period,
    quarters_of,
    years_from_to,
)
from dashboard.rules import latest_available

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


@pytest.mark.parametrize(
    "slug",
    [
        "2015-17",
        "2015",
        "2015-16-q5",
        "2015-16-h3",
        "15-16",
        "2015-16-x1",
        # Years no date holds raised Python's ValueError, and a return naming one answered 500.
        "0000-01",
        "9999-00",
        "9999-00-q4",
    ],
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


def test_the_period_menu_lists_years_then_halves_then_quarters_newest_first():
    slugs = [
        "2023-24-q4",
        "2024-25-q1",
        "2024-25-h1",
        "2023-24",
        "2024-25-q2",
        "2024-25",
        "2023-24-h2",
    ]
    assert menu_order(slugs) == [
        "2024-25",
        "2023-24",
        "2024-25-h1",
        "2023-24-h2",
        "2024-25-q2",
        "2024-25-q1",
        "2023-24-q4",
    ]


def test_the_filter_menu_uses_that_order(repo):
    menu = list(repo.reference().filter_choices().periods)
    assert menu == menu_order(menu)
    assert menu.index("2009-10") < menu.index("2016-17-h1") < menu.index("2024-25-q4")
    assert menu.index("2023-24") < menu.index("2024-25-q1")


def _periods(slugs: list[str]) -> pd.DataFrame:
    parsed = [parse_period(slug) for slug in slugs]
    return pd.DataFrame(
        {
            "slug": [p.slug for p in parsed],
            "kind": [p.kind for p in parsed],
            "label": [p.label for p in parsed],
            "start": pd.to_datetime([p.start for p in parsed]),
            "end": pd.to_datetime([p.end for p in parsed]),
        }
    )


PERIODS = _periods(
    ["2015-16", "2016-17", "2016-17-h1", "2016-17-q1", "2016-17-q2", "2024-25", "2024-25-q3"]
)


@pytest.mark.parametrize(
    ("rows", "kind", "expected"),
    [
        (["2015-16", "2016-17-q1"], "year", "2016-17"),  # a quarter counts for its year
        (["2015-16"], "year", "2015-16"),
        (["2016-17-q2", "2024-25-q3", "2015-16"], "year", "2024-25"),
        (["2016-17-q1", "2016-17-q2", "2016-17-h1"], None, "2016-17-q2"),
        (["2016-17-h1", "2016-17-q2"], None, "2016-17-q2"),  # same end: the shorter
        ([], "year", None),
    ],
)
def test_latest_available_is_the_latest_period_the_chart_has_rows_for(rows, kind, expected):
    assert latest_available(pd.Series(rows, dtype=object), PERIODS, kind=kind) == expected


@pytest.mark.parametrize(
    ("selects", "expected"),
    [
        (("cas-2013", "all", "all", "latest"), Filters()),
        (("east-west", "east-kent", "all", "latest"), Filters("east-west", "east-kent")),
        (
            ("cas-2013", "all", "dementia", "2015-16"),
            Filters(care_group="dementia", period="2015-16"),
        ),
        (("", None, "", None), Filters()),
    ],
)
def test_select_values_all_and_latest_are_no_filter_not_unknown_values(selects, expected):
    filters = Filters.from_selects(*selects)
    assert filters == expected
    # Written to the address and read back, the selection raises no notice.
    assert parse_query(to_query(filters), CHOICES) == (filters, [])


def test_the_browser_is_told_how_the_selects_are_read():
    # assets/view.js (filtersFromSelects) reads a select change with exactly these values.
    meaning = select_meaning(CHOICES)
    assert meaning["parameters"] == list(Filters().to_dict())
    assert meaning["scheme"] == Filters().scheme == Filters.from_selects("", "", "", "").scheme
    for value in meaning["unset"]:
        assert Filters.from_selects("cas-2013", value, value, value) == Filters()
    assert meaning["all"] in meaning["unset"]
    assert Filters(locality="thanet-dover").select_values()[1:] == (
        "thanet-dover",
        meaning["all"],
        "latest",
    )
    # A locality is kept only with its own scheme, as parsing a link keeps it.
    for scheme, places in meaning["localities"].items():
        for place in places:
            assert parse_query(f"?scheme={scheme}&locality={place}", CHOICES)[1] == []
        other = next(p for s, ps in CHOICES.localities.items() if s != scheme for p in ps)
        parsed, notices = parse_query(f"?scheme={scheme}&locality={other}", CHOICES)
        assert other not in places and parsed.locality is None and notices


def test_select_values_read_as_link_values_would_be_unknown():
    """The bug this guards against: "all" and "latest" are not care groups or periods."""
    _filters, notices = parse_query("?care_group=all&period=latest", CHOICES)
    assert len(notices) == 2


def test_a_bad_link_gives_one_notice_naming_every_ignored_value():
    _filters, notices = parse_query("?care_group=astronauts&period=1999-00", CHOICES)
    text = link_notice(notices)
    assert "astronauts" in text and "1999-00" in text
    assert text.count("Ignored") == 1
    assert link_notice([]) == ""


MEASURE = ViewControl("measure", "reach-measure", "map measure", "reach", ("reach", "carers"))
DISTRICT = ViewControl("district", "reach-district", "district", "")
SINCE = ViewControl(
    "since",
    "changes-since",
    "meeting date",
    "",
    lambda text: None if text[:2] == "20" else "Not a date.",
)


def test_view_controls_take_the_link_value_or_the_default():
    values, notices = view_values({"measure": "carers", "other": "x"}, (MEASURE, DISTRICT))
    assert values == {"measure": "carers", "district": ""}
    assert notices == []
    assert view_values({}, (MEASURE,)) == ({"measure": "reach"}, [])


@pytest.mark.parametrize(
    ("query", "expected_notice"),
    [
        ({"measure": "astronauts"}, "unknown map measure “astronauts”"),
        ({"measure": "<script>"}, "unknown map measure “<script>”"),
        ({"since": "yesterday"}, "meeting date “yesterday”: not a date"),
    ],
)
def test_unknown_view_values_fall_back_to_the_default_with_a_notice(query, expected_notice):
    values, notices = view_values(query, (MEASURE, SINCE))
    assert values == {"measure": "reach", "since": ""}
    assert notices == [expected_notice]


def test_district_codes_are_checked_only_where_the_data_gives_them():
    # The last value counts, and the link is told that the first was left out.
    link = query_values("?district=E07000107&district=E99999999")
    repeated = "“E07000107” for district, given again later in the link"
    assert view_values(link, (DISTRICT,)) == ({"district": "E99999999"}, [repeated])
    values, notices = view_values(link, (DISTRICT,), {"district": {"E07000107"}})
    assert values == {"district": ""}
    assert notices == [repeated, "unknown district “E99999999”"]
    assert view_values({"district": "E07000107"}, (DISTRICT,), {"district": {"E07000107"}}) == (
        {"district": "E07000107"},
        [],
    )


def test_a_controls_default_is_accepted_where_the_data_lists_the_other_values():
    # "All service lines" is the Decisions menu's default, not a service line of the data.
    line = ViewControl("line", "decisions-service-line", "service line", "all")
    known = {"line": {"cas"}}
    assert view_values({"line": "all"}, (line,), known) == ({"line": "all"}, [])
    assert view_values({"line": "cas"}, (line,), known) == ({"line": "cas"}, [])
    assert view_values({"line": "x"}, (line,), known) == (
        {"line": "all"},
        ["unknown service line “x”"],
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


def test_a_meeting_s_filters_are_every_locality_with_every_care_group_default_first():
    chosen = meeting_filters(CHOICES)
    localities, care_groups = (
        [None, "thanet-dover", "canterbury-swale"],
        [None, *CHOICES.care_groups],
    )
    assert sorted(chosen, key=repr) == sorted(
        (
            Filters(locality=place, care_group=group)
            for place in localities
            for group in care_groups
        ),
        key=repr,
    )
    assert chosen[0] == Filters()
    # One filter chosen before both: the localities and care groups alone are warmed first.
    chosen_counts = [(f.locality is not None) + (f.care_group is not None) for f in chosen]
    assert chosen_counts == sorted(chosen_counts)
    # Only the default scheme's localities, in the latest period.
    assert {f.scheme for f in chosen} == {Filters().scheme} and {f.period for f in chosen} == {None}


def test_workers_shuffling_a_meeting_s_filters_take_them_in_orders_of_their_own_kind_by_kind():
    def kinds(filters):
        return [(f.locality is not None) + (f.care_group is not None) for f in filters]

    in_order = meeting_filters(CHOICES)
    first, second = (meeting_filters(CHOICES, Random(seed)) for seed in (101, 102))
    assert sorted(first, key=repr) == sorted(second, key=repr) == sorted(in_order, key=repr)
    # Still the default, then one filter chosen, then both: only the order within each differs.
    assert kinds(first) == kinds(second) == kinds(in_order)
    assert first[0] == second[0] == Filters()
    assert first != second and first != in_order
    assert meeting_filters(CHOICES, Random(101)) == first  # the same worker, the same order


def test_years_from_to_gives_every_financial_year_between_including_a_quarters():
    slugs = [year.slug for year in years_from_to("2009-10", "2012-13-q4")]
    assert slugs == ["2009-10", "2010-11", "2011-12", "2012-13"]  # Q4 is Jan-Mar 2013
    assert [year.label for year in years_from_to("2024-25", "2024-25")] == ["2024/25"]
    with pytest.raises(PeriodError):
        years_from_to("census-2021", "2024-25")


def test_a_filter_named_twice_in_a_link_uses_the_last_and_says_so_of_the_others():
    # "?locality=thanet-dover&locality=west-kent" showed West Kent and said nothing of Thanet
    # & Dover, which the sender of the link may have meant.
    filters, notices = parse_query(
        "?care_group=dementia&locality=thanet-dover&care_group=autism&care_group=Dementia"
        "&locality=thanet-dover",
        CHOICES,
    )
    assert filters == Filters("cas-2013", "thanet-dover", "dementia")
    assert notices == ["“autism” for care_group, given again later in the link"]
    assert "“autism” for care_group" in link_notice(notices)
