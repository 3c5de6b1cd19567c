"""Engine construction: one engine per process, built by the app factory, never at import.

SQLite files are opened in write-ahead-log mode with a busy timeout, so a page read never
fails because another worker or the command line is writing at that moment.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

# How long an SQLite statement waits for another process's write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUnavailable(RuntimeError):
    """The database cannot serve data right now; the message is safe to show (no URL)."""


def make_engine(url: str, *, create: bool = True) -> Engine:
    """Create an engine for ``url``.

    SQLite files get their folder, WAL mode, a busy timeout and foreign keys. With
    ``create=False`` (the web app) a missing SQLite file is an error on connecting instead of
    a new empty database, so a deleted file is noticed rather than silently recreated.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    path = sqlite_file(url)
    if path is not None and create:
        path.parent.mkdir(parents=True, exist_ok=True)
    if path is not None and not create:
        parsed = parsed.set(database=f"file:{path}", query={"mode": "rw", "uri": "true"})
    engine = create_engine(
        parsed,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    event.listen(engine, "checkout", _note_changes)
    event.listen(engine, "checkin", _empty_log_after_writing)
    return engine


def sqlite_file(url: str | URL) -> Path | None:
    """The file behind an SQLite URL, or None for in-memory and server databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("uri") == "true":
        return Path(parsed.database.removeprefix("file:"))
    return Path(parsed.database)


def file_identity(path: Path) -> tuple[int, int]:
    """Device and inode of ``path``: they change when the file is replaced, not when written.

    Raises ``DatabaseUnavailable`` when the file does not exist.
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise DatabaseUnavailable("The database file is missing.") from None
    return status.st_dev, status.st_ino


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    # pysqlite opens transactions only before INSERT/UPDATE/DELETE, so schema changes would
    # commit one statement at a time. Take over: SQLAlchemy's begin emits BEGIN (below), and a
    # failed migration or import rolls back whole, DDL included.
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


# A replaced SQLite file (a backup moved into place) is opened beside the old file's
# write-ahead log, and SQLite would apply that log's pages to the new file: a copy restored
# while writes sat in the log read as corrupt. So a connection that wrote empties the log into
# the file as it is handed back; writes are rare here (imports, sign-ins, recorded events).
CHECKPOINT_WAIT_MS = 1_000


def _note_changes(dbapi_connection, record, _proxy) -> None:
    record.info["changes"] = dbapi_connection.total_changes


def _empty_log_after_writing(dbapi_connection, record) -> None:
    if dbapi_connection is None or dbapi_connection.total_changes == record.info.get("changes"):
        return
    cursor = dbapi_connection.cursor()
    try:
        # Short: a reader still in another worker's snapshot makes it wait, then give up; the
        # next write empties the log instead.
        cursor.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        # The file gone or locked: the connection is handed back all the same, and the next
        # request finds the database unavailable, or the next write empties the log.
        pass
    finally:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # a setting, no I/O
        cursor.close()
    record.info["changes"] = dbapi_connection.total_changes
