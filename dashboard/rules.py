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
- a district is what the district reference table lists;
- a provider is contracted for a period when one of its contracts is in force for some of it (a
  start or end date the documents do not state leaves that side open);
- a contract or event named for localities concerns a place when one of those localities, in
  any scheme, shares a district with it; one named for none is Kent-wide.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
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


def concerns_place(
    localities: Collection[str], districts: Collection[str] | None, shares: pd.DataFrame
) -> bool:
    """Whether something named for ``localities`` concerns the place of ``districts``.

    ``localities`` are locality slugs of any scheme (none: Kent-wide); ``districts`` the codes
    the place covers (None: Kent as a whole, which everything concerns); ``shares`` the locality
    shares table. It does when one of its localities shares a district with the place.
    """
    if districts is None or not localities:
        return True
    covered = shares.loc[shares["locality"].isin(localities), "district_code"]
    return not set(covered).isdisjoint(districts)


def contracted_providers(contracts: pd.DataFrame, start: date, end: date) -> frozenset[str]:
    """The providers with a contract in force for some of ``start``..``end`` (inclusive).

    ``contracts`` is ``Reference.contracts``: a contract starting on or before ``end`` and
    ending, if it states an end, on or after ``start``. A start not stated counts as begun:
    the documents name Involve Carers for Maidstone & Malling without saying from when.
    """
    starts = pd.to_datetime(contracts["start"])
    ends = pd.to_datetime(contracts["end"])
    begun = starts.isna() | (starts <= pd.Timestamp(end))
    not_ended = ends.isna() | (ends >= pd.Timestamp(start))
    return frozenset(contracts.loc[begun & not_ended, "provider"])


def within(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Rows whose period lies wholly inside ``start``..``end``."""
    return frame[(frame["period_start"] >= start) & (frame["period_end"] <= end)]


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
    (resolved,) = _resolve_periods(
        frame,
        np.array([period["slug"]], dtype=object),
        np.array([pd.Timestamp(period["start"]).to_datetime64()], dtype="datetime64[ns]"),
        np.array([pd.Timestamp(period["end"]).to_datetime64()], dtype="datetime64[ns]"),
        filters=filters,
        weights=weights,
        category=category,
        districts=districts,
    )
    return resolved


def _resolve_periods(
    frame: pd.DataFrame,
    slugs: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    *,
    filters: Filters,
    weights: pd.Series | None,
    category: str | None,
    districts: Collection[str],
) -> list[Resolved]:
    """``resolve_count`` for each of several periods, sorted by start and not overlapping.

    Each row is sorted into the period holding it once, and the rules then run on plain arrays
    of those rows: a yearly series costs one pass over the measure instead of one per year.
    """
    if not len(slugs):
        return []
    row_start = frame["period_start"].to_numpy().astype("datetime64[ns]")
    row_end = frame["period_end"].to_numpy().astype("datetime64[ns]")
    # Each row's period: the last to start by the row's start, if the row ends within it (a row
    # wholly inside a period, as ``within`` says, found for every period at once).
    which = np.searchsorted(starts, row_start, side="right") - 1
    inside = (which >= 0) & (row_end <= ends[np.maximum(which, 0)])
    positions = np.flatnonzero(inside)
    categories = frame["category"].to_numpy()[positions]
    if category is not None:
        positions = positions[categories == category]
        categories = categories[categories == category]
    rows = _Rows.of(frame, positions)
    which = which[positions]
    is_county = (
        ((rows.status == "published") | (rows.status == "census"))
        & (categories == (category or ""))
        & (rows.geography == KENT_CODE)
        & pd.isna(rows.care_group)
        & (rows.period == slugs[which])
    )
    geography = pd.Series(rows.geography, dtype=object)
    is_detail = is_district(geography, districts).to_numpy()
    shares = None if weights is None else _shares(geography, weights).to_numpy()
    apportioned = weights is not None and bool((weights < 1).any())
    county_applies = weights is None and county_figure_applies(filters)
    order = np.argsort(which, kind="stable")  # each period's rows in the frame's order
    bounds = np.searchsorted(which[order], np.arange(len(slugs) + 1))
    results = []
    for index, slug in enumerate(slugs):
        chosen = order[bounds[index] : bounds[index + 1]]
        detail = chosen[is_detail[chosen]]
        county = chosen[is_county[chosen]]
        published = county[_county_mask(rows.provider[county], rows.provider[detail])]
        if len(published) and county_applies:
            first = frame.iloc[positions[published[0]]]
            results.append(
                Resolved(
                    value=float(first["value"]),
                    status=first["status"],
                    period=slug,
                    sources=(first["source"],),
                    qualifier=first["qualifier"],
                    note=first["note"],
                    alternatives=tuple(float(v) for v in rows.value[published[1:]]),
                )
            )
            continue
        is_census = rows.status[detail] == "census"
        candidate = detail[is_census] if is_census.any() else detail[~is_census]
        if len(candidate):
            keep = _care_group_mask(
                rows.care_group[candidate], lambda c=candidate: rows.cells[c], filters.care_group
            )
            if keep is None:
                results.append(Resolved(None, period=slug, unavailable=NOT_BY_CARE_GROUP))
                continue
            candidate = candidate[keep]
            values = rows.value[candidate]
            if shares is not None:
                values = values * shares[candidate]
            results.append(
                Resolved(
                    # Missing values count 0, as pandas adds them up.
                    value=float(np.nansum(values)),
                    status=_combined_status(set(rows.status[candidate]), apportioned),
                    period=slug,
                    sources=tuple(sorted(set(rows.source[candidate]))),
                    note=APPORTIONED if apportioned else "",
                )
            )
        elif len(published):
            what = "locality" if weights is not None else "care group"
            results.append(Resolved(None, period=slug, unavailable=COUNTY_ONLY.format(what=what)))
        else:
            results.append(Resolved(None, period=slug, unavailable=NO_DATA))
    return results


@dataclass(frozen=True)
class _Rows:
    """Some rows of a measure's frame (``positions``, in the frame's order) as plain arrays."""

    geography: np.ndarray
    status: np.ndarray
    provider: np.ndarray
    care_group: np.ndarray
    period: np.ndarray
    source: np.ndarray
    value: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame, positions: np.ndarray) -> _Rows:
        names = ("geography", "status", "provider", "care_group", "period", "source", "value")
        return cls(*(frame[name].to_numpy()[positions] for name in names))

    @cached_property
    def cells(self) -> np.ndarray:
        """Each row's cell (district, period and provider) as a number (``_care_group_mask``),
        worked out once for all the periods being resolved."""
        return _cell_codes(self.geography, self.period, self.provider)


def _combined_status(statuses: set[str], apportioned: bool) -> str:
    """One status for a total: census split by shares is modelled, else ``weakest_status``."""
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


def _county_mask(county_providers: np.ndarray, detail_providers: np.ndarray) -> np.ndarray:
    """Which Kent rows for all care groups (their providers ``county_providers``) describe the
    same service as the detail rows (``detail_providers``).

    A row with no provider covers every provider. A row naming a provider stands for the
    service only when that provider is the only one in the detail rows (the Kent-wide short
    breaks contract, say), never for another service's figure.
    """
    all_providers = pd.isna(county_providers)
    if all_providers.any() or not len(county_providers):
        return all_providers
    named = pd.unique(detail_providers[~pd.isna(detail_providers)])
    if len(named) != 1:
        return all_providers
    return county_providers == named[0]


def care_group_rows(rows: pd.DataFrame, care_group: str | None) -> pd.DataFrame | None:
    """Rows for one care group, or for all care groups without double counting.

    For all care groups, each district, period and provider contributes its all-groups row
    where it has one, and the sum of its care-group rows where it has not.
    """
    keep = _care_group_mask(
        rows["care_group"].to_numpy(),
        lambda: _cell_codes(*(rows[c].to_numpy() for c in ("geography", "period", "provider"))),
        care_group,
    )
    return None if keep is None else rows[keep]


def _care_group_mask(
    care_groups: np.ndarray, cells: Callable[[], np.ndarray], care_group: str | None
) -> np.ndarray | None:
    """``care_group_rows`` on arrays: which rows to keep, or None if the group has none.

    ``cells`` gives each row's cell as a number, asked for only when all groups are chosen.
    """
    if care_group:
        chosen = care_groups == care_group
        return chosen if chosen.any() else None
    is_total = pd.isna(care_groups)
    if not is_total.any():
        return np.ones(len(care_groups), dtype=bool)
    codes = cells()
    return is_total | ~np.isin(codes, codes[is_total])


def _cell_codes(geography: np.ndarray, period: np.ndarray, provider: np.ndarray) -> np.ndarray:
    """One number per (geography, period, provider); a missing provider is its own value."""
    provider = np.where(pd.isna(provider), "", provider)
    levels = pd.MultiIndex.from_arrays(
        [pd.Index(values, dtype=object) for values in (geography, period, provider)]
    )
    code = np.zeros(len(geography), dtype=np.int64)
    for codes, names in zip(levels.codes, levels.levels, strict=True):
        code = code * (len(names) + 1) + codes
    return code


def apportioned(rows: pd.DataFrame, weights: pd.Series | None, column: str = "value"):
    """District rows counted for the locality: ``column`` times the district's share.

    Rows of districts outside the locality count 0; with no weights (all of Kent) the rows are
    returned unchanged.
    """
    if weights is None:
        return rows
    return rows.assign(**{column: rows[column] * _shares(rows["geography"], weights)})


def weighted_sum(rows: pd.DataFrame, weights: pd.Series | None, column: str = "value") -> float:
    """The locality's total of district rows (``apportioned``), or the plain total for Kent."""
    if weights is None:
        return float(rows[column].sum())
    return float((rows[column] * _shares(rows["geography"], weights)).sum())  # no copy of the rows


def _shares(geography: pd.Series, weights: pd.Series) -> pd.Series:
    """Each row's district share of the locality (0 outside it)."""
    return geography.map(weights).fillna(0.0)


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
    """One resolved value per financial year (``resolve_count``): period, label, value, status
    and qualifier (a published "over" kept with its figure)."""
    ordered = years.sort_values("start")
    resolved = _resolve_periods(
        frame,
        ordered["slug"].to_numpy(dtype=object),
        ordered["start"].to_numpy().astype("datetime64[ns]"),
        ordered["end"].to_numpy().astype("datetime64[ns]"),
        filters=filters,
        weights=weights,
        category=category,
        districts=districts,
    )
    records = [
        {
            "period": year.period,
            "label": label,
            "value": year.value,
            "status": year.status,
            "qualifier": year.qualifier,
        }
        for year, label in zip(resolved, ordered["label"], strict=True)
        if year.available
    ]
    return pd.DataFrame(records, columns=["period", "label", "value", "status", "qualifier"])
