"""Shared fixtures: a seeded temporary database, settings, and the app built on them."""

from __future__ import annotations

import shutil
from pathlib import Path

import multiprocess
import pytest

from dashboard.config import DATA_DIR, SHIPPED_BOUNDARIES, Settings
from dashboard.db.engine import make_engine
from dashboard.db.loader import init_db
from dashboard.db.repository import Repository


@pytest.fixture(scope="module", autouse=True)
def no_background_job_outlives_its_module():
    """End any background job (the meeting pack, which Dash runs in a forked process) that a
    module's tests started and left running: posting every callback starts one and does not
    wait for it. A job left behind is joined when pytest exits; one that never ends (kaleido
    waiting on its browser in a forked worker, seen twice on 2 Dec 2026) kept the suite from
    ending."""
    yield
    for job in multiprocess.active_children():
        job.terminate()
        job.join(10)


@pytest.fixture(scope="session")
def seeded_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An SQLite database built from data/ once per test session (read-only in tests)."""
    path = tmp_path_factory.mktemp("db") / "seeded.sqlite"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    init_db(engine, DATA_DIR)
    engine.dispose()
    return url


@pytest.fixture
def fresh_db_url(seeded_db_url: str, tmp_path: Path) -> str:
    """A private copy of the seeded database, for tests that write to it."""
    source = Path(seeded_db_url.removeprefix("sqlite:///"))
    target = tmp_path / "fresh.sqlite"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def repo(seeded_db_url: str):
    repository = Repository(make_engine(seeded_db_url))
    yield repository
    repository.engine.dispose()


@pytest.fixture(scope="session")
def boundaries_path() -> Path:
    assert SHIPPED_BOUNDARIES.is_file(), f"the project ships its boundaries at {SHIPPED_BOUNDARIES}"
    return SHIPPED_BOUNDARIES


@pytest.fixture(scope="session")
def settings(seeded_db_url: str, boundaries_path: Path) -> Settings:
    return Settings(
        database_url=seeded_db_url,
        boundaries_path=boundaries_path,
        environment="test",
        secret_key="test-secret-key",
    )


@pytest.fixture
def app(settings: Settings):
    from dashboard.application import create_app

    return create_app(settings)


@pytest.fixture
def client(app):
    return app.server.test_client()
