"""Funding figures: split by commissioner, NHS share, funding over time, and the flow."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.figures.common import label_demo, status_pattern, status_symbol
from dashboard.theme import BACKGROUND, CATEGORICAL, COMMISSIONERS, MUTED_TEXT, TEXT


def split_bars(table: pd.DataFrame, *, statuses) -> go.Figure:
    """Horizontal stacked bars, KCC and NHS, with amounts written on the bars."""
    status = statuses[0] if statuses else "published"
    figure = go.Figure()
    for kind, label in (("council", "KCC"), ("nhs", "NHS")):
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
                if kind == "nhs" or status_pattern(status)
                else None,
                "line": {"color": COMMISSIONERS[kind], "width": 1.5},
            },
            text=[f"{label} {formatting.format_money(v)}" if v else "" for v in table[kind]],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": TEXT if kind == "nhs" or status_pattern(status) else BACKGROUND},
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
    """Funder -> service line -> locality flows sized by amount."""
    funders = list(dict.fromkeys(table["funder_name"]))
    lines = list(dict.fromkeys(table["service_line_name"]))
    localities = list(dict.fromkeys(table["locality_name"]))
    labels = funders + lines + localities
    index = {name: i for i, name in enumerate(labels)}
    first = table.groupby(["funder_name", "service_line_name"], as_index=False)["amount"].sum()
    second = table.groupby(["service_line_name", "locality_name"], as_index=False)["amount"].sum()
    sources = [index[n] for n in first["funder_name"]] + [
        index[n] for n in second["service_line_name"]
    ]
    targets = [index[n] for n in first["service_line_name"]] + [
        index[n] for n in second["locality_name"]
    ]
    values = list(first["amount"]) + list(second["amount"])
    totals = {
        **table.groupby("funder_name")["amount"].sum().to_dict(),
        **table.groupby("service_line_name")["amount"].sum().to_dict(),
        **table.groupby("locality_name")["amount"].sum().to_dict(),
    }
    colours = (
        [CATEGORICAL[0]] * len(funders)
        + [CATEGORICAL[1]] * len(lines)
        + [CATEGORICAL[5]] * len(localities)
    )
    figure = go.Figure(
        go.Sankey(
            node={
                "label": [f"{name} {formatting.format_money(totals[name])}" for name in labels],
                "color": colours,
                "pad": 12,
                "thickness": 14,
            },
            link={
                "source": sources,
                "target": targets,
                "value": values,
                "customdata": [formatting.format_money(v) for v in values],
                "hovertemplate": "%{source.label} → %{target.label}: %{customdata}<extra></extra>",
            },
        )
    )
    figure.update_layout(height=max(360, 26 * len(labels)))
    return label_demo(figure, {"demo"})
