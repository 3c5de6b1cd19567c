"""Every filter callback's responses for varied filters, to check that a change leaves the
figures as they were, case by case, and what it does to their server time.

    python -m benchmarks.responses build /tmp/bench.sqlite [--rows 1e6]
    python -m benchmarks.responses record OUT.json [--settings N] [--only NAME]
    python -m benchmarks.responses compare BEFORE.json AFTER.json

``build`` writes a SQLite file of benchmark data (``benchmarks.run`` builds the same, and
throws it away); point ``DATABASE_URL`` at it (``sqlite:////tmp/bench.sqlite``).

``record`` posts every server callback that takes the filters, for ``N`` varied filter settings
(``callback_times.filter_posts``), through the Flask test client of an app on the database in
``DATABASE_URL``, as the app reads it. It saves each response and prints each callback's mean
time for settings it has not seen before, leaving out its first call, which also reads the
measures it needs. Run it from each checkout (``git worktree add``) on the same database file,
one after the other. ``compare`` lists the responses that differ, reading them as JSON (so the
order of keys does not count) and leaving out the signatures of export links, which name the
instance's secret.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from benchmarks.callback_times import filter_posts
from benchmarks.run import build, parse_sizes
from dashboard.application import REPOSITORY_EXTENSION, create_app
from dashboard.benchmark_data import Size
from dashboard.config import Settings
from tests.support.callbacks import CALLBACK_PATH

SIGNATURE = re.compile(r'(signature\\?"\s*:\s*\\?")[0-9a-f]+')


def build_database(path: Path, rows: int) -> None:
    seconds, observations = build(f"sqlite:///{path.resolve()}", Size(rows, True))
    print(f"{observations:,} observations loaded in {seconds:.1f} s into {path}")


def record(out: Path, settings_count: int, only: str) -> None:
    app = create_app(Settings.from_env())
    client = app.server.test_client()
    client.get("/")
    posts = filter_posts(app, app.server.extensions[REPOSITORY_EXTENSION], settings_count)
    responses, total = {}, 0.0
    for name, bodies in posts.items():
        if only not in name:
            continue
        times = []
        for index, body in enumerate(bodies):
            started = time.perf_counter()
            response = client.post(CALLBACK_PATH, json=body)
            times.append((time.perf_counter() - started) * 1000)
            responses[f"{name}#{index}"] = [response.status_code, response.get_data(as_text=True)]
        later = times[1:] or times
        mean = sum(later) / len(later)
        total += mean
        print(f"{name:28s} mean {mean:7.0f} ms   first {times[0]:7.0f} ms", flush=True)
    print(f"{'sum of means':28s}      {total:7.0f} ms")
    out.write_text(json.dumps(responses))


def _readable(text: str):
    text = SIGNATURE.sub(r"\1-", text)
    return json.loads(text) if text.lstrip().startswith("{") else text


def compare(before: Path, after: Path) -> int:
    old, new = json.loads(before.read_text()), json.loads(after.read_text())
    shared = [key for key in old if key in new]
    differ = [
        key
        for key in shared
        if old[key][0] != new[key][0] or _readable(old[key][1]) != _readable(new[key][1])
    ]
    print(f"{len(shared)} responses in both, {len(differ)} differ")
    for key in differ:
        print(f"  {key}")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    building = commands.add_parser("build", help="write a SQLite file of benchmark data")
    building.add_argument("out", type=Path)
    building.add_argument("--rows", default="1e6", help="observation rows (default 1e6)")
    recording = commands.add_parser("record", help="post the callbacks and save the responses")
    recording.add_argument("out", type=Path)
    recording.add_argument("--settings", type=int, default=8, help="filter settings (default 8)")
    recording.add_argument("--only", default="", help="only callbacks whose name contains this")
    comparing = commands.add_parser("compare", help="list the responses that differ")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        build_database(args.out, parse_sizes(args.rows)[0])
    elif args.command == "record":
        record(args.out, args.settings, args.only)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
