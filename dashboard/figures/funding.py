"""Funding figures: split by commissioner, NHS share, funding over time, and the flow."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.figures.common import LABEL_SIZE, label_demo, status_pattern, status_symbol
from dashboard.theme import (
    BACKGROUND,
    CATEGORICAL,
    COMMISSIONERS,
    MUTED_TEXT,
    TEXT,
    halo,
    text_colour_on,
    with_alpha,
)


def split_bars(table: pd.DataFrame, *, statuses) -> go.Figure:
    """Horizontal stacked bars, KCC and NHS, with amounts written on the bars."""
    status = statuses[0] if statuses else "published"
    figure = go.Figure()
    for kind, label in (("council", "KCC"), ("nhs", "NHS")):
        # A patterned bar is drawn on the page colour, so its text is read against that.
        patterned = kind == "nhs" or bool(status_pattern(status))
        fill = BACKGROUND if patterned else COMMISSIONERS[kind]
        figure.add_bar(
            y=table["name"],
            x=table[kind],
            name=label,
            orientation="h",
            marker={
                "color": COMMISSIONERS[kind],
                "pattern": {
                    "shape": "x" if kind == "nhs" else status_pattern(status),
                    "fgcolor": COMMISSIONERS[kind],
                    "bgcolor": BACKGROUND,
                    "solidity": 0.25,
                }
                if patterned
                else None,
                "line": {"color": COMMISSIONERS[kind], "width": 1.5},
            },
            text=[f"{label} {formatting.format_money(v)}" if v else "" for v in table[kind]],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": text_colour_on(fill), "size": LABEL_SIZE + 1},
            hovertemplate="%{y}<br>" + label + ": %{text}<extra></extra>",
        )
    figure.update_layout(
        barmode="stack",
        xaxis={"title": "Allocation (£)", "tickprefix": "£", "tickformat": "~s"},
        yaxis={"autorange": "reversed", "title": ""},
        height=320,
        legend={"orientation": "h", "y": -0.25},
    )
    return label_demo(figure, statuses)


def share_bars(table: pd.DataFrame, *, statuses) -> go.Figure:
    """NHS share of each service line as bars labelled with the percentage."""
    figure = go.Figure(
        go.Bar(
            y=table["name"],
            x=table["nhs_share"],
            orientation="h",
            marker={"color": COMMISSIONERS["nhs"]},
            text=[formatting.format_percent(v) for v in table["nhs_share"]],
            textposition="outside",
            hovertemplate="%{y}: %{text} NHS<extra></extra>",
            showlegend=False,
        )
    )
    figure.update_layout(
        xaxis={"title": "NHS share of allocation (%)", "range": [0, 100], "ticksuffix": "%"},
        yaxis={"autorange": "reversed", "title": ""},
        height=280,
    )
    return label_demo(figure, statuses)


SERIES_COLOURS = {"KCC": COMMISSIONERS["council"], "NHS": COMMISSIONERS["nhs"]}


def over_time(frame: pd.DataFrame) -> go.Figure:
    """Demo totals as dotted lines, published figures as large markers, a symbol per status."""
    figure = go.Figure()
    for series, rows in frame.groupby("series", sort=False):
        status = rows["status"].iloc[0]
        commissioner = series.split(" ")[0]
        figure.add_scatter(
            x=rows["label"],
            y=rows["amount"],
            name=series,
            mode="lines+markers" if status == "demo" else "markers",
            line={"dash": "dot", "color": SERIES_COLOURS.get(commissioner, MUTED_TEXT)},
            marker={
                "symbol": status_symbol(status),
                "size": 8 if status == "demo" else 13,
                "color": SERIES_COLOURS.get(commissioner, MUTED_TEXT),
                "line": {"width": 1, "color": BACKGROUND},
            },
            customdata=[
                [formatting.format_money(amount), note]
                for amount, note in zip(rows["amount"], rows["note"], strict=True)
            ],
            hovertemplate="%{x}: %{customdata[0]}<br>%{customdata[1]}<extra>" + series + "</extra>",
        )
    ordered = frame.drop_duplicates("label")["label"].tolist()
    figure.update_layout(
        xaxis={"title": "Financial year", "categoryorder": "array", "categoryarray": ordered},
        yaxis={"title": "Amount (£)", "tickprefix": "£", "tickformat": "~s", "rangemode": "tozero"},
        height=400,
        legend={"orientation": "h", "y": -0.3},
    )
    return label_demo(figure, set(frame["status"]))


def flow_sankey(table: pd.DataFrame) -> go.Figure:
    """Commissioner -> service line -> locality flows sized by amount, coloured by commissioner.

    ``table`` has commissioner (council, nhs...), commissioner_name, service_line_name,
    locality_name and amount. Every ribbon keeps its commissioner's colour through the service
    line to the locality, so a reader can follow KCC's and the NHS's money separately; nodes are
    ordered largest first to keep ribbons from crossing, and labels carry a white halo where
    they lie over ribbons.
    """
    first = _flows(table, ["commissioner", "commissioner_name", "service_line_name"])
    second = _flows(table, ["commissioner", "service_line_name", "locality_name"])
    commissioners = _largest_first(table, "commissioner_name")
    lines = _largest_first(table, "service_line_name")
    localities = _largest_first(table, "locality_name")
    labels = commissioners + lines + localities
    index = {name: i for i, name in enumerate(labels)}
    totals = {
        name: table.loc[table[column] == name, "amount"].sum()
        for column, names in (
            ("commissioner_name", commissioners),
            ("service_line_name", lines),
            ("locality_name", localities),
        )
        for name in names
    }
    kinds = dict(zip(table["commissioner_name"], table["commissioner"], strict=False))
    link_kinds = list(first["commissioner"]) + list(second["commissioner"])
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [f"{name} {formatting.format_money(totals[name])}" for name in labels],
                "color": [_commissioner_colour(kinds[name]) for name in commissioners]
                + [MUTED_TEXT] * (len(lines) + len(localities)),
                "line": {"color": BACKGROUND, "width": 1},
                "pad": 18,
                "thickness": 16,
                "hovertemplate": "%{label}<extra></extra>",
            },
            link={
                "source": [index[n] for n in first["commissioner_name"]]
                + [index[n] for n in second["service_line_name"]],
                "target": [index[n] for n in first["service_line_name"]]
                + [index[n] for n in second["locality_name"]],
                "value": list(first["amount"]) + list(second["amount"]),
                "color": [with_alpha(_commissioner_colour(kind), 0.45) for kind in link_kinds],
                "customdata": [
                    f"{_COMMISSIONER_WORDS.get(kind, kind)}: {formatting.format_money(value)}"
                    for kind, value in zip(
                        link_kinds, [*first["amount"], *second["amount"]], strict=True
                    )
                ],
                "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}"
                "<extra></extra>",
            },
            textfont={"size": LABEL_SIZE + 1, "color": TEXT, "shadow": halo(BACKGROUND)},
        )
    )
    figure.update_layout(
        height=max(380, 30 * max(len(commissioners), len(lines), len(localities)) + 200),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return label_demo(figure, {"demo"})


_COMMISSIONER_WORDS = {"council": "KCC", "nhs": "NHS"}


def _commissioner_colour(kind: str) -> str:
    return COMMISSIONERS.get(kind, CATEGORICAL[2])


def _flows(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return table.groupby(keys, as_index=False, sort=False)["amount"].sum()


def _largest_first(table: pd.DataFrame, column: str) -> list[str]:
    return table.groupby(column)["amount"].sum().sort_values(ascending=False).index.tolist()
