"""Repository.cached: a result is computed once per data version, and again when data loads."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.caching import dumps, loads
from dashboard.config import DATA_DIR
from dashboard.db.engine import make_engine
from dashboard.db.imports import load_return
from dashboard.db.loader import data_version, init_db
from dashboard.db.repository import Repository
from dashboard.db.seed_files import read_seed_data
from dashboard.filters import Filters
from tests.db.test_imports import _rows


@pytest.fixture
def engine(fresh_db_url):
    engine = make_engine(fresh_db_url)
    yield engine
    engine.dispose()


def _counting(repo: Repository):
    """A cached function of the referrals total, and the list of the calls that computed."""
    computed = []

    def referrals_total(period: str) -> float:
        computed.append(period)
        frame = repo.observations("referrals")
        return float(frame.loc[frame["period"] == period, "value"].sum())

    return repo.cached(referrals_total), computed


def test_a_result_is_computed_once_for_a_data_version(engine):
    repo = Repository(engine)
    total, computed = _counting(repo)
    assert total("2024-25-q1") == total("2024-25-q1")
    assert computed == ["2024-25-q1"]


def test_a_return_loaded_by_another_process_is_in_the_next_result(engine):
    repo = Repository(engine)
    total, computed = _counting(repo)
    before = total("2024-25-q1")
    version = repo.data_version()
    load_return(engine, _rows(5), filename="r.csv", data=b"x", username="alice")
    assert repo.data_version() != version
    assert total("2024-25-q1") != before
    assert computed == ["2024-25-q1", "2024-25-q1"]


def test_reloading_the_same_data_version_computes_again(engine):
    # `init-db --force` keeps the version but moves the load dates the charts cite.
    repo = Repository(engine)
    total, computed = _counting(repo)
    total("2024-25-q1")
    version = repo.data_version()
    init_db(engine, DATA_DIR, force=True)
    total("2024-25-q1")
    assert repo.data_version() == version
    assert len(computed) == 2


def test_a_page_reads_one_set_of_frames_until_a_return_is_loaded(engine):
    # What its views work out once from them (the reach page's district table) is shared by
    # every callback and request of the version, and none of it outlives the version.
    repo = Repository(engine)
    builds = []

    def frames(given: Repository) -> dict:
        builds.append(given)
        return {"referrals": given.observations("referrals"), "worked_out": {}}

    first = repo.page_data(frames)
    first["worked_out"]["total"] = 1
    assert repo.page_data(frames) is first
    load_return(engine, _rows(5), filename="r.csv", data=b"x", username="alice")
    after = repo.page_data(frames)
    assert after is not first and after["worked_out"] == {}
    assert not after["referrals"].equals(first["referrals"])  # the return replaced demo rows
    assert builds == [repo, repo]


def test_the_data_version_names_the_imported_returns(engine):
    repo = Repository(engine)
    seed = repo.data_version()
    load_return(engine, _rows(5), filename="r.csv", data=b"x", username="alice")
    assert repo.data_version().startswith(f"{seed}+")


def test_a_cached_figure_comes_back_equal_and_of_its_own_class():
    figure = go.Figure(go.Bar(x=["Dover", "Thanet"], y=[3, 4]), layout={"title": {"text": "t"}})
    figure.add_scatter(x=np.array([1.5, 2.5]), y=np.array([3, 4]), name="arrays")
    restored = loads(dumps({"figure": figure}))["figure"]
    assert type(restored) is go.Figure
    assert restored.to_dict() == figure.to_dict()


def test_the_data_version_reads_the_same_on_both_databases(backend_repo):
    seed_version = data_version(read_seed_data(DATA_DIR))
    assert backend_repo.data_version() == seed_version
    loaded_at = backend_repo.dataset_info()["loaded_at"]
    assert backend_repo.refreshed_version() == f"{seed_version}@{loaded_at}"


def test_a_query_read_before_new_data_is_never_served_for_the_new_data(engine):
    """A request's query reads the old data; meanwhile another thread (the warm-up, another
    request) sees an upload and clears the caches; the old frame, stored after that, must not
    be what the next request is given."""
    read, go_on = threading.Event(), threading.Event()

    class SlowRepository(Repository):
        def _observations(self, measure, statuses=None):
            frame = super()._observations(measure, statuses)
            if threading.current_thread().name == "old-request":
                read.set()
                go_on.wait(30)
            return frame

    repo = SlowRepository(engine)

    def old_request():
        with repo.one_version():
            repo.observations("carers-supported")

    request = threading.Thread(target=old_request, name="old-request")
    request.start()
    assert read.wait(30)
    load_return(engine, _rows(5), filename="r.csv", data=b"x", username="alice")
    repo.refreshed_version()  # sees the upload: the caches are cleared
    go_on.set()
    request.join()
    new = Repository(engine).observations("carers-supported")
    pd.testing.assert_frame_equal(repo.observations("carers-supported"), new)


def test_a_warm_up_argument_given_as_a_function_is_worked_out_when_warming(engine):
    repo, asked = Repository(engine), []
    repo.add_warm_up(lambda *arguments: asked.append(arguments), (Filters(), lambda: "today"))
    for view in repo.warm_ups([Filters(care_group="dementia")]):
        view()
    assert asked == [(Filters(care_group="dementia"), "today")]
