"""What the result cache costs and saves: `python -m benchmarks.result_cache [--redis-url URL]`.

Prints the time to read the data version (the query every request makes) and, for each page's
main callback at the default filters, the server time of the first call (computed) and of
later calls (read from the cache), through the Flask test client. Uses the database in
``DATABASE_URL``, as the app does.
"""

from __future__ import annotations

import argparse
import statistics
import time

from dashboard import ids
from dashboard.application import REPOSITORY_EXTENSION, create_app
from dashboard.config import Settings
from tests.support.callbacks import body, candidate_values, server_callbacks

PAGE_OUTPUTS = {
    "/": ids.OVERVIEW_CARDS,
    "/funding": ids.FUNDING_SPLIT_CHARTS,
    "/reach": ids.REACH_CHARTS,
    "/investment": ids.INVESTMENT_CHARTS,
    "/short-breaks": ids.SHORT_BREAKS_CHARTS,
    "/targets": ids.TARGETS_CHARTS,
}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis-url", default="", help="share results through this Redis")
    parser.add_argument("--hits", type=int, default=10, help="cached calls timed per page")
    args = parser.parse_args()
    settings = Settings.from_env()
    app = create_app(Settings(**{**settings.__dict__, "redis_url": args.redis_url}))
    repo = app.server.extensions[REPOSITORY_EXTENSION]
    reads = []
    for _ in range(200):
        started = time.perf_counter()
        repo.refreshed_version()
        reads.append(time.perf_counter() - started)
    reads.sort()
    print(f"data version read: p50 {_ms(reads[100])} ms, p95 {_ms(reads[190])} ms (200 reads)")
    store = "Redis" if args.redis_url else "this worker's memory (SimpleCache)"
    print(f"page callback at the default filters, results in {store}:")
    print("| page | first call (computed) ms | cached call p50 ms |")
    print("| --- | --- | --- |")
    callbacks = server_callbacks(app)
    client = app.server.test_client()
    # Every input at its first offered value: the default filters and each control's default.
    values = {key: options[0] for key, options in candidate_values(app, repo).items() if options}
    for page, component in PAGE_OUTPUTS.items():
        output = next(key for key in callbacks if component in key)
        request = body(output, callbacks[output], values)
        timings = []
        for _ in range(args.hits + 1):
            started = time.perf_counter()
            response = client.post("/_dash-update-component", json=request)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (page, response.status_code)
        print(f"| {page} | {_ms(timings[0])} | {_ms(statistics.median(timings[1:]))} |")


if __name__ == "__main__":
    main()
