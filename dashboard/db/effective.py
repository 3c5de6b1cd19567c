"""The effective figures: what the dashboard shows, computed once whenever data is written.

``init-db``, an import and a schema upgrade call ``refresh`` in the transaction that writes the
observations, so every read afterwards is a filtered query on ``effective_observation`` instead of
re-applying the selection rules to a measure's whole history on every click. The rules applied
here are the ones ``dashboard.rules`` states for frames (``prefer_returns``) and
``dashboard.screening`` (values no chart may use), written as one ``INSERT ... SELECT`` so the
database does the work at any size:

- a value no chart may use (not a finite number, negative, a share above 100%, beyond any real
  Kent figure) is left out, and listed in ``screened_observation`` for the data-quality panel;
- a demo row for a district is left out when a return or a published figure for the same
  measure and district covers its period: the two are never added together;
- monthly rows are added up into the quarter that contains them (the dashboard's finest period);
  a month with no quarter in the period table is kept as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, and_, delete, func, insert, literal, or_, select, text, true
from sqlalchemy.orm import aliased

from dashboard import screening
from dashboard.db import models

MONTH, QUARTER = "month", "quarter"
# Statuses that describe real activity a demo row must give way to (census rows never do).
REAL_DETAIL_STATUSES = ("published", "return")

_COPIED = (
    "measure",
    "geography",
    "care_group",
    "provider",
    "category",
    "qualifier",
    "status",
    "source",
    "source_section",
    "note",
)


def refresh(connection: Connection, measures: Iterable[str] | None = None) -> int:
    """Rebuild the effective figures of ``measures`` (all when None); return the rows written.

    The summary of stored rows (``models.StoredSummary``) and the values no chart may use
    (``models.ScreenedObservation``) of those measures are rebuilt with them. Runs inside the
    caller's transaction, so readers see the old figures or the new ones, never a mixture.
    """
    chosen = sorted(set(measures)) if measures is not None else None
    if connection.dialect.name == "postgresql":
        # Rows written in this transaction stay invisible to autovacuum until it commits: without
        # fresh statistics the planner takes 10^7 new rows for a few thousand and nests loops.
        tables = (models.Observation, models.Period, models.Measure, models.District)
        connection.execute(text("ANALYZE " + ", ".join(table.__tablename__ for table in tables)))
    effective = models.EffectiveObservation
    connection.execute(
        delete(effective).where(effective.measure.in_(chosen) if chosen is not None else true())
    )
    written = 0
    for statement in (_unchanged_periods(chosen), _months_into_quarters(chosen)):
        written += connection.execute(statement).rowcount or 0
    for table, statement in (
        (models.StoredSummary, _stored_summary(chosen)),
        (models.ScreenedObservation, _screened(chosen)),
    ):
        connection.execute(
            delete(table).where(table.measure.in_(chosen) if chosen is not None else true())
        )
        connection.execute(statement)
    return written


def _screened(chosen: list[str] | None):
    """The stored observations ``_usable`` rejects, with their measure's unit."""
    o, m = models.Observation, models.Measure
    query = (
        select(o.measure, o.period, o.geography, o.provider, o.value, m.unit)
        .join(m, m.slug == o.measure)
        .where(~_usable(o.value, m.unit))
    )
    if chosen is not None:
        query = query.where(o.measure.in_(chosen))
    columns = ["measure", "period", "geography", "provider", "value", "unit"]
    return insert(models.ScreenedObservation).from_select(columns, query)


def _stored_summary(chosen: list[str] | None):
    """Every stored row counted by measure, source, status, place, period and batch kind."""
    o, b = models.Observation, models.Batch
    keys = [o.measure, o.source, o.status, o.geography, o.period, b.kind]
    query = (
        select(*keys, func.count(), func.max(b.loaded_at))
        .join(b, b.id == o.batch_id)
        .group_by(*keys)
    )
    if chosen is not None:
        query = query.where(o.measure.in_(chosen))
    columns = ["measure", "source", "status", "geography", "period", "batch_kind", "rows"]
    return insert(models.StoredSummary).from_select([*columns, "last_loaded_at"], query)


def _kept(chosen: list[str] | None, *columns):
    """``select(*columns)`` over the observation rows the dashboard may use, with their period
    and measure joined (``models.Period``, ``models.Measure``)."""
    o, p, m = models.Observation, models.Period, models.Measure
    covered = _covered_demo(chosen).subquery("covered_demo")
    # An anti-join on the covered rows' ids. A correlated EXISTS inside an OR ran once per stored
    # row: PostgreSQL was still refreshing 10^7 rows after 34 minutes (benchmarks/README.md).
    query = (
        select(*columns)
        .select_from(o)
        .join(p, p.slug == o.period)
        .join(m, m.slug == o.measure)
        .outerjoin(covered, covered.c.id == o.id)
        .where(_usable(o.value, m.unit), covered.c.id.is_(None))
    )
    return query.where(o.measure.in_(chosen)) if chosen is not None else query


def _covered_demo(chosen: list[str] | None):
    """The ids of demo rows that a usable return or published row for the same measure and
    district covers (its period within theirs): the two are never added together."""
    demo, demo_period = aliased(models.Observation), aliased(models.Period)
    real, real_period, measure = aliased(models.Observation), aliased(models.Period), models.Measure
    spans = (
        select(
            real.measure,
            real.geography,
            real_period.start.label("start"),
            real_period.end.label("end"),
        )
        .join(real_period, real_period.slug == real.period)
        .join(measure, measure.slug == real.measure)
        .where(
            real.status.in_(REAL_DETAIL_STATUSES),
            real.geography.in_(select(models.District.code)),
            _usable(real.value, measure.unit),
        )
        .distinct()
        .cte("real_spans")
    )
    query = (
        select(demo.id)
        .join(demo_period, demo_period.slug == demo.period)
        .join(
            spans,
            and_(
                spans.c.measure == demo.measure,
                spans.c.geography == demo.geography,
                spans.c.start <= demo_period.start,
                spans.c.end >= demo_period.end,
            ),
        )
        .where(demo.status == "demo")
    )
    return query.where(demo.measure.in_(chosen)) if chosen is not None else query


def _usable(value, unit):
    """``dashboard.screening``'s rule in SQL (NaN fails both bounds in PostgreSQL; SQLite
    stores NaN as NULL, which fails them too)."""
    return and_(
        value >= 0,
        value <= screening.CEILING,
        or_(unit.not_in(screening.PERCENT_UNITS), value <= 100),
    )


def _quarter_of(period):
    """The quarter containing a monthly ``period`` (a correlated subquery)."""
    quarter = aliased(models.Period)
    return (
        select(quarter.slug)
        .where(
            quarter.kind == QUARTER,
            quarter.start <= period.start,
            quarter.end >= period.end,
        )
        .order_by(quarter.start)
        .limit(1)
        .scalar_subquery()
    )


def _target_columns() -> list[str]:
    return [*_COPIED, "period", "value", "period_kind", "period_start", "period_end"]


def _unchanged_periods(chosen: list[str] | None):
    """Every kept row whose period is not a month inside a known quarter, as it is."""
    o, p = models.Observation, models.Period
    rolled = and_(p.kind == MONTH, _quarter_of(p).is_not(None))
    copied = [getattr(o, name) for name in _COPIED]
    query = _kept(chosen, *copied, o.period, o.value, p.kind, p.start, p.end).where(~rolled)
    return insert(models.EffectiveObservation).from_select(_target_columns(), query)


def _months_into_quarters(chosen: list[str] | None):
    """Kept monthly rows added up into their quarter, one row per everything else alike."""
    o, p = models.Observation, models.Period
    quarter = aliased(models.Period)
    copied = [getattr(o, name) for name in _COPIED]
    query = (
        _kept(
            chosen,
            *copied,
            quarter.slug,
            func.sum(o.value),
            literal(QUARTER),
            quarter.start,
            quarter.end,
        )
        .join(
            quarter,
            and_(
                quarter.kind == QUARTER,
                quarter.start <= p.start,
                quarter.end >= p.end,
            ),
        )
        .where(p.kind == MONTH)
        .group_by(*copied, quarter.slug, quarter.start, quarter.end)
    )
    return insert(models.EffectiveObservation).from_select(_target_columns(), query)
