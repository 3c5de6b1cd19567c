"""Server time of the page callbacks a filter change runs, posted over HTTP as a browser does.

Every server callback that takes the filters as an input is posted with a number of varied
filters (locality of each scheme, care group, period): "cold" is the first time the worker
sees those filters, "warm" the same request again. ``/health`` on the same server is the floor.
"""

from __future__ import annotations

import json
import random
import statistics
import time
import urllib.error
import urllib.request

from dashboard import ids
from dashboard.filters import Filters
from tests.support.callbacks import CALLBACK_PATH, body, candidate_values, server_callbacks

FILTERS = (ids.FILTER_STATE, "data")


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0-1) percentile by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def summary(values: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "calls": len(values),
    }


def varied_filters(repo, count: int, seed: int = 7) -> list[dict]:
    """``count`` different filter settings a commissioner could choose, default first."""
    choices = repo.reference().filter_choices()
    places = [(s, p) for s, localities in choices.localities.items() for p in localities]
    years = [slug for slug in choices.periods if len(slug) == 7][:4]
    combinations = [
        Filters(scheme, place, group, period)
        for scheme, place in [(Filters().scheme, None), *places]
        for group in [None, *choices.care_groups]
        for period in [None, *years]
    ]
    rng = random.Random(seed)
    rest = combinations[1:]
    rng.shuffle(rest)
    return [state.to_dict() for state in [combinations[0], *rest][:count]]


def filter_posts(app, repo, count: int) -> dict[str, list[dict]]:
    """Request bodies by callback (named by its first output's id), one per filter setting."""
    candidates = candidate_values(app, repo)
    defaults = {key: options[0] for key, options in candidates.items() if options}
    states = varied_filters(repo, count)
    posts = {}
    for output, callback in server_callbacks(app).items():
        if FILTERS in callback.inputs:
            name = str(callback.outputs[0][0])
            posts[name] = [body(output, callback, {**defaults, FILTERS: s}) for s in states]
    return posts


def timed_request(url: str, data: dict | None = None) -> tuple[float, int]:
    """Milliseconds to the whole response, and its HTTP status."""
    payload = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=payload)
    if payload is not None:
        request.add_header("Content-Type", "application/json")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return 1000 * (time.perf_counter() - start), status


def measure(base: str, posts: dict[str, list[dict]], floor_calls: int) -> dict:
    """Cold and warm times per callback, errors, and the ``/health`` floor."""
    results = {}
    for name, bodies in posts.items():
        times: dict[str, list[float]] = {"cold": [], "warm": []}
        errors = 0
        for phase in ("cold", "warm"):
            for data in bodies:
                ms, status = timed_request(base + CALLBACK_PATH, data)
                times[phase].append(ms)
                errors += status >= 400
        results[name] = {
            "cold": summary(times["cold"]),
            "warm": summary(times["warm"]),
            "errors": errors,
        }
    floor = [timed_request(base + "/health")[0] for _ in range(floor_calls)]
    return {"callbacks": results, "floor": summary(floor)}
