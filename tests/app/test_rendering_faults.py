"""A browser that cannot start or stops answering gives a message within a bounded time, and the
next image starts a fresh browser.

Each case runs in a process of its own, so that no browser another test left warm answers in its
place; the process is given minutes, and a hang (what kaleido's sync server did) fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from dashboard.config import PROJECT_ROOT

HANG_LIMIT_SECONDS = 300

ATTEMPTS = """
import asyncio, json, os, sys
import kaleido
import plotly.graph_objects as go
from dashboard import rendering
from dashboard.exports import PRESETS

FIGURE = go.Figure(go.Bar(x=["Ashford", "Dover"], y=[3, 4]), layout={"width": 600, "height": 400})
PRESET = PRESETS["report"]


def attempt():
    try:
        image = rendering.render(FIGURE, "png", PRESET)
    except rendering.RenderingUnavailable as problem:
        return {"problem": str(problem)}
    return {"png": image[:8] == b"\\x89PNG\\r\\n\\x1a\\n"}


fault = sys.argv[1]
results = []
if fault == "no browser":
    os.environ["BROWSER_PATH"] = "/bin/false"  # a browser that exits as soon as it starts
    results.append(attempt())
    del os.environ["BROWSER_PATH"]
elif fault == "no answer":
    answer = kaleido.Kaleido.calc_fig

    async def never_answers(self, *args, **kwargs):
        await asyncio.sleep(3600)

    rendering.IMAGE_SECONDS = 2
    kaleido.Kaleido.calc_fig = never_answers
    results.append(attempt())
    kaleido.Kaleido.calc_fig = answer
results.append(attempt())
print(json.dumps(results))
"""


def _attempts(fault: str) -> list[dict]:
    """The outcome of an image with ``fault``, then of the image after it."""
    done = subprocess.run(
        [sys.executable, "-c", ATTEMPTS, fault],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=HANG_LIMIT_SECONDS,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_browser_that_cannot_start_is_named_and_the_next_image_is_made():
    failed, next_one = _attempts("no browser")
    assert failed == {
        "problem": "the browser that draws images could not start (BrowserFailedError)"
    }
    assert next_one == {"png": True}


def test_a_browser_that_stops_answering_is_replaced_and_the_next_image_is_made():
    failed, next_one = _attempts("no answer")
    assert failed == {"problem": "the browser that draws images did not answer within 2 s"}
    assert next_one == {"png": True}
