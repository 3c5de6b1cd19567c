"""Every component id in the app, defined once (kebab-case, ``<area>-<thing>``)."""

from __future__ import annotations

URL = "url"
PAGES_LOCATION = "_pages_location"  # Dash Pages' own location component (its router's input)
SHELL = "app-shell"
FILTER_STATE = "filter-state"
FILTER_QUERY = "filter-query"
FILTER_SELECT_MEANING = "filter-select-meaning"
FILTER_NOTICE = "filter-notice"
FILTER_SCHEME = "filter-scheme"
FILTER_LOCALITY = "filter-locality"
FILTER_CARE_GROUP = "filter-care-group"
FILTER_PERIOD = "filter-period"
FILTER_SUMMARY = "filter-summary"
PAGE_FAULT = "page-fault"  # where a callback that failed unexpectedly says so
NAV_LINK_TYPE = "nav-link"
PAGE_LINK_TYPE = "page-link"
DATA_VERSION = "data-version"
VIEW_CONTROLS = "view-controls"
# The address the browser shows now: kept by assets/view.js, which writes the view into the
# address itself, so the location component still holds the address the page was opened at.
VIEW_ADDRESS = "view-address"

# presentation mode
PRESENT = "present-mode"
PRESENT_STYLE = "present-style"
PRESENT_TOGGLE = "present-toggle"
PRESENT_BAR = "present-bar"
PRESENT_PREVIOUS = "present-previous"
PRESENT_NEXT = "present-next"
PRESENT_POSITION = "present-position"
PRESENT_EXIT = "present-exit"

OVERVIEW_CARDS = "overview-cards"
OVERVIEW_SUMMARY = "overview-summary"

DATA_SOURCES = "data-sources"
DATA_MEASURES = "data-measures"
DATA_QUALITY = "data-quality"
DATA_SCHEMES = "data-schemes"


def nav_link(path: str) -> dict[str, str]:
    """Pattern-matching id of the navigation link to ``path``."""
    return {"type": NAV_LINK_TYPE, "path": path}


def page_link(path: str) -> dict[str, str]:
    """Pattern-matching id of an in-page link to ``path`` (kept in step with the filters)."""
    return {"type": PAGE_LINK_TYPE, "path": path}


CHART_ORIGIN_TYPE = "chart-origin"  # the signed name of the view result a card was drawn from
TABLE_DISCLOSURE_TYPE = "table-disclosure"  # opening it fetches the table
TABLE_TYPE = "chart-table"
ABOUT_DISCLOSURE_TYPE = "about-disclosure"  # opening it fetches the measure and the notes
ABOUT_TYPE = "chart-about-notes"
CSV_BUTTON_TYPE = "csv-button"
CSV_DOWNLOAD_TYPE = "csv-download"
IMAGE_BUTTON_TYPE = "image-button"
IMAGE_DOWNLOAD_TYPE = "image-download"
IMAGE_PROBLEM_TYPE = "image-problem"  # why an image could not be made, if it could not
ALT_TEXT_TYPE = "alt-text"


def chart_part(kind: str, chart_key: str) -> dict[str, str]:
    """Pattern-matching id of one part (button, download, data) of a chart card."""
    return {"type": kind, "chart": chart_key}


CARD_SLOT_TYPE = "card-slot"  # a part of a card that a filter change rewrites in place


SLOT_PART_PREFIX = "slot-"


def card_slot(source: str, chart_key: object, part: str) -> dict:
    """Pattern-matching id of one part of a card drawn from the chart source ``source``
    (``chart_key`` is a chart's key, or a wildcard in a callback's outputs).

    The part names a key of its own (``slot-figure``: the source), not a value: Dash's renderer
    finds a pattern-matching id by a linear scan of the ids with the same keys, comparing each
    one's values, many times a click. With the part as a value, every slot of a page shared
    one set of keys (70 on ``/investment``); with the part as a key, the scan sees that part's
    slots only (5)."""
    return {"type": CARD_SLOT_TYPE, "chart": chart_key, SLOT_PART_PREFIX + part: source}


def slot_part(identity: object) -> str | None:
    """The part of a card's slot id (``card_slot``), or None for any other id."""
    if not isinstance(identity, dict) or identity.get("type") != CARD_SLOT_TYPE:
        return None
    return next(
        (
            key.removeprefix(SLOT_PART_PREFIX)
            for key in identity
            if key.startswith(SLOT_PART_PREFIX)
        ),
        None,
    )


def image_button(chart_key: str, variant: str) -> dict[str, str]:
    """Pattern-matching id of one image export button; ``variant`` is ``<preset>-<format>``."""
    return {"type": IMAGE_BUTTON_TYPE, "chart": chart_key, "variant": variant}


MEETING_PACK_BUTTON = "meeting-pack-button"
MEETING_PACK_PROGRESS = "meeting-pack-progress"
MEETING_PACK_STATUS = "meeting-pack-status"
MEETING_PACK_RESULT = "meeting-pack-result"
MEETING_PACK_PDF = "meeting-pack-pdf"
MEETING_PACK_ZIP = "meeting-pack-zip"


FUNDING_CHARTS = "funding-charts"  # the split and trend charts, then the flow
FUNDING_SPLIT_CHARTS = "funding-split-charts"
FUNDING_FLOW = "funding-flow-chart"

# targets
TARGETS_CHARTS = "targets-charts"
TARGETS_MEASURE = "targets-measure"
TARGETS_LOCALITY_CHART = "targets-locality-chart"
TARGETS_NEW_CARERS = "targets-new-carers"
TARGETS_SLOTS = "targets"  # the slots of the cards the page's one callback draws

# investment
INVESTMENT_DENOMINATOR = "investment-denominator"
INVESTMENT_CHARTS = "investment-charts"
INVESTMENT_DETAIL = "investment-detail"
INVESTMENT_HOURS = "investment-hours"
INVESTMENT_SLOTS = "investment"  # the slots of the cards the page's one callback draws

# planner
PLANNER_BUDGET = "planner-budget"
PLANNER_FORMULA = "planner-formula"
PLANNER_WEIGHT_RESIDENTS = "planner-weight-residents"
PLANNER_WEIGHT_CARERS = "planner-weight-carers"
PLANNER_WEIGHT_50PLUS = "planner-weight-50plus"
PLANNER_UPLIFT = "planner-uplift"
PLANNER_MIX = "planner-mix"  # the weights and uplift, used by the weighted mix only
PLANNER_PHASING = "planner-phasing"
PLANNER_CHARTS = "planner-charts"
PLANNER_HOURS = "planner-hours"
PLANNER_SLOTS = "planner"  # the slots of the cards the page's one callback draws

# short-breaks
SHORT_BREAKS_CHARTS = "short-breaks-charts"
SHORT_BREAKS_FOLD = "short-breaks-fold"  # "More detail": its charts are drawn while it is open
SHORT_BREAKS_DETAIL = "short-breaks-detail"
# What "More detail" is to show ({"filters", "open"}): written in the browser only when that
# changes, so a filter change while it is folded asks the server for nothing.
SHORT_BREAKS_DETAIL_REQUEST = "short-breaks-detail-request"

# reach
REACH_MAP_CARD = "reach-map-card"
REACH_MAP_CREDIT = "reach-map-credit"
# The slots of the cards the page's one callback draws, from its three chart sources.
REACH_SLOTS = "reach"
# The map's graph, whose clicks choose a district: the figure of the card of the chart
# "reach-map" (``views.reach.reach_map``).
REACH_MAP = card_slot(REACH_SLOTS, "reach-map", "figure")
REACH_MEASURE = "reach-measure"
REACH_COLOUR_MODE = "reach-colour-mode"
REACH_MAP_KIND = "reach-map-kind"
REACH_CONFIDENCE = "reach-confidence"
REACH_DISTRICT = "reach-district"
REACH_PROFILE = "reach-profile"
REACH_CHARTS = "reach-charts"
REACH_BASE = "reach-base"
REACH_HOURS = "reach-hours"

# changes
CHANGES_SINCE = "changes-since"
CHANGES_RESULTS = "changes-results"

# decisions
DECISIONS_KIND = "decisions-kind"
DECISIONS_SERVICE_LINE = "decisions-service-line"
DECISIONS_FROM = "decisions-from"
DECISIONS_TO = "decisions-to"
DECISIONS_RESULTS = "decisions-results"
