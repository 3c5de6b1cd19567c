"""Investment page: spend per head by district under three denominators, how each district's rank
moves with the denominator, and spend per carer supported by district and care group.

Published allocations are for Kent as a whole and cannot be attributed to districts, so every
district figure here is a demo allocation (calibrated to the published county totals) and every
per-head figure is demo. The page's method text says which funding could be attributed and how.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import formatting, stats
from dashboard.charts import (
    BASE_ALL_CARE_GROUPS,
    BY_CARE_GROUP,
    ChartSpec,
    Column,
    suppress_small_counts,
    suppression_footnotes,
    unavailable_spec,
)
from dashboard.disclosure import SUPPRESSED_TEXT, is_small_count
from dashboard.figures import investment as figures
from dashboard.figures.investment import BAND_LABELS, money_per_head
from dashboard.figures.maps import ATTRIBUTION, BOUNDARY_CREDIT
from dashboard.figures.maps import GRAPH_CONFIG as MAP_GRAPH_CONFIG
from dashboard.rules import KENT_CODE, is_district, locality_districts, within
from dashboard.views.common import (
    DEMO_SOURCE,
    ROWS_OUTLINED,
    ViewContext,
    statuses_of,
    worked_out_once,
)
from dashboard.views.funding import PUBLISHED_YEAR, allocation_year

CENSUS_PERIOD = "census-2021"
PUBLISHED_SOURCE = "kcc-cabinet-committee-2016"
KENT_NAME = "Kent (all 12 districts)"

# Service lines counted as investment in carers, grouped into the parts the table shows.
SCOPE = {
    "cas": "cas",
    "short-breaks-contracted": "short_breaks",
    "short-breaks-grant": "short_breaks",
    "direct-payments": "direct_payments",
}
PARTS = ("cas", "short_breaks", "direct_payments")
SCOPE_TEXT = (
    "Spend covers Carers' Assessment & Support (CAS), short breaks (contracted and grant funded) "
    "and carers' direct payments, from KCC and the NHS; other lines are left out."
)

MOVES_A_LOT = 3  # rank places; districts moving this much are picked out in the rank strip


@dataclass(frozen=True)
class Denominator:
    """One per-head denominator: which census figure, and how to say it."""

    key: str
    measure: str
    category: str
    per: str
    heading: str


DENOMINATORS = (
    Denominator("residents", "population", "all ages", "per resident", "Residents (all ages)"),
    Denominator("carers", "census-carers", "", "per carer", "Unpaid carers"),
    Denominator(
        "carers_50plus",
        "census-carers",
        "50+ hours",
        "per carer caring 50+ hours",
        "Carers caring 50+ hours a week",
    ),
)
DENOMINATOR_BY_KEY = {d.key: d for d in DENOMINATORS}
DEFAULT_DENOMINATOR = "carers"

# Which care-group-coded demo return shares each part of a district's spend between care groups.
ACTIVITY_FOR_PART = {
    "cas": "carers_supported",
    "short_breaks": "crisis_referrals",
    "direct_payments": "one_off_payments",
}


@dataclass(frozen=True)
class InvestmentData:
    """The repository frames the page reads (repository columns, never modified)."""

    funding: pd.DataFrame
    population: pd.DataFrame
    census_carers: pd.DataFrame
    carers_supported: pd.DataFrame
    crisis_referrals: pd.DataFrame
    one_off_payments: pd.DataFrame
    # Spend for the selection, its parts by care group, spend per head and the Census
    # denominators, read by several charts and filter settings: worked out once
    # (``worked_out_once``) for each data version, whose one ``InvestmentData`` the callbacks
    # read (``Repository.page_data``).
    worked_out: dict = field(default_factory=dict, compare=False, repr=False)


def band_index(difference: float) -> int:
    """Which of the five comparison bands a difference from Kent (in per cent) falls in.

    The bands describe size only: money has no sampling error to test a difference against.
    """
    if difference <= -20:
        return 0
    if difference <= -10:
        return 1
    if difference < 10:
        return 2
    if difference < 20:
        return 3
    return 4


def district_spend(funding: pd.DataFrame, year: str, districts) -> pd.DataFrame:
    """Demo allocations in scope for one year by district (``districts``: the district codes).

    Columns: code, cas, short_breaks, direct_payments, spend (their total).
    """
    rows = funding[
        (funding["period"] == year)
        & (funding["status"] == "demo")
        & is_district(funding["geography"], districts)
        & funding["service_line"].isin(list(SCOPE))
    ]
    rows = rows.assign(part=rows["service_line"].map(SCOPE))
    wide = (
        rows.groupby(["geography", "part"])["amount"]
        .sum()
        .unstack("part")
        .reindex(columns=list(PARTS))
        .fillna(0.0)
    )
    wide = wide.assign(spend=wide[list(PARTS)].sum(axis=1))
    return wide.rename_axis(index="code", columns=None).reset_index()


def census_denominators(
    population: pd.DataFrame, census_carers: pd.DataFrame, districts
) -> pd.DataFrame:
    """Census 2021 residents, carers and carers caring 50+ hours by district.

    Columns: code and one column per denominator key.
    """
    frames = {"population": population, "census-carers": census_carers}
    columns = {}
    for denominator in DENOMINATORS:
        frame = frames[denominator.measure]
        rows = frame[
            (frame["period"] == CENSUS_PERIOD)
            & (frame["category"] == denominator.category)
            & is_district(frame["geography"], districts)
        ]
        columns[denominator.key] = rows.set_index("geography")["value"].astype(float)
    return pd.DataFrame(columns).rename_axis("code").reset_index()


def per_head_frame(
    spend: pd.DataFrame, denominators: pd.DataFrame, names: dict[str, str], key: str
) -> pd.DataFrame:
    """Spend per head by district under one denominator, then a Kent row.

    Kent is all 12 districts' spend over all 12 districts' denominator, so the average is of the
    same money and people as the bars. Columns: code, name, cas, short_breaks, direct_payments,
    spend, denominator, per_head, difference (per cent from Kent), band_index, band, status.
    """
    joined = spend.merge(denominators[["code", key]], on="code").rename(
        columns={key: "denominator"}
    )
    joined = joined.assign(name=joined["code"].map(names))
    kent_row = {part: joined[part].sum() for part in (*PARTS, "spend", "denominator")}
    kent_row.update(code=KENT_CODE, name=KENT_NAME)
    frame = pd.concat([joined, pd.DataFrame([kent_row])], ignore_index=True)
    frame = frame.assign(
        per_head=frame["spend"] / frame["denominator"].where(frame["denominator"] > 0)
    )
    kent_value = frame["per_head"].iloc[-1]
    difference = 100 * (frame["per_head"] / kent_value - 1)
    bands = difference.map(band_index)
    return frame.assign(
        difference=difference,
        band_index=bands,
        band=bands.map(dict(enumerate(BAND_LABELS))),
        status="demo",
    )[
        [
            "code",
            "name",
            *PARTS,
            "spend",
            "denominator",
            "per_head",
            "difference",
            "band_index",
            "band",
            "status",
        ]
    ]


def _subtitle(
    context: ViewContext,
    year: str,
    recorded: str,
    divided_by: str = "Census 2021 denominators",
    marked: str | None = None,
) -> str:
    """The place, care group and year, and how the chosen locality's districts are marked
    (``marked``: in the chart's own words, else ``ViewContext.highlighted``)."""
    text = context.subtitle(
        f"{context.year_phrase(year, 'allocations')}, {divided_by}", recorded, DENOMINATORS_BASE
    )
    return text + (context.highlighted() if marked is None else context.highlighted(marked))


def _care_group_name(context: ViewContext) -> str:
    return context.reference.filter_choices().care_groups[context.filters.care_group]


DENOMINATORS_BASE = "denominators"
GROUP_SPEND_NOTE = (
    "Allocations are not made by care group: with a care group chosen, each district's demo "
    "spend is shared between care groups by the mix of the activity each part pays for (CAS by "
    "carers supported, short breaks by crisis referrals, direct payments by one-off payments), "
    "and divided by the Census 2021 denominator for all care groups, which the Census does not "
    "split by care group."
)


def _group_prefix(context: ViewContext) -> str:
    return f"{_care_group_name(context)}: " if context.filters.care_group else ""


def _no_allocations(label: str) -> str:
    return (
        f"No allocations by district for {label}: demo allocations by district run from 2013/14 "
        "to 2024/25, and published allocations are for Kent as a whole."
    )


def _scope_footnotes(year: str, spend_total: float | None) -> tuple[str, ...]:
    """What the spend covers; ``spend_total`` is None when it is one care group's share."""
    notes = [
        SCOPE_TEXT,
        "Published allocations are for Kent as a whole and cannot be attributed to districts, so "
        "every district and per-head figure is demo data.",
    ]
    if year == PUBLISHED_YEAR and spend_total is not None:
        notes.append(
            "2016/17 demo allocations add up to the published county totals: KCC £5.66m and NHS "
            "£1.84m (£7.5m) for CAS and short breaks, plus KCC's £772k direct payments budget, "
            f"{formatting.format_money(spend_total)} in all."
        )
    return tuple(notes)


def _sources(year: str, census_sources) -> list[str]:
    published = [PUBLISHED_SOURCE] if year == PUBLISHED_YEAR else []
    return [DEMO_SOURCE, *published, *census_sources]


def _census_sources(data: InvestmentData, measures) -> list[str]:
    frames = {"population": data.population, "census-carers": data.census_carers}
    found = []
    for measure in measures:
        rows = frames[measure]
        found += list(rows.loc[rows["period"] == CENSUS_PERIOD, "source"].unique())
    return found


def _per_head_or_reason(
    data: InvestmentData, context: ViewContext, key: str, year: str
) -> pd.DataFrame | str:
    """Spend per head by district for the year, or the sentence saying why there is none.

    With a care group chosen the spend is that group's modelled share (see GROUP_SPEND_NOTE).
    Worked out once per care group, year and denominator: the bars and the map read it.
    """

    def per_head() -> pd.DataFrame | str:
        spend = _spend_for_selection(data, context, year)
        if spend.empty:
            return _no_allocations(context.period_label(year))
        return per_head_frame(spend, _denominators(data, context), context.district_names(), key)

    memo_key = ("per_head", context.filters.care_group, year, key)  # the locality marks rows
    return worked_out_once(data.worked_out, memo_key, per_head)


def _denominators(data: InvestmentData, context: ViewContext) -> pd.DataFrame:
    """``census_denominators`` of the page's data, worked out once."""
    return worked_out_once(
        data.worked_out,
        ("census_denominators",),
        lambda: census_denominators(data.population, data.census_carers, context.districts),
    )


def _spend_for_selection(data: InvestmentData, context: ViewContext, year: str) -> pd.DataFrame:
    """District spend in scope: all of it, or the chosen care group's share of each part."""
    key = ("spend", context.filters.care_group, year)  # the locality only marks rows
    return worked_out_once(data.worked_out, key, lambda: _spend(data, context, year))


def _spend(data: InvestmentData, context: ViewContext, year: str) -> pd.DataFrame:
    spend = district_spend(data.funding, year, context.districts)
    group = context.filters.care_group
    if spend.empty or not group:
        return spend
    parts = _year_parts(data, context, year)
    chosen = parts[parts["care_group"] == group].drop(columns="care_group")
    return chosen.assign(spend=chosen[list(PARTS)].sum(axis=1)).reset_index(drop=True)


def per_head_bars(data: InvestmentData, context: ViewContext, key: str) -> ChartSpec:
    """Ranked bars of spend per head by district with the Kent average and comparison bands."""
    denominator = DENOMINATOR_BY_KEY[key]
    year = allocation_year(context, data.funding)
    label = context.period_label(year)
    chart_key = "investment-per-head"
    title = f"Spend {denominator.per} by district"
    subtitle = _subtitle(context, year, BASE_ALL_CARE_GROUPS, marked=ROWS_OUTLINED)
    frame = _per_head_or_reason(data, context, key, year)
    if isinstance(frame, str):
        return unavailable_spec(chart_key, title, subtitle, frame)
    districts = frame[frame["code"] != KENT_CODE]
    kent = frame.iloc[-1]
    highlight = locality_districts(context.weights)[0]
    title = _per_head_title(districts, kent["per_head"], denominator, context, highlight)
    statuses = statuses_of(frame)
    return context.chart(
        key=chart_key,
        title=title,
        subtitle=subtitle,
        figure=figures.per_head_bars(
            districts,
            kent_value=kent["per_head"],
            axis_title=f"Spend {denominator.per} (£)",
            highlight=highlight,
            statuses=statuses,
        ),
        table=frame.assign(
            per_head=frame["per_head"].round(2), difference=frame["difference"].round(1)
        ),
        columns=(
            Column("name", "District"),
            Column("cas", "CAS", "gbp"),
            Column("short_breaks", "Short breaks", "gbp"),
            Column("direct_payments", "Direct payments", "gbp"),
            Column("spend", "Spend in scope", "gbp"),
            Column("denominator", denominator.heading, "count"),
            Column("per_head", f"Spend {denominator.per}", "gbp-pence"),
            Column("difference", "Difference from Kent average (%)"),
            Column("band", "Compared with Kent"),
            Column("status", "Status", "status"),
        ),
        sources=_sources(year, _census_sources(data, [denominator.measure])),
        recorded=BASE_ALL_CARE_GROUPS,
        measure=denominator.measure,
        statuses=statuses,
        key_column="per_head",
        period_label=f"{label} (Census 2021 denominators)",
        alt_text=(
            f"Horizontal bar chart of spend {denominator.per} for the 12 districts, highest "
            f"first, with a dashed line at the Kent average of {money_per_head(kent['per_head'])}. "
            f"{title}."
        ),
        footnotes=(
            *_group_notes(context),
            *_scope_footnotes(year, None if context.filters.care_group else kent["spend"]),
            "No confidence intervals: spend is an amount of money, not a count of events, and "
            "Census denominators are complete counts. Bands show how far each district is from "
            "the Kent average; they are not tests of significance.",
            "About this measure describes the denominator.",
        ),
    )


def _per_head_title(
    districts: pd.DataFrame,
    kent_value: float,
    denominator: Denominator,
    context: ViewContext,
    highlight: set[str],
) -> str:
    kent_text = f"Kent {money_per_head(kent_value)}"
    if highlight:
        chosen = districts[districts["code"].isin(highlight)].sort_values(
            "per_head", ascending=False
        )
        parts = [f"{row.name} {money_per_head(row.per_head)}" for row in chosen.itertuples()]
        # One lead-in, not "Dementia: Thanet & Dover: spend ...".
        group = context.care_group_name()
        place = f"{group} in {context.place()}" if group else context.place()
        return f"{place}: spend {denominator.per} {', '.join(parts)}; {kent_text}"
    ordered = districts.sort_values("per_head", ascending=False)
    top, bottom = ordered.iloc[0], ordered.iloc[-1]
    return _group_prefix(context) + (
        f"{top['name']} has the most spend {denominator.per} "
        f"({money_per_head(top['per_head'])}), {bottom['name']} the least "
        f"({money_per_head(bottom['per_head'])}); {kent_text}"
    )


def per_head_map(
    data: InvestmentData, context: ViewContext, key: str, geojson: dict | None
) -> ChartSpec:
    """Map of each district's spend per head as a difference from the Kent average."""
    denominator = DENOMINATOR_BY_KEY[key]
    year = allocation_year(context, data.funding)
    label = context.period_label(year)
    chart_key = "investment-map"
    title = f"Spend {denominator.per} compared with the Kent average, on the map"
    subtitle = _subtitle(context, year, BASE_ALL_CARE_GROUPS)
    frame = _per_head_or_reason(data, context, key, year)
    if isinstance(frame, str):
        return unavailable_spec(chart_key, title, subtitle, frame)
    districts = frame[frame["code"] != KENT_CODE].assign(
        per_head_text=lambda rows: rows["per_head"].map(money_per_head)
    )
    _highlight, partial = locality_districts(context.weights)
    ordered = districts.sort_values("difference")
    low, high = ordered.iloc[0], ordered.iloc[-1]
    title = (
        f"{_care_group_name(context) + ' s' if context.filters.care_group else 'S'}pend "
        f"{denominator.per}: {high['name']} furthest above the "
        "Kent average "
        f"({formatting.format_change(high['difference'])}), {low['name']} furthest below "
        f"({formatting.format_change(low['difference'])})"
    )
    table = frame.assign(
        per_head=frame["per_head"].round(2), difference=frame["difference"].round(1)
    )
    credits = (ATTRIBUTION, BOUNDARY_CREDIT) if geojson is not None else (ATTRIBUTION,)
    return context.chart(
        key=chart_key,
        title=title,
        subtitle=subtitle,
        figure=figures.difference_map(
            districts,
            geojson=geojson,
            per_label=denominator.per,
            highlight=locality_districts(context.weights)[0],
            partial=partial,
        ),
        table=table,
        columns=(
            Column("name", "District"),
            Column("per_head", f"Spend {denominator.per}", "gbp-pence"),
            Column("difference", "Difference from Kent average (%)"),
            Column("band", "Compared with Kent"),
            Column("status", "Status", "status"),
        ),
        sources=_sources(year, _census_sources(data, [denominator.measure])),
        recorded=BASE_ALL_CARE_GROUPS,
        statuses=statuses_of(frame),
        graph_config=MAP_GRAPH_CONFIG,
        period_label=f"{label} (Census 2021 denominators)",
        alt_text=(
            f"Map of the 12 districts shaded from orange (below the Kent average spend "
            f"{denominator.per}) to blue (above), each labelled with its difference. {title}."
        ),
        footnotes=(
            *_group_notes(context),
            "Colour shows the difference from the Kent average on a scale centred on Kent; the "
            "label gives the same difference. "
            + (
                ""
                if geojson is not None
                else "Districts are drawn as equal-sized tiles, not their real shapes. "
            )
            + (
                f"Districts in {context.place()} are outlined heavily (partly included "
                "districts more lightly, marked “(part)”)."
                if context.filters.locality
                else ""
            ),
            *credits,
        ),
    )


def rank_frame(
    spend: pd.DataFrame, denominators: pd.DataFrame, names: dict[str, str]
) -> pd.DataFrame:
    """Each district's spend per head and rank (1 = most) under every denominator.

    Columns: code, name, per_head_<key> and rank_<key> for each denominator, rank_range.
    """
    joined = spend[["code", "spend"]].merge(denominators, on="code")
    values = pd.DataFrame(
        {
            "code": joined["code"],
            **{f"per_head_{d.key}": joined["spend"] / joined[d.key] for d in DENOMINATORS},
        }
    )
    value_columns = [f"per_head_{d.key}" for d in DENOMINATORS]
    ranks = stats.rank_table(values, entity="code", value_columns=value_columns)
    ranks = ranks.rename(
        columns={column: column.replace("per_head_", "rank_") for column in value_columns}
    )
    result = values.merge(ranks, on="code")
    result = result.assign(name=result["code"].map(names))
    return result.sort_values(f"rank_{DENOMINATORS[0].key}").reset_index(drop=True)


def rank_stability(data: InvestmentData, context: ViewContext) -> ChartSpec:
    """A strip of each district's rank under each denominator, joined by lines."""
    year = allocation_year(context, data.funding)
    label = context.period_label(year)
    chart_key = "investment-rank-stability"
    title = "How each district's rank moves with the denominator"
    subtitle = _subtitle(context, year, BASE_ALL_CARE_GROUPS)
    spend = _spend_for_selection(data, context, year)
    if spend.empty:
        return unavailable_spec(chart_key, title, subtitle, _no_allocations(label))
    frame = rank_frame(spend, _denominators(data, context), context.district_names())
    frame = frame.assign(status="demo")
    highlight = locality_districts(context.weights)[0]
    emphasised = highlight or set(frame.loc[frame["rank_range"] >= MOVES_A_LOT, "code"])
    title = _group_prefix(context) + _rank_title(frame)
    rank_columns = []
    for denominator in DENOMINATORS:
        rank_columns += [
            Column(f"rank_{denominator.key}", f"Rank {denominator.per}", "rank"),
            Column(f"per_head_{denominator.key}", f"Spend {denominator.per}", "gbp-pence"),
        ]
    table = frame.assign(
        **{f"per_head_{d.key}": frame[f"per_head_{d.key}"].round(2) for d in DENOMINATORS}
    )
    return context.chart(
        key=chart_key,
        title=title,
        subtitle=subtitle,
        figure=figures.rank_strip(
            frame,
            denominators=[(d.key, _short_per(d)) for d in DENOMINATORS],
            emphasised=emphasised,
            highlighted=highlight,
        ),
        table=table,
        columns=(
            Column("name", "District"),
            *rank_columns,
            Column("rank_range", "Places moved (largest minus smallest rank)", "count"),
            Column("status", "Status", "status"),
        ),
        sources=_sources(year, _census_sources(data, ["population", "census-carers"])),
        recorded=BASE_ALL_CARE_GROUPS,
        statuses=("demo",),
        period_label=f"{label} (Census 2021 denominators)",
        alt_text=(
            "Slope chart with three columns, spend per resident, per carer and per carer caring "
            f"50+ hours, showing each district's rank from 1st (most) to 12th. {title}."
        ),
        footnotes=(
            "Rank 1 is the most spend per head; tied districts share the higher rank. "
            + (
                f"Districts in {context.place()} are drawn heavier."
                if highlight
                else f"Districts moving {MOVES_A_LOT} or more places are drawn heavier."
            ),
            SCOPE_TEXT,
            *_group_notes(context),
        ),
    )


def _group_notes(context: ViewContext) -> tuple[str, ...]:
    return (GROUP_SPEND_NOTE,) if context.filters.care_group else ()


def _short_per(denominator: Denominator) -> str:
    return {
        "residents": "Per resident",
        "carers": "Per carer",
        "carers_50plus": "Per carer caring 50+ hours",
    }[denominator.key]


def _rank_title(frame: pd.DataFrame) -> str:
    mover = frame.sort_values(["rank_range", "name"], ascending=[False, True]).iloc[0]
    if mover["rank_range"] <= 1:
        return "District ranks barely move whichever denominator is used"
    low, high = DENOMINATORS[0], DENOMINATORS[-1]
    return (
        # In brackets, not after a colon: a care group's title starts "Dementia: ".
        f"{mover['name']}'s rank moves most with the denominator "
        f"({formatting.format_ordinal(mover[f'rank_{low.key}'])} {low.per}, "
        f"{formatting.format_ordinal(mover[f'rank_{high.key}'])} {high.per})"
    )


def _group_counts(frame: pd.DataFrame, start, end, districts) -> pd.Series:
    """Return counts in the year by (district, care group), care-group rows only.

    Demo rows, or imported returns where they replace them; never census or Kent-level rows.
    """
    rows = within(frame, start, end)  # the year's rows first: the other tests compare texts
    rows = rows[
        (rows["status"] != "census")
        & rows["care_group"].notna()
        & is_district(rows["geography"], districts)
    ]
    return rows.groupby(["geography", "care_group"])["value"].sum()


def _year_parts(data: InvestmentData, context: ViewContext, year: str) -> pd.DataFrame:
    """``care_group_parts`` of the year's district spend (not empty), worked out once a year:
    the per-head bars, the map, the rank strip and the heat map read it (about 30 ms a time).
    """

    def parts() -> pd.DataFrame:
        periods = context.reference.periods
        return care_group_parts(
            data,
            district_spend(data.funding, year, context.districts),
            periods[periods["slug"] == year].iloc[0],
            context.reference.care_groups,
            context.districts,
        )

    return worked_out_once(data.worked_out, ("care_group_parts", year), parts)


def care_group_parts(
    data: InvestmentData,
    spend: pd.DataFrame,
    year_row: pd.Series,
    care_groups: pd.DataFrame,
    districts,
) -> pd.DataFrame:
    """Each part of each district's spend shared between care groups.

    Each part goes to care groups in proportion to the care-group mix of the activity it pays
    for: CAS by carers supported, short breaks by crisis referrals, direct payments by one-off
    payments (all demo returns for the same year). Where a district recorded none of that
    activity, its carers supported are used instead. Columns: code, care_group, one per part,
    supported.
    """
    grid = pd.MultiIndex.from_product(
        [spend["code"], care_groups["slug"]], names=["code", "care_group"]
    )
    start, end = year_row["start"], year_row["end"]
    supported = _group_counts(data.carers_supported, start, end, districts).reindex(
        grid, fill_value=0.0
    )
    spend_by_code = spend.set_index("code")
    parts = {}
    for part, activity_name in ACTIVITY_FOR_PART.items():
        activity = _group_counts(getattr(data, activity_name), start, end, districts)
        activity = activity.reindex(grid, fill_value=0.0)
        shares = _shares_within_district(activity)
        shares = shares.fillna(_shares_within_district(supported)).fillna(0.0)
        district_amount = grid.get_level_values("code").map(spend_by_code[part]).to_numpy()
        parts[part] = shares * district_amount
    return pd.DataFrame({**parts, "supported": supported}).reset_index()


def care_group_frame(parts: pd.DataFrame) -> pd.DataFrame:
    """Each district's spend shared between care groups (``parts``, of
    :func:`care_group_parts`), per carer supported in that group.

    Columns: code, care_group, spend, supported, per_carer (NaN where no carers were
    supported).
    """
    frame = parts.assign(spend=parts[list(PARTS)].sum(axis=1))[
        ["code", "care_group", "spend", "supported"]
    ]
    return frame.assign(per_carer=frame["spend"] / frame["supported"].where(frame["supported"] > 0))


def with_kent_row(frame: pd.DataFrame) -> pd.DataFrame:
    """Add Kent rows (all 12 districts) per care group to a :func:`care_group_frame`."""
    kent = frame.groupby("care_group", as_index=False, sort=False)[["spend", "supported"]].sum()
    kent = kent.assign(
        code=KENT_CODE, per_carer=kent["spend"] / kent["supported"].where(kent["supported"] > 0)
    )
    return pd.concat([frame, kent[frame.columns]], ignore_index=True)


def _shares_within_district(counts: pd.Series) -> pd.Series:
    """Each care group's share of its district's count; NaN where the district has none."""
    totals = counts.groupby(level="code").transform("sum")
    return counts / totals.where(totals > 0)


def care_group_heatmap(data: InvestmentData, context: ViewContext) -> ChartSpec:
    """Heat map of spend per carer supported by district and care group, values in the cells."""
    year = allocation_year(context, data.funding)
    label = context.period_label(year)
    chart_key = "investment-care-group-heatmap"
    title = "Spend per carer supported by district and care group"
    # The Census does not count carers by care group: this chart divides by carers supported.
    subtitle = _subtitle(
        context, year, BY_CARE_GROUP, "per carer supported in the year", ROWS_OUTLINED
    )
    if context.filters.care_group:
        subtitle += f" · {_care_group_name(context)} column outlined"
    spend = district_spend(data.funding, year, context.districts)
    if spend.empty:
        return unavailable_spec(chart_key, title, subtitle, _no_allocations(label))
    care_groups = context.reference.care_groups
    frame = care_group_frame(_year_parts(data, context, year))
    group_names = dict(zip(care_groups["slug"], care_groups["name"], strict=True))
    frame = with_kent_row(frame)
    frame = frame.assign(
        name=frame["code"].map({**context.district_names(), KENT_CODE: KENT_NAME}),
        group_name=frame["care_group"].map(group_names),
        status="demo",
    )
    small = frame["supported"].map(is_small_count)
    table, suppressed = suppress_small_counts(frame, ["supported"])
    table = table.assign(
        spend=table["spend"].round(0).astype(object).where(~small, SUPPRESSED_TEXT),
        per_carer=table["per_carer"].round(0).astype(object).where(~small, SUPPRESSED_TEXT),
    )
    title = _heatmap_title(frame[~small], context)
    highlight = locality_districts(context.weights)[0]
    return context.chart(
        key=chart_key,
        title=title,
        subtitle=subtitle,
        figure=figures.care_group_heatmap(
            table,
            district_order=[*context.reference.districts["code"], KENT_CODE],
            group_order=list(care_groups["slug"]),
            highlight_districts=highlight,
            highlight_group=context.filters.care_group,
        ),
        table=table,
        columns=(
            Column("name", "District"),
            Column("group_name", "Care group"),
            Column("spend", "Spend shared to the care group", "gbp"),
            Column("supported", "Carers supported in the year", "count"),
            Column("per_carer", "Spend per carer supported", "gbp"),
            Column("status", "Status", "status"),
        ),
        sources=[DEMO_SOURCE],
        recorded=BY_CARE_GROUP,
        measure="carers-supported",
        statuses=statuses_of(frame),
        key_column="per_carer",
        period_label=label,
        alt_text=(
            "Heat map with a row per district and a column per care group; each cell gives "
            f"the spend per carer supported in pounds. {title}."
        ),
        footnotes=(
            "Allocations are not made by care group. This dashboard shares each district's demo "
            "spend between care groups by the mix of the activity each part pays for: CAS by "
            "carers supported, short breaks by crisis referrals, direct payments by one-off "
            "payments (demo returns for the same year). The split is modelled and the data demo.",
            "The Census does not count carers by the care group of the person cared for, so the "
            "denominator is carers supported in that care group, not carers living there.",
            "A dash means no carers in that group were supported in the year.",
            *suppression_footnotes(suppressed),
        ),
    )


def _heatmap_title(shown: pd.DataFrame, context: ViewContext) -> str:
    rows = shown.dropna(subset=["per_carer"])
    if context.filters.care_group:
        rows = rows[
            (rows["care_group"] == context.filters.care_group) & (rows["code"] != KENT_CODE)
        ]
        if rows.empty:
            return f"{_care_group_name(context)}: no carers supported to compare spend per carer"
        ordered = rows.sort_values("per_carer", ascending=False)
        top, bottom = ordered.iloc[0], ordered.iloc[-1]
        return (
            f"{_care_group_name(context)}: spend per carer supported runs from "
            f"{formatting.format_money(bottom['per_carer'])} in {bottom['name']} to "
            f"{formatting.format_money(top['per_carer'])} in {top['name']}"
        )
    kent = rows[rows["code"] == KENT_CODE].sort_values("per_carer", ascending=False)
    top, bottom = kent.iloc[0], kent.iloc[-1]
    return (
        f"{top['group_name']} carers get the most spend per carer supported across Kent "
        f"({formatting.format_money(top['per_carer'])}), {bottom['group_name']} the least "
        f"({formatting.format_money(bottom['per_carer'])})"
    )
