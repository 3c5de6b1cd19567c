"""Two checkouts' server times, side by side, to compare code on a machine whose speed drifts.

    python -m benchmarks.server_ab sqlite:////tmp/b1e6.sqlite /tmp/before . --calls 30 \\
        --rounds 2

Cold and warm callbacks: each checkout served as ``benchmarks.run`` times its callbacks (one
worker, only the default views warmed), and every filter setting posted to one server and then
to the other (which goes first alternates), so that a slow minute slows both alike. Prints, per
callback, each checkout's cold p50 and p95 and the median of the ratio (second ÷ first) over
the pairs; then the slowest callback's cold p95 of each.

Load: ``--rounds`` times, each checkout served as ``make run`` serves it (two workers, every
locality and care group warmed) and ``benchmarks.load`` run against it, the checkouts in turn
(which goes first alternates): requests, errors, p50 and p95 of each run, and the peak
resident memory of any of its workers. ``--rounds 0`` leaves the load out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from benchmarks import callback_times
from benchmarks.run import FULL, load_test, request_bodies
from benchmarks.server import served
from tests.support.callbacks import CALLBACK_PATH


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("first", type=Path, help="a project checkout")
    parser.add_argument("second", type=Path, help="another project checkout")
    parser.add_argument("--calls", type=int, default=30, help="filter settings per callback")
    parser.add_argument("--rounds", type=int, default=2, help="load runs of each checkout")
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    checkouts = [arguments.first.resolve(), arguments.second.resolve()]
    posts = request_bodies(arguments.database_url, arguments.calls)
    folder = Path(tempfile.mkdtemp(prefix="benchmark-server-ab-"))
    callbacks = callback_pairs(arguments.database_url, checkouts, posts, folder)
    loads = load_rounds(arguments.database_url, checkouts, posts, arguments.rounds, folder)
    if arguments.out:
        arguments.out.write_text(
            json.dumps(
                {"checkouts": [str(c) for c in checkouts], "callbacks": callbacks, "load": loads},
                indent=1,
            )
        )


def callback_pairs(url: str, checkouts: list[Path], posts: dict, folder: Path) -> dict:
    """Per callback, both checkouts' cold and warm times for the same filter settings."""
    results = {}
    with (
        served(url, 1, folder / "first.log", warm_up="defaults", checkout=checkouts[0]) as one,
        served(url, 1, folder / "second.log", warm_up="defaults", checkout=checkouts[1]) as two,
    ):
        for name, bodies in posts.items():
            results[name] = paired_calls([one.base, two.base], bodies)
            cold = results[name]["cold"]
            print(
                f"{name:<22} cold p50 {cold['first']['p50_ms']:>6} then "
                f"{cold['second']['p50_ms']:>6} ms, p95 {cold['first']['p95_ms']:>6} then "
                f"{cold['second']['p95_ms']:>6} ms; second ÷ first, median: "
                f"{cold['ratio_median']}",
                flush=True,
            )
    slowest = [
        max(result["cold"][which]["p95_ms"] for result in results.values())
        for which in ("first", "second")
    ]
    print(f"slowest callback's cold p95: {slowest[0]} then {slowest[1]} ms", flush=True)
    return results


def paired_calls(bases: list[str], bodies: list[dict], timed=callback_times.timed_request) -> dict:
    """Each body posted to both servers (``bases``), cold then warm, the first server first for
    the first body and the other for the next, in turn; ``timed(url, body)`` gives the
    milliseconds and the status. Per phase: each server's p50 and p95 and the median ratio."""
    times = {phase: ([], []) for phase in ("cold", "warm")}
    for pairs in times.values():  # cold first: the first time a server sees each body
        for call, data in enumerate(bodies):
            for index in (0, 1) if call % 2 == 0 else (1, 0):
                pairs[index].append(timed(bases[index] + CALLBACK_PATH, data)[0])
    return {
        phase: {
            "first": callback_times.summary(first),
            "second": callback_times.summary(second),
            "ratio_median": round(
                statistics.median(b / a for a, b in zip(first, second, strict=True)), 3
            ),
        }
        for phase, (first, second) in times.items()
    }


def load_rounds(url: str, checkouts: list[Path], posts: dict, rounds: int, folder: Path) -> list:
    """``rounds`` load runs of each checkout, in turn."""
    runs = []
    for round_number in range(rounds):
        order = (0, 1) if round_number % 2 == 0 else (1, 0)
        for index in order:
            log = folder / f"load-{index}.log"
            with served(url, FULL.workers, log, checkout=checkouts[index]) as server:
                load = load_test(server.base, posts, FULL, folder)
                peak = round(server.memory.peak_mb, 1)
            runs.append({"checkout": index, **load, "peak_rss_mb": peak})
            which = ("first", "second")[index]
            print(
                f"load, round {round_number + 1}, {which}: {load['requests']} requests, "
                f"{load['errors']} errors, p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, "
                f"peak worker {peak} MB",
                flush=True,
            )
    return runs


if __name__ == "__main__":
    main()
