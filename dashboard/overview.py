"""Assemble the overview's headlines from the repository for a set of filters."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from dashboard import formatting
from dashboard.charts import ALL_CARE_GROUPS, BASE_ALL_CARE_GROUPS, BY_CARE_GROUP, care_group_tag
from dashboard.db.repository import Repository
from dashboard.filters import FilterChoices, Filters, describe
from dashboard.headlines import (
    Headline,
    count_headline,
    funding_headline,
    period_row,
    reach_headline,
    year_of,
)
from dashboard.transforms import latest_year, locality_weights, resolve_count

CENSUS_2021, CENSUS_2011 = "census-2021", "census-2011"
CENSUS_CARERS_BASE = "Census 2021 carers"


def default_period(repo: Repository, filters: Filters) -> str:
    """The chosen period, or the latest financial year with monitoring returns."""
    if filters.period:
        return filters.period
    reference = repo.reference()
    return latest_year(repo.observations("carers-supported"), reference.periods)


def build_headlines(repo: Repository, filters: Filters) -> list[Headline]:
    """The overview's headline cards, in reading order."""
    reference = repo.reference()
    periods = reference.periods
    citations = dict(zip(reference.sources["slug"], reference.sources["citation"], strict=True))
    weights = locality_weights(reference.shares, filters)
    period = default_period(repo, filters)
    common = {"periods": periods, "filters": filters, "weights": weights, "citations": citations}
    # The Census does not record who carers care for: its figures are always for all groups.
    all_groups = replace(filters, care_group=None)
    census = repo.observations("census-carers")
    census_2021 = resolve_count(
        census, period=period_row(periods, CENSUS_2021), filters=all_groups, weights=weights
    )
    census_2011 = resolve_count(
        census, period=period_row(periods, CENSUS_2011), filters=all_groups, weights=weights
    )
    carers = count_headline(
        key="carers",
        title="Unpaid carers (Census 2021)",
        frame=census,
        period=CENSUS_2021,
        unit="count",
        href="/reach",
        **{**common, "filters": all_groups},
    )
    carers = Headline(
        **{
            **carers.__dict__,
            "detail": "Census 2011: "
            + (
                formatting.format_count(census_2011.value)
                if census_2011.available
                else "not available"
            ),
            "trend": None,
        }
    )
    supported = count_headline(
        key="reach",
        title="Carers supported by services",
        frame=repo.observations("carers-supported"),
        period=period,
        unit="count",
        href="/reach",
        **common,
    )
    supported_value = resolve_count(
        repo.observations("carers-supported"),
        period=period_row(periods, period),
        filters=filters,
        weights=weights,
    )
    choices = reference.filter_choices()
    tagged = partial(_care_group_line, filters=filters, choices=choices)
    return [
        tagged(
            funding_headline(
                repo.funding(),
                periods=periods,
                year=year_of(period),
                weights=weights,
                citations=citations,
                href="/funding",
            ),
            ALL_CARE_GROUPS,
        ),
        tagged(carers, ALL_CARE_GROUPS),
        tagged(
            reach_headline(supported, census_2021, supported_value, citations),
            BASE_ALL_CARE_GROUPS,
        ),
        tagged(
            count_headline(
                key="short-break-hours",
                title="Short-break hours delivered",
                frame=repo.observations("short-break-hours"),
                period=period,
                unit="hours",
                category=None,
                href="/short-breaks",
                **common,
            ),
            BY_CARE_GROUP,
        ),
        tagged(
            count_headline(
                key="admissions-prevented",
                title="Emergency admissions prevented",
                frame=repo.observations("admissions-prevented"),
                period=period,
                unit="count",
                href="/short-breaks",
                **common,
            ),
            BY_CARE_GROUP,
        ),
    ]


def _care_group_line(
    headline: Headline, recorded: str, *, filters: Filters, choices: FilterChoices
) -> Headline:
    """The headline with the line saying whose figure it is, when a care group is chosen."""
    if not filters.care_group:
        return headline
    tag = care_group_tag(recorded, filters.care_group, CENSUS_CARERS_BASE)
    group = choices.care_groups[filters.care_group]
    line = tag if recorded == ALL_CARE_GROUPS else " · ".join(part for part in (group, tag) if part)
    return replace(headline, care_group_basis=recorded, care_group_line=line)


def _census_change(census_2021, census_2011) -> dict:
    """The 2011 figure and the change to 2021, with the difference in the two counts' bases."""
    if not census_2011.available:
        return {"detail": "Census 2011: not available", "trend": None}
    detail = f"Census 2011: {formatting.format_count(census_2011.value)}"
    change = ""
    if census_2021.available and census_2011.value:
        percent = 100 * (census_2021.value - census_2011.value) / census_2011.value
        change = (
            f"{formatting.format_change(percent)} since 2011 (2021 counts carers aged 5+, "
            "2011 all ages: compare with care)"
        )
    return {"detail": detail, "change_text": change, "trend": None}


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
            + f", {investment.status} data."
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
            f"({rate}), {reach.status} data."
        )
    return " ".join(parts)
