"""The monitoring return template: sheets, exact header, drop-down lists, and the CSV version."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from dashboard.returns.parse import COLUMNS, read_return
from dashboard.returns.problems import ReturnRejected
from dashboard.returns.template import (
    TEMPLATE_ROWS,
    template_periods,
    write_template_csv,
    write_template_xlsx,
)
from tests.unit.returns_corpus import TODAY, vocabulary


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = tmp_path_factory.mktemp("template") / "return-template.xlsx"
    write_template_xlsx(path, vocabulary(), today=TODAY)
    return load_workbook(path)


def list_values(workbook: Workbook, formula: str) -> list[str]:
    """The values a list validation's formula (``'Lists'!$A$2:$A$11``) points at."""
    sheet_name, cells = formula.split("!")
    return [cell.value for (cell,) in workbook[sheet_name.strip("'")][cells.replace("$", "")]]


def test_sheets_are_read_me_return_and_a_hidden_list_sheet(workbook: Workbook):
    assert workbook.sheetnames == ["Read me", "Return", "Lists"]
    assert workbook["Lists"].sheet_state == "hidden"
    assert workbook["Return"].sheet_state == "visible"


def test_return_sheet_has_exactly_the_seven_columns_and_a_frozen_header(workbook: Workbook):
    sheet = workbook["Return"]
    assert [cell.value for cell in sheet[1]] == [
        "provider",
        "period",
        "district",
        "care_group",
        "measure",
        "value",
        "note",
    ]
    assert sheet.max_row == 1
    assert sheet.freeze_panes == "A2"


def test_drop_down_lists_cover_rows_two_to_the_last_template_row(workbook: Workbook):
    validations = {
        str(validation.sqref): validation
        for validation in workbook["Return"].data_validations.dataValidation
    }
    expected_ranges = [f"{letter}2:{letter}{TEMPLATE_ROWS}" for letter in "ABCDEF"]
    assert sorted(validations) == expected_ranges
    for letter in "ABCDE":
        assert validations[f"{letter}2:{letter}{TEMPLATE_ROWS}"].type == "list"
    value_check = validations[f"F2:F{TEMPLATE_ROWS}"]
    assert (value_check.type, value_check.operator, value_check.formula1) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
    )


def test_drop_down_lists_hold_the_reference_names_and_periods(workbook: Workbook):
    validations = {
        str(validation.sqref)[0]: validation.formula1
        for validation in workbook["Return"].data_validations.dataValidation
    }
    words = vocabulary()
    assert list_values(workbook, validations["A"]) == [t.name for t in words.providers.terms]
    assert list_values(workbook, validations["B"]) == template_periods(TODAY)
    districts = list_values(workbook, validations["C"])
    assert len(districts) == 12
    assert "Folkestone and Hythe" in districts
    assert "Shepway" not in districts
    groups = list_values(workbook, validations["D"])
    assert groups[:2] == ["Dementia", "Mental health"]
    measures = list_values(workbook, validations["E"])
    assert measures[0] == "Carers supported"
    assert "Information and advice by telephone" in measures
    assert not any(name.startswith(("Target", "Standard")) for name in measures)
    assert len(measures) == len(words.measure_specs)


def test_periods_run_from_2013_14_to_the_year_after_today_in_all_three_forms():
    periods = template_periods(date(2025, 5, 1))
    assert periods[:7] == [
        "2026-27",
        "2026-27-h1",
        "2026-27-h2",
        "2026-27-q1",
        "2026-27-q2",
        "2026-27-q3",
        "2026-27-q4",
    ]
    assert periods[-7] == "2013-14"
    assert len(periods) == 7 * 14
    # Before April the financial year is still the previous one.
    assert template_periods(date(2026, 3, 31))[0] == "2026-27"
    assert template_periods(date(2026, 4, 1))[0] == "2027-28"


def test_read_me_explains_columns_periods_true_values_and_defines_every_measure(
    workbook: Workbook,
):
    text = [
        str(cell.value) for row in workbook["Read me"].iter_rows() for cell in row if cell.value
    ]
    joined = "\n".join(text)
    for column in COLUMNS:
        assert column in text
    assert "2024-25-q1" in joined
    assert "Do not write '<5'" in joined
    assert "formulas are refused" in joined
    for spec in vocabulary().measure_specs.values():
        assert spec.slug in text
        assert spec.definition in text
    assert "Shepway" in text


def test_empty_template_is_refused_as_having_no_rows(tmp_path: Path):
    path = tmp_path / "template.xlsx"
    write_template_xlsx(path, vocabulary(), today=TODAY)
    with pytest.raises(ReturnRejected) as caught:
        read_return(path.read_bytes(), path.name, vocabulary(), today=TODAY)
    [problem] = caught.value.problems
    assert (problem.sheet, problem.message) == (
        "Return",
        "there are no data rows below the header",
    )


def test_csv_template_is_the_header_row_in_utf8(tmp_path: Path):
    path = tmp_path / "return-template.csv"
    write_template_csv(path)
    data = path.read_bytes()
    assert data == b"\xef\xbb\xbfprovider,period,district,care_group,measure,value,note\r\n"
    with pytest.raises(ReturnRejected, match="there are no data rows below the header"):
        read_return(data, path.name, vocabulary(), today=TODAY)


def test_csv_template_filled_in_parses(tmp_path: Path):
    path = tmp_path / "return.csv"
    write_template_csv(path)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write("Carers First,2024-25-q1,Dartford,,carers-supported,5,Café group £3\r\n")
    parsed = read_return(path.read_bytes(), path.name, vocabulary(), today=TODAY)
    assert parsed.rows[["geography", "value", "note"]].values.tolist() == [
        ["E07000107", 5.0, "Café group £3"]
    ]
