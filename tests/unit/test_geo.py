"""Tests for dashboard.geo: boundary loading, Plotly ring winding, fetching and the tile map.

The real boundaries are the project's own simplified file (``data/geo``, made by
``boundaries build``); synthetic variants are written to ``tmp_path``.
"""

from __future__ import annotations

import io
import json
import math
import urllib.error
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from dashboard import geo
from dashboard.boundary_files import (
    ONS_LAD_BUC_URL,
    build_boundaries,
    check_boundaries,
    fetch_boundaries,
    format_report,
    load_boundaries,
    plotly_geojson,
)
from dashboard.config import SHIPPED_BOUNDARIES
from dashboard.geo import (
    KENT_DISTRICTS,
    TILE_LAYOUT,
    BoundaryError,
    read_prepared,
    tile_centres,
    tile_geojson,
)
from tests.support.geometry import (
    district_centroids,
    exterior_is_clockwise,
    ring_encloses_small_area,
    ring_spherical_area,
)

KENT_FILE = SHIPPED_BOUNDARIES
EARTH_RADIUS_KM = 6371.0088
# Bounding box of the 12 districts in the shipped file.
KENT_BBOX = (0.03316, 50.91057, 1.44946, 51.47913)
GEOD = Geod(ellps="WGS84")


# ------------------------------------------------------------------------------------------
# helpers


@pytest.fixture(scope="module")
def raw_kent() -> gpd.GeoDataFrame:
    """The shipped districts labelled as the ONS 2013 file labels them (Shepway, not Folkestone
    and Hythe, in ``name_in_source``)."""
    shipped = gpd.read_file(KENT_FILE, engine="pyogrio")
    return gpd.GeoDataFrame(
        {
            "lad_code": shipped["code"],
            "lad_name": shipped["name"],
            "name_in_source": shipped["name"].replace("Folkestone and Hythe", "Shepway"),
        },
        geometry=shipped.geometry,
        crs=shipped.crs,
    )


@pytest.fixture(scope="module")
def raw_medway() -> gpd.GeoDataFrame:
    """A stand-in for Medway, the unitary authority inside Kent that these services exclude."""
    return gpd.GeoDataFrame(
        {"lad_code": ["E06000035"], "lad_name": ["Medway"], "name_in_source": ["Medway"]},
        geometry=[shapely.box(0.45, 51.33, 0.62, 51.45)],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def kent() -> gpd.GeoDataFrame:
    return load_boundaries(KENT_FILE)


@pytest.fixture(scope="module")
def kent_fc(kent: gpd.GeoDataFrame) -> dict[str, Any]:
    return plotly_geojson(kent)


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return geometry["coordinates"]


def _exteriors(fc: dict[str, Any]) -> Iterator[tuple[str, list[list[float]]]]:
    for feature in fc["features"]:
        for polygon in _polygons(feature["geometry"]):
            yield feature["id"], polygon[0]


def _holes(fc: dict[str, Any]) -> Iterator[tuple[str, list[list[float]]]]:
    for feature in fc["features"]:
        for polygon in _polygons(feature["geometry"]):
            for hole in polygon[1:]:
                yield feature["id"], hole


def _reverse_rings(fc: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(fc))
    for feature in out["features"]:
        for polygon in _polygons(feature["geometry"]):
            for ring in polygon:
                ring.reverse()
    return out


def _write_json(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _with_columns(frame: gpd.GeoDataFrame, code: str | None, name: str | None) -> gpd.GeoDataFrame:
    """The shipped districts re-labelled with another property schema (name = name_in_source)."""
    data: dict[str, Any] = {}
    if code:
        data[code] = frame["lad_code"].to_numpy()
    if name:
        data[name] = frame["name_in_source"].to_numpy()
    return gpd.GeoDataFrame(data, geometry=frame.geometry.to_numpy(), crs=frame.crs)


def _assert_kent(gdf: gpd.GeoDataFrame, slack: float = 0.002) -> None:
    assert list(gdf.columns) == ["code", "name", "geometry"]
    assert list(gdf["code"]) == list(KENT_DISTRICTS)
    assert list(gdf["name"]) == list(KENT_DISTRICTS.values())
    assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()
    bounds = gdf.total_bounds
    assert bounds == pytest.approx(KENT_BBOX, abs=slack)


def _assert_plotly_winding(fc: dict[str, Any]) -> None:
    exteriors = list(_exteriors(fc))
    assert exteriors
    for code, ring in exteriors:
        assert exterior_is_clockwise(ring), code
        assert ring_encloses_small_area(ring), code
        assert ring[0] == ring[-1]
    for code, hole in _holes(fc):
        assert not exterior_is_clockwise(hole), code


# ------------------------------------------------------------------------------------------
# constants and ring helpers


def test_kent_districts_constant() -> None:
    assert len(KENT_DISTRICTS) == 12
    assert list(KENT_DISTRICTS) == [f"E07000{n}" for n in range(105, 117)]
    assert KENT_DISTRICTS["E07000112"] == "Folkestone and Hythe"
    assert KENT_DISTRICTS["E07000116"] == "Tunbridge Wells"
    assert geo.FORMER_NAMES == {"Shepway": "E07000112"}


def test_exterior_is_clockwise_shoelace() -> None:
    ccw = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    assert not exterior_is_clockwise(ccw)
    assert exterior_is_clockwise(ccw[::-1])
    assert exterior_is_clockwise(np.array(ccw[::-1][:-1]))  # open rings are closed first
    with pytest.raises(ValueError):
        exterior_is_clockwise([(0.0, 0.0), (1.0, 1.0)])


def test_ring_spherical_area_small_and_inverted() -> None:
    # A 1 x 1 degree square on the equator: about (pi/180)^2 steradians.
    cw = [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)]
    small = (math.pi / 180) ** 2
    assert ring_spherical_area(cw) == pytest.approx(small, rel=1e-3)
    assert ring_encloses_small_area(cw)
    # The same ring counter-clockwise: d3-geo fills the rest of the sphere.
    assert ring_spherical_area(cw[::-1]) == pytest.approx(4 * math.pi - small, rel=1e-9)
    assert not ring_encloses_small_area(cw[::-1])


def test_shipped_file_is_rfc7946_so_drawing_it_raw_would_be_inverted(raw_kent) -> None:
    """The check below would catch an inside-out map: raw rings fill almost the whole sphere."""
    raw = json.loads(KENT_FILE.read_text(encoding="utf-8"))
    for code, ring in _exteriors(raw):
        assert not exterior_is_clockwise(ring), code
        assert not ring_encloses_small_area(ring), code
        assert ring_spherical_area(ring) > 4 * math.pi - 1e-3


# ------------------------------------------------------------------------------------------
# the shipped file


def test_load_shipped_file(kent: gpd.GeoDataFrame) -> None:
    _assert_kent(kent, slack=1e-5)
    coords = shapely.get_coordinates(np.asarray(kent.geometry.array))
    assert np.array_equal(coords, np.round(coords, 5))


def test_plotly_geojson_shipped_clockwise_and_not_inverted(kent_fc: dict[str, Any]) -> None:
    assert kent_fc["type"] == "FeatureCollection"
    assert [f["id"] for f in kent_fc["features"]] == list(KENT_DISTRICTS)
    for feature in kent_fc["features"]:
        assert feature["properties"] == {
            "code": feature["id"],
            "name": KENT_DISTRICTS[feature["id"]],
        }
    _assert_plotly_winding(kent_fc)


def test_the_prepared_file_is_read_as_the_full_reader_reads_it(kent_fc: dict[str, Any]) -> None:
    # Web workers read the shipped file as JSON; the geopandas path must give the same map.
    assert read_prepared(KENT_FILE) == kent_fc


def test_a_prepared_file_of_either_winding_is_drawn_clockwise(tmp_path: Path) -> None:
    document = json.loads(KENT_FILE.read_text(encoding="utf-8"))
    for feature in document["features"]:
        for polygon in geo.polygons_of(feature["geometry"]):
            for ring in polygon:
                ring.reverse()
    flipped = tmp_path / "flipped.geojson"
    flipped.write_text(json.dumps(document), encoding="utf-8")
    assert read_prepared(flipped) == read_prepared(KENT_FILE)


def test_a_file_the_boundaries_command_did_not_write_is_left_to_the_full_reader(
    tmp_path: Path,
) -> None:
    document = json.loads(KENT_FILE.read_text(encoding="utf-8"))
    del document["attribution"]
    download = tmp_path / "download.geojson"
    download.write_text(json.dumps(document), encoding="utf-8")
    shapefile_part = tmp_path / "districts.shp"
    shapefile_part.write_bytes(b"\x00\x00\x27\x0a")
    for path in (download, shapefile_part, tmp_path / "absent.geojson"):
        assert read_prepared(path) is None


def _spoil(feature: dict, how: str) -> None:
    first_ring = geo.polygons_of(feature["geometry"])[0][0]
    if how == "outside Kent":
        first_ring[0][0] = first_ring[-1][0] = 12.5
    elif how == "text coordinates":
        first_ring[1] = ["east", "north"]
    elif how == "a line":
        feature["geometry"] = {"type": "LineString", "coordinates": first_ring}
    elif how == "no area":
        first_ring[:] = [first_ring[0]] * 4


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("outside Kent", "E07000106 has coordinates outside Kent"),
        ("text coordinates", "E07000106 has coordinates that are not"),
        ("a line", "E07000106 is not a polygon"),
        ("no area", "E07000106 has no polygon with an area"),
        ("district missing", "does not hold the 12 Kent districts"),
    ],
)
def test_a_spoilt_prepared_file_is_refused_naming_the_district(
    tmp_path: Path, how: str, message: str
) -> None:
    document = json.loads(KENT_FILE.read_text(encoding="utf-8"))
    canterbury = document["features"][1]
    if how == "district missing":
        document["features"].remove(canterbury)
    else:
        _spoil(canterbury, how)
    spoilt = tmp_path / "spoilt.geojson"
    spoilt.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(BoundaryError, match=message):
        read_prepared(spoilt)


def test_d3_area_of_each_district_is_its_real_area(kent_fc: dict[str, Any]) -> None:
    """Not inverted: what d3-geo fills for each ring is the district's own few hundred km2."""
    for code, ring in _exteriors(kent_fc):
        lons, lats = np.asarray(ring).T
        geodesic, _ = GEOD.polygon_area_perimeter(lons, lats)
        assert geodesic < 0, code  # pyproj: negative = clockwise
        d3_km2 = ring_spherical_area(ring) * EARTH_RADIUS_KM**2
        assert d3_km2 == pytest.approx(abs(geodesic) / 1e6, rel=0.01), code
    # Against SOURCE.md: Ashford is one part of about 574 km2.
    ashford = next(r for c, r in _exteriors(kent_fc) if c == "E07000105")
    assert ring_spherical_area(ashford) * EARTH_RADIUS_KM**2 == pytest.approx(574.4, rel=0.02)


def test_payload_size_and_report(kent_fc: dict[str, Any]) -> None:
    report = check_boundaries(KENT_FILE)
    payload = len(json.dumps(kent_fc, separators=(",", ":")).encode())
    assert report.bytes_geojson == payload < 150_000
    assert report.codes == tuple(KENT_DISTRICTS)
    assert report.n_features == 12
    assert report.crs_in == "EPSG:4326"
    assert report.renamed == {}  # lad_name already holds the current names
    assert 2_000 < report.vertex_count < 4_000
    text = format_report(report)
    assert str(KENT_FILE) in text and "12 of 12" in text and f"{payload:,} bytes" in text


def test_tolerance_controls_simplification(raw_kent) -> None:
    none = check_boundaries(KENT_FILE, tolerance=0)
    default = check_boundaries(KENT_FILE)
    coarse = check_boundaries(KENT_FILE, tolerance=0.005)
    assert none.vertex_count >= default.vertex_count > coarse.vertex_count
    assert coarse.bytes_geojson < default.bytes_geojson
    _assert_kent(load_boundaries(KENT_FILE, tolerance=0.005), slack=0.01)


@pytest.mark.parametrize("winding", ["rfc7946", "clockwise"])
def test_either_input_winding_gives_clockwise_output(
    tmp_path: Path, winding: str, kent_fc: dict[str, Any]
) -> None:
    raw = json.loads(KENT_FILE.read_text(encoding="utf-8"))
    document = raw if winding == "rfc7946" else _reverse_rings(raw)
    if winding == "clockwise":
        assert all(exterior_is_clockwise(r) for _, r in _exteriors(document))
    fc = plotly_geojson(load_boundaries(_write_json(tmp_path / "k.geojson", document)))
    _assert_plotly_winding(fc)
    assert fc == kent_fc


@pytest.mark.parametrize("reverse", [False, True])
def test_holes_wind_counter_clockwise(reverse: bool) -> None:
    shell = [(0.5, 51.0), (0.9, 51.0), (0.9, 51.3), (0.5, 51.3)]
    hole = [(0.6, 51.1), (0.7, 51.1), (0.7, 51.2), (0.6, 51.2)]
    if reverse:
        shell, hole = shell[::-1], hole[::-1]
    gdf = gpd.GeoDataFrame(
        {"code": ["X1"], "name": ["Ring"]},
        geometry=[shapely.Polygon(shell, [hole])],
        crs="EPSG:4326",
    )
    fc = plotly_geojson(gdf)
    assert len(list(_holes(fc))) == 1
    _assert_plotly_winding(fc)


def test_plotly_geojson_reprojects(raw_kent) -> None:
    bng = _with_columns(raw_kent, "code", "name").to_crs(epsg=27700)
    fc = plotly_geojson(bng)
    _assert_plotly_winding(fc)
    lons = [p[0] for _, ring in _exteriors(fc) for p in ring]
    assert min(lons) == pytest.approx(KENT_BBOX[0], abs=1e-4)


def test_district_centroids(kent: gpd.GeoDataFrame) -> None:
    labels = district_centroids(kent)
    assert list(labels.columns) == ["code", "name", "lon", "lat"]
    assert list(labels["code"]) == list(KENT_DISTRICTS)
    for row, geom in zip(labels.itertuples(), kent.geometry, strict=True):
        assert geom.contains(shapely.Point(row.lon, row.lat)), row.name
    dartford = labels.set_index("code").loc["E07000107"]
    thanet = labels.set_index("code").loc["E07000114"]
    assert dartford.lon < 0.35 and thanet.lon > 1.2


# ------------------------------------------------------------------------------------------
# other formats, schemas and CRSs


def test_geopackage_in_british_national_grid(tmp_path: Path, raw_kent) -> None:
    path = tmp_path / "lad24.gpkg"
    _with_columns(raw_kent, "LAD24CD", "LAD24NM").to_crs(epsg=27700).to_file(path, driver="GPKG")
    gdf = load_boundaries(path)
    _assert_kent(gdf, slack=1e-4)
    report = check_boundaries(path)
    assert report.crs_in == "EPSG:27700"
    assert report.renamed == {"Shepway": "Folkestone and Hythe"}
    _assert_plotly_winding(plotly_geojson(gdf))


def test_shapefile(tmp_path: Path, raw_kent) -> None:
    path = tmp_path / "lad13.shp"
    _with_columns(raw_kent, "LAD13CD", "LAD13NM").to_file(path, driver="ESRI Shapefile")
    _assert_kent(load_boundaries(path), slack=1e-4)


def test_shapefile_without_prj_in_bng_is_assumed_bng(tmp_path: Path, raw_kent) -> None:
    path = tmp_path / "noprj.shp"
    _with_columns(raw_kent, "lad_code", None).to_crs(epsg=27700).to_file(path)
    path.with_suffix(".prj").unlink()
    report = check_boundaries(path)
    assert report.crs_in == "EPSG:27700"
    assert any("assumed EPSG:27700" in m for m in report.messages)
    _assert_kent(load_boundaries(path), slack=1e-4)


def test_shepway_matched_by_name_only(tmp_path: Path, raw_kent) -> None:
    path = tmp_path / "names.geojson"
    frame = _with_columns(raw_kent, None, "LAD13NM")
    assert "Shepway" in set(frame["LAD13NM"])
    frame.to_file(path, driver="GeoJSON")
    report = check_boundaries(path)
    assert report.codes == tuple(KENT_DISTRICTS)
    assert report.renamed == {"Shepway": "Folkestone and Hythe"}
    assert any("by name" in m for m in report.messages)
    gdf = load_boundaries(path)
    assert gdf.set_index("code").loc["E07000112", "name"] == "Folkestone and Hythe"
    assert "Shepway" in format_report(report)


def test_extra_districts_are_dropped(tmp_path: Path, raw_kent, raw_medway) -> None:
    city = gpd.GeoDataFrame(  # a far-away district, as in a file of all of GB
        {"lad_code": ["E09000001"], "lad_name": ["City of London"]},
        geometry=[shapely.box(-0.11, 51.51, -0.07, 51.52)],
        crs="EPSG:4326",
    )
    keep = ["lad_code", "lad_name", "geometry"]
    everything = gpd.GeoDataFrame(
        pd.concat([raw_medway[keep], raw_kent[keep], city], ignore_index=True),
        crs="EPSG:4326",
    )
    path = tmp_path / "gb.geojson"
    everything.to_file(path, driver="GeoJSON")
    report = check_boundaries(path)
    assert report.n_features == 14
    assert report.codes == tuple(KENT_DISTRICTS)
    assert any("Kept the 12 Kent districts of 14" in m for m in report.messages)
    _assert_kent(load_boundaries(path), slack=1e-5)


# ------------------------------------------------------------------------------------------
# errors


def test_missing_district(tmp_path: Path, raw_kent) -> None:
    path = tmp_path / "no_thanet.geojson"
    raw_kent[raw_kent["lad_code"] != "E07000114"].to_file(path, driver="GeoJSON")
    with pytest.raises(BoundaryError, match=r"no_thanet\.geojson.*missing.*E07000114 \(Thanet\)"):
        load_boundaries(path)


def test_duplicated_district(tmp_path: Path, raw_kent) -> None:
    path = tmp_path / "twice.geojson"
    dover = raw_kent[raw_kent["lad_code"] == "E07000108"]
    gpd.GeoDataFrame(pd.concat([raw_kent, dover]), crs=raw_kent.crs).to_file(path)
    with pytest.raises(BoundaryError, match=r"more than one feature for E07000108 \(Dover\)"):
        load_boundaries(path)


def test_bowtie_is_repaired_and_reported(tmp_path: Path, raw_kent) -> None:
    bowtie = shapely.Polygon([(0.15, 51.37), (0.3, 51.47), (0.3, 51.37), (0.15, 51.47)])
    assert not bowtie.is_valid
    frame = raw_kent.copy()
    frame.loc[frame["lad_code"] == "E07000107", "geometry"] = bowtie
    path = _write_json(tmp_path / "bowtie.geojson", json.loads(frame.to_json()))
    report = check_boundaries(path)
    assert any(m.startswith("Repaired invalid geometry for E07000107") for m in report.messages)
    gdf = load_boundaries(path)
    assert gdf.geometry.is_valid.all()
    dartford = gdf.set_index("code").loc["E07000107", "geometry"]
    assert dartford.geom_type == "MultiPolygon" and len(dartford.geoms) == 2
    _assert_plotly_winding(plotly_geojson(gdf))


def test_unrepairable_geometry(tmp_path: Path, raw_kent) -> None:
    flat = shapely.Polygon([(0.15, 51.4), (0.2, 51.4), (0.3, 51.4), (0.15, 51.4)])
    frame = raw_kent.copy()
    frame.loc[frame["lad_code"] == "E07000109", "geometry"] = flat
    path = _write_json(tmp_path / "flat.geojson", json.loads(frame.to_json()))
    with pytest.raises(BoundaryError, match=r"flat\.geojson.*E07000109 \(Gravesham\)"):
        load_boundaries(path)


def test_empty_geometry(tmp_path: Path, raw_kent) -> None:
    document = json.loads(KENT_FILE.read_text(encoding="utf-8"))
    document["features"][3]["geometry"] = None
    path = _write_json(tmp_path / "empty.geojson", document)
    with pytest.raises(BoundaryError, match=r"empty geometry for E07000108 \(Dover\)"):
        load_boundaries(path)


def test_no_identifying_column(tmp_path: Path, raw_kent) -> None:
    path = tmp_path / "anon.geojson"
    gpd.GeoDataFrame({"colour": ["red"] * 12}, geometry=raw_kent.geometry).to_file(path)
    with pytest.raises(BoundaryError, match="no column identifying the Kent districts"):
        load_boundaries(path)


def test_unreadable_and_absent_files(tmp_path: Path) -> None:
    junk = tmp_path / "junk.geojson"
    junk.write_text("this is not geojson", encoding="utf-8")
    with pytest.raises(BoundaryError, match=r"junk\.geojson cannot be read"):
        load_boundaries(junk)
    with pytest.raises(BoundaryError, match="does not exist"):
        load_boundaries(tmp_path / "nowhere.geojson")


def test_swapped_axes_are_not_kent(tmp_path: Path, raw_kent) -> None:
    swapped = raw_kent.copy()
    swapped["geometry"] = shapely.transform(
        np.asarray(raw_kent.geometry.array), lambda xy: xy[:, ::-1]
    )
    path = tmp_path / "swapped.geojson"
    swapped.to_file(path, driver="GeoJSON")
    with pytest.raises(BoundaryError, match="does not lie over Kent"):
        load_boundaries(path)


# ------------------------------------------------------------------------------------------
# fetching


class _FakeOpener:
    def __init__(self, payload: bytes | Exception) -> None:
        self.payload = payload
        self.calls: list[tuple[Any, Any]] = []

    def __call__(self, request: Any, timeout: float | None = None) -> io.BytesIO:
        self.calls.append((request, timeout))
        if isinstance(self.payload, Exception):
            raise self.payload
        return io.BytesIO(self.payload)


def _ons_style_download(tmp_path: Path, raw_kent, raw_medway) -> bytes:
    """The shipped districts plus Medway as LAD24CD/LAD24NM GeoJSON in EPSG:27700."""
    keep = ["lad_code", "name_in_source", "geometry"]
    both = gpd.GeoDataFrame(
        pd.concat([raw_kent[keep], raw_medway[keep]], ignore_index=True), crs="EPSG:4326"
    )
    path = tmp_path / "download_src.geojson"
    _with_columns(both, "LAD24CD", "LAD24NM").to_crs(epsg=27700).to_file(path, driver="GeoJSON")
    assert "27700" in path.read_text(encoding="utf-8")[:500]
    return path.read_bytes()


def test_default_url_is_an_ons_featureserver_geojson_query() -> None:
    url = ONS_LAD_BUC_URL
    assert url.startswith("https://services1.arcgis.com/")
    assert "_BUC/FeatureServer/0/query?" in url
    for part in ("outSR=4326", "f=geojson", "outFields=LAD25CD,LAD25NM"):
        assert part in url


def test_fetch_boundaries_writes_kent_only(tmp_path: Path, raw_kent, raw_medway) -> None:
    opener = _FakeOpener(_ons_style_download(tmp_path, raw_kent, raw_medway))
    dest = tmp_path / "instance"
    written = fetch_boundaries(dest, url="https://example.test/lad", opener=opener)
    assert written == dest / "kent_districts.geojson"
    assert [p.name for p in dest.iterdir()] == ["kent_districts.geojson"]  # no temp files left
    request, timeout = opener.calls[0]
    assert request.full_url == "https://example.test/lad" and timeout == 60.0

    document = json.loads(written.read_text(encoding="utf-8"))
    assert [f["id"] for f in document["features"]] == list(KENT_DISTRICTS)
    assert document["source"] == "https://example.test/lad"
    for _, ring in _exteriors(document):  # the file on disk follows RFC 7946
        assert not exterior_is_clockwise(ring)
    assert written.stat().st_size < 150_000
    gdf = load_boundaries(written)
    _assert_kent(gdf, slack=1e-4)
    _assert_plotly_winding(plotly_geojson(gdf))


def test_fetch_boundaries_reuses_shipped_file(tmp_path: Path, raw_kent) -> None:
    written = fetch_boundaries(tmp_path, opener=_FakeOpener(KENT_FILE.read_bytes()))
    again, direct = load_boundaries(written, tolerance=0), load_boundaries(KENT_FILE)
    assert list(again["code"]) == list(direct["code"])
    for a, b in zip(again.geometry, direct.geometry, strict=True):
        assert a.equals(b)


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (urllib.error.URLError("no route to host"), "Could not download.*no route to host"),
        (TimeoutError("timed out"), "Could not download.*timed out"),
        (b"", "was empty"),
        (
            b'{"error":{"code":400,"message":"Invalid query parameters","details":[]}}',
            "returned an error.*Invalid query parameters",
        ),
        (b"<html>Service unavailable</html>", "is unusable"),
    ],
)
def test_fetch_boundaries_failure_writes_nothing(
    tmp_path: Path, payload: bytes | Exception, match: str
) -> None:
    dest = tmp_path / "instance"
    with pytest.raises(BoundaryError, match=match):
        fetch_boundaries(dest, url="https://example.test/lad", opener=_FakeOpener(payload))
    assert not dest.exists()


def test_fetch_boundaries_invalid_download_keeps_existing_file(tmp_path: Path, raw_kent) -> None:
    dest = tmp_path / "instance"
    dest.mkdir()
    existing = dest / "kent_districts.geojson"
    existing.write_text("previous good file", encoding="utf-8")
    partial = tmp_path / "partial.geojson"
    raw_kent[raw_kent["lad_code"] != "E07000105"].to_file(partial, driver="GeoJSON")
    with pytest.raises(BoundaryError, match=r"unusable.*missing.*E07000105 \(Ashford\)"):
        fetch_boundaries(dest, opener=_FakeOpener(partial.read_bytes()))
    assert existing.read_text(encoding="utf-8") == "previous good file"
    assert [p.name for p in dest.iterdir()] == ["kent_districts.geojson"]


# ------------------------------------------------------------------------------------------
# tile map


def _tile_shapes(fc: dict[str, Any]) -> dict[str, shapely.Polygon]:
    return {f["id"]: shapely.geometry.shape(f["geometry"]) for f in fc["features"]}


def test_tile_layout_positions() -> None:
    assert set(TILE_LAYOUT) == set(KENT_DISTRICTS)
    assert len(set(TILE_LAYOUT.values())) == 12
    col = {c: TILE_LAYOUT[c][0] + 0.5 * (TILE_LAYOUT[c][1] % 2) for c in TILE_LAYOUT}
    row = {c: TILE_LAYOUT[c][1] for c in TILE_LAYOUT}
    assert row["E07000107"] == 0 and col["E07000107"] == min(col.values())  # Dartford NW
    assert row["E07000114"] == 0 and col["E07000114"] == max(col.values())  # Thanet NE
    assert row["E07000112"] == row["E07000116"] == max(row.values())  # south coast / border
    assert col["E07000116"] < col["E07000112"]  # Tunbridge Wells west of Folkestone and Hythe


def test_tile_geojson_equal_clockwise_no_overlap() -> None:
    fc = tile_geojson()
    assert [f["id"] for f in fc["features"]] == list(KENT_DISTRICTS)
    assert all(f["properties"]["name"] == KENT_DISTRICTS[f["id"]] for f in fc["features"])
    _assert_plotly_winding(fc)
    shapes = _tile_shapes(fc)
    areas = [s.area for s in shapes.values()]
    assert max(areas) == pytest.approx(min(areas), rel=1e-3)
    assert all(len(s.exterior.coords) == 7 and s.is_valid for s in shapes.values())
    for (a, sa), (b, sb) in combinations(shapes.items(), 2):
        assert not sa.intersects(sb), (a, b)
    # The grid sits over Kent, so fitbounds frames both maps alike.
    minx, miny, maxx, maxy = shapely.union_all(list(shapes.values())).bounds
    assert -0.2 < minx < 0.3 and 1.2 < maxx < 1.8 and 50.8 < miny < 51.2 and 51.3 < maxy < 51.7


def _touching(shapes: dict[str, Any]) -> set[frozenset[str]]:
    return {
        frozenset((a, b))
        for (a, sa), (b, sb) in combinations(shapes.items(), 2)
        if sa.intersection(sb).length > 0
    }


def test_tiles_touch_their_real_neighbours(kent: gpd.GeoDataFrame) -> None:
    tiles = _tile_shapes(tile_geojson(gap=0.0))
    for (a, sa), (b, sb) in combinations(tiles.items(), 2):
        assert sa.intersection(sb).area < 1e-12, (a, b)  # shared edges only
    real = _touching(dict(zip(kent["code"], kent.geometry, strict=True)))
    grid = _touching(tiles)
    assert len(real) == 21 and len(grid) == 19
    assert grid - real == {frozenset(("E07000105", "E07000108"))}  # Ashford-Dover
    assert real - grid == {
        frozenset(("E07000111", "E07000116")),  # Sevenoaks-Tunbridge Wells
        frozenset(("E07000105", "E07000116")),  # Ashford-Tunbridge Wells
        frozenset(("E07000106", "E07000112")),  # Canterbury-Folkestone and Hythe
    }
    assert all(any(code in pair for pair in grid) for code in KENT_DISTRICTS)  # none isolated


def test_tile_centres_inside_tiles_and_regular_hexagons() -> None:
    shapes = _tile_shapes(tile_geojson())
    centres = tile_centres()
    assert list(centres) == list(KENT_DISTRICTS)
    for code, (lon, lat) in centres.items():
        assert shapes[code].contains(shapely.Point(lon, lat)), code
    # Default lon scale makes the hexagons regular on a Mercator map: width/height = sqrt(3)/2.
    minx, miny, maxx, maxy = shapes["E07000110"].bounds
    lat0 = math.radians(centres["E07000110"][1])
    assert (maxx - minx) * math.cos(lat0) / (maxy - miny) == pytest.approx(
        math.sqrt(3) / 2, rel=0.01
    )
    flat = _tile_shapes(tile_geojson(lon_scale=1.0))["E07000110"].bounds
    assert (flat[2] - flat[0]) / (flat[3] - flat[1]) == pytest.approx(math.sqrt(3) / 2, rel=0.01)
    with pytest.raises(ValueError):
        tile_geojson(gap=1.0)


# ------------------------------------------------------------------------------------------
# the shipped file and the command that makes it


def test_build_boundaries_writes_the_kent_districts_with_attribution(
    tmp_path: Path, raw_kent, raw_medway
) -> None:
    source = tmp_path / "Local_Authority_Districts_2013.gpkg"
    keep = ["lad_code", "name_in_source", "geometry"]
    ons = gpd.GeoDataFrame(
        pd.concat([raw_medway[keep], raw_kent[keep]], ignore_index=True), crs="EPSG:4326"
    ).rename(columns={"lad_code": "LAD13CD", "name_in_source": "LAD13NM"})
    ons.to_crs(epsg=27700).to_file(source, driver="GPKG")

    written = build_boundaries(source, tmp_path / "out" / "kent.geojson")

    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["source"] == source.name  # a file name, never a machine path
    assert "Open Government Licence" in document["attribution"]
    assert [f["id"] for f in document["features"]] == list(KENT_DISTRICTS)
    assert [f["properties"]["name"] for f in document["features"]][7] == "Folkestone and Hythe"
    for _code, ring in _exteriors(document):
        assert not exterior_is_clockwise(ring)  # RFC 7946, like any GeoJSON file
    _assert_kent(load_boundaries(written))


def test_build_boundaries_writes_nothing_from_an_unusable_file(tmp_path: Path, raw_kent) -> None:
    source = tmp_path / "eleven.geojson"
    raw_kent[raw_kent["lad_code"] != "E07000114"].to_file(source, driver="GeoJSON")
    target = tmp_path / "out.geojson"
    with pytest.raises(BoundaryError, match="E07000114|Thanet"):
        build_boundaries(source, target)
    assert not target.exists() and list(tmp_path.iterdir()) == [source]


def test_the_shipped_file_is_small_attributed_and_made_by_the_build_command() -> None:
    document = json.loads(KENT_FILE.read_text(encoding="utf-8"))
    assert KENT_FILE.stat().st_size < 300_000
    assert document["attribution"] == geo.BOUNDARY_ATTRIBUTION
    assert [f["id"] for f in document["features"]] == list(KENT_DISTRICTS)
    assert (KENT_FILE.parent / "SOURCE.md").is_file()


def test_boundaries_build_command(tmp_path: Path, raw_kent, capsys) -> None:
    from dashboard.__main__ import main

    source = tmp_path / "ons.geojson"
    raw_kent.to_file(source, driver="GeoJSON")
    target = tmp_path / "kent.geojson"
    assert main(["boundaries", "build", str(source), "--out", str(target)]) == 0
    assert "12 of 12" in capsys.readouterr().out
    assert json.loads(target.read_text(encoding="utf-8"))["source"] == "ons.geojson"
