"""Turn an uploaded return into rows of cells, refusing files that are unsafe or unreadable.

The kind of file is decided by its content, not its name: a zip archive is read as XLSX (an
.xlsx file is a zip of XML parts), the old binary Excel format is refused, a file named .xlsx
that is not a zip is refused, and anything else is read as CSV.

Checks made before any parsing, each refusing the whole file:

- size: ``len(data)`` against ``max_bytes``, before anything else looks at the bytes;
- CSV: UTF-8 (a byte order mark is allowed); the refusal names the first line that is not;
- XLSX: the zip directory alone is inspected before openpyxl opens the file. It is refused if it
  cannot be read (truncated or damaged), has more than ``MAX_ZIP_MEMBERS`` parts, would expand to
  more than ``MAX_UNCOMPRESSED_BYTES``, or has a part bigger than ``RATIO_CHECK_FLOOR_BYTES`` that
  expands more than ``MAX_COMPRESSION_RATIO`` times (a zip bomb). Python's zipfile never inflates
  a part beyond the size its directory declares, so these figures bound what parsing can cost.

Checks made while reading, each refusing the whole file and naming where:

- at most ``MAX_ROWS`` rows below the header, counted as rows are streamed, so a sheet of a
  million rows is refused after reading 50,001 of them rather than after building all of them;
- at most ``MAX_CELLS`` cells read from a workbook's sheet, so that a small file of very wide
  rows is refused in a few seconds rather than keeping the worker past its timeout;
- CSV is read strictly: a NUL byte, or a quote that is opened and never closed (which would
  otherwise swallow every later row into one cell), refuses the file naming the line;
- XLSX: only the visible sheet named "Return" (in any case) is read; with no such sheet, the only
  visible worksheet is read with a notice. A hidden or very hidden sheet holding any value
  refuses the file, except the template's own hidden "Lists" sheet (the drop-down values).

Cells keep their type (XLSX numbers, dates, formulas) so validation can say exactly what is wrong.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath
from typing import NoReturn

import openpyxl
from openpyxl.cell.read_only import EmptyCell, ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from dashboard.returns.problems import Problem, ReturnRejected
from dashboard.returns.vocabulary import normalise

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small XML parts legitimately compress very well and cannot exhaust memory, so the ratio is only
# checked on parts that expand beyond this.
RATIO_CHECK_FLOOR_BYTES = 1024 * 1024
# A workbook from Excel has a few dozen parts; thousands suggest a crafted archive.
MAX_ZIP_MEMBERS = 1000
# A quarterly return has a few hundred rows; a hundred times that is still a plausible file.
MAX_ROWS = 50_000
# Cells read from a workbook's sheet at most: seven columns of MAX_ROWS rows and some to spare.
# Reading costs about 30 µs a cell, so a small file of wide rows (2,000 rows of 500 cells, 0.8
# MB) kept a worker past its 30 s timeout, within the row limit.
MAX_CELLS = 400_000
RETURN_SHEET = "Return"
# The template's hidden sheet behind its drop-down lists (see ``template``).
LISTS_SHEET = "Lists"

_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_SAVE_AS_CSV = "Save it from Excel as 'CSV UTF-8 (Comma delimited)' and upload it again."

CellValue = str | int | float | bool | datetime | date | time | None


@dataclass(frozen=True)
class Cell:
    """One cell as read: ``formula`` marks an XLSX formula, ``percent_format`` a number that
    Excel displays as a percentage (stored as a fraction, so 85% is 0.85)."""

    value: CellValue
    formula: bool = False
    percent_format: bool = False

    @property
    def is_blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass(frozen=True)
class RawRow:
    """A row's cells; ``number`` is the row number a spreadsheet shows (header = 1). For CSV,
    ``first_line`` and ``last_line`` are the file lines the row was read from (a quoted cell
    may span lines)."""

    number: int
    cells: tuple[Cell, ...]
    first_line: int | None = None
    last_line: int | None = None


@dataclass(frozen=True)
class RawSheet:
    """The first row (the header) and the non-blank rows below it; ``sheet`` is None for CSV."""

    file: str
    sheet: str | None
    header: RawRow
    rows: list[RawRow]
    notices: list[str]


def read_cells(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawSheet:
    """Read ``data`` (uploaded as ``filename``) into cells, or raise ReturnRejected."""
    file = PurePath(filename).name or "the file"
    if len(data) > max_bytes:
        _reject(
            file,
            # Not its size: the upload reads one byte past the limit, and "10.0 MB; the limit
            # is 10.0 MB" read as a contradiction.
            f"the file is over the {_megabytes(max_bytes)} limit ({max_bytes:,} bytes). "
            "Split the return into smaller files (for example one per period).",
        )
    if not data:
        _reject(file, "the file is empty")
    if data.startswith(_ZIP_SIGNATURES):
        return _read_xlsx(data, file)
    if data.startswith(_OLE_SIGNATURE):
        _reject(
            file,
            "this is an old-style .xls workbook or a password-protected file; save it as an "
            ".xlsx workbook without a password, or as CSV UTF-8.",
        )
    if PurePath(filename).suffix.lower() in _EXCEL_SUFFIXES:
        _reject(
            file,
            "not a readable XLSX file: an Excel workbook is a zip archive and this file is not "
            "one. Save the return from Excel as .xlsx and upload it again.",
        )
    return _read_csv(data, file)


def _read_csv(data: bytes, file: str) -> RawSheet:
    if data.startswith(_UTF16_BOMS):
        _reject(file, f"the file is UTF-16 ('Unicode Text'), not UTF-8. {_SAVE_AS_CSV}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        _reject(
            file,
            f"the file is not UTF-8: line {line} contains byte 0x{data[error.start]:02X}, which "
            "UTF-8 cannot read (often a '£' or an accented letter saved in the Windows 'ANSI' "
            f"encoding). {_SAVE_AS_CSV}",
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        _reject(
            file,
            f"line {line} contains binary data (NUL bytes), so this is not a CSV file. "
            f"{_SAVE_AS_CSV}",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[RawRow] = []
    first_line = 1
    try:
        for record in reader:
            _check_row_limit(file, None, len(rows))
            cells = tuple(Cell(value) for value in record)
            rows.append(RawRow(len(rows) + 1, cells, first_line, reader.line_num))
            first_line = reader.line_num + 1
    except csv.Error as error:
        if "field limit" in str(error):
            _reject(
                file,
                f"line {first_line}: a cell is longer than {csv.field_size_limit():,} "
                "characters, far beyond anything a return needs",
            )
        if "end of data" in str(error):
            _reject(
                file,
                f'line {first_line}: a quote (") opens a cell that is never closed, so '
                f"everything from line {first_line} to the end of the file would be read as "
                "one cell. Close the quote, or remove it.",
            )
        _reject(
            file,
            f'line {reader.line_num}: a quote (") in the middle of a cell; inside a quoted '
            f'cell write a quote twice (""), or leave the quotes out ({error}).',
        )
    return _sheet(file, None, rows, notices=[])


def _read_xlsx(data: bytes, file: str) -> RawSheet:
    _check_archive(data, file)
    try:
        # openpyxl warns about workbook features it ignores (extensions, styles); none of them
        # affect the cell values read here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                return _read_worksheet(workbook, file)
            finally:
                workbook.close()
    except ReturnRejected:
        raise
    # Any failure inside the third-party parser means the upload is not a workbook we can read;
    # the user needs that answer, not a stack trace.
    except Exception as error:
        _reject(file, f"not a readable XLSX file: the workbook is damaged ({type(error).__name__})")


def _read_worksheet(workbook: Workbook, file: str) -> RawSheet:
    worksheets = workbook.worksheets
    if not worksheets:
        _reject(file, "the workbook has no worksheet")
    _refuse_hidden_data(workbook, file)
    visible = [sheet for sheet in worksheets if sheet.sheet_state == "visible"]
    named = [sheet for sheet in visible if normalise(sheet.title) == normalise(RETURN_SHEET)]
    notices = []
    if named:
        worksheet = named[0]
    elif len(visible) == 1:
        worksheet = visible[0]
        notices.append(f"no sheet is named '{RETURN_SHEET}', so the only sheet was read")
    else:
        names = ", ".join(f"'{sheet.title}'" for sheet in visible) or "none"
        _reject(
            file,
            f"no visible sheet is named '{RETURN_SHEET}' (visible sheets: {names}); name the "
            f"sheet that holds the return '{RETURN_SHEET}'",
        )
    rows: list[RawRow] = []
    for index, values in enumerate(_bounded_rows(worksheet, file)):
        rows.append(RawRow(index + 1, tuple(_xlsx_cell(cell) for cell in values)))
    return _sheet(file, worksheet.title, rows, notices)


def _refuse_hidden_data(workbook: Workbook, file: str) -> None:
    """Refuse a workbook whose hidden sheets hold values: they are never read, so a provider
    would believe figures were sent that were not (or hide figures from a reviewer)."""
    problems = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state == "visible":
            continue
        if sheet.sheet_state == "hidden" and sheet.title == LISTS_SHEET:
            continue
        if any(not Cell(cell.value).is_blank for row in _bounded_rows(sheet, file) for cell in row):
            how = "very hidden" if sheet.sheet_state == "veryHidden" else "hidden"
            problems.append(
                f"sheet '{sheet.title}' is {how} and holds data, which would not be read: "
                f"delete it, or unhide it and move its rows to the '{RETURN_SHEET}' sheet"
            )
    if problems:
        raise ReturnRejected([Problem(file, None, None, None, message) for message in problems])


def _bounded_rows(worksheet, file: str) -> Iterator[tuple]:
    """The sheet's rows, streamed, refusing the file as soon as it has more than ``MAX_ROWS``
    below the header."""
    # The stored dimensions can claim a million rows when formatting covers whole columns;
    # forgetting them makes the reader stop at the last row that holds cells.
    worksheet.reset_dimensions()
    cells = 0
    for index, row in enumerate(worksheet.iter_rows()):
        _check_row_limit(file, worksheet.title, index)
        cells += len(row)
        if cells > MAX_CELLS:
            _reject(
                file,
                f"the sheet has more than {MAX_CELLS:,} cells (row {index + 1} has cells as far "
                f"as column {get_column_letter(len(row))}); it was not read further. A return "
                "has seven columns: delete everything right of column G, or split the return.",
                worksheet.title,
            )
        yield row


def _check_row_limit(file: str, sheet: str | None, rows_read: int) -> None:
    """Called before keeping one more row: refuse once the header and ``MAX_ROWS`` are read."""
    if rows_read > MAX_ROWS:
        _reject(
            file,
            f"the file has more than {MAX_ROWS:,} rows below the header (a quarterly return has "
            "a few hundred); it was not read further. Delete unused rows, or split the return.",
            sheet,
        )


def _xlsx_cell(cell: ReadOnlyCell | EmptyCell) -> Cell:
    value = cell.value
    if cell.data_type == "f":
        # Array formulas arrive as objects holding the formula text.
        return Cell(str(getattr(value, "text", value)), formula=True)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Cell(value, percent_format="%" in (cell.number_format or ""))
    return Cell(value)


def _check_archive(data: bytes, file: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        _reject(
            file,
            "not a readable XLSX file: the zip archive is damaged or incomplete (was the file "
            "cut short while saving or uploading?). Save it again from Excel and re-upload.",
        )
    problems = _archive_problems(members)
    names = {member.filename for member in members}
    if not problems and (
        "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names)
    ):
        problems.append("not a readable XLSX file: this is a zip archive but not an Excel workbook")
    if problems:
        raise ReturnRejected([Problem(file, None, None, None, message) for message in problems])


def _archive_problems(members: list[zipfile.ZipInfo]) -> list[str]:
    if len(members) > MAX_ZIP_MEMBERS:
        return [
            f"the archive has {len(members):,} parts (limit {MAX_ZIP_MEMBERS:,}); refused as a "
            "possible zip bomb"
        ]
    problems = []
    expanded = sum(member.file_size for member in members)
    if expanded > MAX_UNCOMPRESSED_BYTES:
        problems.append(
            f"the workbook would expand to {_megabytes(expanded)} (limit "
            f"{_megabytes(MAX_UNCOMPRESSED_BYTES)}); refused as a possible zip bomb"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
            problems.append(
                f"part {member.filename} expands {ratio:,.0f} times (limit "
                f"{MAX_COMPRESSION_RATIO}); refused as a possible zip bomb"
            )
        if member.flag_bits & 0x1:
            problems.append(f"part {member.filename} is encrypted; remove the password")
    return problems


def _sheet(file: str, sheet: str | None, rows: list[RawRow], notices: list[str]) -> RawSheet:
    non_blank = [row for row in rows if not all(cell.is_blank for cell in row.cells)]
    if not non_blank:
        _reject(file, "the file has no header and no data: it is empty", sheet)
    header, *data = rows
    return RawSheet(
        file=file,
        sheet=sheet,
        header=header,
        rows=[row for row in data if not all(cell.is_blank for cell in row.cells)],
        notices=notices,
    )


def _reject(file: str, message: str, sheet: str | None = None) -> NoReturn:
    raise ReturnRejected([Problem(file, sheet, None, None, message)])


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"
