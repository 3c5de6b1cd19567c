"""Funding page: the KCC/NHS split by service line, the NHS share, funding over time, the flow.

Published allocations are for Kent as a whole; demo allocations (by district) fill other years
and localities. The two are never added together.
"""

from __future__ import annotations

import pandas as pd

from dashboard import formatting
from dashboard.charts import ALL_CARE_GROUPS, ChartSpec, Column, unavailable_spec
from dashboard.figures import funding as figures
from dashboard.periods import PeriodError, years_from_to
from dashboard.rules import (
    HEADLINE_SERVICE_LINES,
    KENT_CODE,
    apportioned,
    latest_available,
    weakest_status,
)
from dashboard.views.common import ViewContext, statuses_of

PUBLISHED_YEAR = "2016-17"
KIND_LABELS = {"council": "KCC", "nhs": "NHS"}


def allocation_year(context: ViewContext, funding: pd.DataFrame) -> str:
    """The chosen period's financial year, else the latest year with allocations."""
    if context.filters.period:
        return context.filters.period[:7]
    return latest_available(funding["period"], context.reference.periods) or PUBLISHED_YEAR


def split_frame(funding: pd.DataFrame, *, year: str, weights: pd.Series | None) -> pd.DataFrame:
    """Council and NHS amounts by service line for one year: published, else demo.

    Columns: service_line, funder_kind, amount, status, source.
    """
    rows = funding[(funding["period"] == year) & funding["service_line"].notna()]
    published = rows[
        (rows["status"] == "published")
        & (rows["geography"] == KENT_CODE)
        & rows["funder_kind"].isin(["council", "nhs"])
        & rows["service_line"].isin(HEADLINE_SERVICE_LINES)
        & (rows["basis"] == "allocated")
    ]
    if weights is None and not published.empty:
        chosen = published
    else:
        chosen = apportioned(rows[rows["status"] == "demo"], weights, "amount")
    grouped = chosen.groupby(["service_line", "funder_kind"], as_index=False).agg(
        amount=("amount", "sum"), status=("status", weakest_status), source=("source", "first")
    )
    return grouped


def _wide(split: pd.DataFrame, context: ViewContext) -> pd.DataFrame:
    names = dict(
        zip(
            context.reference.service_lines["slug"],
            context.reference.service_lines["name"],
            strict=True,
        )
    )
    wide = split.pivot_table(
        index="service_line", columns="funder_kind", values="amount", aggfunc="sum"
    )
    wide = wide.reindex(columns=["council", "nhs"]).fillna(0.0)
    status = split.groupby("service_line")["status"].first()
    order = [
        line for line in (*HEADLINE_SERVICE_LINES, "direct-payments", "other") if line in wide.index
    ]
    table = wide.loc[order].reset_index()
    table = table.assign(
        name=table["service_line"].map(names),
        combined=table["council"] + table["nhs"],
        status=table["service_line"].map(status),
    )
    return table.assign(
        nhs_share=100 * table["nhs"] / table["combined"].where(table["combined"] > 0)
    )


def _total_row(table: pd.DataFrame, label: str) -> pd.DataFrame:
    scope = table[table["service_line"].isin(HEADLINE_SERVICE_LINES)]
    total = {
        "service_line": "total",
        "name": label,
        "council": scope["council"].sum(),
        "nhs": scope["nhs"].sum(),
        "combined": scope["combined"].sum(),
        "status": scope["status"].iloc[0] if len(scope) else None,
    }
    total["nhs_share"] = 100 * total["nhs"] / total["combined"] if total["combined"] else None
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def funding_split(funding: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """KCC against NHS allocations by service line, with the combined total."""
    year = allocation_year(context, funding)
    key, title = "funding-split", "Funding by commissioner and service line"
    label = context.period_label(year)
    subtitle = context.subtitle(context.year_phrase(year, "allocations"), ALL_CARE_GROUPS)
    split = _year_split(funding, context, year)
    if isinstance(split, str):
        return unavailable_spec(key, title, subtitle, split)
    table = _total_row(_wide(split, context), "Total (CAS and short breaks)")
    total = table[table["service_line"] == "total"].iloc[0]
    share = formatting.format_percent(total["nhs_share"])
    bars = table[table["service_line"] != "total"]
    title = (
        f"{context.place()}: KCC {formatting.format_money(total['council'])}, NHS "
        f"{formatting.format_money(total['nhs'])} of {formatting.format_money(total['combined'])} "
        f"for CAS and short breaks in {label} ({share} NHS){_beyond_the_total(bars)}"
    )
    statuses = statuses_of(split)
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=figures.split_bars(bars, statuses=statuses),
        table=table,
        columns=(
            Column("name", "Service line"),
            Column("council", "KCC", "gbp"),
            Column("nhs", "NHS (CCGs / ICB)", "gbp"),
            Column("combined", "Combined", "gbp"),
            Column("nhs_share", "NHS share", "percent"),
            Column("status", "Status", "status"),
        ),
        sources=split["source"].unique(),
        recorded=ALL_CARE_GROUPS,
        statuses=statuses,
        key_column="combined",
        period_label=label,
        alt_text=f"Stacked bar chart. {title}.",
        footnotes=_split_footnotes(table, context),
    )


FUNDER_WORDS = {"council": "KCC", "nhs": "the NHS"}


def _year_split(funding: pd.DataFrame, context: ViewContext, year: str) -> pd.DataFrame | str:
    """The year's split for the selection (all care groups), or the sentence why there is none."""
    split = split_frame(funding, year=year, weights=context.weights)
    if split.empty:
        return f"No funding allocations recorded for {context.period_label(year)}."
    published = set(split.loc[split["status"] == "published", "funder_kind"])
    if len(published) == 1 and (split["status"] == "published").all():
        # A source giving one funder's amount says nothing of the other's: not nil, unknown.
        (known,) = published
        other = "nhs" if known == "council" else "council"
        return (
            f"Only {FUNDER_WORDS[known]}'s allocation was published for "
            f"{context.period_label(year)}; {FUNDER_WORDS[other]}'s was not, so the split "
            "between them cannot be shown."
        )
    return split


def _beyond_the_total(bars: pd.DataFrame) -> str:
    """The lines drawn beside the total's scope (direct payments), so that a title's total and
    the bars under it are never read as disagreeing."""
    beyond = bars[~bars["service_line"].isin(HEADLINE_SERVICE_LINES) & (bars["combined"] > 0)]
    if beyond.empty:
        return ""
    money = formatting.format_money(beyond["combined"].sum())
    return f", plus {money} of {' and '.join(beyond['name']).lower()}"


def _split_footnotes(table: pd.DataFrame, context: ViewContext) -> tuple[str, ...]:
    notes = [
        "Total covers Carers' Assessment & Support and short breaks, the scope of the published "
        "2016/17 table; direct payments are shown as a separate line where allocated."
    ]
    if context.filters.locality:
        notes.append(
            "Published allocations are for Kent as a whole; locality figures are demo "
            "allocations by district, apportioned by Census 2021 carer shares."
        )
    return tuple(notes)


def nhs_share(funding: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """The NHS share of each service line's allocation."""
    year = allocation_year(context, funding)
    key, label = "funding-nhs-share", context.period_label(year)
    subtitle = context.subtitle(context.year_phrase(year, "allocations"), ALL_CARE_GROUPS)
    title = "NHS share of funding by service line"
    split = _year_split(funding, context, year)
    if isinstance(split, str):
        return unavailable_spec(key, title, subtitle, split)
    table = _wide(split, context)
    table = table[table["combined"] > 0]
    top = table.sort_values("nhs_share", ascending=False).iloc[0]
    # The place first, as in every title of the page: without it, a locality's chart pasted
    # alone read as Kent's.
    title = (
        f"{context.place()}: the NHS pays {formatting.format_percent(top['nhs_share'])} of "
        f"{top['name']}, its largest share, in {label}"
    )
    statuses = statuses_of(split)
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=figures.share_bars(table, statuses=statuses),
        table=table,
        columns=(
            Column("name", "Service line"),
            Column("nhs_share", "NHS share", "percent"),
            Column("nhs", "NHS", "gbp"),
            Column("combined", "Combined", "gbp"),
            Column("status", "Status", "status"),
        ),
        sources=split["source"].unique(),
        recorded=ALL_CARE_GROUPS,
        statuses=statuses,
        period_label=label,
        alt_text=f"Bar chart. {title}.",
    )


def over_time_frame(funding: pd.DataFrame, context: ViewContext) -> pd.DataFrame:
    """Published funding totals and demo totals by year and commissioner.

    Published points: each commissioner's total where one is published, otherwise its CAS
    funding (2012/13, 2013/14, the 2013 CCG contribution); the combined total where published.
    Columns: period, label, series, amount, status, note, source.
    """
    periods = context.reference.periods.set_index("slug")
    rows = []
    if context.weights is None:
        rows += _published_points(funding)
    demo = funding[
        (funding["status"] == "demo") & funding["service_line"].isin(HEADLINE_SERVICE_LINES)
    ]
    demo = apportioned(demo, context.weights, "amount")
    by_year = demo.groupby(["period", "funder_kind"], as_index=False)["amount"].sum()
    for row in by_year.itertuples():
        rows.append(
            {
                "period": row.period,
                "series": f"{KIND_LABELS[row.funder_kind]} (demo)",
                "amount": row.amount,
                "status": "demo",
                "note": "CAS and short breaks, demo allocation",
                "source": "demo-generator",
            }
        )
    frame = pd.DataFrame(rows, columns=["period", "series", "amount", "status", "note", "source"])
    frame = frame.assign(
        label=frame["period"].map(periods["label"]), start=frame["period"].map(periods["start"])
    )
    return frame.sort_values(["start", "series"]).reset_index(drop=True)


def _published_points(funding: pd.DataFrame) -> list[dict]:
    published = funding[
        (funding["status"] == "published")
        & (funding["geography"] == KENT_CODE)
        & (funding["period_kind"] == "year")
        & (funding["basis"] == "allocated")
    ]
    points = []
    for (period, kind), rows in published.groupby(
        ["period", published["funder_kind"].fillna("all")], sort=False
    ):
        totals = rows[rows["service_line"].isna()]
        chosen = totals if not totals.empty else rows[rows["service_line"] == "cas"]
        for row in chosen.itertuples():
            points.append(
                {
                    "period": period,
                    "series": f"{KIND_LABELS.get(kind, 'KCC and NHS combined')} (published)",
                    "amount": row.amount,
                    "status": "published",
                    "note": row.note,
                    "source": row.source,
                }
            )
    return points


def funding_over_time(funding: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """Funding by year: published points and demo totals, marked by status."""
    key, title = "funding-over-time", "Funding over time, published points and demo years"
    frame = over_time_frame(funding, context)
    if frame.empty:
        subtitle = context.subtitle("every year", ALL_CARE_GROUPS)
        return unavailable_spec(key, title, subtitle, "No funding recorded for this selection.")
    # The years drawn: a locality has no published points, so its lines start with the demo.
    period = f"{frame['label'].iloc[0]} to {frame['label'].iloc[-1]}"
    scope = period
    if (frame["status"] == "published").any():
        # A published point and a demo line can differ by millions in one year: said on the
        # chart, not only in its notes.
        scope += " · published points cover other services than the demo lines (see each note)"
    subtitle = context.subtitle(scope, ALL_CARE_GROUPS)
    statuses = statuses_of(frame)
    # Every year on the axis, those without a figure too: 2009/10 stood beside 2012/13 as if
    # a year apart. Periods of another kind (a contract term) are drawn as they come.
    try:
        years = [year.label for year in years_from_to(frame["period"].min(), frame["period"].max())]
    except PeriodError:
        years = frame["label"].drop_duplicates().tolist()
    figure, event_notes = context.with_events(
        figures.over_time(frame, years), frame, HEADLINE_SERVICE_LINES
    )
    return context.chart(
        key=key,
        title=f"{context.place()}: funding by year and commissioner",
        subtitle=subtitle,
        figure=figure,
        table=frame,
        columns=(
            Column("label", "Year"),
            Column("series", "Series"),
            Column("amount", "Amount", "gbp"),
            Column("status", "Status", "status"),
            Column("note", "Note"),
        ),
        sources=frame["source"].unique(),
        recorded=ALL_CARE_GROUPS,
        statuses=statuses,
        period_label=period,
        alt_text="Line chart of funding by year for KCC and the NHS, with published points marked.",
        footnotes=(
            "Published points differ in scope (the 2009/10 Carers' Grant, the CAS contract, the "
            "2016/17 table): read each with its note. Demo lines cover CAS and short breaks.",
        ),
        events=event_notes,
    )


def flow_frame(funding: pd.DataFrame, context: ViewContext, year: str) -> pd.DataFrame:
    """Demo allocations for a year as funder -> service line -> locality links.

    Columns: funder, service_line, locality, amount (locality from the chosen scheme).
    """
    rows = funding[(funding["period"] == year) & (funding["status"] == "demo")]
    shares = context.reference.shares
    shares = shares[shares["scheme"] == context.filters.scheme]
    if context.filters.locality:
        shares = shares[shares["locality"] == context.filters.locality]
    joined = rows.merge(shares, left_on="geography", right_on="district_code")
    joined = joined.assign(amount=joined["amount"] * joined["carer_share"])
    return joined.groupby(["funder", "service_line", "locality"], as_index=False)["amount"].sum()


def funding_flow(funding: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """Sankey diagram from funder to service line to locality for the allocation year."""
    year = allocation_year(context, funding)
    label = context.period_label(year)
    key, title = "funding-flow", f"Where the {label} allocations go"
    subtitle = context.subtitle(context.year_phrase(year, "allocations"), ALL_CARE_GROUPS)
    flows = flow_frame(funding, context, year)
    if flows.empty:
        return unavailable_spec(key, title, subtitle, f"No allocations by district for {label}.")
    reference = context.reference
    names = {
        **dict(zip(reference.funders["slug"], reference.funders["name"], strict=True)),
        **dict(zip(reference.service_lines["slug"], reference.service_lines["name"], strict=True)),
        **dict(zip(reference.geographies["code"], reference.geographies["name"], strict=True)),
    }
    funders = reference.funders.set_index("slug")
    commissioner = flows["funder"].map(funders["kind"])
    table = flows.assign(
        funder_name=flows["funder"].map(names),
        commissioner=commissioner,
        commissioner_name=_commissioner_names(flows["funder"], commissioner, names),
        service_line_name=flows["service_line"].map(names),
        locality_name=flows["locality"].map(names),
        status="demo",
    )
    return context.chart(
        key=key,
        title=_flow_title(title, table),
        subtitle=subtitle,
        figure=figures.flow_sankey(table),
        table=table,
        columns=(
            Column("funder_name", "Funder"),
            Column("service_line_name", "Service line"),
            Column("locality_name", "Locality"),
            Column("amount", "Amount", "gbp"),
            Column("status", "Status", "status"),
        ),
        sources=["demo-generator"],
        recorded=ALL_CARE_GROUPS,
        statuses=("demo",),
        period_label=label,
        alt_text=f"Flow diagram. {title}.",
        footnotes=(
            "Allocations by district are demo data calibrated to the published totals; split "
            "districts are apportioned to localities by Census 2021 carer shares.",
        ),
    )


def _commissioner_names(
    funders: pd.Series, commissioner: pd.Series, names: dict[str, str]
) -> pd.Series:
    """KCC by name; the NHS funders of the year together ("NHS: 7 CCGs"), as the split shows."""
    nhs = funders[commissioner == "nhs"].unique()
    together = f"NHS: {_count(len(nhs), 'CCG')}" if len(nhs) > 1 else None
    return pd.Series(
        [
            together if kind == "nhs" and together else names.get(slug, slug)
            for slug, kind in zip(funders, commissioner, strict=True)
        ],
        index=funders.index,
    )


def _flow_title(title: str, table: pd.DataFrame) -> str:
    """The flow's total, and why KCC's total is more than in the split chart (direct payments)."""
    council = table[table["commissioner"] == "council"]
    extra = council[~council["service_line"].isin(HEADLINE_SERVICE_LINES)]
    total = formatting.format_money(table["amount"].sum())
    localities = table["locality_name"].unique()
    # One locality is named: "£2.01m to 1 locality" left the reader to work out which.
    places = (
        localities[0] if len(localities) == 1 else _count(len(localities), "locality", "localities")
    )
    if extra.empty or not extra["amount"].sum():
        return f"{title}: {total} to {places}"
    lines = " and ".join(dict.fromkeys(extra["service_line_name"]))
    # Said in full, not "as above": a title stands alone on a slide and in a report.
    return (
        f"{title}: {total} to {places}. KCC's {formatting.format_money(council['amount'].sum())} "
        f"is {formatting.format_money(council['amount'].sum() - extra['amount'].sum())} "
        f"for CAS and short breaks plus {formatting.format_money(extra['amount'].sum())} "
        f"of {lines.lower()}"
    )


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
