"""When the figures behind a chart were published or loaded, per source.

A council document's figures carry its publication date (``published`` in
``data/reference/sources.csv``). Census and demo figures carry the day ``init-db`` loaded them,
and figures from providers' returns the day the latest return touching that measure was
imported, so an upload moves the date only for the measures it touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

DOCUMENT_BATCH = "seed-published"  # the batch kind of figures transcribed from documents
FOOTER_EXPLANATION = (
    "Dates: “published” is when a council document came out; “loaded” is when census, demo or "
    "uploaded figures reached this dashboard."
)


@dataclass(frozen=True)
class DataDates:
    """Publication or load dates by source (and measure), read from the loaded batches."""

    published: dict[str, str] = field(default_factory=dict)
    loaded: dict[tuple[str, str], date] = field(default_factory=dict)
    source_of: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_frames(cls, sources: pd.DataFrame, loads: pd.DataFrame) -> DataDates:
        """``sources``: the source table (slug, published, citation); ``loads``: one row per
        source, measure and batch kind with the latest ``loaded_at`` (the repository reads them).
        """
        documents = set(loads.loc[loads["kind"] == DOCUMENT_BATCH, "source"])
        published = {
            row.slug: str(row.published)
            for row in sources.itertuples()
            if row.slug in documents and row.published
        }
        others = loads[~loads["source"].isin(published)]
        loaded = {
            (row.source, row.measure or ""): pd.Timestamp(row.loaded_at).date()
            for row in others.groupby(["source", "measure"], dropna=False, as_index=False)
            .agg(loaded_at=("loaded_at", "max"))
            .itertuples()
        }
        citations = dict(zip(sources["citation"], sources["slug"], strict=True))
        return cls(published, loaded, citations)

    def describe(self, source: str, measures: Iterable[str] = ()) -> str:
        """``published 2016`` or ``loaded 30 Nov 2026`` for a source slug or citation.

        For a loaded source, the latest load of the chart's ``measures``; of any of the
        source's measures when none of them came from it.
        """
        slug = self.source_of.get(source, source)
        if slug in self.published:
            return f"published {self.published[slug]}"
        of_source = {key: day for key, day in self.loaded.items() if key[0] == slug}
        wanted = set(measures)
        chosen = [day for (_, measure), day in of_source.items() if measure in wanted]
        days = chosen or list(of_source.values())
        return f"loaded {format_date(max(days))}" if days else ""

    def cite(self, source: str, measures: Iterable[str] = (), text: str = "") -> str:
        """The source's citation (``text``, else ``source`` itself) with its date in brackets."""
        day = self.describe(source, measures)
        return f"{text or source} ({day})" if day else text or source


def format_date(day: date) -> str:
    """``30 Nov 2026``: unambiguous on both sides of the Atlantic."""
    return f"{day.day} {day:%b %Y}"
