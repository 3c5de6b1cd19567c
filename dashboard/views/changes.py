"""The "since the last meeting" view: new returns and revised values as tables."""

from __future__ import annotations

import pandas as pd

from dashboard.charts import ChartSpec, Column, suppression_footnotes, unavailable_spec
from dashboard.disclosure import SECONDARY_TEXT, SUPPRESSED_TEXT, is_small_count
from dashboard.periods import parse_period
from dashboard.views.common import ViewContext


def new_returns_card(new: pd.DataFrame, context: ViewContext, since_label: str) -> ChartSpec:
    """The returns first loaded since the meeting, whole: a return is not split by locality or
    care group, so the filters do not apply (and the subtitle says so when one is chosen)."""
    key, title = "changes-new-returns", "New provider returns"
    subtitle = f"First loaded on or after {since_label}"
    if context.filters.locality or context.filters.care_group:
        subtitle += " · whole returns, for every locality and care group"
    if new.empty:
        return unavailable_spec(key, title, subtitle, f"No new returns since {since_label}.")
    providers = context.reference.providers.set_index("slug")["name"]
    table = new.assign(
        provider_name=new["provider"].map(providers).fillna(new["provider"]),
        period_label=new["period"].map(context.period_label),
        loaded=new["first_loaded"].dt.strftime("%Y-%m-%d"),
        status="return",
    )
    return context.chart(
        key=key,
        title=f"{len(table)} new return(s) since {since_label}",
        subtitle=subtitle,
        figure=None,
        table=table,
        columns=(
            Column("provider_name", "Provider"),
            Column("period_label", "Period"),
            Column("loaded", "First loaded"),
            Column("rows", "Rows", "count"),
            Column("status", "Status", "status"),
        ),
        sources=["provider-returns"],
        statuses=("return",),
        period_label=subtitle,
    )


def revisions_card(revised: pd.DataFrame, context: ViewContext, since_label: str) -> ChartSpec:
    """The values revised since the meeting, in the chosen locality's districts and care group."""
    key, title = "changes-revisions", "Revised values"
    selection = _selection(context)
    subtitle = f"{selection} · imported values replaced by a later return on or after {since_label}"
    districts = context.place_districts()
    if districts is not None:
        revised = revised[revised["geography"].isin(districts)]
    if context.filters.care_group:
        revised = revised[revised["care_group"] == context.filters.care_group]
    if context.filters.period:
        chosen = parse_period(context.filters.period)
        inside = revised["period"].map(
            lambda slug: chosen.start <= parse_period(slug).start <= chosen.end
        )
        revised = revised[inside.astype(bool)]
    if revised.empty:
        return unavailable_spec(
            key, title, subtitle, f"No values revised for {selection} since {since_label}."
        )
    reference = context.reference
    names = {
        **dict(zip(reference.providers["slug"], reference.providers["name"], strict=True)),
        **context.district_names(),
        **dict(zip(reference.measures["slug"], reference.measures["name"], strict=True)),
        **dict(zip(reference.care_groups["slug"], reference.care_groups["name"], strict=True)),
    }
    table = revised.assign(
        provider_name=revised["provider"].map(names),
        district=revised["geography"].map(names),
        care_group_name=revised["care_group"].map(names).fillna("All care groups"),
        measure_name=revised["measure"].map(names),
        period_label=revised["period"].map(context.period_label),
        change=revised["current"] - revised["previous"],
        replaced=pd.to_datetime(revised["replaced_at"]).dt.strftime("%Y-%m-%d"),
        status="return",
    )
    table, suppressed = _suppress_revisions(table, reference.measures)
    return context.chart(
        key=key,
        title=f"{len(table)} value(s) revised since {since_label}",
        subtitle=subtitle,
        figure=None,
        table=table,
        columns=(
            Column("provider_name", "Provider"),
            Column("period_label", "Period"),
            Column("district", "District"),
            Column("care_group_name", "Care group"),
            Column("measure_name", "Measure"),
            Column("previous", "Before", "count"),
            Column("current", "Now", "count"),
            Column("change", "Change", "count"),
            Column("replaced", "Revised on"),
        ),
        sources=["provider-returns"],
        statuses=("return",),
        period_label=subtitle,
        footnotes=suppression_footnotes(suppressed, suppressed),
    )


def _selection(context: ViewContext) -> str:
    """The place, care group and period chosen, in words ("Thanet & Dover · Dementia")."""
    group = context.care_group_name() if context.filters.care_group else "all care groups"
    period = context.filters.period
    return f"{context.place()} · {group}" + (f" · {context.period_label(period)}" if period else "")


def _suppress_revisions(table: pd.DataFrame, measures: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Counts of 1 to 4 people as "<5"; the change beside one as "[c]", as it would give it away."""
    counts_people = table["measure"].map(measures.set_index("slug")["counts_people"])
    counts_people = counts_people.fillna(True).astype(bool)
    small = {
        column: counts_people & table[column].map(is_small_count)
        for column in ("previous", "current")
    }
    hidden = small["previous"] | small["current"]
    result = table.assign(
        **{
            column: table[column].astype(object).where(~mask, SUPPRESSED_TEXT)
            for column, mask in small.items()
        },
        change=table["change"].astype(object).where(~hidden, SECONDARY_TEXT),
    )
    return result, bool(hidden.any())
