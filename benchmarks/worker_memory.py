"""Peak memory of one web worker of one checkout: serve it as ``make run`` does with one
worker, post every filter callback with ``--calls`` filter settings, and print the worker's
peak resident memory.

    python -m benchmarks.worker_memory sqlite:////tmp/q1e6.sqlite --calls 30

Run it from each checkout in turn (``PYTHONPATH=<checkout>``) to compare two side by side.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks import callback_times
from benchmarks.run import request_bodies
from benchmarks.server import served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--calls", type=int, default=30)
    arguments = parser.parse_args()
    posts = request_bodies(arguments.database_url, arguments.calls)
    log = Path(tempfile.gettempdir()) / "benchmark-worker-memory-gunicorn.log"
    with served(arguments.database_url, 1, log) as server:
        callback_times.measure(server.base, posts, floor_calls=5)
        peak = server.memory.peak_mb
    print(
        f"peak resident memory of the worker: {peak:,.0f} MB "
        f"({len(posts)} callbacks x {arguments.calls} filter settings)"
    )


if __name__ == "__main__":
    main()
