"""Short breaks figures: hours by type, unsocial share, crisis referrals, outcomes, 2009/10, SPC.

Demo bars are hatched and demo points are triangles; published bars are solid and published
points are large circles with their value written beside them, so status never rests on colour.
Suppressed counts ("<5") are left out of the chart and say "<5" on hover.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.figures.common import (
    LABEL_SIZE,
    LINE_HEIGHT,
    TICK_LABEL_GAP,
    TrendSeries,
    add_to_layout,
    label_demo,
    label_trends,
    panel_axes,
    panel_layout,
    panels,
    set_properties,
    status_pattern,
    status_symbol,
    text_box_size,
    value_axis,
    with_headroom,
)
from dashboard.periods import parse_period, years_from_to
from dashboard.theme import (
    BACKGROUND,
    CATEGORICAL,
    FONT_SIZE,
    GRID,
    MARGIN,
    MUTED_TEXT,
    STATUS_STYLE,
    TEXT,
    status_words,
    text_colour_on,
)

# Under a chart of periods: a row of level years, the axis title, a gap and a row or two of
# legend (placed at each chart's own "y", a share of its plot's height). Sized for slanted years
# (150 px), it left a legend about 60 px below the axis title.
PERIOD_MARGIN = {"t": 50, "b": 105}
PERIOD_TITLE_STANDOFF = 8
# The hours' legend takes two rows when published entries are in it and one when a care group
# has none: a bottom margin that followed it (105 or 119 px) made Plotly draw the chart twice on
# that change, as its automatic margins start from the last drawing's. It holds two.
HOURS_BOTTOM = 120


def period_axis(title: str = "Period") -> dict:
    """A period axis's ticks and title. Periods are written level where each has room and
    slanted only where they would touch (a phone, a narrow card): twelve years read level on a
    laptop, a projector and a report's page. The title's set distance keeps it under the labels
    as drawn: without it Plotly left the room of slanted labels above it."""
    return {"autotickangles": [0, -45], "title": {"text": title, "standoff": PERIOD_TITLE_STANDOFF}}


def _height(plot_height: int, margin: dict) -> int:
    """A figure's height for a plot of ``plot_height`` between its top and bottom margins."""
    return margin["t"] + plot_height + margin["b"]


def year_ticks(periods: Sequence[str], labels: Sequence[str]) -> dict:
    """Ticks for an axis of quarters (``periods``, written ``labels``): one at each financial
    year's first quarter shown, named by its year. Plotly's own choice for 48 quarters named
    every third one, slanted ("2013/14 Q1", "2013/14 Q4", "2014/15 Q3"), which took a slide's
    plot a third of its height and named a different quarter of each year; twelve years read
    level."""
    firsts = {}
    for slug, label in zip(periods, labels, strict=True):
        firsts.setdefault(years_from_to(slug, slug)[0].label, label)
    return {"tickmode": "array", "tickvals": list(firsts.values()), "ticktext": list(firsts)}


EMPTY_PANEL = f"No bars: every period is 0 or hidden as {SUPPRESSED_TEXT} (1 to 4)"
# More periods than this on an axis are named by year (``year_ticks``): 48 quarters slanted ran
# into one another, the legend and the axis title when a quarter was chosen.
MANY_PERIODS = 16


def many_period_ticks(frame: pd.DataFrame) -> dict:
    """``year_ticks`` for the periods of ``frame`` (period, label) when there are more than
    ``MANY_PERIODS`` of them, finer than years; nothing otherwise (Plotly's own ticks)."""
    first = frame.drop_duplicates("label")
    if len(first) <= MANY_PERIODS or all(parse_period(p).kind == "year" for p in first["period"]):
        return {}
    return year_ticks(first["period"], first["label"])


SIGNAL_MARKERS = {  # flag -> (legend name, symbol, size)
    "outside_limits": ("Outside the control limits", "x", 15),
    "run_of_8": ("Run of 8 on one side of the mean", "square-open", 19),
    "trend_of_6": ("Trend of 6 rising or falling", "diamond-open", 23),
    "two_of_three_near_limit": ("2 of 3 beyond 2 sigma", "star", 13),
}


def _numbers(values: pd.Series) -> pd.Series:
    """Numbers for plotting: suppressed "<5" cells become gaps."""
    return pd.to_numeric(values, errors="coerce")


def highlight_period(
    figure: go.Figure, order: list[str], selected: list[str], *, stacked: bool = False
) -> None:
    """Shade the chosen period(s) behind a categorical x axis and say so in words.

    ``stacked``: the figure is panels stacked in one column (``panels``), each shaded.
    Shapes and the label are added directly, as ``add_vrect`` would: it costs about 25 ms.
    """
    positions = [order.index(label) for label in selected if label in order]
    if not positions:
        return
    axes = ["x"]
    if stacked:  # the panels with a trace, as add_vrect(row="all") shades
        drawn = {trace.xaxis or "x" for trace in figure.data}
        axes = [
            axis for axis in ("x", *(f"x{n}" for n in range(2, len(drawn) + 2))) if axis in drawn
        ]
    add_to_layout(
        figure,
        "shapes",
        (
            {
                "type": "rect",
                "xref": axis,
                "yref": f"y{axis[1:]} domain",
                "x0": min(positions) - 0.5,
                "x1": max(positions) + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": GRID,
                "opacity": 0.6,
                "layer": "below",
                "line": {"width": 0},
            }
            for axis in axes
        ),
    )
    add_to_layout(
        figure,
        "annotations",
        (
            {
                "x": order[min(positions)],
                "y": 1,
                "yref": "paper",
                "text": "Selected",
                "showarrow": False,
                "yanchor": "bottom",
                "xanchor": "left" if min(positions) < len(order) / 2 else "right",
                "font": {"size": LABEL_SIZE, "color": MUTED_TEXT},
            },
        ),
    )


def _category_axis(figure: go.Figure, order: list[str], title: str, ticks: dict) -> None:
    _category_order(figure, order, **period_axis(title), **ticks)


def _category_order(figure: go.Figure, order: list[str], **more) -> None:
    """Every x axis lists the periods in ``order`` (``more``: other properties for each).

    Without Plotly's automatic margin (see ``value_axis``): the bottom margin is made to hold
    the period names, slanted as ``period_axis`` slants them where level ones would touch, and
    the axis title under them."""
    for axis in figure.select_xaxes():
        set_properties(
            axis,
            categoryorder="array",
            categoryarray=order,
            type="category",
            automargin=False,
            **more,
        )
    bottom = max(figure.layout.margin.b or MARGIN["b"], _periods_room(more.get("ticktext", order)))
    set_properties(figure.layout, margin={"b": bottom})


# The vertical reach of a label slanted by 45 degrees, as a share of its width plus its height.
SLANT_REACH = math.sin(math.radians(45))


def _periods_room(labels: Sequence[str]) -> int:
    """Pixels under a plot for period names slanted by 45 degrees and a one-line title."""
    width = max(text_box_size(label, FONT_SIZE)[0] for label in labels)
    slanted = (width + LINE_HEIGHT * FONT_SIZE) * SLANT_REACH
    title = PERIOD_TITLE_STANDOFF + LINE_HEIGHT * FONT_SIZE
    return math.ceil(TICK_LABEL_GAP + slanted + title)


def hours_bars(
    frame: pd.DataFrame, *, selected: str, statuses, total_category: str = "all types"
) -> go.Figure:
    """Hours stacked by type per period, with published totals as circles above the bars."""
    order = list(dict.fromkeys(frame["label"]))
    figure = go.Figure()
    types = frame[frame["category"] != total_category]
    for index, (category, rows) in enumerate(types.groupby("category", sort=False)):
        for status, part in rows.groupby("status", sort=False):
            texts = [
                formatting.format_value(v, "hours", qualifier=q or None)
                for v, q in zip(part["value"], part["qualifier"], strict=True)
            ]
            figure.add_bar(
                x=part["label"],
                y=part["value"],
                name=f"{category.capitalize()} ({status_words(status)})",
                offsetgroup="hours",
                marker={
                    "color": CATEGORICAL[index],
                    "pattern": {"shape": status_pattern(status)},
                    "line": {"color": BACKGROUND, "width": 0.5},
                },
                customdata=texts,
                hovertemplate=f"%{{x}}<br>{category}: %{{customdata}} ({status_words(status)})"
                "<extra></extra>",
            )
    _stack_totals(figure, types, frame, total_category, order)
    totals = frame[(frame["category"] == total_category) & (frame["status"] == "published")]
    if not totals.empty:
        texts = [
            f"{q} {formatting.format_count(v)}" if q else formatting.format_count(v)
            for v, q in zip(totals["value"], totals["qualifier"], strict=True)
        ]
        figure.add_scatter(
            x=totals["label"],
            y=totals["value"],
            name="All types, published total",
            mode="markers+text",
            marker={
                "symbol": status_symbol("published"),
                "size": 14,
                "color": STATUS_STYLE["published"]["colour"],
                "line": {"color": BACKGROUND, "width": 2},
            },
            text=texts,
            textposition="top center",
            textfont={"size": LABEL_SIZE, "color": TEXT},
            hovertemplate="%{x}: %{text} hours (published total)<extra></extra>",
        )
    set_properties(
        figure.layout,
        barmode="stack",
        height=440,
        legend={"orientation": "h", "y": -0.2},
        margin={**PERIOD_MARGIN, "b": HOURS_BOTTOM},
    )
    highest = with_headroom(_stack_heights(types, frame, total_category))[1]
    value_axis(figure, highest, title="Hours", range=[0, highest])
    _category_axis(figure, order, "Period", many_period_ticks(frame))
    highlight_period(figure, order, [selected])
    return label_demo(figure, statuses)


def _stack_totals(
    figure: go.Figure, types: pd.DataFrame, frame: pd.DataFrame, total_category: str, order
) -> None:
    """Each stack's total hours written above it, where no published total is shown instead."""
    published = set(
        frame.loc[(frame["category"] == total_category) & (frame["status"] == "published"), "label"]
    )
    if len(order) > LABELLED_PERIODS:
        return
    sums = _numbers(types["value"]).groupby(types["label"], sort=False).sum()
    sums = sums[[label not in published for label in sums.index]]
    if sums.empty:
        return
    figure.add_scatter(
        x=sums.index.tolist(),
        y=sums.tolist(),
        mode="text",
        text=[formatting.format_count(v) for v in sums],
        textposition="top center",
        textfont={"size": LABEL_SIZE, "color": TEXT},
        hoverinfo="skip",
        showlegend=False,
        name="Total hours",
        cliponaxis=False,
    )


def _status_key(figure: go.Figure, statuses, **where) -> None:
    """Legend entries explaining the marker shapes when published and demo points mix."""
    if len(set(statuses)) < 2:
        return
    for status in statuses:
        figure.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=f"{STATUS_STYLE[status]['label']} point",
            marker={"symbol": status_symbol(status), "size": 11, "color": MUTED_TEXT},
            hoverinfo="skip",
            **where,
        )


def _point_styles(statuses: pd.Series) -> dict:
    return {
        "symbol": [status_symbol(s) for s in statuses],
        "size": [14 if s == "published" else 8 for s in statuses],
    }


SHARE_PLOT_HEIGHT = 220


def share_lines(
    frame: pd.DataFrame, *, selected: str, statuses, total_category: str = "all types"
) -> go.Figure:
    """Unsocial-hours share per type over time; published points large circles.

    Each line's key shares (and every published one) are written beside their points.
    """
    order = list(dict.fromkeys(frame["label"]))
    figure = go.Figure()
    trends = []
    for index, (category, rows) in enumerate(frame.groupby("category", sort=False)):
        is_total = category == total_category
        figure.add_scatter(
            x=rows["label"],
            y=rows["value"],
            name=category.capitalize(),
            mode="lines+markers",
            line={"color": CATEGORICAL[index], "width": 3 if is_total else 2},
            marker={**_point_styles(rows["status"]), "color": CATEGORICAL[index]},
            customdata=[
                [formatting.format_percent(v), status_words(s)]
                for v, s in zip(rows["value"], rows["status"], strict=True)
            ],
            hovertemplate=f"%{{x}}<br>{category}: %{{customdata[0]}} (%{{customdata[1]}})"
            "<extra></extra>",
        )
        trends.append(_trend(rows, rows["value"], CATEGORICAL[index], formatting.format_percent))
    _status_key(figure, statuses)
    label_trends(
        figure,
        trends,
        categories=order,
        y_range=(0, 100),
        plot_height=SHARE_PLOT_HEIGHT,
    )
    set_properties(
        figure.layout,
        height=_height(SHARE_PLOT_HEIGHT, PERIOD_MARGIN),
        legend={"orientation": "h", "y": -0.25},
        margin=PERIOD_MARGIN,
    )
    value_axis(figure, 100, formatting.format_percent, title="Unsocial hours share (%)")
    _category_axis(figure, order, "Period", many_period_ticks(frame))
    highlight_period(figure, order, [selected])
    return label_demo(figure, statuses)


def _trend(rows: pd.DataFrame, values: pd.Series, colour: str, text) -> TrendSeries:
    """A line's points for :func:`label_trends`: published points are always labelled."""
    numbers = _numbers(values).astype(float).tolist()
    return TrendSeries(
        x=rows["label"].tolist(),
        y=numbers,
        texts=[text(v) for v in numbers],
        colour=colour,
        always=frozenset(i for i, s in enumerate(rows["status"]) if s == "published"),
    )


def _stack_heights(types: pd.DataFrame, frame: pd.DataFrame, total_category: str) -> pd.Series:
    totals = frame.loc[frame["category"] == total_category, "value"]
    return pd.concat([_numbers(types["value"]).groupby(types["label"]).sum(), _numbers(totals)])


# Up to this many periods, each bar has room for its value written above it; beyond that (for
# quarters) the values are in the chart's table.
LABELLED_PERIODS = 16


def _bars_by_status(figure, rows, *, name, colour, group, hover_value, **where) -> None:
    """One bar trace per status (solid published, hatched demo) sharing a bar slot."""
    labelled = rows["label"].nunique() <= LABELLED_PERIODS
    for status, part in rows.groupby("status", sort=False):
        numbers = _numbers(part["value"])
        figure.add_bar(
            text=[hover_value(v) for v in part["value"]] if labelled else None,
            textposition="outside",
            textangle=0,
            constraintext="none",
            cliponaxis=False,
            textfont={"size": LABEL_SIZE, "color": TEXT},
            x=part["label"],
            y=numbers,
            name=f"{name} ({status_words(status)})",
            offsetgroup=group,
            marker={"color": colour, "pattern": {"shape": status_pattern(status)}},
            customdata=[hover_value(v) for v in part["value"]],
            hovertemplate=f"%{{x}}<br>{name}: %{{customdata}} ({status_words(status)})"
            "<extra></extra>",
            **where,
        )


def _count_hover(value) -> str:
    return SUPPRESSED_TEXT if value == SUPPRESSED_TEXT else formatting.format_count(value)


CRISIS_PLOT_HEIGHT = 320


def crisis_panels(shown: pd.DataFrame, *, selected: str, share_name: str) -> go.Figure:
    """Crisis referrals as bars above the chosen group's share of them as a line.

    The share's key values (and every published one) are written beside its points.
    """
    order = list(dict.fromkeys(shown["label"]))
    # 0.1 between the panels: at 0.06, a slide's larger tick labels met at the gap (the
    # referrals' "0" on the share's "100%").
    figure = panels(2, spacing=0.1, sizes=[0.6, 0.4], shared=True)
    _bars_by_status(
        figure,
        shown,
        name="Crisis referrals",
        colour=CATEGORICAL[0],
        group="referrals",
        hover_value=_count_hover,
        **panel_axes(1),
    )
    share = _numbers(shown["share"])
    figure.add_scatter(
        x=shown["label"],
        y=share,
        name=share_name,
        mode="lines+markers",
        line={"color": CATEGORICAL[2]},
        marker={**_point_styles(shown["status"]), "color": CATEGORICAL[2]},
        customdata=[
            [SUPPRESSED_TEXT if v == SUPPRESSED_TEXT else formatting.format_percent(v), s]
            for v, s in zip(shown["share"], shown["status"].map(status_words), strict=True)
        ],
        hovertemplate=f"%{{x}}<br>{share_name}: %{{customdata[0]}} (%{{customdata[1]}})"
        "<extra></extra>",
        **panel_axes(2),
    )
    statuses = list(dict.fromkeys(shown["status"]))
    _status_key(figure, statuses, **panel_axes(2))
    bottom, top = figure.layout.yaxis2.domain
    label_trends(
        figure,
        [_trend(shown, shown["share"], CATEGORICAL[2], formatting.format_percent)],
        categories=order,
        y_range=(0, 100),
        plot_height=CRISIS_PLOT_HEIGHT * (top - bottom),
        axes=("x2", "y2"),
    )
    set_properties(
        figure.layout,
        height=_height(CRISIS_PLOT_HEIGHT, PERIOD_MARGIN),
        legend={"orientation": "h", "y": -0.19},
        margin=PERIOD_MARGIN,
        xaxis2=period_axis(),
    )
    highest = with_headroom(_numbers(shown["value"]))[1]
    value_axis(figure, highest, title="Referrals", range=[0, highest])
    # Three ticks on the short lower panel, as Plotly chose: six crowded it.
    value_axis(figure, 100, formatting.format_percent, axis="yaxis2", title="Share (%)", most=3)
    _category_order(figure, order, **many_period_ticks(shown))
    highlight_period(figure, order, [selected], stacked=True)
    return label_demo(figure, statuses)


def outcome_bars(shown: pd.DataFrame, *, selected: str) -> go.Figure:
    """Admissions and failed discharges prevented per period, one panel each (own scale)."""
    order = list(dict.fromkeys(shown["label"]))
    outcomes = list(dict.fromkeys(shown["outcome"]))
    figure = panels(len(outcomes), spacing=0.12, titles=outcomes, shared=True)
    for index, outcome in enumerate(outcomes):
        _bars_by_status(
            figure,
            shown[shown["outcome"] == outcome],
            name=outcome,
            colour=CATEGORICAL[index],
            # One slot for both panels: their x axes are matched, and Plotly set each outcome's
            # bars beside the other's slot (the top panel's left of each year, the bottom's right).
            group="outcomes",
            hover_value=_count_hover,
            **panel_axes(index + 1),
        )
        values = _numbers(shown.loc[shown["outcome"] == outcome, "value"])
        highest = with_headroom(values)[1]
        axis = panel_layout(index + 1)[1]
        value_axis(figure, highest, axis=axis, title="Number", range=[0, highest])
        if not (values > 0).any():
            # An empty panel on a bare 0-1 axis read as a chart that had failed to draw.
            panel = panel_axes(index + 1)
            add_to_layout(
                figure,
                "annotations",
                [
                    {
                        "x": 0.5,
                        "xref": f"{panel['xaxis']} domain",
                        "y": 0.5,
                        "yref": f"{panel['yaxis']} domain",
                        "text": EMPTY_PANEL,
                        "showarrow": False,
                        "font": {"size": LABEL_SIZE, "color": MUTED_TEXT},
                        "bgcolor": BACKGROUND,  # the gridlines pass behind the words
                    }
                ],
            )
    bottom_axis = panel_layout(len(outcomes))[0]
    set_properties(
        figure.layout,
        height=520,
        legend={"orientation": "h", "y": -0.155},
        margin=PERIOD_MARGIN,
        **{bottom_axis: period_axis()},
    )
    _category_order(figure, order, **many_period_ticks(shown))
    highlight_period(figure, order, [selected], stacked=True)
    return label_demo(figure, set(shown["status"]))


def published_grid(frame: pd.DataFrame) -> go.Figure:
    """The published figures as printed: one row per figure, one column per period."""
    periods = list(dict.fromkeys(frame["label"]))
    wide = frame.pivot_table(index="figure", columns="label", values="text", aggfunc="first")
    wide = wide.reindex(index=list(dict.fromkeys(frame["figure"])), columns=periods)
    cells = [wide.index.tolist()] + [
        [text if isinstance(text, str) else "not published" for text in wide[p]] for p in periods
    ]
    figure = go.Figure(
        go.Table(
            columnwidth=[3, 1.3, 1.6],
            header={
                "values": ["Figure (Kent, published ●)", *periods],
                "fill": {"color": STATUS_STYLE["published"]["colour"]},
                "font": {"color": BACKGROUND, "size": 14},
                "align": "left",
                "height": 32,
            },
            cells={
                "values": cells,
                "fill": {"color": BACKGROUND},
                "line": {"color": GRID},
                "font": {"color": TEXT, "size": 14},
                "align": "left",
                "height": 30,
            },
        )
    )
    set_properties(
        figure.layout, height=70 + 31 * len(wide), margin={"l": 10, "r": 10, "t": 10, "b": 10}
    )
    return figure


def _two_panel_bars(rows: pd.DataFrame, labels: list[str], bars) -> go.Figure:
    """Horizontal bars in side-by-side panels sharing the row labels."""
    titles = [title for title, _values, _texts in bars]
    figure = panels(len(bars), spacing=0.04, across=True, titles=titles, shared=True)
    for column, (title, values, texts) in enumerate(bars, start=1):
        figure.add_bar(
            y=labels,
            x=values,
            orientation="h",
            name=title,
            marker={"color": CATEGORICAL[column - 1]},
            text=texts,
            textposition=_text_positions(values),
            insidetextfont={"color": text_colour_on(CATEGORICAL[column - 1])},
            outsidetextfont={"color": TEXT},
            textangle=0,
            cliponaxis=False,
            hovertemplate="%{y}<br>" + title + ": %{text}<extra></extra>",
            showlegend=False,
            **panel_axes(column),
        )
        set_properties(
            figure.layout[panel_layout(column)[0]], showticklabels=False, rangemode="tozero"
        )
    for axis in figure.select_yaxes():
        set_properties(axis, autorange="reversed", automargin=True)
    set_properties(figure.layout, height=max(300, 70 + 42 * len(rows)), margin={"t": 40, "r": 30})
    return figure


def _text_positions(values) -> list[str]:
    """Each bar's value written inside it when the bar is at least half the longest, else
    beside it. Plotly's "auto" put a label beside a long bar whenever the slide's larger type
    did not fit inside, where the next panel covered it ("over 6…"); inside, Plotly shrinks a
    label that does not fit, and a short bar leaves at least half its panel for one beside it.
    """
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    longest = numbers.max()
    return [
        "inside" if pd.notna(value) and value > 0 and value >= longest / 2 else "outside"
        for value in numbers
    ]


def provider_bars(frame: pd.DataFrame) -> go.Figure:
    """2009/10 hours and people per provider, labelled with the published text."""
    labels = [
        f"{row.provider_name}, {row.category} ({row.area})"
        if row.category
        else f"{row.provider_name} ({row.area})"
        for row in frame.itertuples()
    ]
    people = frame["people"]
    return _two_panel_bars(
        frame,
        labels,
        [
            ("Short-break hours (published)", frame["hours"], frame["hours_text"]),
            (
                "People (published)",
                people,
                [text or "not published" for text in frame["people_text"]],
            ),
        ],
    )


def respite_bars(frame: pd.DataFrame) -> go.Figure:
    """2009/10 respite weeks and published total cost by area, client group and type."""
    labels = [
        f"{row.area} · {row.client_group} · {row.category}{'' if row.agrees else ' †'}"
        for row in frame.itertuples()
    ]
    costs = [
        "£" + formatting.format_count(cost) + ("" if agrees else " †")
        for cost, agrees in zip(frame["cost"], frame["agrees"], strict=True)
    ]
    return _two_panel_bars(
        frame,
        labels,
        [
            ("Weeks purchased (published)", frame["weeks"], frame["weeks"].map(_count_hover)),
            ("Total cost as published", frame["cost"], costs),
        ],
    )


# A plot of 325 px: at 460 high a slide, drawn at least 85% as tall, had a plot of 120 px under
# its four rows of legend. The bottom margin holds a row of years, the axis title and three rows
# of legend.
XMR_MARGIN = {"t": 50, "b": 135}
XMR_PLOT_HEIGHT = 325
# A slide gives the control chart's plot 886-1,782 px by 134-617 (measured in Chromium from
# 1024x768 to 1920x1080, a locality's two-line title): under its four rows of legend the plot
# is far shorter than on the page, and its labels, placed for the page, ran out of the plot
# into "Selected".
XMR_SLIDE_PLOT = ((880, 1790), (130, 620))


def xmr_figure(shown: pd.DataFrame, *, highlighted: list[str]) -> go.Figure:
    """XmR chart: values, mean, control limits, and run-rule signals with distinct shapes.

    The first, last, highest and lowest quarters' values are written beside their points.
    """
    order = shown["label"].tolist()
    values = _numbers(shown["value"])
    figure = go.Figure()
    figure.add_scatter(
        x=order,
        y=values,
        name="Crisis referrals (demo)",
        mode="lines+markers",
        line={"color": CATEGORICAL[0]},
        marker={"symbol": status_symbol("demo"), "size": 7, "color": CATEGORICAL[0]},
        customdata=shown["value"].map(_count_hover),
        hovertemplate="%{x}: %{customdata} crisis referrals<extra></extra>",
    )
    for column, name, dash in (
        ("mean", "Mean", "solid"),
        ("ucl", "Upper control limit", "dash"),
        ("lcl", "Lower control limit", "dash"),
    ):
        level = shown[column].iloc[0]
        figure.add_scatter(
            x=order,
            y=shown[column],
            name=f"{name} ({formatting.format_number(level, 1)})",
            mode="lines",
            line={"color": MUTED_TEXT if column == "mean" else CATEGORICAL[4], "dash": dash},
            hovertemplate=f"{name}: {formatting.format_number(level, 1)}<extra></extra>",
        )
    visible = values.notna()
    for index, (flag, (name, symbol, size)) in enumerate(SIGNAL_MARKERS.items()):
        points = shown[shown[flag] & visible]
        if points.empty:
            continue
        figure.add_scatter(
            x=points["label"],
            y=_numbers(points["value"]),
            name=f"Signal: {name}",
            mode="markers",
            marker={
                "symbol": symbol,
                "size": size,
                "color": CATEGORICAL[3 if index % 2 == 0 else 2],
                "line": {"width": 2, "color": CATEGORICAL[3 if index % 2 == 0 else 2]},
            },
            hovertemplate="%{x}: " + name + "<extra></extra>",
        )
    levels = [float(shown[column].iloc[0]) for column in ("mean", "ucl", "lcl")]
    top = max([*levels, float(values.max())] if visible.any() else levels)
    label_trends(
        figure,
        [_trend(shown, shown["value"], CATEGORICAL[0], _count_hover)],
        categories=order,
        y_range=(0.0, top * 1.15 if top > 0 else 1.0),
        plot_height=XMR_PLOT_HEIGHT,
        marker_radius=max(size for _name, _symbol, size in SIGNAL_MARKERS.values()) / 2,
        levels=levels,
        slide_plot=XMR_SLIDE_PLOT,
    )
    set_properties(
        figure.layout,
        height=_height(XMR_PLOT_HEIGHT, XMR_MARGIN),
        yaxis={"title": "Referrals"},  # a longer title ran past a slide's short plot
        legend={"orientation": "h", "y": -0.2},
        margin=XMR_MARGIN,
    )
    # Clear of the y axis's "0": the first year's name is written at the plot's left edge.
    _category_order(
        figure,
        order,
        **year_ticks(shown["period"], order),
        **period_axis("Quarter"),
        ticklabelstandoff=10,
    )
    highlight_period(figure, order, shown.loc[shown["period"].isin(highlighted), "label"].tolist())
    return label_demo(figure, {"demo"})
