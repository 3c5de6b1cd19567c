"""Assemble the overview's headlines from the repository for a set of filters."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd

from dashboard import formatting
from dashboard.charts import ALL_CARE_GROUPS, BASE_ALL_CARE_GROUPS, BY_CARE_GROUP, care_group_tag
from dashboard.data_dates import DataDates
from dashboard.db.repository import FUNDING_MEASURE, Repository
from dashboard.filters import FilterChoices, Filters, describe
from dashboard.headlines import (
    Headline,
    count_headline,
    funding_headline,
    period_row,
    reach_headline,
    year_of,
)
from dashboard.theme import status_words
from dashboard.transforms import latest_available, locality_weights, resolve_count

CENSUS_2021, CENSUS_2011 = "census-2021", "census-2011"
CENSUS_CARERS_BASE = "Census 2021 carers"


def card_period(frame: pd.DataFrame, periods: pd.DataFrame, filters: Filters) -> str:
    """The chosen period, or "latest available" for this card: the latest year it has data for."""
    return filters.period or latest_available(frame["period"], periods)


def build_headlines(repo: Repository, filters: Filters) -> list[Headline]:
    """The overview's headline cards, in reading order."""
    reference = repo.reference()
    periods = reference.periods
    dates = DataDates.from_frames(reference.sources, repo.load_dates())

    def citations(measure: str) -> dict[str, str]:
        """Each source's citation with its publication or load date for ``measure``."""
        return {
            row.slug: dates.cite(row.slug, [measure], row.citation)
            for row in reference.sources.itertuples()
        }

    weights = locality_weights(reference.shares, filters)
    common = {"periods": periods, "filters": filters, "weights": weights}
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
        citations=citations("census-carers"),
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
    supported_frame = repo.observations("carers-supported")
    period = card_period(supported_frame, periods, filters)
    supported = count_headline(
        key="reach",
        title="Carers supported by services",
        frame=supported_frame,
        period=period,
        unit="count",
        href="/reach",
        citations=citations("carers-supported"),
        **common,
    )
    supported_value = resolve_count(
        supported_frame,
        period=period_row(periods, period),
        filters=filters,
        weights=weights,
    )
    funding = repo.funding()
    hours = repo.observations("short-break-hours")
    admissions = repo.observations("admissions-prevented")
    choices = reference.filter_choices()
    tagged = partial(_care_group_line, filters=filters, choices=choices)
    return [
        tagged(
            funding_headline(
                funding,
                periods=periods,
                year=year_of(card_period(funding, periods, filters)),
                weights=weights,
                citations=citations(FUNDING_MEASURE),
                href="/funding",
            ),
            ALL_CARE_GROUPS,
        ),
        tagged(carers, ALL_CARE_GROUPS),
        tagged(
            reach_headline(supported, census_2021, supported_value, citations("census-carers")),
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
                href="/short-breaks",
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
                href="/short-breaks",
                citations=citations("admissions-prevented"),
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
