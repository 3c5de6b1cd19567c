"""Measure load and query times at a chosen scale; prints figures, asserts nothing.

Usage: .venv/bin/python -m benchmarks.run [--scale N] [--database-url URL]
Builds a fresh database with the seed data plus N copies of the demo monitoring returns
(about 70,000 rows each), then times the queries and views a page load performs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from dashboard.callbacks.overview import build_headlines
from dashboard.config import DATA_DIR
from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.db.loader import init_db
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import data_quality, funding
from dashboard.views.common import ViewContext


def timed(action: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """Median and worst wall time in milliseconds over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times), max(times)


def _actions(repo: Repository) -> list[tuple[str, Callable[[], object]]]:
    """What a page load asks of the repository and the views, by name."""
    local = Filters(locality="thanet-dover", care_group="dementia")
    kent = ViewContext(Filters(), repo.reference(), "")
    return [
        ("query one measure", lambda: repo.observations("carers-supported")),
        ("overview headlines, Kent", lambda: build_headlines(repo, Filters())),
        ("overview headlines, Thanet & Dover, dementia", lambda: build_headlines(repo, local)),
        ("funding split view", lambda: funding.funding_split(repo.funding(), kent)),
        ("data-quality sources view", lambda: data_quality.sources_card(repo.coverage(), kent)),
    ]


def _ms(median: float, worst: float) -> str:
    return f"median {median:.0f} ms, worst {worst:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        engine = make_engine(url)
        start = time.perf_counter()
        init_db(engine, DATA_DIR, force=True, demo_scale=args.scale)
        load_seconds = time.perf_counter() - start
        with engine.connect() as connection:
            rows = connection.execute(select(func.count()).select_from(models.Observation)).scalar()
        cpu = platform.processor() or platform.machine()
        print(f"machine: {cpu}, {os.cpu_count()} cores, python {platform.python_version()}")
        print(f"database: {engine.url.get_backend_name()}, observations: {rows:,}")
        rate = rows / load_seconds
        print(f"init-db (validate, generate, load): {load_seconds:.1f} s ({rate:,.0f} rows/s)")
        cold = Repository(engine, cache_size=0)
        warm = Repository(engine)
        for label, repo in (("uncached", cold), ("cached", warm)):
            for what, action in _actions(repo):
                print(f"{label:>8} {what}: {_ms(*timed(action))}")
        engine.dispose()


if __name__ == "__main__":
    main()
