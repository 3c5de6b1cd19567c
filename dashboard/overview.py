"""Assemble the overview's headlines from the repository for a set of filters."""

from __future__ import annotations

from dashboard import formatting
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
from dashboard.theme import status_words
from dashboard.transforms import latest_year, locality_weights, resolve_count

CENSUS_2021, CENSUS_2011 = "census-2021", "census-2011"


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
    return [
        funding_headline(
            repo.funding(),
            periods=periods,
            year=year_of(period),
            weights=weights,
            citations=citations,
            href="/funding",
        ),
        carers,
        reach_headline(supported, census_2021, supported_value, citations),
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
        count_headline(
            key="admissions-prevented",
            title="Emergency admissions prevented",
            frame=repo.observations("admissions-prevented"),
            period=period,
            unit="count",
            href="/short-breaks",
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
