"""Loading returns: one transaction, replacement with revisions, precedence over demo, audit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.db.imports import changes_since, finish_attempt, load_return, start_attempt
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.rules import district_codes, resolve_count
from dashboard.views.overview import period_row

THANET = "E07000114"


def _rows(value: float, period: str = "2024-25-q1", provider: str = "east-kent-carers-consortium"):
    return pd.DataFrame(
        {
            "provider": [provider, provider],
            "period": [period, period],
            "geography": [THANET, THANET],
            "care_group": ["dementia", None],
            "measure": ["carers-supported", "referrals"],
            "value": [value, 40.0],
            "note": ["", ""],
        }
    )


@pytest.fixture
def engine(fresh_db_url):
    engine = make_engine(fresh_db_url)
    yield engine
    engine.dispose()


def snapshot(engine) -> dict[str, list]:
    """Every row of every data table (not the audit log), in a stable order."""
    tables = {}
    with engine.connect() as connection:
        for name, table in models.Base.metadata.tables.items():
            if name == "import_attempt":
                continue
            rows = connection.execute(select(table)).all()
            tables[name] = sorted(map(repr, rows))
    return tables


def test_a_return_loads_and_is_audited(engine):
    outcome = load_return(engine, _rows(123), filename="r.csv", data=b"x", username="alice")
    assert outcome.loaded and outcome.rows == 2 and outcome.replaced == 0
    with Session(engine) as session:
        batch = session.get(models.Batch, outcome.batch_id)
        assert (batch.kind, batch.loaded_by, batch.rows) == ("import", "alice", 2)
        loaded = session.scalars(
            select(models.Observation).where(models.Observation.batch_id == batch.id)
        ).all()
    assert {(o.status, o.source, o.value) for o in loaded} == {
        ("return", "provider-returns", 123.0),
        ("return", "provider-returns", 40.0),
    }


def test_reimporting_replaces_and_keeps_a_revision(engine):
    load_return(engine, _rows(123), filename="r1.csv", data=b"1", username="alice")
    outcome = load_return(engine, _rows(150), filename="r2.csv", data=b"2", username="bob")
    assert outcome.replaced == 2
    with engine.connect() as connection:
        current = (
            connection.execute(
                text(
                    "SELECT value FROM observation o JOIN batch b ON b.id = o.batch_id "
                    "WHERE b.kind = 'import' AND o.measure = 'carers-supported'"
                )
            )
            .scalars()
            .all()
        )
        revisions = connection.execute(
            text("SELECT measure, value FROM observation_revision")
        ).all()
    assert current == [150.0]
    assert sorted(revisions) == [("carers-supported", 123.0), ("referrals", 40.0)]


def test_changes_since_lists_new_returns_and_revised_values(engine):
    before = datetime.now() - timedelta(days=1)
    load_return(engine, _rows(123), filename="r1.csv", data=b"1", username="alice")
    new, revised = changes_since(engine, before)
    assert list(zip(new["provider"], new["period"], strict=True)) == [
        ("east-kent-carers-consortium", "2024-25-q1")
    ]
    assert revised.empty
    load_return(engine, _rows(150), filename="r2.csv", data=b"2", username="alice")
    new, revised = changes_since(engine, before)
    assert len(new) == 1
    assert revised[["measure", "previous", "current"]].values.tolist() == [
        ["carers-supported", 123.0, 150.0]
    ]
    later = datetime.now() + timedelta(days=1)
    new, revised = changes_since(engine, later)
    assert new.empty and revised.empty


def test_a_revision_of_a_return_for_all_care_groups_alone_is_listed(engine):
    # Found by an attack: with every revised row for all care groups (and other returns by care
    # group), pandas made the revisions' empty care group a number and the merge with the
    # current values raised: /changes could not be shown.
    before = datetime.now() - timedelta(days=1)
    load_return(engine, _rows(123), filename="a.csv", data=b"a", username="alice")
    all_groups = _rows(0, provider="carers-first").iloc[[1]]
    load_return(engine, all_groups, filename="b1.csv", data=b"1", username="alice")
    load_return(engine, all_groups.assign(value=45.0), filename="b2.csv", data=b"2", username="a")
    _new, revised = changes_since(engine, before)
    assert revised[["provider", "previous", "current"]].values.tolist() == [
        ["carers-first", 40.0, 45.0]
    ]
    assert revised["care_group"].isna().all()


def test_imported_rows_take_precedence_over_demo_for_their_district_and_period(engine):
    repo = Repository(engine)
    before = repo.observations("referrals")
    demo_before = before[(before["geography"] == THANET) & (before["period"] == "2024-25-q1")]
    assert set(demo_before["status"]) == {"demo"}
    load_return(engine, _rows(123), filename="r.csv", data=b"x", username="alice")
    repo.clear_cache()
    after = repo.observations("referrals")
    rows = after[(after["geography"] == THANET) & (after["period"] == "2024-25-q1")]
    assert rows["status"].tolist() == ["return"] and rows["value"].tolist() == [40.0]
    other_district = after[(after["geography"] == "E07000108") & (after["period"] == "2024-25-q1")]
    assert set(other_district["status"]) == {"demo"}
    quarter = period_row(repo.reference().periods, "2024-25-q1")
    districts = district_codes(repo.reference().districts)
    total = resolve_count(
        after, period=quarter, filters=Filters(), weights=None, districts=districts
    )
    assert total.status == "demo"
    assert (
        total.value
        == before[(before["period"] == "2024-25-q1")]["value"].sum()
        - demo_before["value"].sum()
        + 40
    )


def test_a_failed_load_changes_nothing(engine):
    before = snapshot(engine)
    bad = _rows(123).assign(geography=["E99999999", THANET])
    with pytest.raises(Exception):  # noqa: B017 - the foreign key violation of the first row
        load_return(engine, bad, filename="bad.csv", data=b"x", username="alice")
    assert snapshot(engine) == before


def test_the_audit_log_records_an_attempt_as_started_then_its_outcome(engine):
    attempt_id = start_attempt(engine, username="alice", filename="a.csv", data=b"abc")
    with Session(engine) as session:
        attempt = session.get(models.ImportAttempt, attempt_id)
        assert (attempt.username, attempt.filename, attempt.result, attempt.size_bytes) == (
            "alice",
            "a.csv",
            "started",
            3,
        )
        assert len(attempt.file_hash) == 64
    finish_attempt(engine, attempt_id, rows=0, result="rejected", message="2 problems")
    with Session(engine) as session:
        attempt = session.get(models.ImportAttempt, attempt_id)
        assert (attempt.result, attempt.message) == ("rejected", "2 problems")


def test_refresh_notices_a_load_by_another_process(engine):
    repo = Repository(engine)
    repo.refresh_if_changed()
    repo.observations("referrals")
    other = Repository(engine)
    load_return(other.engine, _rows(5), filename="r.csv", data=b"x", username="alice")
    assert repo.refresh_if_changed()
    assert "return" in set(repo.observations("referrals")["status"])
