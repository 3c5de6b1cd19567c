"""A corpus of bad monitoring returns, each with the one problem it must be rejected for.

Each builder returns ``(bytes, filename)``. Builders that need files on disk (the zip bomb, the
million-row workbook) write them under ``workdir``, shared by the test session so they are built
once. ``CORPUS`` holds the original kinds of bad file; ``PLAUSIBILITY`` and ``STRICT_FILES`` the
kinds added when values that looked like numbers, and files that looked like returns, got
through. The Census cap cases need ``seed_benchmarks`` (the Census carers of each district).
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from dashboard.returns.files import MAX_ROWS, MAX_ZIP_MEMBERS
from tests.unit.returns_corpus import (
    GOOD_ROWS,
    HEADER,
    csv_bytes,
    numeric_rows,
    with_cell,
    xlsx_bytes,
)

Built = tuple[bytes, str]
FIRST = GOOD_ROWS[0]
BOMB_MEMBER_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class BadReturn:
    """A bad return, the message its first problem must contain, and where it must be placed.

    ``count`` is how many problems the return has: one, unless the kind is found by several
    independent checks (a zip bomb is both too big and too compressed).
    """

    kind: str
    build: Callable[[Path], Built]
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    count: int = 1


def one_cell(column: str, value: str) -> Callable[[Path], Built]:
    """A CSV return of the first good row with one cell changed (it is row 2)."""
    return lambda _workdir: (csv_bytes([with_cell(FIRST, column, value)]), "return.csv")


def csv_rows(*rows: tuple[str, ...]) -> Callable[[Path], Built]:
    return lambda _workdir: (csv_bytes(rows), "return.csv")


def good_xlsx() -> bytes:
    return xlsx_bytes(numeric_rows(GOOD_ROWS))


def xlsx_edited(edit: Callable[[Worksheet], None]) -> Callable[[Path], Built]:
    return lambda _workdir: (xlsx_bytes(numeric_rows(GOOD_ROWS), edit=edit), "return.xlsx")


def set_cell(coordinate: str, value: object, number_format: str | None = None):
    def edit(sheet: Worksheet) -> None:
        sheet[coordinate] = value
        if number_format is not None:
            sheet[coordinate].number_format = number_format

    return edit


def truncated_xlsx(_workdir: Path) -> Built:
    data = good_xlsx()
    return data[: len(data) // 2], "return.xlsx"


def damaged_xlsx(_workdir: Path) -> Built:
    """A complete archive whose worksheet bytes were changed after the checksum was taken."""
    source = zipfile.ZipFile(io.BytesIO(good_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            # Stored uncompressed so the sheet's XML can be found and altered in the raw bytes.
            target.writestr(member.filename, source.read(member), zipfile.ZIP_STORED)
    data = buffer.getvalue()
    at = data.index(b"Carers First")
    return data[:at] + b"Carers Fxrst" + data[at + 12 :], "return.xlsx"


def zip_bomb(workdir: Path) -> Built:
    """An archive laid out like a workbook whose worksheet inflates to 200 MB of zeros."""
    path = workdir / "bomb.xlsx"
    if not path.exists():
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            with archive.open("xl/worksheets/sheet1.xml", "w") as member:
                chunk = bytes(4 * 1024 * 1024)
                for _ in range(BOMB_MEMBER_BYTES // len(chunk)):
                    member.write(chunk)
    return path.read_bytes(), "return.xlsx"


def many_members(_workdir: Path) -> Built:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for index in range(MAX_ZIP_MEMBERS):
            archive.writestr(f"xl/part{index}.xml", "")
    return buffer.getvalue(), "return.xlsx"


def plain_zip(_workdir: Path) -> Built:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("return.csv", HEADER)
    return buffer.getvalue(), "return.xlsx"


def random_binary(_workdir: Path) -> Built:
    return random.Random(7).randbytes(4096), "return.xlsx"


def old_xls(_workdir: Path) -> Built:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048), "return.xls"


def windows_1252(_workdir: Path) -> Built:
    text = HEADER + "\nCarers First,2024-25-q1,Dartford,,one-off-payments,3,Café trip £40 each\n"
    return text.encode("cp1252"), "return.csv"


def utf16(_workdir: Path) -> Built:
    return (HEADER + "\n").encode("utf-16"), "return.csv"


def fifty_megabytes(_workdir: Path) -> Built:
    return HEADER.encode() + b"\n" + b"x" * (50 * 1024 * 1024), "return.csv"


def nul_bytes(_workdir: Path) -> Built:
    return HEADER.encode() + b"\n\x00\x00\x00\n", "return.csv"


def five_row_csv(note: str, closing_note: str = "") -> bytes:
    """A header and five rows, with ``note`` written raw (unquoted by the writer) on row 2 and
    ``closing_note`` on row 5, so a quote can be left open."""
    base = ",".join(FIRST[:6])
    lines = [HEADER, f"{base},{note}"]
    for value in ("121", "122"):
        lines.append(
            ",".join(with_cell(FIRST, "period", f"2024-25-q{len(lines)}")[:5]) + f",{value},"
        )
    lines.append(",".join(with_cell(FIRST, "period", "2024-25-q4")[:6]) + f",{closing_note}")
    lines.append(",".join(with_cell(FIRST, "period", "2023-24-q4")[:6]) + ",")
    return ("\n".join(lines) + "\n").encode()


def hidden_sheet(state: str, title: str = "Extra") -> Callable[[Path], Built]:
    def edit(sheet: Worksheet) -> None:
        extra = sheet.parent.create_sheet(title)
        extra.append(["Carers First", "2024-25-q1", "Thanet", None, "carers-supported", 999])
        extra.sheet_state = state

    return xlsx_edited(edit)


def hidden_return_behind_decoy(_workdir: Path) -> Built:
    def edit(sheet: Worksheet) -> None:
        decoy = sheet.parent.create_sheet("Summary")
        decoy.append(["Nothing to see"])
        sheet.sheet_state = "hidden"

    return xlsx_bytes(numeric_rows(GOOD_ROWS), edit=edit), "return.xlsx"


def two_sheets_without_return(_workdir: Path) -> Built:
    def edit(sheet: Worksheet) -> None:
        sheet.parent.create_sheet("Q2").append(["provider"])

    return xlsx_bytes(numeric_rows(GOOD_ROWS), title="Q1", edit=edit), "return.xlsx"


def too_many_csv_rows(_workdir: Path) -> Built:
    row = ",".join(FIRST) + "\n"
    return (HEADER + "\n" + row * (MAX_ROWS + 1)).encode(), "return.csv"


MILLION_ROWS = 1_048_576  # every row Excel allows


def million_row_xlsx(workdir: Path) -> Built:
    """A workbook whose Return sheet fills every one of Excel's rows, as a 5 MB file: the
    sheet XML of a one-row workbook, streamed with a million small rows appended."""
    path = workdir / "million-rows.xlsx"
    if not path.exists():
        small = zipfile.ZipFile(io.BytesIO(xlsx_bytes(numeric_rows(GOOD_ROWS[:1]))))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for member in small.infolist():
                data = small.read(member)
                if member.filename != "xl/worksheets/sheet1.xml":
                    archive.writestr(member.filename, data)
                    continue
                text = data.decode()
                first_row_end = text.index("</row>") + len("</row>")
                with archive.open(member.filename, "w") as sheet:
                    sheet.write(text[:first_row_end].encode())
                    for start in range(2, MILLION_ROWS + 1, 4096):
                        numbers = range(start, min(start + 4096, MILLION_ROWS + 1))
                        rows = (f'<row r="{n}"><c r="F{n}"><v>1</v></c></row>' for n in numbers)
                        sheet.write("".join(rows).encode())
                    sheet.write(text[text.index("</sheetData>") :].encode())
    return path.read_bytes(), "return.xlsx"


GOOD_DEMENTIA = GOOD_ROWS[1]
CORPUS = (
    BadReturn("empty file", lambda _w: (b"", "return.csv"), "the file is empty"),
    BadReturn("blank lines only", lambda _w: (b"\n \n", "return.csv"), "it is empty"),
    BadReturn(
        "header only",
        lambda _w: (csv_bytes([]), "return.csv"),
        "there are no data rows below the header",
    ),
    BadReturn(
        "wrong header",
        lambda _w: (csv_bytes([FIRST], HEADER.replace("provider", "organisation")), "r.csv"),
        "wrong header row (missing provider; unexpected 'organisation')",
        row=1,
    ),
    BadReturn(
        "reordered columns",
        lambda _w: (
            csv_bytes([FIRST], HEADER.replace("period,district", "district,period")),
            "r.csv",
        ),
        "wrong header row (the columns are in the wrong order)",
        row=1,
    ),
    BadReturn(
        "semicolon separated",
        lambda _w: (HEADER.replace(",", ";").encode() + b"\n", "return.csv"),
        "separated by semicolons or tabs, not commas",
        row=1,
    ),
    BadReturn(
        "unknown district",
        one_cell("district", "Medway"),
        "unknown district 'Medway' (use one of the 12 Kent County Council districts",
        row=2,
        column="district",
    ),
    BadReturn(
        "misspelt district",
        one_cell("district", "Thanett"),
        "unknown district 'Thanett' (did you mean 'Thanet'?)",
        row=2,
        column="district",
    ),
    BadReturn(
        "unknown care group",
        one_cell("care_group", "Pet owners"),
        "unknown care group 'Pet owners'",
        row=2,
        column="care_group",
    ),
    BadReturn(
        "unknown measure",
        one_cell("measure", "cups of tea"),
        "unknown measure 'cups of tea' (use a measure name or slug",
        row=2,
        column="measure",
    ),
    BadReturn(
        "misspelt measure",
        one_cell("measure", "Carers suported"),
        "unknown measure 'Carers suported' (did you mean 'Carers supported'?)",
        row=2,
        column="measure",
    ),
    BadReturn(
        "target measure",
        one_cell("measure", "target-carers-supported"),
        "measure 'Target: carers supported' (target-carers-supported) is not part of the "
        "monitoring return",
        row=2,
        column="measure",
    ),
    BadReturn(
        "census measure by name",
        one_cell("measure", "Resident population"),
        "(population) is not part of the monitoring return",
        row=2,
        column="measure",
    ),
    BadReturn(
        "unknown provider",
        one_cell("provider", "Acme Home Care"),
        "unknown provider 'Acme Home Care' (use a provider name from the template's list)",
        row=2,
        column="provider",
    ),
    BadReturn(
        "misspelt provider",
        one_cell("provider", "Carers Frist"),
        "unknown provider 'Carers Frist' (did you mean 'Carers First'?)",
        row=2,
        column="provider",
    ),
    BadReturn(
        "bad period text",
        one_cell("period", "2024/25"),
        "bad period: '2024/25' is not a period",
        row=2,
        column="period",
    ),
    BadReturn(
        "half-year that does not exist",
        one_cell("period", "2024-25-h3"),
        "bad period: '2024-25-h3' is not a period: a year has only 2 h2",
        row=2,
        column="period",
    ),
    BadReturn(
        "period before 2013-14",
        one_cell("period", "2009-10"),
        "period 2009-10 is out of range: returns start at 2013-14",
        row=2,
        column="period",
    ),
    BadReturn(
        "future period",
        one_cell("period", "2025-26-q2"),
        "period 2025-26-q2 is in the future: it starts on 1 July 2025",
        row=2,
        column="period",
    ),
    BadReturn(
        "missing provider",
        one_cell("provider", ""),
        "a provider is required",
        row=2,
        column="provider",
    ),
    BadReturn(
        "non-numeric value",
        one_cell("value", "twelve"),
        "wrong type: 'twelve' is not a number",
        row=2,
        column="value",
    ),
    BadReturn("missing value", one_cell("value", ""), "a value is required", 2, "value"),
    BadReturn(
        "suppressed value",
        one_cell("value", "<5"),
        "'<5' is a suppressed or missing figure; send the true number",
        row=2,
        column="value",
    ),
    BadReturn(
        "negative count",
        one_cell("value", "-3"),
        "negative value -3: Carers supported cannot be below zero",
        row=2,
        column="value",
    ),
    BadReturn(
        "fractional count of people",
        one_cell("value", "12.5"),
        "12.5 is not a whole number: Carers supported counts people",
        row=2,
        column="value",
    ),
    BadReturn(
        "percentage over 100",
        csv_rows(with_cell(GOOD_ROWS[3], "value", "120")),
        "percentage 120 is outside 0 to 100 (Unsocial hours share is a percentage)",
        row=2,
        column="value",
    ),
    BadReturn(
        "percentage sign on a count",
        one_cell("value", "85%"),
        "85% is a percentage, but Carers supported is not",
        row=2,
        column="value",
    ),
    BadReturn(
        "duplicate rows",
        csv_rows(FIRST, GOOD_DEMENTIA, with_cell(FIRST, "provider", "CARERS first")),
        "duplicate of row 2: rows 2 and 4 have the same provider, period, district, care group "
        "and measure",
        row=4,
    ),
    BadReturn(
        "care group exceeds its total",
        csv_rows(FIRST, with_cell(GOOD_DEMENTIA, "value", "121")),
        "part exceeds its total: Carers supported for Dementia (121) is more than for all care "
        "groups (120, row 2)",
        row=3,
        column="value",
    ),
    BadReturn(
        "crisis referrals for a care group exceed the total",
        csv_rows(
            with_cell(FIRST, "measure", "crisis-referrals"),
            with_cell(with_cell(GOOD_DEMENTIA, "measure", "Crisis referrals"), "value", "500"),
        ),
        "part exceeds its total: Crisis referrals for Dementia (500) is more than for all care "
        "groups (120, row 2)",
        row=3,
        column="value",
    ),
    BadReturn(
        "new carers exceed carers supported",
        csv_rows(
            FIRST, with_cell(with_cell(FIRST, "measure", "new-carers-identified"), "value", "130")
        ),
        "part exceeds its total: New carers identified (130) is more than Carers supported "
        "(120, row 2), which includes them",
        row=3,
        column="value",
    ),
    BadReturn(
        "value outside the seven columns",
        csv_rows((*FIRST, "extra")),
        "line 2 has 8 cells, but the header has 7: a comma is missing or extra",
        row=2,
    ),
    BadReturn(
        "value outside the seven columns of an XLSX",
        xlsx_edited(set_cell("H3", "extra")),
        "column H holds a value, but a return has only the seven columns A to G",
        row=3,
        sheet="Return",
    ),
    BadReturn(
        "formula in a CSV cell",
        one_cell("value", "=100+20"),
        "formulas are not accepted; paste values (found =100+20)",
        row=2,
        column="value",
    ),
    BadReturn(
        "formula cell in XLSX",
        xlsx_edited(set_cell("F3", "=F2/4")),
        "formulas are not accepted; paste values (found =F2/4)",
        row=3,
        column="value",
        sheet="Return",
    ),
    BadReturn(
        "date in the period cell of an XLSX",
        xlsx_edited(set_cell("B4", datetime(2024, 4, 1))),
        "Excel has turned this cell into a date",
        row=4,
        column="period",
        sheet="Return",
    ),
    BadReturn(
        "count formatted as a percentage in XLSX",
        xlsx_edited(set_cell("F2", 0.5, "0%")),
        "50% is a percentage, but Carers supported is not",
        row=2,
        column="value",
        sheet="Return",
    ),
    BadReturn("truncated XLSX", truncated_xlsx, "not a readable XLSX file: the zip archive is"),
    BadReturn("damaged XLSX", damaged_xlsx, "not a readable XLSX file: the workbook is damaged"),
    BadReturn("zip bomb disguised as XLSX", zip_bomb, "refused as a possible zip bomb", count=2),
    BadReturn("zip with too many parts", many_members, "parts (limit 1,000)"),
    BadReturn("zip that is not a workbook", plain_zip, "a zip archive but not an Excel workbook"),
    BadReturn(
        "random bytes named .xlsx",
        random_binary,
        "not a readable XLSX file: an Excel workbook is a zip archive and this file is not one",
    ),
    BadReturn("old binary .xls", old_xls, "this is an old-style .xls workbook"),
    BadReturn(
        "CSV in Windows-1252",
        windows_1252,
        "the file is not UTF-8: line 2 contains byte 0xE9",
    ),
    BadReturn("CSV in UTF-16", utf16, "the file is UTF-16 ('Unicode Text'), not UTF-8"),
    BadReturn("binary data named .csv", nul_bytes, "contains binary data (NUL bytes)"),
    BadReturn("50 MB file", fifty_megabytes, "the file is over the 10.0 MB limit"),
)


ROW_LIMIT = f"the file has more than {MAX_ROWS:,} rows below the header"
PLAUSIBILITY = (
    BadReturn(
        "carers supported above the district's Census carers",
        one_cell("value", "50000"),
        "50,000 is more than Dartford's 8,668 (Unpaid carers (Census), Census 2021 (21 March "
        "2021)) (rule: Carers supported in a district is at most its Unpaid carers (Census))",
        row=2,
        column="value",
    ),
    BadReturn(
        "a care group's carers above the district's Census carers",
        csv_rows(with_cell(FIRST, "value", "9000"), with_cell(GOOD_DEMENTIA, "value", "9000")),
        "9,000 is more than Dartford's 8,668",
        row=2,
        column="value",
        count=2,
    ),
    BadReturn(
        "1e23 typed as text",
        one_cell("value", "1e23"),
        "'1e23' is in scientific notation; write the number in full, digits only",
        row=2,
        column="value",
    ),
    BadReturn(
        "1e23 as an XLSX number",
        xlsx_edited(set_cell("F2", 1e23)),
        "1e+23 is more than 50,000, the most Carers supported can plausibly be in one row",
        row=2,
        column="value",
        sheet="Return",
    ),
    BadReturn(
        "one followed by 308 zeros",
        one_cell("value", "1" + "0" * 308),
        "1e+308 is more than 50,000, the most Carers supported can plausibly be in one row",
        row=2,
        column="value",
    ),
    BadReturn(
        "one followed by 309 zeros",
        one_cell("value", "1" + "0" * 309),
        "… (310 characters)' is too large to be a figure in a return",
        row=2,
        column="value",
    ),
    BadReturn(
        "short break hours above the catalogue maximum",
        csv_rows(with_cell(with_cell(FIRST, "measure", "short-break-hours"), "value", "2000000")),
        "2,000,000 is more than 1,000,000, the most Short break hours can plausibly be",
        row=2,
        column="value",
    ),
    BadReturn(
        "negative percentage",
        csv_rows(with_cell(GOOD_ROWS[3], "value", "-5")),
        "percentage -5 is outside 0 to 100 (Unsocial hours share is a percentage)",
        row=2,
        column="value",
    ),
    BadReturn(
        "Arabic-Indic digits",
        one_cell("value", "١٢٠"),
        "'١٢٠' is written with Arabic-Indic digits; type it with the digits 0 to 9",
        row=2,
        column="value",
    ),
    BadReturn(
        "full-width digits",
        one_cell("value", "１２０"),
        "'１２０' is written with Fullwidth digits; type it with the digits 0 to 9",
        row=2,
        column="value",
    ),
    BadReturn(
        "Arabic-Indic digits in the period",
        one_cell("period", "٢٠٢٤-25-q1"),
        "is written with Arabic-Indic digits",
        row=2,
        column="period",
    ),
    BadReturn(
        "text then number",
        one_cell("value", "12 carers"),
        "'12 carers' mixes words and a number: put only the number in the value column",
        row=2,
        column="value",
    ),
    BadReturn(
        "words before the number",
        one_cell("value", "approx. 120"),
        "'approx. 120' mixes words and a number",
        row=2,
        column="value",
    ),
    BadReturn(
        "note of 100,000 characters",
        one_cell("note", "x" * 100_000),
        "the note is 100,000 characters long; the limit is 1,000",
        row=2,
        column="note",
    ),
    BadReturn(
        "provider outside its contract's districts",
        one_cell("district", "Thanet"),
        "Carers First has no contract for Thanet (rule: a provider returns only for districts "
        "in its contract, which for it are Dartford, Gravesham, Sevenoaks, Tonbridge and "
        "Malling and Tunbridge Wells)",
        row=2,
        column="district",
    ),
    BadReturn(
        "provider with no contract",
        one_cell("provider", "Volcare"),
        "Volcare has no carers' services contract on record, so it cannot send returns",
        row=2,
        column="provider",
    ),
    BadReturn(
        "unknown provider 100,000 characters long",
        one_cell("provider", "A" * 100_000),
        "… (100,000 characters)' (use a provider name from the template's list)",
        row=2,
        column="provider",
    ),
)
STRICT_FILES = (
    BadReturn(
        "unclosed quote in row 2's note swallows rows 3 to 6",
        lambda _w: (five_row_csv('"estimate'), "return.csv"),
        'line 2: a quote (") opens a cell that is never closed, so everything from line 2 to '
        "the end of the file would be read as one cell",
    ),
    BadReturn(
        "quote opened in row 2 and closed in row 5",
        lambda _w: (five_row_csv('"estimate', closing_note='revised"'), "return.csv"),
        "a quoted cell starting on line 2 runs to line 5, taking in lines 3 to 5 as text",
        row=2,
    ),
    BadReturn(
        "text after a closing quote",
        lambda _w: (
            HEADER.encode() + b'\nCarers First,2024-25-q1,Dartford,,carers-supported,"12"3,\n',
            "return.csv",
        ),
        'line 2: a quote (") in the middle of a cell',
    ),
    BadReturn(
        "ragged row with a cell missing",
        lambda _w: (
            HEADER.encode() + b"\nCarers First,2024-25-q1,Dartford,carers-supported,12,\n",
            "return.csv",
        ),
        "line 2 has 6 cells, but the header has 7: a comma is missing or extra",
        row=2,
    ),
    BadReturn(
        "unquoted comma in a note",
        lambda _w: (
            csv_bytes([FIRST])
            + b"Carers First,2024-25-q2,Dartford,,carers-supported,12,Smith, J\n",
            "return.csv",
        ),
        "line 3 has 8 cells, but the header has 7",
        row=3,
    ),
    BadReturn(
        "stray NUL in a note",
        lambda _w: (
            csv_bytes([FIRST]) + b"Carers First,2024-25-q2,Dartford,,carers-supported,12,a\x00b\n",
            "return.csv",
        ),
        "line 3 contains binary data (NUL bytes), so this is not a CSV file",
    ),
    BadReturn(
        "CSV cell of a megabyte",
        one_cell("note", "x" * 1_000_000),
        "line 2: a cell is longer than 131,072 characters",
    ),
    BadReturn("CSV of more than 50,000 rows", too_many_csv_rows, ROW_LIMIT),
    BadReturn(
        "XLSX filling all 1,048,576 rows",
        million_row_xlsx,
        ROW_LIMIT,
        sheet="Return",
    ),
    BadReturn(
        "hidden sheet holding data",
        hidden_sheet("hidden"),
        "sheet 'Extra' is hidden and holds data, which would not be read",
    ),
    BadReturn(
        "very hidden sheet holding data",
        hidden_sheet("veryHidden"),
        "sheet 'Extra' is very hidden and holds data, which would not be read",
    ),
    BadReturn(
        "hidden Lists sheet that is very hidden",
        hidden_sheet("veryHidden", title="Lists"),
        "sheet 'Lists' is very hidden and holds data",
    ),
    BadReturn(
        "Return sheet hidden behind a visible decoy",
        hidden_return_behind_decoy,
        "sheet 'Return' is hidden and holds data",
    ),
    BadReturn(
        "two visible sheets and none named Return",
        two_sheets_without_return,
        "no visible sheet is named 'Return' (visible sheets: 'Q1', 'Q2')",
    ),
)
EVERY_KIND = CORPUS + PLAUSIBILITY + STRICT_FILES
