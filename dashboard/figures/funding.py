"""Funding figures: split by commissioner, NHS share, funding over time, and the flow."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.figures.common import (
    LABEL_SIZE,
    TrendSeries,
    label_demo,
    label_trends,
    money_ticks,
    set_properties,
    status_pattern,
    status_symbol,
    with_headroom,
)
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
            # Ringed in the page colour on a patterned bar: the hatching ran through the
            # letters, which were hard to read on screen and worse on paper.
            textfont={
                "color": text_colour_on(fill),
                "size": LABEL_SIZE + 1,
                **({"shadow": halo(fill, width=2)} if patterned else {}),
            },
            hovertemplate="%{y}<br>" + label + ": %{text}<extra></extra>",
        )
    set_properties(
        figure.layout,
        barmode="stack",
        xaxis={
            "title": "Allocation (£)",
            **money_ticks(table[["council", "nhs"]].sum(axis=1).max()),
        },
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
    set_properties(
        figure.layout,
        xaxis={"title": "NHS share of allocation (%)", "range": [0, 100], "ticksuffix": "%"},
        yaxis={"autorange": "reversed", "title": ""},
        height=280,
    )
    return label_demo(figure, statuses)


SERIES_COLOURS = {"KCC": COMMISSIONERS["council"], "NHS": COMMISSIONERS["nhs"]}


OVER_TIME_HEIGHT = 400
OVER_TIME_MARGIN = {"t": 30, "b": 130}


def over_time(frame: pd.DataFrame, years: list[str]) -> go.Figure:
    """Demo totals as dotted lines, published figures as large markers, a symbol per status,
    along ``years`` (every year's label, those with no figure too).

    The key amounts are written beside their points (:func:`label_trends`): every published
    point, and each line's first, last, highest and lowest year.
    """
    figure = go.Figure()
    trends = []
    for series, rows in frame.groupby("series", sort=False):
        status = rows["status"].iloc[0]
        funder = series.rsplit(" (", 1)[0]  # "KCC", "NHS" or "KCC and NHS combined"
        colour = SERIES_COLOURS.get(funder, MUTED_TEXT)
        # A combined total is drawn hollow as well as grey, so that it is never told from KCC's
        # own points by colour alone.
        combined = funder not in SERIES_COLOURS
        figure.add_scatter(
            x=rows["label"],
            y=rows["amount"],
            name=series,
            mode="lines+markers" if status == "demo" else "markers",
            line={"dash": "dot", "color": colour},
            marker={
                "symbol": status_symbol(status) + ("-open" if combined else ""),
                "size": 8 if status == "demo" else 13,
                "color": colour,
                "line": {"width": 2.5, "color": colour}
                if combined
                else {"width": 1, "color": BACKGROUND},
            },
            customdata=[
                [formatting.format_money(amount), note]
                for amount, note in zip(rows["amount"], rows["note"], strict=True)
            ],
            hovertemplate="%{x}: %{customdata[0]}<br>%{customdata[1]}<extra>" + series + "</extra>",
        )
        amounts = rows["amount"].astype(float).tolist()
        trends.append(
            TrendSeries(
                x=rows["label"].tolist(),
                y=amounts,
                texts=[formatting.format_money(amount) for amount in amounts],
                colour=colour,
                always=frozenset(range(len(amounts))) if status == "published" else frozenset(),
            )
        )
    ordered = list(years)
    y_range = tuple(with_headroom(frame["amount"]))
    label_trends(
        figure,
        trends,
        categories=ordered,
        y_range=y_range,
        plot_height=OVER_TIME_HEIGHT - OVER_TIME_MARGIN["t"] - OVER_TIME_MARGIN["b"],
        marker_radius=7,
    )
    set_properties(
        figure.layout,
        xaxis={"title": "Financial year", "categoryorder": "array", "categoryarray": ordered},
        yaxis={"title": "Amount (£)", **money_ticks(y_range[1])},
        height=OVER_TIME_HEIGHT,
        margin=OVER_TIME_MARGIN,
        legend={"orientation": "h", "y": -0.3, "yanchor": "top"},
    )
    return label_demo(figure, set(frame["status"]))


def flow_sankey(table: pd.DataFrame) -> go.Figure:
    """Commissioner -> service line -> locality flows sized by amount, coloured by commissioner.

    ``table`` has commissioner (council, nhs...), commissioner_name, service_line_name,
    locality_name and amount. Every ribbon keeps its commissioner's colour through the service
    line to the locality, so a reader can follow KCC's and the NHS's money separately. Nodes
    are stacked in the order with the least crossing (:func:`flow_order`), and the ribbons at
    each node in the order of their other ends, both kept as given (``sort="input"``) rather
    than Plotly's own layout order; labels carry a white halo where they lie over ribbons.
    """
    first = _flows(table, ["commissioner", "commissioner_name", "service_line_name"])
    second = _flows(table, ["commissioner", "service_line_name", "locality_name"])
    commissioners, lines, localities = flow_order(
        _largest_first(table, "commissioner_name"),
        _largest_first(table, "service_line_name"),
        _largest_first(table, "locality_name"),
        _links(first, "commissioner_name", "service_line_name"),
        _links(second, "service_line_name", "locality_name"),
    )
    columns = (commissioners, lines, localities)
    labels = [name for column in columns for name in column]
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
    # Ribbons listed top-down at both ends, the order Plotly stacks them in at each node.
    links = pd.concat(
        [
            first.assign(source=first["commissioner_name"], target=first["service_line_name"]),
            second.assign(source=second["service_line_name"], target=second["locality_name"]),
        ]
    )
    commissioner_rank = {kinds[name]: i for i, name in enumerate(commissioners)}
    links = links.assign(
        source=links["source"].map(index),
        target=links["target"].map(index),
        rank=links["commissioner"].map(commissioner_rank),
    ).sort_values(["source", "target", "rank"])
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
                "sort": "input",
                "hovertemplate": "%{label}<extra></extra>",
            },
            link={
                "sort": "input",
                "source": links["source"].tolist(),
                "target": links["target"].tolist(),
                "value": links["amount"].tolist(),
                "color": [
                    with_alpha(_commissioner_colour(kind), 0.45) for kind in links["commissioner"]
                ],
                "customdata": [
                    f"{_COMMISSIONER_WORDS.get(kind, kind)}: {formatting.format_money(value)}"
                    for kind, value in zip(links["commissioner"], links["amount"], strict=True)
                ],
                "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}"
                "<extra></extra>",
            },
            textfont={"size": LABEL_SIZE + 1, "color": TEXT, "shadow": halo(BACKGROUND)},
        )
    )
    set_properties(
        figure.layout,
        height=max(380, 30 * max(len(column) for column in columns) + 200),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return label_demo(figure, {"demo"})


def link_crossings(
    left: Sequence[str], right: Sequence[str], links: Iterable[tuple[str, str, float]]
) -> float:
    """How much crossing there is between two columns stacked top-down in these orders.

    ``links`` are (left node, right node, width). Each pair of ribbons that cross counts the
    product of their widths, so two wide ribbons crossing weigh more than two threads (with
    widths of 1 it is the number of crossings). Ribbons sharing a node never cross (Plotly
    stacks them at the node in the order of their other ends), and two ribbons cross exactly
    when their ends are in opposite orders.
    """
    above = {name: i for i, name in enumerate(left)}
    below = {name: i for i, name in enumerate(right)}
    ends = [(above[a], below[b], width) for a, b, width in links]
    return sum(
        w1 * w2
        for (a1, b1, w1), (a2, b2, w2) in itertools.combinations(ends, 2)
        if (a1 - a2) * (b1 - b2) < 0
    )


# Every order of up to this many service lines is tried, and the funders and localities beside
# them are ordered exactly up to this many nodes; beyond either, the given (largest first) order.
_ORDERED_LINES = 6
_ORDERED_NODES = 10


def flow_order(
    commissioners: list[str],
    lines: list[str],
    localities: list[str],
    funding_links: list[tuple[str, str, float]],
    locality_links: list[tuple[str, str, float]],
) -> tuple[list[str], list[str], list[str]]:
    """The three columns' orders with the least crossing (:func:`link_crossings`).

    For each order of the service lines (the middle column), the best orders of the funders
    and of the localities beside it are independent, and each is found exactly
    (:func:`_fewest_crossings`). Among orders with equally few crossings the given orders
    (largest first) are kept where they can be.
    """
    middles = (
        itertools.permutations(lines) if len(lines) <= _ORDERED_LINES else iter([tuple(lines)])
    )
    best = None
    for middle in middles:
        position = {name: i for i, name in enumerate(middle)}
        left = _fewest_crossings(commissioners, funding_links, position)
        right = _fewest_crossings(localities, [(b, a, w) for a, b, w in locality_links], position)
        crossings = link_crossings(left, middle, funding_links) + link_crossings(
            middle, right, locality_links
        )
        if best is None or crossings < best[0]:
            best = (crossings, left, list(middle), right)
    return best[1], best[2], best[3]


def _fewest_crossings(
    free: list[str], links: list[tuple[str, str, float]], fixed: dict[str, int]
) -> list[str]:
    """The order of ``free`` nodes with the least crossing of their ``links`` (free node,
    fixed node, width) to nodes at the ``fixed`` positions: exact, by dynamic programming over
    the subsets placed first; ties go to the order nearest the given one."""
    if len(free) > _ORDERED_NODES:
        return list(free)
    ends = {
        name: [(fixed[other], width) for node, other, width in links if node == name]
        for name in free
    }
    # cost[i][j]: crossing between node i's and node j's ribbons when i is above j.
    cost = [
        [sum(w1 * w2 for p, w1 in ends[a] for q, w2 in ends[b] if q < p) for b in free]
        for a in free
    ]
    best = {0: (0, ())}
    for mask in range(1 << len(free)):
        if mask not in best:
            continue
        crossings, order = best[mask]
        for j in range(len(free)):
            if mask & (1 << j):
                continue
            added = crossings + sum(cost[i][j] for i in order)
            candidate = (added, (*order, j))
            key = mask | (1 << j)
            if key not in best or candidate < best[key]:
                best[key] = candidate
    return [free[i] for i in best[(1 << len(free)) - 1][1]]


_COMMISSIONER_WORDS = {"council": "KCC", "nhs": "NHS"}


def _commissioner_colour(kind: str) -> str:
    return COMMISSIONERS.get(kind, CATEGORICAL[2])


def _flows(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return table.groupby(keys, as_index=False, sort=False)["amount"].sum()


def _links(flows: pd.DataFrame, source: str, target: str) -> list[tuple[str, str, float]]:
    """(source, target, width in £m) of each ribbon."""
    return [
        (a, b, amount / 1e6)
        for a, b, amount in zip(flows[source], flows[target], flows["amount"], strict=True)
    ]


def _largest_first(table: pd.DataFrame, column: str) -> list[str]:
    return table.groupby(column)["amount"].sum().sort_values(ascending=False).index.tolist()
