"""Geometry checks for the tests: ring winding as d3-geo reads it, and points inside districts.

The dashboard orients rings itself (``geo.oriented_ring``); these functions check the result
independently, so they live with the tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

_FOUR_PI = 4.0 * math.pi
_PRECISION = 5


def _signed_planar_area(coords: np.ndarray) -> float:
    """Shoelace area of a closed ring in its own (x, y) units; positive if counter-clockwise."""
    x, y = coords[:, 0], coords[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _ring_array(ring: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    coords = np.asarray(ring, dtype=float)
    if coords.ndim != 2 or coords.shape[0] < 3 or coords.shape[1] < 2:
        raise ValueError("A ring needs at least three (lon, lat) positions.")
    coords = coords[:, :2]
    if not np.array_equal(coords[0], coords[-1]):
        coords = np.vstack([coords, coords[:1]])
    return coords


def exterior_is_clockwise(ring_coords: Sequence[Sequence[float]] | np.ndarray) -> bool:
    """Return True if a ring of (lon, lat) positions winds clockwise (shoelace, lat up)."""
    return _signed_planar_area(_ring_array(ring_coords)) < 0


def ring_spherical_area(ring: Sequence[Sequence[float]] | np.ndarray) -> float:
    """Return the area, in steradians, that d3-geo takes as the inside of a (lon, lat) ring.

    d3-geo (and so Plotly's ``go.Choropleth``) treats the region on the right of the direction
    of travel as inside. The ring's edges are taken as great-circle arcs. The signed area of
    the region on the left, measured from the north pole, is the sum over edges of the
    spherical excess of the triangle (pole, p1, p2): ``tan(E/2) = t sin(dl) / (1 + t cos(dl))``
    with ``t = tan(c1/2) tan(c2/2)`` for colatitudes c1, c2 and longitude step dl. The region on
    the right is then ``-sum mod 4 pi``. A small clockwise ring gives its own small area; the
    same ring counter-clockwise gives almost the whole sphere (the "inside out" map).
    """
    coords = np.radians(_ring_array(ring))
    lon, lat = coords[:, 0], coords[:, 1]
    half_colat = (math.pi / 2 - lat) / 2
    t = np.tan(half_colat[:-1]) * np.tan(half_colat[1:])
    dlon = np.diff(lon)
    dlon = (dlon + math.pi) % (2 * math.pi) - math.pi
    excess = 2.0 * np.arctan2(t * np.sin(dlon), 1.0 + t * np.cos(dlon))
    left = float(excess.sum())
    return (-left) % _FOUR_PI


def ring_encloses_small_area(ring: Sequence[Sequence[float]] | np.ndarray) -> bool:
    """Return True if d3-geo would fill less than a hemisphere for this ring (not inside out)."""
    return ring_spherical_area(ring) < _FOUR_PI / 2


def district_centroids(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return code, name, lon, lat of a point inside each district, for labels.

    Uses shapely's ``point_on_surface`` (``representative_point``), which is always inside the
    polygon, unlike the centroid of an odd shape such as Swale with its islands; EPSG:4326.
    """
    if gdf.crs is not None and not gdf.crs.equals(CRS.from_epsg(4326)):
        gdf = gdf.to_crs(epsg=4326)
    points = shapely.point_on_surface(np.asarray(gdf.geometry.array, dtype=object))
    return pd.DataFrame(
        {
            "code": gdf["code"].astype(str).to_numpy(),
            "name": gdf["name"].astype(str).to_numpy(),
            "lon": np.round(shapely.get_x(points), _PRECISION),
            "lat": np.round(shapely.get_y(points), _PRECISION),
        }
    )
