"""Short breaks and crisis response: hours, unsocial hours, crisis referrals, outcomes, 2009/10.

Since 2013 one Kent-wide provider (Crossroads Care Kent) holds the short breaks contract. The
2016 committee report publishes Kent totals for 2015/16 and April-September 2016; demo quarterly
returns by district fill every other period and every locality. For a period with a published
figure the published one is shown and the demo rows, which add up to it by construction, are
never added to it. The 2009/10 provider and respite figures are shown exactly as published.
"""

from __future__ import annotations

import pandas as pd

from dashboard import formatting
from dashboard.charts import (
    ALL_CARE_GROUPS,
    BY_CARE_GROUP,
    ChartSpec,
    Column,
    suppress_small_counts,
    suppression_footnotes,
    unavailable_spec,
)
from dashboard.disclosure import SUPPRESSED_TEXT, is_small_count
from dashboard.figures import short_breaks as figures
from dashboard.periods import PeriodError, parse_period
from dashboard.rules import (
    APPORTIONED,
    COUNTY_ONLY,
    KENT_CODE,
    apportioned,
    county_figure_applies,
    is_district,
    latest_available,
    weakest_status,
)
from dashboard.stats import xmr_chart
from dashboard.views.common import DEMO_SOURCE, ViewContext, monitoring_source, statuses_of

SERVICE_PROVIDER = "crossroads-care-kent"
HOUR_TYPES = ("planned sitting", "crisis response", "health appointments")
ALL_TYPES = "all types"
PUBLISHED_PERIODS = ("2015-16", "2016-17-h1")
PUBLISHED_SECTIONS = ("§5.6", "§5.7")
HISTORIC_YEAR = "2009-10"
# The service lines the short-break trends are about, for the events they mark.
SHORT_BREAK_LINES = ("short-breaks-contracted", "short-breaks-grant")

CALIBRATED = (
    "Demo quarterly returns for 2015/16 and April–September 2016 add up to the published totals "
    "by construction; where a published figure exists it is shown instead, never added to them."
)
PERIOD_KINDS = (
    "Periods follow the kind of period chosen (year, half-year or quarter). The published 2015/16 "
    "figures appear when years are shown and the April–September 2016 figures when half-years "
    "are shown; all of them are listed in the published figures chart on this page."
)
PUBLISHED_ONLY_KENT = (
    "Published figures are for Kent as a whole: with a locality or care group chosen, every "
    "period shows demo returns."
)
SPC_RULES = (
    "Control limits are the mean ± 3 sigma, sigma = mean moving range ÷ 1.128 (XmR chart). "
    "Signals of special-cause variation: a point outside the limits (✕), a run of 8 or more "
    "quarters on one side of the mean (□), a trend of 6 or more quarters rising or falling (◇), "
    "and 2 of 3 quarters beyond 2 sigma on the same side (★)."
)
SPC_MINIMUM_MEAN = 5
"""Below this quarterly mean most points are small counts and the limits say little."""
SIGNALS = {
    "outside_limits": "Outside the control limits",
    "run_of_8": "Run of 8 on one side of the mean",
    "trend_of_6": "Trend of 6 rising or falling",
    "two_of_three_near_limit": "2 of 3 beyond 2 sigma",
}
PUBLISHED_NAMES = {
    ("short-break-hours", ""): "Short-break hours delivered",
    ("unsocial-hours-share", ""): "Share of hours that were unsocial hours",
    ("short-break-hours", "crisis response"): "Crisis support hours",
    ("unsocial-hours-share", "crisis response"): "Share of crisis hours that were unsocial hours",
    ("short-break-hours", "health appointments"): "Replacement care hours for carers' appointments",
    ("carers-supported", "health appointments"): "People supported to attend their appointments",
    ("appointments-supported", ""): "Carers' own appointments attended",
    ("crisis-referrals", ""): "Crisis referrals",
    ("dementia-share", "crisis referrals"): "Share of crisis referrals for people with dementia",
    ("admissions-prevented", ""): "Emergency admissions prevented",
    ("failed-discharges-prevented", ""): "Failed hospital discharges prevented",
}
MEASURE_UNITS = {
    "short-break-hours": "hours",
    "unsocial-hours-share": "percent",
    "dementia-share": "percent",
}


# --------------------------------------------------------------------------------------------
# Periods: the over-time charts bin the quarterly returns at the granularity of the selection.


def granularity(context: ViewContext) -> str:
    """``year``, ``half`` or ``quarter``: the kind of the chosen period (years by default)."""
    if not context.filters.period:
        return "year"
    try:
        return parse_period(context.filters.period).kind
    except PeriodError:
        return "year"


def period_bin(quarter: str, kind: str) -> str:
    """The year, half or quarter slug containing a quarter slug such as ``2016-17-q3``."""
    if kind == "year":
        return quarter[:7]
    if kind == "half":
        return f"{quarter[:7]}-h{1 if quarter[-1] in '12' else 2}"
    return quarter


def short_label(slug: str) -> str:
    """``2016/17 H1`` for ``2016-17-h1``: the period label without its months."""
    return parse_period(slug).label.split(" (")[0]


def selected_period(context: ViewContext, periods: pd.Series) -> str | None:
    """The chosen period, or the latest one in ``periods`` when none is chosen."""
    if context.filters.period:
        return context.filters.period
    return latest_available(periods, context.reference.periods, kind=None)


def _with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(label=frame["period"].map(short_label)).sort_values(
        "period", key=lambda s: s.map(lambda slug: parse_period(slug).start), kind="stable"
    )


# --------------------------------------------------------------------------------------------
# Selection: demo district rows (apportioned to a locality) and published Kent rows.


def demo_rows(frame: pd.DataFrame, context: ViewContext, *, care_group: str | None = None):
    """Quarterly district returns for the place, apportioned by carer share, for one care group.

    These are demo rows, or providers' imported returns where they replace them (status
    return). ``care_group=None`` keeps the all-groups rows (measures not split by group have
    only those).
    """
    # The care group first: it keeps a seventh of a measure's rows, so the other tests read
    # only those (a third of the time of testing every row four times).
    in_group = frame["care_group"] == care_group if care_group else frame["care_group"].isna()
    rows = frame[in_group]
    district = is_district(rows["geography"], context.districts)
    rows = rows[district & (rows["status"] != "census") & (rows["period_kind"] == "quarter")]
    weights = context.weights
    if weights is None:
        return rows
    in_place = rows["geography"].map(weights).fillna(0.0) > 0
    return apportioned(rows[in_place], weights)


def published_rows(frame: pd.DataFrame, context: ViewContext, kind: str) -> pd.DataFrame:
    """Published Kent rows of the short breaks service for periods of ``kind``; none if filtered."""
    if not county_figure_applies(context.filters):
        return frame.iloc[0:0]
    return frame[
        (frame["status"] == "published")
        & (frame["geography"] == KENT_CODE)
        & (frame["provider"] == SERVICE_PROVIDER)
        & frame["care_group"].isna()
        & (frame["period_kind"] == kind)
    ]


def _binned(rows: pd.DataFrame, kind: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows added up by period bin, with the status of their parts (``weakest_status``)."""
    binned = rows.assign(period=rows["period"].map(lambda slug: period_bin(slug, kind)))
    return binned.groupby(["period", *by], as_index=False).agg(
        value=("value", "sum"), status=("status", weakest_status)
    )


def _prefer_published(demo: pd.DataFrame, published: pd.DataFrame, keys: list[str]):
    """District-return values by key (demo or imported), replaced by the published Kent value
    wherever one exists."""
    demo = demo.assign(qualifier="", source=demo["status"].map(monitoring_source))
    chosen = published[[*keys, "value", "status", "qualifier", "source"]]
    if chosen.empty:  # a locality or care group: nothing published replaces a return
        columns = [*keys, "value", "status", "qualifier", "source"]
        return demo[columns].sort_values(keys, kind="stable", ignore_index=True)
    merged = demo.merge(chosen, on=keys, how="outer", suffixes=("_demo", ""))
    for column in ("value", "status", "qualifier", "source"):
        merged[column] = merged[column].fillna(merged[f"{column}_demo"])
    return merged[[*keys, "value", "status", "qualifier", "source"]]


def _round_if_apportioned(frame: pd.DataFrame, context: ViewContext, columns) -> pd.DataFrame:
    """Apportioned counts are fractions of people: show them as whole numbers."""
    if context.weights is None:
        return frame
    return frame.assign(**{column: frame[column].round() for column in columns})


def _place_notes(context: ViewContext) -> list[str]:
    notes = []
    if context.weights is not None:
        notes.append(
            "Published figures are for Kent as a whole and are not available by locality; "
            "locality figures are demo district returns. " + APPORTIONED
        )
    return notes


def _period_notes(context: ViewContext) -> tuple[str, ...]:
    """Where the published figures show up, when they can (all of Kent, all care groups)."""
    if not county_figure_applies(context.filters):
        return ()
    return (PERIOD_KINDS,)


def _selection_name(context: ViewContext) -> str:
    """The place, with the care group when one is chosen: "Kent (Dementia)"."""
    group = context.care_group_name()
    return f"{context.place()} ({group})" if group else context.place()


def _no_period(key, title, context, periods) -> ChartSpec | None:
    chosen = selected_period(context, periods)
    if chosen is None or chosen not in set(periods):
        label = context.period_label(context.filters.period or "")
        return unavailable_spec(
            key, title, context.subtitle(), f"No short breaks returns for {label}."
        )
    return None


# --------------------------------------------------------------------------------------------
# Hours by type


def hours_frame(hours: pd.DataFrame, context: ViewContext) -> pd.DataFrame:
    """Hours by period and type, plus the all-types total per period.

    Columns: period, label, category, value, qualifier, status, source. A published figure for a
    period and type replaces the demo value; the all-types total is the published total if there
    is one, else the sum of the demo rows (never demo plus published).
    """
    kind = granularity(context)
    demo = demo_rows(hours, context, care_group=context.filters.care_group)
    demo = _binned(demo, kind, ("category",))
    demo = demo[demo["category"].isin(HOUR_TYPES)]
    published = published_rows(hours, context, kind)
    by_type = _prefer_published(
        demo, published[published["category"].isin(HOUR_TYPES)], ["period", "category"]
    )
    demo_totals = demo.groupby("period", as_index=False).agg(
        value=("value", "sum"), status=("status", weakest_status)
    )
    demo_totals = demo_totals.assign(category=ALL_TYPES)
    published_totals = published[published["category"] == ""].assign(category=ALL_TYPES)
    totals = _prefer_published(demo_totals, published_totals, ["period", "category"])
    frame = pd.concat([by_type, totals], ignore_index=True)
    order = {name: index for index, name in enumerate((*HOUR_TYPES, ALL_TYPES))}
    frame = frame.sort_values(["period", "category"], key=_category_key(order), kind="stable")
    return _with_labels(frame).reset_index(drop=True)


def _category_key(order: dict[str, int]):
    def key(series: pd.Series) -> pd.Series:
        return series.map(order) if series.name == "category" else series

    return key


def hours_by_type(hours: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """Stacked hours by type over time; published totals marked distinctly from demo bars."""
    key, title = "short-breaks-hours", "Short-break hours by type"
    frame = hours_frame(hours, context)
    unavailable = _no_period(key, title, context, frame["period"])
    if unavailable:
        return unavailable
    chosen = selected_period(context, frame["period"])
    label = context.period_label(chosen)
    total = frame[(frame["period"] == chosen) & (frame["category"] == ALL_TYPES)].iloc[0]
    types = frame[(frame["period"] == chosen) & frame["category"].isin(HOUR_TYPES)]
    largest = types.sort_values("value", ascending=False).iloc[0]
    share = formatting.format_percent(100 * largest["value"] / total["value"])
    total_text = formatting.format_value(
        total["value"], "hours", qualifier=total["qualifier"] or None
    )
    statuses = statuses_of(frame)
    figure, event_notes = context.with_events(
        figures.hours_bars(frame, selected=short_label(chosen), statuses=statuses),
        frame,
        SHORT_BREAK_LINES,
    )
    return context.chart(
        key=key,
        title=f"{_selection_name(context)}: {total_text} of short breaks in {label}, "
        f"{share} of them {largest['category']}",
        subtitle=context.subtitle(f"{context.period_phrase(label)} highlighted, all periods shown"),
        figure=figure,
        table=frame,
        columns=(
            Column("label", "Period"),
            Column("category", "Type of hours"),
            Column("qualifier", "Qualifier"),
            Column("value", "Hours", "hours"),
            Column("status", "Status", "status"),
        ),
        sources=frame["source"].unique(),
        recorded=BY_CARE_GROUP,
        measure="short-break-hours",
        statuses=statuses,
        period_label=f"{frame['label'].iloc[0]} to {frame['label'].iloc[-1]}",
        alt_text=f"Stacked bar chart of short-break hours by type and period. {title}.",
        footnotes=(
            CALIBRATED,
            "The all-types total is the published total where one exists (marked ●), else the "
            "sum of the demo types.",
            *_place_notes(context),
            *_period_notes(context),
        ),
        events=event_notes,
    )


# --------------------------------------------------------------------------------------------
# Unsocial hours share


def unsocial_frame(shares: pd.DataFrame, hours: pd.DataFrame, context: ViewContext):
    """Unsocial-hours share by period and type, and for all types, as hours-weighted means.

    Columns: period, label, category, value (0-100), qualifier, status, source. A type's share is
    weighted by that type's hours; the all-types share by all hours.
    """
    kind = granularity(context)
    keys = ["period", "geography", "category"]
    group = context.filters.care_group
    weighted = demo_rows(shares, context, care_group=group).merge(
        demo_rows(hours, context, care_group=group)[[*keys, "value"]],
        on=keys,
        suffixes=("", "_hours"),
    )
    weighted = weighted.assign(
        period=weighted["period"].map(lambda slug: period_bin(slug, kind)),
        unsocial=weighted["value"] * weighted["value_hours"] / 100,
    )
    sums = {
        "unsocial": ("unsocial", "sum"),
        "value_hours": ("value_hours", "sum"),
        "status": ("status", weakest_status),
    }
    by_type = weighted.groupby(["period", "category"], as_index=False).agg(**sums)
    all_types = weighted.groupby("period", as_index=False).agg(**sums).assign(category=ALL_TYPES)
    demo = pd.concat([by_type, all_types], ignore_index=True)
    demo = demo.assign(value=100 * demo["unsocial"] / demo["value_hours"])
    published = published_rows(shares, context, kind)
    published = published.assign(category=published["category"].replace("", ALL_TYPES))
    frame = _prefer_published(
        demo[["period", "category", "value", "status"]], published, ["period", "category"]
    )
    order = {name: index for index, name in enumerate((*HOUR_TYPES, ALL_TYPES))}
    frame = frame.sort_values(["period", "category"], key=_category_key(order), kind="stable")
    return _with_labels(frame).reset_index(drop=True)


def unsocial_share(shares: pd.DataFrame, hours: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """Share of hours delivered at unsocial times, by type, over time."""
    key, title = "short-breaks-unsocial", "Share of short-break hours in unsocial hours"
    frame = unsocial_frame(shares, hours, context)
    unavailable = _no_period(key, title, context, frame["period"])
    if unavailable:
        return unavailable
    chosen = selected_period(context, frame["period"])
    label = context.period_label(chosen)
    in_period = frame[frame["period"] == chosen].set_index("category")["value"]
    title = (
        f"{_selection_name(context)}: {formatting.format_percent(in_period.get(ALL_TYPES))} of "
        "short-break "
        f"hours in {label} were unsocial, crisis response "
        f"{formatting.format_percent(in_period.get('crisis response'))}"
    )
    statuses = statuses_of(frame)
    figure, event_notes = context.with_events(
        figures.share_lines(frame, selected=short_label(chosen), statuses=statuses),
        frame,
        SHORT_BREAK_LINES,
    )
    return context.chart(
        key=key,
        title=title,
        subtitle=context.subtitle(f"{context.period_phrase(label)} highlighted, all periods shown"),
        figure=figure,
        table=frame,
        columns=(
            Column("label", "Period"),
            Column("category", "Type of hours"),
            Column("value", "Unsocial hours share", "percent"),
            Column("status", "Status", "status"),
        ),
        sources=frame["source"].unique(),
        recorded=BY_CARE_GROUP,
        measure="unsocial-hours-share",
        statuses=statuses,
        period_label=f"{frame['label'].iloc[0]} to {frame['label'].iloc[-1]}",
        alt_text=f"Line chart of the unsocial-hours share by type of hours. {title}.",
        footnotes=(
            "Shares are weighted means: each type's share is weighted by that type's hours, "
            "the all-types share by all hours.",
            CALIBRATED,
            *_place_notes(context),
            *_period_notes(context),
        ),
        events=event_notes,
    )


# --------------------------------------------------------------------------------------------
# Crisis referrals and the share for one care group (dementia by default)


def crisis_frame(referrals: pd.DataFrame, dementia: pd.DataFrame, context: ViewContext):
    """Crisis referrals per period, the group's referrals and its share of all referrals.

    Columns: period, label, value (referrals shown), group_value, share (0-100), status, source.
    With no care group chosen the group is dementia and published Kent figures are preferred;
    the published share has no published count, so ``group_value`` is NaN there.
    """
    kind = granularity(context)
    group = context.filters.care_group or "dementia"
    everyone = _binned(demo_rows(referrals, context), kind)
    in_group = _binned(demo_rows(referrals, context, care_group=group), kind)
    demo = everyone.merge(in_group, on="period", how="left", suffixes=("_all", "_group"))
    demo = _round_if_apportioned(demo, context, ["value_all", "value_group"])
    demo = demo.assign(share=100 * demo["value_group"] / demo["value_all"].where(lambda v: v > 0))
    shown = demo["value_group"] if context.filters.care_group else demo["value_all"]
    frame = pd.DataFrame(
        {
            "period": demo["period"],
            "value": shown,
            "group_value": demo["value_group"],
            "share": demo["share"],
            "status": demo["status_all"],
            "source": demo["status_all"].map(monitoring_source),
        }
    )
    published = published_rows(referrals, context, kind).set_index("period")
    shares = published_rows(dementia, context, kind)
    shares = shares[shares["category"] == "crisis referrals"].set_index("period")
    for period in published.index.intersection(shares.index):
        row = frame["period"] == period
        frame.loc[row, ["value", "group_value", "share"]] = [
            published.loc[period, "value"],
            float("nan"),
            shares.loc[period, "value"],
        ]
        frame.loc[row, ["status", "source"]] = ["published", published.loc[period, "source"]]
    return _with_labels(frame).reset_index(drop=True)


def suppress_crisis(frame: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Hide counts of 1-4 and any share whose count or base is 1-4 (it would reveal the count)."""
    hide_share = frame["value"].map(is_small_count) | frame["group_value"].map(is_small_count)
    shown, suppressed = suppress_small_counts(frame, ["value", "group_value"])
    if hide_share.any():
        shown["share"] = shown["share"].astype(object).where(~hide_share, SUPPRESSED_TEXT)
    return shown, suppressed or bool(hide_share.any())


def crisis_referrals(
    referrals: pd.DataFrame, dementia: pd.DataFrame, context: ViewContext
) -> ChartSpec:
    """Crisis referrals per period and the share for people with dementia (or the chosen group)."""
    key, title = "short-breaks-crisis", "Crisis referrals and the share for people with dementia"
    group = context.filters.care_group
    group_name = context.reference.filter_choices().care_groups.get(group or "dementia")
    frame = crisis_frame(referrals, dementia, context)
    if frame.empty or frame["value"].isna().all():
        return unavailable_spec(
            key,
            title,
            context.subtitle(),
            f"No crisis referrals are recorded for {group_name}. Crisis referrals are recorded "
            "for dementia, older people, physical disability, end of life, mental health, "
            "learning disability and not recorded.",
        )
    unavailable = _no_period(key, title, context, frame["period"])
    if unavailable:
        return unavailable
    chosen = selected_period(context, frame["period"])
    label = context.period_label(chosen)
    shown, suppressed = suppress_crisis(frame)
    row = shown[shown["period"] == chosen].iloc[0]
    count_text = formatting.format_value(
        row["value"], "count", suppressed=row["value"] == SUPPRESSED_TEXT
    )
    # A hidden share is not written "<5", which reads as a count: it is said to be hidden.
    share_shown = row["share"] != SUPPRESSED_TEXT
    share_text = formatting.format_percent(row["share"]) if share_shown else ""
    if group:
        title = (
            f"{context.place()}: {count_text} crisis referrals for {group_name.lower()} in "
            f"{label}, "
            + (
                f"{share_text} of all crisis referrals"
                if share_shown
                else "their share of all crisis referrals not shown (a count under 5)"
            )
        )
    else:
        title = f"{context.place()}: {count_text} crisis referrals in {label}, " + (
            f"{share_text} for people with dementia"
            if share_shown
            else "the share for people with dementia not shown (a count under 5)"
        )
    statuses = statuses_of(shown)
    group_label = group_name if group else "Dementia"
    columns = (
        Column("label", "Period"),
        Column("value", f"Crisis referrals{f' ({group_name})' if group else ''}", "count"),
        *(() if group else (Column("group_value", "Dementia crisis referrals", "count"),)),
        Column("share", f"{group_label} share of crisis referrals", "percent"),
        Column("status", "Status", "status"),
    )
    notes = [
        f"{group_label} share = {group_label.lower()} crisis referrals ÷ all crisis referrals in "
        "the period (a weighted mean across districts, not an average of shares).",
        CALIBRATED,
    ]
    if not group:
        notes.append(
            "Published periods give the share (68% in 2015/16; 60% “dementia crisis related” in "
            "April–September 2016) but not the count of dementia referrals, shown as –."
        )
    notes += [*_place_notes(context), *_period_notes(context)]
    if group and context.weights is None:
        notes.append(PUBLISHED_ONLY_KENT)
    hidden = int((shown["value"] == SUPPRESSED_TEXT).sum())
    if hidden > len(shown) / 2:
        notes.append(
            f"{hidden} of {len(shown)} periods have 1 to 4 referrals for this selection and are "
            "hidden: choose a larger area, a longer period or all care groups."
        )
    return context.chart(
        key=key,
        title=title,
        subtitle=context.subtitle(f"{context.period_phrase(label)} highlighted, all periods shown"),
        figure=figures.crisis_panels(
            shown, selected=short_label(chosen), share_name=f"{group_label} share"
        ),
        table=shown,
        columns=columns,
        sources=shown["source"].unique(),
        recorded=BY_CARE_GROUP,
        measure="crisis-referrals",
        statuses=statuses,
        period_label=f"{shown['label'].iloc[0]} to {shown['label'].iloc[-1]}",
        alt_text=f"Bar chart of crisis referrals with a line of the {group_label.lower()} share. "
        f"{title}.",
        footnotes=(*notes, *suppression_footnotes(suppressed)),
    )


# --------------------------------------------------------------------------------------------
# Admissions prevented and failed discharges prevented


OUTCOMES = {
    "admissions-prevented": "Emergency admissions prevented",
    "failed-discharges-prevented": "Failed discharges prevented",
}


def outcomes_frame(outcomes: dict[str, pd.DataFrame], context: ViewContext) -> pd.DataFrame:
    """Both outcomes per period. Columns: period, label, outcome, value, status, source."""
    kind = granularity(context)
    frames = []
    for measure, name in OUTCOMES.items():
        rows = demo_rows(outcomes[measure], context, care_group=context.filters.care_group)
        demo = _binned(rows, kind)
        demo = _round_if_apportioned(demo, context, ["value"])
        frame = _prefer_published(
            demo, published_rows(outcomes[measure], context, kind), ["period"]
        )
        frames.append(frame.assign(outcome=name))
    frame = pd.concat(frames, ignore_index=True)
    return _with_labels(frame)[["period", "label", "outcome", "value", "status", "source"]]


def crisis_outcomes(outcomes: dict[str, pd.DataFrame], context: ViewContext) -> ChartSpec:
    """Emergency admissions and failed discharges prevented, per period."""
    key, title = "short-breaks-outcomes", "Admissions and failed discharges prevented"
    frame = outcomes_frame(outcomes, context).reset_index(drop=True)
    unavailable = _no_period(key, title, context, frame["period"])
    if unavailable:
        return unavailable
    chosen = selected_period(context, frame["period"])
    label = context.period_label(chosen)
    shown, suppressed = suppress_small_counts(frame, ["value"])
    in_period = shown[shown["period"] == chosen].set_index("outcome")["value"]
    admissions, failed = (_count_text(in_period.get(OUTCOMES[measure])) for measure in OUTCOMES)
    title = (
        f"{_selection_name(context)}: {admissions} emergency admissions and {failed} failed "
        "hospital "
        f"discharges prevented in {label}"
    )
    statuses = statuses_of(shown)
    return context.chart(
        key=key,
        title=title,
        subtitle=context.subtitle(f"{context.period_phrase(label)} highlighted, all periods shown"),
        figure=figures.outcome_bars(shown, selected=short_label(chosen)),
        table=shown,
        columns=(
            Column("label", "Period"),
            Column("outcome", "Outcome"),
            Column("value", "Number", "count"),
            Column("status", "Status", "status"),
        ),
        sources=shown["source"].unique(),
        recorded=BY_CARE_GROUP,
        measure="admissions-prevented",
        statuses=statuses,
        period_label=f"{shown['label'].iloc[0]} to {shown['label'].iloc[-1]}",
        alt_text=f"Grouped bar chart of admissions and failed discharges prevented. {title}.",
        footnotes=(
            "Provider-reported judgements of admissions and failed discharges avoided.",
            CALIBRATED,
            *_place_notes(context),
            *_period_notes(context),
            *suppression_footnotes(suppressed),
        ),
    )


def _count_text(value) -> str:
    if value == SUPPRESSED_TEXT:
        return SUPPRESSED_TEXT
    return formatting.format_count(value)


# --------------------------------------------------------------------------------------------
# The published 2015/16 and April-September 2016 figures, as published


def published_frame(observations: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every published short breaks figure for the two published periods, with its text.

    Columns: period, label, measure, category, figure, value, qualifier, text, status, source,
    source_section, note.
    """
    rows = []
    for (measure, category), name in PUBLISHED_NAMES.items():
        frame = observations[measure]
        chosen = frame[
            (frame["status"] == "published")
            & (frame["geography"] == KENT_CODE)
            & (frame["provider"] == SERVICE_PROVIDER)
            & (frame["category"] == category)
            & frame["period"].isin(PUBLISHED_PERIODS)
            & frame["source_section"].isin(PUBLISHED_SECTIONS)
        ]
        rows.append(chosen.assign(figure=name))
    frame = pd.concat(rows, ignore_index=True)
    texts = [
        formatting.format_value(
            row.value, MEASURE_UNITS.get(row.measure, "count"), qualifier=row.qualifier or None
        )
        for row in frame.itertuples()
    ]
    labels = {"2015-16": "2015/16", "2016-17-h1": "April–September 2016"}
    frame = frame.assign(text=texts, label=frame["period"].map(labels))
    columns = [
        "period",
        "label",
        "measure",
        "category",
        "figure",
        "value",
        "qualifier",
        "text",
        "status",
        "source",
        "source_section",
        "note",
    ]
    return frame.sort_values("period", kind="stable")[columns].reset_index(drop=True)


def published_figures(observations: dict[str, pd.DataFrame], context: ViewContext) -> ChartSpec:
    """The committee report's figures for 2015/16 and April-September 2016, exactly as printed."""
    key = "short-breaks-published"
    title = "Published short breaks and crisis response figures, 2015/16 and April–September 2016"
    subtitle = context.subtitle("2015/16 and April–September 2016", ALL_CARE_GROUPS)
    if context.weights is not None:
        return unavailable_spec(
            key,
            title,
            subtitle,
            COUNTY_ONLY.format(what="locality") + " Choose all of Kent to see the published "
            "2015/16 and April–September 2016 figures.",
        )
    frame = published_frame(observations)
    lookup = frame.set_index(["period", "measure", "category"])["text"]
    title = (
        f"Published: {lookup[('2015-16', 'crisis-referrals', '')]} crisis referrals and "
        f"{lookup[('2015-16', 'short-break-hours', '')]} in 2015/16; "
        f"{lookup[('2016-17-h1', 'crisis-referrals', '')]} referrals in April–September 2016"
    )
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=figures.published_grid(frame),
        table=frame,
        columns=(
            Column("label", "Period"),
            Column("figure", "Figure"),
            Column("text", "As published"),
            Column("status", "Status", "status"),
            Column("source_section", "Section"),
            Column("note", "Note"),
        ),
        sources=frame["source"].unique(),
        recorded=ALL_CARE_GROUPS,
        measure="short-break-hours",
        period_label="2015/16 and April–September 2016",
        alt_text=f"Table of the published figures. {title}.",
        footnotes=(
            "Figures for Kent as a whole from the Kent-wide short breaks contract, exactly as "
            "printed, with their qualifiers. April–September 2016 referrals were published as "
            "“carer referrals (60% dementia crisis related)”.",
            CALIBRATED,
        ),
    )


# --------------------------------------------------------------------------------------------
# 2009/10 providers and respite, as published


def _historic_geography(context: ViewContext, frame: pd.DataFrame, key, title, subtitle, what):
    """Rows for the chosen locality (by its own name), or an unavailable card naming the areas."""
    if not context.filters.locality:
        return frame, None
    chosen = frame[frame["geography"] == context.filters.locality]
    if not chosen.empty:
        return chosen, None
    names = dict(
        zip(
            context.reference.geographies["code"],
            context.reference.geographies["name"],
            strict=True,
        )
    )
    areas = _and_list(list(dict.fromkeys(frame["geography"].map(names))))
    message = (
        f"{what} were published for {areas} only, not for {context.place()}; published figures "
        "are not apportioned to other localities."
    )
    return None, unavailable_spec(key, title, subtitle, message)


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def providers_frame(
    hours: pd.DataFrame, carers: pd.DataFrame, cared_for: pd.DataFrame, context: ViewContext
) -> pd.DataFrame:
    """2009/10 short-break hours and people by provider, as published.

    Columns: provider, provider_name, geography, area, category, hours, hours_qualifier,
    hours_text, people, people_unit, people_text, status, source, note.
    """
    reference = context.reference
    provider_names = dict(
        zip(reference.providers["slug"], reference.providers["name"], strict=True)
    )
    area_names = dict(
        zip(reference.geographies["code"], reference.geographies["name"], strict=True)
    )
    keys = ["provider", "geography", "category"]
    published = hours[(hours["status"] == "published") & (hours["period"] == HISTORIC_YEAR)]
    published = published[published["provider"] != SERVICE_PROVIDER]
    people = pd.concat(
        [
            carers[carers["period"] == HISTORIC_YEAR].assign(
                people_unit=lambda f: f["note"].map(
                    lambda note: "families" if "families" in note else "carers"
                )
            ),
            cared_for[cared_for["period"] == HISTORIC_YEAR].assign(people_unit="people cared for"),
        ]
    )
    people = people[people["provider"].notna()][[*keys, "value", "people_unit", "note"]]
    frame = published.merge(people, on=keys, how="left", suffixes=("", "_people"))
    frame = frame.assign(
        provider_name=frame["provider"].map(provider_names),
        area=frame["geography"].map(area_names),
        hours=frame["value"],
        hours_qualifier=frame["qualifier"],
        hours_text=[
            formatting.format_value(v, "hours", qualifier=q or None)
            for v, q in zip(frame["value"], frame["qualifier"], strict=True)
        ],
        people=frame["value_people"],
        people_text=[
            "" if pd.isna(v) else f"{formatting.format_count(v)} {unit}"
            for v, unit in zip(frame["value_people"], frame["people_unit"], strict=True)
        ],
        note=frame["note"] + frame["note_people"].map(lambda n: "" if pd.isna(n) else f"; {n}"),
    )
    frame = frame.sort_values("hours", ascending=False, kind="stable")
    columns = [
        "provider",
        "provider_name",
        "geography",
        "area",
        "category",
        "hours",
        "hours_qualifier",
        "hours_text",
        "people",
        "people_unit",
        "people_text",
        "status",
        "source",
        "note",
    ]
    return frame[columns].reset_index(drop=True)


def providers_2009_10(
    hours: pd.DataFrame, carers: pd.DataFrame, cared_for: pd.DataFrame, context: ViewContext
) -> ChartSpec:
    """Hours and carers of the 2009/10 short-break providers, as published."""
    key, title = "short-breaks-providers-2009-10", "Short-break providers in 2009/10"
    subtitle = context.subtitle("2009/10", ALL_CARE_GROUPS)
    frame = providers_frame(hours, carers, cared_for, context)
    frame, unavailable = _historic_geography(
        context, frame, key, title, subtitle, "2009/10 provider figures"
    )
    if unavailable:
        return unavailable
    top = frame.iloc[0]
    title = (
        f"{top['provider_name']} delivered the most short-break hours in {top['area']} in "
        f"2009/10: {top['hours_text']}"
        + (f" for {top['people_text']}" if top["people_text"] else "")
    )
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=figures.provider_bars(frame),
        table=frame,
        columns=(
            Column("provider_name", "Provider"),
            Column("area", "Area"),
            Column("category", "Service"),
            Column("hours_qualifier", "Qualifier"),
            Column("hours", "Hours", "hours"),
            Column("people", "People", "count"),
            Column("people_unit", "Counted as"),
            Column("status", "Status", "status"),
            Column("note", "Note"),
        ),
        sources=frame["source"].unique(),
        recorded=ALL_CARE_GROUPS,
        measure="short-break-hours",
        period_label="2009/10",
        alt_text=f"Bar charts of hours and people by provider. {title}.",
        footnotes=(
            "Provider-reported figures from the 2009/10 annual report, each for its own area; "
            "they are not summed because the areas and counting rules differ.",
            *context.quality_notes("volcare-114-vs-110"),
        ),
    )


RESPITE_QUALITY_NOTES = (
    "respite-west-nursing-total",
    "respite-east-physical-total",
    "respite-thousands-separator",
)


def respite_frame(
    weeks: pd.DataFrame, weekly: pd.DataFrame, cost: pd.DataFrame, context: ViewContext
) -> pd.DataFrame:
    """2009/10 respite weeks, average weekly cost and total cost by area and client group.

    Columns: geography, area, care_group, client_group, category, weeks, weekly_cost_text,
    cost, product_text, check, agrees, status, source. ``cost`` is the published total; the
    product of weeks and average cost is shown beside it, and ``agrees`` says whether they match
    to the pound.
    """
    keys = ["geography", "care_group", "category"]

    def published(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        rows = frame[(frame["status"] == "published") & (frame["period"] == HISTORIC_YEAR)]
        return rows[[*keys, "value"]].rename(columns={"value": name})

    rows = cost[(cost["status"] == "published") & (cost["period"] == HISTORIC_YEAR)]
    frame = (
        published(weeks, "weeks")
        .merge(published(weekly, "weekly_cost"), on=keys)
        .merge(
            rows[[*keys, "value", "status", "source"]].rename(columns={"value": "cost"}), on=keys
        )
    )
    reference = context.reference
    areas = dict(zip(reference.geographies["code"], reference.geographies["name"], strict=True))
    groups = dict(zip(reference.care_groups["slug"], reference.care_groups["name"], strict=True))
    product = frame["weeks"] * frame["weekly_cost"]
    agrees = (product - frame["cost"]).abs() < 1
    frame = frame.assign(
        area=frame["geography"].map(areas),
        client_group=frame["care_group"].map(groups),
        weekly_cost_text=frame["weekly_cost"].map(lambda v: "£" + formatting.format_number(v, 2)),
        product_text=product.map(lambda v: "£" + formatting.format_number(v, 2)),
        agrees=agrees,
        check=agrees.map({True: "Agrees", False: "Does not multiply out (see note)"}),
    )
    order = {"older-people": 0, "learning-disability": 1, "physical-disability": 2}
    frame = frame.sort_values(
        ["geography", "care_group", "category"],
        key=lambda s: s.map(order) if s.name == "care_group" else s,
        kind="stable",
    )
    columns = [
        "geography",
        "area",
        "care_group",
        "client_group",
        "category",
        "weeks",
        "weekly_cost_text",
        "cost",
        "product_text",
        "check",
        "agrees",
        "status",
        "source",
    ]
    return frame[columns].reset_index(drop=True)


def respite_2009_10(
    weeks: pd.DataFrame, weekly: pd.DataFrame, cost: pd.DataFrame, context: ViewContext
) -> ChartSpec:
    """Respite weeks and costs purchased in East and West Kent in 2009/10, by client group."""
    key, title = "short-breaks-respite-2009-10", "Respite purchased in 2009/10 by client group"
    subtitle = context.subtitle("2009/10")
    frame = respite_frame(weeks, weekly, cost, context)
    if context.filters.care_group:
        group = context.reference.filter_choices().care_groups[context.filters.care_group]
        frame = frame[frame["care_group"] == context.filters.care_group]
        if frame.empty:
            return unavailable_spec(
                key,
                title,
                subtitle,
                f"Respite purchases in 2009/10 were published for older people, learning "
                f"disability and physical disability only, not for {group}.",
            )
    frame, unavailable = _historic_geography(
        context, frame, key, title, subtitle, "2009/10 respite purchases"
    )
    if unavailable:
        return unavailable
    top = frame.sort_values("weeks", ascending=False).iloc[0]
    title = (
        f"{top['client_group']} had the most respite in 2009/10: "
        f"{formatting.format_count(top['weeks'])} weeks of {top['category']} in {top['area']}, "
        f"£{formatting.format_count(top['cost'])}"
    )
    mismatched = int((~frame["agrees"]).sum())
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=figures.respite_bars(frame),
        table=frame,
        columns=(
            Column("area", "Area"),
            Column("client_group", "Client group"),
            Column("category", "Respite type"),
            Column("weeks", "Weeks", "count"),
            Column("weekly_cost_text", "Average weekly cost"),
            Column("cost", "Total cost as published (£)", "count"),
            Column("product_text", "Weeks × average cost"),
            Column("check", "Check"),
            Column("status", "Status", "status"),
        ),
        sources=frame["source"].unique(),
        recorded=BY_CARE_GROUP,
        measure="respite-cost",
        period_label="2009/10",
        alt_text=f"Bar charts of respite weeks and total cost by area and client group. {title}.",
        footnotes=(
            f"Totals are shown as published; {mismatched} of the {len(frame)} shown do not equal "
            "weeks × average cost (marked †).",
            *context.quality_notes(*RESPITE_QUALITY_NOTES),
        ),
    )


# --------------------------------------------------------------------------------------------
# Statistical process control of quarterly crisis referrals


def spc_frame(referrals: pd.DataFrame, context: ViewContext) -> pd.DataFrame:
    """Quarterly crisis referrals for the place and care group with XmR limits and signals.

    Columns: period, label, value, mean, moving_range, ucl, lcl, the four signal flags, signals
    (their names joined), status, source.
    """
    rows = demo_rows(referrals, context, care_group=context.filters.care_group)
    quarters = _binned(rows, "quarter")
    quarters = _with_labels(_round_if_apportioned(quarters, context, ["value"]))
    if quarters.empty:
        return quarters
    chart = xmr_chart(quarters["value"].to_numpy(), floor_at_zero=True)
    frame = pd.concat([quarters[["period", "label"]].reset_index(drop=True), chart], axis=1)
    signals = [
        "; ".join(name for flag, name in SIGNALS.items() if row[flag])
        for row in frame.to_dict("records")
    ]
    statuses = quarters["status"].reset_index(drop=True)
    return frame.assign(signals=signals, status=statuses, source=statuses.map(monitoring_source))


def crisis_spc(referrals: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """XmR chart of quarterly crisis referrals, with run-rule signals marked and listed."""
    key = "short-breaks-spc"
    title = "Statistical process control: quarterly crisis referrals"
    frame = spc_frame(referrals, context)
    if len(frame) < 2:
        return unavailable_spec(
            key,
            title,
            context.subtitle("quarters"),
            "Too few quarters of crisis referrals for this selection to draw control limits.",
        )
    if frame["mean"].iloc[0] < SPC_MINIMUM_MEAN:
        return unavailable_spec(
            key,
            title,
            context.subtitle("quarters"),
            f"Crisis referrals for this selection average fewer than {SPC_MINIMUM_MEAN} a quarter: "
            "too few for a control chart, and most quarters would be hidden as <5.",
        )
    chosen = context.filters.period
    highlighted = (
        [slug for slug in frame["period"] if _inside(slug, chosen)]
        if chosen
        else [frame["period"].iloc[-1]]
    )
    label = context.period_label(chosen) if chosen else short_label(frame["period"].iloc[-1])
    flagged = frame[frame["signals"] != ""]
    outside = frame[frame["outside_limits"]]
    group = context.reference.filter_choices().care_groups.get(context.filters.care_group or "")
    what = f"crisis referrals for {group.lower()}" if group else "crisis referrals"
    if flagged.empty:
        title = f"{context.place()}: quarterly {what} vary only within the control limits"
    else:
        title = (
            f"{context.place()}: {len(flagged)} of {len(frame)} quarters of {what} show a "
            f"special-cause signal, {len(outside)} outside the control limits"
        )
    shown, suppressed = suppress_small_counts(frame, ["value"])
    flag_columns = [Column(flag, name) for flag, name in SIGNALS.items()]
    table = shown.assign(**{flag: shown[flag].map({True: "Yes", False: ""}) for flag in SIGNALS})
    figure, event_notes = context.with_events(
        figures.xmr_figure(shown, highlighted=highlighted), shown, SHORT_BREAK_LINES
    )
    return context.chart(
        key=key,
        title=title,
        subtitle=context.subtitle(
            f"{context.period_phrase(label)} highlighted, every quarter shown"
        ),
        figure=figure,
        table=table,
        columns=(
            Column("label", "Quarter"),
            Column("value", "Crisis referrals", "count"),
            Column("mean", "Mean", "rate"),
            Column("lcl", "Lower control limit", "rate"),
            Column("ucl", "Upper control limit", "rate"),
            *flag_columns,
            Column("status", "Status", "status"),
        ),
        sources=[DEMO_SOURCE],
        recorded=BY_CARE_GROUP,
        measure="crisis-referrals",
        statuses=("demo",),
        period_label=f"{frame['label'].iloc[0]} to {frame['label'].iloc[-1]}",
        alt_text=f"XmR control chart of quarterly crisis referrals with mean and limits. {title}.",
        footnotes=(
            SPC_RULES,
            "Quarterly returns are demo data: no quarterly figures are published. The demo "
            "quarters of April–September 2016 add up to the published 139 referrals for Kent, "
            "far fewer than in the quarters around them.",
            *_place_notes(context),
            *suppression_footnotes(suppressed),
        ),
        events=event_notes,
    )


def _inside(quarter: str, period: str) -> bool:
    """Whether a quarter lies within a chosen year, half or quarter."""
    return period_bin(quarter, parse_period(period).kind) == period


# --------------------------------------------------------------------------------------------
# The page


def page_specs(data: dict[str, pd.DataFrame], context: ViewContext) -> list[ChartSpec]:
    """Every chart on the page, in order, from the frames of each measure by slug."""
    return [*main_specs(data, context), *detail_specs(data, context)]


def main_specs(data: dict[str, pd.DataFrame], context: ViewContext) -> list[ChartSpec]:
    """The charts the page opens on: what a committee reads first."""
    return [
        hours_by_type(data["short-break-hours"], context),
        unsocial_share(data["unsocial-hours-share"], data["short-break-hours"], context),
        crisis_referrals(data["crisis-referrals"], data["dementia-share"], context),
        crisis_outcomes(data, context),
    ]


def detail_specs(data: dict[str, pd.DataFrame], context: ViewContext) -> list[ChartSpec]:
    """The charts folded under "More detail": the published figures as printed, the
    pre-contract 2009/10 tables and the control chart."""
    return [
        published_figures(data, context),
        providers_2009_10(
            data["short-break-hours"],
            data["carers-supported"],
            data["cared-for-supported"],
            context,
        ),
        respite_2009_10(
            data["respite-weeks"], data["respite-weekly-cost"], data["respite-cost"], context
        ),
        crisis_spc(data["crisis-referrals"], context),
    ]
