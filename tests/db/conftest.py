"""Database fixtures: every test here runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest

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
