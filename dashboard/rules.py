"""The selection rules, written once: which rows make the figure a chart shows.

Every page and the overview call these; nothing else re-implements them (frames in, new objects
out). The rules:

- published first, never added to demo: where a published figure and demo rows describe the
  same thing, the published figure is used and the two are never added together. Demo rows only
  fill detail the documents lack (districts, care groups, quarters, later years);
- an imported return replaces the demo rows it covers (same geography, inside its period);
- a locality counts each district by its share of the district's carers (split districts
  apportioned);
- a figure added up from parts is demo if any part is demo, else a return if any part is one;
- all care groups is each cell's all-groups row, or the sum of its groups, never both;
- a district is what the district reference table lists.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import pandas as pd

from dashboard.filters import Filters

KENT_CODE = "E10000016"
STATUS_ORDER = ("published", "return", "census", "modelled", "demo")
COUNTY_ONLY = "Published for Kent as a whole only: not available by {what}."
NOT_BY_CARE_GROUP = "Not available by care group: this measure is not recorded by care group."
NO_DATA = "No data for this selection."
APPORTIONED = "Split districts apportioned to the locality by Census 2021 carer shares."
HEADLINE_SERVICE_LINES = ("cas", "short-breaks-contracted", "short-breaks-grant")


@dataclass(frozen=True)
class Resolved:
    """One figure for the current selection, with where it came from, or why there is none."""

    value: float | None
    status: str | None = None
    period: str | None = None
    sources: tuple[str, ...] = ()
    qualifier: str = ""
    note: str = ""
    unavailable: str = ""
    alternatives: tuple[float, ...] = field(default=())

    @property
    def available(self) -> bool:
        return self.value is not None


def district_codes(districts: pd.DataFrame) -> frozenset[str]:
    """The districts: the codes the district reference table (``Reference.districts``) lists."""
    return frozenset(districts["code"])


def is_district(geography: pd.Series, codes: Collection[str]) -> pd.Series:
    """Which geography codes are districts (``codes`` from ``district_codes``)."""
    return geography.isin(codes)


def locality_weights(shares: pd.DataFrame, filters: Filters) -> pd.Series | None:
    """District code -> share of its carers in the chosen locality; None for all of Kent."""
    if not filters.locality:
        return None
    rows = shares[(shares["scheme"] == filters.scheme) & (shares["locality"] == filters.locality)]
    return rows.set_index("district_code")["carer_share"].astype(float)


def county_figure_applies(filters: Filters) -> bool:
    """Whether a published Kent figure answers the selection: all of Kent, all care groups.

    A figure published for Kent as a whole is never split by locality or care group.
    """
    return not filters.locality and not filters.care_group


def locality_districts(weights: pd.Series | None) -> tuple[frozenset[str], frozenset[str]]:
    """The districts in the chosen locality (any share), and those only partly in it (split).

    Both empty for all of Kent (no weights).
    """
    if weights is None:
        return frozenset(), frozenset()
    inside = weights[weights > 0]
    return frozenset(inside.index), frozenset(inside[inside < 1].index)


def within(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Rows whose period lies wholly inside ``start``..``end``."""
    return frame[_within_mask(frame, start, end)]


def _within_mask(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return (frame["period_start"] >= start) & (frame["period_end"] <= end)


def latest_available(
    slugs: pd.Series, periods: pd.DataFrame, kind: str | None = "year"
) -> str | None:
    """What "latest available" means for a chart: the latest period it has data for.

    ``slugs`` are the periods of the chart's rows. With ``kind="year"``, the latest financial
    year they reach (directly or through the quarters or halves inside it); with ``kind=None``,
    the latest of the periods themselves (the shortest, where several end on the same day).
    """
    present = periods[periods["slug"].isin(pd.unique(slugs))]
    if present.empty:
        return None
    latest_end = present["end"].max()
    if kind is None:
        return present[present["end"] == latest_end].sort_values("start").iloc[-1]["slug"]
    candidates = periods[(periods["kind"] == kind) & (periods["start"] <= latest_end)]
    return candidates.sort_values("start").iloc[-1]["slug"] if len(candidates) else None


def resolve_count(
    frame: pd.DataFrame,
    *,
    period: pd.Series,
    filters: Filters,
    weights: pd.Series | None,
    category: str | None = "",
    districts: Collection[str],
) -> Resolved:
    """The total of a count measure for a period and the filters, published first.

    ``frame`` holds every row of one measure (repository columns); ``period`` is a row of the
    period table (slug, start, end); ``districts`` are the district codes (``district_codes``),
    whose rows are the detail added up where no published total applies. ``category=None`` adds
    up every category of the detail rows (for example all types of short-break hours) against
    the published uncategorised total.
    """
    # The period's rows first, by date (cheap); the text comparisons, which cost more per row,
    # then run on those rows only.
    rows = frame[_within_mask(frame, period["start"], period["end"])]
    if category is not None:
        rows = rows[rows["category"] == category]
    detail = rows[is_district(rows["geography"], districts)]
    is_headline = (
        rows["status"].isin(["published", "census"])
        & (rows["category"] == (category or ""))
        & (rows["geography"] == KENT_CODE)
        & (rows["period"] == period["slug"])
        & rows["care_group"].isna()
    )
    published = _county_rows(rows[is_headline], detail)
    if not published.empty and weights is None and county_figure_applies(filters):
        first = published.iloc[0]
        return Resolved(
            value=float(first["value"]),
            status=first["status"],
            period=period["slug"],
            sources=(first["source"],),
            qualifier=first["qualifier"],
            note=first["note"],
            alternatives=tuple(float(v) for v in published["value"].iloc[1:]),
        )
    is_census = detail["status"] == "census"
    candidate = detail[is_census] if is_census.any() else detail[~is_census]
    if not candidate.empty:
        candidate = care_group_rows(candidate, filters.care_group)
        if candidate is None:
            return Resolved(None, period=period["slug"], unavailable=NOT_BY_CARE_GROUP)
        apportioned = weights is not None and bool((weights < 1).any())
        return Resolved(
            value=weighted_sum(candidate, weights),
            status=_combined_status(candidate, apportioned),
            period=period["slug"],
            sources=tuple(sorted(candidate["source"].unique())),
            note=APPORTIONED if apportioned else "",
        )
    if not published.empty:
        what = "locality" if weights is not None else "care group"
        return Resolved(None, period=period["slug"], unavailable=COUNTY_ONLY.format(what=what))
    return Resolved(None, period=period["slug"], unavailable=NO_DATA)


def _combined_status(rows: pd.DataFrame, apportioned: bool) -> str:
    """One status for a total: census split by shares is modelled, else ``weakest_status``."""
    statuses = set(rows["status"].unique())
    if statuses == {"census"}:
        return "modelled" if apportioned else "census"
    return weakest_status(statuses)


def weakest_status(statuses: Iterable[str]) -> str:
    """The status of a figure added up from parts: demo if any part is demo (or there are
    none), else a provider return if any part is one, else published."""
    present = set(statuses)
    if not present or "demo" in present:
        return "demo"
    return "return" if "return" in present else "published"


def prefer_returns(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop demo rows wherever an imported or published row for the same place covers them.

    A real return for a district and period takes precedence over demo rows for the same
    district within that period, so the two are never added together. The rule needs no list
    of districts: a row only ever covers rows of its own geography (and demo rows are district
    rows).
    """
    real = frame[~frame["status"].isin(["demo", "census"])]
    if real.empty:
        return frame
    demo = frame[frame["status"] == "demo"].reset_index()
    spans = real[["geography", "period_start", "period_end"]].drop_duplicates()
    paired = demo.merge(spans, on="geography", suffixes=("", "_real"))
    covered = paired[
        (paired["period_start"] >= paired["period_start_real"])
        & (paired["period_end"] <= paired["period_end_real"])
    ]["index"]
    return frame.drop(index=covered.unique())


def _county_rows(county: pd.DataFrame, detail: pd.DataFrame) -> pd.DataFrame:
    """Of the Kent rows for all care groups (``county``), those that describe the same service
    as the ``detail`` rows.

    A row with no provider covers every provider. A row naming a provider stands for the
    service only when that provider is the only one in the detail rows (the Kent-wide short
    breaks contract, say), never for another service's figure.
    """
    all_providers = county[county["provider"].isna()]
    if not all_providers.empty or county.empty:
        return all_providers
    detail_providers = detail["provider"].dropna().unique()
    if len(detail_providers) != 1:
        return all_providers
    return county[county["provider"].isin(detail_providers)]


def care_group_rows(rows: pd.DataFrame, care_group: str | None) -> pd.DataFrame | None:
    """Rows for one care group, or for all care groups without double counting.

    For all care groups, each district, period and provider contributes its all-groups row
    where it has one, and the sum of its care-group rows where it has not.
    """
    if care_group:
        chosen = rows[rows["care_group"] == care_group]
        return chosen if not chosen.empty else None
    cell = ["geography", "period", "provider"]
    is_total = rows["care_group"].isna()
    if not is_total.any():
        return rows
    totals = rows[is_total]
    has_total = pd.MultiIndex.from_frame(totals[cell].fillna(""))
    keys = pd.MultiIndex.from_frame(rows[cell].fillna(""))
    return rows[is_total | ~keys.isin(has_total)]


def apportioned(rows: pd.DataFrame, weights: pd.Series | None, column: str = "value"):
    """District rows counted for the locality: ``column`` times the district's share.

    Rows of districts outside the locality count 0; with no weights (all of Kent) the rows are
    returned unchanged.
    """
    if weights is None:
        return rows
    return rows.assign(**{column: rows[column] * _shares(rows, weights)})


def weighted_sum(rows: pd.DataFrame, weights: pd.Series | None, column: str = "value") -> float:
    """The locality's total of district rows (``apportioned``), or the plain total for Kent."""
    if weights is None:
        return float(rows[column].sum())
    return float((rows[column] * _shares(rows, weights)).sum())  # no copy of the rows


def _shares(rows: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Each row's district share of the locality (0 outside it)."""
    return rows["geography"].map(weights).fillna(0.0)


def funding_by_kind(
    funding: pd.DataFrame, *, period_slug: str, weights: pd.Series | None
) -> dict[str, Resolved]:
    """Funding for a year split into council, nhs and total, published first.

    The scope is the published 2016/17 table's: CAS and short breaks (contracted and grant
    funded). Direct payments and other lines are shown on the funding page, not in this total.
    """
    rows = funding[funding["period"] == period_slug]
    published = rows[(rows["status"] == "published") & (rows["geography"] == KENT_CODE)]
    published = published[published["service_line"].isna()]
    if weights is None and not published.empty:
        result = {}
        for key, funder_filter in (
            ("council", published["funder_kind"] == "council"),
            ("nhs", published["funder_kind"] == "nhs"),
            ("total", published["funder"].isna()),
        ):
            chosen = published[funder_filter]
            if not chosen.empty:
                first = chosen.iloc[0]
                result[key] = Resolved(
                    float(first["amount"]),
                    "published",
                    period_slug,
                    (first["source"],),
                    first["qualifier"],
                    first["note"],
                )
        if {"council", "nhs", "total"} <= set(result):
            return result
    demo = rows[(rows["status"] == "demo") & rows["service_line"].isin(HEADLINE_SERVICE_LINES)]
    if demo.empty:
        reason = COUNTY_ONLY.format(what="locality") if not published.empty else "No funding data."
        return {
            key: Resolved(None, period=period_slug, unavailable=reason)
            for key in ("council", "nhs", "total")
        }
    result = {}
    for key in ("council", "nhs"):
        part = demo[demo["funder_kind"] == key]
        result[key] = Resolved(
            weighted_sum(part, weights, "amount"), "demo", period_slug, ("demo-generator",)
        )
    total = result["council"].value + result["nhs"].value
    result["total"] = Resolved(total, "demo", period_slug, ("demo-generator",))
    return result


def yearly_series(
    frame: pd.DataFrame,
    years: pd.DataFrame,
    *,
    filters: Filters,
    weights: pd.Series | None,
    category: str | None = "",
    districts: Collection[str],
) -> pd.DataFrame:
    """One resolved value per financial year (``resolve_count``): period, label, value, status."""
    if category is not None:
        # Every row ``resolve_count`` uses is of this category, published totals included.
        frame = frame[frame["category"] == category]
    starts = frame["period_start"]
    first_year = starts.dt.year.where(starts.dt.month >= 4, starts.dt.year - 1)
    by_year = dict(tuple(frame.groupby(first_year)))
    records = []
    for year in years.sort_values("start").itertuples():
        rows = by_year.get(year.start.year)
        if rows is None:
            continue
        resolved = resolve_count(
            rows,
            period=pd.Series(year._asdict()),
            filters=filters,
            weights=weights,
            category=category,
            districts=districts,
        )
        if resolved.available:
            records.append(
                {
                    "period": year.slug,
                    "label": year.label,
                    "value": resolved.value,
                    "status": resolved.status,
                }
            )
    return pd.DataFrame(records, columns=["period", "label", "value", "status"])
