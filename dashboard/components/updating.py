"""The spinner around a page's charts while a selection is fetched.

The charts stay on screen, dimmed, rather than vanishing on every filter click: on a projector a
blank flash at each click is worse than a moment of the previous figures. The spinner shows only
for a change that takes longer than ``SPINNER_DELAY_MS``.
"""

from __future__ import annotations

from dash import dcc
from dash.development.base_component import Component

SPINNER_DELAY_MS = 300
DIMMED = {"visibility": "visible", "opacity": 0.6}


def updating(children: Component) -> dcc.Loading:
    """``children`` with a spinner over them, dimmed, while a callback updates them."""
    return dcc.Loading(children, type="default", overlay_style=DIMMED, delay_show=SPINNER_DELAY_MS)
