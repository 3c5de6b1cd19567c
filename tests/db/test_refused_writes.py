"""A database that refuses changes (a read-only PostgreSQL, as a standby is; a locked SQLite
file) while it still answers reads: sign-in and uploads say that nothing was saved, with 503,
and the pages keep showing their figures. A read-only PostgreSQL made sign-in answer 500."""

from __future__ import annotations

import io
import re
import sqlite3
from dataclasses import replace

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from dashboard.accounts import create_user
from dashboard.application import REPOSITORY_EXTENSION, create_app
from dashboard.db import engine as engine_module
from dashboard.db import models
from dashboard.db.engine import make_engine, sqlite_file
from tests.unit.returns_corpus import csv_bytes

PASSWORD = "a-long-enough-password-1"
RETURN = csv_bytes([("Carers First", "2024-25-q1", "Dartford", "", "carers-supported", "120", "")])


def _token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _sign_in(client):
    return client.post(
        "/login",
        data={"username": "refused", "password": PASSWORD, "csrf_token": _token(client, "/login")},
    )


def _upload(client):
    fields = {"csrf_token": _token(client, "/upload"), "return_file": (io.BytesIO(RETURN), "r.csv")}
    return client.post("/upload", data=fields, content_type="multipart/form-data")


def _rows(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return (
                session.scalar(select(func.count()).select_from(models.AccountEvent)),
                session.scalar(select(func.count()).select_from(models.ImportAttempt)),
            )
    finally:
        engine.dispose()


class _Refusing:
    """Makes the database refuse changes: PostgreSQL read-only for new sessions, or an SQLite
    file locked by another writer (the app's busy wait made short)."""

    def __init__(self, url: str, monkeypatch):
        self.url, self.lock = url, None
        monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 200)

    def start(self, app) -> None:
        path = sqlite_file(self.url)
        if path is not None:
            self.lock = sqlite3.connect(path, isolation_level=None)
            self.lock.execute("BEGIN IMMEDIATE")
            return
        engine = make_engine(self.url)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            name = engine.url.database
            connection.execute(
                text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            )
        engine.dispose()
        # The setting holds for sessions begun after it: not the app's pooled connections.
        app.server.extensions[REPOSITORY_EXTENSION].engine.dispose()

    def stop(self) -> None:
        if self.lock is not None:
            self.lock.rollback()
            self.lock.close()


@pytest.mark.parametrize("writable_url", ["sqlite", "postgresql"], indirect=True)
def test_a_database_refusing_changes_is_told_and_nothing_is_half_saved(
    writable_url, settings, monkeypatch
):
    accounts_engine = make_engine(writable_url)
    create_user(accounts_engine, "refused", PASSWORD, "uploader")
    accounts_engine.dispose()
    refusing = _Refusing(writable_url, monkeypatch)
    app = create_app(replace(settings, database_url=writable_url))
    signed_in = app.server.test_client()
    assert _sign_in(signed_in).status_code == 302
    before = _rows(writable_url)
    refusing.start(app)
    try:
        upload = _upload(signed_in)
        told = upload.get_data(as_text=True)
        assert upload.status_code == 503, told[:500]
        assert "not accepting changes just now" in told and "nothing was saved" in told
        assert 'http-equiv="refresh"' not in told  # the form is not asked for again
        newcomer = app.server.test_client()
        sign_in = _sign_in(newcomer)
        assert sign_in.status_code == 503
        assert "not accepting changes just now" in sign_in.get_data(as_text=True)
        # Reading still works: the dashboard's pages and /health answer.
        assert newcomer.get("/health").status_code == 200
        assert newcomer.get("/reach").status_code == 200
    finally:
        refusing.stop()
        app.server.extensions[REPOSITORY_EXTENSION].engine.dispose()
    assert _rows(writable_url) == before
