"""The fair-share planner's views on the seeded database: budgets to the penny, statuses, the
formula in words, localities, sensitivity, the phased path, refusals, and hours of caring."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from dashboard import allocation, formatting
from dashboard.callbacks.planner import load
from dashboard.data_dates import DataDates
from dashboard.exports import PRESETS, ExportInfo, csv_header, export_figure
from dashboard.figures import planner as planner_figures
from dashboard.filters import Filters, view_values
from dashboard.meeting_pack import PAGES, pack_charts
from dashboard.rules import KENT_CODE
from dashboard.views import hours, planner
from dashboard.views.common import ViewContext
from dashboard.views.funding import allocation_year
from dashboard.views.investment import district_spend
from dashboard.views.planner import Scenario
from tests.support.figures import figure_but_outline_opacity, outlined_rows

DARTFORD, THANET = "E07000107", "E07000114"


def _context(repo, **filters) -> ViewContext:
    return ViewContext(Filters(**filters), repo.reference(), DataDates())


@pytest.fixture(scope="module")
def data(repo) -> planner.PlannerData:
    return load(repo)


def _charts(data, context, **scenario):
    return {spec.key: spec for spec in planner.scenario_charts(data, context, Scenario(**scenario))}


def _pence(series: pd.Series) -> int:
    return sum(int(Decimal(str(value)) * 100) for value in series)


def test_the_current_allocation_is_the_investment_page_spend_and_the_default_budget(repo, data):
    context = _context(repo)
    spend = district_spend(data.funding, allocation_year(context, data.funding), context.districts)
    table = _charts(data, context)["planner-districts"].table
    current = table.set_index("code")["current"]
    assert current.to_dict() == pytest.approx(spend.set_index("code")["spend"].to_dict(), abs=0.005)
    # The default budget is the year's total, so fair shares add up to it to the penny.
    assert _pence(table["fair"]) == _pence(table["current"])


def test_a_typed_budget_is_shared_exactly_and_its_fair_shares_are_modelled(repo, data):
    spec = _charts(data, _context(repo), budget="8,000,000.01")["planner-districts"]
    assert _pence(spec.table["fair"]) == 800_000_001
    assert set(spec.table["fair_status"]) == {"modelled"}
    # The current allocation by district is demo, so every gap is demo and the chart says so.
    assert set(spec.table["current_status"]) == {"demo"}
    assert set(spec.table["status"]) == {"demo"} and spec.has_demo
    assert "£8m (a budget set in the planner)" in spec.subtitle


def test_the_default_budget_makes_the_fair_shares_demo(repo, data):
    spec = _charts(data, _context(repo))["planner-districts"]
    assert set(spec.table["fair_status"]) == {"demo"}
    assert "(the year's district allocations, carers' direct payments included)" in spec.subtitle


def test_gaps_and_per_head_figures_follow_the_table(repo, data):
    table = _charts(data, _context(repo), formula="carers_50plus")["planner-districts"].table
    gap = table["fair"] - table["current"]
    assert table["gap"].to_list() == pytest.approx(gap.to_list(), abs=0.01)
    assert table["gap_percent"].to_list() == pytest.approx(
        (100 * gap / table["current"]).to_list(), abs=0.05
    )
    dartford = table[table["code"] == DARTFORD].iloc[0]
    assert dartford["denominator"] == 2_703  # carers caring 50+ hours, the formula's base
    assert dartford["per_head_fair"] == pytest.approx(dartford["fair"] / 2_703, abs=0.005)


def test_the_formula_is_stated_in_its_subtitle_on_every_image_and_in_notes_and_csv(repo, data):
    scenario = {"formula": "mix", "residents": "20", "carers": "30", "carers_50plus": "50"}
    spec = _charts(data, _context(repo), uplift="40", **scenario)["planner-districts"]
    words = Scenario(uplift="40", **scenario).chosen_formula().describe()
    assert "20% by residents (all ages), 30% by unpaid carers, 50% by carers caring 50+" in words
    assert "up to 40% for deprivation" in words
    assert words in spec.subtitle
    assert f"Formula: {words}." in spec.footnotes
    info = ExportInfo(link="", data_version="v", made=date(2026, 12, 3))
    for preset in PRESETS.values():  # the subtitle heads each image (the chart repeated it)
        image = export_figure(spec, info, preset)
        on_image = " ".join(a.text for a in image.layout.annotations).replace("<br>", " ")
        assert "up to 40% for deprivation" in re.sub(r"<[^>]+>", " ", on_image), preset
    assert words in csv_header(spec, info)
    # The uplift cites the deprivation source.
    assert any("Indices of Deprivation 2019" in source for source in spec.sources)


def test_the_uplift_moves_money_towards_the_most_deprived_district(repo, data):
    context = _context(repo)
    base = {"formula": "mix", "residents": "0", "carers": "100", "carers_50plus": "0"}
    flat = _charts(data, context, uplift="0", **base)["planner-districts"].table
    raised = _charts(data, context, uplift="50", **base)["planner-districts"].table
    fair = lambda table, code: table.set_index("code").loc[code, "fair"]  # noqa: E731
    # Thanet has Kent's highest IMD 2019 average score (31.3), so it gains most.
    assert fair(raised, THANET) > fair(flat, THANET)
    gains = raised.set_index("code")["fair"] / flat.set_index("code")["fair"]
    assert gains.idxmax() == THANET
    # With no uplift the mix of one base is that base's own formula.
    by_carers = _charts(data, context, formula="carers")["planner-districts"].table
    assert flat["fair"].to_list() == by_carers["fair"].to_list()


@pytest.mark.parametrize(("scheme", "localities"), [("cas-2013", 6), ("east-west", 2)])
def test_localities_of_the_chosen_scheme_add_up_to_the_budget(repo, data, scheme, localities):
    spec = _charts(data, _context(repo, scheme=scheme), budget="9m")["planner-localities"]
    assert len(spec.table) == localities
    assert spec.table["fair"].sum() == pytest.approx(9_000_000, abs=0.05)
    districts = _charts(data, _context(repo), budget="9m")["planner-districts"].table
    assert spec.table["current"].sum() == pytest.approx(districts["current"].sum(), abs=0.05)


def test_sensitivity_names_exactly_the_districts_whose_gap_changes_sign(repo, data):
    spec = _charts(data, _context(repo), formula="mix")["planner-sensitivity"]
    formulas = ["residents", "carers", "carers_50plus", "mix"]
    assert [f"gap_{key}" in spec.table for key in formulas] == [True] * 4
    flipped = spec.table[spec.table["changes_sign"]]
    for _index, row in spec.table.iterrows():
        gaps = [row[f"gap_{key}"] for key in formulas]
        one_sign = min(gaps) > 0 or max(gaps) < 0
        if one_sign:
            assert not row["changes_sign"], row["name"]
        if row["changes_sign"]:
            assert min(gaps) < 0 < max(gaps), row["name"]
    if len(flipped):
        assert spec.title.endswith(", ".join(flipped["name"]))
    else:
        assert spec.title.startswith("No district changes")
    assert set(spec.table["changes"]) <= {"Yes", "No"}


def test_the_phased_path_moves_the_chosen_share_of_the_gap_each_year(repo, data):
    specs = _charts(data, _context(repo), phasing="50")
    districts = specs["planner-districts"].table.set_index("code")
    path = specs["planner-path"].table.set_index("code")
    for code, row in path.iterrows():
        current, gap = districts.loc[code, "current"], districts.loc[code, "gap"]
        assert row["year_0"] == pytest.approx(current, abs=0.01)
        assert row["year_1"] == pytest.approx(current + gap / 2, abs=0.01)
        assert row["year_2"] == pytest.approx(current + gap * 3 / 4, abs=0.01)
        fair = districts.loc[code, "fair"]
        if pd.notna(row["years"]):
            years = int(row["years"])
            assert abs(gap) * 0.5**years <= fair / 100 + 0.005
            if years:
                assert abs(gap) * 0.5 ** (years - 1) > fair / 100 - 0.005
    assert "50% of the remaining gap a year" in specs["planner-path"].title


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ({"budget": "lots"}, "is not an amount of money"),
        ({"budget": "0"}, "more than £0"),
        (
            {"formula": "mix", "residents": "0", "carers": "0", "carers_50plus": "0"},
            "At least one weight",
        ),
        ({"formula": "mix", "uplift": "250"}, "between 0% and 100%"),
        ({"formula": "mix", "carers": "ten"}, "must be a number"),
        ({"formula": "everyone"}, "Unknown formula"),
    ],
)
def test_unusable_scenarios_are_refused_in_words_on_every_chart(repo, data, scenario, message):
    for spec in _charts(data, _context(repo), **scenario).values():
        assert spec.figure is None
        assert message in spec.unavailable


def test_a_zero_denominator_is_refused_naming_the_district_and_the_denominator(repo, data):
    census = data.census_carers
    zeroed = census.assign(
        value=census["value"].where(
            ~((census["geography"] == DARTFORD) & (census["category"] == "")), 0.0
        )
    )
    broken = dataclasses.replace(data, census_carers=zeroed)
    spec = _charts(broken, _context(repo), formula="carers")["planner-districts"]
    assert "Dartford has 0" in spec.unavailable and "unpaid carers" in spec.unavailable
    # A formula that does not read carers is unaffected.
    by_residents = _charts(broken, _context(repo), formula="residents")
    assert by_residents["planner-districts"].figure is not None
    sensitivity = by_residents["planner-sensitivity"]
    assert "gap_percent_carers" not in sensitivity.table
    assert any(n.startswith("Per carer is left out: ") for n in sensitivity.footnotes)


def test_a_year_without_district_allocations_says_so(repo, data):
    spec = _charts(data, _context(repo, period="2009-10"))["planner-districts"]
    assert spec.figure is None and "No allocations by district for 2009/10" in spec.unavailable


def test_a_link_restores_the_scenario_and_unknown_values_fall_back(repo):
    query = {"formula": ["mix"], "uplift": ["30"], "budget": ["7.5m"], "phase": ["99"]}
    scenario = Scenario.from_query(query)
    assert (scenario.formula, scenario.uplift, scenario.budget) == ("mix", "30", "7.5m")
    assert scenario.phasing == planner.DEFAULT_PHASING  # 99 is not offered
    assert Scenario.from_query({"budget": ["lots"]}).budget == ""


def test_the_meeting_pack_takes_the_scenario_from_the_address(repo):
    query = "formula=mix&uplift=50&budget=9m&locality=kent"
    specs = {spec.key: spec for _page, spec in pack_charts(repo, Filters(), ["planner"], query)}
    assert "up to 50% for deprivation" in specs["planner-districts"].subtitle
    assert "£9m" in specs["planner-districts"].subtitle
    assert "carers-hours" in specs
    link = PAGES["planner"].link("https://dash.example", Filters(), {"formula": "mix"})
    assert link == "https://dash.example/planner?formula=mix"
    default = PAGES["planner"].link("https://dash.example", Filters(period="2016-17"), {})
    assert default == "https://dash.example/planner?period=2016-17"


def test_hours_of_caring_by_district_with_kent_and_the_change_from_2011(repo, data):
    spec = hours.hours_of_caring(data.census_carers, _context(repo))
    table = spec.table.set_index("code")
    census = data.census_carers
    thanet_2011 = census[
        (census["geography"] == THANET)
        & (census["period"] == "census-2011")
        & (census["category"] == "50+ hours")
    ]["value"].iloc[0]
    thanet = table.loc[THANET]
    assert thanet["heavy_change"] == pytest.approx(
        round(100 * (thanet["heavy_2021"] / thanet_2011 - 1), 1)
    )
    shares = table[["light_share", "middle_share", "heavy_share"]].sum(axis=1)
    assert shares.to_list() == pytest.approx([100.0] * len(table), abs=0.2)
    districts = table.drop(index=KENT_CODE)
    assert table.loc[KENT_CODE, "heavy_2021"] == districts["heavy_2021"].sum()
    assert spec.statuses == ("census",) and not spec.has_demo
    top = districts["heavy_share"].idxmax()
    assert spec.title.startswith(
        f"Intensive caring is most concentrated in {table.loc[top, 'name']}"
    )
    assert len(spec.sources) == 2
    # "(Kent 32%, +21% on 2011)" read as the share's change; it is the number's.
    kent = table.loc[KENT_CODE]
    more = "more" if kent["heavy_change"] > 0 else "fewer"
    change = formatting.format_percent(abs(kent["heavy_change"]))
    assert spec.title.endswith(f", where {change} {more} carers care 50+ hours than in 2011)")
    # The table shows what the bars are drawn from to one decimal, so the two agree and the
    # shares add up to 100% (whole percents of rounded values gave 56% + 17% + 28%).
    shown = {column.key: column for column in spec.columns}
    assert shown["heavy_share"].decimals == 1 and shown["heavy_change"].decimals == 1
    # The district the title names is the first row, the others follow by the same share (in
    # code order it was the 10th row of 13), and Kent is last, in the table and on the chart.
    assert list(spec.table["code"])[-1] == KENT_CODE
    order = list(spec.table["heavy_share"])[:-1]
    assert order == sorted(order, reverse=True) and spec.table["code"].iloc[0] == top
    assert spec.figure.data[0].y[-1] == table.loc[top, "name"]  # drawn from the bottom up


def test_allocation_constants_are_what_the_page_states(repo, data):
    spec = _charts(data, _context(repo))["planner-path"]
    assert f"within {allocation.TOLERANCE_PERCENT}% of its fair share" in " ".join(spec.footnotes)


def test_hours_of_caring_marks_the_chosen_locality(repo, data):
    spec = hours.hours_of_caring(data.census_carers, _context(repo, locality="thanet-dover"))
    assert spec.subtitle.endswith("Thanet & Dover districts' rows outlined")
    assert spec.table["name"].to_list()[-1] == "Kent (all 12 districts)"
    assert sorted(outlined_rows(spec.figure)) == ["Dover", "Thanet"]
    # Only the outlines' opacity differs from Kent's chart (see district_rows).
    kent = hours.hours_of_caring(data.census_carers, _context(repo)).figure
    assert figure_but_outline_opacity(kent) == figure_but_outline_opacity(spec.figure)


def test_the_district_chart_marks_the_chosen_locality(repo, data):
    # Every other district chart marked the chosen locality's districts; the planner's did not.
    spec = _charts(data, _context(repo, locality="thanet-dover"))["planner-districts"]
    assert spec.subtitle.endswith("Thanet & Dover districts' rows outlined")
    assert sorted(outlined_rows(spec.figure)) == ["Dover", "Thanet"]
    kent = _charts(data, _context(repo))["planner-districts"]
    assert outlined_rows(kent.figure) == []
    # The locality chart's rows are localities: the chosen one is outlined (it matched none).
    localities = _charts(data, _context(repo, locality="thanet-dover"))["planner-localities"]
    assert localities.subtitle.endswith("Thanet & Dover row outlined")
    assert outlined_rows(localities.figure) == ["Thanet & Dover"]


def test_a_mix_is_shown_per_carer_by_district_and_by_locality_alike(repo, data):
    # A mix of residents only shares like the per-resident formula but is shown per carer.
    scenario = {"formula": "mix", "residents": "100", "carers": "0", "carers_50plus": "0"}
    specs = _charts(data, _context(repo), uplift="0", **scenario)
    districts, localities = specs["planner-districts"], specs["planner-localities"]
    assert districts.table.set_index("code").loc[DARTFORD, "denominator"] == 8_668
    assert localities.table["denominator"].sum() == pytest.approx(
        districts.table["denominator"].sum()
    )
    assert "per unpaid carer" in [c.label for c in localities.columns][5]


def test_a_district_missing_from_the_allocations_is_refused_not_left_out(repo, data):
    funding = data.funding
    without = funding[~((funding["geography"] == THANET) & (funding["status"] == "demo"))]
    spec = _charts(dataclasses.replace(data, funding=without), _context(repo))["planner-districts"]
    assert spec.figure is None and spec.unavailable == "No current allocation for Thanet."


def test_the_gap_title_ranks_in_proportion_and_says_so_in_pounds_and_percent():
    # The title ranked by the gap as a percentage of the current allocation but wrote
    # "furthest below its fair share (+£261k, +74%)": a reader took it for the largest sum.
    frame = pd.DataFrame(
        {
            "name": ["Large", "Small", "Over", "Nothing"],
            "gap": [200_000.0, 100_000.0, -50_000.0, 0.0],
            "gap_percent": [10.0, 50.0, -20.0, 0.0],
        }
    )
    title = planner._gap_title(frame, "district")
    assert title == (
        "Small is furthest below its fair share in proportion: £100k short, 50% more than it "
        "gets now; "
        "Over furthest above: £50k over, 20% less than it gets now"
    )
    # A district that gets nothing now is further below than any proportion.
    unfunded = pd.concat(
        [frame, pd.DataFrame({"name": ["Unfunded"], "gap": [30_000.0], "gap_percent": [None]})],
        ignore_index=True,
    )
    assert planner._gap_title(unfunded, "district").startswith(
        "Unfunded is furthest below its fair share in proportion: £30k short; it gets nothing now;"
    )
    assert planner._gap_title(frame[frame["gap"] <= 0], "locality") == (
        "Every locality already gets at least its fair share under this formula"
    )


@pytest.mark.parametrize(
    ("budget", "notice"),
    [
        ("-5", "budget “-5”: the budget must be more than £0"),
        (
            "lots",
            "budget “lots”: “lots” is not an amount of money: type pounds, e.g. 7500000 or 7.5m",
        ),
    ],
)
def test_a_budget_in_a_link_that_cannot_be_used_is_named_with_what_is_wrong(budget, notice):
    # The notice said "unknown budget “-5”", as for a value missing from a list.
    values, notices = view_values({"budget": budget}, planner.VIEW_CONTROLS)
    assert values["budget"] == "" and notices == [notice]


def test_an_area_that_gets_nothing_now_is_drawn_at_the_top_as_its_title_names_it():
    frame = pd.DataFrame(
        {
            "code": ["E07000001", "E07000002", "E07000003"],
            "name": ["Short", "Over", "Unfunded"],
            "current": [100_000.0, 300_000.0, 0.0],
            "fair": [150_000.0, 250_000.0, 30_000.0],
            "gap": [50_000.0, -50_000.0, 30_000.0],
            "gap_percent": [50.0, -16.7, None],
            "current_status": ["demo"] * 3,
            "fair_status": ["modelled"] * 3,
        }
    )
    figure = planner_figures.current_against_fair(frame, statuses={"demo"})
    assert list(figure.layout.yaxis.categoryarray) == ["Over", "Short", "Unfunded"]  # bottom up
    assert planner._gap_title(frame, "district").startswith("Unfunded is furthest below")


def test_every_planner_chart_of_districts_marks_the_chosen_localitys(repo, data):
    # Found by a review: the district and locality charts marked "▶ Thanet", "▶ Dover" and said
    # "districts highlighted"; the sensitivity and phased-path charts beside them did not.
    # Their rows are now outlined, as on every ranking, the names plain (``district_rows``).
    specs = _charts(data, _context(repo, locality="thanet-dover"))
    kent = _charts(data, _context(repo))
    for key in ("planner-districts", "planner-sensitivity", "planner-path"):
        spec = specs[key]
        assert spec.subtitle.endswith("Thanet & Dover districts' rows outlined"), key
        outlined = {re.sub(r"<[^>]+>|⇄ ", "", name) for name in outlined_rows(spec.figure)}
        assert outlined == {"Thanet", "Dover"}, key
        assert figure_but_outline_opacity(spec.figure) == figure_but_outline_opacity(
            kent[key].figure
        ), key
