"""Fair-share planner: the current allocation by district against a fair share by a need formula.

The arithmetic is in ``dashboard.allocation``; this module feeds it the figures the rules select
(the current allocation is the investment page's spend in scope by district,
``investment.district_spend``; the denominators are its Census 2021 ones, ``census_denominators``)
and turns the result into chart specs: by district, by locality of the chosen scheme, how the
gaps move between formulas, and the phased path. Nothing is stored: the scenario lives in the
address.

Statuses: the current allocation by district is demo (published allocations are for Kent as a
whole); a fair share is modelled from Census figures, or demo when its budget is the demo total;
a gap is demo if either side is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import allocation, formatting, ids
from dashboard.allocation import AllocationError, DistrictGap, Formula
from dashboard.charts import ALL_CARE_GROUPS, ChartSpec, Column, unavailable_spec
from dashboard.figures import planner as figures
from dashboard.filters import ViewControl, view_values
from dashboard.periods import financial_year_slug, parse_period
from dashboard.rules import locality_districts
from dashboard.views.common import ROWS_OUTLINED, ViewContext, statuses_of
from dashboard.views.funding import allocation_year
from dashboard.views.investment import (
    DEMO_SOURCE,
    SCOPE_TEXT,
    census_denominators,
    district_spend,
)

FORMULAS = {
    "residents": "Per resident",
    "carers": "Per unpaid carer",
    "carers_50plus": "Per carer caring 50+ hours a week",
    "mix": "Weighted mix with a deprivation uplift",
}
DEFAULT_FORMULA = "carers"
WEIGHT_CHOICES = tuple(str(value) for value in range(0, 101, 10))
UPLIFT_CHOICES = tuple(str(value) for value in range(0, allocation.MAX_UPLIFT + 1, 10))
PHASING_CHOICES = ("10", "20", "25", "33", "50", "100")
DEFAULT_WEIGHTS = {"residents": "0", "carers": "50", "carers_50plus": "50"}
DEFAULT_UPLIFT = "20"
DEFAULT_PHASING = "25"
PER_WORDS = {
    "residents": "per resident",
    "carers": "per unpaid carer",
    "carers_50plus": "per carer caring 50+ hours",
}
CENSUS_SOURCES = ("ons-census-2021-ts039", "ons-census-2021-population")
IMD_SOURCE = "mhclg-imd-2019"
PATH_YEARS_SHOWN = 5


def budget_problem(text: str) -> str | None:
    """What is wrong with a budget from a link, in words (the link's test for ``budget=``)."""
    try:
        allocation.parse_budget(text)
    except AllocationError as problem:
        return str(problem)
    return None


# The scenario in the address, in the order of ``Scenario``'s fields.
VIEW_CONTROLS = (
    ViewControl("budget", ids.PLANNER_BUDGET, "budget", "", budget_problem),
    ViewControl("formula", ids.PLANNER_FORMULA, "formula", DEFAULT_FORMULA, tuple(FORMULAS)),
    ViewControl(
        "w_residents",
        ids.PLANNER_WEIGHT_RESIDENTS,
        "weight",
        DEFAULT_WEIGHTS["residents"],
        WEIGHT_CHOICES,
    ),
    ViewControl(
        "w_carers", ids.PLANNER_WEIGHT_CARERS, "weight", DEFAULT_WEIGHTS["carers"], WEIGHT_CHOICES
    ),
    ViewControl(
        "w_50plus",
        ids.PLANNER_WEIGHT_50PLUS,
        "weight",
        DEFAULT_WEIGHTS["carers_50plus"],
        WEIGHT_CHOICES,
    ),
    ViewControl("uplift", ids.PLANNER_UPLIFT, "uplift", DEFAULT_UPLIFT, UPLIFT_CHOICES),
    ViewControl("phase", ids.PLANNER_PHASING, "phasing", DEFAULT_PHASING, PHASING_CHOICES),
)


@dataclass(frozen=True)
class Scenario:
    """The planner's controls as they arrive from the page or a link (text, checked here)."""

    budget: str = ""  # pounds as typed; empty = the allocation year's total
    formula: str = DEFAULT_FORMULA
    residents: str = DEFAULT_WEIGHTS["residents"]
    carers: str = DEFAULT_WEIGHTS["carers"]
    carers_50plus: str = DEFAULT_WEIGHTS["carers_50plus"]
    uplift: str = DEFAULT_UPLIFT
    phasing: str = DEFAULT_PHASING

    def chosen_formula(self) -> Formula:
        """The formula chosen: a single base, or the mix with the weights and uplift set."""
        if self.formula in allocation.PRESETS:
            return allocation.PRESETS[self.formula]
        if self.formula != "mix":
            raise AllocationError(f"Unknown formula “{self.formula}”.")
        return Formula(
            residents=_number(self.residents, "weight for residents"),
            carers=_number(self.carers, "weight for unpaid carers"),
            carers_50plus=_number(self.carers_50plus, "weight for carers caring 50+ hours"),
            uplift=_number(self.uplift, "deprivation uplift"),
        )

    @classmethod
    def from_values(cls, values: dict[str, str]) -> Scenario:
        """The scenario from ``view_values(query, VIEW_CONTROLS)``."""
        return cls(*(values[control.parameter] for control in VIEW_CONTROLS))

    @classmethod
    def from_query(cls, query) -> Scenario:
        """The scenario in a link's query (unknown values fall back to their defaults)."""
        return cls.from_values(view_values(query, VIEW_CONTROLS)[0])

    @property
    def per_head_base(self) -> str:
        """The denominator per-head figures use: the formula's own, the mix's per carer."""
        return self.formula if self.formula in allocation.BASES else "carers"


def _number(text: str, what: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise AllocationError(f"The {what} must be a number (it is “{text}”).") from None


@dataclass(frozen=True)
class PlannerData:
    """The repository frames the planner reads (never modified)."""

    funding: pd.DataFrame
    population: pd.DataFrame
    census_carers: pd.DataFrame
    imd_score: pd.DataFrame


@dataclass(frozen=True)
class Plan:
    """A computed scenario: district table, gaps by formula, and what it rests on."""

    year: str
    budget_pence: int
    budget_status: str
    formula: Formula
    districts: pd.DataFrame
    gaps: tuple[DistrictGap, ...]
    by_formula: dict[str, tuple[DistrictGap, ...]]
    left_out: dict[str, str]  # formulas the sensitivity could not compute, and why

    @property
    def words(self) -> str:
        return self.formula.describe()


def _fair_status(budget_status: str) -> str:
    return "demo" if budget_status == "demo" else "modelled"


def _gap_status(current_status: str, fair_status: str) -> str:
    return "demo" if "demo" in (current_status, fair_status) else "modelled"


def build_plan(data: PlannerData, context: ViewContext, scenario: Scenario) -> Plan | str:
    """The scenario computed, or the sentence saying why it cannot be."""
    year = allocation_year(context, data.funding)
    spend = district_spend(data.funding, year, context.districts)
    if spend.empty:
        return (
            f"No allocations by district for {context.period_label(year)}: demo allocations by "
            "district run from 2013/14 to 2024/25, and published allocations are for Kent as a "
            "whole."
        )
    current = {row.code: round(100 * row.spend) for row in spend.itertuples()}
    names = context.district_names()  # every district: one without an allocation is refused
    denominators = census_denominators(data.population, data.census_carers, context.districts)
    counts = {
        base: dict(zip(denominators["code"], denominators[base], strict=True))
        for base in allocation.BASES
    }
    imd = data.imd_score[data.imd_score["period"] == "imd-2019"]
    deprivation = dict(zip(imd["geography"], imd["value"].astype(float), strict=True))
    try:
        formula = scenario.chosen_formula()
        if scenario.budget:
            budget, budget_status = allocation.parse_budget(scenario.budget), "modelled"
        else:
            budget, budget_status = sum(current.values()), "demo"
        gaps = allocation.fair_shares(budget, formula, current, counts, deprivation, names)
    except AllocationError as refused:
        return str(refused)
    # The other formulas, for the sensitivity: one that cannot be computed is left out, named.
    by_formula, left_out = {}, {}
    for key, preset in allocation.PRESETS.items():
        try:
            by_formula[key] = tuple(
                allocation.fair_shares(budget, preset, current, counts, deprivation, names)
            )
        except AllocationError as refused:
            left_out[key] = str(refused)
    if scenario.formula == "mix":
        by_formula["mix"] = tuple(gaps)
    frame = _district_frame(gaps, names, denominators, scenario.per_head_base, budget_status)
    return Plan(year, budget, budget_status, formula, frame, tuple(gaps), by_formula, left_out)


def _district_frame(
    gaps, names: dict[str, str], denominators: pd.DataFrame, base: str, budget_status: str
) -> pd.DataFrame:
    counts = denominators.set_index("code")[base]
    fair_status = _fair_status(budget_status)
    rows = []
    for gap in gaps:
        count = float(counts.get(gap.code, float("nan")))
        rows.append(
            {
                "code": gap.code,
                "name": names[gap.code],
                "current": gap.current_pence / 100,
                "fair": gap.fair_pence / 100,
                "gap": gap.gap_pence / 100,
                "gap_percent": gap.gap_percent,
                "position": gap.position,
                "denominator": count,
                "per_head_current": allocation.per_head(gap.current_pence, count),
                "per_head_fair": allocation.per_head(gap.fair_pence, count),
                "current_status": "demo",
                "fair_status": fair_status,
                "status": _gap_status("demo", fair_status),
            }
        )
    return pd.DataFrame(rows)


def _subtitle(context: ViewContext, plan: Plan) -> str:
    period = context.period_phrase(context.period_label(plan.year))
    text = context.subtitle(f"{period} allocations, Census 2021", ALL_CARE_GROUPS)
    budget = formatting.format_money(plan.budget_pence / 100)
    # "The year's total" left a reader to square £9.67m with the £8.72m funding total quoted
    # elsewhere: the difference is carers' direct payments, allocated by district too.
    basis = (
        "the year's district allocations, carers' direct payments included"
        if plan.budget_status == "demo"
        else "a budget set in the planner"
    )
    return f"{text} · budget {budget} ({basis}) · {plan.words}"


def _sources(plan: Plan) -> list[str]:
    imd = [IMD_SOURCE] if plan.formula.uplift > 0 else []
    return [DEMO_SOURCE, *CENSUS_SOURCES, *imd]


def _comparison_columns(place: str, per_words: str) -> tuple[Column, ...]:
    return (
        Column("name", place),
        Column("current", "Current allocation", "gbp"),
        Column("fair", "Fair share", "gbp"),
        Column("gap", "Gap (fair share − current)", "gbp-change"),
        Column("gap_percent", "Gap (% of current)", "percent"),
        Column("per_head_current", f"Current {per_words}", "gbp-pence"),
        Column("per_head_fair", f"Fair share {per_words}", "gbp-pence"),
        Column("current_status", "Status of current", "status"),
        Column("fair_status", "Status of fair share", "status"),
        Column("status", "Status of gap", "status"),
    )


def _common_notes(plan: Plan) -> tuple[str, ...]:
    return (
        f"Formula: {plan.words}.",
        "Fair shares are whole pence and add up to the budget exactly: each district takes the "
        "whole pence of its exact share, and the pence left over go one each to the largest "
        "fractions of a penny (ties to the earlier district code).",
        "The gap is the fair share minus the current allocation: above 0, the district gets "
        "less than its fair share. As a percentage it is of the current allocation.",
        SCOPE_TEXT,
        "Current allocations by district are demo data (published allocations are for Kent as "
        "a whole); fair shares are modelled from Census 2021 counts, and are demo where the "
        "budget is the demo total.",
    )


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(
        current=frame["current"].round(2),
        fair=frame["fair"].round(2),
        gap=frame["gap"].round(2),
        gap_percent=frame["gap_percent"].astype(float).round(1),
        per_head_current=frame["per_head_current"].astype(float).round(2),
        per_head_fair=frame["per_head_fair"].astype(float).round(2),
    )


def _gap_title(frame: pd.DataFrame, what: str) -> str:
    """The areas furthest below and above their fair share, in proportion to what each gets
    now (a small district £100k short is further below than a large one £200k short); the
    pounds and that proportion are both stated, so that neither reads as the other."""
    proportion = frame["gap_percent"].astype(float)
    # An area that gets nothing now is below its fair share by more than any proportion.
    proportion = proportion.where(proportion.notna() | (frame["gap"] <= 0), float("inf"))
    ranked = frame.assign(by_proportion=proportion)
    below = ranked[ranked["gap"] > 0].sort_values("by_proportion", ascending=False)
    above = ranked[ranked["gap"] < 0].sort_values("by_proportion")
    if below.empty:
        return f"Every {what} already gets at least its fair share under this formula"
    top = below.iloc[0]
    text = (
        f"{top['name']} is furthest below its fair share in proportion: {_gap_words(top, 'short')}"
    )
    if not above.empty:
        text += f"; {above.iloc[0]['name']} furthest above: {_gap_words(above.iloc[0], 'over')}"
    return text


def _gap_words(row: pd.Series, side: str) -> str:
    """The gap in words: "£261k short, 74% more than it gets now" (``side`` "short") or
    "£311k over, 29% less than it gets now" (``side`` "over")."""
    amount = formatting.format_money(abs(row["gap"]))
    if pd.isna(row["gap_percent"]):
        return f"{amount} {side}; it gets nothing now"
    more_or_less = "more" if row["gap"] > 0 else "less"
    share = formatting.format_percent(abs(float(row["gap_percent"])))
    return f"{amount} {side}, {share} {more_or_less} than it gets now"


def district_chart(plan: Plan | str, context: ViewContext, scenario: Scenario) -> ChartSpec:
    """Current allocation against fair share by district, with the gap and per-head figures."""
    key, title = "planner-districts", "Current allocation against fair share by district"
    if isinstance(plan, str):
        return unavailable_spec(key, title, context.subtitle(None, ALL_CARE_GROUPS), plan)
    frame = plan.districts
    per_words = PER_WORDS[scenario.per_head_base]
    return context.chart(
        key=key,
        title=_gap_title(frame, "district"),
        subtitle=_subtitle(context, plan) + context.highlighted(ROWS_OUTLINED),
        figure=figures.current_against_fair(
            frame,
            statuses=statuses_of(frame),
            highlight=locality_districts(context.weights)[0],
        ),
        table=_rounded(frame),
        columns=_comparison_columns("District", per_words),
        sources=_sources(plan),
        recorded=ALL_CARE_GROUPS,
        measure="census-carers",
        key_column="gap_percent",
        period_label=context.period_label(plan.year),
        alt_text=(
            "Horizontal bars for the 12 districts: the current allocation and the fair share "
            f"side by side, ordered by the gap. {plan.words}."
        ),
        footnotes=_common_notes(plan),
    )


def locality_frame(plan: Plan, context: ViewContext, base: str) -> pd.DataFrame:
    """The district figures added up into the localities of the chosen scheme.

    A split district counts in each of its localities by its share of the district's carers
    (residents by its share of residents), as the locality filter does everywhere else.
    """
    scheme = context.filters.scheme
    shares = context.reference.shares
    shares = shares[shares["scheme"] == scheme]
    names = context.reference.filter_choices().localities.get(scheme, {})
    share_column = "population_share" if base == "residents" else "carer_share"
    joined = shares.merge(plan.districts, left_on="district_code", right_on="code")
    money_share = joined["carer_share"].astype(float)
    joined = joined.assign(
        current=joined["current"] * money_share,
        fair=joined["fair"] * money_share,
        denominator=joined["denominator"] * joined[share_column].astype(float),
        split=money_share < 1,
    )
    grouped = joined.groupby("locality", sort=False).agg(
        current=("current", "sum"),
        fair=("fair", "sum"),
        denominator=("denominator", "sum"),
        split=("split", "any"),
        current_status=("current_status", "first"),
        fair_status=("fair_status", "first"),
    )
    grouped = grouped.reset_index()
    gap = grouped["fair"] - grouped["current"]
    return grouped.assign(
        code=grouped["locality"],
        name=grouped["locality"].map(names),
        gap=gap,
        gap_percent=100 * gap / grouped["current"].where(grouped["current"] > 0),
        per_head_current=grouped["current"] / grouped["denominator"],
        per_head_fair=grouped["fair"] / grouped["denominator"],
        status=[
            _gap_status(c, f)
            for c, f in zip(grouped["current_status"], grouped["fair_status"], strict=True)
        ],
    )


def locality_chart(plan: Plan | str, context: ViewContext, scenario: Scenario) -> ChartSpec:
    """The same comparison by locality of the scheme chosen in the filters."""
    choices = context.reference.filter_choices()
    scheme_name = choices.scheme_names.get(context.filters.scheme, context.filters.scheme)
    key, title = (
        "planner-localities",
        f"Current allocation against fair share by locality ({scheme_name})",
    )
    if isinstance(plan, str):
        return unavailable_spec(key, title, context.subtitle(None, ALL_CARE_GROUPS), plan)
    frame = locality_frame(plan, context, scenario.per_head_base)
    per_words = PER_WORDS[scenario.per_head_base]
    notes = list(_common_notes(plan))
    if frame["split"].any():
        notes.insert(
            1,
            "Split districts count in each of their localities by their Census 2021 share of "
            "the district's carers (residents by their share of residents).",
        )
    return context.chart(
        key=key,
        title=_gap_title(frame, "locality"),
        subtitle=(
            f"{_subtitle(context, plan)} · localities: {scheme_name}"
            + context.highlighted("row outlined")
        ),
        figure=figures.current_against_fair(
            frame,
            statuses=statuses_of(frame),
            # Its rows are localities: the chosen one is outlined (district codes matched none).
            highlight={context.filters.locality} - {None},
        ),
        table=_rounded(frame),
        columns=_comparison_columns("Locality", per_words),
        sources=_sources(plan),
        recorded=ALL_CARE_GROUPS,
        measure="census-carers",
        key_column="gap_percent",
        period_label=context.period_label(plan.year),
        alt_text=(
            f"Horizontal bars for the localities of {scheme_name}: the current allocation and "
            f"the fair share side by side. {plan.words}."
        ),
        footnotes=tuple(notes),
    )


SENSITIVITY_LABELS = {
    "residents": "Per resident",
    "carers": "Per carer",
    "carers_50plus": "Per carer 50+ hours",
    "mix": "Your mix",
}


def sensitivity_frame(plan: Plan, names: dict[str, str]) -> pd.DataFrame:
    """Each district's gap (%) under every formula, and whether it changes sign between them."""
    changes = set(allocation.sign_changes(plan.by_formula))
    rows = []
    for gap in plan.gaps:
        row = {"code": gap.code, "name": names[gap.code], "changes_sign": gap.code in changes}
        for key, gaps in plan.by_formula.items():
            match = next(g for g in gaps if g.code == gap.code)
            row[f"gap_{key}"] = match.gap_pence / 100
            row[f"gap_percent_{key}"] = match.gap_percent
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.assign(
        changes=frame["changes_sign"].map({True: "Yes", False: "No"}),
        status=_gap_status("demo", _fair_status(plan.budget_status)),
    )


def sensitivity_chart(plan: Plan | str, context: ViewContext) -> ChartSpec:
    """Each district's gap under each formula; the districts whose gap changes sign named."""
    key, title = "planner-sensitivity", "How each district's gap depends on the formula"
    if isinstance(plan, str):
        return unavailable_spec(key, title, context.subtitle(None, ALL_CARE_GROUPS), plan)
    frame = sensitivity_frame(plan, context.district_names())
    flipped = frame[frame["changes_sign"]]["name"].tolist()
    if flipped:
        title = (
            f"{len(flipped)} of {len(frame)} districts {'is' if len(flipped) == 1 else 'are'} "
            f"below their fair share by one formula and above it by another: "
            f"{', '.join(flipped)}"
        )
    else:
        title = "No district changes from below to above its fair share between formulas"
    formulas = list(plan.by_formula)
    columns = [Column("name", "District")]
    for formula in formulas:
        columns += [
            Column(f"gap_percent_{formula}", f"Gap {SENSITIVITY_LABELS[formula]} (%)", "percent"),
            Column(f"gap_{formula}", f"Gap {SENSITIVITY_LABELS[formula]}", "gbp-change"),
        ]
    columns += [
        Column("changes", "Below by one, above by another"),
        Column("status", "Status", "status"),
    ]
    table = frame.assign(
        **{f"gap_percent_{f}": frame[f"gap_percent_{f}"].astype(float).round(1) for f in formulas}
    )
    return context.chart(
        key=key,
        title=title,
        subtitle=_subtitle(context, plan) + context.highlighted(ROWS_OUTLINED),
        figure=figures.sensitivity(
            frame,
            formulas=[(f, SENSITIVITY_LABELS[f]) for f in formulas],
            statuses=statuses_of(frame),
            highlight=locality_districts(context.weights)[0],
        ),
        table=table,
        columns=tuple(columns),
        sources=_sources(plan),
        recorded=ALL_CARE_GROUPS,
        measure="census-carers",
        period_label=context.period_label(plan.year),
        alt_text=(
            "Dot chart with a row per district and a marker for its gap, as a percentage of its "
            f"current allocation, under each formula. {title}."
        ),
        footnotes=(
            *(
                f"{SENSITIVITY_LABELS[key]} is left out: {reason}"
                for key, reason in plan.left_out.items()
            ),
            "A district changes sign when it is more than "
            f"{allocation.TOLERANCE_PERCENT}% below its fair share by one formula and more than "
            f"{allocation.TOLERANCE_PERCENT}% above it by another.",
            *_common_notes(plan),
        ),
    )


def year_label(year_slug: str, offset: int) -> str:
    """The financial year ``offset`` years after ``year_slug`` ("2024-25" + 2 -> "2026/27")."""
    first = parse_period(year_slug).start.year + offset
    return parse_period(financial_year_slug(first)).label


def path_frame(plan: Plan, percent: float, names: dict[str, str]) -> pd.DataFrame:
    """Each district's allocation year by year and the year it reaches its fair share."""
    steps = allocation.phased_path(plan.gaps, percent)
    fair = {gap.code: gap.fair_pence for gap in plan.gaps}
    reached = allocation.year_reached(steps, fair)
    rows = []
    for gap in plan.gaps:
        year = reached[gap.code]
        row = {
            "code": gap.code,
            "name": names[gap.code],
            "years": year,
            "reached": (
                year_label(plan.year, year)
                if year is not None
                else f"not within {allocation.HORIZON_YEARS} years"
            ),
        }
        for step in steps:
            if step.code == gap.code and step.year <= PATH_YEARS_SHOWN:
                row[f"year_{step.year}"] = round(float(step.allocation) / 100, 2)
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.assign(status=_gap_status("demo", _fair_status(plan.budget_status)))


def path_chart(plan: Plan | str, context: ViewContext, scenario: Scenario) -> ChartSpec:
    """The phased path: when each district would reach its fair share."""
    key, title = "planner-path", "When each district would reach its fair share"
    if isinstance(plan, str):
        return unavailable_spec(key, title, context.subtitle(None, ALL_CARE_GROUPS), plan)
    try:
        percent = float(scenario.phasing)
        frame = path_frame(plan, percent, context.district_names())
    except (ValueError, AllocationError) as refused:
        return unavailable_spec(key, title, _subtitle(context, plan), str(refused))
    phrase = f"{scenario.phasing}% of the remaining gap a year"
    late = frame[frame["years"].isna()]
    if late.empty:
        last = frame.sort_values("years").iloc[-1]
        title = (
            f"Moving {phrase}, every district is within {allocation.TOLERANCE_PERCENT}% of its "
            f"fair share by {last['reached']}"
        )
    else:
        title = (
            f"Moving {phrase}, {len(late)} of {len(frame)} districts are not within "
            f"{allocation.TOLERANCE_PERCENT}% of their fair share in "
            f"{allocation.HORIZON_YEARS} years"
        )
    year_columns = [
        Column(f"year_{n}", year_label(plan.year, n) + (" (now)" if n == 0 else ""), "gbp")
        for n in range(PATH_YEARS_SHOWN + 1)
    ]
    return context.chart(
        key=key,
        title=title,
        subtitle=(
            f"{_subtitle(context, plan)} · phasing {phrase}" + context.highlighted(ROWS_OUTLINED)
        ),
        figure=figures.years_to_fair_share(
            frame,
            horizon=allocation.HORIZON_YEARS,
            start_label=year_label(plan.year, 0),
            statuses=statuses_of(frame),
            highlight=locality_districts(context.weights)[0],
        ),
        table=frame,
        columns=(
            Column("name", "District"),
            Column("reached", f"Within {allocation.TOLERANCE_PERCENT}% of fair share in"),
            Column("years", "Years from now", "count"),
            *year_columns,
            Column("status", "Status", "status"),
        ),
        sources=_sources(plan),
        recorded=ALL_CARE_GROUPS,
        measure="census-carers",
        key_column="years",
        period_label=context.period_label(plan.year),
        alt_text=(
            "Horizontal bars of the number of years each district takes to come within "
            f"{allocation.TOLERANCE_PERCENT}% of its fair share. {title}."
        ),
        footnotes=(
            f"Each year moves {phrase}: after t years the gap left is the starting gap times "
            f"(1 − {scenario.phasing}%)^t. A district reaches its fair share in the first year "
            f"its remaining gap is within {allocation.TOLERANCE_PERCENT}% of its fair share; the "
            f"path is followed for {allocation.HORIZON_YEARS} years.",
            "Allocations along the path are not rounded to pence; the table rounds to the pound.",
            *_common_notes(plan),
        ),
    )


def scenario_charts(data: PlannerData, context: ViewContext, scenario: Scenario) -> list[ChartSpec]:
    """The planner's scenario charts: by district, by locality, sensitivity, phased path."""
    plan = build_plan(data, context, scenario)
    return [
        district_chart(plan, context, scenario),
        locality_chart(plan, context, scenario),
        sensitivity_chart(plan, context),
        path_chart(plan, context, scenario),
    ]
