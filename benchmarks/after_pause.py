"""Server times straight after another request and after a pause, to tell the machine's cost of
waking from the code's: a filter change in a meeting, like each one the repaint benchmark makes,
comes after the server has been idle for a while (``browser_times.QUIET_MS`` at least).

    python -m benchmarks.after_pause sqlite:////tmp/b1e6.sqlite --pauses 0,0.3,0.6,1 --calls 12

Served as ``make run`` serves it (every locality and care group warmed), but by one worker: every
callback is answered from what the worker keeps, and a pause is the worker's time idle. The
same requests each time: ``/health`` and each chart page's callbacks, with the default filters.
Each round takes every pause in turn, so a slow minute slows every pause alike. Beside them, the
machine alone: the time this process takes to read one byte of each 4 KB page of 32 MB of its
own memory, read just before the same pause. Prints the p50 per pause and writes them as JSON
with ``--out``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import callback_times
from benchmarks.run import CHART_PAGES, request_bodies
from benchmarks.server import served
from tests.support.callbacks import CALLBACK_PATH

PAGE_BYTES = 4096
MEMORY_BYTES = 32 * 1024 * 1024
MEMORY = "32 MB of memory read"


def memory_read_ms(memory: bytearray) -> float:
    """Milliseconds to read one byte of each page of ``memory``."""
    start = time.perf_counter()
    sum(memory[index] for index in range(0, len(memory), PAGE_BYTES))
    return 1000 * (time.perf_counter() - start)


def paused_calls(
    requests: dict[str, tuple[str, dict | None]],
    pauses: list[float],
    rounds: int,
    timed=callback_times.timed_request,
    sleep=time.sleep,
    memory_read=None,
) -> dict[str, dict[float, list[float]]]:
    """Milliseconds of each request (name: url and body, None for a GET) after each pause, in
    ``rounds`` rounds of every pause in turn; with ``memory_read``, that of memory read first,
    just before the pause, then after it. A request answered 400 or more stops the run."""
    times: dict[str, dict[float, list[float]]] = {}
    for _ in range(rounds):
        for pause in pauses:
            if memory_read is not None:
                memory_read()
                sleep(pause)
                times.setdefault(MEMORY, {}).setdefault(pause, []).append(memory_read())
            for name, (url, data) in requests.items():
                sleep(pause)
                measured, status = timed(url, data)
                if status >= 400:
                    raise SystemExit(f"{name} answered {status}")
                times.setdefault(name, {}).setdefault(pause, []).append(measured)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--pauses", default="0,0.3,0.6,1", help="seconds idle before a request")
    parser.add_argument("--calls", type=int, default=12, help="rounds of every pause")
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    pauses = [float(pause) for pause in arguments.pauses.split(",")]
    # The chart pages' callbacks (the overview's is its cards'), each with its first filter
    # setting, the default one (``varied_filters``).
    pages = [page.strip("/") or "overview" for page in CHART_PAGES]
    posts = {
        name: bodies[0]
        for name, bodies in request_bodies(arguments.database_url, 1).items()
        if any(name.startswith(page) for page in pages)
    }
    memory = bytearray(MEMORY_BYTES)
    log = Path(tempfile.gettempdir()) / "benchmark-after-pause-gunicorn.log"
    # One worker, so that the pause before a request is the time its worker was idle.
    with served(arguments.database_url, 1, log) as server:
        requests = {"/health": (server.base + "/health", None)}
        requests.update({name: (server.base + CALLBACK_PATH, data) for name, data in posts.items()})
        times = paused_calls(
            requests, pauses, arguments.calls, memory_read=lambda: memory_read_ms(memory)
        )
    results = {
        name: {str(pause): round(statistics.median(values), 1) for pause, values in by.items()}
        for name, by in times.items()
    }
    width = max(map(len, results))
    print(f"{'p50 ms after a pause of':<{width}}", *(f"{pause:>7g} s" for pause in pauses))
    for name, by in results.items():
        print(f"{name:<{width}}", *(f"{by[str(pause)]:>9,.1f}" for pause in pauses))
    if arguments.out:
        arguments.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
