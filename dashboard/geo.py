"""Kent's districts for maps: their codes, the boundaries ready for Plotly, an equal-area tile map.

Two ways to draw the 12 Kent County Council districts with the same ``go.Choropleth`` code:

* the real boundaries: :func:`read_prepared` reads the district file the ``boundaries``
  command writes (``dashboard.boundary_files``, which reads ONS files of any format and CRS)
  and turns it into a FeatureCollection keyed by ONS code;
* a hexagon tile map (:data:`TILE_LAYOUT`, :func:`tile_geojson`) in which every district gets
  the same area, so small districts such as Dartford are as visible as Ashford.

Ring winding matters. Plotly's ``go.Choropleth`` draws through d3-geo, which treats the region
to the *right* of a ring as its inside, so exterior rings must be CLOCKWISE. RFC 7946 GeoJSON
uses the opposite convention, and a standard file drawn as it is comes out inside out (the
whole frame filled, each district a hole). :func:`oriented_ring` therefore always gives
clockwise exteriors and counter-clockwise holes, whatever it was given (the tests check the
result the way d3-geo would read it).

Only JSON and numpy are used here, so a web worker never loads geopandas and GDAL to draw its
maps (reading the shipped file through them took 76 MB of a worker's memory, as JSON 3 MB).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np

__all__ = [
    "BOUNDARY_ATTRIBUTION",
    "FORMER_NAMES",
    "KENT_DISTRICTS",
    "KENT_EXTENT",
    "PRECISION",
    "TILE_LAYOUT",
    "BoundaryError",
    "oriented_polygon",
    "oriented_ring",
    "polygon_geometry",
    "polygons_of",
    "read_prepared",
    "tile_centres",
    "tile_geojson",
    "within",
]

KENT_DISTRICTS: Final[Mapping[str, str]] = {
    "E07000105": "Ashford",
    "E07000106": "Canterbury",
    "E07000107": "Dartford",
    "E07000108": "Dover",
    "E07000109": "Gravesham",
    "E07000110": "Maidstone",
    "E07000111": "Sevenoaks",
    "E07000112": "Folkestone and Hythe",
    "E07000113": "Swale",
    "E07000114": "Thanet",
    "E07000115": "Tonbridge and Malling",
    "E07000116": "Tunbridge Wells",
}
"""The 12 KCC districts: ONS code -> current name, in code order."""

FORMER_NAMES: Final[Mapping[str, str]] = {
    # Shepway was renamed Folkestone and Hythe on 1 April 2018; the code did not change.
    "Shepway": "E07000112",
}
"""Former district names still found in older boundary files: name -> ONS code."""


# Hexagon tile map: (col, row) for each district. Pointy-top hexagons, row 0 is the north
# coast, and odd rows are shifted half a tile east ("odd-r" offset), so a tile at (c, r)
# touches (c-1, r), (c+1, r) and, in the rows above and below, (c-1, r±1) and (c, r±1) on
# even rows or (c, r±1) and (c+1, r±1) on odd rows. Column 2 of row 0 ("med") is left
# empty: Medway, a unitary authority outside KCC, sits there between Gravesham and Swale.
#
#   DAR   GRA   med   SWA   CAN   THA      Dartford Gravesham . Swale Canterbury Thanet
#      SEV   TMA   MAI   ASH   DOV         Sevenoaks Tonbridge&Malling Maidstone Ashford Dover
#               TUN         FOL          Tunbridge Wells, Folkestone and Hythe
#
# 18 of the 21 real district borders are shown as touching tiles; the grid cannot show
# Sevenoaks-Tunbridge Wells, Tunbridge Wells-Ashford and Canterbury-Folkestone and Hythe, and
# Ashford-Dover touch on the grid but not on the ground.
TILE_LAYOUT: Final[Mapping[str, tuple[int, int]]] = {
    "E07000107": (0, 0),  # Dartford
    "E07000109": (1, 0),  # Gravesham
    "E07000113": (3, 0),  # Swale
    "E07000106": (4, 0),  # Canterbury
    "E07000114": (5, 0),  # Thanet
    "E07000111": (0, 1),  # Sevenoaks
    "E07000115": (1, 1),  # Tonbridge and Malling
    "E07000110": (2, 1),  # Maidstone
    "E07000105": (3, 1),  # Ashford
    "E07000108": (4, 1),  # Dover
    "E07000116": (2, 2),  # Tunbridge Wells
    "E07000112": (4, 2),  # Folkestone and Hythe
}

# Fake lon/lat frame of the tile map: the centre of tile (0, 0) sits on Dartford and the grid
# covers roughly the real county, so the same map settings (fitbounds) work for both maps.
TILE_ORIGIN: Final[tuple[float, float]] = (0.2, 51.42)
TILE_RADIUS: Final[float] = 0.09  # centre-to-corner, in degrees of latitude
TILE_GAP: Final[float] = 0.05  # fraction of the radius left blank around each tile

PRECISION: Final[int] = 5
"""Decimal places of every coordinate drawn (about 1 m)."""
# Plausible extent of Kent in longitude and latitude, to check coordinates against.
KENT_EXTENT: Final[tuple[float, float, float, float]] = (-0.5, 50.5, 2.0, 51.9)


class BoundaryError(ValueError):
    """A boundary file cannot be used; the message is one sentence naming the file."""


BOUNDARY_ATTRIBUTION: Final[str] = (
    "Contains OS data \u00a9 Crown copyright and database right. Source: Office for National "
    "Statistics licensed under the Open Government Licence v3.0."
)
"""The credit line every map drawn from ONS district boundaries must carry."""


# --------------------------------------------------------------------------------------------
# Ring orientation


def _signed_planar_area(coords: np.ndarray) -> float:
    """Shoelace area of a closed ring in its own (x, y) units; positive if counter-clockwise."""
    x, y = coords[:, 0], coords[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def oriented_ring(coords: np.ndarray, clockwise: bool) -> list[list[float]] | None:
    """A rounded, de-duplicated, closed ring wound as asked, or None if it collapses."""
    xy = np.round(np.asarray(coords, dtype=float)[:, :2], PRECISION)
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
    xy = xy[keep]
    if len(xy) and not np.array_equal(xy[0], xy[-1]):
        xy = np.vstack([xy, xy[:1]])
    if len(xy) < 4:
        return None
    area = _signed_planar_area(xy)
    if area == 0:
        return None
    if (area < 0) != clockwise:
        xy = xy[::-1]
    return xy.tolist()


def oriented_polygon(exterior: np.ndarray, holes: list[np.ndarray]) -> list | None:
    """A polygon's rings for d3-geo (``oriented_ring``): the exterior clockwise, then the holes
    that keep an area, counter-clockwise; None if the exterior collapses."""
    outer = oriented_ring(exterior, clockwise=True)
    if outer is None:
        return None
    inner = [oriented_ring(hole, clockwise=False) for hole in holes]
    return [outer, *(ring for ring in inner if ring is not None)]


def polygon_geometry(polygons: list) -> dict[str, Any]:
    """A GeoJSON Polygon for one polygon's rings, a MultiPolygon for several."""
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def polygons_of(geometry: Mapping[str, Any]) -> list:
    """The polygons of a GeoJSON Polygon or MultiPolygon, each a list of rings."""
    coordinates = geometry["coordinates"]
    return [coordinates] if geometry["type"] == "Polygon" else coordinates


def within(bounds: Sequence[float], extent: Sequence[float]) -> bool:
    """Whether ``bounds`` (min x, min y, max x, max y) lie inside ``extent``, given the same way."""
    minx, miny, maxx, maxy = bounds
    return minx >= extent[0] and miny >= extent[1] and maxx <= extent[2] and maxy <= extent[3]


# --------------------------------------------------------------------------------------------
# The prepared district file


def read_prepared(path: str | Path) -> dict[str, Any] | None:
    """The district file the ``boundaries`` command wrote, ready for ``go.Choropleth``.

    Returns a FeatureCollection with ``id`` and ``properties.code`` the ONS code,
    ``properties.name`` the current name, clockwise exteriors and counter-clockwise holes; or
    None when ``path`` is not such a file (no attribution line of the command's), for
    ``dashboard.boundary_files.load_boundaries`` to read. Raises :class:`BoundaryError` when it
    is one but cannot be drawn (a district missing or out of order, a geometry that is not
    polygons, coordinates that are not numbers or lie outside Kent).
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # not JSON, or not there: the full reader says which
    if not isinstance(document, dict) or document.get("attribution") != BOUNDARY_ATTRIBUTION:
        return None
    label = f"Boundary file {path}"
    features = document.get("features")
    features = features if isinstance(features, list) else []
    codes = [feature.get("id") if isinstance(feature, dict) else None for feature in features]
    if codes != list(KENT_DISTRICTS):
        raise BoundaryError(
            f"{label} does not hold the 12 Kent districts in code order; write it again with "
            "`python -m dashboard boundaries build` or `fetch`."
        )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": KENT_DISTRICTS[code]},
                "geometry": _drawn_geometry(feature.get("geometry"), f"{label}, {code}"),
            }
            for code, feature in zip(codes, features, strict=True)
        ],
    }


def _drawn_geometry(geometry: object, label: str) -> dict[str, Any]:
    """A Polygon or MultiPolygon with every ring wound for d3-geo (see ``oriented_ring``)."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        raise BoundaryError(f"{label} is not a polygon.")
    try:
        drawn = [
            oriented_polygon(
                np.asarray(polygon[0], dtype=float),
                [np.asarray(ring, dtype=float) for ring in polygon[1:]],
            )
            for polygon in polygons_of(geometry)
        ]
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise BoundaryError(
            f"{label} has coordinates that are not [longitude, latitude] pairs."
        ) from exc
    drawn = [polygon for polygon in drawn if polygon is not None]
    if not drawn:
        raise BoundaryError(f"{label} has no polygon with an area.")
    points = np.concatenate([np.asarray(ring) for polygon in drawn for ring in polygon])
    bounds = (*points.min(axis=0), *points.max(axis=0))
    if not (np.isfinite(points).all() and within(bounds, KENT_EXTENT)):
        raise BoundaryError(f"{label} has coordinates outside Kent.")
    return polygon_geometry(drawn)


# --------------------------------------------------------------------------------------------
# Equal-area tile map


# Tile geometry on a half-unit lattice: x in half tile widths, y in half radii. Corners of
# neighbouring tiles then land on the very same lattice points, so shared edges are exact.
_HEX_CORNERS: Final[tuple[tuple[int, int], ...]] = (
    (0, 2),  # top, then clockwise (lat up)
    (1, 1),
    (1, -1),
    (0, -2),
    (-1, -1),
    (-1, 1),
)


def _tile_scale(lon_scale: float | None) -> float:
    return 1.0 / math.cos(math.radians(TILE_ORIGIN[1])) if lon_scale is None else lon_scale


def _tile_lonlat(x_units: float, y_units: float, scale: float) -> tuple[float, float]:
    half_width = math.sqrt(3.0) * TILE_RADIUS / 2
    return (
        round(TILE_ORIGIN[0] + x_units * half_width * scale, PRECISION),
        round(TILE_ORIGIN[1] + y_units * TILE_RADIUS / 2, PRECISION),
    )


def _tile_centre_units(code: str) -> tuple[int, int]:
    col, row = TILE_LAYOUT[code]
    return 2 * col + row % 2, -3 * row


def tile_centres(*, lon_scale: float | None = None) -> dict[str, tuple[float, float]]:
    """Return the (lon, lat) centre of each district's tile in the tile map's fake frame.

    ``lon_scale`` stretches longitudes; the default ``1 / cos(51.42 deg)`` makes the hexagons
    regular under a conformal projection such as Mercator (the one that shows Kent's real
    shape correctly). Pass 1.0 if the map uses the equirectangular projection.
    """
    scale = _tile_scale(lon_scale)
    return {code: _tile_lonlat(*_tile_centre_units(code), scale) for code in KENT_DISTRICTS}


def tile_geojson(*, lon_scale: float | None = None, gap: float = TILE_GAP) -> dict[str, Any]:
    """Return the hexagon tile map as a FeatureCollection for ``go.Choropleth``.

    One pointy-top hexagon per district at :data:`TILE_LAYOUT`, all the same size, in a fake
    lon/lat frame over Kent. Rings are CLOCKWISE (as :func:`read_prepared`), ``id`` and
    ``properties.code`` are the ONS code and ``properties.name`` the current name, so the same
    figure code draws either map. ``gap`` is the fraction of the radius left blank around each
    tile (0 makes neighbours share edges exactly). See :func:`tile_centres` for ``lon_scale``.
    """
    if not 0.0 <= gap < 1.0:
        raise ValueError(f"gap must be at least 0 and below 1, not {gap}.")
    scale = _tile_scale(lon_scale)
    shrink = 1.0 - gap
    features = []
    for code in KENT_DISTRICTS:
        cx, cy = _tile_centre_units(code)
        corners = [
            _tile_lonlat(cx + dx * shrink, cy + dy * shrink, scale) for dx, dy in _HEX_CORNERS
        ]
        ring = oriented_ring(np.asarray([*corners, corners[0]]), clockwise=True)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": KENT_DISTRICTS[code]},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": features}
