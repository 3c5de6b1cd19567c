"""Static images of figures with kaleido 1.x, which drives the machine's own Chromium.

kaleido finds Chromium on the PATH (``/usr/bin/chromium`` on Debian) and never downloads one
here. Starting the browser takes seconds and each image then a fraction of one, so one browser is
kept warm: :func:`render` starts it on first use and leaves it running for later exports in the
same process; :func:`warm_renderer` does the same for a batch and stops the browser afterwards if
it started it. MathJax is off: it would be fetched from a CDN, and no chart uses LaTeX.

The browser runs in an event loop on its own thread, and every wait for it is bounded. kaleido's
own sync server waits for ever on a browser that failed to start or stopped answering, which
left an image download, and every later one in the worker, hanging with no message.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import kaleido
import plotly.graph_objects as go

from dashboard.exports import Preset

logger = logging.getLogger(__name__)

FORMATS = ("png", "svg")
START_SECONDS = 60.0  # Chromium starts in 1-3 s here; a machine under load may take longer
IMAGE_SECONDS = 60.0  # one image takes well under a second once the browser is up
CLOSE_SECONDS = 10.0


class RenderingUnavailable(RuntimeError):
    """The browser that draws images could not be started or did not answer in time."""


class _Browser:
    """One kaleido browser, driven from an event loop running on a thread of its own."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="image-renderer", daemon=True
        )
        self._thread.start()
        self._kaleido: kaleido.Kaleido | None = None

    def _wait(self, coroutine, seconds: float, doing: str):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=seconds)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise RenderingUnavailable(
                f"the browser that draws images did not {doing} within {seconds:g} s"
            ) from None
        except Exception as error:
            raise RenderingUnavailable(
                f"the browser that draws images could not {doing} ({type(error).__name__})"
            ) from error

    def open(self) -> None:
        async def opened() -> kaleido.Kaleido:
            browser = kaleido.Kaleido(n=1, mathjax=False)
            self._kaleido = browser  # kept before opening, so a failed start can be killed
            await browser.open()
            return browser

        self._wait(opened(), START_SECONDS, "start")

    def calc_fig(self, figure: dict, opts: dict) -> bytes:
        return self._wait(self._kaleido.calc_fig(figure, opts=opts), IMAGE_SECONDS, "answer")

    def close(self) -> None:
        """Stop the browser, killing it if it does not stop in time, then the loop."""
        browser = self._kaleido
        if browser is not None:
            try:
                self._wait(browser.close(), CLOSE_SECONDS, "stop")
            except RenderingUnavailable as problem:
                logger.warning("Killing the image browser: %s", problem)
                process = getattr(browser, "subprocess", None)
                if process is not None and process.poll() is None:
                    process.kill()
        # Whatever is still pending after that, the loop stops and the daemon thread keeps.
        with contextlib.suppress(RenderingUnavailable):
            self._wait(_cancel_the_rest(), CLOSE_SECONDS, "stop")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(CLOSE_SECONDS)
        if not self._thread.is_alive():
            self._loop.close()


async def _cancel_the_rest() -> None:
    """Cancel what the browser left running (its watchdog), so the loop closes clean."""
    rest = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in rest:
        task.cancel()
    await asyncio.gather(*rest, return_exceptions=True)


_lock = threading.Lock()  # one caller at a time drives the browser: it has one tab
_browser: list[_Browser] = []
_batches = 0


def _forget_browser_after_fork() -> None:
    """A forked child (a background callback's job) has the objects but not the thread."""
    global _lock, _batches
    _lock = threading.Lock()
    _browser.clear()
    _batches = 0


os.register_at_fork(after_in_child=_forget_browser_after_fork)


@atexit.register
def _stop_at_exit() -> None:
    """A worker that exits takes its browser with it, unless an image in hand keeps it."""
    if _lock.acquire(timeout=CLOSE_SECONDS):
        try:
            _discard()
        finally:
            _lock.release()


def _running() -> _Browser:
    """The warm browser, started if none is running. Called holding ``_lock``."""
    if not _browser:
        browser = _Browser()
        try:
            browser.open()
        except RenderingUnavailable:
            browser.close()
            raise
        _browser.append(browser)
    return _browser[0]


def _discard() -> None:
    """Stop the warm browser, if any. Called holding ``_lock``."""
    if _browser:
        _browser.pop().close()


@contextmanager
def warm_renderer() -> Iterator[None]:
    """Keep one browser for every image rendered inside the block; stop it after the last
    batch if no browser was running before the first one."""
    global _batches
    with _lock:
        started = not _browser and _batches == 0
        _batches += 1
    try:
        yield
    finally:
        with _lock:
            _batches -= 1
            if started and _batches == 0:
                _discard()


def render(figure: go.Figure, image_format: str, preset: Preset) -> bytes:
    """An export figure as PNG or SVG bytes: its layout size times the preset's scale.

    Raises :class:`RenderingUnavailable` when the browser cannot start or does not answer in
    time; that browser is stopped, and the next call starts another.
    """
    if image_format not in FORMATS:
        raise ValueError(f"unknown image format {image_format!r}")
    opts = {
        "format": image_format,
        "width": figure.layout.width,
        "height": figure.layout.height,
        "scale": preset.pixel_width / figure.layout.width,
    }
    with _lock:
        try:
            return _running().calc_fig(figure.to_dict(), opts)
        except RenderingUnavailable:
            _discard()
            raise
