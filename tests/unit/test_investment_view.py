"""Investment views and figures: spend per head, Kent average and bands, rank stability, the
care-group heat map with its apportionment and suppression, on hand-built frames and the seed."""

from __future__ import annotations

import math
from functools import partial

import pandas as pd
import pytest

from dashboard import formatting
from dashboard.callbacks.investment import load
from dashboard.charts import BASE_ALL_CARE_GROUPS
from dashboard.data_dates import DataDates
from dashboard.figures import investment as figures
from dashboard.filters import Filters
from dashboard.rules import KENT_CODE, locality_districts
from dashboard.theme import DIVERGING, TEXT
from dashboard.views import investment
from dashboard.views.common import ViewContext
from tests.support.figures import figure_but_outline_opacity, outlined_rows, outlines_shown

ASHFORD, CANTERBURY, THANET, DOVER = "E07000105", "E07000106", "E07000114", "E07000108"
DISTRICTS = frozenset({ASHFORD, CANTERBURY, THANET, DOVER})
KENT_CARERS_2021 = 135_907
SPEND_2016_17 = 3_100_000 + 1_260_000 + 800_000 + 580_000 + 1_760_000 + 772_000


def _context(repo, **filters) -> ViewContext:
    return ViewContext(Filters(**filters), repo.reference(), DataDates())


def _funding_row(geography, service_line, amount, *, period="2016-17", status="demo"):
    return {
        "funder": "kcc",
        "funder_kind": "council",
        "service_line": service_line,
        "geography": geography,
        "period": period,
        "amount": amount,
        "status": status,
    }


def _activity(rows: list[tuple[str, str | None, float]], *, quarter="2016-17-q1") -> pd.DataFrame:
    """Demo quarterly rows of one measure: (district, care group, value)."""
    start = {"2016-17-q1": "2016-04-01", "2015-16-q4": "2016-01-01"}[quarter]
    end = {"2016-17-q1": "2016-06-30", "2015-16-q4": "2016-03-31"}[quarter]
    return pd.DataFrame(
        {
            "geography": pd.Series([row[0] for row in rows], dtype="str"),
            "care_group": pd.Series([row[1] for row in rows], dtype="str"),
            "value": [float(row[2]) for row in rows],
            "status": "demo",
            "period": quarter,
            "period_start": pd.Timestamp(start),
            "period_end": pd.Timestamp(end),
        }
    )


def test_band_index_edges_and_money_per_head():
    cases = {-45: 0, -20: 0, -19.9: 1, -10: 1, -9.9: 2, 0: 2, 9.9: 2, 10: 3, 19.9: 3, 20: 4}
    assert {difference: investment.band_index(difference) for difference in cases} == cases
    assert figures.money_per_head(5.2534) == "£5.25"
    assert figures.money_per_head(191.025) == "£191.03"
    assert figures.money_per_head(float("nan")) == formatting.MISSING


def test_district_spend_keeps_demo_district_rows_in_scope_for_the_year():
    funding = pd.DataFrame(
        [
            _funding_row(ASHFORD, "cas", 100.0),
            _funding_row(ASHFORD, "cas", 50.0),
            _funding_row(ASHFORD, "short-breaks-contracted", 20.0),
            _funding_row(ASHFORD, "short-breaks-grant", 5.0),
            _funding_row(ASHFORD, "direct-payments", 7.0),
            _funding_row(ASHFORD, "other", 1_000.0),
            _funding_row(CANTERBURY, "cas", 30.0),
            _funding_row(CANTERBURY, "cas", 999.0, period="2015-16"),
            _funding_row(KENT_CODE, "cas", 5_000.0, status="published"),
        ]
    )
    before = funding.copy()
    spend = investment.district_spend(funding, "2016-17", DISTRICTS).set_index("code")
    pd.testing.assert_frame_equal(funding, before)
    assert spend.loc[ASHFORD].to_dict() == {
        "cas": 150.0,
        "short_breaks": 25.0,
        "direct_payments": 7.0,
        "spend": 182.0,
    }
    assert spend.loc[CANTERBURY].to_dict() == {
        "cas": 30.0,
        "short_breaks": 0.0,
        "direct_payments": 0.0,
        "spend": 30.0,
    }
    assert investment.district_spend(funding, "2009-10", DISTRICTS).empty


def test_per_head_frame_compares_each_district_with_the_kent_average():
    spend = pd.DataFrame(
        {
            "code": [ASHFORD, CANTERBURY],
            "cas": [100.0, 200.0],
            "short_breaks": [0.0, 100.0],
            "direct_payments": [0.0, 0.0],
            "spend": [100.0, 300.0],
        }
    )
    denominators = pd.DataFrame({"code": [ASHFORD, CANTERBURY], "carers": [10.0, 10.0]})
    names = {ASHFORD: "Ashford", CANTERBURY: "Canterbury"}
    frame = investment.per_head_frame(spend, denominators, names, "carers").set_index("code")
    # Kent = (100 + 300) / (10 + 10) = 20 a head; Ashford 10 is 50% below, Canterbury 30 above.
    assert frame["per_head"].to_dict() == {ASHFORD: 10.0, CANTERBURY: 30.0, KENT_CODE: 20.0}
    assert frame["difference"].to_dict() == {ASHFORD: -50.0, CANTERBURY: 50.0, KENT_CODE: 0.0}
    assert frame.loc[ASHFORD, "band"] == "20% or more below Kent"
    assert frame.loc[CANTERBURY, "band"] == "20% or more above Kent"
    assert frame.loc[KENT_CODE, ["spend", "denominator"]].tolist() == [400.0, 20.0]
    assert set(frame["status"]) == {"demo"}


def test_seeded_2016_17_bars_add_up_to_the_published_totals(repo):
    data = load(repo)
    funding_before = data.funding.copy()
    spec = investment.per_head_bars(data, _context(repo, period="2016-17"), "carers")
    pd.testing.assert_frame_equal(data.funding, funding_before)
    kent = spec.table.set_index("code").loc[KENT_CODE]
    assert kent["cas"] == pytest.approx(3_100_000 + 1_260_000)
    assert kent["short_breaks"] == pytest.approx(800_000 + 580_000 + 1_760_000)
    assert kent["direct_payments"] == pytest.approx(772_000)
    assert kent["spend"] == pytest.approx(SPEND_2016_17)
    assert kent["denominator"] == KENT_CARERS_2021
    assert kent["per_head"] == round(SPEND_2016_17 / KENT_CARERS_2021, 2)
    assert len(spec.table) == 13
    assert spec.statuses == ("demo",)
    assert f"Kent {figures.money_per_head(SPEND_2016_17 / KENT_CARERS_2021)}" in spec.title
    assert any("£5.66m" in note and "£1.84m" in note for note in spec.footnotes)
    bands_present = spec.table.iloc[:-1]["band_index"].nunique()
    bars = [trace for trace in spec.figure.data if trace.type == "bar"]
    assert len(bars) == bands_present
    assert sum(len(trace.x) for trace in bars) == 12
    kent_line = [shape.x0 for shape in spec.figure.layout.shapes if shape.type == "line"]
    assert kent_line == [pytest.approx(SPEND_2016_17 / KENT_CARERS_2021)]


def test_denominator_switch_changes_the_figures(repo):
    data = load(repo)
    residents = investment.per_head_bars(data, _context(repo), "residents")
    heavy = investment.per_head_bars(data, _context(repo), "carers_50plus")
    population = residents.table.set_index("code").loc[KENT_CODE, "denominator"]
    assert (
        population
        == data.population[
            (data.population["period"] == "census-2021")
            & (data.population["category"] == "all ages")
            & data.population["geography"].str.startswith("E07")
        ]["value"].sum()
    )
    assert "per resident" in residents.title and "per carer caring 50+ hours" in heavy.title
    assert heavy.table["per_head"].iloc[-1] > residents.table["per_head"].iloc[-1] * 10


def test_locality_highlights_its_districts_everywhere(repo):
    data = load(repo)
    context = _context(repo, locality="thanet-dover")
    assert locality_districts(context.weights)[0] == {THANET, DOVER}
    specs = [
        investment.per_head_bars(data, context, "carers"),
        investment.per_head_map(data, context, "carers", None),
        investment.rank_stability(data, context),
        investment.care_group_heatmap(data, context),
    ]
    for spec in specs[1:3]:
        assert "Thanet & Dover districts highlighted" in spec.subtitle
    for spec in (specs[0], specs[3]):
        assert "Thanet & Dover districts' rows outlined" in spec.subtitle
    assert specs[0].title.startswith("Thanet & Dover: spend per carer Thanet £")
    assert sorted(outlined_rows(specs[0].figure)) == ["Dover", "Thanet"]
    assert sorted(_rank_lines(specs[2].figure, width=3)) == ["Dover", "Thanet"]
    assert sorted(outlined_rows(specs[3].figure)) == ["Dover", "Thanet"]


def test_the_per_head_bars_show_the_locality_by_their_outlines_alone(repo):
    # The bars and names are the same whichever locality is chosen, and so is the number of
    # outlines: a change of locality changes the outlines' opacity alone, which Plotly redraws
    # without the bars (assets/view.js). Names marked "▶" in bold made it draw them all again.
    data = load(repo)
    kent, thanet_dover = (
        investment.per_head_bars(data, _context(repo, **filters), "carers").figure
        for filters in ({}, {"locality": "thanet-dover"})
    )
    assert figure_but_outline_opacity(kent) == figure_but_outline_opacity(thanet_dover)
    assert outlined_rows(kent) == []
    assert not any("<b>" in name for trace in thanet_dover.data for name in trace.y)


def test_the_heat_map_shows_the_filters_by_its_outlines_alone(repo):
    # Its cells and names are the same whichever locality and care group are chosen, and it
    # has as many outlines, shown or hidden: a filter change then changes shapes only, which
    # Plotly redraws without redrawing the cells (assets/view.js).
    data = load(repo)
    figures_by_filters = [
        investment.care_group_heatmap(data, _context(repo, **filters)).figure
        for filters in ({}, {"locality": "thanet-dover"}, {"care_group": "dementia"})
    ]
    kent, thanet_dover, dementia = (figure.to_plotly_json() for figure in figures_by_filters)
    assert kent["data"] == thanet_dover["data"] == dementia["data"]
    assert len({len(figure["layout"]["shapes"]) for figure in (kent, thanet_dover, dementia)}) == 1
    shown = [len(outlines_shown(figure)) for figure in figures_by_filters]
    assert shown == [0, 2, 1]
    assert {key: value for key, value in kent["layout"].items() if key != "shapes"} == {
        key: value for key, value in thanet_dover["layout"].items() if key != "shapes"
    }


def test_a_care_group_and_a_locality_lead_a_title_once(repo):
    data = load(repo)
    context = _context(repo, locality="thanet-dover", care_group="dementia")
    specs = [
        investment.per_head_bars(data, context, "carers"),
        investment.per_head_map(data, context, "carers", None),
        investment.rank_stability(data, context),
        investment.care_group_heatmap(data, context),
    ]
    titles = [spec.title for spec in specs if not spec.unavailable]
    assert titles[0].startswith("Dementia in Thanet & Dover: spend per carer Thanet £")
    assert not any("Dementia: Thanet & Dover:" in title for title in titles), titles


def test_care_group_filter_shows_the_groups_share_of_spend_per_head(repo):
    data = load(repo)
    context = _context(repo, care_group="dementia")
    everyone = investment.per_head_bars(data, _context(repo), "carers").table
    heat = investment.care_group_heatmap(data, context).table
    kent_dementia = heat[(heat["code"] == KENT_CODE) & (heat["care_group"] == "dementia")]
    tag = "denominators for all care groups: not recorded by care group"
    for spec in (
        investment.per_head_bars(data, context, "carers"),
        investment.per_head_map(data, context, "carers", None),
        investment.rank_stability(data, context),
    ):
        assert spec.figure is not None and not spec.unavailable
        assert "Dementia" in spec.subtitle and tag in spec.subtitle
        assert spec.title.startswith(("Dementia: ", "Dementia spend per carer: "))
        assert spec.care_group_basis == BASE_ALL_CARE_GROUPS
    bars = investment.per_head_bars(data, context, "carers").table
    kent = bars[bars["code"] == KENT_CODE].iloc[0]
    assert kent["spend"] == pytest.approx(kent_dementia["spend"].iloc[0], abs=1)
    assert kent["denominator"] == everyone[everyone["code"] == KENT_CODE]["denominator"].iloc[0]
    assert 0 < kent["spend"] < everyone[everyone["code"] == KENT_CODE]["spend"].iloc[0]
    heat = investment.care_group_heatmap(data, context)
    assert heat.title.startswith("Dementia: spend per carer supported runs from")
    assert "Dementia column outlined" in heat.subtitle
    # Divided by carers supported, not by the Census, which has no care groups.
    assert "per carer supported in the year" in heat.subtitle and "Census" not in heat.subtitle
    # The Dementia column outlined, and no row: Kent is chosen. The names stay plain.
    shown = outlines_shown(heat.figure)
    columns = list(heat.figure.data[0].x)
    assert [(shape.yref, round(shape.x0 + 0.5), round(shape.x1 - 0.5)) for shape in shown] == [
        ("paper", columns.index("Dementia"), columns.index("Dementia"))
    ]
    assert not any("<b>" in name for name in [*columns, *heat.figure.data[0].y])


def test_a_year_without_district_allocations_is_unavailable(repo):
    data = load(repo)
    context = _context(repo, period="2009-10")
    specs = [
        investment.per_head_bars(data, context, "carers"),
        investment.per_head_map(data, context, "carers", None),
        investment.rank_stability(data, context),
        investment.care_group_heatmap(data, context),
    ]
    for spec in specs:
        assert spec.figure is None and "No allocations by district for 2009/10" in spec.unavailable


def test_rank_frame_ranks_every_denominator_and_the_movement():
    spend = pd.DataFrame({"code": ["a", "b", "c"], "spend": [100.0, 100.0, 100.0]})
    denominators = pd.DataFrame(
        {
            "code": ["a", "b", "c"],
            "residents": [10.0, 20.0, 40.0],
            "carers": [4.0, 2.0, 1.0],
            "carers_50plus": [1.0, 2.0, 2.0],
        }
    )
    frame = investment.rank_frame(spend, denominators, {"a": "A", "b": "B", "c": "C"})
    ranks = frame.set_index("code")[["rank_residents", "rank_carers", "rank_carers_50plus"]]
    assert ranks.loc["a"].tolist() == [1, 3, 1]
    assert ranks.loc["b"].tolist() == [2, 2, 2]
    assert ranks.loc["c"].tolist() == [3, 1, 2]  # ties share the higher rank
    assert frame.set_index("code")["rank_range"].to_dict() == {"a": 2, "b": 0, "c": 2}
    assert frame.set_index("code").loc["c", "per_head_carers"] == 100.0


def _rank_lines(figure, *, width: int) -> dict[str, list[int]]:
    """The districts the rank strip's lines of ``width`` join, by name: the ranks each line
    runs through, named by the points drawn at those ranks."""
    (line,) = [
        trace for trace in figure.data if trace.mode == "lines" and trace.line.width == width
    ]
    (points,) = [trace for trace in figure.data if trace.mode == "markers+text"]
    named = {}
    for name in {row[3] for row in points.customdata}:
        named[name] = [
            y for y, row in zip(points.y, points.customdata, strict=True) if row[3] == name
        ]
    segments, segment = [], []
    for y in line.y:
        if y is None:
            segments.append(segment)
            segment = []
        else:
            segment.append(y)
    return {name: ranks for name, ranks in named.items() if ranks in segments}


def test_rank_strip_has_one_line_per_district_and_names_the_mover(repo):
    spec = investment.rank_stability(load(repo), _context(repo))
    columns = ["Per resident", "Per carer", "Per carer caring 50+ hours"]
    lines = [trace for trace in spec.figure.data if trace.mode == "lines"]
    assert {x for trace in lines for x in trace.x} == {*columns, None}
    drawn = {**_rank_lines(spec.figure, width=1), **_rank_lines(spec.figure, width=3)}
    table = spec.table.set_index("name")
    assert len(drawn) == 12 and all(
        ranks == table.loc[name, ["rank_residents", "rank_carers", "rank_carers_50plus"]].tolist()
        for name, ranks in drawn.items()
    )
    mover = spec.table.sort_values(["rank_range", "name"], ascending=[False, True]).iloc[0]
    assert spec.title.startswith(f"{mover['name']}'s rank moves most with the denominator (")
    # One colon under a care group: "Dementia: X's rank moves most … (7th per resident, …)".
    grouped = investment.rank_stability(load(repo), _context(repo, care_group="dementia"))
    assert grouped.title.startswith("Dementia: ") and grouped.title.count(":") == 1
    (points,) = [trace for trace in spec.figure.data if trace.mode == "markers+text"]
    moving = {
        row[3] for row, text in zip(points.customdata, points.text, strict=True) if "moves" in text
    }
    assert moving and moving == set(_rank_lines(spec.figure, width=3))


def test_care_group_frame_apportions_each_part_by_its_own_activity(repo):
    spend = pd.DataFrame(
        {
            "code": [ASHFORD],
            "cas": [100.0],
            "short_breaks": [50.0],
            "direct_payments": [10.0],
            "spend": [160.0],
        }
    )
    data = investment.InvestmentData(
        funding=pd.DataFrame(),
        population=pd.DataFrame(),
        census_carers=pd.DataFrame(),
        carers_supported=_activity(
            [(ASHFORD, "dementia", 3), (ASHFORD, "autism", 7), (ASHFORD, None, 99)]
        ),
        crisis_referrals=_activity([(ASHFORD, "dementia", 1), (ASHFORD, "autism", 0)]),
        # Outside the year: direct payments fall back to the carers-supported mix.
        one_off_payments=_activity([(ASHFORD, "autism", 5)], quarter="2015-16-q4"),
    )
    periods = repo.reference().periods
    year = periods[periods["slug"] == "2016-17"].iloc[0]
    groups = pd.DataFrame({"slug": ["dementia", "autism", "end-of-life"]})
    parts = investment.care_group_parts(data, spend, year, groups, DISTRICTS)
    frame = investment.care_group_frame(parts).set_index("care_group")
    # Dementia: CAS 100 x 3/10 + short breaks 50 x 1/1 + direct payments 10 x 3/10 = 83.
    assert frame.loc["dementia", "spend"] == pytest.approx(83.0)
    assert frame.loc["autism", "spend"] == pytest.approx(77.0)
    assert frame["spend"].sum() == pytest.approx(160.0)
    assert frame.loc["dementia", "per_carer"] == pytest.approx(83.0 / 3)
    assert frame.loc["autism", "per_carer"] == pytest.approx(11.0)
    assert math.isnan(frame.loc["end-of-life", "per_carer"])


def test_heat_map_hides_small_counts_in_table_chart_and_csv(repo):
    data = investment.InvestmentData(
        funding=pd.DataFrame([_funding_row(ASHFORD, "cas", 1_000.0)]),
        population=pd.DataFrame(),
        census_carers=pd.DataFrame(),
        carers_supported=_activity([(ASHFORD, "dementia", 3), (ASHFORD, "older-people", 20)]),
        crisis_referrals=_activity([]),
        one_off_payments=_activity([]),
    )
    spec = investment.care_group_heatmap(data, _context(repo))
    rows = spec.table.set_index(["code", "care_group"])
    for code in (ASHFORD, KENT_CODE):
        assert rows.loc[(code, "dementia"), ["supported", "spend", "per_carer"]].tolist() == [
            "<5",
            "<5",
            "<5",
        ]
        assert rows.loc[(code, "older-people"), "per_carer"] == round(1_000 * 20 / 23 / 20)
    heat = spec.figure.data[0]  # its cells' whole texts are in customdata, for the hover
    assert heat.customdata[0][0] == "<5" and heat.z[0][0] is None
    assert heat.customdata[0][1] == formatting.MISSING  # no mental health carers supported
    assert any("shown as <5" in note for note in spec.footnotes)
    written = [cell for trace in spec.figure.data for row in trace.text for cell in row]
    assert "<5" in written and "3" not in written


def test_difference_map_uses_the_diverging_scale_and_signed_labels():
    frame = pd.DataFrame(
        {
            "code": [ASHFORD, CANTERBURY, THANET],
            "name": ["Ashford", "Canterbury", "Thanet"],
            "difference": [-40.0, 0.0, 40.0],
            "per_head_text": ["£30.00", "£50.00", "£70.00"],
            "band": list(figures.BAND_LABELS[::2]),
        }
    )
    before = frame.copy()
    figure = figures.difference_map(
        frame, geojson=None, per_label="per carer", highlight={THANET}, partial=set()
    )
    pd.testing.assert_frame_equal(frame, before)
    choropleths = [trace for trace in figure.data if trace.type == "choropleth"]
    assert len(choropleths) == 1 and sorted(choropleths[0].locations) == sorted(frame["code"])
    assert [step[1] for step in choropleths[0].colorscale] == list(DIVERGING)
    assert (choropleths[0].zmin, choropleths[0].zmax) == (-40.0, 40.0)
    labels = next(trace for trace in figure.data if trace.type == "scattergeo")
    assert [text.split("<br>")[1] for text in labels.text] == ["−40%", "0%", "+40%"]
    # Dark blue (far above Kent) takes white text; the pale middle and the orange take dark.
    assert list(labels.textfont.color) == [TEXT, TEXT, "#FFFFFF"]


def test_one_callbacks_data_answers_each_selection_with_its_own_spend(repo):
    """Each selection's charts show its own spend: the spend kept for one care group is never
    shown for another (it is shared by the localities, which only mark rows)."""
    data = load(repo)
    selections = [{}, {"care_group": "dementia"}, {"locality": "thanet-dover"}]
    shared = [
        investment.per_head_bars(data, _context(repo, **chosen), "residents")
        for chosen in selections
    ]
    alone = [
        investment.per_head_bars(load(repo), _context(repo, **chosen), "residents")
        for chosen in selections
    ]
    for together, by_itself in zip(shared, alone, strict=True):
        pd.testing.assert_frame_equal(together.table, by_itself.table)
    assert not shared[0].table.equals(shared[1].table)


@pytest.mark.parametrize(
    ("difference", "written"),
    [
        (9.9, "+9.9%"),  # Dover was written "+10%" in the colour of "Within 10% of Kent"
        (10.4, "+10.4%"),
        (10.0, "+10%"),
        (9.4, "+9%"),
        (15.2, "+15%"),
        (-19.6, "\u221219.6%"),
        (-20.0, "\u221220%"),
        (None, "\u2013"),
    ],
)
def test_a_difference_is_never_written_as_a_band_edge_it_does_not_reach(difference, written):
    from dashboard.figures.investment import difference_text

    assert difference_text(difference) == written


def test_each_years_care_group_parts_are_worked_out_once_for_every_chart(repo, monkeypatch):
    # The per-head bars, the map, the rank strip and the heat map all read them; the page's
    # data object is shared by its chart sources and requests (``Repository.page_data``).
    worked_out = []
    original = investment.care_group_parts

    def counted(*args):
        worked_out.append(args[2]["slug"])
        return original(*args)

    monkeypatch.setattr(investment, "care_group_parts", counted)
    data = load(repo)
    for filters in (
        {"care_group": "dementia"},
        {"care_group": "autism", "locality": "thanet-dover"},
    ):
        context = _context(repo, **filters)
        investment.per_head_bars(data, context, investment.DEFAULT_DENOMINATOR)
        investment.per_head_map(data, context, investment.DEFAULT_DENOMINATOR, None)
        investment.rank_stability(data, context)
        investment.care_group_heatmap(data, context)
    assert len(worked_out) == 1
    fresh = load(repo)  # another data object: its own frames, worked out again
    investment.care_group_heatmap(fresh, _context(repo, care_group="dementia"))
    assert len(worked_out) == 2


def test_per_head_figures_worked_out_for_one_locality_are_those_of_every_other(repo):
    # The spend per head is kept per care group, year and denominator (the locality only marks
    # its districts' rows): what one selection worked out is what a fresh start shows another.
    data = load(repo)
    settings = [
        {"care_group": "dementia"},
        {"care_group": "dementia", "locality": "thanet-dover"},
        {"scheme": "ccg-2013", "locality": "ccg-thanet", "care_group": "dementia"},
        {"locality": "thanet-dover"},
        {"period": "2016-17"},
    ]
    builds = [
        *(partial(investment.per_head_bars, key=key) for key in investment.DENOMINATOR_BY_KEY),
        partial(investment.per_head_map, key=investment.DEFAULT_DENOMINATOR, geojson=None),
        investment.rank_stability,
    ]
    for filters in settings:
        context = _context(repo, **filters)
        for build in builds:
            shown, fresh = build(data, context), build(load(repo), context)
            assert (shown.title, shown.subtitle) == (fresh.title, fresh.subtitle)
            pd.testing.assert_frame_equal(shown.table, fresh.table)
            assert shown.figure.to_json() == fresh.figure.to_json()
    kept = [k for k in data.worked_out if k[0] == "per_head"]
    assert {k[1] for k in kept} == {"dementia", None}  # one per care group, not per place
