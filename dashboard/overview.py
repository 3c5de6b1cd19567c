"""Assemble the overview's headlines from the repository for a set of filters."""

from __future__ import annotations

import pandas as pd

from dashboard import formatting
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
    census = repo.observations("census-carers")
    census_2021 = resolve_count(
        census, period=period_row(periods, CENSUS_2021), filters=filters, weights=weights
    )
    census_2011 = resolve_count(
        census, period=period_row(periods, CENSUS_2011), filters=filters, weights=weights
    )
    carers = count_headline(
        key="carers",
        title="Unpaid carers (Census 2021)",
        frame=census,
        period=CENSUS_2021,
        unit="count",
        href="/reach",
        citations=citations("census-carers"),
        **common,
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
    return [
        funding_headline(
            funding,
            periods=periods,
            year=year_of(card_period(funding, periods, filters)),
            weights=weights,
            citations=citations(FUNDING_MEASURE),
            href="/funding",
        ),
        carers,
        reach_headline(supported, census_2021, supported_value, citations("census-carers")),
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
    ]


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
        parts.append(
            f"Investment in {investment.period_label} was {investment.value_text}"
            + (f" ({investment.detail})" if investment.detail else "")
            + f", {status_words(investment.status)} data."
        )
    reach = by_key["reach"]
    if reach.status:
        parts.append(
            f"Services supported {reach.value_text} carers in {reach.period_label} "
            f"({reach.detail[0].lower()}{reach.detail[1:]}), {status_words(reach.status)} data."
        )
    return " ".join(parts)
