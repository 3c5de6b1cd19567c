"""Schema migrations: a new database and an upgraded one both match the models, and an upgrade
from the first release keeps user accounts, the audit log and imported returns."""

from __future__ import annotations

import itertools

import pandas as pd
import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from psycopg import sql
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from dashboard.accounts import create_user
from dashboard.config import DATA_DIR
from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.db.imports import finish_attempt, load_return, start_attempt
from dashboard.db.loader import init_db
from dashboard.db.schema import (
    BASELINE_REVISION,
    alembic_config,
    head_revision,
)

_database_numbers = itertools.count(1)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty or pre-migration database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request, tmp_path):
    """An engine on a database with no tables at all."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    else:
        server = make_url(request.getfixturevalue("postgres_url"))
        name = f"migrate_{next(_database_numbers)}"
        with psycopg.connect(
            host=server.host,
            port=server.port,
            user=server.username,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        engine = make_engine(server.set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def _differences(engine: Engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), models.Base.metadata)


def _back_to_the_first_release(engine: Engine) -> None:
    """Downgrade to the first release's schema and forget migrations, as that release left it."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # as upgrade_schema does: SQLite rebuilds tables with foreign keys off
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        with connection.begin():
            command.downgrade(alembic_config(connection), BASELINE_REVISION)
            connection.execute(text("DROP TABLE alembic_version"))
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def test_a_new_database_is_created_by_the_migrations_and_matches_the_models(empty_engine):
    init_db(empty_engine, DATA_DIR)
    assert current_revision(empty_engine) == head_revision()
    assert _differences(empty_engine) == []


def test_upgrading_the_first_release_keeps_users_audit_log_and_returns(empty_engine):
    init_db(empty_engine, DATA_DIR)
    create_user(empty_engine, "analyst.one", "a long enough password", "uploader")
    returned = pd.DataFrame(
        {
            "provider": ["east-kent-carers-consortium"],
            "period": ["2024-25-q1"],
            "geography": ["E07000114"],
            "care_group": ["dementia"],
            "measure": ["carers-supported"],
            "value": [123.0],
            "note": [""],
        }
    )
    outcome = load_return(empty_engine, returned, filename="r.csv", data=b"x", username="alice")
    attempt = start_attempt(empty_engine, username="bob", filename="bad.csv", data=b"y")
    finish_attempt(empty_engine, attempt, rows=0, result="rejected", message="a refused file")
    _back_to_the_first_release(empty_engine)
    assert "alembic_version" not in inspect(empty_engine).get_table_names()
    with empty_engine.begin() as connection:  # the first release stored names as typed
        connection.execute(text("UPDATE user_account SET username = '  Analyst.ONE '"))

    init_db(empty_engine, DATA_DIR)

    assert current_revision(empty_engine) == head_revision()
    assert _differences(empty_engine) == []
    with Session(empty_engine) as session:
        users = session.scalars(select(models.UserAccount.username)).all()
        attempts = session.scalars(select(models.ImportAttempt.username)).all()
        kept = session.scalars(
            select(models.Observation.status).where(models.Observation.batch_id == outcome.batch_id)
        ).all()
    assert users == ["analyst.one"]
    assert {"bob"} <= set(attempts)
    assert kept == ["return"]  # and labelled as a provider's return, not as published


def test_upgrading_a_0004_database_adds_the_events_and_keeps_everything(empty_engine):
    init_db(empty_engine, DATA_DIR)
    create_user(empty_engine, "analyst two", "a long enough password", "uploader")
    returned = pd.DataFrame(
        {
            "provider": ["carers-first"],
            "period": ["2024-25-q1"],
            "geography": ["E07000107"],
            "care_group": ["dementia"],
            "measure": ["carers-supported"],
            "value": [77.0],
            "note": [""],
        }
    )
    outcome = load_return(empty_engine, returned, filename="r.csv", data=b"z", username="carol")
    with empty_engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        with connection.begin():
            command.downgrade(alembic_config(connection), "0004_effective_figures")
            # The release before the events shipped other seed files, so another data version.
            connection.execute(
                text("UPDATE dataset_info SET value = 'before' WHERE key = 'data_version'")
            )
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
    assert not {"decision_event", "stored_summary", "screened_observation"} & set(
        inspect(empty_engine).get_table_names()
    )

    init_db(empty_engine, DATA_DIR)

    assert current_revision(empty_engine) == head_revision() == "0007_screened_values"
    assert _differences(empty_engine) == []
    seeded = pd.read_csv(DATA_DIR / "published" / "events.csv")
    with Session(empty_engine) as session:
        users = session.scalars(select(models.UserAccount.username)).all()
        kept = session.scalars(
            select(models.Observation.value).where(models.Observation.batch_id == outcome.batch_id)
        ).all()
        events = session.scalars(select(models.DecisionEvent)).all()
    assert users == ["analyst two"] and kept == [77.0]
    assert sorted(event.title for event in events) == sorted(seeded["title"])
    assert {event.status for event in events} == {"published"}


def test_init_db_twice_leaves_the_revision_and_data_alone(empty_engine):
    first = init_db(empty_engine, DATA_DIR)
    second = init_db(empty_engine, DATA_DIR)
    assert first.changed and not second.changed
    assert first.counts == second.counts
    assert current_revision(empty_engine) == head_revision()


def test_an_upgrade_refuses_user_names_that_differ_only_in_case_or_spaces(empty_engine):
    init_db(empty_engine, DATA_DIR)
    create_user(empty_engine, "analyst one", "a long enough password", "viewer")
    create_user(empty_engine, "analyst two", "a long enough password", "viewer")
    _back_to_the_first_release(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(text("UPDATE user_account SET username = 'Analyst  One' WHERE id = 2"))
    clash = r"'analyst one' and 'Analyst  One'|'Analyst  One' and 'analyst one'"
    with pytest.raises(RuntimeError, match=clash):
        init_db(empty_engine, DATA_DIR)
    # Nothing half-done: still the first release, so fixing the names and retrying works.
    assert current_revision(empty_engine) is None
    assert "account_event" not in inspect(empty_engine).get_table_names()
    with empty_engine.begin() as connection:
        connection.execute(text("UPDATE user_account SET username = 'analyst 2' WHERE id = 2"))
    init_db(empty_engine, DATA_DIR)
    assert current_revision(empty_engine) == head_revision()
