"""Investment figures: ranked spend-per-head bars, the difference map, the rank-stability strip and
the district by care group heat map of spend per carer supported."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.figures.common import (
    DENSE_TICKS,
    LABEL_SIZE,
    add_to_layout,
    cell_edges,
    district_rows,
    label_demo,
    on_two_lines,
    outline_shapes,
    readable_heatmap,
    row_label,
    set_properties,
    status_pattern,
    status_symbol,
    text_box_size,
    value_column,
    vertical_line,
)
from dashboard.figures.maps import district_map
from dashboard.theme import (
    BACKGROUND,
    CATEGORICAL,
    DIVERGING,
    MUTED_TEXT,
    SEQUENTIAL,
    TEXT,
    halo,
    interpolate,
    text_colour_on,
)

BAND_LABELS = (
    "20% or more below Kent",
    "10% to 20% below Kent",
    "Within 10% of Kent",
    "10% to 20% above Kent",
    "20% or more above Kent",
)


GROUP_ANGLE = -60  # the heat map's care groups, slanted under its columns
# Pixels below the estimated slanted names: Plotly sets them off the axis, and a marked
# name's bold type runs wider than ``text_box_size`` estimates. Measured in Chromium for
# every care group marked, the widest took 151 px, 27 px more than its estimate.
SLANT_STANDOFF = 32

# Where one band ends and the next begins, in per cent from Kent (BAND_LABELS).
BAND_EDGES = (10, 20)


# As wide as the widest value per head the chart writes (hundreds of pounds a carer caring
# 50 hours or more, tenths of a per cent near a band's edge), so that its column's margin is
# the same for every selection and every denominator.
PER_HEAD_WIDEST = "£000.00 (−00.0%)"


def difference_text(difference: float | None) -> str:
    """A difference from Kent to the whole per cent, or to a tenth where the whole per cent
    would be a band's edge it does not reach or has passed (9.9% is not written "+10%" in the
    colour of "Within 10% of Kent")."""
    whole = formatting.format_change(difference)
    number = formatting.finite_number(difference)
    if number is not None and round(abs(number)) in BAND_EDGES and abs(number) not in BAND_EDGES:
        return formatting.format_change(difference, 1)
    return whole


def money_per_head(value: float | None) -> str:
    """Pounds and pence, because spend per resident is a few pounds: 5.2534 -> "£5.25"."""
    text = formatting.format_number(value, 2)
    return text if text == formatting.MISSING else f"£{text}"


def per_head_bars(
    frame: pd.DataFrame,
    *,
    kent_value: float,
    axis_title: str,
    highlight: set[str],
    statuses,
) -> go.Figure:
    """Horizontal bars, most spend at the top, one trace per comparison band, Kent as a line.

    ``frame`` has code, name, per_head, difference, band_index (rows of
    :func:`dashboard.views.investment.per_head_frame` without Kent). Bars are written with the
    amount and the difference from Kent; the chosen locality's districts' rows are outlined
    (``district_rows``).
    """
    rows = frame.sort_values("per_head", ascending=True)
    labels = dict(zip(rows["code"], rows["name"], strict=True))
    pattern = status_pattern("demo" if "demo" in statuses else "published")
    texts = {
        code: f"{money_per_head(value)} ({difference_text(difference)})"
        for code, value, difference in zip(
            rows["code"], rows["per_head"], rows["difference"], strict=True
        )
    }
    figure = go.Figure()
    for index, band in enumerate(BAND_LABELS):
        members = rows[rows["band_index"] == index]
        if members.empty:
            continue
        figure.add_bar(
            y=members["code"].map(labels),
            x=members["per_head"],
            orientation="h",
            name=band,
            marker={
                "color": DIVERGING[index],
                "pattern": {
                    "shape": pattern,
                    "fillmode": "overlay",
                    "fgcolor": TEXT,
                    "fgopacity": 0.3,
                },
                "line": {"color": MUTED_TEXT, "width": 1},
            },
            customdata=members[["name"]].assign(band=band, text=members["code"].map(texts)),
            hovertemplate="%{customdata[0]}: %{customdata[2]}<br>%{customdata[1]}<extra></extra>",
        )
    vertical_line(
        figure,
        kent_value,
        line={"color": TEXT, "dash": "dash", "width": 2},
        label={
            "text": f"Kent average {money_per_head(kent_value)}",
            "font": {"color": TEXT, "size": 13},
            "bgcolor": BACKGROUND,
        },
    )
    set_properties(
        figure.layout,
        barmode="overlay",
        xaxis={"title": axis_title, "tickprefix": "£", "tickformat": ",", "rangemode": "tozero"},
        height=460,
        # The bottom holds the legend's two rows, so that one row (fewer bands shown) does not
        # move the plot (``rows_margin``).
        margin={"t": 40, "b": 140},
        legend={"orientation": "h", "y": -0.25, "title": {"text": "Compared with Kent: "}},
    )
    district_rows(
        figure,
        labels.values(),
        outlined={name for code, name in labels.items() if code in highlight},
    )
    value_column(figure, list(labels.values()), list(texts.values()), PER_HEAD_WIDEST)
    return label_demo(figure, statuses)


def difference_map(
    frame: pd.DataFrame,
    *,
    geojson: dict | None,
    per_label: str,
    highlight: set[str],
    partial: set[str],
) -> go.Figure:
    """Districts coloured on a diverging scale by their difference from the Kent average.

    ``frame`` has code, name, difference (per cent), per_head_text and band.
    The shared :func:`district_map` draws a sequential scale; this recolours it with the theme's
    diverging scale centred on Kent, and writes each district's signed difference on the map.
    """
    figure = district_map(
        frame,
        geojson=geojson,
        value="difference",
        label="Difference from the Kent average",
        unit="percent",
        highlight=highlight,
        partial=partial,
        hover_columns=(
            ("per_head_text", f"Spend {per_label}", "gbp"),
            ("band", "Compared with Kent", "gbp"),
        ),
    )
    reach = max(float(frame["difference"].abs().max()), 1.0)
    last = len(DIVERGING) - 1
    figure.update_traces(
        selector={"type": "choropleth", "name": "Difference from the Kent average"},
        colorscale=[[i / last, colour] for i, colour in enumerate(DIVERGING)],
        zmin=-reach,
        zmax=reach,
        colorbar={"title": {"text": "Difference from<br>Kent average (%)"}, "ticksuffix": "%"},
    )
    _relabel(figure, frame, reach)
    return label_demo(figure, {"demo"})


def _relabel(figure: go.Figure, frame: pd.DataFrame, reach: float) -> None:
    """Signed differences on the labels, in whichever of white or near-black reads better."""
    labels = next(trace for trace in figure.data if trace.type == "scattergeo")
    if len(labels.text) != len(frame):
        return
    texts, fills = [], []
    for text, difference in zip(labels.text, frame["difference"], strict=True):
        name = text.rsplit("<br>", 1)[0]  # every line of the name, without the value line
        texts.append(f"{name}<br>{difference_text(difference)}")
        position = (difference + reach) / (2 * reach)
        # A district with no difference to show (no per-head figure) takes the neutral middle.
        fills.append(interpolate(DIVERGING, position if math.isfinite(position) else 0.5))
    labels.text = texts
    labels.textfont.color = [text_colour_on(fill) for fill in fills]
    labels.textfont.shadow = [halo(fill) for fill in fills]


def rank_strip(
    frame: pd.DataFrame,
    *,
    denominators: list[tuple[str, str]],
    emphasised: set[str],
    highlighted: set[str],
) -> go.Figure:
    """Each district's rank under each denominator, joined by a line, named at both ends.

    ``frame`` has code, name, rank_<key> and per_head_<key> for each (key, label) in
    ``denominators``, and rank_range. Emphasised districts are drawn heavier and in colour, and
    their right-hand label says how many places they move. Three traces, not one a district
    (Plotly's redraw takes about a quarter less): the lines of the others, the emphasised lines
    over them, and every district's points and names on top.
    """
    labels = [label for _key, label in denominators]
    lines = {False: ([], []), True: ([], [])}
    points = {key: [] for key in ("x", "y", "text", "position", "size", "colour", "customdata")}
    for row in frame.to_dict("records"):
        ranks = [row[f"rank_{key}"] for key, _label in denominators]
        values = [row[f"per_head_{key}"] for key, _label in denominators]
        strong = row["code"] in emphasised
        name = row_label(row["name"], row["code"] in highlighted)
        right = f"{name} (moves {row['rank_range']})" if strong else name
        xs, ys = lines[strong]
        xs += [*labels, None]  # None: a break between one district's line and the next
        ys += [*ranks, None]
        points["x"] += labels
        points["y"] += ranks
        points["text"] += [name, *([""] * (len(labels) - 2)), right]
        points["position"] += [
            "middle left",
            *(["middle center"] * (len(labels) - 2)),
            "middle right",
        ]
        points["size"] += [11 if strong else 8] * len(labels)
        points["colour"] += [CATEGORICAL[2] if strong else MUTED_TEXT] * len(labels)
        points["customdata"] += [
            [formatting.format_ordinal(rank), money_per_head(value), label.lower(), row["name"]]
            for rank, value, label in zip(ranks, values, labels, strict=True)
        ]
    figure = go.Figure()
    for strong, (xs, ys) in lines.items():
        if xs:
            figure.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="Emphasised districts" if strong else "Other districts",
                line={
                    "color": CATEGORICAL[2] if strong else MUTED_TEXT,
                    "width": 3 if strong else 1,
                },
                hoverinfo="skip",
                showlegend=False,
            )
    figure.add_scatter(
        x=points["x"],
        y=points["y"],
        mode="markers+text",
        name="Districts",
        # Opaque and unoutlined as one district's markers were: sizes given as a list make
        # Plotly draw a bubble chart, its markers 70% opaque and outlined, by default.
        marker={
            "symbol": status_symbol("demo"),
            "size": points["size"],
            "color": points["colour"],
            "opacity": 1,
            "line": {"width": 0},
        },
        text=points["text"],
        textposition=points["position"],
        cliponaxis=False,
        textfont={"color": TEXT, "size": 12},
        customdata=points["customdata"],
        hovertemplate="%{customdata[3]}: %{customdata[0]} %{customdata[2]} (%{customdata[1]})"
        "<extra></extra>",
        showlegend=False,
    )
    count = len(frame)
    set_properties(
        figure.layout,
        # Room inside the plot, left and right of the outer columns, for the district names.
        xaxis={"title": "", "side": "top", "showgrid": False, "range": [-1, len(labels)]},
        yaxis={
            # On two lines: on one, a slide's shorter plot cut it to "ank (1st = most …".
            "title": on_two_lines("Rank (1st = most spend per head)"),
            "autorange": "reversed",
            "tickvals": list(range(1, count + 1)),
            "ticktext": [formatting.format_ordinal(rank) for rank in range(1, count + 1)],
            "range": [count + 0.5, 0.5],
        },
        height=520,
        margin={"l": 70, "r": 20, "t": 70, "b": 30},
    )
    return label_demo(figure, {"demo"})


WRAP_GROUP_NAME = 12  # characters a care group's column name takes on one line


def care_group_heatmap(
    table: pd.DataFrame,
    *,
    district_order: list[str],
    group_order: list[str],
    highlight_districts: set[str],
    highlight_group: str | None,
) -> go.Figure:
    """Spend per carer supported, districts down and care groups across, value in every cell.

    ``table`` has code, name, care_group, group_name and per_carer (a number, "<5" where fewer
    than five carers were supported, NaN where none were). Suppressed and empty cells are left
    uncoloured and say why in the cell.
    """
    # A dict, not the frame indexed by (code, care group): one lookup per cell of 13 x 13.
    keys = zip(table["code"], table["care_group"], strict=True)
    cells = dict(zip(keys, table["per_carer"], strict=True))
    names = dict(zip(table["code"], table["name"], strict=False))
    group_names = dict(zip(table["care_group"], table["group_name"], strict=False))
    rows = [code for code in district_order if code in names]
    columns = [slug for slug in group_order if slug in group_names]
    values, texts = [], []
    for code in rows:
        row_values, row_texts = [], []
        for slug in columns:
            cell = cells[(code, slug)]
            if isinstance(cell, str):
                row_values.append(None)
                row_texts.append(SUPPRESSED_TEXT if cell == SUPPRESSED_TEXT else cell)
            elif pd.isna(cell):
                row_values.append(None)
                row_texts.append(formatting.MISSING)
            else:
                row_values.append(float(cell))
                row_texts.append(formatting.format_money(cell))
        values.append(row_values)
        texts.append(row_texts)
    row_names = [names[code] for code in rows]
    column_names = [_group_label(group_names[slug]) for slug in columns]
    figure = go.Figure()
    readable_heatmap(
        figure,
        z=values,
        x=column_names,
        y=row_names,
        text=texts,
        colours=SEQUENTIAL,
        font={"size": LABEL_SIZE},
        xgap=2,
        ygap=2,
        hoverongaps=False,
        colorbar={
            "title": {"text": "£ per carer<br>supported"},
            "tickprefix": "£",
            "tickformat": ",",
        },
        hovertemplate="%{y}, %{x}: %{customdata} per carer supported<extra></extra>",
    )
    chosen = columns.index(highlight_group) if highlight_group in columns else 0
    add_to_layout(
        figure,
        "shapes",
        outline_shapes(
            cell_edges(chosen, chosen, len(columns)), None, shown=highlight_group in columns
        ),
    )
    set_properties(
        figure.layout,
        # Without Plotly's automatic margin: the margin holds the names (``district_rows``).
        xaxis={
            "title": "",
            "tickangle": GROUP_ANGLE,
            "tickfont": DENSE_TICKS,
            "automargin": False,
        },
        height=520,
        margin={
            "r": 20,
            "t": 20,
            "b": _columns_margin([group_names[slug] for slug in columns]),
        },
        plot_bgcolor=BACKGROUND,
    )
    # The first row at the top, by a fixed range: "reversed" autorange is drawn again on every
    # redraw, cells unchanged or not.
    district_rows(
        figure,
        row_names,
        outlined={names[code] for code in rows if code in highlight_districts},
        range=[len(rows) - 0.5, -0.5],
        autorange=False,
    )
    return label_demo(figure, {"demo"})


def _columns_margin(names: list[str]) -> int:
    """A bottom margin holding each care group's column name (``_group_label``), slanted at
    ``GROUP_ANGLE``."""
    slant = math.radians(abs(GROUP_ANGLE))
    tallest = 0.0
    for name in names:
        width, height = text_box_size(_group_label(name), DENSE_TICKS["size"])
        tallest = max(tallest, width * math.sin(slant) + height * math.cos(slant))
    return math.ceil(tallest) + SLANT_STANDOFF


def _group_label(name: str) -> str:
    """A column's care group, a long name on two lines: slanted on one line, "Young carers in
    transition" took 170 px under the plot, and a slide's larger type made the chart scroll."""
    return on_two_lines(name, WRAP_GROUP_NAME)
