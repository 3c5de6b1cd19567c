"""An SQLite file replaced while the dashboard runs (a backup moved into place) is read whole.

SQLite opens a file beside the write-ahead log it finds there: writes still in the old file's
log were applied to the restored copy, which then read as corrupt (found by moving a backup
into place after an import).
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from dashboard.db import models
from dashboard.db.engine import make_engine


def _log(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def test_a_write_leaves_no_page_in_the_log(fresh_db_url):
    path = Path(fresh_db_url.removeprefix("sqlite:///"))
    engine = make_engine(fresh_db_url, create=False)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(models.Batch).values(
                    kind="import", label="r.csv", content_hash="a" * 64, loaded_at=datetime.now()
                )
            )
        # The connection is back in the pool, still open: the log is empty all the same.
        assert not _log(path).exists() or _log(path).stat().st_size == 0
    finally:
        engine.dispose()


def test_a_backup_moved_into_place_after_a_write_reads_whole(fresh_db_url, seeded_db_url, tmp_path):
    path = Path(fresh_db_url.removeprefix("sqlite:///"))
    worker = make_engine(fresh_db_url, create=False)  # a worker that has just imported
    try:
        with worker.begin() as connection:
            for number in range(200):
                connection.execute(
                    insert(models.Batch).values(
                        kind="import",
                        label=f"return-{number}.csv",
                        content_hash=f"{number:064d}",
                        loaded_at=datetime.now(),
                    )
                )
        backup = tmp_path / "backup.sqlite"
        shutil.copyfile(seeded_db_url.removeprefix("sqlite:///"), backup)
        os.replace(backup, path)
        reopened = make_engine(fresh_db_url, create=False)  # another worker, on the new file
        try:
            with reopened.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                imported = select(func.count()).where(models.Batch.label.like("return-%"))
                assert connection.execute(imported).scalar() == 0
        finally:
            reopened.dispose()
    finally:
        worker.dispose()
