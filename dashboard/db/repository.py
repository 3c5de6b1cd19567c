"""Read-only access to the database for callbacks, with caching keyed by the data version.

Every query uses bound parameters and returns a DataFrame with a fixed, documented column set.
Cached frames are shared between callers: treat them as read-only (the rules and views copy).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
from sqlalchemy import Engine, func, inspect, literal, or_, select, text, union_all
from sqlalchemy.exc import SQLAlchemyError

from dashboard import screening
from dashboard.data_dates import DataDates
from dashboard.db import models
from dashboard.db.decisions import EVENTS_VERSION
from dashboard.db.engine import DatabaseUnavailable, file_identity, sqlite_file
from dashboard.events import EVENT_COLUMNS
from dashboard.filters import FilterChoices, Filters
from dashboard.periods import MENU_KINDS, menu_order

if TYPE_CHECKING:
    from dashboard.caching import ResultCache

OBSERVATION_COLUMNS = [
    "measure",
    "period",
    "geography",
    "care_group",
    "provider",
    "category",
    "value",
    "qualifier",
    "status",
    "source",
    "source_section",
    "note",
    "period_kind",
    "period_start",
    "period_end",
]
PageData = TypeVar("PageData")
PAGE_DATA_KEPT = 8  # pages' frames ``page_data`` keeps: four pages read theirs so today
FUNDING_MEASURE = "funding"  # how load dates name funding rows, which have no measure
FUNDING_COLUMNS = [
    "funder",
    "funder_kind",
    "service_line",
    "geography",
    "period",
    "amount",
    "basis",
    "qualifier",
    "status",
    "source",
    "source_section",
    "note",
    "period_kind",
]


class NoDashboardData(DatabaseUnavailable):
    """The database answers but holds no dashboard data (``init-db`` has not been run)."""


@dataclass(frozen=True)
class Reference:
    """Reference tables as frames, loaded once per repository."""

    districts: pd.DataFrame
    geographies: pd.DataFrame
    schemes: pd.DataFrame
    shares: pd.DataFrame
    care_groups: pd.DataFrame
    periods: pd.DataFrame
    measures: pd.DataFrame
    sources: pd.DataFrame
    funders: pd.DataFrame
    service_lines: pd.DataFrame
    providers: pd.DataFrame
    contracts: pd.DataFrame
    quality_notes: pd.DataFrame

    def filter_choices(self) -> FilterChoices:
        """The slugs the URL filters accept, with their display names."""
        return self._filter_choices

    @cached_property
    def _filter_choices(self) -> FilterChoices:
        # Every request checks its filters against these; the tables never change in place.
        localities = self.geographies[self.geographies["level"] == "locality"]
        by_scheme = {
            scheme: dict(zip(group["code"], group["name"], strict=True))
            for scheme, group in localities.groupby("scheme", sort=False)
        }
        for scheme in self.schemes["slug"]:
            by_scheme.setdefault(scheme, {})
        regular = self.periods[self.periods["kind"].isin(MENU_KINDS)]
        labels = dict(zip(regular["slug"], regular["label"], strict=True))
        return FilterChoices(
            localities=by_scheme,
            care_groups=dict(zip(self.care_groups["slug"], self.care_groups["name"], strict=True)),
            periods={slug: labels[slug] for slug in menu_order(labels)},
            scheme_names=dict(zip(self.schemes["slug"], self.schemes["name"], strict=True)),
        )

    def measure(self, slug: str) -> dict:
        """One row of the measure catalogue as a dict."""
        if slug not in self._measure_rows:
            raise KeyError(f"unknown measure {slug!r}")
        return dict(self._measure_rows[slug])

    @cached_property
    def _measure_rows(self) -> dict[str, dict]:
        # Asked for by every chart (about 3 ms a time as a frame filter).
        return {row["slug"]: row for row in self.measures.to_dict("records")}

    def citation(self, source: str) -> str:
        rows = self.sources[self.sources["slug"] == source]
        return rows.iloc[0]["citation"] if len(rows) else source


class Repository:
    """Cached queries over one engine, plus the district boundaries read at start-up.

    ``boundaries`` is a GeoJSON FeatureCollection oriented for Plotly (feature id = ONS code),
    or None when no boundary file is configured and maps fall back to the tile layout.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        cache_size: int = 256,
        boundaries: dict | None = None,
        results: ResultCache | None = None,
    ):
        self.engine = engine
        self.boundaries = boundaries
        self.observations = self._kept_per_version(self._observations, cache_size)
        self.funding = self._kept_per_version(self._funding, cache_size)
        self.reference = self._kept_per_version(self._reference, 1)
        self.dataset_info = self._kept_per_version(self._dataset_info, 1)
        self.coverage = self._kept_per_version(self._coverage, 1)
        self.returns_received = self._kept_per_version(self._returns_received, 1)
        self.data_dates = self._kept_per_version(self._data_dates, 1)
        self.screened_out = self._kept_per_version(self._screened_out, 1)
        self.decision_events = self._kept_per_version(self._decision_events, 1)
        self._page_data = self._kept_per_version(lambda build: build(self), PAGE_DATA_KEPT)
        self._cache_size = cache_size
        self._results = results
        self._warm_ups: list[tuple[Callable, tuple]] = []  # (function, default view's arguments)
        self._loaded_state: tuple[str, str] | None = None
        self._request = threading.local()  # the data state read for this thread's request
        self._serving = 0  # requests between begin_request and end_request
        self._serving_lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._file = sqlite_file(engine.url)
        self._file_identity: tuple[int, int] | None = None
        self._ready = False

    def _kept_per_version(self, method: Callable, size: int) -> Callable:
        """``method`` with its last ``size`` results kept in this process, by data version.

        The version is part of the key, so a result read from one version's data is never
        returned for another: a query that began before new data was noticed, in another thread
        (the warm-up, a request), is stored after the caches were cleared, but under its own
        version. ``cache_clear`` frees the memory.
        """
        kept = lru_cache(maxsize=size)(lambda _version, *args: method(*args))

        def lookup(*args):
            return kept(self.refreshed_version(), *args)

        lookup.cache_clear = kept.cache_clear
        return lookup

    def page_data(self, build: Callable[[Repository], PageData]) -> PageData:
        """``build(self)``: the frames a page's views read, the same object for every callback
        and request of this process until new data are loaded. So what the views keep in it
        (``views.common.worked_out_once``, such as the reach page's district table for a care
        group and period) is worked out once per data version, not once per chart source: a new
        selection of /reach took two district tables, one for the map and one for the funnel
        and ranking. New data, here or in another process, give a new object."""
        return self._page_data(build)

    def cached(self, function: Callable, *, warm_with: tuple | None = None) -> Callable:
        """``function`` (of hashable arguments) with its results kept in the result cache.

        For results derived from this repository's data, such as a page's figures for a set of
        filters. Every key holds the data version read just before computing, so a result is
        never served for data other than that it was computed from, in any worker sharing the
        cache. ``warm_with``: the arguments of the page's default view (``add_warm_up``).
        """
        name = _qualified_name(function)

        def lookup(*args):
            version = self.refreshed_version()
            arguments = hashlib.sha256(repr(args).encode()).hexdigest()[:20]
            return self.result_cache().get_or_compute(
                f"{version}:{name}:{arguments}", lambda: function(*args)
            )

        if warm_with is not None:
            self.add_warm_up(lookup, warm_with)
        return lookup

    def add_warm_up(self, function: Callable, arguments: tuple) -> None:
        """Have the warm-up compute ``function(*arguments)``, a page's default view, and that
        view for other filters when ``arguments`` begin with the filters (``warm_ups``). An
        argument that is a function is called for its value when the view is warmed."""
        self._warm_ups.append((function, arguments))

    def result_cache(self) -> ResultCache:
        """Where ``cached`` keeps results: as given, else this process's memory."""
        if self._results is None:
            from dashboard.caching import ResultCache

            self._results = ResultCache.in_memory(self._cache_size)
        return self._results

    def warm_ups(self, filters: Sequence[Filters] = ()) -> tuple[Callable[[], object], ...]:
        """Each default view registered with ``add_warm_up``, ready to compute; given
        ``filters``, each of those views whose first argument is the filters, for every one of
        them in turn (the page's other arguments as in its default view)."""
        # An argument given as a function is worked out when warming: today's date, for one.
        registered = [
            (lookup, tuple(a() if callable(a) else a for a in arguments))
            for lookup, arguments in self._warm_ups
        ]
        if not filters:
            return tuple(partial(lookup, *arguments) for lookup, arguments in registered)
        return tuple(
            partial(lookup, chosen, *arguments[1:])
            for chosen in filters
            for lookup, arguments in registered
            if arguments and isinstance(arguments[0], Filters)
        )

    def clear_cache(self) -> None:
        """Forget this process's cached queries and results, after new data has been loaded.

        A shared result cache keeps its entries: their keys name the old data version. The
        data version is read again, even within a request (the request changed the data).
        """
        self._request.state = None
        if self._results is not None:
            self._results.clear_local()
        for method in (
            self.observations,
            self.funding,
            self.reference,
            self.dataset_info,
            self.coverage,
            self.returns_received,
            self.data_dates,
            self.screened_out,
            self.decision_events,
            self._page_data,
        ):
            method.cache_clear()

    def begin_request(self) -> None:
        """Pick up data loaded by others (``refresh_if_changed``), and use the data version read
        now for the rest of this request: one small query per request instead of one per
        cached result, and one version for everything a request computes."""
        if not getattr(self._request, "counted", False):
            self._request.counted = True
            with self._serving_lock:
                self._serving += 1
                self._idle.clear()
        self._pin_version()

    def _pin_version(self) -> None:
        self._request.state = None
        self.refresh_if_changed()
        self._request.state = self._loaded_state

    @contextlib.contextmanager
    def one_version(self) -> Iterator[None]:
        """Compute with the data version read now throughout, as a request does (the warm-up
        computes each view so): one version for everything, read once."""
        self._pin_version()
        try:
            yield
        finally:
            self._request.state = None

    def end_request(self) -> None:
        """Forget the data version read for this thread's request."""
        self._request.state = None
        if getattr(self._request, "counted", False):
            self._request.counted = False
            with self._serving_lock:
                self._serving -= 1
                if not self._serving:
                    self._idle.set()

    def wait_until_idle(self, seconds: float) -> bool:
        """Whether no request is reading data now, waiting up to ``seconds`` for that."""
        return self._idle.wait(seconds)

    def refresh_if_changed(self) -> bool:
        """Clear this process's caches if data was loaded since they were filled (by anyone).

        Each gunicorn worker has its own query caches; an upload in one worker, or ``init-db``
        reloading the data, must reach the others, so each request compares the data version
        (one small query). The first check always clears, since anything cached before it
        came from an unknown version.
        """
        before = self._loaded_state
        self.refreshed_version()
        return self._loaded_state != before

    def refreshed_version(self) -> str:
        """The data version and load time now, after clearing the caches if they changed.

        Read before anything is computed from the caches, so a result is filed under a version
        no newer than its data.
        """
        pinned = getattr(self._request, "state", None)
        if pinned is not None:  # read at the start of this request (``begin_request``)
            return "@".join(pinned)
        state = self._data_state()
        if state != self._loaded_state:
            self.clear_cache()
            self._loaded_state = state
        return "@".join(state)

    def data_version(self) -> str:
        """The seed data's version, extended by a hash of any imported returns.

        Read from the database on every call, so every worker reports the same version; within
        a request, the version read when it began (``begin_request``).
        """
        pinned = getattr(self._request, "state", None)
        return (pinned or self._data_state())[0]

    def _data_state(self) -> tuple[str, str]:
        """(data version, when the seed data was last loaded), in one query.

        The load time changes with ``init-db --force``, which reloads the same version but
        moves the load dates the charts cite. An event added, edited or deleted on screen
        extends the version (``dashboard.db.decisions``), since the charts mark events.
        """
        info, batch = models.DatasetInfo, models.Batch
        facts = select(info.key, info.value, literal(0).label("id")).where(
            info.key.in_(("data_version", "loaded_at", EVENTS_VERSION))
        )
        imports = select(literal("import"), batch.content_hash, batch.id).where(
            batch.kind == "import"
        )
        with self.engine.connect() as connection:
            rows = connection.execute(union_all(facts, imports)).all()
        seed = {key: value for key, value, _ in rows if key != "import"}
        returns = sorted(
            (batch_id, content_hash) for key, content_hash, batch_id in rows if key == "import"
        )
        version = seed.get("data_version") or ""
        if returns:
            digest = hashlib.sha256(repr(returns).encode()).hexdigest()[:8]
            version = f"{version}+{digest}"
        if seed.get(EVENTS_VERSION):
            version = f"{version}~e{seed[EVENTS_VERSION]}"
        return version, seed.get("loaded_at") or ""

    def check_available(self) -> None:
        """Raise ``DatabaseUnavailable`` unless the database can serve the dashboard now.

        An SQLite file that was deleted makes the database unavailable (open connections would
        otherwise keep serving the deleted copy); one that was replaced is reopened and the
        caches cleared. Until the database has once answered with dashboard data (at start-up
        or after a reopen) it is asked again on every call, so a worker that started while the
        database was down begins serving as soon as it is back; after that a trivial query
        checks that it still answers.
        """
        if self._file is not None:
            identity = file_identity(self._file)
            if identity != self._file_identity:
                self.engine.dispose()
                self.clear_cache()
                self._file_identity, self._ready = identity, False
        if self._ready:
            try:
                with self.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            except SQLAlchemyError as exc:
                raise DatabaseUnavailable(
                    f"The database does not answer ({exc.__class__.__name__})."
                ) from exc
            return
        try:
            info = self._dataset_info()
        except SQLAlchemyError as exc:
            if self._answers_without_schema():
                info = {}
            else:
                raise DatabaseUnavailable(
                    f"The database cannot be read ({exc.__class__.__name__})."
                ) from exc
        if "data_version" not in info:
            raise NoDashboardData(
                "The database holds no dashboard data: run `python -m dashboard init-db`."
            )
        self._ready = True

    def _answers_without_schema(self) -> bool:
        try:
            return not inspect(self.engine).has_table(models.DatasetInfo.__tablename__)
        except SQLAlchemyError:
            return False

    def ping(self) -> bool:
        """Whether the database is available and answers a trivial query."""
        try:
            self.check_available()
        except DatabaseUnavailable:
            return False
        return True

    def _dataset_info(self) -> dict[str, str]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(models.DatasetInfo.key, models.DatasetInfo.value))
            return dict(rows.all())

    def _observations(self, measure: str, statuses: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The effective figures of one measure (optionally only some statuses), with dates.

        Read from ``effective_observation``, where the selection rules were applied when the
        data was written (``dashboard.db.effective``). Columns: OBSERVATION_COLUMNS.
        ``care_group``/``provider`` are missing for "all".
        """
        e = models.EffectiveObservation
        query = select(*(getattr(e, column) for column in OBSERVATION_COLUMNS)).where(
            e.measure == measure
        )
        if statuses:
            query = query.where(e.status.in_(statuses))
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        return _with_dates(_shared_texts(frame), ["period_start", "period_end"])

    def _screened_out(self) -> pd.DataFrame:
        """Stored values left out of every statistic (``screening``), with the reason.

        Columns: measure, period, geography, provider, value, reason.
        """
        # Listed when the data was written (``dashboard.db.effective``): no scan of every value.
        s = models.ScreenedObservation
        query = select(s.measure, s.period, s.geography, s.provider, s.value, s.unit)
        f = models.Funding
        funding = select(
            f.service_line.label("measure"),
            f.period,
            f.geography,
            f.funder.label("provider"),
            f.amount.label("value"),
            text("'gbp' AS unit"),
        ).where(or_(f.amount < 0, f.amount > screening.CEILING, f.amount != f.amount))
        with self.engine.connect() as connection:
            frame = pd.concat(
                [pd.read_sql(query, connection), pd.read_sql(funding, connection)],
                ignore_index=True,
            )
        frame = frame.assign(reason=screening.reasons(frame["value"], frame["unit"]))
        return frame[frame["reason"] != ""].drop(columns="unit").reset_index(drop=True)

    def _decision_events(self) -> pd.DataFrame:
        """Every decision and contract event, oldest first. Columns: ``events.EVENT_COLUMNS``."""
        event = models.DecisionEvent
        query = select(*(getattr(event, column) for column in EVENT_COLUMNS)).order_by(
            event.event_date, event.id
        )
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        return _with_dates(frame, ["event_date", "created_at", "updated_at"])

    def _coverage(self) -> pd.DataFrame:
        """Which measure has rows for which geography and period, from which source and status.

        Columns: measure, source, status, geography, period, period_kind, period_start,
        period_end, rows. One row per distinct combination (aggregated in the database).
        """
        s, p = models.StoredSummary, models.Period
        query = (
            select(
                s.measure,
                s.source,
                s.status,
                s.geography,
                s.period,
                p.kind.label("period_kind"),
                p.start.label("period_start"),
                p.end.label("period_end"),
                func.sum(s.rows).label("rows"),
            )
            .join(p, p.slug == s.period)
            .group_by(s.measure, s.source, s.status, s.geography, s.period, p.kind, p.start, p.end)
        )
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        return _with_dates(frame, ["period_start", "period_end"])

    def _returns_received(self) -> pd.DataFrame:
        """Imported returns by district: columns provider, period, geography, loaded_at (latest
        load), rows."""
        o, b = models.Observation, models.Batch
        query = (
            select(
                o.provider,
                o.period,
                o.geography,
                func.max(b.loaded_at).label("loaded_at"),
                func.count().label("rows"),
            )
            .join(b, b.id == o.batch_id)
            # Rows found through the import batches (``ix_observation_batch``), not by joining
            # every stored row to its batch: 1 s at 10^6 rows on SQLite, now milliseconds.
            .where(o.batch_id.in_(select(b.id).where(b.kind == "import")))
            .group_by(o.provider, o.period, o.geography)
        )
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        return frame.assign(loaded_at=pd.to_datetime(frame["loaded_at"]))

    def _data_dates(self) -> DataDates:
        """When each source's figures were published or loaded (``DataDates``), worked out once
        per data version rather than for every chart request."""
        return DataDates.from_frames(self.reference().sources, self._load_dates())

    def _load_dates(self) -> pd.DataFrame:
        """When each source's rows of each measure were last loaded, and by what kind of batch.

        Columns: source, measure (``funding`` for funding rows), kind, loaded_at.
        """
        s, f, b = models.StoredSummary, models.Funding, models.Batch
        observations = select(
            s.source, s.measure, s.batch_kind, func.max(s.last_loaded_at).label("loaded_at")
        ).group_by(s.source, s.measure, s.batch_kind)
        funding = (
            select(
                f.source, literal(FUNDING_MEASURE).label("measure"), b.kind, func.max(b.loaded_at)
            )
            .join(b, b.id == f.batch_id)
            .group_by(f.source, b.kind)
        )
        with self.engine.connect() as connection:
            frame = pd.read_sql(union_all(observations, funding), connection)
        frame.columns = ["source", "measure", "kind", "loaded_at"]
        return frame.assign(loaded_at=pd.to_datetime(frame["loaded_at"]))

    def _funding(self) -> pd.DataFrame:
        """Every funding row, with the funder's kind (council or nhs). Columns: FUNDING_COLUMNS."""
        f, funder, p = models.Funding, models.Funder, models.Period
        query = (
            select(
                f.funder,
                funder.kind.label("funder_kind"),
                f.service_line,
                f.geography,
                f.period,
                f.amount,
                f.basis,
                f.qualifier,
                f.status,
                f.source,
                f.source_section,
                f.note,
                p.kind.label("period_kind"),
            )
            .join(p, p.slug == f.period)
            .outerjoin(funder, funder.slug == f.funder)
        )
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        units = pd.Series("gbp", index=frame.index)
        return screening.usable(frame, "amount", units)[FUNDING_COLUMNS].reset_index(drop=True)

    def _reference(self) -> Reference:
        tables = {
            "districts": models.District,
            "geographies": models.Geography,
            "schemes": models.LocalityScheme,
            "shares": models.LocalityShare,
            "care_groups": models.CareGroup,
            "periods": models.Period,
            "measures": models.Measure,
            "sources": models.Source,
            "funders": models.Funder,
            "service_lines": models.ServiceLine,
            "providers": models.Provider,
            "contracts": models.ProviderContract,
            "quality_notes": models.QualityNote,
        }
        frames = {}
        with self.engine.connect() as connection:
            for name, model in tables.items():
                frames[name] = pd.read_sql(select(model), connection)
        frames["care_groups"] = frames["care_groups"].sort_values("sort_order")
        frames["periods"] = _with_dates(frames["periods"], ["start", "end"])
        return Reference(**frames)


def _qualified_name(function: Callable) -> str:
    """Module and name of ``function``, or of the function a ``partial`` wraps."""
    while isinstance(function, partial):
        function = function.func
    return f"{function.__module__}.{function.__qualname__}"


def _shared_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each distinct text of a column held once, the cells pointing to it.

    The database driver makes a new string for every cell, and a measure repeats a few dozen
    codes and labels over up to millions of rows: shared, the cached frames of every measure at
    10^6 rows take about a third of the memory (270 MB -> 82 MB, ``benchmarks/README.md``).
    """
    shared = {}
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.StringDtype):
            codes, distinct = pd.factorize(frame[column])
            shared[column] = pd.Series(distinct.take(codes, allow_fill=True), index=frame.index)
    return frame.assign(**shared)


def _with_dates(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.assign(**{column: pd.to_datetime(frame[column]) for column in columns})
