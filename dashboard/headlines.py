"""The overview's headline figures: pure functions from repository frames to card contents."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import formatting
from dashboard.filters import Filters
from dashboard.theme import status_words
from dashboard.transforms import Resolved, funding_by_kind, resolve_count, yearly_series


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


def period_row(periods: pd.DataFrame, slug: str) -> pd.Series:
    """The period table row for ``slug`` (slug, kind, label, start, end)."""
    rows = periods[periods["slug"] == slug]
    if rows.empty:
        raise KeyError(f"unknown period {slug!r}")
    return rows.iloc[0]


def year_of(slug: str) -> str:
    """The financial year containing a regular period slug."""
    return slug[:7]


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
    if not previous["value"]:
        return ""
    change = 100 * (current["value"] - previous["value"]) / previous["value"]
    text = f"{formatting.format_change(change)} on {previous['label']}"
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
    unit: str,
    citations: dict[str, str],
    category: str | None = "",
    href: str = "",
) -> Headline:
    """A headline for a count measure in a period, with its yearly trend and change."""
    row = period_row(periods, period)
    resolved = resolve_count(frame, period=row, filters=filters, weights=weights, category=category)
    years = periods[periods["kind"] == "year"]
    trend = yearly_series(frame, years, filters=filters, weights=weights, category=category)
    note = resolved.unavailable or resolved.note
    if resolved.alternatives:
        others = ", ".join(formatting.format_value(v, unit) for v in resolved.alternatives)
        note = f"Also published for this period: {others} (see data-quality notes)."
    return Headline(
        key=key,
        title=title,
        value_text=value_text(resolved, unit),
        status=resolved.status,
        period_label=row["label"],
        citation=_citation(resolved, citations),
        note=note,
        change_text=change_text(trend, period) if resolved.available else "",
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
    for year_row in periods[periods["kind"] == "year"].sort_values("start").itertuples():
        resolved = funding_by_kind(funding, period_slug=year_row.slug, weights=weights)["total"]
        if resolved.available:
            trend_rows.append(
                {
                    "period": year_row.slug,
                    "label": year_row.label,
                    "value": resolved.value,
                    "status": resolved.status,
                }
            )
    trend = pd.DataFrame(trend_rows, columns=["period", "label", "value", "status"])
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


def reach_headline(
    supported: Headline, carers: Resolved, supported_value: Resolved, citations: dict[str, str]
) -> Headline:
    """Carers reached in the period as a share of Census 2021 carers."""
    if not (supported_value.available and carers.available and carers.value):
        rate_text = "Reach rate not available"
    else:
        rate = formatting.format_percent(100 * supported_value.value / carers.value, decimals=1)
        rate_text = f"Reach rate {rate} of Census 2021 carers"
    return Headline(
        key=supported.key,
        title=supported.title,
        value_text=supported.value_text,
        status=supported.status,
        period_label=supported.period_label,
        citation=supported.citation + "; " + _citation(carers, citations),
        detail=rate_text,
        note=supported.note,
        change_text=supported.change_text,
        trend=supported.trend,
        href=supported.href,
    )


def _citation(resolved: Resolved, citations: dict[str, str]) -> str:
    return "; ".join(citations.get(source, source) for source in resolved.sources)
