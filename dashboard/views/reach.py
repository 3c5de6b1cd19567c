"""Carers versus reach: census carers and carers supported by district, the reach rate, profiles.

The reach rate of a district is the carers its services supported in the period (demo quarterly
returns added up over the period) divided by its Census 2021 unpaid carers; the Kent rate is the
same sum over the 12 districts, so districts are compared with a benchmark made the same way.
Intervals are Wilson score intervals and districts are classed better/similar/worse than Kent
(or higher/lower where the catalogue gives no polarity) only when their interval excludes Kent.

Census counts are not split by care group: with a care group chosen, census measures are shown
for all care groups (tagged so), and the reach rate is the group's carers supported over all
Census 2021 carers. The locality filter cannot split a district, so the map always shows the 12
districts and marks the chosen locality's districts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting, screening, stats
from dashboard.charts import (
    ALL_CARE_GROUPS,
    BASE_ALL_CARE_GROUPS,
    BY_CARE_GROUP,
    ChartSpec,
    Column,
    suppress_small_counts,
    suppression_footnotes,
    unavailable_spec,
)
from dashboard.disclosure import (
    SECONDARY_TEXT,
    SUPPRESSED_TEXT,
    suppression_reasons,
)
from dashboard.figures import maps
from dashboard.figures import reach as figures
from dashboard.figures.common import HIGHLIGHT_MARK, label_demo
from dashboard.rules import (
    KENT_CODE,
    care_group_rows,
    is_district,
    latest_available,
    locality_districts,
    weakest_status,
    within,
)
from dashboard.views.common import ViewContext, monitoring_source, statuses_of, worked_out_once

CENSUS_2021, CENSUS_2011 = "census-2021", "census-2011"
CONFIDENCE_LEVELS = {"95": 0.95, "99.8": 0.998}
HOURS_BANDS = ("1-19 hours", "20-49 hours", "50+ hours")
CENSUS_CARERS_BASE = "Census 2021 carers"
GROUP_REACH_NOTE = (
    "The Census does not record who carers care for, so a care group's reach rate is the "
    "carers supported in that group ÷ all Census 2021 carers: its share of the reach rate, "
    "not the share of that group's carers reached."
)
NO_SUPPORT_DATA = "No carers-supported returns are recorded for {period}."
DEMO_SUM_NOTE = (
    "Carers supported are demo quarterly returns added up over the period, so a carer "
    "supported in two quarters counts twice; the Kent rate adds up the same district returns."
)
PROFILE_PROMPT = "Click a district on the map, or choose one here, to see its profile."
# The district menu's "Choose a district" (no profile): not "", which the menu's hidden
# placeholder holds. With both "", the browser showed the placeholder again after each arrow key
# press and a keyboard user could never reach a district.
NO_DISTRICT = "none"
BOUNDARY_FALLBACK = "No boundary file is configured, so the map shows equal-area tiles."


@dataclass(frozen=True)
class MapMeasure:
    """One choice of the map's measure selector."""

    label: str  # as in the selector
    short: str  # for titles: "the highest <short>"
    unit: str
    value: str  # column of the district table
    slug: str  # measure catalogue row ("About this measure", polarity)
    census: bool  # not available by care group
    comparison: str | None = None  # column of comparison classes, if any
    compared_as: str = ""  # what the comparison is made on, in words
    interval: str | None = None  # prefix of _lower/_upper columns, if any
    legend: str = ""  # short name for the colour bar and hover


MAP_MEASURES: dict[str, MapMeasure] = {
    "carers-2021": MapMeasure(
        "Unpaid carers (Census 2021)",
        "number of unpaid carers",
        "count",
        "carers_2021",
        "census-carers",
        True,
        "share_2021_comparison",
        "as a share of residents aged 5+",
        legend="Carers 2021",
    ),
    "carers-2011": MapMeasure(
        "Unpaid carers (Census 2011)",
        "number of unpaid carers in 2011",
        "count",
        "carers_2011",
        "census-carers",
        True,
        "share_2011_comparison",
        "as a share of all residents (2011)",
        legend="Carers 2011",
    ),
    "share-2021": MapMeasure(
        "Carers as a share of residents aged 5+ (Census 2021)",
        "share of residents caring",
        "percent",
        "share_2021",
        "census-carers-share",
        True,
        "share_2021_comparison",
        "as a share of residents aged 5+",
        "share_2021",
        legend="Share of residents",
    ),
    "carers-50plus": MapMeasure(
        "Carers caring 50+ hours a week (Census 2021)",
        "number of carers caring 50+ hours a week",
        "count",
        "carers_50plus",
        "census-carers",
        True,
        "heavy_comparison",
        "as a share of the district's carers",
        legend="Caring 50+ hours",
    ),
    "supported": MapMeasure(
        "Carers supported by services",
        "number of carers supported",
        "count",
        "supported",
        "carers-supported",
        False,
        "reach_comparison",
        "by reach rate (supported ÷ Census 2021 carers)",
        legend="Carers supported",
    ),
    "reach": MapMeasure(
        "Reach rate: carers supported ÷ Census 2021 carers",
        "reach rate",
        "percent",
        "reach",
        "carers-supported",
        False,
        "reach_comparison",
        "by reach rate",
        "reach",
        legend="Reach rate",
    ),
    "change": MapMeasure(
        "Change in unpaid carers, Census 2011 to 2021",
        "change in carers",
        "percent",
        "change",
        "census-carers",
        True,
        legend="Change 2011-21",
    ),
}
DEFAULT_MEASURE = "reach"


@dataclass(frozen=True)
class ReachBase:
    """What carers supported are set against in the funnel and ranking."""

    label: str  # as in the selector
    prefix: str  # columns <prefix>, <prefix>_lower/_upper/_comparison of the district table
    denominator: str  # column of the district table
    heading: str  # the denominator's table heading and funnel axis title
    rate: str  # the rate's name in titles, headings and axes
    key_suffix: str  # added to chart keys, so exports of the two views are told apart

    @property
    def axis_title(self) -> str:
        """The rate's axis title: "Reach rate (%)"; the 50+ rate's name says per 100 already."""
        return self.rate if self.key_suffix else f"{self.rate} (%)"


REACH_BASES = {
    "carers": ReachBase(
        "All unpaid carers",
        "reach",
        "carers_2021",
        "Carers (Census 2021)",
        "Reach rate",
        "",
    ),
    "carers_50plus": ReachBase(
        "Carers caring 50+ hours a week",
        "reach_50plus",
        "carers_50plus",
        "Carers caring 50+ hours a week (Census 2021)",
        "Carers supported per 100 carers caring 50+ hours",
        "-50plus",
    ),
}
DEFAULT_BASE = "carers"
HEAVY_BASE_NOTE = (
    "Against carers caring 50+ hours: carers supported (of any hours) per 100 of the district's "
    "Census 2021 carers caring 50 or more hours a week, a measure of how support meets the most "
    "intensive need, not the share of those carers supported (services do not record hours)."
)


@dataclass(frozen=True)
class ReachData:
    """The repository frames this page reads (cached frames: never modified here)."""

    census_carers: pd.DataFrame
    census_share: pd.DataFrame
    census_base: pd.DataFrame
    population: pd.DataFrame
    imd_rank: pd.DataFrame
    supported: pd.DataFrame
    funding: pd.DataFrame
    # What every chart works out from these frames in the same way (the district table, the
    # period of the returns), worked out once: the callbacks read one ``ReachData`` for each
    # data version (``Repository.page_data``).
    worked_out: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Fact:
    """One line of a district profile."""

    label: str
    value: str
    status: str | None = None


@dataclass(frozen=True)
class DistrictProfile:
    """What the profile panel shows for one district."""

    code: str
    name: str
    facts: tuple[Fact, ...]
    notes: tuple[str, ...]
    sources: tuple[str, ...]


# ------------------------------------------------------------------------------------------
# The district table behind every chart


def support_period(data: ReachData, context: ViewContext) -> pd.Series | None:
    """The period row for carers supported: the filter's, else the latest year with returns."""
    key = ("support_period", context.filters.period)  # the place chosen only marks districts
    return worked_out_once(data.worked_out, key, lambda: _support_period(data, context))


def _support_period(data: ReachData, context: ViewContext) -> pd.Series | None:
    periods = context.reference.periods
    slug = context.filters.period or latest_available(
        monitoring_rows(data.supported, context.districts)["period"], periods
    )
    rows = periods[periods["slug"] == slug]
    return rows.iloc[0] if len(rows) else None


def _census(frame: pd.DataFrame, period: str, category: str = "") -> pd.Series:
    rows = frame[(frame["period"] == period) & (frame["category"] == category)]
    return rows.set_index("geography")["value"].astype(float)


def monitoring_rows(supported: pd.DataFrame, districts: Collection[str]) -> pd.DataFrame:
    """District rows from monitoring returns: imported (provider return) or demo, never census."""
    return supported[
        (supported["status"] != "census")
        & (supported["category"] == "")
        & is_district(supported["geography"], districts)
    ]


def supported_by_district(
    supported: pd.DataFrame,
    period: pd.Series,
    care_group: str | None,
    districts: Collection[str],
) -> pd.DataFrame:
    """Carers supported per district in the period (all care groups or one), with its status.

    Imported returns replace demo rows where they cover them (``prefer_returns``); a district
    whose figure has any demo part is labelled demo. Columns: value, status, parts (the
    statuses of its parts, for naming every source a figure came from); index: code.
    """
    rows = within(monitoring_rows(supported, districts), period["start"], period["end"])
    rows = care_group_rows(rows, care_group)
    if rows is None or rows.empty:
        return pd.DataFrame(
            {
                "value": pd.Series(dtype=float),
                "status": pd.Series(dtype=str),
                "parts": pd.Series(dtype=object),
            }
        )
    grouped = rows.groupby("geography")
    return pd.DataFrame(
        {
            "value": grouped["value"].sum().astype(float),
            "status": grouped["status"].agg(weakest_status),
            "parts": grouped["status"].agg(lambda statuses: tuple(sorted(set(statuses)))),
        }
    )


def over_census(supported: pd.Series, table: pd.DataFrame) -> pd.Series:
    """Districts whose carers supported exceed their Census 2021 carers (by district code)."""
    carers = table.set_index("code")["carers_2021"].reindex(supported.index)
    return screening.exceeds(supported, carers)


def supported_over_census(data: ReachData, context: ViewContext) -> pd.DataFrame:
    """Rows for the data-quality panel: districts reporting more carers supported than carers.

    Columns: measure, period, geography, provider, value, reason.
    """
    period = support_period(data, context)
    if period is None:
        return pd.DataFrame(columns=["measure", "period", "geography", "provider", "value"])
    supported = supported_by_district(
        data.supported, period, context.filters.care_group, context.districts
    )
    carers = _census(data.census_carers, CENSUS_2021).rename("carers_2021")
    carers = carers.rename_axis("code").reset_index()
    over = supported["value"][over_census(supported["value"], carers)]
    return pd.DataFrame(
        {
            "measure": "carers-supported",
            "period": period["slug"],
            "geography": over.index,
            "provider": None,
            "value": over.to_numpy(),
            "reason": "more carers supported than the district's Census 2021 carers",
        }
    )


def _with_interval(
    table: pd.DataFrame, prefix: str, numerator: str, denominator: str, confidence: float
) -> pd.DataFrame:
    """Add <prefix>_lower/_upper (%, Wilson) for numerator/denominator where both are known."""
    known = (
        table[numerator].ge(0)
        & table[denominator].gt(0)
        & ~screening.exceeds(table[numerator], table[denominator])
    )
    lower, upper = stats.wilson_intervals(
        table[numerator].where(known, 0.0), table[denominator].where(known, 0.0), confidence
    )
    return table.assign(
        **{
            f"{prefix}_lower": np.where(known, 100 * lower, np.nan),
            f"{prefix}_upper": np.where(known, 100 * upper, np.nan),
        }
    )


def _classified(table: pd.DataFrame, prefix: str, benchmark: float, polarity: str) -> pd.DataFrame:
    classes = stats.classify_frame(
        table,
        lower=f"{prefix}_lower",
        upper=f"{prefix}_upper",
        benchmark=benchmark,
        polarity=polarity,
    )
    return table.assign(**{f"{prefix}_comparison": classes})


def district_table(data: ReachData, context: ViewContext, confidence: float = 0.95) -> pd.DataFrame:
    """One row per district, plus a last row for Kent (code E10000016), with every measure.

    Columns: code, name, population, carers_2021, carers_2011, base_5plus, population_2011,
    share_2021 (published %), share_2011, carers_50plus, heavy_share, supported, reach (%),
    reach_50plus (carers supported per 100 carers caring 50+ hours), change (%), the Wilson
    limits ``<prefix>_lower/_upper`` and classes ``<prefix>_comparison`` for share_2021,
    share_2011, heavy, reach and reach_50plus, and supported_suppressed. Percentages 0-100.

    Worked out once per ``data``, care group, period and confidence: each chart reads it (and
    never changes it), whichever locality it marks.
    """
    key = ("district_table", context.filters.care_group, context.filters.period, confidence)
    return worked_out_once(data.worked_out, key, lambda: _district_table(data, context, confidence))


def _district_table(data: ReachData, context: ViewContext, confidence: float) -> pd.DataFrame:
    districts = context.reference.districts.sort_values("code")
    codes = [*districts["code"], KENT_CODE]
    names = [*districts["name"], "Kent"]
    table = pd.DataFrame({"code": codes, "name": names})
    columns = {
        "population": _census(data.population, CENSUS_2021, "all ages"),
        "carers_2021": _census(data.census_carers, CENSUS_2021),
        "carers_2011": _census(data.census_carers, CENSUS_2011),
        "base_5plus": _census(data.census_base, CENSUS_2021),
        "population_2011": _census(data.population, CENSUS_2011, "all ages"),
        "share_2021": _census(data.census_share, CENSUS_2021),
        "share_2011": _census(data.census_share, CENSUS_2011),
        "carers_50plus": _census(data.census_carers, CENSUS_2021, "50+ hours"),
    }
    table = table.assign(**{key: table["code"].map(series) for key, series in columns.items()})
    period = support_period(data, context)
    by_district = (
        supported_by_district(data.supported, period, context.filters.care_group, context.districts)
        if period is not None
        else supported_by_district(data.supported.iloc[0:0], None, None, context.districts)
    )
    supported, statuses = by_district["value"], by_district["status"]
    # More carers supported than live in the district: left out (and listed in data quality).
    supported = supported[~over_census(supported, table)]
    statuses = statuses.reindex(supported.index)
    parts = by_district["parts"].reindex(supported.index)
    has_support = not supported.empty
    kent_supported = float(supported.sum()) if has_support else np.nan
    kent_status = weakest_status(statuses)
    kent_parts = tuple(sorted({status for each in parts for status in each}))
    is_kent = table["code"] == KENT_CODE
    table = table.assign(
        supported=table["code"].map(supported).where(~is_kent, kent_supported),
        supported_status=table["code"].map(statuses).where(~is_kent, kent_status).fillna("demo"),
        supported_parts=[
            kent_parts if code == KENT_CODE else parts.get(code, ()) for code in table["code"]
        ],
        heavy_share=100 * table["carers_50plus"] / table["carers_2021"],
        change=100 * (table["carers_2021"] / table["carers_2011"] - 1),
    )
    # Kent's rate is that of the districts with a figure: when only some have sent a return for
    # the period, their carers supported over every district's carers understated it, and
    # every district that had a figure came out better than Kent.
    reporting = table["supported"].notna() & ~is_kent
    table = table.assign(
        reporting_districts=int(reporting.sum()),
        reach_carers=table["carers_2021"].where(
            ~is_kent, table.loc[reporting, "carers_2021"].sum()
        ),
        reach_carers_50plus=table["carers_50plus"].where(
            ~is_kent, table.loc[reporting, "carers_50plus"].sum()
        ),
    )
    # With a care group chosen this is the group's carers supported over all carers (the
    # Census does not record care groups): see GROUP_REACH_NOTE.
    table = table.assign(reach=100 * table["supported"] / table["reach_carers"])
    # Kent's total is shown beside the districts, so a lone small district count is protected
    # by hiding a second one too (secondary suppression); every view reads these reasons.
    reasons = suppression_reasons(table["supported"], table["code"] == KENT_CODE)
    table = table.assign(supported_reason=reasons, supported_suppressed=reasons != "")
    # A rate on 1-4 people would give the hidden count away, so it is hidden with it.
    table = table.assign(reach=table["reach"].where(~table["supported_suppressed"]))
    table = table.assign(
        reach_50plus=(100 * table["supported"] / table["reach_carers_50plus"]).where(
            table["reach"].notna()
        )
    )
    table = _with_interval(table, "share_2021", "carers_2021", "base_5plus", confidence)
    table = _with_interval(table, "share_2011", "carers_2011", "population_2011", confidence)
    table = _with_interval(table, "heavy", "carers_50plus", "carers_2021", confidence)
    numerator = table["supported"].where(table["reach"].notna())
    table = _with_interval(
        table.assign(_reach_numerator=numerator),
        "reach",
        "_reach_numerator",
        "reach_carers",
        confidence,
    ).drop(columns="_reach_numerator")
    table = _with_interval(
        table.assign(_reach_numerator=numerator),
        "reach_50plus",
        "_reach_numerator",
        "reach_carers_50plus",
        confidence,
    ).drop(columns="_reach_numerator")
    kent = table[table["code"] == KENT_CODE].iloc[0]
    polarity = {
        "share_2021": context.measure("census-carers-share")["polarity"],
        "share_2011": context.measure("census-carers-share")["polarity"],
        "heavy": context.measure("census-carers")["polarity"],
        "reach": context.measure("carers-supported")["polarity"],
        "reach_50plus": context.measure("carers-supported")["polarity"],
    }
    benchmarks = {
        "share_2021": 100 * kent["carers_2021"] / kent["base_5plus"],
        "share_2011": 100 * kent["carers_2011"] / kent["population_2011"],
        "heavy": kent["heavy_share"],
        "reach": kent["reach"],
        "reach_50plus": kent["reach_50plus"],
    }
    for prefix, benchmark in benchmarks.items():
        table = _classified(table, prefix, benchmark, polarity[prefix])
    is_kent = table["code"] == KENT_CODE
    for prefix in benchmarks:
        table.loc[is_kent, f"{prefix}_comparison"] = "benchmark"
    return table


def districts_only(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["code"] != KENT_CODE].reset_index(drop=True)


def kent_row(table: pd.DataFrame) -> pd.Series:
    return table[table["code"] == KENT_CODE].iloc[0]


# ------------------------------------------------------------------------------------------
# The map


def _confidence_label(confidence: float) -> str:
    return "99.8%" if confidence > 0.99 else "95%"


def _period_label(data: ReachData, context: ViewContext) -> str:
    period = support_period(data, context)
    return context.period_label(period["slug"]) if period is not None else "no period"


def _measure_period(option: MapMeasure, data: ReachData, context: ViewContext) -> str:
    if option.value == "carers_2011":
        return "Census 2011"
    if option.value == "change":
        return "Census 2011 to Census 2021"
    if option.census:
        return "Census 2021"
    return f"{context.period_phrase(_period_label(data, context))}; carers from Census 2021"


def _recorded(option: MapMeasure) -> str:
    """How a map measure answers a care-group filter (see ``charts.care_group_tag``)."""
    if option.census:
        return ALL_CARE_GROUPS
    return BASE_ALL_CARE_GROUPS if option.value == "reach" else BY_CARE_GROUP


def _group_prefix(context: ViewContext, option: MapMeasure | None = None) -> str:
    """ "Dementia: " before a title whose figures are the chosen care group's; else empty. A
    reach rate is the group's carers supported over every carer the Census counts (it records
    no care group): "Dementia, against all carers: "."""
    if option is not None and option.value == "reach":
        return _rate_prefix(context, REACH_BASES[DEFAULT_BASE])
    if not context.filters.care_group or (option is not None and option.census):
        return ""
    return f"{context.care_group_name()}: "


def _rate_prefix(context: ViewContext, base: ReachBase) -> str:
    """What a reach rate's title says it is divided by, where that is not every carer of the
    chosen place: carers caring 50+ hours, and, for a care group, carers of every group (a
    title read alone gave dementia carers a reach of 2%, as if of dementia carers)."""
    against = "carers caring 50+ hours" if base.key_suffix else "carers"
    if context.filters.care_group:
        return f"{context.care_group_name()}, against all {against}: "
    return f"Against {against}: " if base.key_suffix else ""


def _extreme_title(frame: pd.DataFrame, option: MapMeasure, context: ViewContext) -> str:
    """Name the highest and lowest districts (within the chosen locality, if any)."""
    highlight, _partial = locality_districts(context.weights)
    scope = frame[frame["code"].isin(highlight)] if highlight else frame
    # Census measures are drawn whatever the returns hide; the others only where shown.
    hidden = False if option.census else scope["supported_suppressed"]
    scope = scope[scope[option.value].notna() & ~hidden]
    if scope.empty:
        where = f" in {context.place()}" if highlight else ""
        prefix = _group_prefix(context, option)
        return f"{prefix}{option.label}: no district{where} has a value to show"
    ordered = scope.sort_values(option.value, ascending=False)
    top, bottom = ordered.iloc[0], ordered.iloc[-1]
    where = _group_prefix(context, option) + (
        f"Of {context.place()}'s districts, " if highlight else ""
    )
    subject = f"{top['name']} has the highest {option.short}"
    high, low = top[option.value], bottom[option.value]
    high_text, low_text = (
        formatting.format_value(v, option.unit, decimals=_decimals(option)) for v in (high, low)
    )
    if len(ordered) > 1 and high_text == low_text and high != low:
        # "highest (2.1%) and lowest (2.1%)" says nothing: one more decimal tells them apart.
        more = (_decimals(option) or 0) + 1
        high_text, low_text = (
            formatting.format_value(v, option.unit, decimals=more) for v in (high, low)
        )
    if len(ordered) > 1:
        return f"{where}{subject} ({high_text}) and {bottom['name']} the lowest ({low_text})"
    return f"{where}{subject} ({high_text})"


# Rates are a few percent in most districts: whole percents would show 1.6% and 2.4% alike,
# and an interval of 3% to 4% around 3.5% as "3%, 3%, 4%".
RATE_DECIMALS = 1


def _decimals(option: MapMeasure) -> int | None:
    """Decimal places of the map's figures, the same in its title, labels, hover, notes and
    table."""
    return RATE_DECIMALS if option.unit == "percent" else None


def _map_statuses(option: MapMeasure, frame: pd.DataFrame) -> tuple[str, ...]:
    if option.census:
        return ("census",)
    returns = statuses_of(frame.assign(supported_status=_figure_status(frame)), "supported_status")
    return ("census", *returns) if option.value == "reach" else returns


def _map_columns(option: MapMeasure, colour_mode: str) -> tuple[Column, ...]:
    decimals = _decimals(option)
    columns = [
        Column("name", "District"),
        Column(option.value, option.label, option.unit, decimals),
    ]
    if option.interval:
        columns += [
            Column(f"{option.interval}_lower", "Lower limit", option.unit, decimals),
            Column(f"{option.interval}_upper", "Upper limit", option.unit, decimals),
        ]
    if option.comparison:
        columns.append(Column("comparison", f"Compared with Kent {option.compared_as}"))
    columns.append(Column("status", "Status", "status"))
    return tuple(columns)


def reach_map(
    data: ReachData,
    context: ViewContext,
    *,
    measure: str = DEFAULT_MEASURE,
    colour_mode: str = "value",
    geojson: dict | None = None,
    boundaries_available: bool = True,
    confidence: float = 0.95,
) -> ChartSpec:
    """The district choropleth for one measure, coloured by value or by comparison with Kent."""
    option = MAP_MEASURES.get(measure, MAP_MEASURES[DEFAULT_MEASURE])
    key = "reach-map"
    subtitle = context.subtitle(
        _measure_period(option, data, context), _recorded(option), CENSUS_CARERS_BASE
    )
    table = district_table(data, context, confidence)
    frame = districts_only(table)
    if not option.census and frame["supported"].isna().all():
        message = NO_SUPPORT_DATA.format(period=_period_label(data, context))
        return unavailable_spec(key, option.label, subtitle, message)
    comparison = option.comparison
    frame = frame.assign(
        comparison=frame[comparison] if comparison else "not compared",
        status="census" if option.census else _figure_status(frame),
        supported_text=hidden_supported(frame)["supported"],
    )
    highlight, partial = locality_districts(context.weights)
    count_suppressed = "supported_suppressed" if option.value == "supported" else None
    figure = maps.district_map(
        frame,
        geojson=geojson,
        value=option.value,
        label=option.legend,
        unit=option.unit,
        colour_mode=colour_mode,
        comparison="comparison",
        highlight=highlight,
        partial=partial,
        suppressed=count_suppressed,
        hover_columns=_hover_columns(option),
        decimals=_decimals(option),
        compared_as=option.compared_as,
    )
    statuses = _map_statuses(option, frame)
    figure = label_demo(figure, statuses)
    kent = kent_row(table)
    shown = pd.concat(
        [frame, kent.to_frame().T.assign(comparison="benchmark", status=_row_status(option, kent))]
    )
    shown = shown.reset_index(drop=True)
    suppressed_any = secondary_any = False
    if option.value == "supported":
        shown, suppressed_any, secondary_any = hide_supported(shown)
    elif option.unit == "count":
        shown, suppressed_any = suppress_small_counts(shown, [option.value])
    # The map's table writes the reach rate's limits to one decimal place too.
    limits_note = limits_written_as_kent(frame, kent["reach"]) if option.value == "reach" else ""
    return context.chart(
        key=key,
        title=_extreme_title(frame, option, context),
        subtitle=subtitle,
        figure=figure,
        table=shown,
        columns=_map_columns(option, colour_mode),
        sources=_map_sources(option, frame),
        recorded=_recorded(option),
        measure=option.slug,
        statuses=statuses,
        period_label=_measure_period(option, data, context),
        footnotes=_map_footnotes(
            option, context, kent, colour_mode, geojson, boundaries_available, confidence
        )
        + ((limits_note,) if limits_note else ())
        + suppression_footnotes(suppressed_any, secondary_any),
        alt_text=(
            f"Map of the 12 Kent districts coloured by {option.label.lower()}"
            f"{' compared with Kent' if colour_mode == 'comparison' else ''}. "
            "Each district's value is written on it; the table below lists every value."
        ),
    )


def _row_status(option: MapMeasure, rows):
    """Census for census measures; otherwise each row's monitoring-return status."""
    return "census" if option.census else rows["supported_status"]


def _hover_columns(option: MapMeasure) -> tuple[maps.HoverColumn, ...]:
    columns: list[maps.HoverColumn] = [
        ("carers_2021", "Carers (Census 2021)", "count"),
        ("population", "Residents (Census 2021)", "count"),
    ]
    if not option.census:
        columns += [
            ("supported_text", "Carers supported", "count"),
            ("reach", "Reach rate", "percent"),
        ]
    return tuple(columns)


def _map_sources(option: MapMeasure, frame: pd.DataFrame) -> list[str]:
    sources = ["ons-census-2021-ts039", "ons-census-2021-population"]
    if option.value in ("carers_2011", "change"):
        sources.append("ons-census-2011-unpaid-care")
    if not option.census:
        sources += _support_sources(frame)
    sources.append("ons-lad-boundaries")
    return sources


def _support_sources(frame: pd.DataFrame) -> list[str]:
    """Where the carers-supported figures shown come from (provider returns, demo), in order:
    every part's source, a figure added up from returns and demo months naming both (its
    status, demo, named only the demo data)."""
    shown = frame.loc[frame["supported"].notna(), "supported_parts"]
    parts = pd.DataFrame({"status": [status for each in shown for status in each]})
    return list(dict.fromkeys(monitoring_source(status) for status in statuses_of(parts)))


def _map_footnotes(
    option: MapMeasure,
    context: ViewContext,
    kent: pd.Series,
    colour_mode: str,
    geojson: dict | None,
    boundaries_available: bool,
    confidence: float,
) -> tuple[str, ...]:
    kent_value = formatting.format_value(
        kent[option.value], option.unit, decimals=_decimals(option)
    )
    notes = [f"Kent: {kent_value}."]
    if option.value == "reach" and context.filters.care_group:
        notes.append(GROUP_REACH_NOTE)
    if option.comparison:
        notes.append(
            f"Districts are compared with Kent {option.compared_as}, using "
            f"{_confidence_label(confidence)} Wilson score intervals: different only when the "
            "interval excludes Kent."
        )
    elif colour_mode == "comparison":
        notes.append(
            f"{option.label} is not compared with Kent, so districts show as not compared."
        )
    if option.value == "change":
        notes.append(
            "Not compared with Kent: the 2011 counts are derived from rounded percentages and "
            "the 2011 and 2021 census bases differ (all ages against aged 5+)."
        )
    if not option.census:
        notes.append(DEMO_SUM_NOTE)
    _highlight, partial = locality_districts(context.weights)
    if context.filters.locality:
        text = f"Thick outlines mark the districts of {context.place()}."
        if partial:
            names = ", ".join(sorted(context.district_names()[c] for c in partial))
            verb = "is" if len(partial) == 1 else "are"
            text += f" {names} {verb} only partly in it (thinner outline, marked “part”)."
        notes.append(text)
    if geojson is None and not boundaries_available:
        notes.append(BOUNDARY_FALLBACK)
    return tuple(notes)


# ------------------------------------------------------------------------------------------
# Funnel plot and ranked bars of the reach rate


def _reach_unavailable(
    key: str,
    title: str,
    data: ReachData,
    context: ViewContext,
    table: pd.DataFrame | None,
    base: ReachBase = REACH_BASES[DEFAULT_BASE],
) -> ChartSpec | None:
    """The reason there is no reach chart for this selection, or None if there is one."""
    subtitle = _reach_subtitle(data, context, base)
    if table is None or districts_only(table)["reach"].isna().all():
        message = NO_SUPPORT_DATA.format(period=_period_label(data, context))
        return unavailable_spec(key, title, subtitle, message)
    return None


def _reach_subtitle(
    data: ReachData, context: ViewContext, base: ReachBase = REACH_BASES[DEFAULT_BASE]
) -> str:
    census_base = CENSUS_CARERS_BASE + (" caring 50+ hours" if base.key_suffix else "")
    return context.subtitle(
        _measure_period(MAP_MEASURES["reach"], data, context),
        BASE_ALL_CARE_GROUPS,
        census_base,
    )


def _reach_table(frame: pd.DataFrame, base: ReachBase = REACH_BASES[DEFAULT_BASE]) -> pd.DataFrame:
    """The columns a reach chart shows, with the chosen base's rate as ``reach``."""
    chosen = frame.assign(**{f"reach{part}": frame[f"{base.prefix}{part}"] for part in RATE_PARTS})
    return chosen[
        [
            "code",
            "name",
            base.denominator,
            "supported",
            "reach",
            "reach_lower",
            "reach_upper",
            "reach_comparison",
            "supported_reason",
            "supported_suppressed",
            "supported_status",
            "supported_parts",
        ]
    ].assign(status=lambda frame: _figure_status(frame))


def _figure_status(frame: pd.DataFrame) -> pd.Series:
    """Each district's carers-supported status, none where it has no figure for the period (a
    district no return has come from is not demo data, and puts no demo mark on a chart)."""
    return frame["supported_status"].where(frame["supported"].notna())


RATE_PARTS = ("", "_lower", "_upper", "_comparison")


def reach_columns(base: ReachBase) -> tuple[Column, ...]:
    """The table of a reach chart against ``base``."""
    return (
        Column("name", "District"),
        Column(base.denominator, base.heading, "count"),
        Column("supported", "Carers supported", "count"),
        Column("reach", base.rate, "percent", RATE_DECIMALS),
        Column("reach_lower", "Lower limit", "percent", RATE_DECIMALS),
        Column("reach_upper", "Upper limit", "percent", RATE_DECIMALS),
        Column("reach_comparison", "Compared with Kent"),
        Column("status", "Status", "status"),
    )


REACH_COLUMNS = reach_columns(REACH_BASES[DEFAULT_BASE])


def _class_counts(frame: pd.DataFrame) -> str:
    counts = frame["reach_comparison"].value_counts()
    parts = [f"{counts[cls]} {cls}" for cls in ("better", "similar", "worse") if counts.get(cls, 0)]
    return ", ".join(parts)


def _reach_title(
    frame: pd.DataFrame, kent: pd.Series, context: ViewContext, base: ReachBase
) -> str:
    """Name how many districts reach more or fewer carers than Kent, the chosen ones first."""
    highlight, _partial = locality_districts(context.weights)
    finding = _reach_finding(frame, _kent_rate(kent, base, len(frame)), highlight, context)
    return _rate_prefix(context, base) + finding


def _kent_rate(kent: pd.Series, base: ReachBase, districts: int) -> str:
    """Kent's rate in words, saying so when it is that of the districts with a figure only."""
    rate = formatting.format_percent(kent[base.prefix], 1)
    reporting = kent["reporting_districts"]
    return rate if reporting >= districts else f"{rate} in the {reporting} districts reporting"


def _reach_finding(
    frame: pd.DataFrame, kent_text: str, highlight: set[str], context: ViewContext
) -> str:
    if highlight:
        chosen = frame[frame["code"].isin(highlight)]
        worse = chosen[chosen["reach_comparison"] == "worse"]["name"].tolist()
        better = chosen[chosen["reach_comparison"] == "better"]["name"].tolist()
        # A rate, not a count: a district of many carers can reach more of them at a lower rate.
        if worse:
            return (
                f"{_join(worse)} in {context.place()} {_verb(worse, 'has', 'have')} a lower "
                f"reach rate than Kent ({kent_text})"
            )
        if better:
            return (
                f"{_join(better)} in {context.place()} {_verb(better, 'has', 'have')} a higher "
                f"reach rate than Kent ({kent_text})"
            )
        return f"{context.place()}'s districts reach carers at a rate similar to Kent ({kent_text})"
    worse = frame[frame["reach_comparison"] == "worse"]
    if len(worse):
        lowest = worse.sort_values("reach").iloc[0]
        return (
            # Not after a colon: a rate set against carers caring 50+ hours, or a care group's,
            # is titled "Against carers caring 50+ hours: …".
            f"{lowest['name']} has the lowest reach rate, and {len(worse)} of 12 districts are "
            f"below Kent's {kent_text} ({_class_counts(frame)})"
        )
    return f"No district's reach rate is below Kent's {kent_text} ({_class_counts(frame)})"


def _ranking_finding(
    frame: pd.DataFrame, kent_text: str, highlight: set[str], context: ViewContext
) -> str:
    """The top district's rate, or where the chosen locality's districts rank (``frame`` sorted
    by rate, highest first)."""
    ranked = frame[frame["reach"].notna()]
    rates = ranked["reach"].map(lambda rate: formatting.format_percent(rate, 1))
    against = f"against {kent_text} for Kent"
    if not highlight:
        return f"{ranked['name'].iloc[0]} has the highest reach rate ({rates.iloc[0]}), {against}"
    places = [
        (name, f"{formatting.format_ordinal(place)} ({rate})")
        for place, (name, code, rate) in enumerate(
            zip(ranked["name"], ranked["code"], rates, strict=True), start=1
        )
        if code in highlight
    ]
    if not places:
        return f"No district of {context.place()} has a reach rate to rank, {against}"
    # As the map's title reads: "In Thanet & Dover: " made a second colon after a care group's.
    (name, rank), *rest = places
    ranks = _join([f"{name} ranks {rank}", *(f"{other} {place}" for other, place in rest)])
    return f"Of {context.place()}'s districts, {ranks} of {len(ranked)}, {against}"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _verb(names: list[str], one: str, several: str) -> str:
    """The verb agreeing with ``_join(names)``: "Thanet reaches", "Thanet and Dover reach"."""
    return one if len(names) == 1 else several


def hidden_supported(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with carers supported shown as "<5" or "[c]" where disclosure control hides it."""
    text = frame["supported_reason"].map({"primary": SUPPRESSED_TEXT, "secondary": SECONDARY_TEXT})
    hidden = frame["supported_suppressed"].astype(bool)
    supported = frame["supported"].astype(object).where(~hidden, text)
    return frame.assign(supported=supported)


def hide_supported(frame: pd.DataFrame) -> tuple[pd.DataFrame, bool, bool]:
    """The frame to show, and whether any count was hidden as small or as secondary."""
    reasons = frame["supported_reason"]
    return (
        hidden_supported(frame),
        bool((reasons == "primary").any()),
        bool((reasons == "secondary").any()),
    )


def _locality_note(context: ViewContext, marked: str) -> tuple[str, ...]:
    """How a chart marks the chosen locality's districts (``marked``), if one is chosen."""
    if not context.filters.locality:
        return ()
    return (f"The districts of {context.place()} {marked}.",)


def _reach_footnotes(
    context: ViewContext,
    confidence: float,
    suppressed: bool,
    secondary: bool,
    base: ReachBase = REACH_BASES[DEFAULT_BASE],
    limits_as_kent: str = "",
) -> tuple[str, ...]:
    notes = [HEAVY_BASE_NOTE] if base.key_suffix else []
    notes += [
        f"Classes use {_confidence_label(confidence)} Wilson score intervals around each "
        "district's rate: better or worse than Kent only when the interval excludes Kent "
        "(higher is better for carers supported, per the measure catalogue).",
        *([limits_as_kent] if limits_as_kent else []),
        DEMO_SUM_NOTE,
    ]
    if context.filters.care_group:
        notes.append(GROUP_REACH_NOTE)
    return tuple(notes) + suppression_footnotes(suppressed, secondary)


def limits_written_as_kent(frame: pd.DataFrame, kent_rate: float) -> str:
    """The note a table needs when a district classed better or worse has a limit written, to
    the table's one decimal place, as Kent's rate: "Ashford 10.9% (10.3% to 11.5%) worse"
    against Kent's 11.5% read as a wrong class. Empty when no limit is."""

    def written(rate: float) -> str:
        return formatting.format_percent(rate, RATE_DECIMALS)

    kent = written(kent_rate)
    classed = frame[frame["reach_comparison"].isin(("better", "worse"))]
    names = [
        row.name
        for row in classed.itertuples()
        if kent in (written(row.reach_lower), written(row.reach_upper))
    ]
    if not names:
        return ""
    return (
        f"Districts are compared with Kent on unrounded rates: the interval of {_join(names)} "
        f"stops just short of Kent's {kent}, though one of its limits is written as {kent} to "
        "one decimal place."
    )


def _rate_chart(
    data: ReachData,
    context: ViewContext,
    frame: pd.DataFrame,
    kent: pd.Series,
    base: ReachBase,
    confidence: float,
    *,
    key: str,
    title: str,
    figure: go.Figure,
    alt_text: str,
    notes: tuple[str, ...] = (),
) -> ChartSpec:
    """A chart of the districts' rates against ``base`` (the funnel, the ranking): what the two
    share, its table with hidden counts shown as such, its sources, statuses and notes."""
    shown, suppressed, secondary = hide_supported(frame)
    return context.chart(
        key=key,
        title=title,
        subtitle=_reach_subtitle(data, context, base),
        figure=figure,
        table=shown,
        columns=reach_columns(base),
        sources=[*_support_sources(frame), "ons-census-2021-ts039"],
        recorded=BASE_ALL_CARE_GROUPS,
        measure="carers-supported",
        statuses=("census", *statuses_of(frame)),
        key_column="reach",
        period_label=_period_label(data, context),
        footnotes=notes
        + _reach_footnotes(
            context,
            confidence,
            suppressed,
            secondary,
            base,
            limits_written_as_kent(frame, kent[base.prefix]),
        ),
        alt_text=alt_text,
    )


def reach_funnel(
    data: ReachData, context: ViewContext, confidence: float = 0.95, base: str = DEFAULT_BASE
) -> ChartSpec:
    """Reach rate against the base (Census 2021 carers, or those caring 50+ hours a week) with
    95% and 99.8% limits around Kent."""
    chosen = REACH_BASES.get(base, REACH_BASES[DEFAULT_BASE])
    key = "reach-funnel" + chosen.key_suffix
    title = f"{chosen.rate} against {chosen.heading[0].lower()}{chosen.heading[1:]}"
    table = district_table(data, context, confidence)
    reason = _reach_unavailable(key, title, data, context, table, chosen)
    if reason is not None:
        return reason
    frame = _reach_table(districts_only(table), chosen)
    kent = kent_row(table)
    low, high = frame[chosen.denominator].min(), frame[chosen.denominator].max()
    denominators = np.linspace(max(low * 0.8, 1.0), high * 1.1, 60)
    limits = stats.proportion_funnel(kent[chosen.prefix] / 100, denominators)
    highlight, _partial = locality_districts(context.weights)
    figure = figures.funnel(
        frame,
        limits,
        kent_rate=kent[chosen.prefix],
        highlight=highlight,
        statuses=statuses_of(frame),
        base_column=chosen.denominator,
        base_title=chosen.heading,
        rate_title=chosen.axis_title,
    )
    return _rate_chart(
        data,
        context,
        frame,
        kent,
        chosen,
        confidence,
        key=key,
        title=_reach_title(frame, kent, context, chosen),
        figure=figure,
        notes=(
            "Control limits are the Fingertips Wilson-score funnel limits around the Kent rate "
            "at 95% (about 2 standard deviations) and 99.8% (about 3).",
            *_locality_note(context, f"are marked {HIGHLIGHT_MARK.strip()} and drawn larger"),
        ),
        alt_text=(
            f"Funnel plot: each district's {chosen.rate.lower()} against its number of "
            f"{chosen.heading[0].lower()}{chosen.heading[1:]}, with the Kent rate and 95% and "
            "99.8% control limits."
        ),
    )


def reach_ranking(
    data: ReachData, context: ViewContext, confidence: float = 0.95, base: str = DEFAULT_BASE
) -> ChartSpec:
    """Districts ranked by reach rate (against the base) with Wilson intervals and Kent's rate."""
    chosen = REACH_BASES.get(base, REACH_BASES[DEFAULT_BASE])
    key = "reach-ranking" + chosen.key_suffix
    title = f"Districts ranked by {chosen.rate[0].lower()}{chosen.rate[1:]}"
    table = district_table(data, context, confidence)
    reason = _reach_unavailable(key, title, data, context, table, chosen)
    if reason is not None:
        return reason
    frame = _reach_table(districts_only(table), chosen).sort_values("reach", ascending=False)
    frame = frame.reset_index(drop=True)
    kent = kent_row(table)
    highlight, _partial = locality_districts(context.weights)
    figure = figures.ranked_bars(
        frame,
        kent_rate=kent[chosen.prefix],
        highlight=highlight,
        statuses=statuses_of(frame),
        rate_title=chosen.axis_title,
    )
    finding = _ranking_finding(frame, _kent_rate(kent, chosen, len(frame)), highlight, context)
    return _rate_chart(
        data,
        context,
        frame,
        kent,
        chosen,
        confidence,
        key=key,
        title=_rate_prefix(context, chosen) + finding,
        figure=figure,
        notes=_locality_note(context, "have their rows outlined"),
        alt_text=(
            f"Bar chart of the 12 districts ranked by {chosen.rate.lower()}, with interval "
            "whiskers and a line at the Kent rate."
        ),
    )


# ------------------------------------------------------------------------------------------
# District profile


def _contracts_for(code: str, context: ViewContext) -> list[str]:
    """Who held a contract covering the district (by its cas-2013 locality, or Kent-wide)."""
    reference = context.reference
    shares = reference.shares
    localities = set(
        shares[(shares["scheme"] == "cas-2013") & (shares["district_code"] == code)]["locality"]
    )
    contracts = reference.contracts
    covering = contracts[contracts["locality"].isin(localities) | contracts["locality"].isna()]
    providers = dict(zip(reference.providers["slug"], reference.providers["name"], strict=True))
    lines = dict(zip(reference.service_lines["slug"], reference.service_lines["name"], strict=True))
    described = []
    for row in covering.itertuples():
        start = _date_text(row.start, "start not stated")
        end = _date_text(row.end, "end not stated")
        described.append(
            f"{providers.get(row.provider, row.provider)}: {lines.get(row.service_line, '')} "
            f"({start} to {end})"
        )
    return described


def _date_text(value, missing: str) -> str:
    if value is None or pd.isna(value):
        return missing
    return pd.Timestamp(value).strftime("%b %Y")


def _spend(data: ReachData, code: str, year: str) -> float | None:
    rows = data.funding[
        (data.funding["status"] == "demo")
        & (data.funding["geography"] == code)
        & (data.funding["period"] == year)
    ]
    return float(rows["amount"].sum()) if len(rows) else None


def district_profile(
    data: ReachData, context: ViewContext, code: str, confidence: float = 0.95
) -> DistrictProfile | None:
    """The facts about one district shown beside the map; None for an unknown code."""
    if code not in context.districts:
        return None
    table = district_table(data, context, confidence)
    row = table[table["code"] == code].iloc[0]
    bands = {band: _census(data.census_carers, CENSUS_2021, band).get(code) for band in HOURS_BANDS}
    imd = data.imd_rank.set_index("geography")["value"].get(code)
    period = support_period(data, context)
    year = period["slug"][:7] if period is not None else None
    spend = _spend(data, code, year) if year else None
    supported_text = (
        SUPPRESSED_TEXT
        if row["supported_suppressed"]
        else formatting.format_count(row["supported"])
    )
    group = f" ({context.care_group_name()})" if context.filters.care_group else ""
    # No figure for the period: no status beside the dash (it is not demo data).
    supported_status = row["supported_status"] if pd.notna(row["supported"]) else None
    facts = [
        Fact("Residents (Census 2021)", formatting.format_count(row["population"]), "census"),
        Fact(
            "Unpaid carers (Census 2021)",
            f"{formatting.format_count(row['carers_2021'])} "
            f"({formatting.format_percent(row['share_2021'], 1)} of residents aged 5+)",
            "census",
        ),
        *(
            Fact(f"Caring {band} a week", formatting.format_count(value), "census")
            for band, value in bands.items()
        ),
        Fact(
            f"Carers supported, {_period_label(data, context)}{group}",
            supported_text,
            supported_status,
        ),
        Fact(
            f"Reach rate{group}" + (" ÷ all carers" if group else ""),
            _reach_text(row, confidence),
            supported_status,
        ),
        Fact(
            "Deprivation (IMD 2019)",
            f"{formatting.format_ordinal(imd)} most deprived of 317 districts",
            "census",
        ),
        Fact(
            f"Spend per head, {context.period_label(year) if year else ''}",
            _per_head(spend, row["population"]),
            "demo",
        ),
        Fact("Providers", "; ".join(_contracts_for(code, context)) or "none recorded"),
    ]
    notes = ["Spend per head is demo allocations to the district ÷ all residents (Census 2021)."]
    if context.filters.care_group:
        notes.append("Census figures are for all carers: the census does not split by care group.")
    return DistrictProfile(
        code=code,
        name=row["name"],
        facts=tuple(facts),
        notes=tuple(notes),
        sources=context.cite(
            [
                "ons-census-2021-ts039",
                "ons-census-2021-population",
                "mhclg-imd-2019",
                "demo-generator",
                "kcc-cas-contract-2013",
            ]
        ),
    )


def _reach_text(row: pd.Series, confidence: float) -> str:
    if pd.isna(row["reach"]):
        return "not available for this selection"
    versus = (
        "similar to" if row["reach_comparison"] == "similar" else f"{row['reach_comparison']} than"
    )
    return (
        f"{formatting.format_percent(row['reach'], 1)} ({_confidence_label(confidence)} interval "
        f"{formatting.format_percent(row['reach_lower'], 1)} to "
        f"{formatting.format_percent(row['reach_upper'], 1)}; {versus} Kent)"
    )


def _per_head(spend: float | None, population: float) -> str:
    if spend is None or not population:
        return "no allocation recorded"
    return f"£{spend / population:,.2f} (demo allocations {formatting.format_money(spend)})"


def district_choices(context: ViewContext) -> dict[str, str]:
    """Code -> name of the 12 districts, in name order, for the profile select."""
    return dict(sorted(context.district_names().items(), key=lambda item: item[1]))
