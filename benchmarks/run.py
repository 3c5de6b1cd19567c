"""Benchmark the served dashboard at chosen sizes and databases; prints a table, asserts nothing.

Usage:
    .venv/bin/python -m benchmarks.run --sizes 1e3,1e5,1e6 --databases sqlite,postgresql
    .venv/bin/python -m benchmarks.run --quick          # CI: 10^3 and 10^4 rows, SQLite, small

For each database and size it builds a fresh database with benchmark data of that many
observation rows (``dashboard.benchmark_data``: the demo data split by month and synthetic
providers, totals unchanged) and times ``init-db``; serves it with gunicorn as ``make run``
does; times every page callback that takes the filters over HTTP, cold and warm, with
``/health`` as the floor (one worker, so "cold" is the first time that worker sees the
filters); then, against two workers (one with ``--quick``), times a filter change to every
chart repainted and the first load in Chromium, and runs 50 simulated users for 60 s. Peak
resident memory is the largest of any worker. Results go to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select

from benchmarks import browser_times, callback_times
from benchmarks.server import served
from dashboard.application import REPOSITORY_EXTENSION, create_app
from dashboard.benchmark_data import Size
from dashboard.config import DATA_DIR, Settings
from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.db.loader import init_db
from tests.support.postgres import running_postgres

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
CHART_PAGES = ("/", "/funding", "/reach", "/investment", "/short-breaks", "/targets")
# Callbacks are named by their first output's id; a page's ids start with its name.
PAGE_PREFIXES = ("overview", "funding", "reach", "investment", "short-breaks", "targets")


@dataclass(frozen=True)
class Profile:
    """How much to measure: calls per callback, load, browser pages and filter changes."""

    calls: int
    floor_calls: int
    users: int
    seconds: float
    pages: tuple[str, ...]
    changes: int
    # gunicorn workers for the browser and load phases: two, as ``make run`` serves. The quick
    # run (CI's) uses one: each worker warms every locality and care group by itself, and two
    # of them beside the other test process on CI's two cores took 150 s to warm, against 75.
    workers: int = 2


FULL = Profile(calls=30, floor_calls=30, users=50, seconds=60, pages=CHART_PAGES, changes=10)
# Two changes: a care group, then a locality, which the overview's charts in view show.
QUICK = Profile(calls=2, floor_calls=5, users=5, seconds=5, pages=("/",), changes=2, workers=1)


def parse_sizes(text: str) -> list[int]:
    return [int(float(part)) for part in text.split(",") if part.strip()]


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """A database URL: a file in ``folder`` or a throwaway local PostgreSQL server."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.sqlite'}"
    elif kind == "postgresql":
        with running_postgres(dbname="bench") as url:
            yield url
    else:
        raise SystemExit(f"unknown database {kind!r}: use sqlite or postgresql")


def build(url: str, size: Size) -> tuple[float, int]:
    """Seconds to ``init-db`` with benchmark data of ``size``, and the observations loaded."""
    engine = make_engine(url)
    start = time.perf_counter()
    init_db(engine, DATA_DIR, force=True, benchmark=size)
    seconds = time.perf_counter() - start
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(models.Observation))
        rows = int(count.scalar_one())
    engine.dispose()
    return seconds, rows


def request_bodies(url: str, calls: int) -> dict[str, list[dict]]:
    """The filter callbacks' request bodies, from an app on ``url`` as the server builds it.

    An app of its own for each database: an app made once for the run would keep reading the
    first database, whose temporary folder is gone when the next kind is measured.
    """
    app = create_app(Settings.from_env({**os.environ, "DATABASE_URL": url}))
    repo = app.server.extensions[REPOSITORY_EXTENSION]
    try:
        return callback_times.filter_posts(app, repo, calls)
    finally:
        repo.engine.dispose()


def by_page(posts: dict[str, list[dict]]) -> dict[str, dict[str, list[dict]]]:
    pages: dict[str, dict[str, list[dict]]] = {}
    for name, bodies in posts.items():
        page = next((p for p in PAGE_PREFIXES if name.startswith(p)), name)
        pages.setdefault(page, {})[name] = bodies
    return pages


def load_test(base: str, posts: dict, profile: Profile, folder: Path) -> dict:
    """The load test in its own process (locust patches the standard library)."""
    posts_file, out = folder / "posts.json", folder / "load.json"
    posts_file.write_text(json.dumps(by_page(posts)))
    command = [sys.executable, "-m", "benchmarks.load", base, str(posts_file)]
    command += [str(profile.users), str(profile.seconds), str(out)]
    subprocess.run(command, check=True, cwd=Path(__file__).resolve().parent.parent)
    return json.loads(out.read_text())


def measure(url: str, rows: int, months: bool, profile: Profile, folder: Path) -> dict:
    """Every measurement at one size on one database."""
    clock = time.perf_counter()
    init_seconds, observations = build(url, Size(rows, months))
    print(f"  {observations:,} observations loaded in {init_seconds:.1f} s", flush=True)
    posts = request_bodies(url, profile.calls)
    log = folder / "gunicorn.log"
    # Only the default views warmed, so that every filter setting posted is cold at first.
    with served(url, 1, log, warm_up="defaults") as one:
        server = callback_times.measure(one.base, posts, profile.floor_calls)
        peak, warm_up = one.memory.peak_mb, one.warm_up_seconds
    print(f"  callbacks timed ({time.perf_counter() - clock:.0f} s so far)", flush=True)
    # As make run serves it: every locality and care group warmed before the first click.
    with served(url, profile.workers, log) as two, sync_playwright() as playwright:
        print(f"  warmed up ({time.perf_counter() - clock:.0f} s so far)", flush=True)
        browser = browser_times.measure(two.base, list(profile.pages), profile.changes, playwright)
        print(f"  browser done ({time.perf_counter() - clock:.0f} s so far)", flush=True)
        load = load_test(two.base, posts, profile, folder)
        peak = max(peak, two.memory.peak_mb)
    return {
        "rows": rows,
        "observations": observations,
        "init_db_seconds": round(init_seconds, 1),
        "warm_up_seconds": warm_up,
        "filters_warm_up_seconds": two.filters_warm_up_seconds,
        **server,
        "browser": browser,
        "load": load,
        "peak_rss_mb": round(peak, 1),
    }


def summary(runs: dict[str, dict[int, dict]]) -> dict:
    """The headline keys: slowest callback and page, per database and size."""

    def slowest(run: dict, phase: str) -> float:
        return max(c[phase]["p95_ms"] for c in run["callbacks"].values())

    first = next(iter(runs.values()))
    largest = first[max(first)]
    return {
        "callback_p95_ms": {
            db: {n: slowest(r, "warm") for n, r in s.items()} for db, s in runs.items()
        },
        "callback_cold_p95_ms": {
            db: {n: slowest(r, "cold") for n, r in s.items()} for db, s in runs.items()
        },
        "floor_p95_ms": {
            db: max(r["floor"]["p95_ms"] for r in s.values()) for db, s in runs.items()
        },
        "repaint_p50_ms": {
            n: max((p["repaint_p50_ms"] or 0) for p in r["browser"].values())
            for n, r in first.items()
        },
        "repaint_p95_ms": {
            n: max((p["repaint_p95_ms"] or 0) for p in r["browser"].values())
            for n, r in first.items()
        },
        # What the room sees first: each page's chart in view repainted (the slowest page).
        **{
            f"repaint_in_view_{q}_ms": {
                n: max((p[f"in_view_{q}_ms"] or 0) for p in r["browser"].values())
                for n, r in first.items()
            }
            for q in ("p50", "p95")
        },
        "repaint_timeouts": {
            n: sum(p["timeouts"] for p in r["browser"].values()) for n, r in first.items()
        },
        "load": {
            key: largest["load"][key]
            for key in ("users", "seconds", "requests", "errors", "p50_ms", "p95_ms")
        },
        "page_bytes": {
            path: {"first": page["first_load"]["bytes"], "repeat": page["repeat_visit"]["bytes"]}
            for path, page in first[min(first)]["browser"].items()
        },
        "peak_rss_mb": {n: r["peak_rss_mb"] for n, r in first.items()},
        "init_db_seconds": {
            db: {n: r["init_db_seconds"] for n, r in s.items()} for db, s in runs.items()
        },
        **{
            key: {db: {n: r[key] for n, r in s.items()} for db, s in runs.items()}
            for key in ("warm_up_seconds", "filters_warm_up_seconds")
        },
        "observations": {
            db: {n: r["observations"] for n, r in s.items()} for db, s in runs.items()
        },
    }


def table(runs: dict[str, dict[int, dict]]) -> str:
    header = (
        "database    rows        init-db  warm-up  floor p95  warm p95  cold p95  repaint p95  "
        "in view p95  load req/err/p95        RSS MB"
    )
    lines = [header]
    for db, sizes in runs.items():
        for run in sizes.values():
            warm = max(c["warm"]["p95_ms"] for c in run["callbacks"].values())
            cold = max(c["cold"]["p95_ms"] for c in run["callbacks"].values())
            repaint = max((p["repaint_p95_ms"] or 0) for p in run["browser"].values())
            in_view = max((p["in_view_p95_ms"] or 0) for p in run["browser"].values())
            load = run["load"]
            warm_up = run["warm_up_seconds"]
            lines.append(
                f"{db:<11} {run['observations']:>10,} {run['init_db_seconds']:>7.1f}s "
                + (f"{warm_up:>7.1f}s " if warm_up is not None else f"{'-':>8} ")
                + f"{run['floor']['p95_ms']:>8.1f}ms {warm:>7.0f}ms {cold:>7.0f}ms "
                f"{repaint:>10.0f}ms {in_view:>10.0f}ms  "
                f"{load['requests']:>5}/{load['errors']}/{load['p95_ms']}ms"
                f"{run['peak_rss_mb']:>12.0f}"
            )
    return "\n".join(lines)


def machine() -> str:
    memory = psutil.virtual_memory().total / 1024**3
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def write_results(
    out: Path, started: datetime.datetime, argv: list[str] | None, profile: Profile, runs: dict
) -> dict:
    command = ["python -m benchmarks.run", *(argv if argv is not None else sys.argv[1:])]
    result = {
        "date": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "command": " ".join(command),
        "profile": asdict(profile),
        **summary(runs),
        "runs": runs,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, default=str) + "\n")
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="observation rows, e.g. 1e3,1e6 (default 1e3,1e5,1e6)")
    parser.add_argument("--databases", default="sqlite", help="sqlite,postgresql")
    parser.add_argument("--quick", action="store_true", help="10^3 and 10^4 rows, SQLite, small")
    parser.add_argument(
        "--no-months",
        action="store_true",
        help="grow by providers only (for code that does not yet sum months into quarters)",
    )
    parser.add_argument("--calls", type=int, help="filter settings per callback (default 30)")
    parser.add_argument("--changes", type=int, help="filter changes per page (default 10)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    profile = QUICK if args.quick else FULL
    profile = replace(
        profile, calls=args.calls or profile.calls, changes=args.changes or profile.changes
    )
    sizes = parse_sizes(args.sizes or ("1e3,1e4" if args.quick else "1e3,1e5,1e6"))
    databases = ["sqlite"] if args.quick else args.databases.split(",")
    runs: dict[str, dict[int, dict]] = {}
    result: dict = {}
    started = datetime.datetime.now(datetime.UTC)
    for kind in databases:
        with (
            tempfile.TemporaryDirectory(prefix="bench-") as folder,
            database(kind, Path(folder)) as url,
        ):
            for rows in sizes:
                print(f"{kind}, {rows:,} rows", flush=True)
                measured = measure(url, rows, not args.no_months, profile, Path(folder))
                runs.setdefault(kind, {})[rows] = measured
                # Written after every size, so a long run stopped part-way keeps what it has.
                result = write_results(args.out, started, argv, profile, runs)
    print(table(runs))
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
