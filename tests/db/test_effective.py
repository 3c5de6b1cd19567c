"""The effective figures computed in the database agree with the selection rules, case by case.

The rules are stated once for frames (``prefer_returns``, ``screening.usable``); the database
applies them when data is written. These tests read the stored observations, apply the frame
rules in pandas, and compare with what the repository now reads, on SQLite and PostgreSQL:
before and after an import, after values no chart may use were written, and with monthly rows.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, insert, select, text, update

from dashboard import screening
from dashboard.db import effective, models
from dashboard.db.engine import make_engine
from dashboard.db.imports import load_return
from dashboard.db.repository import OBSERVATION_COLUMNS, Repository
from dashboard.rules import prefer_returns

THANET, DOVER = "E07000114", "E07000108"
PROVIDER = "east-kent-carers-consortium"
KEY = ["measure", "period", "geography", "care_group", "provider", "category", "status", "source"]


def rules_applied_in_pandas(engine, measure: str) -> pd.DataFrame:
    """One measure's stored rows with the frame rules applied, as the repository used to."""
    o, p, m = models.Observation, models.Period, models.Measure
    query = (
        select(
            *(getattr(o, column) for column in OBSERVATION_COLUMNS[:12]),
            p.kind.label("period_kind"),
            p.start.label("period_start"),
            p.end.label("period_end"),
            m.unit,
        )
        .join(p, p.slug == o.period)
        .join(m, m.slug == o.measure)
        .where(o.measure == measure)
    )
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    frame = frame.assign(
        period_start=pd.to_datetime(frame["period_start"]),
        period_end=pd.to_datetime(frame["period_end"]),
    )
    usable = screening.usable(frame, "value", frame["unit"])
    return prefer_returns(usable)[OBSERVATION_COLUMNS]


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.assign(
        care_group=frame["care_group"].fillna(""),
        provider=frame["provider"].fillna(""),
        value=frame["value"].round(6),
    )
    return frame.sort_values([*KEY, "value", "note"]).reset_index(drop=True)


def assert_agrees(engine, measures) -> None:
    repo = Repository(engine, cache_size=0)
    for measure in measures:
        expected = comparable(rules_applied_in_pandas(engine, measure))
        actual = comparable(repo.observations(measure))
        pd.testing.assert_frame_equal(actual, expected, check_dtype=False, obj=measure)


def assert_summary_agrees(engine) -> None:
    """The stored-rows summary counts exactly what ``observation`` holds, by batch kind."""
    o, b, summary = models.Observation, models.Batch, models.StoredSummary
    keys = [o.measure, o.source, o.status, o.geography, o.period, b.kind]
    direct = (
        select(*keys, func.count(), func.max(b.loaded_at))
        .join(b, b.id == o.batch_id)
        .group_by(*keys)
    )
    stored = select(
        summary.measure,
        summary.source,
        summary.status,
        summary.geography,
        summary.period,
        summary.batch_kind,
        summary.rows,
        summary.last_loaded_at,
    )
    with engine.connect() as connection:
        expected = sorted(tuple(row) for row in connection.execute(direct))
        actual = sorted(tuple(row) for row in connection.execute(stored))
    assert len(actual) > 100
    assert actual == expected


def all_measures(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(models.Measure.slug).order_by(models.Measure.slug)))


BACKENDS = pytest.mark.parametrize(
    "writable_url",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)


def test_every_measure_as_loaded_agrees_with_the_rules(backend_url):
    engine = make_engine(backend_url)
    measures = all_measures(engine)
    assert len(measures) > 20
    assert_agrees(engine, measures)
    assert_summary_agrees(engine)
    engine.dispose()


def _thanet_return(value: float, period: str = "2024-25-q1") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "provider": [PROVIDER, PROVIDER],
            "period": [period, period],
            "geography": [THANET, THANET],
            "care_group": ["dementia", None],
            "measure": ["carers-supported", "referrals"],
            "value": [value, 40.0],
            "note": ["", ""],
        }
    )


@BACKENDS
def test_an_import_replaces_demo_for_its_district_and_period_only(writable_url):
    engine = make_engine(writable_url)
    load_return(engine, _thanet_return(123), filename="r.csv", data=b"a", username="alice")
    assert_agrees(engine, ["carers-supported", "referrals"])
    referrals = Repository(engine, cache_size=0).observations("referrals")
    in_quarter = referrals[referrals["period"] == "2024-25-q1"]
    thanet = in_quarter[in_quarter["geography"] == THANET]
    assert set(thanet["status"]) == {"return"}, "demo rows for Thanet Q1 were not replaced"
    assert "demo" in set(in_quarter[in_quarter["geography"] == DOVER]["status"])
    # A second return for the same provider and period moves the first to the revisions; a
    # measure it no longer reports goes back to demo.
    second = _thanet_return(99).iloc[[0]]
    load_return(engine, second, filename="r2.csv", data=b"b", username="alice")
    assert_agrees(engine, ["carers-supported", "referrals"])
    referrals = Repository(engine, cache_size=0).observations("referrals")
    thanet = referrals[(referrals["period"] == "2024-25-q1") & (referrals["geography"] == THANET)]
    assert set(thanet["status"]) == {"demo"}
    assert_summary_agrees(engine)
    engine.dispose()


@BACKENDS
def test_values_no_chart_may_use_are_left_out_after_a_refresh(writable_url):
    engine = make_engine(writable_url)
    o = models.Observation
    with engine.begin() as connection:
        for measure, value in (
            ("carers-supported", -5.0),
            ("unsocial-hours-share", 250.0),
            ("population", 1e23),
        ):
            first = connection.scalar(select(o.id).where(o.measure == measure).limit(1))
            connection.execute(update(o).where(o.id == first).values(value=value))
        effective.refresh(connection)
    assert_agrees(engine, ["carers-supported", "unsocial-hours-share", "population"])
    repo = Repository(engine, cache_size=0)
    assert (repo.observations("carers-supported")["value"] >= 0).all()
    assert (repo.observations("unsocial-hours-share")["value"] <= 100).all()
    assert (repo.observations("population")["value"] < screening.CEILING).all()
    # The three are listed for the data-quality panel, and nothing else is: the list written
    # with the effective figures is every stored value the screening rule rejects.
    listed = repo.screened_out()
    assert sorted(zip(listed["measure"], listed["reason"], strict=True)) == [
        ("carers-supported", screening.REASONS["negative"]),
        ("population", screening.REASONS["too-large"]),
        ("unsocial-hours-share", screening.REASONS["over-100"]),
    ]
    stored = pd.read_sql(
        select(o.measure, o.value, models.Measure.unit).join(
            models.Measure, models.Measure.slug == o.measure
        ),
        engine,
    )
    rejected = stored[screening.reasons(stored["value"], stored["unit"]) != ""]
    assert sorted(rejected["measure"]) == sorted(listed["measure"])
    engine.dispose()


@BACKENDS
def test_monthly_rows_are_added_up_into_their_quarter(writable_url):
    engine = make_engine(writable_url)
    months = [
        ("2024-25-m04", "April 2024", date(2024, 4, 1), date(2024, 4, 30)),
        ("2024-25-m05", "May 2024", date(2024, 5, 1), date(2024, 5, 31)),
        ("2024-25-m06", "June 2024", date(2024, 6, 1), date(2024, 6, 30)),
    ]
    o = models.Observation
    with engine.begin() as connection:
        batch = connection.scalar(select(models.Batch.id).where(models.Batch.kind == "demo"))
        for slug, label, start, end in months:
            connection.execute(
                insert(models.Period).values(
                    slug=slug, kind="month", label=label, start=start, end=end
                )
            )
        # Dover's demo referrals for 2024/25 Q1 become three monthly rows of the same total.
        quarter = connection.execute(
            select(o.id, o.value, o.care_group, o.provider, o.source).where(
                o.measure == "referrals",
                o.period == "2024-25-q1",
                o.geography == DOVER,
                o.status == "demo",
            )
        ).all()
        assert quarter, "the demo data has Dover referrals for 2024/25 Q1"
        for row in quarter:
            connection.execute(text("DELETE FROM observation WHERE id = :id"), {"id": row.id})
            for slug, share in zip((m[0] for m in months), (0.5, 0.3, 0.2), strict=True):
                connection.execute(
                    insert(o).values(
                        measure="referrals",
                        period=slug,
                        geography=DOVER,
                        care_group=row.care_group,
                        provider=row.provider,
                        value=row.value * share,
                        status="demo",
                        source=row.source,
                        batch_id=batch,
                    )
                )
        effective.refresh(connection, ["referrals"])
    referrals = Repository(engine, cache_size=0).observations("referrals")
    dover = referrals[referrals["geography"] == DOVER]
    assert not dover["period"].str.contains("-m0").any(), "months are not shown on their own"
    in_quarter = dover[dover["period"] == "2024-25-q1"]
    assert set(in_quarter["period_kind"]) == {"quarter"}
    assert in_quarter["value"].sum() == pytest.approx(sum(row.value for row in quarter))
    assert len(in_quarter) == len(quarter)
    engine.dispose()


def test_a_refresh_writes_in_the_callers_transaction(fresh_db_url):
    """A failed load leaves the effective figures as they were."""
    engine = make_engine(fresh_db_url)
    before = Repository(engine, cache_size=0).observations("referrals")
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.execute(update(models.Observation).values(value=1.0))
        effective.refresh(connection)
        raise RuntimeError("the load fails after the refresh")
    after = Repository(engine, cache_size=0).observations("referrals")
    pd.testing.assert_frame_equal(comparable(after), comparable(before))
    engine.dispose()
