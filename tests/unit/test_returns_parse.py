"""Monitoring returns: good returns parse to the right rows, bad ones are refused with every
problem located by file, sheet, row and column."""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.config import DATA_DIR
from dashboard.db.seed_files import SeedDataError, read_seed_data
from dashboard.periods import parse_period
from dashboard.returns import files
from dashboard.returns.parse import ROW_COLUMNS, read_return
from dashboard.returns.plausibility import Benchmarks, Earlier
from dashboard.returns.problems import Problem, ReturnRejected
from dashboard.returns.template import write_template_xlsx
from dashboard.returns.vocabulary import RETURN_MEASURES, ReturnVocabulary, normalise
from tests.unit.returns_corpus import (
    GOOD_ROWS,
    TODAY,
    csv_bytes,
    csv_text,
    numeric_rows,
    reference_from_seed_files,
    seed_benchmarks,
    vocabulary,
    with_cell,
    xlsx_bytes,
)
from tests.unit.returns_corpus.bad_returns import (
    CORPUS,
    EVERY_KIND,
    BadReturn,
    fifty_megabytes,
    million_row_xlsx,
    zip_bomb,
)

EXPECTED_GOOD_ROWS = pd.DataFrame(
    {
        "provider": ["carers-first"] * 4,
        "period": ["2024-25-q1"] * 4,
        "geography": ["E07000107", "E07000107", "E07000109", "E07000109"],
        "care_group": pd.Series([None, "dementia", None, None], dtype=object),
        "measure": [
            "carers-supported",
            "carers-supported",
            "new-carers-identified",
            "unsocial-hours-share",
        ],
        "value": [120.0, 30.0, 14.0, 22.5],
        "note": ["", "", "estimate", ""],
    }
)


def parse(data: bytes, filename: str = "return.csv", **options):
    options.setdefault("benchmarks", seed_benchmarks())
    return read_return(data, filename, vocabulary(), today=TODAY, **options)


def rejection(data: bytes, filename: str = "return.csv") -> list[Problem]:
    with pytest.raises(ReturnRejected) as caught:
        parse(data, filename)
    return caught.value.problems


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("returns_corpus")


def assert_same_rows(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(actual.columns) == ROW_COLUMNS
    pd.testing.assert_frame_equal(
        actual.reset_index(drop=True), expected, check_dtype=False, check_exact=True
    )
    assert actual["care_group"].tolist() == expected["care_group"].tolist()


# Good returns


def test_good_csv_parses_to_slugs_codes_and_numbers():
    parsed = parse(csv_bytes(GOOD_ROWS))
    assert_same_rows(parsed.rows, EXPECTED_GOOD_ROWS)
    assert parsed.notices == []
    assert parsed.coverage == [("carers-first", "2024-25-q1")]


def test_good_xlsx_from_the_template_parses_like_the_csv(tmp_path: Path):
    template = tmp_path / "template.xlsx"
    write_template_xlsx(template, vocabulary(), today=TODAY)
    workbook = load_workbook(template)
    sheet = workbook["Return"]
    for row in numeric_rows(GOOD_ROWS):
        sheet.append([None if cell == "" else cell for cell in row])
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)

    parsed = parse(filled.read_bytes(), "filled.xlsx")
    assert_same_rows(parsed.rows, EXPECTED_GOOD_ROWS)
    assert parsed.notices == []


def test_content_decides_the_format_not_the_name():
    parsed = parse(xlsx_bytes(numeric_rows(GOOD_ROWS)), "return.csv")
    assert_same_rows(parsed.rows, EXPECTED_GOOD_ROWS)


def test_csv_with_byte_order_mark_crlf_and_blank_lines_parses():
    text = csv_text(GOOD_ROWS).replace("\n", "\r\n")
    lines = text.split("\r\n")
    lines.insert(3, ",,,,,,")
    data = "\ufeff".encode() + "\r\n".join(lines).encode()
    assert_same_rows(parse(data).rows, EXPECTED_GOOD_ROWS)


@pytest.mark.parametrize(
    "spelling", ["Carers First", "Carers FIRST", "carers-first", "  CARERS first. ", "Carers Fist"]
)
def test_provider_names_match_ignoring_case_spacing_punctuation_and_aliases(spelling):
    parsed = parse(csv_bytes([with_cell(GOOD_ROWS[0], "provider", spelling)]))
    assert parsed.rows["provider"].tolist() == ["carers-first"]


@pytest.mark.parametrize(
    "spelling", ["Tunbridge Wells", "E07000116", "e07000116", "tunbridge-wells", "TUNBRIDGE WELLS"]
)
def test_districts_match_by_ons_code_name_or_slug(spelling):
    parsed = parse(csv_bytes([with_cell(GOOD_ROWS[0], "district", spelling)]))
    assert parsed.rows["geography"].tolist() == ["E07000116"]
    assert parsed.notices == []


def test_former_district_name_is_mapped_and_reported():
    rows = [
        with_cell(with_cell(row, "district", "SHEPWAY"), "provider", "East Kent Carers Consortium")
        for row in GOOD_ROWS[:2]
    ]
    parsed = parse(csv_bytes(rows))
    assert parsed.rows["geography"].tolist() == ["E07000112", "E07000112"]
    assert parsed.notices == ["Shepway mapped to Folkestone and Hythe (E07000112) on rows 2, 3"]
    assert "Shepway" not in parsed.summary()  # told once, as a notice


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("", None),
        ("all", None),
        ("All care groups", None),
        ("Learning disability", "learning-disability"),
        ("learning-disability", "learning-disability"),
        ("LEARNING DISABILITY", "learning-disability"),
    ],
)
def test_care_group_by_name_or_slug_and_blank_means_all(spelling, slug):
    parsed = parse(csv_bytes([with_cell(GOOD_ROWS[0], "care_group", spelling)]))
    assert parsed.rows["care_group"].tolist() == [slug]


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("Information and advice by telephone", "information-advice-telephone"),
        ("information-advice-face-to-face", "information-advice-face-to-face"),
        ("Information and advice on home visits", "information-advice-home-visit"),
        ("Carers' assessments", "carers-assessments"),
        ("carers assessments", "carers-assessments"),
    ],
)
def test_measures_by_catalogue_name_or_slug(spelling, slug):
    parsed = parse(csv_bytes([with_cell(GOOD_ROWS[0], "measure", spelling)]))
    assert parsed.rows["measure"].tolist() == [slug]


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,248", 1248.0), ("0", 0.0), (" 42 ", 42.0), ("+7", 7.0), ("12.0", 12.0)],
)
def test_count_values_accept_plain_and_thousands_separated_numbers(text, value):
    parsed = parse(csv_bytes([with_cell(GOOD_ROWS[0], "value", text)]))
    assert parsed.rows["value"].tolist() == [value]


@pytest.mark.parametrize(("text", "value"), [("85%", 85.0), ("0", 0.0), ("100", 100.0)])
def test_percentages_accept_a_percent_sign_and_the_bounds(text, value):
    parsed = parse(csv_bytes([with_cell(GOOD_ROWS[3], "value", text)]))
    assert parsed.rows["value"].tolist() == [value]


def test_excel_percentage_cells_are_read_as_displayed():
    def as_percentage(sheet):
        sheet["F5"] = 0.225
        sheet["F5"].number_format = "0.0%"

    parsed = parse(xlsx_bytes(numeric_rows(GOOD_ROWS), edit=as_percentage), "r.xlsx")
    assert parsed.rows["value"].tolist()[-1] == 22.5


def test_short_break_hours_may_be_fractional():
    row = with_cell(with_cell(GOOD_ROWS[0], "measure", "short-break-hours"), "value", "7.5")
    assert parse(csv_bytes([row])).rows["value"].tolist() == [7.5]


def test_period_slugs_are_normalised_to_lower_case_and_ended_periods_accepted():
    rows = [
        with_cell(GOOD_ROWS[0], "period", "2024-25-Q4"),
        with_cell(GOOD_ROWS[0], "period", "2013-14"),
        with_cell(GOOD_ROWS[0], "period", "2024-25-H1"),
    ]
    assert parse(csv_bytes(rows)).rows["period"].tolist() == ["2024-25-q4", "2013-14", "2024-25-h1"]


def test_information_advice_channels_may_exceed_the_carers_given_advice():
    # The catalogue counts contacts per channel but carers in the total: 40 carers can make
    # 90 telephone contacts, so this is not a part exceeding its total.
    base = GOOD_ROWS[0]
    rows = [
        with_cell(with_cell(base, "measure", "information-advice"), "value", "40"),
        with_cell(with_cell(base, "measure", "information-advice-telephone"), "value", "90"),
        with_cell(with_cell(base, "measure", "information-advice-face-to-face"), "value", "10"),
    ]
    assert len(parse(csv_bytes(rows)).rows) == 3


def test_a_count_just_off_a_whole_number_is_shown_as_it_is():
    # Found by an attack: 5.0000000001 was refused as "5 is not a whole number".
    (problem,) = rejection(xlsx_bytes([[*GOOD_ROWS[0][:5], 5.0000000001, ""]]), "r.xlsx")
    assert problem.message.startswith("5.0000000001 is not a whole number")


def test_care_groups_may_add_up_to_more_than_the_total():
    # Carers can belong to several care groups; only each group on its own is limited.
    base = GOOD_ROWS[0]
    rows = [
        base,
        with_cell(base, "care_group", "dementia"),
        with_cell(base, "care_group", "older-people"),
    ]
    assert parse(csv_bytes(rows)).rows["value"].sum() == 360


def test_care_groups_without_a_total_may_not_add_up_to_more_than_the_census_carers():
    # Found by an attack: 13 care groups of 14,000 carers supported in Maidstone, each under
    # its Census carers and no row for all groups, were loaded; the dashboard adds the groups
    # up where there is no total, and the overview read a reach rate of 145%.
    cap = seed_benchmarks().caps[("census-carers", "E07000107")].value  # Dartford
    groups = ["dementia", "older-people", "mental-health"]
    share = str(int(cap // 2))
    rows = [with_cell(with_cell(GOOD_ROWS[0], "care_group", g), "value", share) for g in groups]
    (problem,) = rejection(csv_bytes(rows))
    assert (problem.row, problem.column) == (4, "care_group")
    assert problem.message.startswith(
        f"the care groups of Dartford add up to {3 * int(cap // 2):,} (Carers supported, rows 2 "
        f"to 4), more than its {int(cap):,} (Unpaid carers"
    )
    with_total = [with_cell(GOOD_ROWS[0], "value", str(int(cap))), *rows]
    assert len(parse(csv_bytes(with_total)).rows) == 4


def test_summary_names_providers_periods_districts_measures_and_replacement():
    assert parse(csv_bytes(GOOD_ROWS)).summary() == (
        "Would load 4 rows: provider Carers First; period 2024-25-q1; 2 districts; 3 measures; "
        "1 care group and all care groups; replaces any earlier return for the same provider and "
        "period."
    )


def test_return_may_cover_several_providers_and_periods():
    rows = [
        GOOD_ROWS[0],
        with_cell(GOOD_ROWS[0], "period", "2024-25-q2"),
        with_cell(with_cell(GOOD_ROWS[0], "provider", "Involve Carers"), "district", "Maidstone"),
    ]
    parsed = parse(csv_bytes(rows))
    assert parsed.coverage == [
        ("carers-first", "2024-25-q1"),
        ("carers-first", "2024-25-q2"),
        ("involve-carers", "2024-25-q1"),
    ]
    assert parsed.summary().startswith(
        "Would load 3 rows: providers Carers First and Involve Carers; periods 2024-25-q1 and "
        "2024-25-q2; 2 districts; 1 measure; all care groups; replaces any earlier return for "
        "each provider and period."
    )


def test_the_only_sheet_is_read_when_no_sheet_is_named_return():
    parsed = parse(xlsx_bytes(numeric_rows(GOOD_ROWS), title="Q1 figures"), "r.xlsx")
    assert len(parsed.rows) == 4
    assert parsed.notices == ["no sheet is named 'Return', so the only sheet was read"]


def test_future_periods_depend_on_today():
    data = csv_bytes([with_cell(GOOD_ROWS[0], "period", "2025-26-q2")])
    problem = rejection(data)[0]
    assert "is in the future" in problem.message
    late = read_return(data, "r.csv", vocabulary(), today=date(2025, 10, 1))
    assert late.rows["period"].tolist() == ["2025-26-q2"]


@pytest.mark.parametrize("slug", ["0000-01", "9999-00", "9999-00-q4"])
def test_a_period_of_years_no_date_holds_is_a_bad_period(slug):
    (problem,) = rejection(csv_bytes([with_cell(GOOD_ROWS[0], "period", slug)]))
    assert (problem.row, problem.column) == (2, "period")
    assert problem.message.startswith(f"bad period: '{slug}' is not a period")


@pytest.mark.parametrize("today", [date(2025, 7, 1), date(2025, 8, 15), date(2025, 9, 30)])
def test_a_period_under_way_is_refused_until_the_day_after_it_ends(today):
    # On its last day a quarter's figures are still for part of it: 2025-26 Q2 is July to
    # September 2025, so its return is loaded from 1 October.
    data = csv_bytes([with_cell(GOOD_ROWS[0], "period", "2025-26-q2")])
    with pytest.raises(ReturnRejected) as rejected:
        read_return(data, "r.csv", vocabulary(), today=today)
    (problem,) = rejected.value.problems
    assert (problem.row, problem.column) == (2, "period")
    assert "2025-26-q2 has not ended: it ends on 30 September 2025" in problem.message


# Bad returns


@pytest.mark.parametrize("case", EVERY_KIND, ids=[case.kind for case in EVERY_KIND])
def test_each_kind_of_bad_return_is_rejected_with_its_message(case: BadReturn, workdir: Path):
    data, filename = case.build(workdir)
    problems = rejection(data, filename)
    assert len(problems) == case.count, "\n".join(map(str, problems))
    problem = problems[0]
    assert case.message in problem.message
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        filename,
        case.sheet,
        case.row,
        case.column,
    )


def test_corpus_covers_at_least_twenty_two_kinds():
    assert len({case.kind for case in CORPUS}) >= 22
    assert len({case.kind for case in EVERY_KIND}) == len(EVERY_KIND)


def _cells_read(monkeypatch) -> list:
    """The workbook cells the reader goes on to read, from now on in this test."""
    cells = []
    read_cell = files._xlsx_cell

    def counting(cell):
        cells.append(cell)
        return read_cell(cell)

    monkeypatch.setattr(files, "_xlsx_cell", counting)
    return cells


def test_a_million_row_workbook_is_refused_having_read_only_up_to_the_limit(
    monkeypatch, workdir: Path
):
    data, filename = million_row_xlsx(workdir)
    cells_read = _cells_read(monkeypatch)
    problems = rejection(data, filename)
    assert [problem.message[:50] for problem in problems] == [
        f"the file has more than {files.MAX_ROWS:,} rows below the header"[:50]
    ]
    rows_read = [getattr(cell, "row", 0) for cell in cells_read]  # empty cells have no row
    assert max(rows_read) == files.MAX_ROWS + 1  # the header and 50,000 rows, then it stopped


def test_a_workbook_of_very_wide_rows_is_refused_having_read_only_up_to_the_cell_limit(
    monkeypatch,
):
    # Found by an attack: 2,000 rows of 500 numbers (a 0.8 MB file, within the row limit) took
    # 31 s to read, and the worker was killed at its timeout with the upload half answered.
    monkeypatch.setattr(files, "MAX_CELLS", 2_000)

    def widen(sheet):
        for row in range(2, 12):
            for column in range(1, 501):
                sheet.cell(row=row, column=column, value=row)

    data = xlsx_bytes([], edit=widen)
    cells_read = _cells_read(monkeypatch)
    (problem,) = rejection(data, "wide.xlsx")
    assert problem.message.startswith(
        "the sheet has more than 2,000 cells (row 5 has cells as far as column SF)"
    )
    assert problem.message.endswith("delete everything right of column G, or split the return.")
    assert len(cells_read) <= 2_000


def test_at_most_200_problems_are_listed_with_the_count_of_the_rest():
    rows = [with_cell(GOOD_ROWS[0], "district", f"Nowhere {n}") for n in range(1000)]
    with pytest.raises(ReturnRejected) as caught:
        parse(csv_bytes(rows))
    assert caught.value.total == 1000
    assert len(caught.value.problems) == 200
    assert [p.row for p in caught.value.problems] == list(range(2, 202))
    assert str(caught.value).endswith("\n  and 800 more problems")


def test_a_percentage_typed_as_a_fraction_is_queried_not_refused():
    share = with_cell(GOOD_ROWS[3], "value", "0.85")
    parsed = parse(csv_bytes([GOOD_ROWS[0], share]))
    assert parsed.rows["value"].tolist() == [120.0, 0.85]
    [warning] = parsed.warnings
    assert (warning.row, warning.column) == (3, "value")
    assert warning.message.startswith(
        "0.85 looks like a fraction: percentages are 0 to 100, so enter 85 for 85%"
    )
    assert parse(csv_bytes([with_cell(share, "value", "0.85%")])).warnings == []
    assert parse(csv_bytes([with_cell(share, "value", "85")])).warnings == []


def _history(value: float, period: str = "2023-24-q4") -> Benchmarks:
    start = parse_period(period).start
    key = ("carers-first", "carers-supported", "E07000107", None, "quarter")
    earlier = Earlier(start, period, float(value))
    return Benchmarks(caps=seed_benchmarks().caps, history={key: [earlier]})


@pytest.mark.parametrize(
    ("last", "value", "unusual"),
    [(120, 361, True), (120, 360, False), (120, 39, True), (120, 40, False), (2, 7, False)],
)
def test_a_value_far_from_the_provider_s_last_return_is_queried(last, value, unusual):
    row = with_cell(GOOD_ROWS[0], "value", str(value))
    parsed = parse(csv_bytes([row]), benchmarks=_history(last))
    assert parsed.rows["value"].tolist() == [value]
    assert bool(parsed.warnings) == unusual
    if unusual:
        change = "more than 3 times" if value > last else "under 1/3 of"
        assert parsed.warnings[0].message.startswith(
            f"{value} is unusual: {change} the provider's last return for this measure, "
            f"district and care group ({last} in 2023-24-q4)"
        )


def test_the_unusual_check_compares_like_periods_only():
    # A year is not compared with a quarter (one of an earlier year: a year beside its own
    # quarters is refused), and a later period is not "the last return".
    year = with_cell(with_cell(GOOD_ROWS[0], "period", "2024-25"), "value", "2000")
    assert parse(csv_bytes([year]), benchmarks=_history(120)).warnings == []
    earlier = with_cell(with_cell(GOOD_ROWS[0], "period", "2023-24-q3"), "value", "2000")
    assert parse(csv_bytes([earlier]), benchmarks=_history(120)).warnings == []


def test_a_year_beside_a_quarter_of_it_loaded_before_is_refused():
    year = with_cell(with_cell(GOOD_ROWS[0], "period", "2023-24"), "value", "2000")
    with pytest.raises(ReturnRejected, match="2023/24 overlaps 2023/24 Q4"):
        parse(csv_bytes([year]), benchmarks=_history(120))


def test_every_return_measure_declares_its_range_and_percentages_are_0_to_100():
    for spec in vocabulary().measure_specs.values():
        assert spec.min_value == 0, spec.slug
        assert spec.max_value is not None, spec.slug
        if spec.unit == "percent":
            assert spec.max_value == 100, spec.slug
    carers = vocabulary().measure_specs["carers-supported"]
    assert (carers.at_most, carers.unusual_ratio) == ("census-carers", 3)


def test_contracts_give_each_provider_its_districts():
    covered = vocabulary().contract_districts
    assert covered["crossroads-care-kent"] is None  # Kent-wide
    assert covered["involve-carers"] == {"E07000110", "E07000115"}
    assert "volcare" not in covered


def test_every_problem_is_reported_at_once_with_spreadsheet_row_numbers():
    first, dementia, new_carers, share = GOOD_ROWS
    rows = [
        first,  # row 2
        ("", "", "", "", "", "", ""),  # row 3: blank, skipped but still counted
        with_cell(dementia, "district", "Thanett"),  # row 4
        with_cell(with_cell(new_carers, "value", "-2"), "measure", "Carers' health checks"),
        with_cell(share, "period", "2009-10"),  # row 6
        with_cell(with_cell(first, "care_group", "Dementa"), "value", "x"),  # row 7
        first,  # row 8: duplicate of row 2
    ]
    problems = rejection(csv_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [
        (4, "district"),
        (5, "value"),
        (6, "period"),
        (7, "care_group"),
        (7, "value"),
        (8, None),
    ]
    assert str(problems[0]) == (
        "return.csv, row 4, column district: unknown district 'Thanett' (did you mean 'Thanet'?)"
    )
    assert "Carers' health checks cannot be below zero" in problems[1].message
    assert problems[5].message.startswith("duplicate of row 2")


def test_xlsx_problems_name_the_sheet():
    data = xlsx_bytes(numeric_rows([with_cell(GOOD_ROWS[0], "district", "Thanett")] * 6))
    problems = rejection(data, "return.xlsx")
    assert str(problems[5]) == (
        "return.xlsx, sheet Return, row 7, column district: unknown district 'Thanett' "
        "(did you mean 'Thanet'?)"
    )


def test_rejection_message_lists_every_problem():
    rows = [with_cell(GOOD_ROWS[0], "district", "Narnia"), with_cell(GOOD_ROWS[0], "value", "?")]
    with pytest.raises(ReturnRejected) as caught:
        parse(csv_bytes(rows))
    text = str(caught.value)
    assert text.startswith("2 problems in the return:\n")
    assert "row 2, column district: unknown district 'Narnia'" in text
    assert "row 3, column value: wrong type: '?' is not a number" in text


def test_oversized_file_is_refused_before_it_is_read(monkeypatch, workdir: Path):
    def must_not_read(*_args, **_kwargs):
        raise AssertionError("an oversized file must not be parsed")

    monkeypatch.setattr(files, "_read_csv", must_not_read)
    monkeypatch.setattr(files, "_read_xlsx", must_not_read)
    data, filename = fifty_megabytes(workdir)
    started = time.perf_counter()
    problems = rejection(data, filename)
    assert time.perf_counter() - started < 0.5
    assert "over the 10.0 MB limit (10,485,760 bytes)" in problems[0].message


def test_size_limit_is_configurable():
    data = csv_bytes(GOOD_ROWS)
    with pytest.raises(ReturnRejected, match="over the 0.0 MB limit"):
        parse(data, max_bytes=len(data) - 1)
    assert len(parse(data, max_bytes=len(data)).rows) == 4


def test_zip_bomb_is_refused_from_the_directory_without_inflating(monkeypatch, workdir: Path):
    def must_not_open(*_args, **_kwargs):
        raise AssertionError("a zip bomb must not reach openpyxl")

    monkeypatch.setattr(files.openpyxl, "load_workbook", must_not_open)
    data, filename = zip_bomb(workdir)
    started = time.perf_counter()
    problems = rejection(data, filename)
    assert time.perf_counter() - started < 0.5
    messages = [problem.message for problem in problems]
    assert messages == [
        "the workbook would expand to 200.0 MB (limit 100.0 MB); refused as a possible zip bomb",
        "part xl/worksheets/sheet1.xml expands 229 times (limit 100); refused as a possible zip "
        "bomb",
    ]


def test_wrong_header_is_reported_alone_because_rows_cannot_be_trusted():
    header = "provider,period,district,care group,measure,amount,note"
    problems = rejection(csv_bytes([with_cell(GOOD_ROWS[0], "district", "Narnia")], header))
    assert len(problems) == 1
    assert problems[0].message.startswith("wrong header row (missing value; unexpected 'amount')")


def test_header_matches_ignoring_case_and_spacing():
    header = "Provider, Period ,DISTRICT,Care group,measure,value,Note"
    assert len(parse(csv_bytes(GOOD_ROWS, header)).rows) == 4


# Vocabulary


def test_normalise_keeps_only_lower_case_letters_and_digits():
    assert normalise("  Carers' FIRST-(Kent) 2 ") == "carersfirstkent2"


def test_every_core_measure_is_in_the_catalogue_and_returnable():
    specs = vocabulary().measure_specs
    assert list(specs) == list(RETURN_MEASURES)
    assert {spec.unit for spec in specs.values()} == {"count", "hours", "percent"}
    assert specs["carers-supported"].counts_people
    assert not specs["information-advice-telephone"].counts_people


def test_measures_missing_from_the_catalogue_are_left_out():
    reference = vocabulary_frames()
    measures = reference["measures"]
    reduced = ReturnVocabulary.from_frames(
        **{**reference, "measures": measures[measures["slug"] != "dementia-share"]}
    )
    assert "dementia-share" not in reduced.measure_specs
    assert len(reduced.measure_specs) == len(RETURN_MEASURES) - 1


def test_a_spelling_shared_by_two_providers_is_refused():
    reference = vocabulary_frames()
    providers = reference["providers"].copy()
    providers.loc[providers["slug"] == "volcare", "aliases"] = "Carers-First"
    with pytest.raises(ValueError, match="names both 'carers-first' and 'volcare'"):
        ReturnVocabulary.from_frames(**{**reference, "providers": providers})


def test_mistyped_codes_are_not_guessed():
    assert vocabulary().districts.suggest("E07000119") is None
    assert vocabulary().districts.suggest("Tunbrige Wells") == "Tunbridge Wells"


def vocabulary_frames() -> dict[str, pd.DataFrame]:
    reference = reference_from_seed_files()
    return {
        "districts": reference.districts,
        "care_groups": reference.care_groups,
        "measures": reference.measures,
        "providers": reference.providers,
        "contracts": reference.contracts,
        "shares": reference.shares,
    }


def test_seed_check_refuses_plausibility_rules_that_make_no_sense(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "reference" / "measures.csv"
    measures = pd.read_csv(path, dtype=str, keep_default_na=False)
    line = {slug: index + 2 for index, slug in enumerate(measures["slug"])}  # header is row 1
    rows = measures.set_index("slug")
    rows.loc["carers-supported", ["min_value", "max_value"]] = ["10", "5"]
    rows.loc["dementia-share", "max_value"] = "150"
    rows.loc["referrals", ["unusual_ratio", "at_most"]] = ["1", "no-such-measure"]
    rows.reset_index().to_csv(path, index=False)
    with pytest.raises(SeedDataError) as caught:
        read_seed_data(data)
    name = "reference/measures.csv"
    assert caught.value.problems == [
        f"{name}, row {line['referrals']}, column at_most: unknown measure 'no-such-measure'",
        f"{name}, row {line['carers-supported']}: min_value 10 is above max_value 5",
        f"{name}, row {line['referrals']}, column unusual_ratio: 1 must be more than 1",
        f"{name}, row {line['dementia-share']}: a percentage's range must lie within 0 to 100",
    ]


@pytest.mark.parametrize("typed", ["1.000", "2.500", "123.456"])
def test_a_count_with_points_between_thousands_is_refused_as_ambiguous(typed):
    # "1.000" loaded as 1 carer: where a point separates thousands it means a thousand.
    row = with_cell(GOOD_ROWS[0], "value", typed)
    with pytest.raises(ReturnRejected, match="written with a point between thousands"):
        parse(csv_bytes([row]))
    assert parse(csv_bytes([with_cell(GOOD_ROWS[0], "value", "1,000")])).rows["value"].tolist() == [
        1000
    ]
