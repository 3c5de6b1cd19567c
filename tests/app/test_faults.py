"""Faults told plainly: a missing, replaced or stopped database, and a worker killed under load.

Each test asserts what a user sees (503 and "Data temporarily unavailable", never a traceback
or the database URL) and that nothing is lost once the database is back.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, update

from dashboard import ids
from dashboard.application import create_app
from dashboard.config import DATA_DIR, PROJECT_ROOT, ConfigError, Settings
from dashboard.db import models
from dashboard.db.engine import DatabaseUnavailable, make_engine
from dashboard.db.loader import init_db
from dashboard.views import funding as funding_views
from tests.support.callbacks import CALLBACK_PATH, cards_request
from tests.support.postgres import running_postgres, stopped

LOADED_AT = datetime(2026, 1, 1)
UNAVAILABLE = "Data temporarily unavailable"
SECRET = "pa55-w0rd-not-for-logs"
DEFAULT_FILTERS = {"scheme": "cas-2013", "locality": None, "care_group": None, "period": None}
FUNDING_CALLBACK = cards_request(
    (ids.FUNDING_SPLIT_CHARTS, ids.FUNDING_FLOW), "funding", DEFAULT_FILTERS
)


def _settings(url: str, boundaries_path: Path) -> Settings:
    return Settings(
        database_url=url,
        boundaries_path=boundaries_path,
        environment="test",
        secret_key="test-secret-key",
    )


def _sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def assert_unavailable(client) -> None:
    """Health, a page and a callback all say the data is unavailable, with 503."""
    health = client.get("/health")
    assert health.status_code == 503
    assert health.get_json()["database"] == "unreachable"
    page = client.get("/funding")
    assert page.status_code == 503
    assert UNAVAILABLE in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    callback = client.post(CALLBACK_PATH, json=FUNDING_CALLBACK)
    assert callback.status_code == 503
    assert UNAVAILABLE in callback.get_json()["message"]


def assert_serving(client) -> str:
    """Health, a page and a callback all work; returns the data version."""
    health = client.get("/health")
    assert health.status_code == 200
    assert client.get("/funding").status_code == 200
    assert client.post(CALLBACK_PATH, json=FUNDING_CALLBACK).status_code == 200
    return health.get_json()["data_version"]


def test_a_removed_database_file_gives_503_and_nothing_is_lost(fresh_db_url, boundaries_path):
    client = create_app(_settings(fresh_db_url, boundaries_path)).server.test_client()
    version = assert_serving(client)
    path = _sqlite_path(fresh_db_url)
    aside = path.with_suffix(".moved")
    path.rename(aside)  # open connections would still read the old file: it must not serve
    assert_unavailable(client)
    aside.rename(path)
    assert assert_serving(client) == version


def test_a_replaced_database_file_is_reopened(fresh_db_url, seeded_db_url, boundaries_path):
    client = create_app(_settings(fresh_db_url, boundaries_path)).server.test_client()
    assert_serving(client)
    path = _sqlite_path(fresh_db_url)
    replacement = path.with_suffix(".new")
    shutil.copyfile(_sqlite_path(seeded_db_url), replacement)
    engine = make_engine(f"sqlite:///{replacement}")
    with engine.begin() as connection:
        connection.execute(
            insert(models.Batch).values(
                kind="import", label="r.csv", content_hash="f" * 64, loaded_at=LOADED_AT
            )
        )
    engine.dispose()
    os.replace(replacement, path)
    assert "+" in assert_serving(client)  # the replacement's import is in the data version


def test_a_worker_started_without_its_database_waits_for_it(
    tmp_path, seeded_db_url, boundaries_path
):
    url = f"sqlite:///{tmp_path / 'later.sqlite'}"
    client = create_app(_settings(url, boundaries_path)).server.test_client()
    assert_unavailable(client)
    assert not (tmp_path / "later.sqlite").exists()  # no empty database was created
    shutil.copyfile(_sqlite_path(seeded_db_url), tmp_path / "later.sqlite")
    assert_serving(client)


def test_a_callback_that_fails_unexpectedly_says_so_on_the_page(settings, monkeypatch, caplog):
    # A chart view that raised (a database loaded before a quality note was added did) made
    # Dash answer 500: the page changed nothing and said nothing.
    def broken(frame, context):
        raise KeyError("a reference row this code expects")

    monkeypatch.setattr(funding_views, "nhs_share", broken)
    client = create_app(settings).server.test_client()
    with caplog.at_level(logging.ERROR, logger="dashboard.errors"):
        response = client.post(CALLBACK_PATH, json=FUNDING_CALLBACK)
    assert response.status_code == 200
    body = response.get_json()
    alert = body["sideUpdate"][ids.PAGE_FAULT]["children"]
    message = alert["props"]["children"]
    assert message.startswith("Part of this page could not be brought up to date")
    reference = message.split("(reference ", 1)[1].split(")", 1)[0]
    assert "a reference row" not in response.get_data(as_text=True)  # no detail leaks
    assert body["response"] == {}  # the cards shown stay as they are
    (record,) = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info[0] is KeyError


def test_a_database_fault_inside_a_callback_is_still_told_as_unavailable(settings, monkeypatch):
    def unreachable(frame, context):
        raise DatabaseUnavailable("the connection was lost mid-request")

    monkeypatch.setattr(funding_views, "nhs_share", unreachable)
    client = create_app(settings).server.test_client()
    response = client.post(CALLBACK_PATH, json=FUNDING_CALLBACK)
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_json()["message"]


def test_a_database_loaded_from_older_data_files_is_reported_and_still_served(
    fresh_db_url, boundaries_path, caplog
):
    # A release deployed without `init-db`: the database holds the previous copy of data/.
    engine = make_engine(fresh_db_url)
    with engine.begin() as connection:
        connection.execute(
            update(models.DatasetInfo)
            .where(models.DatasetInfo.key == "data_version")
            .values(value="0123456789abcdef")
        )
    engine.dispose()
    with caplog.at_level(logging.WARNING, logger="dashboard.application"):
        client = create_app(_settings(fresh_db_url, boundaries_path)).server.test_client()
    assert any(
        "0123456789abcdef" in r.getMessage() and "init-db" in r.getMessage() for r in caplog.records
    )
    health = client.get("/health").get_json()
    assert health["data_files_loaded"] is False
    assert health["data_version"] == "0123456789abcdef"
    assert client.get("/targets").status_code == 200


def test_passwords_never_appear_in_messages(boundaries_path, caplog):
    port = _free_port()  # nothing listens there
    url = f"postgresql+psycopg://dash:{SECRET}@127.0.0.1:{port}/carers"
    client = create_app(_settings(url, boundaries_path)).server.test_client()
    assert_unavailable(client)
    for response in (client.get("/"), client.get("/health")):
        assert SECRET not in response.get_data(as_text=True)
    assert "***" in caplog.text
    assert SECRET not in caplog.text
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "init-db"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": url, "DASHBOARD_ENV": "test", "SECRET_KEY": "k"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "dash:***@127.0.0.1" in result.stderr
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"DATABASE_URL": f"no such scheme://dash:{SECRET}@host/db"})
    assert SECRET not in str(raised.value)


@pytest.mark.postgres
def test_postgresql_stopped_and_restarted(boundaries_path):
    with running_postgres() as url:
        engine = make_engine(url)
        init_db(engine, DATA_DIR)
        engine.dispose()
        client = create_app(_settings(url, boundaries_path)).server.test_client()
        version = assert_serving(client)
        with stopped(url):
            assert_unavailable(client)
        assert assert_serving(client) == version


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""  # the connection dropped


def _workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_killed_under_load_is_replaced_and_workers_agree(fresh_db_url, boundaries_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": fresh_db_url,
        "CARERS_BOUNDARIES": str(boundaries_path),
        "DASHBOARD_ENV": "test",
        "SECRET_KEY": "test-secret-key",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "app:server", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(lambda: _get(f"{base}/health")[0] == 200, 90)
        assert _wait_for(lambda: len(_workers(server.pid)) == 2, 30)
        statuses = []
        for number in range(30):
            if number == 10:
                os.kill(min(_workers(server.pid)), signal.SIGKILL)
            statuses.append(_get(f"{base}/health" if number % 2 else f"{base}/funding")[0])
        # Only a request the killed worker was answering may fail; every later one succeeds.
        assert sum(status != 200 for status in statuses) <= 1
        assert statuses[-5:] == [200] * 5
        # A shared link with a long tracking parameter opens the page, as the app reads it.
        assert _get(f"{base}/funding?locality=thanet-dover&utm_content={'x' * 7000}")[0] == 200
        assert server.poll() is None
        assert _wait_for(lambda: len(_workers(server.pid)) == 2, 60)
        engine = make_engine(fresh_db_url)
        with engine.begin() as connection:
            connection.execute(
                insert(models.Batch).values(
                    kind="import", label="r.csv", content_hash="e" * 64, loaded_at=LOADED_AT
                )
            )
        engine.dispose()
        # Both workers read the version from the database: health and the page footer agree.
        versions = {_health_version(base) for _ in range(12)}
        assert len(versions) == 1
        version = versions.pop()
        assert "+" in version
        layouts = [_get(f"{base}/_dash-layout") for _ in range(12)]
        assert all(status == 200 and version.encode() in body for status, body in layouts)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _health_version(base: str) -> str:
    status, body = _get(f"{base}/health")
    assert status == 200
    return json.loads(body)["data_version"]
