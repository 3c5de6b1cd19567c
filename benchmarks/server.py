"""Serve the dashboard for a benchmark as ``make run`` does, and watch its workers' memory."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
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
# What each worker logs when its warm-up thread ends (``dashboard.application.WarmUp``).
WARM_UP_ENDED = re.compile(rb"Warmed \d+ default views in ([\d.]+) s|Default views not warmed")


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
    warm_up_seconds: float | None  # the slowest worker's, as it logged it; None if not warmed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served(database_url: str, workers: int, log: Path) -> Iterator[Served]:
    """gunicorn ``app:server`` on a free loopback port, as ``make run`` starts it, once every
    worker has answered ``/health`` and finished warming its default views.

    Measurements start after the warm-up: a request made during it competes with the warm-up
    thread for the worker's interpreter, which is a restart's cost, reported on its own as
    ``warm_up_seconds``, not a selection's.
    """
    port = free_port()
    log_start = log.stat().st_size if log.exists() else 0
    command = [str(GUNICORN), "app:server", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--timeout", "300"]
    env = {**os.environ, "DATABASE_URL": database_url}
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    memory = MemoryWatch(process.pid)
    watcher = threading.Thread(target=memory.run, daemon=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_healthy(base, process)
        warm_up = _wait_until_warmed(log, log_start, workers, process)
        watcher.start()
        yield Served(base, memory, warm_up)
    finally:
        memory._stop.set()
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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


def _wait_until_warmed(log: Path, start: int, workers: int, process: subprocess.Popen):
    """The slowest worker's warm-up seconds, once each of ``workers`` has logged its end."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see its log")
        with log.open("rb") as written:
            written.seek(start)
            ended = WARM_UP_ENDED.findall(written.read())
        if len(ended) >= workers:
            seconds = [float(value) for value in ended if value]
            return max(seconds) if len(seconds) == len(ended) else None
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn's workers did not finish warming up within {STARTUP_SECONDS} s")
