"""Publication and load dates: documents keep their own date; an import moves only its measures'."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import update

from dashboard.charts import ChartSpec
from dashboard.components.chart_card import provenance_line
from dashboard.data_dates import DataDates, format_date
from dashboard.db import effective, models
from dashboard.db.engine import make_engine
from dashboard.db.imports import load_return
from dashboard.db.repository import Repository
from dashboard.views.common import ViewContext

THANET = "E07000114"
SEEDED = datetime(2026, 1, 5, 9, 0)
FIRST_IMPORT = datetime(2026, 2, 10, 14, 30)


def _return(measures: list[str], provider: str = "east-kent-carers-consortium") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "provider": provider,
            "period": "2024-25-q1",
            "geography": THANET,
            "care_group": None,
            "measure": measures,
            "value": 40.0,
            "note": "",
        }
    )


@pytest.fixture
def engine(fresh_db_url):
    engine = make_engine(fresh_db_url)
    with engine.begin() as connection:
        connection.execute(update(models.Batch).values(loaded_at=SEEDED))
        effective.refresh(connection)  # load dates are summarised when data is written
    yield engine
    engine.dispose()


def _dates(engine) -> DataDates:
    repo = Repository(engine)
    return repo.data_dates()


def _set_import_date(engine, batch_id: int, when: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(models.Batch).where(models.Batch.id == batch_id).values(loaded_at=when)
        )
        effective.refresh(connection)


def test_documents_show_their_publication_date_and_demo_its_load_date(engine):
    dates = _dates(engine)
    assert dates.describe("kcc-cabinet-committee-2016", ["carers-supported"]) == "published 2016"
    assert dates.describe("demo-generator", ["carers-supported"]) == "loaded 5 Jan 2026"
    assert dates.describe("ons-census-2021-ts039", ["census-carers"]) == "loaded 5 Jan 2026"


def test_an_import_dates_the_measures_it_touched_and_no_others(engine):
    first = load_return(
        engine, _return(["carers-supported"]), filename="a.csv", data=b"a", username="alice"
    )
    _set_import_date(engine, first.batch_id, FIRST_IMPORT)
    second = load_return(
        engine,
        _return(["short-break-hours"], provider="crossroads-care-kent"),
        filename="b.csv",
        data=b"b",
        username="alice",
    )
    today = format_date(date.today())
    with engine.connect() as connection:
        second_day = connection.execute(
            models.Batch.__table__.select().where(models.Batch.id == second.batch_id)
        ).one()
    assert second_day.loaded_at.date() == date.today()

    dates = _dates(engine)
    assert dates.describe("provider-returns", ["carers-supported"]) == "loaded 10 Feb 2026"
    assert dates.describe("provider-returns", ["short-break-hours"]) == f"loaded {today}"
    assert dates.describe("demo-generator", ["carers-supported"]) == "loaded 5 Jan 2026"
    assert dates.describe("kcc-cabinet-committee-2016", ["short-break-hours"]) == "published 2016"


def test_a_chart_footer_carries_the_import_date_of_its_measure(engine):
    outcome = load_return(
        engine,
        _return(["admissions-prevented"], provider="crossroads-care-kent"),
        filename="a.csv",
        data=b"a",
        username="alice",
    )
    _set_import_date(engine, outcome.batch_id, FIRST_IMPORT)
    context = ViewContext.from_repo(Repository(engine), {})
    spec = ChartSpec(
        key="outcomes",
        title="Admissions prevented",
        subtitle="Kent",
        figure=None,
        table=pd.DataFrame(),
        columns=(),
        sources=context.cite(["provider-returns", "demo-generator", "kcc-cabinet-committee-2016"]),
        period_label="2024/25 Q1",
        measure=context.measure("admissions-prevented"),
        data_date=context.data_date,
    )
    line = str(provenance_line(spec)[0])
    assert "Provider monitoring returns (imported) (loaded 10 Feb 2026)" in line
    assert "calibrated to published totals (loaded 5 Jan 2026)" in line
    assert "Cabinet Committee, 2016 (published 2016)" in line
    assert "2024/25 Q1" in line and "Data as at" not in line
