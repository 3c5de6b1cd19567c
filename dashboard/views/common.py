"""Helpers every view shares: the context of a request and small table conventions."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, TypeVar

import pandas as pd
import plotly.graph_objects as go

from dashboard import events as decision_events
from dashboard.charts import ALL_CARE_GROUPS, BY_CARE_GROUP, ChartSpec, Column, care_group_tag
from dashboard.data_dates import DataDates
from dashboard.db.repository import Reference
from dashboard.figures.common import mark_events
from dashboard.filters import Filters, describe
from dashboard.periods import PeriodError, parse_period
from dashboard.rules import STATUS_ORDER, district_codes, locality_weights

Result = TypeVar("Result")


# Results one page's data keeps (``worked_out_once``), the oldest dropped first. The warm-up of
# every locality and care group leaves 980 on /targets (a target beside its actual, under 1 KB
# each) and 14 on /reach (a district table per care group, about 11 KB each): a worker asked for
# every filter setting there is (some 15,000 with the periods) stays under about 22 MB a page
# instead of growing with each one.
WORKED_OUT_KEPT = 2048
_NOT_KEPT = object()


def worked_out_once(store: dict, key: tuple, compute: Callable[[], Result]) -> Result:
    """``compute()``, kept in ``store`` under ``key`` the first time it is asked for.

    ``store`` belongs to a page's data, one object for each data version
    (``Repository.page_data``), whose charts each need the same intermediate frame: the first
    chart works it out and the others, and later requests, read it (never change it). ``key``
    names the result and what it depends on besides the data, such as the filters. At most
    ``WORKED_OUT_KEPT`` results are kept; threads share the store, so a result another thread
    dropped meanwhile is worked out again, never missed.
    """
    kept = store.get(key, _NOT_KEPT)
    if kept is not _NOT_KEPT:
        return kept
    result = compute()
    store[key] = result
    if len(store) > WORKED_OUT_KEPT:
        # Another thread may drop the same oldest result first, or add one meanwhile.
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):
            del store[next(iter(store))]
    return result


class ReferenceSource(Protocol):
    """What a context is built from: the repository, as the callbacks pass it (views never
    query it)."""

    def reference(self) -> Reference: ...

    def data_dates(self) -> DataDates: ...

    def decision_events(self) -> pd.DataFrame: ...


# How a chart that outlines the chosen locality's districts' rows says so in its subtitle.
ROWS_OUTLINED = "districts' rows outlined"


@dataclass(frozen=True)
class ViewContext:
    """What every chart needs to know besides its data."""

    filters: Filters
    reference: Reference
    data_date: DataDates
    # Decisions and contract events (``dashboard.events``) the trends mark; None: none.
    events: pd.DataFrame | None = None

    @classmethod
    def from_repo(cls, repo: ReferenceSource, filter_state: dict | None) -> ViewContext:
        """The filters from the filter store, with the repository's reference data, dates and
        decision events."""
        return cls(
            Filters.from_dict(filter_state),
            repo.reference(),
            repo.data_dates(),
            repo.decision_events(),
        )

    def place_districts(self) -> frozenset[str] | None:
        """The district codes of the chosen locality, or None for Kent as a whole."""
        if not self.filters.locality:
            return None
        shares = self.reference.shares
        chosen = (shares["scheme"] == self.filters.scheme) & (
            shares["locality"] == self.filters.locality
        )
        return frozenset(shares.loc[chosen, "district_code"])

    def with_events(
        self, figure: go.Figure, frame: pd.DataFrame, service_lines: Collection[str] | None
    ) -> tuple[go.Figure, tuple[str, ...]]:
        """``figure`` with a marker at each event that concerns it, and a note for each.

        ``frame`` holds the chart's x categories as ``period`` slugs and their ``label``s;
        ``service_lines`` are those the chart is about (None: any). An event is marked on the
        period containing its date, and only when it concerns the chosen place.
        """
        if self.events is None or self.events.empty or frame.empty:
            return figure, ()
        concerning = decision_events.concerning(
            self.events, service_lines, self.place_districts(), self.reference.shares
        )
        categories = [
            (label, *self._period_dates(slug))
            for slug, label in frame.drop_duplicates("period")[["period", "label"]].itertuples(
                index=False
            )
        ]
        markers = decision_events.markers_on_categories(concerning, categories)
        if not markers:
            return figure, ()
        shown = decision_events.marked_on_categories(concerning, categories)
        return mark_events(figure, markers), decision_events.event_notes(shown, self.citations)

    def _period_dates(self, slug: str):
        try:
            period = parse_period(slug)
        except PeriodError:
            row = self.reference.periods.set_index("slug").loc[slug]
            return row["start"].date(), row["end"].date()
        return period.start, period.end

    # Cached for the request: a page's charts ask for these dozens of times per filter change.
    @cached_property
    def weights(self) -> pd.Series | None:
        return locality_weights(self.reference.shares, self.filters)

    @cached_property
    def districts(self) -> frozenset[str]:
        """The district codes (``rules.district_codes``)."""
        return district_codes(self.reference.districts)

    @cached_property
    def citations(self) -> dict[str, str]:
        sources = self.reference.sources
        return dict(zip(sources["slug"], sources["citation"], strict=True))

    def cite(self, sources) -> tuple[str, ...]:
        citations = self.citations
        return tuple(dict.fromkeys(citations.get(s, s) for s in sources if s))

    def quality_notes(self, *slugs: str) -> tuple[str, ...]:
        """The data-quality notes ``slugs`` as a card's footnotes, in that order.

        A note the database does not hold (loaded before the note was added to
        ``data/published/quality_notes.csv``) is left out, so the card is still drawn.
        """
        notes = self.reference.quality_notes.set_index("slug")
        return tuple(
            quality_footnote(notes.loc[slug, "title"], notes.loc[slug, "description"])
            for slug in slugs
            if slug in notes.index
        )

    def quality_flags(self, footnotes: Iterable[str]) -> tuple[str, ...]:
        """The titles of the data-quality notes among a card's ``footnotes``, which its card
        names under the chart: a note only in "About" went unread beside its chart."""
        footnotes = tuple(footnotes)
        return tuple(
            title
            for title in dict.fromkeys(self.reference.quality_notes["title"])
            if any(note.startswith(quality_footnote(title, "")) for note in footnotes)
        )

    def highlighted(self, how: str = "districts highlighted") -> str:
        """What a chart that marks the chosen locality's districts adds to its subtitle:
        ``how`` they are marked."""
        return f" · {self.place()} {how}" if self.filters.locality else ""

    def place(self) -> str:
        if not self.filters.locality:
            return "Kent"
        return self.reference.filter_choices().localities[self.filters.scheme][
            self.filters.locality
        ]

    def subtitle(
        self, period_label: str | None = None, recorded: str = BY_CARE_GROUP, base: str = ""
    ) -> str:
        """Place, care group and period; with the care-group tag when the figure needs one.

        ``recorded`` and ``base`` are as in :func:`dashboard.charts.care_group_tag`: an
        all-groups figure names "all care groups" with the reason instead of the chosen group.
        """
        text = describe(self.filters, self.reference.filter_choices())
        if period_label:
            text = text.rsplit(" · ", 1)[0] + f" · {period_label}"
        tag = care_group_tag(recorded, self.filters.care_group, base)
        if not tag:
            return text
        if recorded == ALL_CARE_GROUPS:
            place, _group, rest = text.split(" · ", 2)
            return f"{place} · {tag} · {rest}"
        return f"{text} · {tag}"

    def care_group_basis(self, recorded: str = BY_CARE_GROUP) -> str:
        """What ``ChartSpec.care_group_basis`` records: empty without a care-group filter."""
        return recorded if self.filters.care_group else ""

    def care_group_name(self) -> str:
        """The chosen care group's name (empty for all care groups)."""
        if not self.filters.care_group:
            return ""
        return self.reference.filter_choices().care_groups[self.filters.care_group]

    def period_phrase(self, label: str) -> str:
        """The period as a subtitle names it: the chosen one, or which one "latest" means."""
        return label if self.filters.period else f"latest available: {label}"

    def year_phrase(self, year: str, what: str) -> str:
        """``what`` for the financial year a chart recorded by year shows, as a subtitle names
        it: as :meth:`period_phrase`, or for a quarter or half chosen, that its year is shown
        and why (choosing 2016/17 Q1 showed 2016/17's allocations without a word)."""
        chosen = self.filters.period
        if chosen and chosen != year:
            return (
                f"{self.period_label(year)} {what}, the year of the "
                f"{self.period_label(chosen)} chosen: recorded by year only"
            )
        return f"{self.period_phrase(self.period_label(year))} {what}"

    def period_label(self, slug: str) -> str:
        periods = self.reference.periods
        rows = periods[periods["slug"] == slug]
        return rows.iloc[0]["label"] if len(rows) else slug

    def measure(self, slug: str) -> dict:
        return self.reference.measure(slug)

    def district_names(self) -> dict[str, str]:
        districts = self.reference.districts
        return dict(zip(districts["code"], districts["name"], strict=True))

    def chart(
        self,
        key: str,
        title: str,
        subtitle: str,
        figure: go.Figure,
        table: pd.DataFrame,
        columns: tuple[Column, ...],
        *,
        sources: Iterable[str],
        recorded: str = "",
        measure: str | dict | None = None,
        statuses: Iterable[str] | None = None,
        **details,
    ) -> ChartSpec:
        """A chart card's spec with what every chart shares, filled in the one way.

        ``sources`` (slugs) are cited with their dates; ``statuses`` default to those in
        ``table``; ``measure`` is a catalogue slug (or an About entry); ``recorded`` says how
        the chart answers the care-group filter (``BY_CARE_GROUP``, ``ALL_CARE_GROUPS``,
        ``BASE_ALL_CARE_GROUPS``; empty for charts about the data rather than carers).
        ``details`` are the other ``ChartSpec`` fields (period_label, footnotes, alt_text...).
        """
        return ChartSpec(
            key=key,
            title=title,
            subtitle=subtitle,
            figure=figure,
            table=table,
            columns=columns,
            sources=self.cite(sources),
            statuses=statuses_of(table) if statuses is None else tuple(statuses),
            measure=self.measure(measure) if isinstance(measure, str) else measure,
            data_date=self.data_date,
            care_group_basis=self.care_group_basis(recorded) if recorded else "",
            quality_flags=self.quality_flags(details.get("footnotes", ())),
            **details,
        )


def quality_footnote(title: str, text: str) -> str:
    """A data-quality note as a card's footnote: its title, then what it says."""
    return f"Data quality – {title}: {text}"


DEMO_SOURCE = "demo-generator"
RETURNS_SOURCE = "provider-returns"


def monitoring_source(status: str) -> str:
    """The source of a monitoring figure: a provider's return, or the demo generator."""
    return DEMO_SOURCE if status == "demo" else RETURNS_SOURCE


def statuses_of(frame: pd.DataFrame, column: str = "status") -> tuple[str, ...]:
    """Statuses present, in the fixed order of ``STATUS_ORDER``."""
    present = set(frame[column].dropna()) if column in frame else set()
    return tuple(s for s in STATUS_ORDER if s in present)
