"""Shared helpers for the monitoring-return tests: a vocabulary from the seed files, and small
builders for CSV and XLSX returns.

The vocabulary is built from ``data/reference`` through a ``Reference`` (the repository's type)
rather than a seeded database, so the return tests stay fast.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.config import DATA_DIR
from dashboard.db.repository import Reference
from dashboard.db.seed_files import read_seed_data
from dashboard.returns.parse import COLUMNS
from dashboard.returns.plausibility import Benchmarks
from dashboard.returns.vocabulary import ReturnVocabulary

TODAY = date(2025, 5, 1)
HEADER = ",".join(COLUMNS)
# A small valid return: rows 2 to 5 as a spreadsheet numbers them.
GOOD_ROWS: tuple[tuple[str, ...], ...] = (
    ("Carers First", "2024-25-q1", "Dartford", "", "carers-supported", "120", ""),
    ("Carers First", "2024-25-q1", "Dartford", "Dementia", "carers-supported", "30", ""),
    ("Carers First", "2024-25-q1", "Gravesham", "", "new-carers-identified", "14", "estimate"),
    ("Carers First", "2024-25-q1", "Gravesham", "", "unsocial-hours-share", "22.5", ""),
)


@cache
def reference_from_seed_files() -> Reference:
    """A Reference whose tables the vocabulary reads come from the seed CSV files."""
    seed = read_seed_data(DATA_DIR)
    empty = pd.DataFrame()
    return Reference(
        districts=seed["reference/districts.csv"],
        geographies=empty,
        schemes=empty,
        shares=seed["reference/locality_shares.csv"],
        care_groups=seed["reference/care_groups.csv"],
        periods=empty,
        measures=seed["reference/measures.csv"],
        sources=empty,
        funders=empty,
        service_lines=empty,
        providers=seed["reference/providers.csv"],
        contracts=seed["reference/provider_contracts.csv"],
        quality_notes=empty,
    )


@cache
def vocabulary() -> ReturnVocabulary:
    return ReturnVocabulary.from_reference(reference_from_seed_files())


@cache
def seed_benchmarks() -> Benchmarks:
    """The Census caps from the seed files (the census rows an imported database holds), and no
    earlier returns."""
    seed = read_seed_data(DATA_DIR)
    census = seed["census/observations.csv"]
    census = census.assign(care_group=census["care_group"].replace("", None))
    returned = pd.DataFrame(
        columns=["provider", "measure", "period", "geography", "care_group", "value"]
    )
    return Benchmarks.from_frames(
        capping=census[census["measure"] == "census-carers"],
        returned=returned,
        measures=seed["reference/measures.csv"],
        periods=seed["reference/periods.csv"],
    )


def csv_text(rows: Sequence[Sequence[str]], header: str = HEADER) -> str:
    """A CSV return: the header line as given, then the rows quoted where they need it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return f"{header}\n{buffer.getvalue()}"


def csv_bytes(rows: Sequence[Sequence[str]], header: str = HEADER) -> bytes:
    return csv_text(rows, header).encode("utf-8")


def with_cell(row: Sequence[str], column: str, value: str) -> tuple[str, ...]:
    """``row`` with one column's cell replaced."""
    cells = list(row)
    cells[COLUMNS.index(column)] = value
    return tuple(cells)


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    *,
    title: str = "Return",
    edit: Callable[[Worksheet], None] | None = None,
) -> bytes:
    """An XLSX return with the header and ``rows``; ``edit`` can then change cells directly."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(COLUMNS))
    for row in rows:
        # Blank text becomes an empty cell, as it would in a workbook typed by hand.
        sheet.append([None if cell == "" else cell for cell in row])
    if edit is not None:
        edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def numeric_rows(rows: Sequence[Sequence[str]]) -> list[list[object]]:
    """Rows with the value typed as a number, as a spreadsheet user would enter it."""
    return [[*row[:5], float(row[5]), *row[6:]] for row in rows]
