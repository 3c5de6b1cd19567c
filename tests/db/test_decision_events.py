"""The decisions and contract events loaded by init-db, and what a reload does to them."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.config import DATA_DIR
from dashboard.db import decisions
from dashboard.db.engine import make_engine
from dashboard.db.loader import init_db
from dashboard.db.repository import Repository

SEEDED = pd.read_csv(DATA_DIR / "published" / "events.csv", dtype=str, keep_default_na=False)


def test_the_seeded_events_are_loaded_as_published_with_their_citations(backend_repo):
    loaded = backend_repo.decision_events()
    published = loaded[loaded["status"] == "published"]
    assert sorted(published["title"]) == sorted(SEEDED["title"])
    sources = set(backend_repo.reference().sources["slug"])
    assert set(published["source"]) <= sources
    assert (published["citation"] != "").all()
    start = published[published["kind"] == "contract-start"].iloc[0]
    assert start["event_date"] == pd.Timestamp("2013-04-01")
    assert start["source"] == "kcc-cas-contract-2013" and start["service_lines"] == "cas"


def test_a_reload_keeps_events_recorded_on_screen_and_replaces_the_published_ones(fresh_db_url):
    engine = make_engine(fresh_db_url)
    values = {
        "event_date": date(2024, 4, 1),
        "kind": "jcg-decision",
        "title": "Recorded before the reload",
        "description": "",
        "service_lines": None,
        "localities": "east-kent",
        "paper_url": "",
        "source": None,
        "citation": "JCG minutes",
    }
    decisions.add_event(engine, values, "editor1")
    init_db(engine, DATA_DIR, force=True)
    events = Repository(engine).decision_events()
    assert list(events[events["status"] == "recorded"]["title"]) == ["Recorded before the reload"]
    assert (events["status"] == "published").sum() == len(SEEDED)
    engine.dispose()


def test_each_change_to_the_events_gives_a_new_data_version(fresh_db_url):
    engine = make_engine(fresh_db_url)
    repo = Repository(engine)
    values = {
        "event_date": date(2024, 4, 1),
        "kind": "policy-change",
        "title": "A change",
        "description": "",
        "service_lines": "cas",
        "localities": None,
        "paper_url": "",
        "source": None,
        "citation": "Minutes",
    }
    versions = [repo.refreshed_version()]
    event_id = decisions.add_event(engine, values, "editor1")
    versions.append(repo.refreshed_version())
    decisions.update_event(engine, event_id, {**values, "title": "Changed"}, "editor1")
    versions.append(repo.refreshed_version())
    assert list(repo.decision_events()["title"]).count("Changed") == 1
    decisions.delete_event(engine, event_id, "editor1")
    versions.append(repo.refreshed_version())
    assert len(set(versions)) == 4
    assert "Changed" not in set(repo.decision_events()["title"])
    engine.dispose()
