"""Tests for dashboard.figures.maps: 12 features once each, rings the right way, no CDN, labels."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import geo
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.figures import maps
from dashboard.theme import BENCHMARK
from tests.support.geometry import exterior_is_clockwise, ring_encloses_small_area

CODES = list(geo.KENT_DISTRICTS)


@pytest.fixture(scope="module")
def boundaries(boundaries_path) -> dict:
    return geo.read_prepared(boundaries_path)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": CODES,
            "name": list(geo.KENT_DISTRICTS.values()),
            "rate": [float(i) for i in range(12)],
            "class": ["better", "similar", "worse", "not compared"] * 3,
            "count": [3, *range(100, 111)],
            "small": [True] + [False] * 11,
        }
    )


def _choropleths(figure):
    return [trace for trace in figure.data if trace.type == "choropleth"]


def _located(figure) -> list[str]:
    return [code for trace in _choropleths(figure) for code in trace.locations]


def _rings(collection: dict):
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            yield polygon[0]


@pytest.mark.parametrize("kind", ["tiles", "boundaries"])
def test_every_district_is_one_feature_and_no_ring_is_inside_out(kind, boundaries):
    geojson = boundaries if kind == "boundaries" else None
    figure = maps.district_map(
        _frame(), geojson=geojson, value="rate", label="Rate", unit="percent"
    )
    located = _located(figure)
    assert sorted(located) == sorted(CODES)  # 12 features, each exactly once
    collection = _choropleths(figure)[0].geojson
    assert len(collection["features"]) == 12
    for ring in _rings(collection):
        assert exterior_is_clockwise(ring)
        assert ring_encloses_small_area(ring)  # as d3-geo reads it: not the whole globe
    layout_geo = figure.layout.geo
    assert layout_geo.visible is False
    assert layout_geo.projection.type == "mercator"


def test_labels_come_first_so_plotly_fetches_no_base_map():
    figure = maps.district_map(_frame(), geojson=None, value="rate", label="Rate", unit="percent")
    first = figure.data[0]
    assert first.type == "scattergeo"
    assert first.locationmode is None and first.locations is None
    assert list(first.customdata) == CODES
    centres = geo.tile_centres()
    assert (first.lon[0], first.lat[0]) == centres[CODES[0]]
    assert first.text[0] == "Ashford<br>0%"
    assert maps.GRAPH_CONFIG == {"topojsonURL": maps.TOPOJSON_PATH}


def test_value_mode_has_a_colour_bar_naming_the_unit_and_values_as_given():
    figure = maps.district_map(_frame(), geojson=None, value="rate", label="Rate", unit="percent")
    (values,) = _choropleths(figure)
    assert list(values.z) == [float(i) for i in range(12)]
    assert values.colorbar.title.text == "Rate<br>(%)"
    assert figure.layout.showlegend is False
    hover = values.hovertext[3]
    assert hover.startswith("<b>Dover</b><br>Rate: 3%")


def test_comparison_mode_uses_benchmark_colours_a_legend_and_writes_the_class():
    figure = maps.district_map(
        _frame(),
        geojson=None,
        value="rate",
        label="Rate",
        unit="percent",
        colour_mode="comparison",
        comparison="class",
    )
    traces = {trace.name: trace for trace in _choropleths(figure)}
    assert set(traces) == {"Better", "Similar", "Worse", "Not compared (no fill)"}
    assert traces["Worse"].colorscale[0][1] == BENCHMARK["worse"]
    assert list(traces["Better"].locations) == CODES[0::4]
    assert figure.layout.showlegend is True
    labels = figure.data[0].text
    assert labels[2] == "Dartford<br>2% (worse)"
    assert labels[3] == "Dover<br>3% (n/c)"
    # white text on the dark green and red fills, dark text on yellow
    colours = dict(zip(figure.data[0].customdata, figure.data[0].textfont.color, strict=True))
    assert colours[CODES[0]] == "#FFFFFF" and colours[CODES[1]] != "#FFFFFF"


def test_suppressed_counts_show_less_than_five_and_no_colour_but_stay_a_feature():
    frame = _frame()
    before = frame.copy()
    figure = maps.district_map(
        frame, geojson=None, value="count", label="Carers", unit="count", suppressed="small"
    )
    pd.testing.assert_frame_equal(frame, before)  # input not mutated
    assert sorted(_located(figure)) == sorted(CODES)
    coloured, missing = _choropleths(figure)
    assert CODES[0] not in coloured.locations
    assert list(missing.locations) == [CODES[0]]
    assert figure.data[0].text[0] == f"Ashford<br>{SUPPRESSED_TEXT}"
    assert f"Carers: {SUPPRESSED_TEXT}" in missing.hovertext[0]
    assert "3" not in missing.hovertext[0].split("Carers: ")[1]


def test_missing_values_say_no_data():
    frame = _frame().assign(rate=lambda f: f["rate"].where(f["code"] != CODES[5]))
    figure = maps.district_map(frame, geojson=None, value="rate", label="Rate", unit="percent")
    assert figure.data[0].text[5] == "Maidstone<br>no data"
    assert len(_choropleths(figure)) == 2


def test_highlight_and_partial_outlines():
    figure = maps.district_map(
        _frame(),
        geojson=None,
        value="rate",
        label="Rate",
        unit="percent",
        highlight={CODES[6], CODES[10]},
        partial={CODES[6]},
    )
    (values,) = _choropleths(figure)
    widths = dict(zip(values.locations, values.marker.line.width, strict=True))
    assert widths[CODES[10]] == 5.0 and widths[CODES[6]] == 2.5 and widths[CODES[0]] == 1.0
    assert figure.data[0].text[6].startswith("Sevenoaks (part)")


def test_boundary_labels_sit_inside_their_district(boundaries):
    import shapely.geometry

    points = maps.label_points(boundaries)
    for feature in boundaries["features"]:
        shape = shapely.geometry.shape(feature["geometry"])
        assert shape.contains(shapely.geometry.Point(points[feature["id"]]))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="colour_mode"):
        maps.district_map(
            _frame(), geojson=None, value="rate", label="", unit="count", colour_mode="both"
        )
    with pytest.raises(ValueError, match="comparison column"):
        maps.district_map(
            _frame(), geojson=None, value="rate", label="", unit="count", colour_mode="comparison"
        )


def test_labels_and_hover_show_the_decimals_asked_for():
    frame = _frame().assign(rate=[1.6, 2.4, *[float(i) for i in range(10)]])
    whole = maps.district_map(frame, geojson=None, value="rate", label="Rate", unit="percent")
    tenths = maps.district_map(
        frame, geojson=None, value="rate", label="Rate", unit="percent", decimals=1
    )
    assert list(whole.data[0].text[:2]) == [f"{name}<br>2%" for name in frame["name"][:2]]
    assert list(tenths.data[0].text[:2]) == [
        f"{frame['name'][0]}<br>1.6%",
        f"{frame['name'][1]}<br>2.4%",
    ]
    values = _choropleths(tenths)[0]
    assert f"<b>{frame['name'][1]}</b><br>Rate: 2.4%" in values.hovertext[1]
    # Hover lines in the map's unit follow its decimals; the mapped column is not repeated.
    share = frame.assign(share=frame["rate"], people=frame["count"])
    columns = (
        ("share", "Share", "percent"),
        ("people", "People", "count"),
        ("rate", "R", "percent"),
    )
    hover = maps.district_map(
        share,
        geojson=None,
        value="rate",
        label="Rate",
        unit="percent",
        decimals=1,
        hover_columns=columns,
    )
    text = _choropleths(hover)[0].hovertext[1]
    assert "Share: 2.4%" in text and "People: 100" in text and "R:" not in text
