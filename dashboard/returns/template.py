"""The monitoring return template that providers fill in, as XLSX and as CSV.

The XLSX workbook has three sheets:

- "Read me": what the return is for, the rules for each column, the accepted periods, what makes
  a return be refused, and the catalogue's definition of every measure;
- "Return": the header row ``COLUMNS`` (frozen), with drop-down lists on rows 2 to
  ``TEMPLATE_ROWS`` for provider, period, district, care group and measure, and a check that the
  value is a number of zero or more. The drop-downs warn rather than stop, because ONS codes,
  slugs and former names typed by hand are accepted too;
- "Lists" (hidden): the values behind the drop-downs.

The CSV template is the header row alone, in UTF-8 with a byte order mark so that Excel opens
it as UTF-8 and keeps any accented letters or "£" typed into notes.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.periods import financial_year_slug, halves_of, parse_period, quarters_of
from dashboard.returns.files import DEFAULT_MAX_BYTES, LISTS_SHEET, MAX_ROWS, RETURN_SHEET
from dashboard.returns.parse import (
    COLUMNS,
    FIRST_FINANCIAL_YEAR,
    MAX_NOTE_CHARACTERS,
    SUBSET_RULES,
)
from dashboard.returns.vocabulary import ReturnVocabulary

README_SHEET = "Read me"
TEMPLATE_ROWS = 5000

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_COLUMN_RULES = (
    ("provider", "Your organisation's name, as in the list.", "yes"),
    (
        "period",
        "A financial year (2024-25), a half-year (2024-25-h1) or a quarter (2024-25-q1).",
        "yes",
    ),
    (
        "district",
        "The district name (Thanet) or its ONS code (E07000114). Former names such as Shepway "
        "are accepted and mapped to the current district.",
        "yes",
    ),
    ("care_group", "A care group from the list; leave blank for all care groups.", "no"),
    ("measure", "A measure name or slug from the list (definitions below).", "yes"),
    (
        "value",
        "A number in the digits 0 to 9, with no words: counts are whole numbers of zero or "
        "more, hours zero or more, percentages 0 to 100 (85 for 85%).",
        "yes",
    ),
    (
        "note",
        f"Anything the commissioner should know about the figure (at most "
        f"{MAX_NOTE_CHARACTERS:,} characters).",
        "no",
    ),
)


def write_template_xlsx(
    path: str | Path, vocabulary: ReturnVocabulary, *, today: date | None = None
) -> None:
    """Write the XLSX template, with periods from 2013-14 to the next financial year."""
    periods = template_periods(today or date.today())
    workbook = Workbook()
    readme = workbook.active
    readme.title = README_SHEET
    _write_readme(readme, vocabulary, periods)
    lists = workbook.create_sheet(LISTS_SHEET)
    ranges = _write_lists(lists, vocabulary, periods)
    lists.sheet_state = "hidden"
    return_sheet = workbook.create_sheet(RETURN_SHEET, index=1)
    _write_return_sheet(return_sheet, ranges)
    workbook.save(path)


def write_template_csv(path: str | Path) -> None:
    """Write the CSV template: the header row only."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerow(COLUMNS)


def template_periods(today: date) -> list[str]:
    """Year, half and quarter slugs, newest year first, from 2013-14 to the year after ``today``'s.

    The following year is included so a template downloaded late in a year still lists the
    periods of the year ahead; returns for periods that have not ended are still refused.
    """
    current_first_year = today.year if today.month >= 4 else today.year - 1
    first_year = parse_period(FIRST_FINANCIAL_YEAR).start.year
    slugs = []
    for year in range(current_first_year + 1, first_year - 1, -1):
        year_slug = financial_year_slug(year)
        slugs.extend([year_slug, *halves_of(year_slug), *quarters_of(year_slug)])
    return slugs


def _write_readme(sheet: Worksheet, vocabulary: ReturnVocabulary, periods: list[str]) -> None:
    for letter, width in zip("ABCDEFG", (34, 22, 22, 22, 48, 48, 48), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(["Kent carers' services: monitoring return"])
    sheet["A1"].font = Font(bold=True, size=14)
    paragraphs = [
        "Providers of carers' services send this return each quarter. Each row gives one figure: "
        "one provider, period, district, care group and measure, with its value and an "
        "optional note.",
        "Fill in the 'Return' sheet (or a CSV file with the same seven columns and header row, "
        "saved as 'CSV UTF-8'). Type or paste values only: formulas are refused.",
        "Names and slugs are matched ignoring case, spacing and punctuation.",
        "Send true values, including small numbers from 1 to 4. Do not write '<5' or '*': the "
        "dashboard suppresses small numbers itself when it publishes.",
        "A new return for a provider and period replaces any earlier one for them.",
    ]
    for paragraph in paragraphs:
        sheet.append([paragraph])
    _section(sheet, "Columns", ["Column", "What to enter", "Required"])
    for rule in _COLUMN_RULES:
        sheet.append(list(rule))
    _section(sheet, "Accepted periods", [])
    sheet.append(
        [
            f"Financial years from {FIRST_FINANCIAL_YEAR} (2024-25), their halves (2024-25-h1, "
            "2024-25-h2) and quarters (2024-25-q1 to 2024-25-q4), up to the current year. "
            "A period is accepted once it has ended (a quarter's return from the day after its "
            "last day): the figures of one under way would be for part of it. The drop-down "
            "lists every period from "
            f"{FIRST_FINANCIAL_YEAR} to {periods[0]}."
        ]
    )
    _section(sheet, "A return is refused, with every problem listed, when", [])
    for reason in _refusal_reasons(vocabulary):
        sheet.append([reason])
    _section(
        sheet,
        "Measures",
        ["Measure", "Slug", "Unit", "Counts people", "Definition", "How to count", "Caveats"],
    )
    for spec in vocabulary.measure_specs.values():
        sheet.append(
            [
                spec.name,
                spec.slug,
                spec.unit,
                "yes" if spec.counts_people else "no",
                spec.definition,
                spec.method,
                spec.caveats,
            ]
        )
    _section(sheet, "Districts", ["District", "ONS code", "Former names"])
    for term in vocabulary.districts.terms:
        former = "; ".join(vocabulary.districts.former_names(term.key))
        sheet.append([term.name, term.key, former])
    _section(sheet, "Care groups", ["Care group", "Slug"])
    for term in vocabulary.care_groups.terms:
        sheet.append([term.name, term.key])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP


def _refusal_reasons(vocabulary: ReturnVocabulary) -> list[str]:
    specs = vocabulary.measure_specs
    subsets = [
        f"{specs[part].name} is more than {specs[whole].name}"
        for part, whole in SUBSET_RULES
        if part in specs and whole in specs
    ]
    ratios = sorted({spec.unusual_ratio for spec in specs.values() if spec.unusual_ratio})
    times = " or ".join(f"{ratio:g}" for ratio in ratios)
    return [
        "the header row is not exactly the seven columns above, in that order;",
        "a provider, district, care group or measure is not recognised (the message suggests "
        "the closest name);",
        "a period is not in the forms above, is before "
        f"{FIRST_FINANCIAL_YEAR}, or has not started;",
        "a value is not a number in the digits 0 to 9, a count is not whole, or a value is "
        "outside its measure's range (a percentage outside 0 to 100);",
        "a count of carers in a district is more than the district's carers in Census 2021;",
        "a provider sends figures for a district outside its contract;",
        "two rows have the same provider, period, district, care group and measure;",
        "a care group's count is more than the all-care-groups count for the same measure, "
        f"or {' or '.join(subsets)};",
        "any cell holds a formula;",
        f"the file is empty, larger than {DEFAULT_MAX_BYTES // (1024 * 1024)} MB or "
        f"{MAX_ROWS:,} rows, damaged, a CSV file not saved as UTF-8 or with a quote left open, "
        "or a workbook with hidden sheets holding data.",
        "Values that are possible but unusual are queried rather than refused: a percentage "
        f"typed as a fraction (0.85), or a value more than {times} times (or under 1/{times} "
        "of) your last return for the same measure, district and care group. The commissioner "
        "checks them with you before loading.",
    ]


def _section(sheet: Worksheet, title: str, headings: list[str]) -> None:
    sheet.append([])
    sheet.append([title])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
    if headings:
        sheet.append(headings)
        for cell in sheet[sheet.max_row]:
            cell.font = _BOLD
            cell.fill = _HEADER_FILL


def _write_lists(
    sheet: Worksheet, vocabulary: ReturnVocabulary, periods: list[str]
) -> dict[str, str]:
    """Write one list per column and return each column's range as a formula."""
    lists = {
        "provider": [term.name for term in vocabulary.providers.terms],
        "period": periods,
        "district": [term.name for term in vocabulary.districts.terms],
        "care_group": [term.name for term in vocabulary.care_groups.terms],
        "measure": [term.name for term in vocabulary.measures.terms],
    }
    ranges = {}
    for index, (column, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index, column).font = _BOLD
        for row, value in enumerate(values, start=2):
            sheet.cell(row, index, value)
        ranges[column] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _write_return_sheet(sheet: Worksheet, ranges: dict[str, str]) -> None:
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    sheet.freeze_panes = "A2"
    widths = {"provider": 36, "period": 14, "district": 24, "care_group": 26, "measure": 40}
    for index, column in enumerate(COLUMNS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = widths.get(column, 12 if column == "value" else 50)
        if column != "value":
            # Text format stops Excel turning typed periods or codes into dates or numbers.
            dimension.number_format = "@"
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS}"
        if column in ranges:
            validation = DataValidation(
                type="list",
                formula1=ranges[column],
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle=f"Check the {column.replace('_', ' ')}",
                error="This is not in the list. Codes, slugs and former names are accepted; "
                "anything else will be refused when the return is loaded.",
            )
        elif column == "value":
            validation = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Check the value",
                error="The value must be a number of zero or more.",
            )
        else:
            continue
        validation.add(cells)
        sheet.add_data_validation(validation)
