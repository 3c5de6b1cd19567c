"""District boundary files: read any ONS file, repair, simplify and write the Kent districts.

The ``boundaries`` command's work (``python -m dashboard boundaries build|fetch|check``), and
the reading of a boundary file the command has not prepared (``CARERS_BOUNDARIES`` pointing at
an ONS download, say). :func:`load_boundaries` reads a GeoJSON, GeoPackage or shapefile (any
CRS, any common ONS column naming), keeps the 12 Kent districts, repairs and simplifies them;
:func:`plotly_geojson` turns them into the FeatureCollection the maps draw, and
:func:`write_kent_boundaries` into the small file the project ships (``dashboard.geo`` reads
that one without geopandas).

Everything here is pure except the file reading in :func:`load_boundaries` and the download
and write in :func:`fetch_boundaries`.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from dashboard.geo import (
    BOUNDARY_ATTRIBUTION,
    FORMER_NAMES,
    KENT_DISTRICTS,
    KENT_EXTENT,
    PRECISION,
    BoundaryError,
    oriented_polygon,
    polygon_geometry,
    polygons_of,
    within,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "FETCHED_FILENAME",
    "ONS_LAD_BUC_URL",
    "BoundaryReport",
    "build_boundaries",
    "check_boundaries",
    "fetch_boundaries",
    "format_report",
    "load_boundaries",
    "plotly_geojson",
    "write_kent_boundaries",
]

DEFAULT_TOLERANCE: Final[float] = 0.0005
"""Default simplification tolerance in degrees (roughly 35 m east-west, 55 m north-south)."""

FETCHED_FILENAME: Final[str] = "kent_districts.geojson"

# ONS Open Geography Portal, "Local Authority Districts (May 2025) Boundaries UK BUC" (ultra
# generalised, 500 m, clipped to the coastline), queried through its ArcGIS FeatureServer as
# GeoJSON in WGS84 with just the code and name fields. The 361 UK districts fit in one page.
# When ONS publishes a newer vintage the service name and the LADxx field names change
# (e.g. LAD_MAY_2026_UK_BUC / LAD26CD); load_boundaries accepts any LADxxCD/LADxxNM pair, so
# only this URL needs updating. Not verified live: the build machine has no internet access.
ONS_LAD_BUC_URL: Final[str] = (
    "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
    "LAD_MAY_2025_UK_BUC/FeatureServer/0/query"
    "?where=1%3D1&outFields=LAD25CD,LAD25NM&outSR=4326&f=geojson"
)


_CODE_COLUMNS: Final[tuple[str, ...]] = ("lad_code", "code", "id")
_NAME_COLUMNS: Final[tuple[str, ...]] = ("lad_name", "name")
_LAD_CODE_RE: Final[re.Pattern[str]] = re.compile(r"^lad\d{2}cd$", re.IGNORECASE)
_LAD_NAME_RE: Final[re.Pattern[str]] = re.compile(r"^lad\d{2}nm$", re.IGNORECASE)
# Plausible extent of British National Grid coordinates.
_BNG_EXTENT: Final[tuple[float, float, float, float]] = (-100_000, -100_000, 800_000, 1_300_000)
_MAX_DOWNLOAD_BYTES: Final[int] = 200_000_000


@dataclass(frozen=True)
class BoundaryReport:
    """What :func:`check_boundaries` found in a boundary file."""

    path: Path
    n_features: int  # features in the file as read, before keeping the Kent districts
    codes: tuple[str, ...]  # the Kent codes kept, in code order
    crs_in: str  # the file's CRS (or the one assumed), e.g. "EPSG:27700"
    bytes_geojson: int  # size of the compact plotly_geojson() payload for the 12 districts
    vertex_count: int  # coordinates in the simplified geometries, closing points included
    renamed: dict[str, str] = field(default_factory=dict)  # former name -> current name
    messages: tuple[str, ...] = ()  # repairs, assumptions and other notes, one sentence each


@dataclass
class _LoadNotes:
    n_features: int = 0
    crs_in: str = ""
    renamed: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Loading and validating


def _normalise_name(name: object) -> str:
    text = str(name).replace("&", " and ").casefold()
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())


_NAME_TO_CODE: Final[dict[str, str]] = {
    **{_normalise_name(name): code for code, name in KENT_DISTRICTS.items()},
    **{_normalise_name(name): code for name, code in FORMER_NAMES.items()},
}
_FORMER_BY_NORMAL: Final[dict[str, str]] = {_normalise_name(n): n for n in FORMER_NAMES}


def _candidate_columns(
    columns: Iterable[str], pattern: re.Pattern[str], names: Sequence[str]
) -> list[str]:
    """Columns matching an ONS LADxx pattern (newest year first), then the generic names."""
    cols = [c for c in columns if c != "geometry"]
    lad = sorted((c for c in cols if pattern.match(c)), key=lambda c: c[3:5], reverse=True)
    lowered = {c.lower(): c for c in cols}
    generic = [lowered[n] for n in names if n in lowered and lowered[n] not in lad]
    return lad + generic


def _best_column(
    frame: pd.DataFrame, candidates: Sequence[str], mapper: Callable[[Any], str]
) -> str | None:
    """The candidate column whose values identify the most Kent districts (first on ties)."""
    best, best_hits = None, 0
    for col in candidates:
        hits = len(set(frame[col].map(mapper).dropna()) & set(KENT_DISTRICTS))
        if hits > best_hits:
            best, best_hits = col, hits
    return best


def _code_of(value: object) -> str | None:
    if value is None or pd.isna(value):
        return None
    code = str(value).strip().upper()
    return code if code in KENT_DISTRICTS else None


def _code_from_name(value: object) -> str | None:
    if value is None or pd.isna(value):
        return None
    return _NAME_TO_CODE.get(_normalise_name(value))


def _identify(frame: gpd.GeoDataFrame, label: str, notes: _LoadNotes) -> pd.Series:
    """Map each row to a Kent code (or None), noting former names found in the name column."""
    code_col = _best_column(
        frame, _candidate_columns(frame.columns, _LAD_CODE_RE, _CODE_COLUMNS), _code_of
    )
    name_col = _best_column(
        frame, _candidate_columns(frame.columns, _LAD_NAME_RE, _NAME_COLUMNS), _code_from_name
    )
    if code_col is None and name_col is None:
        raise BoundaryError(
            f"{label} has no column identifying the Kent districts (looked for an ONS code "
            "column such as LAD24CD, lad_code, code or id, or a name column such as LAD24NM, "
            f"lad_name or name); its columns are {', '.join(map(str, frame.columns))}."
        )
    if code_col is not None:
        codes = frame[code_col].map(_code_of)
        notes.messages.append(f"Districts identified by ONS code in column {code_col}.")
    else:
        codes = frame[name_col].map(_code_from_name)
        notes.messages.append(f"Districts identified by name in column {name_col} (no codes).")
    if name_col is not None:
        for code, source_name in zip(codes, frame[name_col], strict=True):
            if pd.isna(code) or pd.isna(source_name):
                continue
            normal = _normalise_name(source_name)
            if normal in _FORMER_BY_NORMAL and FORMER_NAMES[_FORMER_BY_NORMAL[normal]] == code:
                notes.renamed[str(source_name)] = KENT_DISTRICTS[code]
            elif _NAME_TO_CODE.get(normal) != code:
                notes.messages.append(
                    f"{code} is named {source_name!r} in {name_col}; using {KENT_DISTRICTS[code]}."
                )
    return codes


def _to_wgs84(frame: gpd.GeoDataFrame, label: str, notes: _LoadNotes) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326, guessing lon/lat or British National Grid if the CRS is absent."""
    bounds = frame.total_bounds
    lonlat = within(bounds, (-180, -90, 180, 90))
    crs = frame.crs
    if crs is None or (crs.is_geographic and not lonlat):
        if lonlat:
            assumed = CRS.from_epsg(4326)
        elif within(bounds, _BNG_EXTENT):
            assumed = CRS.from_epsg(27700)
        else:
            raise BoundaryError(
                f"{label} has no usable coordinate reference system and its coordinates "
                f"({_fmt_bounds(bounds)}) are neither longitude/latitude nor British National Grid."
            )
        was = "no CRS" if crs is None else f"CRS {crs.to_string()} but out-of-range coordinates"
        notes.messages.append(f"File has {was}; assumed {assumed.to_string()}.")
        frame = frame.set_crs(assumed, allow_override=True)
    notes.crs_in = frame.crs.to_string()
    if not frame.crs.equals(CRS.from_epsg(4326)):
        frame = frame.to_crs(epsg=4326)
    return frame


def _fmt_bounds(bounds: Sequence[float]) -> str:
    return f"x {bounds[0]:.5g} to {bounds[2]:.5g}, y {bounds[1]:.5g} to {bounds[3]:.5g}"


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygon parts of a geometry (make_valid can return lines and points as well)."""
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        return geom
    parts = [
        p
        for p in shapely.get_parts(geom)
        if isinstance(p, shapely.Polygon | shapely.MultiPolygon) and not p.is_empty
    ]
    polys = [q for p in parts for q in shapely.get_parts(p)]
    if not polys:
        return shapely.Polygon()
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _repair(geom: shapely.Geometry | None, code: str, label: str, notes: _LoadNotes) -> Any:
    name = KENT_DISTRICTS[code]
    if geom is None or geom.is_empty:
        raise BoundaryError(f"{label} has an empty geometry for {code} ({name}).")
    if not isinstance(geom, shapely.Polygon | shapely.MultiPolygon | shapely.GeometryCollection):
        raise BoundaryError(
            f"{label} has a {geom.geom_type} instead of a polygon for {code} ({name})."
        )
    if geom.is_valid:
        polygonal = _polygonal(geom)
        if polygonal.is_empty or polygonal.area == 0:
            raise BoundaryError(f"{label} has no polygon area for {code} ({name}).")
        return polygonal
    reason = shapely.is_valid_reason(geom)
    fixed = _polygonal(shapely.make_valid(geom))
    if fixed.is_empty or fixed.area == 0 or not fixed.is_valid:
        raise BoundaryError(
            f"{label} has an invalid geometry for {code} ({name}) that make_valid cannot "
            f"repair into a polygon ({reason})."
        )
    notes.messages.append(f"Repaired invalid geometry for {code} ({name}): {reason}.")
    return fixed


def _simplify(geoms: np.ndarray, tolerance: float, label: str, notes: _LoadNotes) -> np.ndarray:
    """Simplify keeping shared borders shared when the districts form a clean coverage."""
    if tolerance > 0:
        if bool(shapely.coverage_is_valid(geoms)):
            geoms = np.asarray(shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True))
        else:
            notes.messages.append(
                "Districts do not form a clean coverage (overlaps or unmatched borders); each "
                "was simplified on its own, so neighbours' borders may not match exactly."
            )
            geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    grid = 10.0**-PRECISION
    geoms = shapely.set_precision(geoms, grid)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, PRECISION))
    out = []
    for code, geom in zip(KENT_DISTRICTS, geoms, strict=True):
        geom = _polygonal(geom)
        if not geom.is_valid:
            geom = _polygonal(shapely.make_valid(geom))
        if geom.is_empty or not geom.is_valid:
            raise BoundaryError(
                f"{label} gives an empty or invalid geometry for {code} "
                f"({KENT_DISTRICTS[code]}) after simplifying with tolerance {tolerance}."
            )
        out.append(geom)
    return np.asarray(out, dtype=object)


def _read(path: Path, label: str, notes: _LoadNotes) -> gpd.GeoDataFrame:
    if not path.exists():
        raise BoundaryError(f"{label} does not exist.")
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        reason = str(exc).split(";")[0].strip().rstrip(".")
        raise BoundaryError(
            f"{label} cannot be read as GeoJSON, GeoPackage or shapefile ({reason})."
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame:
        raise BoundaryError(f"{label} has no geometry column.")
    notes.n_features = len(frame)
    if frame.empty:
        raise BoundaryError(f"{label} has no features.")
    return frame


def _load(path: str | os.PathLike[str], tolerance: float) -> tuple[gpd.GeoDataFrame, _LoadNotes]:
    path = Path(path)
    label = f"Boundary file {path}"
    notes = _LoadNotes()
    frame = _read(path, label, notes)
    codes = _identify(frame, label, notes)

    found = codes.dropna()
    duplicated = sorted(set(found[found.duplicated()]))
    if duplicated:
        listed = ", ".join(f"{c} ({KENT_DISTRICTS[c]})" for c in duplicated)
        raise BoundaryError(f"{label} has more than one feature for {listed}.")
    missing = [c for c in KENT_DISTRICTS if c not in set(found)]
    if missing:
        listed = ", ".join(f"{c} ({KENT_DISTRICTS[c]})" for c in missing)
        raise BoundaryError(f"{label} is missing {len(missing)} Kent district(s): {listed}.")
    dropped = len(frame) - len(found)
    if dropped:
        notes.messages.append(f"Kept the 12 Kent districts of {len(frame)} features.")

    kent = gpd.GeoDataFrame(
        {"code": found.to_numpy()}, geometry=frame.geometry[found.index].to_numpy(), crs=frame.crs
    )
    kent = kent.set_index("code").loc[list(KENT_DISTRICTS)].reset_index()
    repaired = [
        _repair(g, c, label, notes) for c, g in zip(kent["code"], kent.geometry, strict=True)
    ]
    kent = kent.set_geometry(gpd.GeoSeries(repaired, crs=kent.crs))
    kent = _to_wgs84(kent, label, notes)
    if not within(kent.total_bounds, KENT_EXTENT):
        raise BoundaryError(
            f"{label} does not lie over Kent after reading it as {notes.crs_in} "
            f"({_fmt_bounds(kent.total_bounds)}); the CRS is wrong or lon/lat are swapped."
        )
    geoms = _simplify(np.asarray(kent.geometry.array, dtype=object), tolerance, label, notes)
    # normalize() fixes ring start points and part order, so the output does not depend on the
    # input's winding; then wind the frame itself as RFC 7946 (exteriors counter-clockwise).
    geoms = shapely.orient_polygons(shapely.normalize(geoms), exterior_cw=False)
    out = gpd.GeoDataFrame(
        {"code": list(KENT_DISTRICTS), "name": list(KENT_DISTRICTS.values())},
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    return out, notes


def load_boundaries(
    path: str | os.PathLike[str], *, tolerance: float = DEFAULT_TOLERANCE
) -> gpd.GeoDataFrame:
    """Read a boundary file and return the 12 Kent districts, ready to draw.

    Accepts anything pyogrio reads (GeoJSON, GeoPackage, shapefile), in any CRS. Districts are
    found by an ONS code column (``LADxxCD`` of any year, ``lad_code``, ``code``, ``id``) or,
    failing that, a name column (``LADxxNM``, ``lad_name``, ``name``; former names such as
    Shepway count). Other features (the rest of GB, Medway) are dropped. Invalid geometries are
    repaired with ``make_valid``. The result is reprojected to EPSG:4326, simplified
    (coverage-preserving Visvalingam-Whyatt, ``tolerance`` in degrees; 0 to skip) and rounded
    to 5 decimals.

    Returns a GeoDataFrame with columns ``code``, ``name`` (current names) and ``geometry`` in
    code order. Raises :class:`BoundaryError` if a district is missing, duplicated or has an
    unusable geometry, or the file cannot be read or placed over Kent.
    """
    return _load(path, tolerance)[0]


def _geometry_out(geom: shapely.Geometry, code: str) -> dict[str, Any]:
    polys = [p for p in shapely.get_parts(_polygonal(geom)) if not p.is_empty]
    rings = [
        oriented_polygon(np.asarray(p.exterior.coords), [np.asarray(r.coords) for r in p.interiors])
        for p in polys
    ]
    rings = [r for r in rings if r is not None]
    if not rings:
        raise BoundaryError(f"Feature {code} has no polygon left after rounding to 5 decimals.")
    return polygon_geometry(rings)


def plotly_geojson(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return a FeatureCollection for ``go.Choropleth``: id = code, CLOCKWISE exteriors.

    ``gdf`` needs ``code``, ``name`` and polygon ``geometry`` columns (as returned by
    :func:`load_boundaries`); it is reprojected to EPSG:4326 if it is in another CRS. Every
    exterior ring is made clockwise and every hole counter-clockwise, as d3-geo expects, and
    coordinates are rounded to 5 decimals. Use ``locations=<code column>`` with the default
    ``featureidkey="id"``.
    """
    if gdf.crs is not None and not gdf.crs.equals(CRS.from_epsg(4326)):
        gdf = gdf.to_crs(epsg=4326)
    features = [
        {
            "type": "Feature",
            "id": str(code),
            "properties": {"code": str(code), "name": str(name)},
            "geometry": _geometry_out(geom, str(code)),
        }
        for code, name, geom in zip(gdf["code"], gdf["name"], gdf.geometry, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _payload_bytes(collection: Mapping[str, Any]) -> int:
    return len(json.dumps(collection, separators=(",", ":")).encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Checking (for the CLI) and fetching


def check_boundaries(
    path: str | os.PathLike[str], *, tolerance: float = DEFAULT_TOLERANCE
) -> BoundaryReport:
    """Load a boundary file as :func:`load_boundaries` would and describe the result.

    Raises :class:`BoundaryError` (one sentence, naming the file) if the file is unusable;
    the CLI should print it and exit non-zero.
    """
    gdf, notes = _load(path, tolerance)
    return BoundaryReport(
        path=Path(path),
        n_features=notes.n_features,
        codes=tuple(gdf["code"]),
        crs_in=notes.crs_in,
        bytes_geojson=_payload_bytes(plotly_geojson(gdf)),
        vertex_count=int(shapely.get_num_coordinates(np.asarray(gdf.geometry.array)).sum()),
        renamed=dict(notes.renamed),
        messages=tuple(notes.messages),
    )


def format_report(report: BoundaryReport) -> str:
    """Render a :class:`BoundaryReport` as a few plain-text lines for the terminal."""
    lines = [
        f"Boundary file: {report.path}",
        f"  features in file: {report.n_features}",
        (
            f"  Kent districts:   {len(report.codes)} of {len(KENT_DISTRICTS)} "
            f"({', '.join(report.codes)})"
        ),
        f"  CRS in file:      {report.crs_in} (output EPSG:4326)",
        f"  Plotly GeoJSON:   {report.bytes_geojson:,} bytes, {report.vertex_count:,} vertices",
    ]
    if report.renamed:
        pairs = ", ".join(f"{old} -> {new}" for old, new in report.renamed.items())
        lines.append(f"  former names:     {pairs}")
    lines.extend(f"  note: {message}" for message in report.messages)
    return "\n".join(lines)


def _kent_geojson_text(gdf: gpd.GeoDataFrame, source: str) -> str:
    """The Kent-only file the boundaries commands write: RFC 7946 winding, id = code."""
    collection = plotly_geojson(gdf)
    for feature in collection["features"]:
        for polygon in polygons_of(feature["geometry"]):
            for ring in polygon:
                ring.reverse()  # clockwise exterior -> counter-clockwise, holes the other way
    # Foreign members, which GeoJSON readers ignore: where the shapes came from, and the licence.
    collection["source"] = source
    collection["attribution"] = BOUNDARY_ATTRIBUTION
    return json.dumps(collection, separators=(",", ":"))


def write_kent_boundaries(gdf: gpd.GeoDataFrame, target: Path, *, source: str) -> Path:
    """Write the districts from :func:`load_boundaries` to ``target`` atomically (temp + rename)."""
    text = _kent_geojson_text(gdf, source)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp_name = ""
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            dir=target.parent,
            prefix=f".{target.stem}.",
            suffix=".tmp",
            delete=False,
        ) as handle:
            temp_name = handle.name
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)  # readable by the web server's user, like the rest of data/
        os.replace(temp_name, target)
    except BaseException:
        if temp_name:
            Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def build_boundaries(
    source: str | os.PathLike[str], target: Path, *, tolerance: float = DEFAULT_TOLERANCE
) -> Path:
    """Make the project's district file from a downloaded ONS boundary file on disk.

    The 12 Kent districts are checked, repaired, simplified and written to ``target`` with the
    Open Government Licence attribution; nothing is written if the source is unusable.
    """
    gdf = load_boundaries(source, tolerance=tolerance)
    return write_kent_boundaries(gdf, target, source=Path(source).name)


def fetch_boundaries(
    dest_dir: str | os.PathLike[str],
    *,
    url: str = ONS_LAD_BUC_URL,
    opener: Callable[..., Any] = urllib.request.urlopen,
    timeout: float = 60.0,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Path:
    """Download the ONS district boundaries and write the Kent ones to ``dest_dir``.

    ``opener`` is called as ``opener(request, timeout=timeout)`` and must return a file-like
    object (a context manager with ``read()``), as ``urllib.request.urlopen`` does; tests pass
    a fake. The download is validated with :func:`load_boundaries`, then the 12 simplified
    districts are written to ``dest_dir/kent_districts.geojson`` (RFC 7946 winding, ``id`` and
    ``properties.code``/``name``) through a temporary file and an atomic rename. On any error
    a :class:`BoundaryError` is raised and nothing is written.

    The default URL (:data:`ONS_LAD_BUC_URL`) has not been tried live: this project was built
    without internet access. If ONS retires the service, pass the current one as ``url``.
    """
    request = urllib.request.Request(url, headers={"User-Agent": "kent-carers-dashboard"})
    try:
        with opener(request, timeout=timeout) as response:
            payload = response.read(_MAX_DOWNLOAD_BYTES + 1)
    except Exception as exc:  # URLError, HTTPError, TimeoutError, OSError, ...
        raise BoundaryError(f"Could not download boundaries from {url} ({exc}).") from exc
    if not payload:
        raise BoundaryError(f"The download from {url} was empty.")
    if len(payload) > _MAX_DOWNLOAD_BYTES:
        raise BoundaryError(f"The download from {url} is larger than {_MAX_DOWNLOAD_BYTES} bytes.")
    _reject_service_error(payload, url)

    with tempfile.TemporaryDirectory(prefix="kent-boundaries-") as scratch:
        raw = Path(scratch) / "download.geojson"
        raw.write_bytes(payload)
        try:
            gdf = load_boundaries(raw, tolerance=tolerance)
        except BoundaryError as exc:
            detail = str(exc).replace(f"Boundary file {raw}", "the file").rstrip(".")
            raise BoundaryError(f"The download from {url} is unusable: {detail}.") from exc
    return write_kent_boundaries(gdf, Path(dest_dir) / FETCHED_FILENAME, source=url)


def _reject_service_error(payload: bytes, url: str) -> None:
    """ArcGIS reports errors as JSON with HTTP 200; turn them into a BoundaryError."""
    if payload.lstrip()[:1] != b"{":
        return
    try:
        document = json.loads(payload)
    except ValueError:
        return
    if isinstance(document, dict) and isinstance(document.get("error"), dict):
        error = document["error"]
        message = error.get("message") or error.get("details") or "unknown error"
        raise BoundaryError(
            f"The service at {url} returned an error instead of boundaries ({message})."
        )
