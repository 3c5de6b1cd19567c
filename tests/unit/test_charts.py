"""Chart specifications: suppression, display, and the CSV of exactly what is shown."""

from __future__ import annotations

import csv
import io

import pandas as pd

from dashboard.charts import (
    ChartSpec,
    Column,
    csv_column_name,
    display_cell,
    neutralise_formula,
    suppress_small_counts,
    to_csv,
)


def _spec(table: pd.DataFrame) -> ChartSpec:
    return ChartSpec(
        key="example",
        title="Example",
        subtitle="Kent",
        figure=None,
        table=table,
        columns=(
            Column("name", "District"),
            Column("carers", "Carers", "count"),
            Column("amount", "Spend", "gbp"),
            Column("status", "Status", "status"),
        ),
        sources=("A source",),
        period_label="2015/16",
        statuses=("demo",),
    )


def test_counts_of_one_to_four_become_less_than_five_and_others_stay():
    frame = pd.DataFrame({"carers": [0, 1, 4, 5, 250]})
    result, suppressed = suppress_small_counts(frame, ["carers"])
    assert suppressed
    assert result["carers"].tolist() == [0, "<5", "<5", 5, 250]
    assert frame["carers"].tolist() == [0, 1, 4, 5, 250]


def test_no_suppression_reported_when_no_small_counts():
    _, suppressed = suppress_small_counts(pd.DataFrame({"carers": [0, 12]}), ["carers"])
    assert not suppressed


def test_display_formats_by_unit_and_keeps_suppressed_text():
    assert display_cell(5_660_000, "gbp") == "£5.66m"
    assert display_cell(7174, "count") == "7,174"
    assert display_cell("<5", "count") == "<5"
    assert display_cell("demo", "status") == "Demo"
    assert display_cell(float("nan"), "count") == "–"


def test_csv_has_the_table_columns_raw_numbers_and_provenance():
    table = pd.DataFrame(
        {
            "name": ["Thanet", "Dover"],
            "carers": ["<5", 1234],
            "amount": [5660000.0, 12.5],
            "status": ["demo", "demo"],
        }
    )
    rows = list(csv.reader(io.StringIO(to_csv(_spec(table)))))
    # The unit of plain numbers is in the header: the cells have no "£".
    assert rows[0] == ["District", "Carers", "Spend (£)", "Status", "Chart source", "Chart period"]
    assert rows[1] == ["Thanet", "<5", "5660000", "Demo", "A source", "2015/16"]
    assert rows[2] == ["Dover", "1234", "12.5", "Demo", "A source", "2015/16"]


def test_csv_neutralises_formula_injection_in_text_cells():
    table = pd.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "+1", "-cmd", "@SUM(A1)", "Safe"],
            "carers": [1.0] * 5,
            "amount": [-5.0] * 5,
            "status": ["demo"] * 5,
        }
    )
    rows = list(csv.reader(io.StringIO(to_csv(_spec(table)))))
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("x")',
        "'+1",
        "'-cmd",
        "'@SUM(A1)",
        "Safe",
    ]
    assert rows[1][2] == "-5"
    assert neutralise_formula("\tx") == "'\tx"


def test_a_csv_header_names_the_unit_once():
    assert csv_column_name(Column("nhs_share", "NHS share", "percent")) == "NHS share (%)"
    assert csv_column_name(Column("cost", "Cost per week", "gbp-per-week")) == "Cost per week (£)"
    assert csv_column_name(Column("rate", "Reach rate (%)", "percent")) == "Reach rate (%)"
    assert csv_column_name(Column("carers", "Carers", "count")) == "Carers"
