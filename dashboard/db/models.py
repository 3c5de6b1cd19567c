"""SQLAlchemy models: reference data, observations, funding, and the history of what was loaded.

The schema is built for real monitoring returns as well as the seed data: every fact row names
its measure, period, geography, care group (or all), provider (or all), status and source, and the
batch that loaded it, so a later import can replace a provider's return without a schema change.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

STATUSES = ("published", "return", "census", "modelled", "demo")
ROLES = ("viewer", "uploader", "editor", "admin")
GEOGRAPHY_LEVELS = ("county", "locality", "district", "region")
POLARITIES = ("higher-better", "lower-better", "neither")
FUNDING_BASES = ("allocated", "actual")
# Decisions and contract events (``decision_event.kind`` and ``.status``).
EVENT_KINDS = (
    "jcg-decision",
    "contract-start",
    "contract-end",
    "contract-variation",
    "policy-change",
)
EVENT_STATUSES = ("published", "recorded")


class Base(DeclarativeBase):
    """Declarative base for every table."""


class Source(Base):
    __tablename__ = "source"
    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(Text)
    published: Mapped[str] = mapped_column(String(80))
    section: Mapped[str] = mapped_column(Text, default="")
    licence: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text, default="")
    citation: Mapped[str] = mapped_column(Text)


class District(Base):
    __tablename__ = "district"
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    former_names: Mapped[str] = mapped_column(Text, default="")


class LocalityScheme(Base):
    __tablename__ = "locality_scheme"
    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")


class Geography(Base):
    """Any area a figure can describe: the county, a locality, a district or a wider region."""

    __tablename__ = "geography"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(12))
    scheme: Mapped[str | None] = mapped_column(ForeignKey("locality_scheme.slug"), nullable=True)


class LocalityShare(Base):
    """The share of a district that lies in a locality, by population and by carers."""

    __tablename__ = "locality_share"
    scheme: Mapped[str] = mapped_column(ForeignKey("locality_scheme.slug"), primary_key=True)
    locality: Mapped[str] = mapped_column(ForeignKey("geography.code"), primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("district.code"), primary_key=True)
    population_share: Mapped[float] = mapped_column(Float)
    carer_share: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(ForeignKey("source.slug"))


class CareGroup(Base):
    __tablename__ = "care_group"
    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Funder(Base):
    __tablename__ = "funder"
    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(12))
    locality: Mapped[str | None] = mapped_column(ForeignKey("geography.code"), nullable=True)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)


class ServiceLine(Base):
    __tablename__ = "service_line"
    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")


class Provider(Base):
    __tablename__ = "provider"
    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    aliases: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")


class ProviderContract(Base):
    __tablename__ = "provider_contract"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(ForeignKey("provider.slug"))
    locality: Mapped[str | None] = mapped_column(ForeignKey("geography.code"), nullable=True)
    service_line: Mapped[str] = mapped_column(ForeignKey("service_line.slug"))
    start: Mapped[date | None] = mapped_column(Date, nullable=True)
    end: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(ForeignKey("source.slug"))
    source_section: Mapped[str] = mapped_column(Text, default="")


class Period(Base):
    __tablename__ = "period"
    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(80))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)


class Measure(Base):
    """The measure catalogue: what each figure means and how to read it."""

    __tablename__ = "measure"
    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    numerator: Mapped[str] = mapped_column(Text, default="")
    denominator: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(Text, default="")
    caveats: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20))
    polarity: Mapped[str] = mapped_column(String(14))
    finest_geography: Mapped[str] = mapped_column(String(12))
    counts_people: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(ForeignKey("source.slug"))
    target_of: Mapped[str | None] = mapped_column(String(80), nullable=True)
    # Plausibility rules for monitoring returns (see dashboard.returns.vocabulary.MeasureSpec).
    min_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    at_most: Mapped[str | None] = mapped_column(String(80), nullable=True)
    unusual_ratio: Mapped[float | None] = mapped_column(Float, nullable=True)


class Batch(Base):
    """One load of rows into the database: seed data, demo data or an imported return."""

    __tablename__ = "batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    loaded_by: Mapped[str] = mapped_column(String(120), default="system")
    rows: Mapped[int] = mapped_column(Integer, default=0)


class Observation(Base):
    __tablename__ = "observation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    measure: Mapped[str] = mapped_column(ForeignKey("measure.slug"))
    period: Mapped[str] = mapped_column(ForeignKey("period.slug"))
    geography: Mapped[str] = mapped_column(ForeignKey("geography.code"))
    care_group: Mapped[str | None] = mapped_column(ForeignKey("care_group.slug"), nullable=True)
    provider: Mapped[str | None] = mapped_column(ForeignKey("provider.slug"), nullable=True)
    category: Mapped[str] = mapped_column(String(120), default="")
    value: Mapped[float] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(ForeignKey("source.slug"))
    source_section: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"))

    __table_args__ = (
        Index("ix_observation_filter", "measure", "period", "geography", "care_group"),
        Index("ix_observation_status", "status", "measure"),
        Index("ix_observation_provider_period", "provider", "period"),
        Index("ix_observation_batch", "batch_id"),
    )


class EffectiveObservation(Base):
    """The figures the dashboard shows, derived from ``observation`` whenever data is written.

    Rebuilt by ``dashboard.db.effective.refresh`` in the transaction that loads the data, so the
    selection rules run once per load instead of on every read: values no chart may use are left
    out (``dashboard.screening``), demo district rows covered by a return or a published district
    figure are left out (``dashboard.rules.prefer_returns``), monthly rows are added up into
    their quarter, and each row carries its period's kind and dates for filtering.
    """

    __tablename__ = "effective_observation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    measure: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(40))
    geography: Mapped[str] = mapped_column(String(60))
    care_group: Mapped[str | None] = mapped_column(String(60), nullable=True)
    provider: Mapped[str | None] = mapped_column(String(80), nullable=True)
    category: Mapped[str] = mapped_column(String(120), default="")
    value: Mapped[float] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(80))
    source_section: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    period_kind: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        # Every read names the measure; most name a care group and a date range too.
        Index("ix_effective_measure_group", "measure", "care_group", "period_start"),
    )


class StoredSummary(Base):
    """How many ``observation`` rows each measure has per source, status, place, period and
    kind of batch, and when they were last loaded.

    Rebuilt with the effective figures (``dashboard.db.effective.refresh``), so the data
    coverage and load dates the pages cite are read from a few thousand rows instead of grouping
    every stored row on a worker's first request.
    """

    __tablename__ = "stored_summary"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    measure: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12))
    geography: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(40))
    batch_kind: Mapped[str] = mapped_column(String(20))
    rows: Mapped[int] = mapped_column(Integer)
    last_loaded_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_stored_summary_measure", "measure"),)


class ScreenedObservation(Base):
    """The stored observations no chart may use (``dashboard.screening``), with the measure's
    unit, for the data-quality panel.

    Rebuilt with the effective figures (``dashboard.db.effective.refresh``), which leave exactly
    these rows out, so the panel never scans every stored value on a worker's first request.
    """

    __tablename__ = "screened_observation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    measure: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(40))
    geography: Mapped[str] = mapped_column(String(60))
    provider: Mapped[str | None] = mapped_column(String(80), nullable=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(20))

    __table_args__ = (Index("ix_screened_observation_measure", "measure"),)


class Funding(Base):
    __tablename__ = "funding"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    funder: Mapped[str | None] = mapped_column(ForeignKey("funder.slug"), nullable=True)
    service_line: Mapped[str | None] = mapped_column(ForeignKey("service_line.slug"), nullable=True)
    geography: Mapped[str] = mapped_column(ForeignKey("geography.code"))
    period: Mapped[str] = mapped_column(ForeignKey("period.slug"))
    amount: Mapped[float] = mapped_column(Float)
    basis: Mapped[str] = mapped_column(String(12))
    qualifier: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(ForeignKey("source.slug"))
    source_section: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"))

    __table_args__ = (
        Index("ix_funding_filter", "period", "geography", "funder", "service_line"),
        Index("ix_funding_status", "status"),
    )


class QualityNote(Base):
    __tablename__ = "quality_note"
    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(ForeignKey("source.slug"))
    source_section: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str | None] = mapped_column(ForeignKey("measure.slug"), nullable=True)
    period: Mapped[str | None] = mapped_column(ForeignKey("period.slug"), nullable=True)


class ObservationRevision(Base):
    """An imported value that a later return replaced, kept so changes can be shown."""

    __tablename__ = "observation_revision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    measure: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(40))
    geography: Mapped[str] = mapped_column(String(60))
    care_group: Mapped[str | None] = mapped_column(String(60), nullable=True)
    provider: Mapped[str | None] = mapped_column(String(80), nullable=True)
    category: Mapped[str] = mapped_column(String(120), default="")
    value: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"))
    replaced_by_batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"))
    replaced_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_revision_replaced_at", "replaced_at"),)


class ImportAttempt(Base):
    """The audit log: every attempt to import a return, loaded or not."""

    __tablename__ = "import_attempt"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(Text)
    file_hash: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"), nullable=True)


class AccountEvent(Base):
    """The audit log of sign-ins and account changes (names and addresses, never passwords)."""

    __tablename__ = "account_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(120))
    event: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class UserAccount(Base):
    """A member of staff who can sign in; passwords are stored only as salted hashes."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the identity in the session cookie; bumped to end every session of the account.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DecisionEvent(Base):
    """A dated decision or contract event, drawn as a marker on the trends it concerns.

    ``service_lines`` and ``localities`` hold ``;``-separated slugs, or nothing for all.
    Seeded events (status ``published``) come from ``data/published/events.csv`` and are
    replaced by every load; events recorded on screen (status ``recorded``) are kept.
    """

    __tablename__ = "decision_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_date: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    service_lines: Mapped[str | None] = mapped_column(Text, nullable=True)
    localities: Mapped[str | None] = mapped_column(Text, nullable=True)
    paper_url: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(ForeignKey("source.slug"), nullable=True)
    citation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    # Ids are never reused (SQLite would reuse a deleted one), so the audit log's event ids
    # name one event each.
    __table_args__ = {"sqlite_autoincrement": True}


class DecisionEventChange(Base):
    """The audit log of events added, edited or deleted on screen (the values after, or the
    values deleted)."""

    __tablename__ = "decision_event_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")


class DatasetInfo(Base):
    """Key/value facts about the loaded data, such as its version hash."""

    __tablename__ = "dataset_info"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = [
    "AccountEvent",
    "Base",
    "Batch",
    "CareGroup",
    "DatasetInfo",
    "DecisionEvent",
    "DecisionEventChange",
    "District",
    "Funder",
    "Funding",
    "Geography",
    "ImportAttempt",
    "LocalityScheme",
    "LocalityShare",
    "Measure",
    "Observation",
    "ObservationRevision",
    "Period",
    "Provider",
    "ProviderContract",
    "QualityNote",
    "ServiceLine",
    "Source",
    "UserAccount",
]
