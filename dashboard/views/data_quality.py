"""The data-quality panel: what each source gives, how recent, how complete, and known problems."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.charts import ChartSpec, Column, unavailable_spec
from dashboard.data_dates import format_date
from dashboard.figures import data_quality as figures
from dashboard.periods import financial_year_slug, parse_period
from dashboard.rules import concerns_place, contracted_providers, is_district
from dashboard.theme import status_words
from dashboard.views.common import ViewContext, statuses_of


def scoped(subtitle: str, context: ViewContext, by_place: bool) -> str:
    """``subtitle`` naming the chosen locality when the card answers it (``by_place``), and
    saying which chosen filters the card does not answer: these lists are not split by care
    group, and some not by locality."""
    filters = context.filters
    if filters.locality and by_place:
        subtitle = f"{context.place()} · {subtitle}"
    whole, split = [], []
    if filters.locality and not by_place:
        whole.append("all of Kent")
        split.append("locality")
    if filters.care_group:
        whole.append("all care groups")
        split.append("care group")
    if not whole:
        return subtitle
    return f"{subtitle} · {' and '.join(whole)}: not split by {' or '.join(split)}"


def source_summary(coverage: pd.DataFrame, context: ViewContext) -> pd.DataFrame:
    """One row per source, measure and status: latest period, geography and row counts.

    Columns: source_title, measure_name, status, latest_label, latest_end, geography_level,
    districts, rows.
    """
    reference = context.reference
    periods = reference.periods.set_index("slug")["label"]
    districts = context.districts
    in_district = is_district(coverage["geography"], districts)
    frame = coverage.assign(district=coverage["geography"].where(in_district))
    grouped = frame.groupby(["source", "measure", "status"], as_index=False).agg(
        latest_end=("period_end", "max"),
        rows=("rows", "sum"),
        districts=("district", "nunique"),  # missing (not a district) is not counted
    )
    latest = (
        frame.sort_values("period_end").groupby(["source", "measure", "status"])["period"].last()
    )
    grouped = grouped.assign(
        latest_label=[
            periods.get(latest[key], latest[key])
            for key in zip(grouped["source"], grouped["measure"], grouped["status"], strict=True)
        ],
        geography_level=grouped["districts"].map(
            lambda n: "district" if n else "county or locality"
        ),
        source_title=grouped["source"].map(context.citations),
        measure_name=grouped["measure"].map(
            dict(zip(reference.measures["slug"], reference.measures["name"], strict=True))
        ),
    )
    return grouped.sort_values(["source_title", "measure_name", "status"]).reset_index(drop=True)


def district_completeness(coverage: pd.DataFrame, context: ViewContext) -> pd.DataFrame:
    """Share of the latest year's quarters with a return, by measure and district.

    Only quarterly district-level series count (monitoring returns, demo or imported).
    Columns: measure_name, year_label, status, source (slugs joined by ";"), series_name (the
    measure, with its status and year where the measure has more than one series), one column
    per district name (0-100).
    """
    quarterly = coverage[
        (coverage["period_kind"] == "quarter")
        & is_district(coverage["geography"], context.districts)
    ]
    if quarterly.empty:
        return pd.DataFrame()
    names = _place_district_names(context)
    measures = dict(
        zip(context.reference.measures["slug"], context.reference.measures["name"], strict=True)
    )
    periods = context.reference.periods.set_index("slug")["label"]
    records = []
    for (measure, status), rows in quarterly.groupby(["measure", "status"]):
        year = rows["period"].max()[:7]
        in_year = rows[rows["period"].str.startswith(year)]
        quarters = in_year.groupby("geography")["period"].nunique()
        record = {
            "measure_name": measures.get(measure, measure),
            "year_label": periods.get(year) or parse_period(year).label,
            "status": status,
            "source": ";".join(sorted(set(in_year["source"]))),
        }
        for code, name in names.items():
            record[name] = 100 * quarters.get(code, 0) / 4
        records.append(record)
    table = pd.DataFrame(records).sort_values(["measure_name", "status"]).reset_index(drop=True)
    # A measure with returns and demo rows is two series: their rows must not share a name,
    # or the heat map draws both on one row (the other row's label left on figures not its own).
    repeated = table["measure_name"].duplicated(keep=False)
    series = table["measure_name"] + (
        " (" + table["status"].map(status_words) + ", " + table["year_label"] + ")"
    ).where(repeated, "")
    return table.assign(series_name=series)


def _place_district_names(context: ViewContext) -> dict[str, str]:
    """Code -> name of the chosen locality's districts (every district for all of Kent)."""
    place = context.place_districts()
    names = context.district_names()
    return {code: name for code, name in names.items() if place is None or code in place}


def sources_card(coverage: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """Per source and measure: latest period, finest geography and rows loaded."""
    key, title = "data-quality-sources", "What each source provides, and how recent it is"
    subtitle = scoped("All sources loaded · latest period per source and measure", context, False)
    table = source_summary(coverage, context)
    if table.empty:
        return unavailable_spec(key, title, subtitle, "No data is loaded.")
    newest = table.sort_values("latest_end").iloc[-1]
    return context.chart(
        key=key,
        title=f"{len(table)} series from {table['source_title'].nunique()} sources; "
        f"the newest runs to {newest['latest_label']}",
        subtitle=subtitle,
        figure=None,
        table=table,
        columns=(
            Column("source_title", "Source"),
            Column("measure_name", "Measure"),
            Column("status", "Status", "status"),
            Column("latest_label", "Latest period"),
            Column("geography_level", "Finest geography"),
            Column("districts", "Districts with data", "count"),
            Column("rows", "Rows", "count"),
        ),
        sources=table["source"].unique(),
        period_label="all periods",
    )


def completeness_card(coverage: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """Heat map of quarterly returns received in the latest year, by measure and district."""
    key, title = "data-quality-completeness", "Completeness of quarterly returns by district"
    subtitle = scoped(
        "Latest financial year of each quarterly series · share of quarters with a figure",
        context,
        True,
    )
    table = district_completeness(coverage, context)
    if table.empty:
        return unavailable_spec(key, title, subtitle, "No quarterly returns are loaded.")
    districts = list(_place_district_names(context).values())
    complete = (table[districts] == 100).all(axis=1).sum()
    every = (
        "every district" if not context.filters.locality else f"every district of {context.place()}"
    )
    statuses = statuses_of(table)
    # "Complete" beside "0 of 4 expected returns received" read as a contradiction: demo figures
    # fill a series' quarters, but they are not returns.
    title = f"{complete} of {len(table)} quarterly series have a figure for every quarter of their "
    title += f"latest year in {every}"
    if set(table["status"]) == {"demo"}:
        title += ": demo figures, not returns"
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=figures.completeness_heatmap(table, districts, statuses=statuses),
        table=table,
        columns=(
            Column("measure_name", "Measure"),
            Column("year_label", "Year"),
            Column("status", "Status", "status"),
            *(Column(name, name, "percent") for name in districts),
        ),
        sources=sorted(set(";".join(table["source"]).split(";"))),
        statuses=statuses,
        period_label="latest year of each series",
        alt_text=f"Heat map. {title}.",
    )


def notes_card(context: ViewContext) -> ChartSpec:
    """The flagged inconsistencies and caveats in the published and census figures."""
    notes = context.reference.quality_notes
    key = "data-quality-notes"
    subtitle = scoped("Kept as published; never corrected", context, False)
    table = notes.assign(
        source_title=notes["source"].map(context.citations), status="published"
    ).sort_values("title")
    return context.chart(
        key=key,
        title=f"{len(table)} data-quality notes, including inconsistencies in published figures",
        subtitle=subtitle,
        figure=None,
        table=table,
        columns=(
            Column("title", "Note"),
            Column("description", "Detail"),
            Column("source_title", "Source"),
            Column("source_section", "Section"),
        ),
        sources=table["source"].unique(),
        statuses=(),  # a list about the data, not figures with a status
        period_label="as published",
    )


def screened_card(screened: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """Stored values left out of every statistic: how many, of which measure, and why."""
    key, title = "data-quality-screened", "Values left out of the statistics"
    subtitle = scoped(
        "Stored figures outside the range their unit allows, or above the Census count",
        context,
        False,
    )
    if screened.empty:
        return unavailable_spec(key, title, subtitle, "Every stored value is within range.")
    reference = context.reference
    names = {
        **dict(zip(reference.measures["slug"], reference.measures["name"], strict=True)),
        **dict(zip(reference.service_lines["slug"], reference.service_lines["name"], strict=True)),
        **dict(zip(reference.geographies["code"], reference.geographies["name"], strict=True)),
        **context.district_names(),
    }
    grouped = screened.groupby(["measure", "reason"], as_index=False).agg(
        rows=("value", "size"),
        areas=("geography", lambda g: ", ".join(sorted({names.get(c, c) for c in g})[:5])),
        first_period=("period", "min"),
        last_period=("period", "max"),
        # Shown as stored, as text: the value itself is what is wrong.
        example=("value", lambda v: f"{v.iloc[0]:.6g}"),
    )
    table = grouped.assign(
        measure_name=grouped["measure"].map(names).fillna(grouped["measure"]),
        periods=grouped["first_period"].map(context.period_label)
        + " to "
        + grouped["last_period"].map(context.period_label),
    ).sort_values(["measure_name", "reason"])
    return context.chart(
        key=key,
        title=f"{int(table['rows'].sum()):,} stored value(s) left out of every chart and total",
        subtitle=subtitle,
        figure=None,
        table=table,
        columns=(
            Column("measure_name", "Measure"),
            Column("reason", "Why it is left out"),
            Column("rows", "Values"),
            Column("example", "For example"),
            Column("areas", "Areas (first five)"),
            Column("periods", "Periods"),
        ),
        sources=["provider-returns"],
        statuses=(),  # a list about the data, not figures with a status
        period_label="all periods",
    )


RETURN_GRACE_DAYS = 45  # providers have six weeks or so after a quarter ends to send it
RETURN_QUARTERS = 4  # the panel looks back over the last year's returns
OWED_IN_WORDS = {True: "Yes", False: "No: no contract covers the quarter"}


def returns_status(
    received: pd.DataFrame, context: ViewContext, today: date, quarters: int = RETURN_QUARTERS
) -> pd.DataFrame:
    """The last ``quarters`` completed quarters' returns for the chosen place: received, due or
    late.

    A provider owes a quarter's return only while a contract of its for the place covers the
    quarter (``expected_returns``); a return that was loaded with figures for a district of the
    place is listed as received whether or not one was owed. ``received`` is
    ``Repository.returns_received``. Columns: provider_name, period, period_label, state,
    loaded_at, expected (the return was owed).
    """
    providers = context.reference.providers.set_index("slug")["name"]
    periods = _completed_quarters(today, quarters)
    expected = expected_returns(_place_contracts(context), periods)
    place = context.place_districts()
    if place is not None:
        received = received[received["geography"].isin(place)]
    loaded_at = _loaded_returns(received, periods)
    # By provider, then newest quarter first, as the panel has always listed them.
    owed_or_sent = sorted(
        expected | loaded_at.keys(), key=lambda key: (key[0], periods.index(key[1]))
    )
    records = []
    for provider, period in owed_or_sent:
        quarter = parse_period(period)
        loaded = loaded_at.get((provider, period))
        if loaded is not None:
            state = "received"
        elif (today - quarter.end).days > RETURN_GRACE_DAYS:
            state = "late"
        else:
            state = "due"
        records.append(
            {
                "provider_name": providers.get(provider, provider),
                "period": period,
                "period_label": quarter.label,
                "state": state,
                "loaded_at": loaded.strftime("%Y-%m-%d") if loaded is not None else "",
                "expected": (provider, period) in expected,
            }
        )
    return pd.DataFrame(
        records,
        columns=["provider_name", "period", "period_label", "state", "loaded_at", "expected"],
    )


def _place_contracts(context: ViewContext) -> pd.DataFrame:
    """The contracts that concern the chosen place (``rules.concerns_place``); one that names
    no locality is Kent-wide."""
    contracts = context.reference.contracts
    place, shares = context.place_districts(), context.reference.shares
    concerning = [
        concerns_place([locality] if isinstance(locality, str) and locality else [], place, shares)
        for locality in contracts["locality"]
    ]
    return contracts[concerning]


def expected_returns(contracts: pd.DataFrame, periods: list[str]) -> set[tuple[str, str]]:
    """Each (provider, quarter) of ``periods`` for which the provider's contracts owe a return."""
    owed = set()
    for period in periods:
        quarter = parse_period(period)
        providers = contracted_providers(contracts, quarter.start, quarter.end)
        owed |= {(provider, period) for provider in providers}
    return owed


def _loaded_returns(
    received: pd.DataFrame, periods: list[str]
) -> dict[tuple[str, str], pd.Timestamp]:
    """When each provider's return for one of ``periods`` was last loaded, by (provider,
    period); ``received`` may hold a row per district of a return."""
    returns = received.dropna(subset=["provider"])
    latest = returns[returns["period"].isin(periods)].groupby(["provider", "period"])["loaded_at"]
    return latest.max().to_dict()


def _completed_quarters(today: date, count: int) -> list[str]:
    """The ``count`` most recent quarters that have ended by ``today``, newest first."""
    first_year = today.year if today.month >= 4 else today.year - 1
    slugs = []
    year, quarter = first_year, (today.month - 4) % 12 // 3 + 1
    while len(slugs) < count:
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        slugs.append(f"{financial_year_slug(year)}-q{quarter}")
    return slugs


def returns_card(received: pd.DataFrame, context: ViewContext, today: date) -> ChartSpec:
    """Which providers' quarterly returns are in, due or late, against what contracts owe."""
    key, title = "data-quality-returns", "Provider returns received"
    quarters = f"Last four completed quarters as at {format_date(today)}"
    subtitle = scoped(quarters, context, True)
    periods = _completed_quarters(today, RETURN_QUARTERS)
    table = returns_status(received, context, today)
    span = f"{parse_period(periods[-1]).label} to {parse_period(periods[0]).label}"
    if context.filters.locality:
        span += f" for {context.place()}"
    if table.empty:
        where = f" for {context.place()}" if context.filters.locality else ""
        return unavailable_spec(
            key,
            title,
            subtitle,
            f"No provider is contracted to return {span}: no contract on record{where} covers "
            "those quarters, and no return for them has been loaded"
            + (" with figures for its districts." if where else "."),
        )
    late = int((table["state"] == "late").sum())
    owed, received_rows = table["expected"], table["state"] == "received"
    unowed = int((received_rows & ~owed).sum())  # from a provider with no contract for it
    if owed.any():
        title = (
            f"{int((received_rows & owed).sum())} of {int(owed.sum())} expected returns "
            f"received; {late} late"
        )
    else:
        title = f"No provider is contracted to return {span}"
    if unowed:
        title += f"; {unowed} received from providers without a contract for the quarter"
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=None,
        table=table.assign(owed=table["expected"].map(OWED_IN_WORDS)),
        columns=(
            Column("provider_name", "Provider"),
            Column("period_label", "Quarter"),
            Column("state", "Return"),
            Column("loaded_at", "Loaded on"),
            Column("owed", "Owed under a contract"),
        ),
        sources=["provider-returns"],
        statuses=(),  # a list about the data, not figures with a status
        period_label=quarters,
        footnotes=(
            "A provider is expected to return a quarter when one of its contracts covers it. Demo "
            "data is not a return: until a provider's return is loaded, charts show demo figures "
            f"for that quarter. A return is late {RETURN_GRACE_DAYS} days after its quarter ends.",
        ),
    )
