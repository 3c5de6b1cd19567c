"""The spinner around a page's charts while a selection is fetched.

The charts stay on screen rather than vanishing on every filter click: on a projector a blank
flash at each click is worse than a moment of the previous figures. Only a change that takes
longer than ``SPINNER_DELAY_MS`` dims them under a spinner.
"""

from __future__ import annotations

from dash import dcc
from dash.development.base_component import Component

SPINNER_DELAY_MS = 300
DIMMED = {"visibility": "visible", "opacity": 0.6}


def updating(children: Component) -> dcc.Loading:
    """``children`` dimmed under a spinner while a callback takes long to update them."""
    return dcc.Loading(children, type="default", overlay_style=DIMMED, delay_show=SPINNER_DELAY_MS)
