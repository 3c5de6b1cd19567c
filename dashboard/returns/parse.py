"""Validate a provider's monitoring return before anything is written.

``read_return`` reads the uploaded bytes (``files`` makes the file-level checks: size, encoding,
damaged files, zip bombs), checks every row, and either returns a ``ParsedReturn`` or raises
``ReturnRejected`` listing every problem at once, each with file, sheet, row (as a spreadsheet
numbers it: the header is row 1) and column.

The header must be ``provider, period, district, care_group, measure, value, note`` in that
order (compared ignoring case, spacing and punctuation, like the names in the rows).

Rules for each row:

- provider, period, district, measure and value are required; a blank care group means all care
  groups; the note is optional. Names, codes and slugs are matched as ``vocabulary`` describes;
  a misspelling is refused with the closest valid name, and a former district name (Shepway) is
  accepted and reported in ``notices``.
- period: a financial year, half or quarter (``2024-25``, ``2024-25-h1``, ``2024-25-q1``) from
  ``FIRST_FINANCIAL_YEAR`` (the first year of the carers' support contracts whose data set the
  return carries) that has ended before ``today``. Later periods are refused as in the future,
  and the period under way as not ended: its figures would be for part of it, and a chart would
  read them as a fall.
- district: one the provider's contracts cover (``ReturnVocabulary.contract_districts``).
- value: a number written with the digits 0 to 9 (Arabic-Indic or full-width digits, words
  around the number and scientific notation are refused). CSV text may use thousands commas;
  "85%" (or an Excel cell formatted as a percentage) only for percentage measures. Counts must
  be whole numbers. The value must lie in the measure's catalogue range (``min_value`` to
  ``max_value``; a percentage is 0 to 100), and not exceed the district's ``at_most`` figure
  (carers supported at most the district's Census carers; so too its care groups added up
  where the return gives no figure for all care groups, which the dashboard then adds up).
  Suppressed figures such as "<5" are refused: providers send true values and the dashboard
  suppresses small numbers itself.
- note: at most ``MAX_NOTE_CHARACTERS`` characters.
- no cell may hold a formula, or text starting with "=" (a formula in a CSV file).
- nothing may be written to the right of the seven columns; in a CSV file every line must have
  the header's cells (a ragged line is refused naming the line, since its values would sit in
  the wrong columns), and a quoted note may not take in lines that look like rows.

Values that are possible but unusual are returned as ``warnings`` rather than refused, and the
caller loads them only once someone confirms them: a percentage between 0 and 1 (a fraction
typed for a percentage), and a value far from the provider's last return (see ``plausibility``).

Rules across the file:

- no two rows may share provider, period, district, care group and measure.
- parts may not exceed their totals, for the same provider, period and district:
  a care group's count or hours may not exceed the all-care-groups row of the same measure
  (crisis referrals for dementia cannot exceed all crisis referrals); and each measure in
  ``SUBSET_RULES`` (carers identified *and supported*) may not exceed carers supported for the
  same care group. The information and advice channels are deliberately not checked against
  ``information-advice``: the catalogue counts contacts by channel but carers in the total, and
  says the channels do not sum to it.

A return may cover several providers and periods; the summary names them all, and ``coverage``
lists the (provider, period) pairs whose earlier returns a load replaces.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd
from openpyxl.utils import get_column_letter

from dashboard.periods import MENU_KINDS, PeriodError, overlaps, parse_period
from dashboard.returns.files import DEFAULT_MAX_BYTES, Cell, RawRow, RawSheet, read_cells
from dashboard.returns.plausibility import Benchmarks, is_unusual
from dashboard.returns.problems import MAX_LISTED_PROBLEMS, Problem, ReturnRejected
from dashboard.returns.vocabulary import (
    Catalogue,
    Match,
    MeasureSpec,
    ReturnVocabulary,
    normalise,
)

COLUMNS = ("provider", "period", "district", "care_group", "measure", "value", "note")
ROW_COLUMNS = ["provider", "period", "geography", "care_group", "measure", "value", "note"]
FIRST_FINANCIAL_YEAR = "2013-14"
# (part, whole): the part counts carers who are, by definition, also counted in the whole.
SUBSET_RULES = (
    ("new-carers-identified", "carers-supported"),
    ("seldom-heard-carers", "carers-supported"),
)
# Long enough for any explanation of one figure; more belongs in a letter, not a cell.
MAX_NOTE_CHARACTERS = 1000
_FIRST_PERIOD = parse_period(FIRST_FINANCIAL_YEAR)
# Cell text quoted in a message is cut to this, so a huge cell cannot make a huge page.
_QUOTE_LIMIT = 60

# [0-9], not \d: \d (and float()) would also read Arabic-Indic and full-width digits.
_NUMBER = re.compile(
    r"(?P<sign>[-+]?)(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?P<fraction>\.[0-9]+)?"
    r"\s*(?P<percent>%?)"
)
_SCIENTIFIC = re.compile(r"[-+]?[0-9.]+[eE][-+]?[0-9]+")
_SUPPRESSION_MARKS = {"*", "c", "x", "n/a", "-"}
_UNKNOWN_HINTS = {
    "provider": "use a provider name from the template's list",
    "district": "use one of the 12 Kent County Council districts, by name or ONS code",
    "care group": "use a care group from the template's list, or leave it blank for all",
    "measure": "use a measure name or slug from the template's list",
}


@dataclass(frozen=True)
class ParsedReturn:
    """A valid return: ``rows`` has columns ``ROW_COLUMNS`` (slugs and ONS codes; care_group is
    None for all care groups), ``notices`` what was accepted with a change, and
    ``provider_names`` the reference providers' names by slug, for the summary."""

    file: str
    rows: pd.DataFrame
    notices: list[str]
    provider_names: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def coverage(self) -> list[tuple[str, str]]:
        """The (provider slug, period slug) pairs the return covers, sorted."""
        pairs = self.rows[["provider", "period"]].drop_duplicates()
        return sorted(pairs.itertuples(index=False, name=None))

    def summary(self, verb: str = "Would load") -> str:
        """What loading would do (or, with ``verb`` "Loaded", did), in one sentence (the
        notices are told apart: given here too, the upload page and the command printed them
        twice)."""
        rows = self.rows
        providers = sorted({self.provider_names[slug] for slug in rows["provider"]})
        periods = sorted(set(rows["period"]))
        groups = rows["care_group"]
        specific_groups = groups.dropna().nunique()
        group_text = _count(specific_groups, "care group")
        if groups.isna().any():
            group_text = (
                f"{group_text} and all care groups" if specific_groups else "all care groups"
            )
        several = len(providers) > 1 or len(periods) > 1
        parts = [
            f"{'providers' if len(providers) > 1 else 'provider'} {_join(providers)}",
            f"{'periods' if len(periods) > 1 else 'period'} {_join(periods)}",
            _count(rows["geography"].nunique(), "district"),
            _count(rows["measure"].nunique(), "measure"),
            group_text,
            f"replaces any earlier return for {'each' if several else 'the same'} provider "
            "and period",
        ]
        return f"{verb} {_count(len(rows), 'row')}: {'; '.join(parts)}."


def read_return(
    data: bytes,
    filename: str,
    vocabulary: ReturnVocabulary,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    today: date | None = None,
    benchmarks: Benchmarks | None = None,
) -> ParsedReturn:
    """Validate an uploaded return; raise ReturnRejected listing every problem if it is invalid.

    ``benchmarks`` are the database figures the cross-checks need (none: those checks pass)."""
    sheet = read_cells(data, filename, max_bytes=max_bytes)
    return _Checker(sheet, vocabulary, today or date.today(), benchmarks or Benchmarks()).run()


class _CellProblem(Exception):
    """Why one cell is invalid; the checker adds the file, sheet, row and column."""


@dataclass(frozen=True)
class _Row:
    number: int
    provider: str
    period: str
    geography: str
    care_group: str | None
    measure: str
    value: float
    note: str

    @property
    def key(self) -> tuple[str, str, str, str | None, str]:
        return (self.provider, self.period, self.geography, self.care_group, self.measure)


@dataclass
class _Checker:
    sheet: RawSheet
    vocabulary: ReturnVocabulary
    today: date
    benchmarks: Benchmarks
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    mapped_rows: dict[tuple[str, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def run(self) -> ParsedReturn:
        self.problems.extend(self._header_problems())
        if self.problems:
            # With the wrong columns every row check would mislead: report the header alone.
            raise ReturnRejected(self.problems)
        if not self.sheet.rows:
            self._add(None, None, "there are no data rows below the header")
            raise ReturnRejected(self.problems)
        if self.sheet.sheet is None:
            self._check_csv_lines()
            if self.problems:
                # Values on a ragged line sit in the wrong columns: checking them would mislead.
                raise ReturnRejected(self.problems)
        rows = [row for raw in self.sheet.rows if (row := self._check_row(raw)) is not None]
        unique = self._without_duplicates(rows)
        self._check_care_group_totals(unique)
        self._check_subsets(unique)
        self._check_caps(unique)
        self._check_overlaps(unique)
        self._check_unusual(unique)
        if self.problems:
            raise ReturnRejected(self.problems)
        return ParsedReturn(
            file=self.sheet.file,
            rows=_frame(unique),
            notices=[*self.sheet.notices, *self._mapping_notices()],
            provider_names={term.key: term.name for term in self.vocabulary.providers.terms},
            warnings=sorted(self.warnings, key=lambda problem: problem.row or 0),
        )

    def _add(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.sheet.file, self.sheet.sheet, row, column, message))

    def _warn(self, row: int, column: str | None, message: str) -> None:
        self.warnings.append(Problem(self.sheet.file, self.sheet.sheet, row, column, message))

    def _check_csv_lines(self) -> None:
        """Every CSV line has the header's seven cells, and no quoted cell takes in rows."""
        for raw in self.sheet.rows:
            line, count = raw.first_line, len(raw.cells)
            extra = [cell for cell in raw.cells[len(COLUMNS) :] if not cell.is_blank]
            if count < len(COLUMNS) or extra:
                self._add(
                    raw.number,
                    None,
                    f"line {line} has {count} cells, but the header has {len(COLUMNS)}: a comma "
                    "is missing or extra. A cell holding a comma (such as 'Smith, J') must be "
                    "in double quotes.",
                )
            elif raw.last_line != line and any(_looks_like_rows(cell) for cell in raw.cells):
                self._add(
                    raw.number,
                    None,
                    f"a quoted cell starting on line {line} runs to line {raw.last_line}, taking "
                    f'in lines {line + 1} to {raw.last_line} as text: a quote (") is not closed '
                    "where it should be",
                )

    def _header_problems(self) -> list[Problem]:
        found = [_header_text(cell) for cell in self.sheet.header.cells]
        while found and not found[-1]:
            found.pop()
        expected = [normalise(column) for column in COLUMNS]
        found_keys = [normalise(name) for name in found]
        if found_keys == expected:
            return []
        if len(found) == 1 and (";" in found[0] or "\t" in found[0]):
            message = (
                "the columns are separated by semicolons or tabs, not commas; save the file as "
                "'CSV UTF-8 (Comma delimited)'"
            )
        else:
            missing = [column for column in COLUMNS if normalise(column) not in found_keys]
            unexpected = [name for name in found if normalise(name) not in expected]
            reasons = []
            if missing:
                reasons.append(f"missing {', '.join(missing)}")
            if unexpected:
                reasons.append(f"unexpected {', '.join(repr(name) for name in unexpected)}")
            if not reasons:
                reasons.append("the columns are in the wrong order")
            message = (
                f"wrong header row ({'; '.join(reasons)}): it must be {', '.join(COLUMNS)} "
                f"in that order, but is {', '.join(found) or 'empty'}"
            )
        return [Problem(self.sheet.file, self.sheet.sheet, 1, None, message)]

    def _check_row(self, raw: RawRow) -> _Row | None:
        blank = Cell(None)
        cells = dict(zip(COLUMNS, raw.cells + (blank,) * len(COLUMNS), strict=False))
        outside = [i for i, cell in enumerate(raw.cells[len(COLUMNS) :]) if not cell.is_blank]
        if outside:
            letter = get_column_letter(len(COLUMNS) + outside[0] + 1)
            self._add(
                raw.number,
                None,
                f"column {letter} holds a value, but a return has only the seven columns A to G",
            )
        parsers = {
            "provider": self._provider,
            "period": self._period,
            "district": self._district,
            "care_group": self._care_group,
            "measure": self._measure,
            "value": self._value,
            "note": self._note,
        }
        parsed: dict[str, object] = {}
        for column, parse in parsers.items():
            try:
                parsed[column] = parse(cells[column], parsed, raw.number)
            except _CellProblem as problem:
                self._add(raw.number, column, str(problem))
        if outside or len(parsed) < len(parsers):
            return None
        return _Row(
            number=raw.number,
            provider=parsed["provider"],
            period=parsed["period"],
            geography=parsed["district"],
            care_group=parsed["care_group"],
            measure=parsed["measure"],
            value=parsed["value"],
            note=parsed["note"],
        )

    def _find(self, catalogue: Catalogue, text: str) -> Match:
        match = catalogue.find(text)
        if match is not None:
            return match
        # Suggestions cost a fuzzy comparison with every name; past the problems that will be
        # listed nobody reads them, and a file of 50,000 bad rows must not take minutes.
        listed = len(self.problems) < MAX_LISTED_PROBLEMS
        suggestion = catalogue.suggest(text) if listed else None
        advice = f"did you mean '{suggestion}'?" if suggestion else _UNKNOWN_HINTS[catalogue.noun]
        raise _CellProblem(f"unknown {catalogue.noun} '{_excerpt(text)}' ({advice})")

    def _provider(self, cell: Cell, _parsed: dict, _row: int) -> str:
        match = self._find(self.vocabulary.providers, _required(cell, "a provider"))
        if match.term.key not in self.vocabulary.contract_districts:
            raise _CellProblem(
                f"{match.term.name} has no carers' services contract on record, so it cannot "
                "send returns (rule: a provider returns only for districts in its contract)"
            )
        return match.term.key

    def _district(self, cell: Cell, parsed: dict, row: int) -> str:
        match = self._find(self.vocabulary.districts, _required(cell, "a district"))
        if "provider" in parsed:
            self._check_contract(parsed["provider"], match.term.key)
        if match.mapped_from is not None:
            self.mapped_rows[(match.mapped_from, match.term.name, match.term.key)].append(row)
        return match.term.key

    def _check_contract(self, provider: str, district: str) -> None:
        names = {term.key: term.name for term in self.vocabulary.districts.terms}
        covered = self.vocabulary.contract_districts[provider]
        if covered is not None and district not in covered:
            raise _CellProblem(
                f"{self._provider_name(provider)} has no contract for {names[district]} (rule: "
                "a provider returns only for districts in its contract, which for it are "
                f"{_join(sorted(names[code] for code in covered))})"
            )

    def _provider_name(self, slug: str) -> str:
        return next(term.name for term in self.vocabulary.providers.terms if term.key == slug)

    def _care_group(self, cell: Cell, _parsed: dict, _row: int) -> str | None:
        text = _text(cell)
        if self.vocabulary.means_all_care_groups(text):
            return None
        return self._find(self.vocabulary.care_groups, text).term.key

    def _measure(self, cell: Cell, _parsed: dict, _row: int) -> str:
        text = _required(cell, "a measure")
        match = self.vocabulary.measures.find(text)
        if match is not None:
            return match.term.key
        other = self.vocabulary.other_measures.find(text)
        if other is not None:
            raise _CellProblem(
                f"measure '{other.term.name}' ({other.term.key}) is not part of the monitoring "
                "return: targets, census, population and cost figures come from published "
                "sources, not from providers"
            )
        return self._find(self.vocabulary.measures, text).term.key

    def _note(self, cell: Cell, _parsed: dict, _row: int) -> str:
        text = _text(cell)
        if len(text) > MAX_NOTE_CHARACTERS:
            raise _CellProblem(
                f"the note is {len(text):,} characters long; the limit is "
                f"{MAX_NOTE_CHARACTERS:,}. Shorten it and send any longer explanation to the "
                "commissioner separately."
            )
        return text

    def _period(self, cell: Cell, _parsed: dict, _row: int) -> str:
        text = _required(cell, "a period")
        _refuse_other_digits(text)
        try:
            period = parse_period(text)
        except PeriodError as error:
            raise _CellProblem(f"bad period: {error}") from None
        if period.start < _FIRST_PERIOD.start:
            raise _CellProblem(
                f"period {period.slug} is out of range: returns start at {FIRST_FINANCIAL_YEAR}"
            )
        if period.start > self.today:
            raise _CellProblem(
                f"period {period.slug} is in the future: it starts on "
                f"{period.start.day} {period.start:%B %Y}"
            )
        if period.end >= self.today:
            raise _CellProblem(
                f"period {period.slug} has not ended: it ends on {period.end.day} "
                f"{period.end:%B %Y}, and a return can be loaded from the day after (until then "
                "its figures would be for part of it)"
            )
        return period.slug

    def _value(self, cell: Cell, parsed: dict, row: int) -> float:
        number, shown_as_percent = _number(cell)
        spec: MeasureSpec | None = self.vocabulary.measure_specs.get(parsed.get("measure"))
        if spec is None:
            # The measure is already reported as a problem; its unit is unknown.
            return number
        shown = _show(number) + ("%" if shown_as_percent else "")
        if spec.unit != "percent" and shown_as_percent:
            raise _CellProblem(f"{shown} is a percentage, but {spec.name} is not")
        _check_range(number, shown, spec)
        if spec.unit == "percent" and 0 < number < 1 and not shown_as_percent:
            self._warn(
                row,
                "value",
                f"{shown} looks like a fraction: percentages are 0 to 100, so enter "
                f"{_show(round(number * 100, 9))} for {_show(round(number * 100, 9))}% "
                f"(confirm only if {spec.name} really is {shown}%)",
            )
        typed = cell.value.strip() if isinstance(cell.value, str) else ""
        if spec.unit == "count" and _POINT_THOUSANDS.fullmatch(typed):
            # "1.000" read as 1 where a point separates thousands (as in much of Europe).
            raise _CellProblem(
                f"'{typed}' could be {_show(float(typed.replace('.', '')))} written with a "
                f"point between thousands, or {_show(number)}: write the count in digits only "
                "(or with commas between thousands)"
            )
        if spec.unit == "count" and not number.is_integer():
            what = "people" if spec.counts_people else "whole items"
            raise _CellProblem(f"{shown} is not a whole number: {spec.name} counts {what}")
        return number

    def _without_duplicates(self, rows: list[_Row]) -> list[_Row]:
        first_row: dict[tuple, int] = {}
        unique = []
        for row in rows:
            earlier = first_row.setdefault(row.key, row.number)
            if earlier == row.number:
                unique.append(row)
            else:
                self._add(
                    row.number,
                    None,
                    f"duplicate of row {earlier}: rows {earlier} and {row.number} have the same "
                    "provider, period, district, care group and measure",
                )
        return unique

    def _check_care_group_totals(self, rows: list[_Row]) -> None:
        totals = {
            (row.provider, row.period, row.geography, row.measure): row
            for row in rows
            if row.care_group is None
        }
        group_names = {term.key: term.name for term in self.vocabulary.care_groups.terms}
        for row in rows:
            spec = self.vocabulary.measure_specs[row.measure]
            total = totals.get((row.provider, row.period, row.geography, row.measure))
            if row.care_group is None or spec.unit == "percent" or total is None:
                continue
            if row.value > total.value:
                self._add(
                    row.number,
                    "value",
                    f"part exceeds its total: {spec.name} for {group_names[row.care_group]} "
                    f"({_show(row.value)}) is more than for all care groups "
                    f"({_show(total.value)}, row {total.number})",
                )

    def _check_subsets(self, rows: list[_Row]) -> None:
        by_key = {row.key: row for row in rows}
        specs = self.vocabulary.measure_specs
        for part, whole in SUBSET_RULES:
            for row in rows:
                if row.measure != part:
                    continue
                total = by_key.get((*row.key[:4], whole))
                if total is not None and row.value > total.value:
                    self._add(
                        row.number,
                        "value",
                        f"part exceeds its total: {specs[part].name} ({_show(row.value)}) is "
                        f"more than {specs[whole].name} ({_show(total.value)}, row "
                        f"{total.number}), which includes them",
                    )

    def _check_caps(self, rows: list[_Row]) -> None:
        specs = self.vocabulary.measure_specs
        names = {term.key: term.name for term in self.vocabulary.districts.terms}
        groups: dict[tuple, list[_Row]] = defaultdict(list)
        for row in rows:
            spec = specs[row.measure]
            cap = self.benchmarks.caps.get((spec.at_most or "", row.geography))
            if cap is None:
                continue
            groups[(row.provider, row.period, row.geography, row.measure)].append(row)
            if row.value > cap.value:
                self._add(
                    row.number,
                    "value",
                    f"{_show(row.value)} is more than {names[row.geography]}'s "
                    f"{_show(cap.value)} ({cap.measure}, {cap.period}) (rule: {spec.name} in a "
                    f"district is at most its {cap.measure}); check the figure and the district",
                )
        # With no row for all care groups the dashboard counts the district's care groups added
        # up (``rules.care_group_rows``): 13 groups each under the cap made a reach of 145%.
        for (_provider, _period, geography, measure), entries in groups.items():
            if any(row.care_group is None for row in entries):
                continue
            total = sum(row.value for row in entries)
            cap = self.benchmarks.caps[(specs[measure].at_most or "", geography)]
            if total > cap.value and all(row.value <= cap.value for row in entries):
                self._add(
                    entries[-1].number,
                    "care_group",
                    f"the care groups of {names[geography]} add up to {_show(total)} "
                    f"({specs[measure].name}, rows {entries[0].number} to {entries[-1].number}), "
                    f"more than its {_show(cap.value)} ({cap.measure}, {cap.period}); with no "
                    "row for all care groups the dashboard counts them added up. Add a row for "
                    "all care groups with the number of carers (a carer in several groups "
                    "counted once)",
                )

    def _check_overlaps(self, rows: list[_Row]) -> None:
        """A provider's figure for a period beside its figure for a period overlapping it (a
        year and that year's quarters), for the same measure, district and care group: the
        dashboard adds a year's returns up, so the two would be counted together. The other
        may be in this file or loaded before (unless this file replaces that return)."""
        covered = {(row.provider, row.period) for row in rows}
        spans = {row.period: parse_period(row.period) for row in rows}
        in_file: dict[tuple, list[_Row]] = defaultdict(list)
        for row in rows:
            in_file[(row.provider, row.measure, row.geography, row.care_group)].append(row)
        for key, entries in in_file.items():
            others = [(spans[o.period], f"row {o.number}") for o in entries]
            others += [
                (parse_period(earlier.period), "a return loaded before")
                for kind in MENU_KINDS
                for earlier in self.benchmarks.history.get((*key, kind), [])
                if (key[0], earlier.period) not in covered
            ]
            for row in entries:
                period = spans[row.period]
                other = next(
                    (
                        (span, where)
                        for span, where in others
                        if span.slug != period.slug and overlaps(span, period)
                    ),
                    None,
                )
                if other is not None:
                    clash, where = other
                    self._add(
                        row.number,
                        "period",
                        f"{period.label} overlaps {clash.label} ({where}) for the same "
                        "provider, measure, district and care group: the two would be added up "
                        "and count the same carers or hours twice. Send the year or its "
                        "quarters (or halves), not both",
                    )

    def _check_unusual(self, rows: list[_Row]) -> None:
        specs = self.vocabulary.measure_specs
        for row in rows:
            ratio = specs[row.measure].unusual_ratio
            if ratio is None:
                continue
            period = parse_period(row.period)
            key = (row.provider, row.measure, row.geography, row.care_group, period.kind)
            last = self.benchmarks.last_before(key, period.start)
            if last is not None and is_unusual(row.value, last.value, ratio):
                change = f"more than {ratio:g} times" if row.value > last.value else "under 1/"
                if row.value < last.value:
                    change += f"{ratio:g} of"
                self._warn(
                    row.number,
                    "value",
                    f"{_show(row.value)} is unusual: {change} the provider's last return for this "
                    f"measure, district and care group ({_show(last.value)} in {last.period}). "
                    "Check it; load it only if it is right.",
                )

    def _mapping_notices(self) -> list[str]:
        return [
            f"{former} mapped to {name} ({code}) on {_rows_text(rows)}"
            for (former, name, code), rows in self.mapped_rows.items()
        ]


def _text(cell: Cell) -> str:
    """A cell as text, refusing formulas and dates (which Excel makes of some typed text)."""
    value = cell.value
    if cell.formula or (isinstance(value, str) and value.lstrip().startswith("=")):
        raise _CellProblem(f"formulas are not accepted; paste values (found {_excerpt(value)})")
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        raise _CellProblem(
            "Excel has turned this cell into a date; format the column as Text and type it again"
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _required(cell: Cell, what: str) -> str:
    text = _text(cell)
    if not text:
        raise _CellProblem(f"{what} is required")
    return text


def _number(cell: Cell) -> tuple[float, bool]:
    """The cell's number and whether it was shown as a percentage (85% -> 85.0, True)."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and not cell.formula:
        if not math.isfinite(value):
            raise _CellProblem(f"{value} is not a number")
        if cell.percent_format:
            # Excel stores 85% as 0.85; round away the binary noise of multiplying back.
            return round(float(value) * 100, 9), True
        return float(value), False
    text = _text(cell)
    if not text:
        raise _CellProblem("a value is required")
    if isinstance(value, bool):
        raise _CellProblem(f"wrong type: {text} is not a number")
    if text.startswith("<") or text.lower() in _SUPPRESSION_MARKS:
        raise _CellProblem(
            f"'{_excerpt(text)}' is a suppressed or missing figure; send the true number (the "
            "dashboard hides small numbers itself when it publishes) or leave the row out"
        )
    _refuse_other_digits(text)
    match = _NUMBER.fullmatch(text)
    if match is None or not (match["whole"] or match["fraction"]):
        raise _CellProblem(_not_a_number(text))
    number = float(match["sign"] + match["whole"].replace(",", "") + (match["fraction"] or ""))
    if not math.isfinite(number):
        raise _CellProblem(f"'{_excerpt(text)}' is too large to be a figure in a return")
    return number, bool(match["percent"])


# Digits grouped in threes by points: "1.000", "12.500.000".
_POINT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def _not_a_number(text: str) -> str:
    """Why ``text`` is not a number, in the words that tell the provider what to change."""
    quoted = f"'{_excerpt(text)}'"
    if _SCIENTIFIC.fullmatch(text):
        return f"{quoted} is in scientific notation; write the number in full, digits only"
    if any(character.isdigit() for character in text) and any(
        character.isalpha() for character in text
    ):
        return (
            f"{quoted} mixes words and a number: put only the number in the value column and "
            "any words in the note"
        )
    return f"wrong type: {quoted} is not a number"


def _refuse_other_digits(text: str) -> None:
    """Refuse digits other than 0-9, which look like numbers to a reader but are not ours."""
    other = next((c for c in text if c.isdigit() and not c.isascii()), None)
    if other is not None:
        script = unicodedata.name(other, "non-ASCII").split(" DIGIT")[0].title()
        raise _CellProblem(
            f"'{_excerpt(text)}' is written with {script} digits; type it with the digits 0 to 9"
        )


def _check_range(number: float, shown: str, spec: MeasureSpec) -> None:
    """The catalogue's range for the measure (rule: min_value to max_value)."""
    low, high = spec.min_value, spec.max_value
    if spec.unit == "percent" and (
        (low is not None and number < low) or (high is not None and number > high)
    ):
        raise _CellProblem(
            f"percentage {shown} is outside {_show(low if low is not None else 0.0)} to "
            f"{_show(high if high is not None else 100.0)} "
            f"({spec.name} is a percentage)"
        )
    if low is not None and number < low:
        if low == 0:
            raise _CellProblem(f"negative value {shown}: {spec.name} cannot be below zero")
        raise _CellProblem(f"{shown} is below {_show(low)}, the least {spec.name} can be")
    if high is not None and number > high:
        raise _CellProblem(
            f"{shown} is more than {_show(high)}, the most {spec.name} can plausibly be in one "
            "row (rule: the measure's range in the catalogue); check the figure"
        )


def _looks_like_rows(cell: Cell) -> bool:
    """Whether a multi-line cell holds lines with a return row's six commas."""
    text = cell.value if isinstance(cell.value, str) else ""
    return any(line.count(",") >= len(COLUMNS) - 1 for line in text.splitlines()[1:])


def _header_text(cell: Cell) -> str:
    return "" if cell.value is None else str(cell.value).strip()


def _frame(rows: list[_Row]) -> pd.DataFrame:
    text_columns = {
        column: pd.Series([getattr(row, column) for row in rows], dtype="str")
        for column in ("provider", "period", "geography", "measure", "note")
    }
    return pd.DataFrame(
        {
            **text_columns,
            # object keeps None (all care groups) as None, as the database expects, not NaN.
            "care_group": pd.Series([row.care_group for row in rows], dtype=object),
            "value": pd.Series([row.value for row in rows], dtype="float64"),
        }
    )[ROW_COLUMNS]


def _show(number: float) -> str:
    if abs(number) >= 1e15:
        return f"{number:.3g}"
    # Not rounded: "5 is not a whole number" was said of 5.0000000001.
    return f"{int(number):,}" if number.is_integer() else f"{number:,}"


def _excerpt(text: str) -> str:
    if len(text) <= _QUOTE_LIMIT:
        return text
    return f"{text[:_QUOTE_LIMIT]}… ({len(text):,} characters)"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _rows_text(rows: list[int]) -> str:
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(row) for row in rows[:5])
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    return f"rows {shown}{more}"
