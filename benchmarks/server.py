"""Serve the dashboard for a benchmark as ``make run`` does, and watch its workers' memory."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
STARTUP_SECONDS = 180
WARM_UP_SECONDS = 3600  # every locality and care group at 10^7 rows takes minutes
# What each worker logs as its warm-up (``dashboard.application.WarmUp``) ends a phase: the
# default views, then (DASHBOARD_WARM_UP=filters) every locality and care group; or fails.
DEFAULTS_WARMED = re.compile(rb"Warmed \d+ default views in ([\d.]+) s")
FILTERS_WARMED = re.compile(rb"Warmed \d+ views of every locality and care group in ([\d.]+) s")
NOT_WARMED = re.compile(rb"Views not warmed")


@dataclass
class MemoryWatch:
    """Peak resident memory of any one worker of a gunicorn master, sampled in a thread."""

    master: int
    peak_bytes: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.wait(0.25):
            with contextlib.suppress(psutil.Error):
                for worker in psutil.Process(self.master).children():
                    with contextlib.suppress(psutil.Error):
                        self.peak_bytes = max(self.peak_bytes, worker.memory_info().rss)

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 1024 / 1024


@dataclass(frozen=True)
class Served:
    base: str
    memory: MemoryWatch
    # The slowest worker's, as it logged them; None if not warmed (or not asked to).
    warm_up_seconds: float | None  # each page's default view
    filters_warm_up_seconds: float | None  # then every locality and care group


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served(
    database_url: str,
    workers: int,
    log: Path,
    *,
    warm_up: str = "filters",
    checkout: Path = PROJECT_ROOT,
) -> Iterator[Served]:
    """gunicorn ``app:server`` on a free loopback port, as ``make run`` starts it, once every
    worker has answered ``/health`` and finished its warm-up (``warm_up``: the setting
    DASHBOARD_WARM_UP, "filters" as ``make run`` has it, or "defaults", so that other filters
    stay cold). ``checkout``: the project checkout whose app is served (this one by default).

    Measurements start after the warm-up: a request made during it competes with the warm-up
    thread for the worker's interpreter, which is a restart's cost, reported on its own as
    ``warm_up_seconds`` and ``filters_warm_up_seconds``, not a selection's.
    """
    port = free_port()
    log_start = log.stat().st_size if log.exists() else 0
    command = [str(GUNICORN), "app:server", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--timeout", "300"]
    # The workers share their results in a directory, as ``make run`` has them, but a new one
    # each start: a server that found the last one's results would answer nothing cold.
    results = tempfile.TemporaryDirectory(prefix="dashboard-results-")
    env = {**os.environ, "DATABASE_URL": database_url, "DASHBOARD_WARM_UP": warm_up}
    env["DASHBOARD_RESULTS_DIR"] = results.name
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(checkout), env.get("PYTHONPATH")]))
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, cwd=checkout, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    memory = MemoryWatch(process.pid)
    watcher = threading.Thread(target=memory.run, daemon=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_healthy(base, process)
        phases = [DEFAULTS_WARMED] + ([FILTERS_WARMED] if warm_up == "filters" else [])
        seconds = [_wait_until_warmed(log, log_start, workers, process, p) for p in phases]
        watcher.start()
        yield Served(base, memory, *seconds, *[None] * (2 - len(seconds)))
    finally:
        memory._stop.set()
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        results.cleanup()


def _wait_until_healthy(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see its log")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(base + "/health", timeout=5) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer /health within {STARTUP_SECONDS} s")


def _wait_until_warmed(
    log: Path, start: int, workers: int, process: subprocess.Popen, phase: re.Pattern
) -> float | None:
    """The slowest worker's seconds for a warm-up ``phase``, once each of ``workers`` has logged
    its end; None if any worker logged that the database could not be used instead."""
    deadline = time.monotonic() + WARM_UP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see its log")
        with log.open("rb") as written:
            written.seek(start)
            text = written.read()
        if NOT_WARMED.search(text):
            return None
        ended = phase.findall(text)
        if len(ended) >= workers:
            return max(float(value) for value in ended)
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn's workers did not finish warming up within {WARM_UP_SECONDS} s")
