"""Whole files through import: bad returns change nothing; good ones load, show and replace."""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard import importing
from dashboard.callbacks.reach import reach_data
from dashboard.config import PROJECT_ROOT
from dashboard.data_dates import DataDates
from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.db.imports import LoadedMeanwhile
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.importing import import_file
from dashboard.views import reach, short_breaks
from dashboard.views.common import ViewContext
from tests.db.test_imports import snapshot
from tests.unit.returns_corpus import GOOD_ROWS, TODAY, csv_bytes
from tests.unit.returns_corpus.bad_returns import EVERY_KIND


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
    for index, bad in enumerate(EVERY_KIND):
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
    assert set(results) == {"rejected"} and len(results) == len(EVERY_KIND) >= 47


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
    assert set(dartford["status"]) == {"return"}
    assert sorted(dartford["value"]) == [30.0, 120.0]
    context = ViewContext(Filters(period="2024-25-q1"), repo_on_copy.reference(), DataDates())
    table = reach.district_table(reach_data(repo_on_copy), context).set_index("code")
    assert table.loc["E07000107", "supported"] == 120  # the return's all-groups row, not demo
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][5] = "125"
    again = import_file(
        engine, repo_on_copy.reference(), csv_bytes(changed), "q1-v2.csv", username="t", today=TODAY
    )
    # One value of four changed: the message says so, as "Since last meeting" lists one.
    assert again.loaded and again.headline == (
        "Loaded q1-v2.csv: 4 rows for 1 provider return, replacing the earlier return's 4 "
        "values, 1 of them changed (all kept as revisions)."
    )
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
    assert frame.loc["2024-25-q1", "status"] == "return"
    assert frame.loc["2023-24-q4", "status"] == "demo"


def _attempts(engine) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.execute(
            select(models.ImportAttempt.result, models.ImportAttempt.message).order_by(
                models.ImportAttempt.id
            )
        ).all()
    return [tuple(row) for row in rows]


def _quarter(value: str, quarter: str) -> bytes:
    return csv_bytes([("Carers First", quarter, "Dartford", "", "carers-supported", value, "")])


def test_an_unusual_value_is_loaded_only_once_confirmed(repo_on_copy):
    engine, reference = repo_on_copy.engine, repo_on_copy.reference()
    first = import_file(
        engine, reference, _quarter("120", "2024-25-q1"), "q1.csv", username="t", today=TODAY
    )
    assert first.loaded and not first.warnings
    data = _quarter("400", "2024-25-q2")
    held = import_file(engine, reference, data, "q2.csv", username="t", today=TODAY)
    assert held.needs_confirmation and not held.loaded and held.accepted
    assert held.headline == "Not loaded yet: 1 unusual value to confirm"
    assert held.warnings == [
        "q2.csv, row 2, column value: 400 is unusual: more than 3 times the provider's last "
        "return for this measure, district and care group (120 in 2024-25-q1). Check it; load "
        "it only if it is right."
    ]
    repo_on_copy.clear_cache()
    supported = repo_on_copy.observations("carers-supported")
    assert supported[supported["period"] == "2024-25-q2"]["status"].eq("demo").all()
    confirmed = import_file(
        engine, reference, data, "q2.csv", username="t", accept_warnings=True, today=TODAY
    )
    assert confirmed.loaded and confirmed.warnings == held.warnings
    results = _attempts(engine)
    assert [result for result, _ in results] == ["loaded", "unconfirmed", "loaded"]
    assert "confirmed: q2.csv, row 2, column value: 400 is unusual" in results[-1][1]


def test_an_attempt_is_audited_as_started_before_the_file_is_read(repo_on_copy, monkeypatch):
    engine = repo_on_copy.engine

    def worker_killed(*_args, **_kwargs):
        raise SystemExit("killed while parsing")

    monkeypatch.setattr(importing, "read_return", worker_killed)
    with pytest.raises(SystemExit):
        import_file(engine, repo_on_copy.reference(), b"x", "r.csv", username="t", today=TODAY)
    assert _attempts(engine) == [("started", "")]


def test_an_attempt_that_fails_is_audited_as_failed(repo_on_copy, monkeypatch):
    engine = repo_on_copy.engine

    def database_gone(*_args, **_kwargs):
        raise ConnectionError("database went away")

    monkeypatch.setattr(importing, "load_return", database_gone)
    with pytest.raises(ConnectionError):
        import_file(
            engine,
            repo_on_copy.reference(),
            csv_bytes(GOOD_ROWS),
            "r.csv",
            username="t",
            today=TODAY,
        )
    assert _attempts(engine) == [("failed", "ConnectionError")]


def test_the_command_line_needs_accept_warnings_for_unusual_values(fresh_db_url, tmp_path):
    first, second = tmp_path / "q1.csv", tmp_path / "q2.csv"
    first.write_bytes(_quarter("120", "2024-25-q1"))
    second.write_bytes(_quarter("400", "2024-25-q2"))
    assert _cli("import", str(first), database_url=fresh_db_url).returncode == 0
    held = _cli("import", str(second), database_url=fresh_db_url)
    assert held.returncode == 1
    assert "400 is unusual" in held.stderr and "--accept-warnings" in held.stderr
    loaded = _cli("import", str(second), "--accept-warnings", database_url=fresh_db_url)
    assert loaded.returncode == 0, loaded.stderr
    assert "unusual value accepted: q2.csv, row 2, column value: 400" in loaded.stdout
    assert "1 row for 1 provider return" in loaded.stdout


def test_a_year_beside_its_quarters_is_refused_and_changes_nothing(repo_on_copy):
    # A year's return beside that year's quarterly returns was accepted and added up with
    # them: Maidstone's carers supported rose above its Census carers and left the map.
    engine, reference = repo_on_copy.engine, repo_on_copy.reference()
    for quarter, value in (("2024-25-q2", "120"), ("2024-25-q3", "130")):
        loaded = import_file(
            engine, reference, _quarter(value, quarter), f"{quarter}.csv", username="t", today=TODAY
        )
        assert loaded.loaded, loaded.problems
    before = snapshot(engine)
    year = import_file(
        engine, reference, _quarter("500", "2024-25"), "year.csv", username="t", today=TODAY
    )
    assert not year.loaded
    assert year.problems == [
        "year.csv, row 2, column period: 2024/25 overlaps 2024/25 Q2 (Jul–Sep 2024) (a return "
        "loaded before) for the same provider, measure, district and care group: the two would "
        "be added up and count the same carers or hours twice. Send the year or its quarters "
        "(or halves), not both"
    ]
    assert snapshot(engine) == before
    both = csv_bytes(
        [
            ("Carers First", "2023-24", "Dartford", "", "carers-supported", "400", ""),
            ("Carers First", "2023-24-h1", "Dartford", "", "carers-supported", "200", ""),
            ("Carers First", "2023-24-q4", "Gravesham", "", "carers-supported", "90", ""),
        ]
    )
    in_one_file = import_file(engine, reference, both, "both.csv", username="t", today=TODAY)
    assert [problem.split(":")[0] for problem in in_one_file.problems] == [
        "both.csv, row 2, column period",
        "both.csv, row 3, column period",
    ]
    assert "(row 3)" in in_one_file.problems[0] and "(row 2)" in in_one_file.problems[1]
    # A quarter sent again replaces the one loaded: no overlap.
    again = import_file(
        engine, reference, _quarter("125", "2024-25-q2"), "again.csv", username="t", today=TODAY
    )
    assert again.loaded, again.problems


def test_a_figure_added_up_from_returns_and_demo_names_both_sources(repo_on_copy):
    # Dartford's 2024/25 from two demo quarters and two returned ones is demo by status, and
    # its sources named only the demo data.
    engine, reference = repo_on_copy.engine, repo_on_copy.reference()
    for quarter in ("2024-25-q3", "2024-25-q4"):
        loaded = import_file(
            engine, reference, _quarter("120", quarter), f"{quarter}.csv", username="t", today=TODAY
        )
        assert loaded.loaded, loaded.problems
    repo_on_copy.clear_cache()
    context = ViewContext(Filters(period="2024-25"), repo_on_copy.reference(), DataDates())
    data = reach_data(repo_on_copy)
    spec = reach.reach_map(data, context, measure="supported")
    dartford = spec.table.set_index("code").loc["E07000107"]
    assert dartford["supported_status"] == "demo"
    named = " | ".join(spec.sources)
    assert "Provider monitoring returns" in named and "DEMO data" in named
    quarter = ViewContext(Filters(period="2024-25-q1"), repo_on_copy.reference(), DataDates())
    first = " | ".join(reach.reach_map(data, quarter, measure="supported").sources)
    assert "Provider monitoring returns" not in first and "DEMO data" in first


@pytest.mark.parametrize(
    "writable_url",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_a_year_and_its_quarter_checked_at_once_are_not_both_loaded(writable_url, monkeypatch):
    # Found by an attack: two uploads sent at the same moment, a year and its own quarter, were
    # each checked before the other was loaded, and both were loaded (counted twice). Here both
    # checks finish before either file loads; one loads, the other is refused and changes
    # nothing.
    repo = Repository(make_engine(writable_url))
    engine, reference = repo.engine, repo.reference()
    both_checked = threading.Barrier(2, timeout=30)
    check = importing.read_return

    def checked_together(*args, **kwargs):
        parsed = check(*args, **kwargs)
        both_checked.wait()
        return parsed

    monkeypatch.setattr(importing, "read_return", checked_together)
    files = {"year.csv": _quarter("500", "2024-25"), "q2.csv": _quarter("120", "2024-25-q2")}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        running = {
            name: pool.submit(import_file, engine, reference, data, name, username="t", today=TODAY)
            for name, data in files.items()
        }
        reports = {name: future.result(timeout=60) for name, future in running.items()}
    assert sorted(report.loaded for report in reports.values()) == [False, True]
    (refused,) = [report for report in reports.values() if not report.loaded]
    assert refused.problems == [LoadedMeanwhile.MESSAGE]
    with engine.connect() as connection:
        periods = connection.scalars(
            select(models.Observation.period)
            .join(models.Batch, models.Batch.id == models.Observation.batch_id)
            .where(models.Batch.kind == "import")
        ).all()
        results = connection.scalars(select(models.ImportAttempt.result)).all()
    assert len(periods) == 1
    assert sorted(results) == ["loaded", "rejected"]
    repo.engine.dispose()
