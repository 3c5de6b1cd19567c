"""Database fixtures: every test here runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from dashboard.config import DATA_DIR
from dashboard.db.engine import make_engine
from dashboard.db.loader import init_db
from dashboard.db.repository import Repository
from tests.support.postgres import running_postgres


@pytest.fixture(scope="session")
def postgres_url():
    with running_postgres() as url:
        yield url


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def backend_url(request, seeded_db_url):
    """The seeded SQLite database, or a PostgreSQL database loaded the same way."""
    if request.param == "sqlite":
        return seeded_db_url
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    init_db(engine, DATA_DIR)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def backend_repo(backend_url):
    repository = Repository(make_engine(backend_url))
    yield repository
    repository.engine.dispose()


@pytest.fixture(scope="module")
def loaded_postgres_template(postgres_url):
    """A PostgreSQL database loaded once, which each writable one is copied from.

    Copying a database (``CREATE DATABASE ... TEMPLATE``) took under 5 s here, loading one
    26-30 s, and each test here needs one of its own to write to.
    """
    server = make_engine(postgres_url)
    name = f"effective_template_{uuid.uuid4().hex[:8]}"
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(
        make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    )
    init_db(engine, DATA_DIR)
    engine.dispose()  # a template is copied only while nobody is connected to it
    yield name
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def writable_url(request, fresh_db_url):
    """A freshly loaded database the test may write to: SQLite, then a new PostgreSQL one."""
    if request.param == "sqlite":
        yield fresh_db_url
        return
    postgres_url = request.getfixturevalue("postgres_url")
    template = request.getfixturevalue("loaded_postgres_template")
    server = make_engine(postgres_url)
    name = f"effective_{uuid.uuid4().hex[:8]}"
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.dispose()
