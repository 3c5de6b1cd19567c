"""Load a validated monitoring return into the database, all or nothing, with an audit trail.

A return replaces any earlier imported return for the same provider and period: the earlier
rows move to ``observation_revision`` (so the dashboard can show what changed since a date)
and the new rows are inserted, in one transaction. Every attempt is written to
``import_attempt`` before the file is read (result "started") and updated with its outcome, so
an attempt whose worker died stays visible as "started".

Imported rows have the status "return" (shown as "Provider return"), not "published": they are
what a provider reported, not figures printed in a council document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, and_, delete, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from dashboard.db import effective, models
from dashboard.periods import parse_period
from dashboard.returns.plausibility import Benchmarks

IMPORT_SOURCE = "provider-returns"
IMPORT_STATUS = "return"
STARTED = "started"


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: loaded or not, how many rows, how many earlier values it replaced."""

    loaded: bool
    rows: int
    replaced: int
    message: str
    batch_id: int | None = None


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def start_attempt(engine: Engine, *, username: str, filename: str, data: bytes) -> int:
    """Write the audit line of an attempt about to be checked (result "started"); its id."""
    with Session(engine) as session, session.begin():
        attempt = models.ImportAttempt(
            attempted_at=now(),
            username=username,
            filename=filename,
            file_hash=file_hash(data),
            size_bytes=len(data),
            rows=0,
            result=STARTED,
            message="",
        )
        session.add(attempt)
        session.flush()
        return attempt.id


def finish_attempt(
    engine: Engine,
    attempt_id: int,
    *,
    rows: int,
    result: str,
    message: str,
    batch_id: int | None = None,
) -> None:
    """Record an attempt's outcome in its own transaction."""
    with Session(engine) as session, session.begin():
        session.execute(
            update(models.ImportAttempt)
            .where(models.ImportAttempt.id == attempt_id)
            .values(rows=rows, result=result, message=message[:20_000], batch_id=batch_id)
        )


def read_benchmarks(
    engine: Engine, measures: pd.DataFrame, periods: pd.DataFrame, capping_measures: set[str]
) -> Benchmarks:
    """What the plausibility rules compare a return with: the latest values of the capping
    measures (the Census carers) and every value returned so far."""
    o, b = models.Observation, models.Batch
    with engine.connect() as connection:
        capping = pd.read_sql(
            select(o.measure, o.period, o.geography, o.care_group, o.category, o.value).where(
                o.measure.in_(sorted(capping_measures))
            ),
            connection,
        )
        returned = pd.read_sql(
            select(o.provider, o.measure, o.period, o.geography, o.care_group, o.value)
            .join(b, b.id == o.batch_id)
            .where(b.kind == "import"),
            connection,
        )
    return Benchmarks.from_frames(
        capping=capping, returned=returned, measures=measures, periods=periods
    )


class LoadedMeanwhile(Exception):
    """Another return was loaded after this one was checked: the checks against the returns
    loaded before (overlapping periods, unusual values) no longer hold."""

    MESSAGE = (
        "another return was loaded while this file was being checked, so it was not loaded: "
        "the checks against earlier returns (overlapping periods, unusual values) must see "
        "that one too. Upload the file again."
    )

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


def latest_import(engine: Engine) -> int:
    """The id of the latest imported return's batch (0 before any): what a file is checked
    against, which ``load_return`` checks is still the latest when it loads."""
    with engine.connect() as connection:
        return connection.execute(_latest_import_id()).scalar() or 0


def _latest_import_id(besides: int | None = None):
    """The query of the latest imported return's batch id, ``besides`` one being loaded."""
    batch = models.Batch
    found = select(func.max(batch.id)).where(batch.kind == "import")
    return found if besides is None else found.where(batch.id != besides)


def load_return(
    engine: Engine,
    rows: pd.DataFrame,
    *,
    filename: str,
    data: bytes,
    username: str,
    checked_after: int | None = None,
) -> ImportOutcome:
    """Replace the returns for every (provider, period) in ``rows`` in one transaction.

    ``rows`` columns: provider, period, geography, care_group (None = all), measure, value, note.
    ``checked_after``: the ``latest_import`` the rows were checked against; if another return
    has been loaded since, nothing is loaded and ``LoadedMeanwhile`` is raised. Loads wait for
    one another, so two files checked at once cannot both pass checks made without the other
    (a year and its own quarter from two uploads were both loaded, and counted twice).
    """
    coverage = sorted(set(zip(rows["provider"], rows["period"], strict=True)))
    with Session(engine) as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            # Held to the end of the transaction, and taken by no reader. On SQLite the insert
            # below, the transaction's first statement, waits for the one writer's lock.
            session.execute(text("LOCK TABLE batch IN SHARE ROW EXCLUSIVE MODE"))
        batch = models.Batch(
            kind="import",
            label=filename,
            content_hash=file_hash(data),
            loaded_at=now(),
            loaded_by=username,
            rows=len(rows),
        )
        session.add(batch)
        session.flush()
        if checked_after is not None:
            latest_other = session.execute(_latest_import_id(besides=batch.id)).scalar() or 0
            if latest_other != checked_after:
                raise LoadedMeanwhile
        earlier = _move_to_revisions(session, coverage, batch.id)
        _ensure_periods(session, set(rows["period"]))
        session.execute(insert(models.Observation), _observation_rows(rows, filename, batch.id))
        replaced_measures = {key[0] for key in earlier}
        effective.refresh(session.connection(), set(rows["measure"]) | replaced_measures)
        batch_id = batch.id
    returns = len(coverage)
    message = (
        f"Loaded {filename}: {len(rows):,} row{'s' if len(rows) != 1 else ''} for {returns} "
        f"provider return{'s' if returns != 1 else ''}"
    )
    if earlier:
        # Every earlier value of the return is kept as a revision; the ones that differ are the
        # revisions "Since last meeting" lists.
        loaded = {_value_key(row): float(row["value"]) for row in rows.to_dict("records")}
        changed = sum(loaded.get(key) != value for key, value in earlier.items())
        message += (
            f", replacing the earlier return's {len(earlier):,} values, {changed:,} of them "
            "changed (all kept as revisions)"
        )
    return ImportOutcome(True, len(rows), len(earlier), message + ".", batch_id)


def _value_key(row) -> tuple:
    """What identifies a returned value: measure, period, district, care group, provider."""
    care_group = row["care_group"] if isinstance(row["care_group"], str) else None
    return (row["measure"], row["period"], row["geography"], care_group, row["provider"])


def _covered(coverage: list[tuple[str, str]]):
    return or_(
        *(
            and_(models.Observation.provider == provider, models.Observation.period == period)
            for provider, period in coverage
        )
    )


def _move_to_revisions(
    session: Session, coverage: list[tuple[str, str]], batch_id: int
) -> dict[tuple, float]:
    """Move earlier imported rows of the covered returns to revisions; their values, by key
    (``_value_key``)."""
    o = models.Observation
    imported = select(models.Batch.id).where(models.Batch.kind == "import")
    earlier = (
        session.execute(select(o).where(_covered(coverage), o.batch_id.in_(imported)))
        .scalars()
        .all()
    )
    if not earlier:
        return {}
    replaced_at = now()
    session.execute(
        insert(models.ObservationRevision),
        [
            {
                "measure": row.measure,
                "period": row.period,
                "geography": row.geography,
                "care_group": row.care_group,
                "provider": row.provider,
                "category": row.category,
                "value": row.value,
                "status": row.status,
                "batch_id": row.batch_id,
                "replaced_by_batch_id": batch_id,
                "replaced_at": replaced_at,
            }
            for row in earlier
        ],
    )
    session.execute(delete(o).where(o.id.in_([row.id for row in earlier])))
    return {
        _value_key(
            {
                "measure": row.measure,
                "period": row.period,
                "geography": row.geography,
                "care_group": row.care_group,
                "provider": row.provider,
            }
        ): row.value
        for row in earlier
    }


def _ensure_periods(session: Session, slugs: set[str]) -> None:
    for slug in sorted(slugs):
        if session.get(models.Period, slug) is None:
            period = parse_period(slug)
            session.add(
                models.Period(
                    slug=slug,
                    kind=period.kind,
                    label=period.label,
                    start=period.start,
                    end=period.end,
                )
            )
    session.flush()


def _observation_rows(rows: pd.DataFrame, filename: str, batch_id: int) -> list[dict]:
    records = []
    for row in rows.to_dict("records"):
        care_group = row["care_group"] if isinstance(row["care_group"], str) else None
        records.append(
            {
                "measure": row["measure"],
                "period": row["period"],
                "geography": row["geography"],
                "care_group": care_group,
                "provider": row["provider"],
                "category": "",
                "value": float(row["value"]),
                "qualifier": "",
                "status": IMPORT_STATUS,
                "source": IMPORT_SOURCE,
                "source_section": filename,
                "note": row["note"] if isinstance(row["note"], str) else "",
                "batch_id": batch_id,
            }
        )
    return records


def _care_group_as_text(frame: pd.DataFrame) -> None:
    """Empty care groups as missing values in an object column: an all-empty column reads as
    float NaN from one query and None from another, and the two do not merge."""
    frame["care_group"] = frame["care_group"].astype(object).where(frame["care_group"].notna())


def changes_since(engine: Engine, since: datetime) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Returns first loaded after ``since``, and values revised after it.

    New returns columns: provider, period, first_loaded, rows. Revisions columns: provider,
    period, geography, care_group, measure, previous, current, replaced_at.
    """
    b, o, r = models.Batch, models.Observation, models.ObservationRevision
    with engine.connect() as connection:
        current = pd.read_sql(
            select(o.provider, o.period, o.geography, o.care_group, o.measure, o.value, b.loaded_at)
            .join(b, b.id == o.batch_id)
            .where(b.kind == "import"),
            connection,
        )
        revisions = pd.read_sql(
            select(
                r.provider,
                r.period,
                r.geography,
                r.care_group,
                r.measure,
                r.value,
                r.replaced_at,
                b.loaded_at,
            ).join(b, b.id == r.batch_id),
            connection,
        )
    for frame in (current, revisions):
        frame["loaded_at"] = pd.to_datetime(frame["loaded_at"])
        _care_group_as_text(frame)
    revisions["replaced_at"] = pd.to_datetime(revisions["replaced_at"])
    loads = pd.concat([current, revisions], ignore_index=True)
    first = loads.groupby(["provider", "period"], as_index=False)["loaded_at"].min()
    counts = current.groupby(["provider", "period"], as_index=False).size()
    new = first[first["loaded_at"] >= pd.Timestamp(since)].merge(counts, on=["provider", "period"])
    new = new.rename(columns={"loaded_at": "first_loaded", "size": "rows"})
    keys = ["provider", "period", "geography", "care_group", "measure"]
    recent = revisions[revisions["replaced_at"] >= pd.Timestamp(since)]
    # The value as it stood at ``since`` is the earliest revision replaced after that date.
    previous = recent.sort_values("replaced_at").groupby(keys, dropna=False, as_index=False).first()
    _care_group_as_text(previous)  # grouped, an all-empty key column came back as numbers
    changed = previous.rename(columns={"value": "previous"}).merge(
        current[[*keys, "value"]].rename(columns={"value": "current"}), on=keys, how="left"
    )
    changed = changed[changed["previous"] != changed["current"]]
    columns = [*keys, "previous", "current", "replaced_at"]
    return new.reset_index(drop=True), changed[columns].reset_index(drop=True)
