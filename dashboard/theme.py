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
WHITE_TEXT = "#FFFFFF"
# On the mid-tones of a continuous scale white and TEXT both fall just short of WCAG AA (4.44:1
# where they contrast equally); black still meets it there (4.7:1).
BLACK_TEXT = "#000000"
MARGIN = {"l": 60, "r": 20, "t": 40, "b": 50}
WCAG_AA_TEXT = 4.5  # the minimum contrast ratio for normal-size text (WCAG 2.x AA)

CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
SEQUENTIAL = ("#DCEBF7", "#6BACE6", "#2073BC", "#12436D")
DIVERGING = ("#F46A25", "#FBD3BE", "#F2F2F2", "#A9CCEB", "#12436D")
COMMISSIONERS = {"council": "#12436D", "nhs": "#28A197"}
# Decisions and contract events drawn on trends: a dashed line and its label (7:1 on white).
EVENT_MARKER = "#801650"

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
    "return": {"symbol": "star", "glyph": "★", "colour": "#F46A25", "label": "Provider return"},
    "census": {"symbol": "square", "glyph": "■", "colour": "#28A197", "label": "Census"},
    "modelled": {"symbol": "diamond", "glyph": "◆", "colour": "#801650", "label": "Modelled"},
    "demo": {"symbol": "triangle-up", "glyph": "▲", "colour": "#3D3D3D", "label": "Demo"},
}
STATUS_DESCRIPTIONS = {
    "published": "As printed in a council document, with its section.",
    "return": "Reported by a provider in a monitoring return, checked on upload; not published.",
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
# A map grows little on a slide (its shape is the county's and the slide's height is short): its
# district names at 16 px ran into each other (Gravesham over Dartford's value) at 1280x720.
PRESENTATION_MAP_LABEL_SIZE = 14
# On a slide a chart may be drawn this much shorter than on the page to fit the screen, no
# more: at 85% (the first rule) a ranking, the hours of caring or the planner's bars scrolled
# at 1280x720 though the type still had room. A chart's rows are kept legible apart from that
# (below).
PRESENTATION_MIN_HEIGHT_SHARE = 0.6
# A figure's ``meta`` key for a share of its own, for a chart whose texts are placed in pixels
# for its page's height: a bullet chart's panel titles and tick labels ran into one another, and
# a map's district names, when drawn much shorter.
SLIDE_MIN_HEIGHT_SHARE_KEY = "slide_min_height_share"
SLIDE_MIN_PLOT_SHARE_KEY = "slide_min_plot_share"  # the same for its plot area alone
SLIDE_KEEP_HEIGHT_SHARE = 0.85
# Each row of a category axis (a ranking's districts, a heat map's rows) keeps at least this
# many times its tick labels' size on a slide; a taller chart scrolls. At 19 px a row, the
# planner's 20 px district names touched.
PRESENTATION_ROW_SPACING = 1.15
# A figure's ``meta`` key for its labels' offsets from their points on a slide, placed by the
# server for the slide's type and size, in pixels (y up): {"first": index of the first label
# annotation, "offsets": [[dx, dy], ...], "first_leader": index of the first leader shape,
# "leaders": [[x0, y0, x1, y1] or null, ...], "min_plot_height": the shortest plot they are
# placed for, which a slide's plot keeps}.
SLIDE_LABELS_KEY = "slide_label_offsets"
# A figure's ``meta`` key for margins of its own on a slide, in pixels, over its page's: the
# funnel's axes are laid out without Plotly's automargin, and its page's bottom margin holds its
# legend a fraction of the plot below; pinned to the slide's bottom, the legend needs less, and
# at the page's margin the funnel's slide was 22 px taller than a 1280x720 screen.
SLIDE_MARGIN_KEY = "slide_margin"
# The demo mark's band, added above a chart's own top margin when its figures are or may turn
# demo, and noted in its layout's ``meta``. An exported image and a slide leave the band out:
# both write the demo mark beside the chart's title, where the band's 30 px had squeezed a
# ranking's rows on a 1280x720 slide until the chart grew under the screen's edge.
DEMO_BAND = 30
DEMO_BAND_KEY = "demo_band"


def status_words(status: str) -> str:
    """A status as words inside a sentence ("provider return")."""
    return STATUS_STYLE[status]["label"].lower()


def rgb(colour: str) -> tuple[int, int, int]:
    """0-255 channels of a ``#RRGGBB`` colour."""
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def relative_luminance(colour) -> float:
    """WCAG relative luminance of ``#RRGGBB`` or an (r, g, b) tuple with 0-255 channels."""
    channels = rgb(colour) if isinstance(colour, str) else colour
    linear = [
        c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first, second) -> float:
    """WCAG contrast ratio (1 to 21) between two colours."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(fill) -> str:
    """White or the body text colour, whichever contrasts more with ``fill``; black where
    neither meets WCAG AA."""
    on_white, on_text = contrast_ratio(WHITE_TEXT, fill), contrast_ratio(TEXT, fill)
    if max(on_white, on_text) < WCAG_AA_TEXT:
        return BLACK_TEXT
    return WHITE_TEXT if on_white > on_text else TEXT


def readable_on_background(colour: str) -> str:
    """``colour`` for text on the page background when it meets WCAG AA there, else the text
    colour: a label can take its line's colour only where that stays readable."""
    return colour if contrast_ratio(colour, BACKGROUND) >= WCAG_AA_TEXT else TEXT


def interpolate(colours, position: float) -> tuple[float, float, float]:
    """The RGB colour Plotly draws at ``position`` (0..1) along evenly spaced ``colours``."""
    scaled = min(max(position, 0.0), 1.0) * (len(colours) - 1)
    lower = min(int(scaled), len(colours) - 2)
    start, end = rgb(colours[lower]), rgb(colours[lower + 1])
    weight = scaled - lower
    return tuple(a + (b - a) * weight for a, b in zip(start, end, strict=True))


def halo(colour, width: int = 1) -> str:
    """A CSS text shadow that rings text in ``colour``, ``width`` pixels wide, so a label stays
    readable where it crosses a boundary, a line or a ribbon of another colour (or, 2 wide,
    where it lies on a hatched bar)."""
    red, green, blue = (round(c) for c in (rgb(colour) if isinstance(colour, str) else colour))
    colour = f"rgb({red}, {green}, {blue})"
    steps = [(x, y) for x in (-1, 0, 1) for y in (-1, 0, 1) if x or y]
    return ", ".join(f"{x * width}px {y * width}px {width}px {colour}" for x, y in steps)


def with_alpha(colour: str, alpha: float) -> str:
    """``colour`` as an rgba() string, for translucent fills such as flow ribbons."""
    red, green, blue = rgb(colour)
    return f"rgba({red}, {green}, {blue}, {alpha})"


def build_template(font_size: int = FONT_SIZE) -> go.layout.Template:
    """The Plotly template every figure uses (``font_size`` larger for presentation)."""
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": font_size, "color": TEXT},
            "colorway": list(CATEGORICAL),
            "paper_bgcolor": BACKGROUND,
            "plot_bgcolor": BACKGROUND,
            "margin": dict(MARGIN),
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
        "map_label_size": PRESENTATION_MAP_LABEL_SIZE,
        "min_height_share": PRESENTATION_MIN_HEIGHT_SHARE,
        "min_height_share_key": SLIDE_MIN_HEIGHT_SHARE_KEY,
        "min_plot_share_key": SLIDE_MIN_PLOT_SHARE_KEY,
        "row_spacing": PRESENTATION_ROW_SPACING,
        "slide_labels_key": SLIDE_LABELS_KEY,
        "slide_margin_key": SLIDE_MARGIN_KEY,
        "demo_band": DEMO_BAND,
        "demo_band_key": DEMO_BAND_KEY,
    }
