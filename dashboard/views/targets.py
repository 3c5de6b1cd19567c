"""Targets page: performance against the 2013 Carers' Assessment and Support contract.

The contract (Appendix 1) sets targets for Kent and each of the six 2013 localities: three
totals for the 2013-2016 term and per-year targets from April 2014 (year-1 reviews for 2013/14).
Each target is compared with the measure its catalogue row names in ``target_of``; where no
rows of that measure exist the target is shown with "no actuals recorded", never a guess.
Targets stay exactly as published, even where the localities do not add up to Kent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard import formatting
from dashboard.charts import (
    BASE_ALL_CARE_GROUPS,
    BY_CARE_GROUP,
    ChartSpec,
    Column,
    suppress_small_counts,
    suppression_footnotes,
    unavailable_spec,
)
from dashboard.disclosure import SUPPRESSED_TEXT, is_small_count
from dashboard.figures import targets as figures
from dashboard.filters import Filters
from dashboard.rules import (
    KENT_CODE,
    STATUS_ORDER,
    locality_weights,
    resolve_count,
    within,
)
from dashboard.views.common import ViewContext, quality_footnote, worked_out_once

TARGET_SCHEME = "cas-2013"
TARGET_SOURCE = "kcc-cas-contract-2013"
# The service line the contract targets and new carers are about, for the events they mark.
CAS_LINES = ("cas",)
CONTRACT_PERIOD = "contract-2013-16"
CONTRACT_YEARS = ("2013-14", "2014-15", "2015-16")
PER_YEAR_PERIOD = "2014-15"  # per-year targets are stored once, "per year from April 2014"
YEAR_ONE = "2013-14"
DEFAULT_YEAR = "2015-16"  # the last contract year with published activity
CONTRACT_TARGETS = ("target-carers-supported", "target-new-carers", "target-seldom-heard-carers")
YEARLY_TARGETS = (
    "target-carers-assessments",
    "target-reviews",
    "target-something-for-me",
    "target-health-checks",
    "target-emergency-cards",
    "target-support-plans",
    "target-young-carer-transition-plans",
)
YEAR_ONE_REVIEWS = "target-reviews-year-1"
# (target, choice label, phrase used in titles)
TARGETS_TO_COMPARE = (
    ("target-carers-supported", "Carers supported (2013–2016 total)", "carers-supported"),
    ("target-new-carers", "New carers (2013–2016 total)", "new-carers"),
    ("target-seldom-heard-carers", "Seldom-heard carers (2013–2016 total)", "seldom-heard carers"),
    ("target-carers-assessments", "Carers' assessments (a year)", "assessments"),
    ("target-reviews", "Outcome-focused reviews (a year)", "reviews"),
    ("target-something-for-me", "Something for Me payments (a year)", "Something for Me"),
    ("target-health-checks", "Health checks (a year)", "health-checks"),
    ("target-emergency-cards", "Emergency cards (a year)", "emergency-cards"),
    ("target-support-plans", "Support plans (a year)", "support-plans"),
    (
        "target-young-carer-transition-plans",
        "Young carer transition plans (a year)",
        "transition-plans",
    ),
)
TARGET_CHOICES = tuple((slug, label) for slug, label, _ in TARGETS_TO_COMPARE)
NEW_CARERS = "new-carers-identified"
PUBLISHED_QUARTERS = (
    "2015-16-q1",
    "2015-16-q2",
    "2015-16-q3",
    "2015-16-q4",
    "2016-17-q1",
    "2016-17-q2",
)
LOCALITY_SUMS_NOTE = "targets-locality-sums"
NEW_CARERS_NOTE = "new-carers-2015-16-two-totals"
NEW_CARERS_TARGET_NOTE = "new-carers-target-scale"

GREEN, AMBER, RED, NO_ACTUALS, SUPPRESSED = "green", "amber", "red", "none", "suppressed"
PART = "part"  # a care group's actual against a target set for all carers
RAG_WORDS = {
    PART: "Not rated: the care group's part of a target for all carers",
    GREEN: "Green: met",
    AMBER: "Amber: 90–99% of target",
    RED: "Red: under 90% of target",
    NO_ACTUALS: "No actuals recorded",
    SUPPRESSED: "Not rated: fewer than 5",
}
RAG_RULE = (
    "RAG rule: green when the actual is at least 100% of the target for the period, amber from "
    "90% to under 100%, red under 90%. Per-year targets are pro rata for a quarter (a quarter of "
    "the yearly target) or a half-year (half of it). Status is written in words and marked by "
    "shape (circle green, diamond amber, cross red) as well as colour."
)
TARGETS_BASE = "targets"
GROUP_PART_NOTE = (
    "The 2013 contract set targets for all carers, not by care group: the bars show the chosen "
    "care group's actuals and what part of the all-carers target they make up, not rated."
)
OTHER_SCHEME = (
    "Targets were set for the six 2013 contract localities (the 2013 carers' support localities) "
    "only, not for {place}. Choose a locality from that scheme, or all of Kent."
)
OUTSIDE_CONTRACT = (
    "The 2013 contract's per-year targets cover 2014/15 and 2015/16 (year-1 reviews: 2013/14); "
    "no targets were published for {label}. Choose a period from 2013/14 to 2015/16."
)
SUMMED_RETURNS = (
    "Actuals are quarterly returns added up over the period, so a carer supported in more than "
    "one quarter is counted more than once."
)
APPORTIONED = (
    "Locality actuals are district returns apportioned to the 2013 localities by Census 2021 "
    "carer shares (Tonbridge and Malling and Sevenoaks are split), rounded to whole carers."
)
CONTRACT_LABEL = "Targets: 2013–2016 contract; actuals: 2013/14 to 2015/16 added up"
PART_YEAR_SCALE = {"year": 1.0, "half": 0.5, "quarter": 0.25}

RAG_COLUMNS = (
    Column("actual", "Actual", "count"),
    Column("target", "Target as published", "count"),
    Column("target_for_period", "Target for the period", "count"),
    Column("percent", "% of target", "percent"),
    Column("rag_text", "RAG status"),
    Column("status", "Status", "status"),
)


@dataclass(frozen=True)
class TargetsData:
    """The rows of each measure the page reads (``measures_needed``), by slug: the repository's
    cached frames, never modified."""

    measures: Mapping[str, pd.DataFrame]
    # Each target beside its actual, read by several charts and filter settings: worked out
    # once (``worked_out_once``) for each data version, whose one ``TargetsData`` the callbacks
    # read (``Repository.page_data``). Under 1 KB each; the period's rows they are
    # worked out from are not kept (about 1.6 MB a year at 10^6 rows).
    worked_out: dict = field(default_factory=dict, compare=False, repr=False)


def measures_needed(reference) -> list[str]:
    """Every measure the page reads: the targets and the measures they are targets for."""
    targets = [*CONTRACT_TARGETS, *YEARLY_TARGETS, YEAR_ONE_REVIEWS]
    measures = reference.measures.set_index("slug")
    actuals = [measures.loc[slug, "target_of"] for slug in targets]
    return list(dict.fromkeys([*targets, *actuals, NEW_CARERS]))


def rag_status(actual: float | None, target: float | None) -> str:
    """Green, amber or red for an actual against its target; ``none`` without an actual."""
    if actual is None or pd.isna(actual) or not target:
        return NO_ACTUALS
    share = actual / target
    if share >= 1:
        return GREEN
    return AMBER if share >= 0.9 else RED


def percent_text(percent: float | None) -> str:
    """Whole percentages, unless rounding would put the figure across a RAG threshold."""
    if percent is None or pd.isna(percent):
        return formatting.MISSING
    rounded = math.floor(percent + 0.5)  # half-up, as formatting rounds
    crosses = any(percent < limit <= rounded for limit in (90, 100))
    return formatting.format_percent(percent, 1 if crosses else 0)


def short_name(target_name: str) -> str:
    """'Target: carers supported' -> 'Carers supported'."""
    text = target_name.split(":", 1)[-1].strip()
    return text[:1].upper() + text[1:]


def not_applicable(context: ViewContext) -> str:
    """Why the targets cannot be shown for the filters, or an empty string."""
    filters = context.filters
    if filters.locality and filters.scheme != TARGET_SCHEME:
        return OTHER_SCHEME.format(place=context.place())
    return ""


def selected_period(context: ViewContext) -> pd.Series:
    """The period row per-year targets are compared with: the filter, else 2015/16."""
    periods = context.reference.periods
    slug = context.filters.period or DEFAULT_YEAR
    return periods[periods["slug"] == slug].iloc[0]


def yearly_target_for(target: str, year: str) -> tuple[str, str] | None:
    """The (target measure, target period) in force in a financial year, if any."""
    if year in CONTRACT_YEARS[1:]:
        return target, PER_YEAR_PERIOD
    if year == YEAR_ONE and target == "target-reviews":
        return YEAR_ONE_REVIEWS, YEAR_ONE
    return None


@dataclass(frozen=True)
class PeriodRows:
    """The page's rows of each measure within one ``period`` (a row of the periods table),
    taken when first asked for and kept while one chart is drawn: its rows read the same
    measure again and again (once per locality). Target rows are read whole: they are stored
    against their own periods."""

    data: TargetsData
    period: pd.Series
    taken: dict = field(default_factory=dict, compare=False, repr=False)

    def of(self, measure: str) -> pd.DataFrame:
        if measure not in self.taken:
            rows = self.data.measures[measure]  # every one ``measures_needed`` names
            self.taken[measure] = within(rows, *self.period[["start", "end"]])
        return self.taken[measure]


def target_row(
    rows: PeriodRows,
    context: ViewContext,
    *,
    target: str,
    target_period: str,
    geography: str,
    scale: float = 1.0,
) -> dict:
    """One published target beside its actual in ``rows.period`` for one place, for the chosen
    care group: a new dict, a copy of the one kept for other charts and filter settings (the
    comparison of localities is the same whichever locality is chosen).

    ``scale`` pro-rates a yearly target to a part year. The actual for a locality is resolved
    from the period's district rows apportioned by the locality's carer shares.
    """
    where = (target, target_period, geography, rows.period["slug"], scale)
    key = ("target_row", *where, context.filters.care_group)
    return dict(
        worked_out_once(
            rows.data.worked_out,
            key,
            lambda: _target_row(
                rows,
                context,
                target=target,
                target_period=target_period,
                geography=geography,
                scale=scale,
            ),
        )
    )


def _target_row(
    rows: PeriodRows,
    context: ViewContext,
    *,
    target: str,
    target_period: str,
    geography: str,
    scale: float,
) -> dict:
    actual_period = rows.period
    reference = context.reference
    measure = reference.measure(target)
    actual_measure = measure["target_of"]
    actual_catalogue = reference.measure(actual_measure)
    targets = rows.data.measures[target]
    published = targets[
        (targets["period"] == target_period)
        & (targets["geography"] == geography)
        & (targets["category"] == "")
    ].iloc[0]
    care_group = context.filters.care_group
    filters = Filters(
        TARGET_SCHEME, None if geography == KENT_CODE else geography, care_group=care_group
    )
    resolved = resolve_count(
        rows.of(actual_measure),
        period=actual_period,
        filters=filters,
        weights=locality_weights(reference.shares, filters),
        districts=context.districts,
    )
    target_for_period = float(published["value"]) * scale
    # Apportioned district returns are fractions of people: count whole carers.
    actual = None if resolved.value is None else float(round(resolved.value))
    rag = rag_status(actual, target_for_period)
    if care_group and rag != NO_ACTUALS:
        rag = PART
    percent = 100 * actual / target_for_period if actual is not None else math.nan
    counts_people = str(actual_catalogue["counts_people"]).lower() == "true"
    if counts_people and is_small_count(actual):
        rag, percent = SUPPRESSED, math.nan
    return {
        "target_measure": target,
        "target_name": short_name(measure["name"]),
        "actual_measure": actual_measure,
        "actual_name": actual_catalogue["name"],
        "geography": geography,
        "place": _place_name(context, geography),
        "actual_period": actual_period["slug"],
        "actual_period_label": actual_period["label"],
        "target_period": target_period,
        "actual": math.nan if actual is None else actual,
        "target": float(published["value"]),
        "target_for_period": target_for_period,
        "percent": percent,
        "rag": rag,
        "rag_text": RAG_WORDS[rag],
        "status": resolved.status or "published",
        "source": ";".join(resolved.sources),
        "note": published["note"],
    }


def _place_name(context: ViewContext, geography: str) -> str:
    if geography == KENT_CODE:
        return "Kent"
    geographies = context.reference.geographies
    return geographies.loc[geographies["code"] == geography, "name"].iloc[0]


def _place_geography(context: ViewContext) -> str:
    return context.filters.locality or KENT_CODE


def _contract_period(context: ViewContext) -> pd.Series:
    periods = context.reference.periods
    return periods[periods["slug"] == CONTRACT_PERIOD].iloc[0]


def _finish(rows: list[dict]) -> tuple[pd.DataFrame, bool]:
    """The rows as a frame, with counts of 1 to 4 people shown as "<5".

    Only the rows ``target_row`` rated as suppressed: an actual that counts something other
    than people (one-off payments, say) is shown whatever its size.
    """
    frame = pd.DataFrame(rows)
    suppressed = frame["rag"] == SUPPRESSED
    frame["actual"] = frame["actual"].astype(object).where(~suppressed, SUPPRESSED_TEXT)
    return frame, bool(suppressed.any())


def _statuses(frame: pd.DataFrame) -> tuple[str, ...]:
    """Targets are always published; actuals add their own statuses."""
    present = {"published", *frame["status"].dropna()}
    return tuple(status for status in STATUS_ORDER if status in present)


def _bullet_label(row: dict, name: str) -> str:
    target = formatting.format_count(row["target_for_period"])
    if row["rag"] == NO_ACTUALS:
        return f"{name}: target {target} · {RAG_WORDS[NO_ACTUALS]}"
    if row["rag"] == SUPPRESSED:
        return f"{name}: {SUPPRESSED_TEXT} against a target of {target} · {RAG_WORDS[SUPPRESSED]}"
    actual = formatting.format_count(row["actual"])
    percent = percent_text(row["percent"])
    return f"{name}: {actual} against a target of {target} ({percent}) · {row['rag_text']}"


def _figure_rows(frame: pd.DataFrame, name_column: str) -> pd.DataFrame:
    """What the bullet chart draws: numbers, RAG, status and a label in words per row.

    Rows of one target share a scale, except Kent, whose totals would dwarf the localities
    (targets of different measures are drawn as shares of their own: ``_bullet_spec``).
    """
    if name_column == "place":
        scale = frame["geography"].where(frame["geography"] == KENT_CODE, "localities")
    else:
        scale = frame["target_measure"]
    records = frame.to_dict("records")
    labels = [_bullet_label(row, row[name_column]) for row in records]
    actual = pd.to_numeric(frame["actual"], errors="coerce")
    return pd.DataFrame(
        {
            "label": labels,
            "actual": actual,
            "target": frame["target_for_period"],
            "rag": frame["rag"],
            "rag_text": frame["rag_text"],
            "status": frame["status"],
            "scale": scale,
        }
    )


def _summary(frame: pd.DataFrame) -> tuple[int, int, int]:
    """Targets met, targets with actuals, and targets with no actuals recorded."""
    rated = frame[frame["rag"].isin([GREEN, AMBER, RED])]
    return int((rated["rag"] == GREEN).sum()), len(rated), int((frame["rag"] == NO_ACTUALS).sum())


def _summary_title(context: ViewContext, frame: pd.DataFrame, what: str, when: str) -> str:
    place = context.place()
    if context.filters.care_group:
        return _part_title(f"{place}, {context.care_group_name()}", frame, what, when)
    met, rated, missing = _summary(frame)
    if not rated:
        return f"{place}: no actuals recorded for the {what} {when}"
    text = f"{place} met {met} of {rated} {what} with recorded actuals {when}"
    if missing:
        text += f"; {missing} {'has' if missing == 1 else 'have'} no actuals recorded"
    return text


def _part_title(selection: str, frame: pd.DataFrame, what: str, when: str) -> str:
    """A care group's actuals as parts of all-carers targets, lowest to highest."""
    parts = pd.to_numeric(frame.loc[frame["rag"] == PART, "percent"], errors="coerce").dropna()
    if parts.empty:
        return f"{selection}: no actuals recorded against the {what} {when}"
    low, high = percent_text(parts.min()), percent_text(parts.max())
    span = low if low == high else f"{low} to {high}"
    return f"{selection}: actuals make up {span} of the all-carers {what} {when}"


def _quality_pointer(context: ViewContext) -> tuple[str, ...]:
    """A short form of the locality-sums note, for cards that show one place's targets (none
    if the database does not hold that note, as ``ViewContext.quality_notes``)."""
    notes = context.reference.quality_notes
    titles = notes.loc[notes["slug"] == LOCALITY_SUMS_NOTE, "title"]
    return tuple(
        quality_footnote(
            title,
            "Kent and locality targets are shown as published; the comparison across "
            "localities below gives the figures.",
        )
        for title in titles.head(1)
    )


def _about(what: str) -> dict:
    """The 'About' panel for a card of several targets: what they are and the RAG rule."""
    return {
        "name": what,
        "definition": (
            "Minimum numbers the 2013 Carers' Assessment and Support contract (Appendix 1, "
            "Performance Monitoring) sets for Kent and each 2013 locality."
        ),
        "method": RAG_RULE,
        "caveats": (
            "Targets were set from JSNA carer estimates and could be revised with the lead "
            "commissioner. The published locality targets do not always add up to Kent."
        ),
        "unit": "count",
        "finest_geography": "locality",
    }


def _bullet_spec(
    frame: pd.DataFrame,
    context: ViewContext,
    *,
    key: str,
    title: str,
    subtitle: str,
    period_label: str,
    footnotes: tuple[str, ...],
    name_column: str = "target_name",
    highlight: str | None = None,
    measure: dict | None = None,
    suppressed: bool = False,
) -> ChartSpec:
    statuses = _statuses(frame)
    first = Column(name_column, "Area" if name_column == "place" else "Target")
    group_notes = (GROUP_PART_NOTE,) if context.filters.care_group else ()
    # Targets of different measures are read against their own targets, on one axis; places
    # on one target keep its units.
    shares = name_column != "place"
    drawn = "each actual as a share of its target" if shares else "actuals against the target"
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=figures.bullet_chart(
            _figure_rows(frame, name_column),
            statuses=statuses,
            highlight=highlight,
            share_of_target=shares,
        ),
        table=frame,
        columns=(
            first,
            Column("actual_name", "Compared with"),
            Column("actual_period_label", "Actuals for"),
            *RAG_COLUMNS,
        ),
        sources=[TARGET_SOURCE, *";".join(frame["source"]).split(";")],
        recorded=BASE_ALL_CARE_GROUPS,
        measure=measure or _about("2013 contract targets and the RAG rule"),
        statuses=statuses,
        period_label=period_label,
        footnotes=(*group_notes, *footnotes, *suppression_footnotes(suppressed)),
        alt_text=(
            f"Bullet chart of {drawn}: {title}. "
            + "; ".join(_bullet_label(row, row[name_column]) for row in frame.to_dict("records"))
        ),
    )


def contract_targets(data: TargetsData, context: ViewContext) -> ChartSpec:
    """The three 2013-2016 totals for Kent or the chosen locality, against summed actuals."""
    key, title = "targets-contract", "Targets for the whole 2013–2016 contract"
    period_label = CONTRACT_LABEL
    subtitle = context.subtitle(period_label, BASE_ALL_CARE_GROUPS, TARGETS_BASE)
    reason = not_applicable(context)
    if reason:
        return unavailable_spec(key, title, subtitle, reason)
    in_period = PeriodRows(data, _contract_period(context))
    rows = [
        target_row(
            in_period,
            context,
            target=target,
            target_period=CONTRACT_PERIOD,
            geography=_place_geography(context),
        )
        for target in CONTRACT_TARGETS
    ]
    frame, suppressed = _finish(rows)
    return _bullet_spec(
        frame,
        context,
        key=key,
        title=_summary_title(context, frame, "contract targets", "for 2013–2016"),
        subtitle=subtitle,
        period_label=period_label,
        footnotes=(
            "Contract targets are three-year totals (April 2013 to March 2016) and are compared "
            "with the 2013/14, 2014/15 and 2015/16 actuals added up, whatever period is chosen.",
            SUMMED_RETURNS,
            *_locality_notes(context),
            RAG_RULE,
            *_quality_pointer(context),
            *context.quality_notes(NEW_CARERS_TARGET_NOTE),
        ),
        suppressed=suppressed,
    )


def _locality_notes(context: ViewContext) -> tuple[str, ...]:
    return (APPORTIONED,) if context.filters.locality else ()


def yearly_targets(data: TargetsData, context: ViewContext) -> ChartSpec:
    """The per-year targets in force in the chosen year (default 2015/16), against actuals."""
    period = selected_period(context)
    year = period["slug"][:7]
    label = period["label"]
    key, title = "targets-yearly", f"Per-year targets in {label}"
    period_label = _yearly_label(context, period)
    subtitle = context.subtitle(period_label, BASE_ALL_CARE_GROUPS, TARGETS_BASE)
    reason = not_applicable(context)
    if reason:
        return unavailable_spec(key, title, subtitle, reason)
    in_force = [yearly_target_for(target, year) for target in YEARLY_TARGETS]
    in_force = [pair for pair in in_force if pair]
    if not in_force:
        return unavailable_spec(key, title, subtitle, OUTSIDE_CONTRACT.format(label=label))
    scale, in_period = PART_YEAR_SCALE[period["kind"]], PeriodRows(data, period)
    rows = [
        target_row(
            in_period,
            context,
            target=target,
            target_period=target_period,
            geography=_place_geography(context),
            scale=scale,
        )
        for target, target_period in in_force
    ]
    frame, suppressed = _finish(rows)
    notes = [
        "Per-year targets apply from April 2014 (stored against 2014/15); each year is compared "
        "with the same yearly target.",
    ]
    if scale < 1:
        notes.append(
            f"The chosen period is part of a year, so each yearly target is scaled to "
            f"{formatting.format_percent(100 * scale)} of its value (pro rata)."
        )
    if year == YEAR_ONE:
        notes.append(
            "In 2013/14 only the year-1 reviews target applies; the other per-year targets "
            "start in April 2014."
        )
    notes.append(
        "Something for Me payments are compared with one-off payments: the measure catalogue "
        "records Something for Me payments as one-off carers' payments."
    )
    return _bullet_spec(
        frame,
        context,
        key=key,
        title=_summary_title(context, frame, "per-year targets", f"in {label}"),
        subtitle=subtitle,
        period_label=period_label,
        footnotes=(
            *notes,
            *_locality_notes(context),
            RAG_RULE,
            *_quality_pointer(context),
        ),
        suppressed=suppressed,
    )


def locality_comparison(data: TargetsData, context: ViewContext, target: str) -> ChartSpec:
    """One target for Kent and each 2013 locality, as published, against each one's actual."""
    name = dict(TARGET_CHOICES)[target]
    phrase = {slug: words for slug, _, words in TARGETS_TO_COMPARE}[target]
    key, title = "targets-by-locality", f"{name}: each locality against its target"
    period, scale, period_label = _comparison_period(target, context)
    subtitle = context.subtitle(period_label, BASE_ALL_CARE_GROUPS, TARGETS_BASE)
    reason = not_applicable(context)
    if reason:
        return unavailable_spec(key, title, subtitle, reason)
    in_force = _target_in_force(target, period)
    if in_force is None:
        year = period["slug"][:7]
        message = (
            OUTSIDE_CONTRACT.format(label=period["label"])
            if year not in CONTRACT_YEARS
            else "This per-year target starts in April 2014; choose 2014/15 or 2015/16."
        )
        return unavailable_spec(key, title, subtitle, message)
    target, target_period = in_force
    localities = list(context.reference.filter_choices().localities[TARGET_SCHEME])
    in_period = PeriodRows(data, period)
    rows = [
        target_row(
            in_period,
            context,
            target=target,
            target_period=target_period,
            geography=geography,
            scale=scale,
        )
        for geography in [*localities, KENT_CODE]
    ]
    frame, suppressed = _finish(rows)
    chosen = context.filters.locality
    return _bullet_spec(
        frame,
        context,
        key=key,
        title=(
            _part_title(context.care_group_name(), frame, f"{phrase} targets", "by locality")
            if context.filters.care_group
            else _comparison_title(frame, name, phrase, chosen)
        ),
        subtitle=subtitle,
        period_label=period_label,
        name_column="place",
        highlight=_place_name(context, chosen) if chosen else None,
        measure={**context.measure(target), "method": RAG_RULE},
        footnotes=(
            _sum_note(frame),
            *context.quality_notes(
                LOCALITY_SUMS_NOTE,
                *([NEW_CARERS_TARGET_NOTE] if target == "target-new-carers" else []),
            ),
            APPORTIONED,
            RAG_RULE,
        ),
        suppressed=suppressed,
    )


def _comparison_period(target: str, context: ViewContext) -> tuple[pd.Series, float, str]:
    """The actuals' period row, the pro-rata scale and the period label for one target."""
    if target in CONTRACT_TARGETS:
        return _contract_period(context), 1.0, CONTRACT_LABEL
    period = selected_period(context)
    return period, PART_YEAR_SCALE[period["kind"]], _yearly_label(context, period)


def _target_in_force(target: str, period: pd.Series) -> tuple[str, str] | None:
    if target in CONTRACT_TARGETS:
        return target, CONTRACT_PERIOD
    return yearly_target_for(target, period["slug"][:7])


def _yearly_label(context: ViewContext, period: pd.Series) -> str:
    """The chosen period's label, saying when it is the default year."""
    default = "" if context.filters.period else " (the last contract year with targets)"
    return f"{context.period_phrase(period['label'])}{default}"


def _comparison_title(frame: pd.DataFrame, name: str, what: str, chosen: str | None) -> str:
    localities = frame[frame["geography"] != KENT_CODE]
    if (localities["rag"] == NO_ACTUALS).all():
        return f"{name.split(' (')[0]} targets by locality: no actuals recorded"
    met = int((localities["rag"] == GREEN).sum())
    text = f"{met} of {len(localities)} localities met the {what} target"
    if chosen:
        row = frame[frame["geography"] == chosen].iloc[0]
        text = (
            f"{row['place']}: {percent_text(row['percent'])} of its {what} target "
            f"({row['rag_text']}); {text}"
        )
    return text


def _sum_note(frame: pd.DataFrame) -> str:
    """The published localities' total beside the published Kent figure, neither changed."""
    localities = frame.loc[frame["geography"] != KENT_CODE, "target"].sum()
    kent = frame.loc[frame["geography"] == KENT_CODE, "target"].iloc[0]
    total, county = formatting.format_count(localities), formatting.format_count(kent)
    if localities == kent:
        return f"The six published locality targets add up to the published Kent target ({county})."
    return (
        f"The six published locality targets add up to {total}; the published Kent target is "
        f"{county}. Both are shown as published."
    )


def new_carers_quarterly(data: TargetsData, context: ViewContext) -> ChartSpec:
    """New carers identified per quarter, 2015/16 and 2016/17, exactly as published.

    The published quarters are for Kent as a whole; with a locality or care-group filter the
    chart shows demo quarters for the selection instead, labelled as demo and never added in.
    """
    key = "targets-new-carers-quarterly"
    period_label = "2015/16 Q1 to 2016/17 Q2"
    subtitle = context.subtitle(period_label)
    rows = data.measures[NEW_CARERS]
    filtered = bool(context.filters.locality or context.filters.care_group)
    frame = _demo_quarters(rows, context) if filtered else _published_quarters(rows, context)
    if frame.empty:
        return unavailable_spec(
            key, "New carers identified per quarter", subtitle, "No data for this selection."
        )
    frame, suppressed = suppress_small_counts(frame, ["value"])
    frame = frame.assign(short_label=frame["label"].str.split(" (", regex=False).str[0])
    statuses = _statuses(frame) if not filtered else ("demo",)
    footnotes = list(context.quality_notes(NEW_CARERS_NOTE))
    if filtered:
        title = (
            f"Published quarterly new carers are for Kent only: {_selection(context)} shown "
            "from demo returns"
        )
        footnotes.insert(
            0,
            "The published quarterly figures (Kent, all care groups) are not available by "
            "locality or care group. The bars are demo returns for the selection, not real "
            "activity, and are never added to the published figures.",
        )
    else:
        first, last = frame.iloc[0], frame.iloc[-1]
        title = (
            f"New carers identified: {formatting.format_count(first['value'])} in "
            f"{first['short_label']} to {formatting.format_count(last['value'])} in "
            f"{last['short_label']}, as published"
        )
        footnotes.append("The first half of 2016/17 (Q1 and Q2) is published as 2,768.")
    figure, event_notes = context.with_events(
        figures.quarterly_bars(frame, statuses=statuses),
        frame[["period", "short_label"]].rename(columns={"short_label": "label"}),
        CAS_LINES,
    )
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=figure,
        table=frame,
        columns=(
            Column("label", "Quarter"),
            Column("year", "Financial year"),
            Column("value", "New carers identified", "count"),
            Column("status", "Status", "status"),
            Column("note", "Note"),
        ),
        sources=frame["source"].unique(),
        recorded=BY_CARE_GROUP,
        measure=NEW_CARERS,
        statuses=statuses,
        period_label=period_label,
        footnotes=(*footnotes, *suppression_footnotes(suppressed)),
        events=event_notes,
        alt_text=f"Bar chart. {title}: "
        + "; ".join(
            f"{row['label']} {formatting.format_value(row['value'], 'count')}"
            if not isinstance(row["value"], str)
            else f"{row['label']} {row['value']}"
            for row in frame.to_dict("records")
        ),
    )


def _selection(context: ViewContext) -> str:
    if not context.filters.care_group:
        return context.place()
    group = context.reference.filter_choices().care_groups[context.filters.care_group]
    return f"{context.place()} ({group})"


def _quarter_labels(context: ViewContext) -> dict[str, str]:
    periods = context.reference.periods
    return dict(zip(periods["slug"], periods["label"], strict=True))


def _published_quarters(rows: pd.DataFrame, context: ViewContext) -> pd.DataFrame:
    chosen = rows[
        (rows["status"] == "published")
        & (rows["geography"] == KENT_CODE)
        & (rows["period"].isin(PUBLISHED_QUARTERS))
        & (rows["category"] == "")
    ]
    labels = _quarter_labels(context)
    frame = chosen.assign(
        label=chosen["period"].map(labels),
        year=chosen["period"].str[:7].map(labels),
    ).sort_values("period_start")
    return frame[["period", "label", "year", "value", "status", "source", "note"]].reset_index(
        drop=True
    )


def _demo_quarters(rows: pd.DataFrame, context: ViewContext) -> pd.DataFrame:
    periods = context.reference.periods.set_index("slug", drop=False)
    labels = _quarter_labels(context)
    records = []
    for slug in PUBLISHED_QUARTERS:
        resolved = resolve_count(
            rows,
            period=periods.loc[slug],
            filters=context.filters,
            weights=context.weights,
            districts=context.districts,
        )
        if resolved.available:
            records.append(
                {
                    "period": slug,
                    "label": labels[slug],
                    "year": labels[slug[:7]],
                    "value": float(round(resolved.value)),
                    "status": resolved.status,
                    "source": resolved.sources[0],
                    "note": "district returns for the selection",
                }
            )
    columns = ["period", "label", "year", "value", "status", "source", "note"]
    return pd.DataFrame(records, columns=columns)
