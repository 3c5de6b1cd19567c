"""Static images of figures with kaleido 1.x, which drives the machine's own Chromium.

kaleido finds Chromium on the PATH (``/usr/bin/chromium`` on Debian) and never downloads one
here. Starting the browser takes seconds and each image then a fraction of one, so one browser is
kept warm: :func:`render` starts kaleido's shared sync server on first use and leaves it running
for later exports in the same process; :func:`warm_renderer` does the same for a batch and stops
the browser afterwards if it started it. MathJax is off: it would be fetched from a CDN, and no
chart uses LaTeX.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import kaleido
import plotly.graph_objects as go

from dashboard.exports import Preset

FORMATS = ("png", "svg")
_lock = threading.Lock()
_render_lock = threading.Lock()  # kaleido's sync server answers one caller at a time
_started_by: list[str] = []


def _forget_server_after_fork() -> None:
    """A forked child (a background callback's job) has the flags but not the browser thread."""
    global _lock, _render_lock
    _lock, _render_lock = threading.Lock(), threading.Lock()
    _started_by.clear()
    kaleido._global_server._initialized = False  # noqa: SLF001  (no public reset exists)


os.register_at_fork(after_in_child=_forget_server_after_fork)


def _ensure_server() -> bool:
    """Start the shared browser if it is not running; say whether this call started it."""
    with _lock:
        if _started_by:
            return False
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        _started_by.append("started")
        return True


def _stop_server() -> None:
    with _lock:
        kaleido.stop_sync_server(silence_warnings=True)
        _started_by.clear()


@contextmanager
def warm_renderer() -> Iterator[None]:
    """Keep one browser for every image rendered inside the block."""
    started = _ensure_server()
    try:
        yield
    finally:
        if started:
            _stop_server()


def render(figure: go.Figure, image_format: str, preset: Preset) -> bytes:
    """An export figure as PNG or SVG bytes: its layout size times the preset's scale."""
    if image_format not in FORMATS:
        raise ValueError(f"unknown image format {image_format!r}")
    _ensure_server()
    with _render_lock:
        return kaleido.calc_fig_sync(
            figure.to_dict(),
            opts={
                "format": image_format,
                "width": figure.layout.width,
                "height": figure.layout.height,
                "scale": preset.pixel_width / figure.layout.width,
            },
        )
