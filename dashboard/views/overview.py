"""Overview page: the headline cards and the plain-English summary for the current filters.

Pure functions from the repository's frames (``OverviewData``) and a ``ViewContext`` to card
contents, like every other page's view; the callback reads the frames.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import partial

import pandas as pd

from dashboard import formatting, screening
from dashboard.charts import ALL_CARE_GROUPS, BASE_ALL_CARE_GROUPS, BY_CARE_GROUP, care_group_tag
from dashboard.db.repository import FUNDING_MEASURE
from dashboard.disclosure import SUPPRESSED_TEXT, is_small_count
from dashboard.filters import FilterChoices, Filters, describe, to_query
from dashboard.rules import (
    Resolved,
    funding_by_kind,
    latest_available,
    resolve_count,
    yearly_series,
)
from dashboard.theme import status_words
from dashboard.views.common import ViewContext

CENSUS_2021, CENSUS_2011 = "census-2021", "census-2011"
CENSUS_CARERS_BASE = "Census 2021 carers"


@dataclass(frozen=True)
class OverviewData:
    """The repository frames the headlines read (the callback loads them)."""

    census_carers: pd.DataFrame
    carers_supported: pd.DataFrame
    funding: pd.DataFrame
    short_break_hours: pd.DataFrame
    admissions_prevented: pd.DataFrame


@dataclass(frozen=True)
class Headline:
    """One headline card: the figure, its provenance, and its trend."""

    key: str
    title: str
    value_text: str
    status: str | None
    period_label: str
    citation: str
    detail: str = ""
    note: str = ""
    change_text: str = ""
    trend: pd.DataFrame | None = None
    href: str = ""
    care_group_basis: str = ""  # as ChartSpec.care_group_basis
    care_group_line: str = ""  # the chosen care group, or the tag saying the figure is for all
    chosen_year: str = ""  # the trend's year holding a chosen period, marked on the sparkline


def period_row(periods: pd.DataFrame, slug: str) -> pd.Series:
    """The period table row for ``slug`` (slug, kind, label, start, end)."""
    rows = periods[periods["slug"] == slug]
    if rows.empty:
        raise KeyError(f"unknown period {slug!r}")
    return rows.iloc[0]


def year_of(slug: str) -> str:
    """The financial year containing a regular period slug."""
    return slug[:7]


def hide_small_counts(trend: pd.DataFrame) -> pd.DataFrame:
    """A trend of counts of people with each count of 1 to 4 taken out (``value`` missing) and
    marked ``hidden``: its sparkline leaves a gap and its table shows "<5"."""
    hidden = trend["value"].map(is_small_count).astype(bool)
    return trend.assign(value=trend["value"].where(~hidden), hidden=hidden)


def value_text(resolved: Resolved, unit: str) -> str:
    if not resolved.available:
        return "Not available"
    return formatting.format_value(resolved.value, unit, qualifier=resolved.qualifier or None)


def change_text(trend: pd.DataFrame, period: str) -> str:
    """Change from the previous year in the trend, naming both years' statuses if they differ."""
    if trend is None or trend.empty or period not in set(trend["period"]):
        return ""
    position = trend.index[trend["period"] == period][0]
    if position == trend.index[0]:
        return ""
    current, previous = trend.loc[position], trend.loc[position - 1]
    # A hidden count (``hide_small_counts``) has no change: it would give the count away.
    if pd.isna(current["value"]) or pd.isna(previous["value"]) or not previous["value"]:
        return ""
    change = 100 * (current["value"] - previous["value"]) / previous["value"]
    # A change under half a percent to one decimal: "0% on 2023/24" read as no change.
    decimals = 1 if 0 < abs(change) < 0.5 else 0
    text = f"{formatting.format_change(change, decimals)} on {previous['label']}"
    if current["status"] != previous["status"]:
        text += (
            f" ({status_words(previous['status'])} to {status_words(current['status'])}: "
            "compare with care)"
        )
    return text


def count_headline(
    *,
    key: str,
    title: str,
    frame: pd.DataFrame,
    periods: pd.DataFrame,
    period: str,
    filters: Filters,
    weights: pd.Series | None,
    districts: Collection[str],
    unit: str,
    citations: dict[str, str],
    category: str | None = "",
    href: str = "",
    counts_people: bool = False,
) -> Headline:
    """A headline for a count measure in a period, with its yearly trend and change.

    ``counts_people``: counts of 1 to 4 (the figure or a year of its trend) are shown as "<5",
    as everywhere else, with no change from the year before."""
    row = period_row(periods, period)
    rule = {"filters": filters, "weights": weights, "category": category, "districts": districts}
    resolved = resolve_count(frame, period=row, **rule)
    trend = yearly_series(frame, periods[periods["kind"] == "year"], **rule)
    hidden = counts_people and resolved.available and is_small_count(resolved.value)
    if counts_people:
        trend = hide_small_counts(trend)
    note = resolved.unavailable or resolved.note
    if resolved.alternatives:
        others = ", ".join(formatting.format_value(v, unit) for v in resolved.alternatives)
        note = f"Also published for this period: {others} (see data-quality notes)."
    return Headline(
        key=key,
        title=title,
        value_text=SUPPRESSED_TEXT if hidden else value_text(resolved, unit),
        status=resolved.status,
        period_label=row["label"],
        citation=_citation(resolved, citations),
        note=note,
        change_text=change_text(trend, period) if resolved.available and not hidden else "",
        trend=trend,
        href=href,
    )


def funding_headline(
    funding: pd.DataFrame,
    *,
    periods: pd.DataFrame,
    year: str,
    weights: pd.Series | None,
    citations: dict[str, str],
    href: str = "",
) -> Headline:
    """Annual investment with the council/NHS split for a financial year."""
    split = funding_by_kind(funding, period_slug=year, weights=weights)
    total = split["total"]
    detail = ""
    if split["council"].available and split["nhs"].available and total.value:
        council, nhs = split["council"].value, split["nhs"].value
        detail = (
            f"KCC {formatting.format_money(council)} ({100 * council / total.value:.0f}%) · "
            f"NHS {formatting.format_money(nhs)} ({100 * nhs / total.value:.0f}%)"
        )
    trend_rows = []
    by_year = dict(tuple(funding.groupby("period", sort=False)))  # one split, not one per year
    for year_row in periods[periods["kind"] == "year"].sort_values("start").itertuples():
        rows = by_year.get(year_row.slug, funding.iloc[:0])
        resolved = funding_by_kind(rows, period_slug=year_row.slug, weights=weights)["total"]
        if resolved.available:
            trend_rows.append(
                {
                    "period": year_row.slug,
                    "label": year_row.label,
                    "value": resolved.value,
                    "status": resolved.status,
                    "qualifier": resolved.qualifier,
                }
            )
    trend = pd.DataFrame(trend_rows, columns=["period", "label", "value", "status", "qualifier"])
    return Headline(
        key="investment",
        title="Annual investment in carers' services",
        value_text=value_text(total, "gbp"),
        status=total.status,
        period_label=period_row(periods, year)["label"],
        citation=_citation(total, citations),
        detail=detail,
        note=total.unavailable,
        change_text=change_text(trend, year) if total.available else "",
        trend=trend,
        href=href,
    )


# Carers supported are distinct carers in a quarter: a year of returns adds up four quarters.
SUMMED_QUARTERS_NOTE = (
    "Added up from quarterly returns: a carer supported in more than one quarter is counted "
    "in each, so the year's figure and its reach rate overstate the carers reached."
)


def reach_headline(
    supported: Headline,
    carers: Resolved,
    supported_value: Resolved,
    citations: dict[str, str],
    period_kind: str,
    one_group: bool = False,
) -> Headline:
    """Carers reached in the period as a share of Census 2021 carers; a figure added up from
    quarterly returns (not published as one) says what that means. ``one_group``: the carers
    supported are one care group's, set against carers of every group (the Census records no
    care group), which the rate says."""
    if supported.value_text == SUPPRESSED_TEXT:
        rate_text = "Reach rate not shown: it would give away a count under 5"
    elif not (supported_value.available and carers.available and carers.value):
        rate_text = "Reach rate not available"
    elif screening.exceeds(pd.Series([supported_value.value]), pd.Series([carers.value])).any():
        # As /reach leaves such a district out: a data-quality problem, not a rate.
        rate_text = (
            "Reach rate not shown: more carers supported than Census 2021 carers, a data-quality "
            "problem (see Data and methods)"
        )
    else:
        rate = formatting.format_percent(100 * supported_value.value / carers.value, decimals=1)
        rate_text = f"Reach rate {rate} of {'all ' if one_group else ''}Census 2021 carers"
    summed = (
        supported_value.available
        and period_kind != "quarter"
        and supported_value.status != "published"
    )
    return Headline(
        key=supported.key,
        title=supported.title,
        value_text=supported.value_text,
        status=supported.status,
        period_label=supported.period_label,
        citation=supported.citation + "; " + _citation(carers, citations),
        detail=rate_text,
        note=" ".join(filter(None, (supported.note, summed and SUMMED_QUARTERS_NOTE))),
        change_text=supported.change_text,
        trend=supported.trend,
        href=supported.href,
    )


def _citation(resolved: Resolved, citations: dict[str, str]) -> str:
    return "; ".join(citations.get(source, source) for source in resolved.sources)


def card_period(frame: pd.DataFrame, periods: pd.DataFrame, filters: Filters) -> str:
    """The chosen period, or "latest available" for this card: the latest year it has data for."""
    return filters.period or latest_available(frame["period"], periods)


def build_headlines(data: OverviewData, context: ViewContext) -> list[Headline]:
    """The overview's headline cards, in reading order."""
    reference, filters = context.reference, context.filters
    periods = reference.periods
    query = to_query(filters)  # each card's "More detail" opens its page for these filters

    def citations(measure: str) -> dict[str, str]:
        """Each source's citation with its publication or load date for ``measure``."""
        return {
            row.slug: context.data_date.cite(row.slug, [measure], row.citation)
            for row in reference.sources.itertuples()
        }

    weights, districts = context.weights, context.districts
    measures = reference.measures
    people = set(measures.loc[measures["counts_people"].astype(bool), "slug"])
    common = {"periods": periods, "filters": filters, "weights": weights, "districts": districts}
    # The Census does not record who carers care for: its figures are always for all groups.
    all_groups = replace(filters, care_group=None)
    census = data.census_carers
    census_2021, census_2011 = (
        resolve_count(
            census,
            period=period_row(periods, slug),
            filters=all_groups,
            weights=weights,
            districts=districts,
        )
        for slug in (CENSUS_2021, CENSUS_2011)
    )
    carers = count_headline(
        key="carers",
        title="Unpaid carers (Census 2021)",
        frame=census,
        period=CENSUS_2021,
        unit="count",
        href=f"/reach{query}",
        citations=citations("census-carers"),
        **{**common, "filters": all_groups},
    )
    carers = replace(
        carers,
        detail="Census 2011: "
        + (
            formatting.format_count(census_2011.value) if census_2011.available else "not available"
        ),
        trend=None,
    )
    supported_frame = data.carers_supported
    period = card_period(supported_frame, periods, filters)
    supported = count_headline(
        key="reach",
        title="Carers supported by services",
        frame=supported_frame,
        period=period,
        unit="count",
        href=f"/reach{query}",
        citations=citations("carers-supported"),
        counts_people="carers-supported" in people,
        **common,
    )
    supported_value = resolve_count(
        supported_frame,
        period=period_row(periods, period),
        filters=filters,
        weights=weights,
        districts=districts,
    )
    funding, hours, admissions = data.funding, data.short_break_hours, data.admissions_prevented
    tagged = partial(_care_group_line, filters=filters, choices=reference.filter_choices())
    return [
        tagged(
            funding_headline(
                funding,
                periods=periods,
                year=year_of(card_period(funding, periods, filters)),
                weights=weights,
                citations=citations(FUNDING_MEASURE),
                href=f"/funding{query}",
            ),
            ALL_CARE_GROUPS,
        ),
        tagged(carers, ALL_CARE_GROUPS),
        tagged(
            reach_headline(
                supported,
                census_2021,
                supported_value,
                citations("census-carers"),
                period_row(periods, period)["kind"],
                one_group=bool(filters.care_group),
            ),
            BASE_ALL_CARE_GROUPS,
        ),
        tagged(
            count_headline(
                key="short-break-hours",
                title="Short-break hours delivered",
                frame=hours,
                period=card_period(hours, periods, filters),
                unit="hours",
                category=None,
                href=f"/short-breaks{query}",
                citations=citations("short-break-hours"),
                **common,
            ),
            BY_CARE_GROUP,
        ),
        tagged(
            count_headline(
                key="admissions-prevented",
                title="Emergency admissions prevented",
                frame=admissions,
                period=card_period(admissions, periods, filters),
                unit="count",
                href=f"/short-breaks{query}",
                citations=citations("admissions-prevented"),
                counts_people="admissions-prevented" in people,
                **common,
            ),
            BY_CARE_GROUP,
        ),
    ]


def _care_group_line(
    headline: Headline, recorded: str, *, filters: Filters, choices: FilterChoices
) -> Headline:
    """The headline with the line saying whose figure it is, when a care group is chosen, and
    the year of a chosen period to mark on its trend."""
    if filters.period and headline.trend is not None:
        headline = replace(headline, chosen_year=year_of(filters.period))
    if not filters.care_group:
        return headline
    tag = care_group_tag(recorded, filters.care_group, CENSUS_CARERS_BASE)
    group = choices.care_groups[filters.care_group]
    line = tag if recorded == ALL_CARE_GROUPS else " · ".join(part for part in (group, tag) if part)
    return replace(headline, care_group_basis=recorded, care_group_line=line)


def summary_text(headlines: list[Headline], filters: Filters, choices: FilterChoices) -> str:
    """A plain-English sentence or two describing the current selection."""
    by_key = {h.key: h for h in headlines}
    scope = describe(filters, choices)
    parts = [f"Showing {scope}."]
    investment = by_key["investment"]
    if investment.status:
        whose = f" ({investment.care_group_line})" if investment.care_group_line else ""
        parts.append(
            f"Investment{whose} in {investment.period_label} was {investment.value_text}"
            + (f" ({investment.detail})" if investment.detail else "")
            + f", {status_words(investment.status)} data."
        )
    reach = by_key["reach"]
    if reach.status:
        whose, rate = "", f"{reach.detail[0].lower()}{reach.detail[1:]}"
        if filters.care_group:
            whose = f" in the {choices.care_groups[filters.care_group]} care group"
            # "... of Census 2021 carers for all care groups: not recorded by care group"
            base = care_group_tag(BASE_ALL_CARE_GROUPS, filters.care_group, "")
            rate = f"{rate} {base.strip()}"
        parts.append(
            f"Services supported {reach.value_text} carers{whose} in {reach.period_label} "
            f"({rate}), {status_words(reach.status)} data."
        )
    return " ".join(parts)
