"""Decisions and contract events: checking what an editor types, and choosing the events a chart
or the Decisions list shows.

Pure: frames and plain values in, frames and plain values out (no Dash, Flask or database).
An event frame has the columns of ``EVENT_COLUMNS``; ``service_lines`` and ``localities`` hold
``;``-separated slugs, or nothing for all.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from dashboard.data_dates import format_date
from dashboard.filters import ALL  # a menu's "all kinds", "all service lines"
from dashboard.rules import concerns_place

# What an editor enters for an event (and what its audit records).
EVENT_FIELDS = (
    "event_date",
    "kind",
    "title",
    "description",
    "service_lines",
    "localities",
    "paper_url",
    "source",
    "citation",
)
EVENT_COLUMNS = [
    "id",
    *EVENT_FIELDS,
    "status",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
]
KIND_LABELS = {
    "jcg-decision": "JCG decision",
    "contract-start": "Contract start",
    "contract-end": "Contract end",
    "contract-variation": "Contract variation",
    "policy-change": "Policy change",
}
STATUS_LABELS = {
    "published": "Published",
    "recorded": "Recorded on screen (not published)",
}
RECORDED = "recorded"
TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 1000
CITATION_LIMIT = 500
URL_LIMIT = 500
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def slugs(text: str | None) -> tuple[str, ...]:
    """The slugs of a ``;``-separated column; empty for all."""
    if not isinstance(text, str):  # None, or NaN in a frame
        return ()
    return tuple(part.strip() for part in text.split(";") if part.strip())


@dataclass(frozen=True)
class EventChoices:
    """What an event may name: service lines and localities (slug -> name), sources."""

    service_lines: Mapping[str, str]
    localities: Mapping[str, str]
    sources: Collection[str]


def check_event(form: Mapping[str, object], choices: EventChoices) -> tuple[dict, dict[str, str]]:
    """An event's values from a form, and a message per field that is wrong (empty when valid).

    ``service_lines`` and ``localities`` are lists of slugs (none chosen means all).
    """
    errors: dict[str, str] = {}

    def text(field: str) -> str:
        value = form.get(field) or ""
        return " ".join(str(value).split()) if field != "description" else str(value).strip()

    values: dict = {}
    values["event_date"], problem = _checked_date(text("event_date"))
    if problem:
        errors["event_date"] = problem
    values["kind"] = text("kind")
    if values["kind"] not in KIND_LABELS:
        errors["kind"] = "Kind: choose one of " + ", ".join(KIND_LABELS.values()) + "."
    values["title"] = text("title")
    if not values["title"]:
        errors["title"] = "Title: a title is required."
    elif len(values["title"]) > TITLE_LIMIT:
        errors["title"] = f"Title: at most {TITLE_LIMIT} characters."
    values["description"] = text("description")
    if len(values["description"]) > DESCRIPTION_LIMIT:
        errors["description"] = f"Description: at most {DESCRIPTION_LIMIT:,} characters."
    for field, allowed, label in (
        ("service_lines", choices.service_lines, "Service lines"),
        ("localities", choices.localities, "Localities"),
    ):
        values[field], problem = _checked_slugs(form.get(field), allowed, label)
        if problem:
            errors[field] = problem
    values["paper_url"] = text("paper_url")
    if values["paper_url"] and not _is_web_address(values["paper_url"]):
        errors["paper_url"] = (
            "Link to the decision paper: give a web address starting https:// or http://."
        )
    values["citation"] = text("citation")
    if not values["citation"] or len(values["citation"]) > CITATION_LIMIT:
        errors["citation"] = (
            "Source or citation: say where the decision is recorded (paper, minutes, item), "
            f"in at most {CITATION_LIMIT} characters."
        )
    values["source"] = text("source") or None
    if values["source"] and values["source"] not in choices.sources:
        errors["source"] = "Source document: choose one of the listed sources, or none."
    return values, {**_text_errors(values), **errors}


# The words an editor types, shown to every visitor and in exports.
FREE_TEXT_FIELDS = {
    "title": "Title",
    "description": "Description",
    "citation": "Source or citation",
}
# Control characters but tab and line ends (a form sends CRLF), C1 controls, and the marks that
# reorder text (a right-to-left override makes the words read otherwise than they are stored).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# A UK telephone number: 0 or +44, then ten digits or so, spaced or not.
_PHONE = re.compile(r"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b")


def _text_errors(values: dict) -> dict[str, str]:
    return {
        field: f"{label}: {problem}"
        for field, label in FREE_TEXT_FIELDS.items()
        if (problem := _text_problem(values[field] or ""))
    }


def _text_problem(text: str) -> str:
    """Why an event's words cannot be shown, or "": characters that are not text, and contact
    details (the dashboard shows no names or contacts of people)."""
    if _CONTROL.search(text):
        return "it holds control characters, which are not text; type it again."
    if _EMAIL.search(text) or _PHONE.search(text):
        return (
            "take out the e-mail address or telephone number: the dashboard shows no one's "
            "contact details (cite the paper instead)."
        )
    return ""


def _checked_date(text: str) -> tuple[date | None, str]:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return None, "Date: give the date as YYYY-MM-DD, for example 2024-04-01."
    if not EARLIEST <= value <= LATEST:
        return None, f"Date: give a date between {EARLIEST:%Y} and {LATEST:%Y}."
    return value, ""


def _checked_slugs(value, allowed: Collection[str], label: str) -> tuple[str | None, str]:
    """Chosen slugs joined with ``;`` (None when none are chosen), or why they are wrong."""
    chosen = [str(slug) for slug in _as_list(value) if slug]
    unknown = [slug for slug in chosen if slug not in allowed]
    if unknown:
        return None, f"{label}: unknown {', '.join(repr(slug) for slug in unknown)}."
    return ";".join(dict.fromkeys(chosen)) or None, ""


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _is_web_address(text: str) -> bool:
    if len(text) > URL_LIMIT or any(character.isspace() for character in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:  # an address Python cannot take apart, such as http://[::1
        return False
    return parts.scheme in ("https", "http") and bool(parts.netloc)


def concerning(
    events: pd.DataFrame,
    service_lines: Collection[str] | None,
    districts: Collection[str] | None,
    shares: pd.DataFrame,
) -> pd.DataFrame:
    """The events that concern a chart of ``service_lines`` (None: any) and ``districts``.

    An event with no service lines concerns them all. ``districts`` are the district codes the
    chart's place covers (None for Kent as a whole); which events concern the place is
    ``rules.concerns_place`` (``shares``: the locality shares reference table).
    """

    def keeps(row) -> bool:
        lines = slugs(row["service_lines"])
        if service_lines is not None and lines and not set(lines) & set(service_lines):
            return False
        return concerns_place(slugs(row["localities"]), districts, shares)

    if events.empty:
        return events
    return events[events.apply(keeps, axis=1)]


@dataclass(frozen=True)
class EventMarker:
    """One marker on a chart: where (an x value), its short label and its hover text."""

    x: object
    label: str
    hover: str


def _event_line(row) -> str:
    """An event in a chart's hover, where Plotly reads tags: the title's are written as text
    (a title holding a link or a style was drawn as one)."""
    when = format_date(pd.Timestamp(row["event_date"]).date())
    title = html.escape(row["title"], quote=False)
    return f"{when} · {KIND_LABELS.get(row['kind'], row['kind'])}: {title}"


def markers_on_categories(
    events: pd.DataFrame, categories: Sequence[tuple[str, date, date]]
) -> list[EventMarker]:
    """A marker on each category (label, first day, last day) holding an event's date.

    Events outside every category are not marked; events in the same category share a marker.
    """
    return [
        EventMarker(
            x=label,
            label=" · ".join(dict.fromkeys(KIND_LABELS.get(kind, kind) for kind in inside["kind"])),
            hover="<br>".join(_event_line(row) for _, row in inside.iterrows()),
        )
        for label, inside in _by_category(events, categories)
    ]


def marked_on_categories(
    events: pd.DataFrame, categories: Sequence[tuple[str, date, date]]
) -> pd.DataFrame:
    """The events ``markers_on_categories`` marks, each once, in the order they are marked."""
    found = [inside for _label, inside in _by_category(events, categories)]
    return pd.concat(found).drop_duplicates("id") if found else events.iloc[0:0]


def _by_category(events: pd.DataFrame, categories: Sequence[tuple[str, date, date]]):
    """(label, its events oldest first) for each category holding an event's date."""
    if events.empty:
        return
    # One comparison of plain arrays a category: a trend can have a hundred categories.
    dates = pd.to_datetime(events["event_date"]).to_numpy()
    for label, start, end in categories:
        inside = (dates >= np.datetime64(start)) & (dates <= np.datetime64(end))
        if inside.any():
            yield label, events[inside].sort_values(["event_date", "id"])


def marked(events: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """The events dated from ``start`` to ``end`` inclusive, oldest first."""
    if events.empty:
        return events
    inside = (events["event_date"] >= pd.Timestamp(start)) & (
        events["event_date"] <= pd.Timestamp(end)
    )
    return events[inside].sort_values(["event_date", "id"])


def event_notes(events: pd.DataFrame, citations: Mapping[str, str]) -> tuple[str, ...]:
    """One line per marked event for the chart's table and exports, with status and citation."""
    return tuple(
        f"Marked on the chart: {_event_line(row)} ({STATUS_LABELS.get(row['status'])}; "
        f"{citation_of(row, citations)})."
        for _, row in events.iterrows()
    )


def citation_of(row, citations: Mapping[str, str]) -> str:
    """The source document's citation (if any) followed by the section or reference."""
    source = row["source"] if isinstance(row["source"], str) else ""
    parts = [citations.get(source, source), row["citation"]]
    return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class EventFilter:
    """What the Decisions list is narrowed to; ``None`` means any."""

    kind: str | None = None
    service_line: str | None = None
    locality: str | None = None
    start: date | None = None
    end: date | None = None


def filtered(events: pd.DataFrame, chosen: EventFilter, shares: pd.DataFrame) -> pd.DataFrame:
    """The events matching the Decisions page's filters, newest first.

    A service line or locality filter keeps the events that concern it, including those that
    concern all of them.
    """
    rows = events
    if chosen.kind:
        rows = rows[rows["kind"] == chosen.kind]
    if chosen.service_line or chosen.locality:
        districts = None
        if chosen.locality:
            districts = set(shares.loc[shares["locality"] == chosen.locality, "district_code"])
        lines = [chosen.service_line] if chosen.service_line else None
        rows = concerning(rows, lines, districts, shares)
    rows = marked(rows, chosen.start or EARLIEST, chosen.end or LATEST)
    return rows.sort_values(["event_date", "id"], ascending=False)


def locality_names(geographies: pd.DataFrame, schemes: pd.DataFrame) -> dict[str, str]:
    """Every locality of every scheme, named with its scheme (slug -> name)."""
    localities = geographies[geographies["level"] == "locality"]
    scheme_names = dict(zip(schemes["slug"], schemes["name"], strict=True))
    return {
        row.code: f"{row.name} ({scheme_names.get(row.scheme, row.scheme)})"
        for row in localities.itertuples()
    }


def names(text: str | None, lookup: Mapping[str, str], everything: str) -> str:
    """``;``-separated slugs as names, or ``everything`` when there are none."""
    chosen = slugs(text)
    return "; ".join(lookup.get(slug, slug) for slug in chosen) if chosen else everything


def describe_rows(
    events: pd.DataFrame,
    service_lines: Mapping[str, str],
    localities: Mapping[str, str],
    citations: Mapping[str, str],
) -> pd.DataFrame:
    """The events as people read them: one row each, for the list and its CSV."""
    records = [
        {
            "date": row["event_date"].date().isoformat(),
            "kind": KIND_LABELS.get(row["kind"], row["kind"]),
            "title": row["title"],
            "description": row["description"],
            "service_lines": names(row["service_lines"], service_lines, "All service lines"),
            "localities": names(row["localities"], localities, "All of Kent"),
            "paper_url": row["paper_url"],
            "citation": citation_of(row, citations),
            "status": STATUS_LABELS.get(row["status"], row["status"]),
        }
        for _, row in events.iterrows()
    ]
    return pd.DataFrame(records, columns=list(LIST_COLUMNS))


LIST_COLUMNS = {
    "date": "Date",
    "kind": "Kind",
    "title": "Title",
    "description": "Description",
    "service_lines": "Service lines",
    "localities": "Localities",
    "paper_url": "Decision paper",
    "citation": "Source",
    "status": "Status",
}


def as_filter_value(value: str | None) -> str | None:
    """A select's value as a filter: ``all`` or nothing means any."""
    return None if value in (None, "", ALL) else value
