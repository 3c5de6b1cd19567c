"""Whole files through import: bad returns change nothing; good ones load, show and replace."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.callbacks.reach import reach_data
from dashboard.config import PROJECT_ROOT
from dashboard.data_dates import DataDates
from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.importing import import_file
from dashboard.views import reach, short_breaks
from dashboard.views.common import ViewContext
from tests.db.test_imports import snapshot
from tests.unit.returns_corpus import GOOD_ROWS, TODAY, csv_bytes
from tests.unit.returns_corpus.bad_returns import CORPUS


@pytest.fixture
def repo_on_copy(fresh_db_url):
    repository = Repository(make_engine(fresh_db_url))
    yield repository
    repository.engine.dispose()


def _table_sizes(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in models.Base.metadata.tables.items()
        }


def test_every_bad_return_is_refused_and_changes_nothing(repo_on_copy, tmp_path):
    engine = repo_on_copy.engine
    before = snapshot(engine)
    sizes = _table_sizes(engine)
    for index, bad in enumerate(CORPUS):
        data, filename = bad.build(tmp_path)
        report = import_file(
            engine, repo_on_copy.reference(), data, filename, username="tester", today=TODAY
        )
        assert not report.loaded, bad.kind
        assert any(bad.message in problem for problem in report.problems), (
            bad.kind,
            report.problems,
        )
        after = _table_sizes(engine)
        assert after["import_attempt"] == sizes["import_attempt"] + index + 1, bad.kind
        assert {k: v for k, v in after.items() if k != "import_attempt"} == {
            k: v for k, v in sizes.items() if k != "import_attempt"
        }, bad.kind
    assert snapshot(engine) == before
    with Session(engine) as session:
        results = session.scalars(select(models.ImportAttempt.result)).all()
    assert set(results) == {"rejected"} and len(results) == len(CORPUS) >= 20


def test_a_good_return_loads_shows_and_reimport_replaces(repo_on_copy):
    engine = repo_on_copy.engine
    data = csv_bytes(GOOD_ROWS)
    report = import_file(
        engine, repo_on_copy.reference(), data, "q1.csv", username="t", today=TODAY
    )
    assert report.loaded and not report.problems
    repo_on_copy.clear_cache()
    supported = repo_on_copy.observations("carers-supported")
    dartford = supported[
        (supported["geography"] == "E07000107") & (supported["period"] == "2024-25-q1")
    ]
    assert set(dartford["status"]) == {"published"}
    assert sorted(dartford["value"]) == [30.0, 120.0]
    context = ViewContext(Filters(period="2024-25-q1"), repo_on_copy.reference(), DataDates())
    table = reach.district_table(reach_data(repo_on_copy), context).set_index("code")
    assert table.loc["E07000107", "supported"] == 120  # the return's all-groups row, not demo
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][5] = "125"
    again = import_file(
        engine, repo_on_copy.reference(), csv_bytes(changed), "q1-v2.csv", username="t", today=TODAY
    )
    assert again.loaded and "replacing 4" in again.headline
    repo_on_copy.clear_cache()
    supported = repo_on_copy.observations("carers-supported")
    dartford = supported[
        (supported["geography"] == "E07000107") & (supported["period"] == "2024-25-q1")
    ]
    assert sorted(dartford["value"]) == [30.0, 125.0]
    assert _table_sizes(engine)["observation_revision"] == 4


def test_a_dry_run_loads_nothing_but_is_audited(repo_on_copy):
    engine = repo_on_copy.engine
    before = _table_sizes(engine)
    report = import_file(
        engine,
        repo_on_copy.reference(),
        csv_bytes(GOOD_ROWS),
        "q1.csv",
        username="t",
        dry_run=True,
        today=TODAY,
    )
    assert not report.loaded and report.accepted and "Would load" in report.summary
    after = _table_sizes(engine)
    assert after["observation"] == before["observation"]
    assert after["import_attempt"] == before["import_attempt"] + 1


def _cli(*args, database_url):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": database_url, "SECRET_KEY": "k", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_line_import_exit_status_and_messages(fresh_db_url, tmp_path):
    bad = tmp_path / "bad.csv"
    rows = [list(row) for row in GOOD_ROWS]
    rows[1][2] = "Thanett"
    bad.write_bytes(csv_bytes(rows))
    refused = _cli("import", str(bad), database_url=fresh_db_url)
    assert refused.returncode == 1
    assert "bad.csv" in refused.stderr and "row 3" in refused.stderr and "Thanet" in refused.stderr
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([r for r in GOOD_ROWS if r[0] == "Carers First"]))
    checked = _cli("import", str(good), "--dry-run", database_url=fresh_db_url)
    assert checked.returncode == 0 and "Would load" in checked.stdout
    template = tmp_path / "template.xlsx"
    written = _cli("template", "--out", str(template), database_url=fresh_db_url)
    assert written.returncode == 0 and template.stat().st_size > 5_000


def test_imported_crisis_referrals_replace_demo_on_the_short_breaks_page(repo_on_copy):
    districts = repo_on_copy.reference().districts["name"].tolist()
    rows = [
        ("Crossroads Care Kent", "2024-25-q1", name, "", "crisis-referrals", "20", "")
        for name in districts
    ]
    report = import_file(
        repo_on_copy.engine,
        repo_on_copy.reference(),
        csv_bytes(rows),
        "crisis.csv",
        username="t",
        today=TODAY,
    )
    assert report.loaded, report.problems
    repo_on_copy.clear_cache()
    context = ViewContext(Filters(period="2024-25-q1"), repo_on_copy.reference(), DataDates())
    frame = short_breaks.crisis_frame(
        repo_on_copy.observations("crisis-referrals"),
        repo_on_copy.observations("dementia-share"),
        context,
    ).set_index("period")
    assert frame.loc["2024-25-q1", "value"] == 12 * 20
    assert frame.loc["2024-25-q1", "status"] == "published"
    assert frame.loc["2023-24-q4", "status"] == "demo"
