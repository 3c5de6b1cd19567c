"""Simulated commissioners clicking filters against a served dashboard (locust as a library).

Run by ``benchmarks.run`` in its own process (locust patches the standard library for gevent):
    python -m benchmarks.load BASE POSTS.json USERS SECONDS OUT.json

Each user opens a page at random and changes the filters every one to three seconds; a change
posts every callback of that page that takes the filters, with one of the varied settings.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import gevent
from locust import HttpUser, between, task
from locust.env import Environment

from tests.support.callbacks import CALLBACK_PATH

SPAWN_PER_SECOND = 10
STOP_SECONDS = 120


def run(base: str, pages: dict[str, dict[str, list[dict]]], users: int, seconds: float) -> dict:
    """Requests, failures and response-time percentiles of ``users`` users over ``seconds``."""
    page_posts = list(pages.values())

    class Commissioner(HttpUser):
        host = base
        wait_time = between(1, 3)

        @task
        def change_filters(self) -> None:
            posts = random.choice(page_posts)
            state = random.randrange(len(next(iter(posts.values()))))
            for name, bodies in posts.items():
                self.client.post(CALLBACK_PATH, json=bodies[state], name=name)

    # Users finish the click in hand when time is up, so slow responses are counted, not lost.
    environment = Environment(user_classes=[Commissioner], stop_timeout=STOP_SECONDS)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=SPAWN_PER_SECOND)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    total = environment.stats.total
    return {
        "users": users,
        "seconds": seconds,
        "requests": total.num_requests,
        "errors": total.num_failures,
        "requests_per_second": round(total.num_requests / seconds, 1),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
    }


if __name__ == "__main__":
    base, posts_file, users, seconds, out = sys.argv[1:6]
    pages = json.loads(Path(posts_file).read_text())
    result = run(base, pages, int(users), float(seconds))
    Path(out).write_text(json.dumps(result))
