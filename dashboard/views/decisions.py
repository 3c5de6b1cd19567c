"""The Decisions list: the events matching the page's filters, as a card with its table and CSV."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import events
from dashboard.charts import ChartSpec, Column, unavailable_spec
from dashboard.data_dates import format_date
from dashboard.views.common import ViewContext

KEY = "decisions-list"
TITLE = "Decisions and contract events"


def service_line_names(context: ViewContext) -> dict[str, str]:
    lines = context.reference.service_lines
    return dict(zip(lines["slug"], lines["name"], strict=True))


def locality_names(context: ViewContext) -> dict[str, str]:
    return events.locality_names(context.reference.geographies, context.reference.schemes)


def describe_filter(chosen: events.EventFilter, context: ViewContext) -> str:
    """The filters in words, for the card's subtitle and the CSV."""
    parts = [
        events.KIND_LABELS[chosen.kind] if chosen.kind else "All kinds",
        service_line_names(context).get(chosen.service_line, "All service lines")
        if chosen.service_line
        else "All service lines",
        locality_names(context).get(chosen.locality, "All of Kent")
        if chosen.locality
        else "All of Kent",
    ]
    if chosen.start and chosen.end:
        parts.append(f"{chosen.start.isoformat()} to {chosen.end.isoformat()}")
    elif chosen.start:
        parts.append(f"from {chosen.start.isoformat()}")
    elif chosen.end:
        parts.append(f"up to {chosen.end.isoformat()}")
    # The dashboard's care group and period do not narrow the list: said, not left to be guessed.
    if context.filters.care_group:
        parts.append("every care group (events are not recorded by care group)")
    if context.filters.period:
        parts.append("the dates chosen here, not the period filter")
    return " · ".join(parts)


def decisions_card(
    all_events: pd.DataFrame, chosen: events.EventFilter, context: ViewContext
) -> ChartSpec:
    """The events matching ``chosen``, newest first, with status and citation for each."""
    subtitle = describe_filter(chosen, context)
    if chosen.start and chosen.end and chosen.start > chosen.end:
        return unavailable_spec(
            KEY, TITLE, subtitle, "No events: the From date is after the To date."
        )
    shown = events.filtered(all_events, chosen, context.reference.shares)
    if shown.empty:
        return unavailable_spec(KEY, TITLE, subtitle, "No events match these filters.")
    table = events.describe_rows(
        shown, service_line_names(context), locality_names(context), context.citations
    )
    first, last = shown["event_date"].min(), shown["event_date"].max()
    sources = [source for source in shown["source"].dropna().unique()]
    return context.chart(
        key=KEY,
        title=f"{_events_count(len(table))}, {_years(first, last)}",
        subtitle=subtitle,
        figure=None,
        table=table,
        columns=tuple(Column(key, label) for key, label in events.LIST_COLUMNS.items()),
        sources=sources,
        # Published events carry the figures' Published status; the rest are in the table.
        statuses=("published",) if (shown["status"] == "published").any() else (),
        period_label=f"{format_date(first)} to {format_date(last)}",
    )


def _events_count(number: int) -> str:
    """The count in words: "1 decision or contract event", "4 decisions and contract events"."""
    if number == 1:
        return "1 decision or contract event"
    return f"{number} decisions and contract events"


def _years(first: date, last: date) -> str:
    return f"{first:%Y}" if first.year == last.year else f"{first:%Y} to {last:%Y}"


def event_filter(
    kind: str | None,
    service_line: str | None,
    locality: str | None,
    start: str | None,
    end: str | None,
) -> events.EventFilter:
    """The filter from the page's controls; a date that is not YYYY-MM-DD is ignored."""
    return events.EventFilter(
        kind=events.as_filter_value(kind),
        service_line=events.as_filter_value(service_line),
        locality=events.as_filter_value(locality),
        start=_date_or_none(start),
        end=_date_or_none(end),
    )


def _date_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None
