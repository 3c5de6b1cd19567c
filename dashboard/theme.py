"""The one home of visual style: colours, status markers and the Plotly template.

Colours are the Government Analysis Function palettes, chosen for colour-blind readers and at
least 3:1 contrast against white. Nothing else in the code base writes a colour.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE_NAME = "kent_carers"
FONT_FAMILY = "Arial, Helvetica, sans-serif"
TEXT = "#0B0C0C"
MUTED_TEXT = "#505A5F"
GRID = "#D9D9D9"
BACKGROUND = "#FFFFFF"

CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
SEQUENTIAL = ("#DCEBF7", "#6BACE6", "#2073BC", "#12436D")
DIVERGING = ("#F46A25", "#FBD3BE", "#F2F2F2", "#A9CCEB", "#12436D")
COMMISSIONERS = {"council": "#12436D", "nhs": "#28A197"}

# Fingertips colours, so readers who know Fingertips read comparisons the same way.
BENCHMARK = {
    "better": "#00703C",
    "similar": "#FFDD00",
    "worse": "#D4351C",
    "lower": "#5694CA",
    "higher": "#003078",
    "not compared": "#FFFFFF",
}

# Every status has a marker shape and a text label as well as a colour: never colour alone.
STATUS_STYLE = {
    "published": {"symbol": "circle", "glyph": "●", "colour": "#12436D", "label": "Published"},
    "census": {"symbol": "square", "glyph": "■", "colour": "#28A197", "label": "Census"},
    "modelled": {"symbol": "diamond", "glyph": "◆", "colour": "#801650", "label": "Modelled"},
    "demo": {"symbol": "triangle-up", "glyph": "▲", "colour": "#3D3D3D", "label": "Demo"},
}
STATUS_DESCRIPTIONS = {
    "published": "As printed in a council document, with its section.",
    "census": "ONS Census or other official statistics, as released or summed from smaller areas.",
    "modelled": "Estimated by this dashboard from published figures, by a stated method.",
    "demo": "Synthetic demonstration data, calibrated to published totals. Not real activity.",
}
DEMO_PATTERN = "/"


# Presentation mode: a 1280x720 projector read from the back of a room. The browser applies the
# presentation template to the chart on screen and raises any smaller explicit text size.
FONT_SIZE = 14
PRESENTATION_FONT_SIZE = 20
PRESENTATION_MIN_FONT_SIZE = 16


def build_template(font_size: int = FONT_SIZE) -> go.layout.Template:
    """The Plotly template every figure uses (``font_size`` larger for presentation)."""
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": font_size, "color": TEXT},
            "colorway": list(CATEGORICAL),
            "paper_bgcolor": BACKGROUND,
            "plot_bgcolor": BACKGROUND,
            "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": font_size}},
            "xaxis": {
                "gridcolor": GRID,
                "linecolor": MUTED_TEXT,
                "zeroline": False,
                "automargin": True,
            },
            "yaxis": {
                "gridcolor": GRID,
                "linecolor": MUTED_TEXT,
                "zeroline": False,
                "automargin": True,
            },
            "legend": {"orientation": "h", "y": -0.2},
            "colorscale": {
                "sequential": [[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
                "diverging": [[i / (len(DIVERGING) - 1), c] for i, c in enumerate(DIVERGING)],
            },
        }
    )


def register_template() -> None:
    """Register the template with Plotly and make it the default (idempotent)."""
    pio.templates[TEMPLATE_NAME] = build_template()
    pio.templates.default = TEMPLATE_NAME


def presentation_style() -> dict:
    """What the browser applies to a chart in presentation mode (sent once with the page)."""
    return {
        "template": build_template(PRESENTATION_FONT_SIZE).to_plotly_json(),
        "min_font_size": PRESENTATION_MIN_FONT_SIZE,
    }
