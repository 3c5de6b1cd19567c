"""Tests for the reach views and figures: hand-worked reach rates, Wilson classes, filters.

Census figures come from the seeded database (as published); carers supported are replaced by a
small hand-built set of quarterly returns so every rate can be worked out by hand.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from dashboard import formatting, geo, stats
from dashboard.callbacks.reach import reach_data
from dashboard.charts import ALL_CARE_GROUPS, BASE_ALL_CARE_GROUPS, BY_CARE_GROUP, to_csv
from dashboard.data_dates import DataDates
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.exports import describe_chart
from dashboard.filters import Filters
from dashboard.rules import locality_districts
from dashboard.views import reach
from dashboard.views.common import ViewContext
from tests.support.figures import figure_but_outline_opacity, has_demo_mark, outlined_rows

CODES = list(geo.KENT_DISTRICTS)
ASHFORD, DARTFORD, SEVENOAKS, THANET = "E07000105", "E07000107", "E07000111", "E07000114"
TONBRIDGE, TUNBRIDGE_WELLS = "E07000115", "E07000116"
KENT_CARERS_2021 = 135_907  # Census 2021 TS039 MSOA sum, data/README.md
DARTFORD_CARERS_2021 = 8_668


def _returns(repo) -> pd.DataFrame:
    """Two quarters of 2024/25: 100 + 50 carers in each district, Ashford 2 + 1, Thanet 2,000."""
    periods = repo.reference().periods.set_index("slug")
    rows = []
    for code in CODES:
        for quarter, value in (("2024-25-q1", 100.0), ("2024-25-q2", 50.0)):
            if code == ASHFORD:
                value = 2.0 if quarter.endswith("q1") else 1.0
            if code == THANET:
                value = 1_000.0
            for group, share in (("dementia", 0.4), ("mental-health", 0.6)):
                rows.append(
                    {
                        "measure": "carers-supported",
                        "period": quarter,
                        "geography": code,
                        "care_group": group,
                        "provider": "carers-first",
                        "category": "",
                        "value": value * share,
                        "status": "demo",
                        "source": "demo-generator",
                        "period_start": periods.loc[quarter, "start"],
                        "period_end": periods.loc[quarter, "end"],
                    }
                )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def data(repo) -> reach.ReachData:
    return dataclasses.replace(reach_data(repo), supported=_returns(repo))


def _context(repo, **filters) -> ViewContext:
    return ViewContext(Filters(**filters), repo.reference(), DataDates())


def _row(table: pd.DataFrame, code: str) -> pd.Series:
    return table[table["code"] == code].iloc[0]


def test_reach_is_carers_supported_over_census_2021_carers(repo, data):
    table = reach.district_table(data, _context(repo))
    dartford = _row(table, DARTFORD)
    assert dartford["carers_2021"] == DARTFORD_CARERS_2021
    assert dartford["supported"] == pytest.approx(150)
    assert dartford["reach"] == pytest.approx(100 * 150 / 8_668)  # 1.7305%
    kent = _row(table, "E10000016")
    assert kent["carers_2021"] == KENT_CARERS_2021
    kent_supported = 10 * 150 + 3 + 2_000
    assert kent["supported"] == pytest.approx(kent_supported)
    assert kent["reach"] == pytest.approx(100 * kent_supported / KENT_CARERS_2021)
    (lower,), (upper,) = stats.wilson_intervals([150], [8_668])
    assert dartford["reach_lower"] == pytest.approx(100 * lower)
    assert dartford["reach_upper"] == pytest.approx(100 * upper)


def test_with_returns_from_half_the_districts_kent_is_the_rate_of_those_reporting(repo, data):
    # The first returns of a quarter came from six districts: Kent's rate was their carers
    # supported over all twelve districts' carers, so each of the six came out "better", and
    # the six without a figure were called demo data.
    six = CODES[:6]
    returned = data.supported[data.supported["geography"].isin(six)].assign(
        status="return", source="provider-returns"
    )
    partial = dataclasses.replace(reach_data(repo), supported=returned)
    context = _context(repo)
    table = reach.district_table(partial, context)
    reporting = table[table["code"].isin(six)]
    kent = _row(table, "E10000016")
    assert kent["supported"] == pytest.approx(reporting["supported"].sum())
    assert kent["reach"] == pytest.approx(
        100 * reporting["supported"].sum() / reporting["carers_2021"].sum()
    )
    funnel = reach.reach_funnel(partial, context)
    assert "in the 6 districts reporting" in funnel.title
    assert funnel.statuses == ("census", "return")
    assert not has_demo_mark(funnel.figure)
    assert any("Provider monitoring returns" in source for source in funnel.sources)
    assert not any("DEMO" in source for source in funnel.sources)
    missing = funnel.table[~funnel.table["code"].isin(six)]
    assert missing["status"].isna().all()
    ranking = reach.reach_ranking(partial, context)
    assert "in the 6 districts reporting" in ranking.title

    # A district without a figure: a dash, with no status beside it.
    def supported_fact(code):
        facts = reach.district_profile(partial, context, code).facts
        return next(fact for fact in facts if fact.label.startswith("Carers supported"))

    assert (supported_fact(CODES[6]).value, supported_fact(CODES[6]).status) == ("–", None)
    assert supported_fact(CODES[0]).status == "return"
    # With every district reporting, nothing is said.
    assert "reporting" not in reach.reach_funnel(data, context).title


def test_each_ranking_bar_is_hatched_by_its_own_figures_status(repo, data):
    # Returns from six districts beside demo figures for the rest: every bar was hatched as
    # demo, the returns too.
    six = set(CODES[:6])
    supported = data.supported.assign(
        status=data.supported["geography"].map(lambda code: "return" if code in six else "demo")
    )
    mixed = dataclasses.replace(reach_data(repo), supported=supported)
    ranking = reach.reach_ranking(mixed, _context(repo))
    shapes = {}
    for trace in ranking.figure.data:
        if trace.type == "bar":
            shapes.update(zip(trace.y, trace.marker.pattern.shape, strict=True))
    names = dict(zip(ranking.table["code"], ranking.table["name"], strict=True))
    assert {shapes[names[code]] for code in six} == {""}
    assert {shapes[names[code]] for code in set(CODES) - six} == {"/"}


def test_rates_in_tables_and_descriptions_keep_one_decimal(repo, data):
    # The table read "3%, 3%, 4%" for a rate of 3.5% between 3.0% and 4.0%, and the chart's
    # description "highest Swale (1%)" where the chart said 0.7%.
    context = _context(repo)
    for spec in (
        reach.reach_ranking(data, context),
        reach.reach_map(data, context, measure="reach"),
    ):
        columns = {column.key: column for column in spec.columns}
        dartford = spec.table[spec.table["code"] == DARTFORD].iloc[0]
        assert columns["reach"].show(dartford["reach"]) == "1.7%"  # 150 / 8,668
        assert re.search(r"\d\.\d%", describe_chart(spec))


def test_districts_are_classed_against_kent_with_the_catalogue_polarity(repo, data):
    table = reach.district_table(data, _context(repo))
    # Kent 2.59%; Thanet 2,000 / 13,849 = 14.4% is far above: higher is better (catalogue)
    assert _row(table, THANET)["reach_comparison"] == "better"
    assert _row(table, DARTFORD)["reach_comparison"] == "worse"
    # census shares have polarity "neither": higher or lower, never better or worse
    assert set(table["share_2021_comparison"]) <= {"higher", "lower", "similar", "benchmark"}


def test_wider_998_intervals_class_fewer_districts_as_different(repo, data):
    at_95 = reach.district_table(data, _context(repo), 0.95)
    at_998 = reach.district_table(data, _context(repo), 0.998)
    dartford_95, dartford_998 = _row(at_95, DARTFORD), _row(at_998, DARTFORD)
    assert dartford_998["reach_lower"] < dartford_95["reach_lower"]
    assert (at_998["reach_comparison"] == "similar").sum() >= (
        at_95["reach_comparison"] == "similar"
    ).sum()


def test_census_share_is_shown_as_published(repo, data):
    published = repo.observations("census-carers-share")
    published = published[(published["period"] == "census-2021") & (published["category"] == "")]
    table = reach.district_table(data, _context(repo))
    for row in published.itertuples():
        assert _row(table, row.geography)["share_2021"] == row.value


def test_small_counts_are_suppressed_with_their_rate(repo, data):
    spec = reach.reach_map(data, _context(repo), measure="supported")
    ashford = spec.table[spec.table["code"] == ASHFORD].iloc[0]
    assert ashford["supported"] == SUPPRESSED_TEXT
    assert any("<5" in note for note in spec.footnotes)
    assert f"Ashford<br>{SUPPRESSED_TEXT}" in spec.figure.data[0].text
    assert "Ashford,3" not in to_csv(spec).replace('"', "")
    table = reach.district_table(data, _context(repo))
    assert pd.isna(_row(table, ASHFORD)["reach"])
    funnel = reach.reach_funnel(data, _context(repo))
    assert funnel.table[funnel.table["code"] == ASHFORD].iloc[0]["supported"] == SUPPRESSED_TEXT


def test_map_spec_has_12_features_an_active_title_and_provenance(repo, data):
    spec = reach.reach_map(data, _context(repo), measure="reach", colour_mode="comparison")
    located = [code for t in spec.figure.data if t.type == "choropleth" for code in t.locations]
    assert sorted(located) == sorted(CODES)
    assert spec.title.startswith("Thanet has the highest reach rate (14.")
    # The map's labels and hover give the rates to the title's one decimal place.
    thanet = _row(spec.table, THANET)["reach"]
    rate = formatting.format_value(thanet, "percent", decimals=1)
    assert f"({rate})" in spec.title
    labels = dict(zip(spec.figure.data[0].customdata, spec.figure.data[0].text, strict=True))
    assert labels[THANET].startswith(f"Thanet<br>{rate}")
    assert spec.statuses == ("census", "demo")
    assert spec.measure["slug"] == "carers-supported"
    assert len(spec.table) == 13 and spec.table.iloc[-1]["name"] == "Kent"
    assert spec.subtitle.startswith("Kent · all care groups · latest available: 2024/25")
    assert has_demo_mark(spec.figure)
    # The source line credits the boundaries' CC BY author as the page's credit under the map
    # does, so that the line alone carries the credits where that is not shown (on paper).
    assert any("UK-GeoJSON (Martin Chorley, CC BY 4.0)" in source for source in spec.sources)


def test_every_measure_maps_or_says_why_not(repo, data):
    for key in reach.MAP_MEASURES:
        for mode in ("value", "comparison"):
            spec = reach.reach_map(data, _context(repo), measure=key, colour_mode=mode)
            assert spec.figure is not None, key
            assert not spec.unavailable


def test_care_group_filter_census_for_all_groups_tagged_reach_on_all_carers(repo, data):
    context = _context(repo, care_group="dementia")
    census = reach.reach_map(data, context, measure="carers-2021")
    everyone = reach.reach_map(data, _context(repo), measure="carers-2021")
    shown = [column.key for column in census.columns]
    pd.testing.assert_frame_equal(census.table[shown], everyone.table[shown])
    assert census.subtitle.startswith("Kent · all care groups: not recorded by care group")
    assert census.care_group_basis == ALL_CARE_GROUPS
    tag = "Census 2021 carers for all care groups: not recorded by care group"
    rate = reach.reach_map(data, context, measure="reach")
    dartford = _row(rate.table, DARTFORD)
    assert dartford["reach"] == pytest.approx(100 * 0.4 * 150 / DARTFORD_CARERS_2021)
    assert "Dementia" in rate.subtitle and tag in rate.subtitle
    # Read alone, "Dementia: Thanet has the highest reach rate (5.8%)" gave a reach of dementia
    # carers; the rate is over carers of every group, and the title says so.
    assert rate.title.startswith("Dementia, against all carers: ")
    assert any("÷ all Census 2021 carers" in note for note in rate.footnotes)
    for build in (reach.reach_funnel, reach.reach_ranking):
        spec = build(data, context)
        assert spec.title.startswith("Dementia, against all carers: ")
        assert spec.figure is not None and tag in spec.subtitle
        assert spec.care_group_basis == BASE_ALL_CARE_GROUPS
        assert _row(spec.table, DARTFORD)["reach"] == pytest.approx(dartford["reach"])
    counts = reach.reach_map(data, context, measure="supported")
    assert _row(counts.table, DARTFORD)["supported"] == pytest.approx(0.4 * 150)
    assert counts.care_group_basis == BY_CARE_GROUP and "all care groups" not in counts.subtitle
    assert counts.title.startswith("Dementia: ")


def test_locality_filter_outlines_its_districts_and_names_split_ones(repo, data):
    context = _context(repo, locality="south-west-kent")
    highlight, partial = locality_districts(context.weights)
    assert highlight == {SEVENOAKS, TONBRIDGE, TUNBRIDGE_WELLS}
    assert partial == {SEVENOAKS, TONBRIDGE}
    spec = reach.reach_map(data, context, measure="reach")
    assert spec.subtitle.startswith("South West Kent")
    assert spec.title.startswith("Of South West Kent's districts")
    assert any("only partly in it" in note for note in spec.footnotes)
    funnel = reach.reach_funnel(data, context)
    assert "South West Kent" in funnel.title and "South West Kent" in funnel.subtitle
    # The ranking's title says where the locality's districts rank, naming no other district
    # (it led with the county's top district, outside the locality).
    ranking = reach.reach_ranking(data, context)
    ranked = list(ranking.table.dropna(subset=["reach"])["name"])
    assert ranking.title.startswith("Of South West Kent's districts, ")
    assert ranking.title.count(" ranks ") == 1
    for name in ("Sevenoaks", "Tonbridge and Malling", "Tunbridge Wells"):
        place = formatting.format_ordinal(ranked.index(name) + 1)
        assert re.search(rf"{name} (ranks )?{place} \(", ranking.title), name
    assert f" of {len(ranked)}, against " in ranking.title
    # Under a care group it reads "Dementia, against all carers: Of …": one colon ("In South
    # West Kent: " made a second).
    grouped = reach.reach_ranking(
        data, _context(repo, locality="south-west-kent", care_group="dementia")
    )
    assert grouped.title.startswith("Dementia, against all carers: Of South West Kent's")
    assert grouped.title.count(":") == 1
    others = set(repo.reference().districts["name"]) - {
        "Sevenoaks",
        "Tonbridge and Malling",
        "Tunbridge Wells",
    }
    assert not any(name in ranking.title for name in others)


@pytest.mark.parametrize(
    ("filters", "base"),
    [({}, "carers_50plus"), ({"care_group": "dementia"}, "carers"), ({}, "carers")],
)
def test_rate_titles_read_with_one_colon(repo, data, filters, base):
    # "Against carers caring 50+ hours: Maidstone has the lowest reach rate: 3 of 12 …" read as
    # two headings; the prefix is the title's one colon.
    context = _context(repo, **filters)
    for build in (reach.reach_funnel, reach.reach_ranking):
        title = build(data, context, base=base).title
        assert title.count(":") <= 1, title


def test_period_without_returns_is_unavailable_in_words(repo, data):
    context = _context(repo, period="2009-10")
    for build in (reach.reach_funnel, reach.reach_ranking):
        spec = build(data, context)
        assert spec.figure is None and "No carers-supported returns" in spec.unavailable
    assert "No carers-supported returns" in reach.reach_map(data, context).unavailable
    assert reach.reach_map(data, context, measure="carers-2011").figure is not None


def test_funnel_traces_limits_and_points(repo, data):
    spec = reach.reach_funnel(data, _context(repo))
    figure = spec.figure
    names = [trace.name for trace in figure.data]
    assert names[0].startswith("Kent 2.6%")
    assert names[1:5] == ["95% limits", "95% limits", "99.8% limits", "99.8% limits"]
    points = [t for t in figure.data[5:]]
    # Ashford's count is under 5, and a second district is hidden ([c]) so that Ashford's
    # cannot be worked out from the Kent total: neither rate is plotted.
    assert sum(len(t.x) for t in points) == 10
    assert list(spec.table["supported"]).count("[c]") == 1
    assert any(note.startswith("[c]") for note in spec.footnotes)
    kent = 100 * (10 * 150 + 3 + 2_000) / KENT_CARERS_2021
    upper_95, upper_998 = figure.data[2].y, figure.data[4].y
    assert all(
        k < u95 < u998 for k, u95, u998 in zip([kent] * 60, upper_95, upper_998, strict=True)
    )


def test_the_ranking_outlines_the_localitys_rows_and_the_funnel_marks_them(repo, data):
    # The ranking's bars and names are the same whichever locality is chosen: only its
    # outlines' opacity changes, which Plotly redraws without the bars (district_rows).
    chosen = _context(repo, locality="thanet-dover")
    ranking = reach.reach_ranking(data, chosen)
    assert sorted(outlined_rows(ranking.figure)) == ["Dover", "Thanet"]
    kent = reach.reach_ranking(data, _context(repo))
    assert outlined_rows(kent.figure) == []
    assert figure_but_outline_opacity(kent.figure) == figure_but_outline_opacity(ranking.figure)
    assert "The districts of Thanet & Dover have their rows outlined." in ranking.footnotes
    funnel = reach.reach_funnel(data, chosen)
    assert "The districts of Thanet & Dover are marked ▶ and drawn larger." in funnel.footnotes
    assert not any("Thanet & Dover" in note for note in kent.footnotes)


def test_ranking_is_sorted_with_intervals_and_csv_matches(repo, data):
    spec = reach.reach_ranking(data, _context(repo))
    reach_values = spec.table["reach"].dropna().tolist()
    assert reach_values == sorted(reach_values, reverse=True)
    assert spec.title.startswith("Thanet has the highest reach rate (14.4%)")
    for trace in [trace for trace in spec.figure.data if trace.type == "bar"]:
        assert not any(value < 0 for value in trace.error_x.array)  # NaN where suppressed
        assert not any(value < 0 for value in trace.error_x.arrayminus)
    lines = to_csv(spec).strip().splitlines()
    assert len(lines) == 1 + 12
    assert lines[1].startswith("Thanet,13849,2000,14.4415")


def test_views_do_not_modify_their_inputs(repo, data):
    frames = [f.name for f in dataclasses.fields(data) if f.name != "worked_out"]
    before = {name: getattr(data, name).copy() for name in frames}
    context = _context(repo, locality="thanet-dover")
    reach.reach_map(data, context, measure="supported")
    reach.reach_funnel(data, context)
    reach.reach_ranking(data, context)
    reach.district_profile(data, context, DARTFORD)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(data, name), frame)


def test_profile_lists_the_district_facts(repo, data):
    profile = reach.district_profile(data, _context(repo), DARTFORD)
    facts = {fact.label: fact for fact in profile.facts}
    assert facts["Unpaid carers (Census 2021)"].value.startswith("8,668 ")
    assert facts["Carers supported, 2024/25"].value == "150"
    assert facts["Reach rate"].value.startswith("1.7% (95% interval")
    assert "worse than Kent" in facts["Reach rate"].value
    assert "of 317 districts" in facts["Deprivation (IMD 2019)"].value
    funding = data.funding
    spend = funding[
        (funding["status"] == "demo")
        & (funding["geography"] == DARTFORD)
        & (funding["period"] == "2024-25")
    ]["amount"].sum()
    population = _row(reach.district_table(data, _context(repo)), DARTFORD)["population"]
    assert facts["Spend per head, 2024/25"].value.startswith(f"£{spend / population:,.2f}")
    assert facts["Spend per head, 2024/25"].status == "demo"
    assert "Carers First" in facts["Providers"].value
    assert [f.label for f in profile.facts if f.label.startswith("Caring")] == [
        "Caring 1-19 hours a week",
        "Caring 20-49 hours a week",
        "Caring 50+ hours a week",
    ]
    assert reach.district_profile(data, _context(repo), "E06000035") is None


def test_highest_and_lowest_never_read_as_the_same_figure(repo):
    """Thanet & Dover for dementia in the seeded data: both round to 2%, so a decimal is added."""
    context = _context(repo, locality="thanet-dover", care_group="dementia")
    title = reach.reach_map(reach_data(repo), context, measure="reach", colour_mode="value").title
    high, low = re.findall(r"\(([\d.]+%)\)", title)
    assert high != low


DARTFORD_CARERS_50PLUS_2021 = 2_703  # data/census/observations.csv, TS039 50+ hours


def test_reach_against_carers_caring_50_plus_hours_has_wilson_intervals(repo, data):
    table = reach.district_table(data, _context(repo))
    dartford = _row(table, DARTFORD)
    assert dartford["carers_50plus"] == DARTFORD_CARERS_50PLUS_2021
    assert dartford["reach_50plus"] == pytest.approx(100 * 150 / 2_703)  # 5.55 per 100
    (lower,), (upper,) = stats.wilson_intervals([150], [2_703])
    assert dartford["reach_50plus_lower"] == pytest.approx(100 * lower)
    assert dartford["reach_50plus_upper"] == pytest.approx(100 * upper)
    kent = _row(table, "E10000016")
    assert kent["reach_50plus"] == pytest.approx(100 * kent["supported"] / kent["carers_50plus"])
    # Ashford's 3 carers are hidden as a small count, so its rate against either base is too.
    assert pd.isna(_row(table, ASHFORD)["reach_50plus"])


@pytest.mark.parametrize("build", [reach.reach_funnel, reach.reach_ranking])
def test_the_50_plus_view_is_its_own_chart_with_its_base_named(repo, data, build):
    usual = build(data, _context(repo))
    heavy = build(data, _context(repo), 0.95, "carers_50plus")
    assert heavy.key == usual.key + "-50plus"
    assert [c.label for c in heavy.columns][1] == "Carers caring 50+ hours a week (Census 2021)"
    assert "carers_50plus" in heavy.table and "carers_2021" not in heavy.table
    dartford = heavy.table[heavy.table["code"] == DARTFORD].iloc[0]
    assert dartford["reach"] == pytest.approx(100 * 150 / 2_703)
    assert reach.HEAVY_BASE_NOTE in heavy.footnotes
    assert reach.HEAVY_BASE_NOTE not in usual.footnotes
    assert (
        "Census 2021 carers caring 50+ hours"
        in build(data, _context(repo, care_group="dementia"), 0.95, "carers_50plus").subtitle
    )


def test_each_chart_reads_the_district_table_of_its_own_care_group_and_period(repo, data):
    """The table is worked out once per care group, period and confidence; the place chosen
    only marks districts, so every locality and scheme shares it."""
    fresh = dataclasses.replace(data, worked_out={})
    kent, thanet = _context(repo), _context(repo, locality="thanet-dover", care_group="dementia")
    first = reach.district_table(fresh, kent)
    assert reach.district_table(fresh, kent) is first
    for other in (thanet, _context(repo, period="2015-16")):
        kept = reach.district_table(fresh, other)
        assert kept is not first
        alone = reach.district_table(dataclasses.replace(data, worked_out={}), other)
        pd.testing.assert_frame_equal(kept, alone)
        assert not kept.equals(first)
    assert reach.district_table(fresh, kent, confidence=0.998) is not first
    elsewhere = [
        _context(repo, locality="canterbury-swale", care_group="dementia"),
        _context(repo, scheme="ccg-2013", locality="ccg-thanet", care_group="dementia"),
        _context(repo, care_group="dementia"),
    ]
    for context in elsewhere:
        shared = reach.district_table(fresh, context)
        assert shared is reach.district_table(fresh, thanet)
        pd.testing.assert_frame_equal(
            shared, reach.district_table(dataclasses.replace(data, worked_out={}), context)
        )


FINDING = re.compile(
    r"(?:^|: )([^:]+?) in [^:]+? (has|have) a (?:lower|higher) reach rate than Kent"
)


def test_a_finding_about_one_district_says_has_and_about_several_have(repo, data):
    choices = repo.reference().filter_choices()
    findings = []
    for locality in choices.localities["cas-2013"]:
        for group in [None, *choices.care_groups]:
            context = _context(repo, locality=locality, care_group=group)
            for build in (reach.reach_funnel, reach.reach_ranking):
                findings += FINDING.findall(build(data, context).title)
    districts = repo.reference().districts["name"]
    verbs = {(sum(name in names for name in districts) > 1, verb) for names, verb in findings}
    assert (False, "has") in verbs  # one district named: "Thanet in Thanet & Dover has"
    assert verbs <= {(False, "has"), (True, "have")}


def test_the_carers_supported_method_agrees_with_the_note_on_summed_quarters(repo):
    # "Count each carer once per period and service" sat above the note that a carer supported
    # in two quarters counts twice in a year added up from quarterly returns.
    method = repo.reference().measure("carers-supported")["method"]
    assert "once in its period" in method
    assert "a carer supported in several quarters once in each" in method


def test_a_limit_written_as_kents_rate_is_explained_where_the_class_says_different():
    # "Ashford 10.9% (10.3% to 11.5%) worse" beside Kent's 11.5% read as a wrong class: the
    # upper limit, 11.46%, is below Kent's 11.49%, and only the table's rounding hides it.
    frame = pd.DataFrame(
        {
            "name": ["Ashford", "Dover", "Swale"],
            "reach_lower": [10.31, 11.0, 14.0],
            "reach_upper": [11.46, 12.6, 16.0],
            "reach_comparison": ["worse", "similar", "better"],
        }
    )
    note = reach.limits_written_as_kent(frame, 11.49)
    assert "the interval of Ashford stops just short of Kent's 11.5%" in note
    assert "Dover" not in note and "Swale" not in note
    assert reach.limits_written_as_kent(frame, 12.0) == ""


@pytest.mark.parametrize("note", ["A rounding note.", ""])
def test_the_maps_table_carries_the_rounding_note_its_limits_need_as_the_funnel_does(
    repo, data, monkeypatch, note
):
    # The map's table, coloured by comparison with Kent, writes the same one-decimal limits as
    # the funnel's and the ranking's; the hand-built returns put no limit at Kent's rate, so
    # the note's words are stood in for.
    monkeypatch.setattr(reach, "limits_written_as_kent", lambda frame, kent_rate: note)
    context = _context(repo)
    rate_map = reach.reach_map(data, context, measure="reach", colour_mode="comparison")
    for spec in (rate_map, reach.reach_funnel(data, context), reach.reach_ranking(data, context)):
        assert (note in spec.footnotes) == bool(note), spec.key
        assert "" not in spec.footnotes, spec.key
    if note:  # a measure with no limits has no such note
        carers = reach.reach_map(data, context, measure="carers-2021", colour_mode="comparison")
        assert note not in carers.footnotes


@pytest.mark.parametrize(
    ("measure", "basis"),
    [
        ("carers-2021", "as a share of residents aged 5+"),
        ("supported", "by reach rate"),
    ],
)
def test_a_map_coloured_by_comparison_says_what_is_compared(repo, measure, basis):
    # Found by a review: the map wrote each district's carers with a class worked out on their
    # share of residents ("12,653 (higher)" beside "15,561 (lower)"), and only the table said so.
    context = _context(repo, locality="thanet-dover")
    spec = reach.reach_map(
        reach_data(repo), context, measure=measure, colour_mode="comparison", geojson=None
    )
    legend = spec.figure.layout.legend.title.text
    assert legend.startswith(f"Compared with Kent {basis}")
    hovers = [text for trace in spec.figure.data[1:] for text in (trace.hovertext or ())]
    assert hovers and all(f"Compared with Kent {basis}" in text for text in hovers)
