"""District maps: a choropleth of the 12 Kent districts, on real boundaries or equal-area tiles.

:func:`district_map` is shared by every page that maps districts. It draws a plain
``go.Choropleth`` (no map tiles, no base layers) so the page works offline and behind council
firewalls, and writes each district's value or comparison class on the map so colour is never
the only cue.

Plotly's geo subplots fetch base-map TopoJSON (``https://cdn.plot.ly/un/world_110m.json``)
when a base layer is on *or when the first trace has a ``locationmode``*, which every choropleth
has. So the first trace here is the text layer of labels (a ``Scattergeo`` by lon/lat, with no
``locationmode``) and every base layer is off: plotly.js 3 then fetches nothing (checked in a
browser by tests/browser/test_reach.py). As a second guard, :data:`GRAPH_CONFIG` points
``topojsonURL`` at :data:`TOPOJSON_PATH` on the app's own server, whose route (added by
``dashboard.application``) answers with :func:`empty_topology`, so a map can never reach outside
even if plotly.js changes.
Chart specifications carry that config (``ChartSpec.graph_config``) to the graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely.geometry

from dashboard import formatting, geo
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.figures.common import LABEL_SIZE, keep_height_on_slides, set_properties
from dashboard.theme import (
    BACKGROUND,
    BENCHMARK,
    MUTED_TEXT,
    SEQUENTIAL,
    TEXT,
    halo,
    interpolate,
    text_colour_on,
)

__all__ = [
    "ATTRIBUTION",
    "BOUNDARY_CREDIT",
    "COMPARISON_CLASSES",
    "GRAPH_CONFIG",
    "TOPOJSON_PATH",
    "HoverColumn",
    "district_map",
    "empty_topology",
    "label_points",
]

ATTRIBUTION = geo.BOUNDARY_ATTRIBUTION
"""Credit line to show under every district map (the one stored in the boundary file)."""

BOUNDARY_CREDIT = (
    "Boundaries: ONS Local Authority Districts 2013 (generalised, clipped), contains OS data © "
    "Crown copyright and database right 2014, via github.com/martinjc/UK-GeoJSON (Martin "
    "Chorley, CC BY 4.0), simplified."
)
"""Extra credit line when the map uses the shipped boundaries (see data/geo/SOURCE.md)."""

TOPOJSON_PATH = "/maps/topojson/"
"""Where the app serves an empty base-map topology (:func:`empty_topology`)."""

GRAPH_CONFIG = {"topojsonURL": TOPOJSON_PATH}
"""Extra ``dcc.Graph`` config for maps: any TopoJSON plotly.js wants comes from our server."""

COMPARISON_CLASSES = ("better", "similar", "worse", "lower", "higher", "not compared")
"""Fingertips comparison classes, in legend order."""

HoverColumn = tuple[str, str, str]
"""(column, label, unit) of an extra hover line; unit as in :func:`formatting.format_value`."""

NO_VALUE_TEXT = "no data"
_MAP_HEIGHT = 480
# Room beside the county for labels of coastal districts, which are wider than the districts.
_LON_PAD, _LAT_PAD = 0.08, 0.04


def district_map(
    frame: pd.DataFrame,
    *,
    geojson: dict | None,
    value: str,
    label: str,
    unit: str,
    colour_mode: str = "value",
    comparison: str | None = None,
    highlight: set[str] | None = None,
    partial: set[str] | None = None,
    suppressed: str | None = None,
    hover_columns: Sequence[HoverColumn] = (),
    decimals: int | None = None,
    compared_as: str = "",
) -> go.Figure:
    """A choropleth of districts with each district's value (or class) written on it.

    Args:
        frame: One row per district with ``code`` (ONS code), ``name`` and the value columns.
            Districts missing from ``frame`` are not drawn; pass all 12 for a full map.
        geojson: Plotly-oriented FeatureCollection (feature ``id`` = ONS code, clockwise
            exteriors), e.g. ``repo.boundaries``; None draws the equal-area hexagon tile map
            (:func:`dashboard.geo.tile_geojson`).
        value: Column holding the value to map (numbers; NaN = no data).
        label: What the value is, e.g. "Reach rate"; used in hover text.
        unit: Unit of ``value`` for :func:`formatting.format_value` (count, percent, gbp...);
            the colour bar is titled ``label`` with the unit.
        colour_mode: "value" (sequential colour scale and colour bar) or "comparison"
            (Fingertips colours by the class in ``comparison``, with a legend of classes).
        comparison: Column of comparison classes (better, similar, worse, lower, higher,
            not compared); needed when ``colour_mode`` is "comparison".
        highlight: Codes to outline heavily, e.g. the districts of a chosen locality.
        partial: Codes of ``highlight`` only partly in it (split districts): outlined more
            lightly and marked "(part)" on the map.
        suppressed: Optional boolean column; True rows show "<5" and no colour.
        hover_columns: Extra hover lines as (column, label, unit).
        decimals: Decimal places of the value on the labels and in the hover text, as in
            :func:`formatting.format_value` (its default for the unit when None).
        compared_as: What the classes compare, in words, when not the value written on the
            map (carers counted, classed by carers as a share of residents), for the legend's
            title and the hover: a map of 12,653 carers "(higher)" beside 15,561 "(lower)"
            read as a contradiction without it.

    Returns:
        A new figure: one choropleth trace per colour group (values, each class, no data) so
        every district is one feature exactly once, then one text trace of labels.
    """
    if colour_mode not in ("value", "comparison"):
        raise ValueError(f"colour_mode must be 'value' or 'comparison', not {colour_mode!r}")
    if colour_mode == "comparison" and comparison is None:
        raise ValueError("colour_mode 'comparison' needs the comparison column")
    collection = geojson if geojson is not None else geo.tile_geojson()
    rows = frame.reset_index(drop=True)
    small = _suppressed(rows, suppressed)
    hidden = rows[value].isna() | small
    texts = _label_texts(
        rows, value, unit, comparison if colour_mode == "comparison" else None, decimals
    )
    texts = texts.where(~small, SUPPRESSED_TEXT).where(~rows[value].isna() | small, NO_VALUE_TEXT)
    compared = " ".join(filter(None, ("Compared with Kent", compared_as)))
    hovers = _hover_texts(
        rows, value, label, unit, (comparison, compared), small, hover_columns, decimals
    )
    outline = _outline_widths(rows["code"], highlight or set(), partial or set())
    figure = go.Figure()
    # The labels go first: plotly.js decides whether to fetch base-map TopoJSON from the CDN by
    # looking at the first trace only, and a lon/lat Scattergeo has no locationmode.
    _add_labels(figure, rows, collection, texts, geojson is None, partial or set())
    if colour_mode == "value":
        fills = _add_value_traces(figure, rows, collection, value, label, unit, hidden)
    else:
        fills = _add_class_traces(figure, rows, collection, comparison, hidden)
    _add_missing_trace(figure, rows, collection, hidden)
    for trace in figure.data[1:]:
        codes = list(trace.locations)
        trace.hovertext = [hovers[_position(rows, code)] for code in codes]
        trace.marker.line.width = [outline[_position(rows, code)] for code in codes]
    labels = figure.data[0]
    shown_fills = [fills.get(code, BACKGROUND) for code in labels.customdata]
    labels.textfont.color = [text_colour_on(fill) for fill in shown_fills]
    labels.textfont.shadow = [halo(fill) for fill in shown_fills]
    lon_range, lat_range = _padded_bounds(collection)
    set_properties(
        figure.layout,
        geo={
            "visible": False,
            # Explicit ranges rather than fitbounds: fitbounds keeps the world frame's aspect
            # and leaves the county in a small box in the middle of the plot.
            "lonaxis": {"range": lon_range},
            "lataxis": {"range": lat_range},
            "projection": {"type": "mercator"},
            "bgcolor": BACKGROUND,
        },
        height=_MAP_HEIGHT,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend={"orientation": "h", "y": -0.02, "title": {"text": f"{compared}: "}},
        showlegend=colour_mode == "comparison",
        dragmode=False,
    )
    keep_height_on_slides(figure)  # its district names are placed for about this size
    return figure


def label_points(geojson: dict | None) -> dict[str, tuple[float, float]]:
    """(lon, lat) of a point inside each district for its label: tile centres or boundaries."""
    if geojson is None:
        return geo.tile_centres()
    points = {}
    for feature in geojson["features"]:
        point = shapely.geometry.shape(feature["geometry"]).point_on_surface()
        points[str(feature["id"])] = (round(point.x, 5), round(point.y, 5))
    return points


def _padded_bounds(collection: dict) -> tuple[list[float], list[float]]:
    """Longitude and latitude ranges around every ring, with a small margin."""
    points = np.concatenate(
        [
            np.asarray(ring, dtype=float)
            for feature in collection["features"]
            for polygon in geo.polygons_of(feature["geometry"])
            for ring in polygon
        ]
    )
    (lon_min, lat_min), (lon_max, lat_max) = points.min(axis=0), points.max(axis=0)
    lon_pad, lat_pad = (lon_max - lon_min) * _LON_PAD, (lat_max - lat_min) * _LAT_PAD
    return (
        [round(lon_min - lon_pad, 5), round(lon_max + lon_pad, 5)],
        [round(lat_min - lat_pad, 5), round(lat_max + lat_pad, 5)],
    )


def empty_topology() -> dict:
    """A valid TopoJSON topology with no objects: all a map with no base layers could need."""
    return {"type": "Topology", "objects": {}, "arcs": []}


def _position(rows: pd.DataFrame, code: str) -> int:
    return int(np.flatnonzero(rows["code"].to_numpy() == code)[0])


def _suppressed(rows: pd.DataFrame, suppressed: str | None) -> pd.Series:
    """Districts whose count is hidden by disclosure control (shown as "<5", no colour)."""
    if suppressed is None:
        return pd.Series(False, index=rows.index)
    return rows[suppressed].fillna(False).astype(bool)


def _label_texts(
    rows: pd.DataFrame, value: str, unit: str, comparison: str | None, decimals: int | None
) -> pd.Series:
    values = [formatting.format_value(v, unit, decimals=decimals) for v in rows[value]]
    if comparison is not None:
        values = [
            f"{text} ({_short_class(cls)})"
            for text, cls in zip(values, rows[comparison], strict=True)
        ]
    return pd.Series(values, index=rows.index, dtype="str")


def _short_class(cls: object) -> str:
    return "n/c" if pd.isna(cls) or cls == "not compared" else str(cls)


def _hover_texts(
    rows: pd.DataFrame,
    value: str,
    label: str,
    unit: str,
    comparison: tuple[str | None, str],
    suppressed: pd.Series,
    hover_columns: Iterable[HoverColumn],
    decimals: int | None,
) -> list[str]:
    hovers = []
    for index, row in rows.iterrows():
        if suppressed[index]:
            shown = SUPPRESSED_TEXT
        elif pd.isna(row[value]):
            shown = NO_VALUE_TEXT
        else:
            shown = formatting.format_value(row[value], unit, decimals=decimals)
        lines = [f"<b>{row['name']}</b>", f"{label}: {shown}"]
        column, compared = comparison
        if column is not None:
            lines.append(f"{compared}: {_class_text(row[column])}")
        for column, column_label, column_unit in hover_columns:
            if column == value:  # already the first line
                continue
            cell = row[column]
            # A figure in the map's own unit is given to the map's decimals.
            places = decimals if column_unit == unit else None
            text = (
                cell
                if isinstance(cell, str)
                else formatting.format_value(cell, column_unit, decimals=places)
            )
            lines.append(f"{column_label}: {text}")
        hovers.append("<br>".join(lines))
    return hovers


def _class_text(cls: object) -> str:
    return "not compared" if pd.isna(cls) else str(cls)


def _outline_widths(codes: pd.Series, highlight: set[str], partial: set[str]) -> list[float]:
    widths = []
    for code in codes:
        if code in partial:
            widths.append(2.5)
        elif code in highlight:
            widths.append(5.0)
        else:
            widths.append(1.0)
    return widths


def _colorscale() -> list[list]:
    last = len(SEQUENTIAL) - 1
    return [[i / last, colour] for i, colour in enumerate(SEQUENTIAL)]


def _add_value_traces(
    figure: go.Figure,
    rows: pd.DataFrame,
    collection: dict,
    value: str,
    label: str,
    unit: str,
    hidden: pd.Series,
) -> dict[str, str]:
    """The sequential-colour trace; returns code -> fill colour for each coloured district.

    Counts get whole-number ticks. When every shown district has the same value there is no
    scale to read: the districts share one colour, the colour bar is left out and the labels
    give the value.
    """
    shown = rows[~hidden]
    if shown.empty:
        return {}
    values = shown[value].astype(float)
    low, high = float(values.min()), float(values.max())
    single = high == low
    colorbar = {
        "title": {"text": f"{label}<br>({_unit_words(unit)})", "side": "top"},
        "thickness": 14,
        "len": 0.7,
        # Percent ticks keep up to two decimals (trailing zeros trimmed): a narrow range such as
        # 1.5-3% would otherwise label two ticks "2%".
        "tickformat": {"count": ",d", "percent": ".2~f"}.get(unit, ",~r"),
        "ticksuffix": "%" if unit == "percent" else "",
        "tickfont": {"size": LABEL_SIZE},
    }
    if unit == "count" and high - low < 5:
        colorbar.update(tick0=low, dtick=1)
    _add_choropleth(
        figure,
        collection,
        go.Choropleth(
            featureidkey="id",
            locations=shown["code"].tolist(),
            z=values.tolist(),
            zmin=low,
            zmax=high if not single else low + 1,
            colorscale=_colorscale() if not single else [[0, SEQUENTIAL[1]], [1, SEQUENTIAL[1]]],
            showscale=not single,
            marker={"line": {"color": TEXT}},
            colorbar=colorbar,
            hovertemplate="%{hovertext}<extra></extra>",
            name=label,
            showlegend=False,
        ),
    )
    return {
        code: SEQUENTIAL[1] if single else interpolate(SEQUENTIAL, (v - low) / (high - low))
        for code, v in zip(shown["code"], values, strict=True)
    }


def _unit_words(unit: str) -> str:
    return {
        "count": "number of people",
        "percent": "%",
        "gbp": "£",
        "rank": "rank",
    }.get(unit, unit.replace("-", " "))


def _add_class_traces(
    figure: go.Figure, rows: pd.DataFrame, collection: dict, comparison: str, hidden: pd.Series
) -> dict[str, str]:
    """One trace per comparison class, so the legend lists the classes; fill colours back."""
    classes = rows[comparison].fillna("not compared")
    fills = {}
    for cls in COMPARISON_CLASSES:
        members = rows[(classes == cls) & ~hidden]
        if members.empty:
            continue
        colour = BENCHMARK[cls]
        _add_choropleth(
            figure,
            collection,
            go.Choropleth(
                featureidkey="id",
                locations=members["code"].tolist(),
                z=[1] * len(members),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker={"line": {"color": TEXT}},
                hovertemplate="%{hovertext}<extra></extra>",
                name="Not compared (no fill)" if cls == "not compared" else cls.capitalize(),
                showlegend=True,
            ),
        )
        fills.update(dict.fromkeys(members["code"], colour))
    return fills


def _add_choropleth(figure: go.Figure, collection: dict, trace: go.Choropleth) -> None:
    """Add ``trace`` drawing the district ``collection``, which it holds by reference.

    ``add_trace`` deep-copies a trace, boundaries included (about 60 ms each); attached after,
    every trace of a map shares the one collection (and the page finds it by identity).
    """
    figure.add_trace(trace)
    figure.data[-1].geojson = collection


def _add_missing_trace(
    figure: go.Figure, rows: pd.DataFrame, collection: dict, hidden: pd.Series
) -> None:
    """Districts with no value or a suppressed count: white with an outline, still one feature."""
    members = rows[hidden]
    if members.empty:
        return
    _add_choropleth(
        figure,
        collection,
        go.Choropleth(
            featureidkey="id",
            locations=members["code"].tolist(),
            z=[0] * len(members),
            colorscale=[[0, BACKGROUND], [1, BACKGROUND]],
            showscale=False,
            marker={"line": {"color": MUTED_TEXT}},
            hovertemplate="%{hovertext}<extra></extra>",
            name="No value shown",
            showlegend=False,
        ),
    )


def _add_labels(
    figure: go.Figure,
    rows: pd.DataFrame,
    collection: dict,
    texts: pd.Series,
    tiles: bool,
    partial: set[str],
) -> None:
    points = label_points(None if tiles else collection)
    codes = [code for code in rows["code"] if code in points]
    labels = []
    for code in codes:
        row = rows.iloc[_position(rows, code)]
        name = _broken_name(str(row["name"])) + (" (part)" if code in partial else "")
        labels.append(f"{name}<br>{texts.iloc[_position(rows, code)]}")
    figure.add_trace(
        go.Scattergeo(
            lon=[points[code][0] for code in codes],
            lat=[points[code][1] for code in codes],
            mode="text",
            text=labels,
            customdata=codes,
            textfont={"size": LABEL_SIZE},
            hoverinfo="skip",
            showlegend=False,
            name="Labels",
        )
    )


# Long names break over two lines (never shortened) so they fit their district or tile.
_BROKEN_NAMES = {
    "Folkestone and Hythe": "Folkestone<br>and Hythe",
    "Tonbridge and Malling": "Tonbridge<br>and Malling",
    "Tunbridge Wells": "Tunbridge<br>Wells",
}


def _broken_name(name: str) -> str:
    return _BROKEN_NAMES.get(name, name)
