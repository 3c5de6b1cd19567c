"""Build the database from ``data/``: ``python -m dashboard init-db``.

Loading is idempotent and all-or-nothing: the files are validated and the demo rows generated
before anything is written, then reference data is upserted and the seed and demo rows are
replaced in one transaction. Rows loaded later from providers' returns are left alone.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from dashboard import benchmark_data, demo
from dashboard.db import effective, models
from dashboard.db.schema import upgrade_schema
from dashboard.db.seed_files import (
    EXTRA_GEOGRAPHIES,
    KENT_CODE,
    KENT_NAME,
    SeedData,
    files_digest,
    read_seed_data,
)
from dashboard.periods import parse_period

logger = logging.getLogger(__name__)
SEED_BATCH_KINDS = ("seed-published", "seed-census", "demo")
INSERT_CHUNK = 5_000
FRAME_CHUNK = 200_000  # demo rows turned into dicts at a time: benchmark data has millions


@dataclass(frozen=True)
class LoadResult:
    data_version: str
    changed: bool
    counts: dict[str, int]


def data_version(seed_data: SeedData, benchmark: benchmark_data.Size | None = None) -> str:
    """A short hash of the seed files, the demo generator version and any benchmark size."""
    size = f":{benchmark.version_tag()}" if benchmark else ""
    digest = hashlib.sha256(f"{seed_data.content_hash}:{demo.GENERATOR_VERSION}{size}".encode())
    return digest.hexdigest()[:16]


def shipped_data_version(data_dir: Path) -> str:
    """The version ``init-db`` would load from ``data_dir`` (no benchmark size), from the
    files' bytes alone: what a database loaded from this copy of the data holds."""
    seed = SeedData(frames={}, content_hash=files_digest(data_dir))
    return data_version(seed)


def init_db(
    engine: Engine,
    data_dir: Path,
    *,
    force: bool = False,
    benchmark: benchmark_data.Size | None = None,
) -> LoadResult:
    """Create or upgrade the schema, then load the seed and demo data unless already loaded.

    ``benchmark`` loads demo data reshaped to a number of rows, for benchmarks only.
    """
    seed_data = read_seed_data(data_dir)
    version = data_version(seed_data, benchmark)
    upgrade_schema(engine)
    with Session(engine) as session:
        loaded = session.get(models.DatasetInfo, "data_version")
        if loaded is not None and loaded.value == version and not force:
            return LoadResult(version, False, table_counts(session))
    demo_data = (
        benchmark_data.build(seed_data, benchmark) if benchmark else demo.generate(seed_data)
    )
    with Session(engine) as session, session.begin():
        _replace_seed_rows(session)
        _upsert_reference(session, seed_data, demo_data)
        _insert_facts(session, seed_data, demo_data, version)
        _add_published_events(session, seed_data)
        session.flush()
        effective.refresh(session.connection())
        session.merge(models.DatasetInfo(key="data_version", value=version))
        session.merge(
            models.DatasetInfo(
                key="loaded_at", value=datetime.now(UTC).isoformat(timespec="seconds")
            )
        )
    with Session(engine) as session:
        counts = table_counts(session)
    logger.info("Loaded data version %s: %s", version, counts)
    return LoadResult(version, True, counts)


def table_counts(session: Session) -> dict[str, int]:
    """Row count of every table, by table name."""
    return {
        name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in sorted(models.Base.metadata.tables.items())
    }


def _replace_seed_rows(session: Session) -> None:
    seed_batches = select(models.Batch.id).where(models.Batch.kind.in_(SEED_BATCH_KINDS))
    session.execute(delete(models.Observation).where(models.Observation.batch_id.in_(seed_batches)))
    session.execute(delete(models.Funding).where(models.Funding.batch_id.in_(seed_batches)))
    session.execute(delete(models.Batch).where(models.Batch.kind.in_(SEED_BATCH_KINDS)))
    session.execute(delete(models.QualityNote))
    session.execute(delete(models.LocalityShare))
    session.execute(delete(models.ProviderContract))
    # Events recorded on screen are kept; the published ones are reloaded from the file.
    session.execute(delete(models.DecisionEvent).where(models.DecisionEvent.status == "published"))


# Reference files whose rows map straight onto a model (upserted by primary key).
SIMPLE_REFERENCE = (
    ("reference/funders.csv", models.Funder),
    ("reference/service_lines.csv", models.ServiceLine),
    ("reference/providers.csv", models.Provider),
)


def _upsert_reference(session: Session, seed: SeedData, demo_data: demo.DemoData) -> None:
    for row in _records(seed["reference/sources.csv"]):
        session.merge(models.Source(**_renamed(row, source_id="slug")))
    for row in _records(seed["reference/locality_schemes.csv"]):
        session.merge(models.LocalityScheme(**row))
    session.flush()
    for geography in _geographies(seed):
        session.merge(geography)
    session.flush()
    for name, model in SIMPLE_REFERENCE:
        for row in _records(seed[name]):
            session.merge(model(**row))
    for row in _records(seed["reference/districts.csv"]):
        session.merge(models.District(**row))
    for row in _records(seed["reference/care_groups.csv"]):
        session.merge(models.CareGroup(**{**row, "sort_order": int(row["sort_order"])}))
    for row in _records(seed["reference/measures.csv"]):
        session.merge(models.Measure(**_renamed(row)))
    for period in _periods(seed, demo_data):
        session.merge(period)

    session.flush()
    for row in _records(seed["reference/locality_shares.csv"]):
        session.add(models.LocalityShare(**_renamed(row)))
    _add_contracts(session, seed, demo_data)
    session.flush()


def _add_contracts(session: Session, seed: SeedData, demo_data: demo.DemoData) -> None:
    """The contracts of data/reference, and of any synthetic benchmark providers."""
    for row in _records(demo_data.providers):
        session.merge(models.Provider(**row))
    session.flush()
    for frame in (seed["reference/provider_contracts.csv"], demo_data.contracts):
        for row in _records(frame):
            session.add(models.ProviderContract(**_renamed(row)))


def _add_published_events(session: Session, seed: SeedData) -> None:
    """The decisions and contract events the source documents record, as published."""
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    for row in _records(seed["published/events.csv"]):
        session.add(
            models.DecisionEvent(
                event_date=row["event_date"],
                kind=row["kind"],
                title=row["title"],
                description=row["description"],
                service_lines=row["service_lines"] or None,
                localities=row["localities"] or None,
                paper_url=row["paper_url"],
                source=row["source_id"],
                citation=row["source_section"],
                status="published",
                created_by="init-db",
                created_at=loaded_at,
            )
        )


def _geographies(seed: SeedData) -> list[models.Geography]:
    """The county, its districts, the localities of every scheme, and wider regions."""
    geographies = [models.Geography(code=KENT_CODE, name=KENT_NAME, level="county")]
    geographies += [
        models.Geography(code=code, name=name, level=level)
        for code, (name, level) in EXTRA_GEOGRAPHIES.items()
    ]
    geographies += [
        models.Geography(code=row["code"], name=row["name"], level="district")
        for row in _records(seed["reference/districts.csv"])
    ]
    geographies += [
        models.Geography(code=row["slug"], name=row["name"], level="locality", scheme=row["scheme"])
        for row in _records(seed["reference/localities.csv"])
    ]
    return geographies


def _periods(seed: SeedData, demo_data: demo.DemoData) -> list[models.Period]:
    periods = [models.Period(**row) for row in _records(seed["reference/periods.csv"])]
    periods += [models.Period(**row) for row in demo_data.periods]
    irregular = {period.slug for period in periods}
    used = set()
    for frame in (
        seed["census/observations.csv"],
        seed["published/observations.csv"],
        seed["published/funding.csv"],
        demo_data.observations,
        demo_data.funding,
    ):
        used.update(frame["period"])
    used.update(slug for slug in seed["published/quality_notes.csv"]["period"] if slug)
    used.update(demo.years())
    for slug in sorted(used - irregular):
        parsed = parse_period(slug)
        periods.append(
            models.Period(
                slug=slug, kind=parsed.kind, label=parsed.label, start=parsed.start, end=parsed.end
            )
        )
    return periods


def _insert_facts(session: Session, seed: SeedData, demo_data: demo.DemoData, version: str) -> None:
    sources = (
        (
            "seed-published",
            "Published figures (data/published)",
            "published",
            seed["published/observations.csv"],
        ),
        (
            "seed-census",
            "Census and population (data/census)",
            "census",
            seed["census/observations.csv"],
        ),
    )
    for kind, label, status, frame in sources:
        batch = _new_batch(session, kind, label, version, len(frame))
        _bulk_insert(session, models.Observation, _observation_rows(frame, status, batch.id))
    funding = seed["published/funding.csv"]
    batch = session.get(models.Batch, _batch_id(session, "seed-published"))
    rows = [
        {**_renamed(row), "status": "published", "batch_id": batch.id}
        for row in _records(funding, nullable=("funder", "service_line"))
    ]
    _bulk_insert(session, models.Funding, rows)
    batch.rows += len(rows)
    for row in _records(seed["published/quality_notes.csv"], nullable=("measure", "period")):
        session.add(models.QualityNote(**_renamed(row)))

    demo_rows = len(demo_data.observations) + len(demo_data.funding)
    batch = _new_batch(session, "demo", "Demonstration data (dashboard.demo)", version, demo_rows)
    observations = demo_data.observations.assign(
        qualifier="", source_id=demo.SOURCE, source_section="", note=""
    )
    for start in range(0, len(observations), FRAME_CHUNK):
        chunk = observations.iloc[start : start + FRAME_CHUNK]
        _bulk_insert(session, models.Observation, _observation_rows(chunk, "demo", batch.id))
    funding_rows = [
        {
            **row,
            "qualifier": "",
            "status": "demo",
            "source": demo.SOURCE,
            "source_section": "",
            "note": "",
            "batch_id": batch.id,
        }
        for row in demo_data.funding.to_dict("records")
    ]
    _bulk_insert(session, models.Funding, funding_rows)


def _new_batch(session: Session, kind: str, label: str, version: str, rows: int) -> models.Batch:
    batch = models.Batch(
        kind=kind,
        label=label,
        content_hash=version,
        loaded_at=datetime.now(UTC).replace(tzinfo=None),
        loaded_by="init-db",
        rows=rows,
    )
    session.add(batch)
    session.flush()
    return batch


def _batch_id(session: Session, kind: str) -> int:
    return session.execute(select(models.Batch.id).where(models.Batch.kind == kind)).scalar_one()


def _observation_rows(frame: pd.DataFrame, status: str, batch_id: int) -> list[dict]:
    """The observation rows of ``frame`` as dicts to insert, an empty care group or provider as
    None. Built from each column's ``tolist`` (native values), not ``to_dict("records")``,
    which boxes every cell on its own: 5 s of a 17 s ``init-db`` on 4 Dec 2026."""
    frame = frame.rename(columns={"source_id": "source"})
    columns = {name: frame[name].tolist() for name in frame.columns}
    for name in ("care_group", "provider"):
        columns[name] = [
            value if isinstance(value, str) and value else None for value in columns[name]
        ]
    columns["status"] = [status] * len(frame)
    columns["batch_id"] = [batch_id] * len(frame)
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _renamed(row: dict, *, source_id: str = "source") -> dict:
    """A CSV row with its ``source_id`` column under the model's attribute name."""
    renamed = dict(row)
    renamed[source_id] = renamed.pop("source_id")
    return renamed


def _records(frame: pd.DataFrame, nullable: tuple[str, ...] = ()) -> list[dict]:
    """Rows as dicts, with empty optional dates and the named empty strings as None."""
    records = frame.to_dict("records")
    for record in records:
        for key, value in record.items():
            if (
                value == ""
                and (key in nullable or key in ("locality", "target_of", "at_most"))
                or isinstance(value, float)
                and pd.isna(value)
            ):
                record[key] = None
    return records


def _bulk_insert(session: Session, model: type[models.Base], rows: list[dict]) -> None:
    """Insert ``rows`` (dicts keyed by column name) into ``model``'s table in chunks.

    Through the table (Core), not the mapped class: the ORM's bulk path collects and checks
    every row on its own, 6 s of a 17 s ``init-db`` on 4 Dec 2026.
    """
    for start in range(0, len(rows), INSERT_CHUNK):
        session.execute(insert(model.__table__), rows[start : start + INSERT_CHUNK])
