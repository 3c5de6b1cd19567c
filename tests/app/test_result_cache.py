"""Page results cached by data version: shared through Redis, renewed by an upload, warmed at
start-up, and still served when Redis goes away."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import pytest
from sqlalchemy import event

from dashboard import ids
from dashboard.accounts import create_user
from dashboard.application import REPOSITORY_EXTENSION, create_app, warm_up_in_background
from dashboard.config import Settings
from dashboard.db.engine import make_engine
from dashboard.filters import Filters
from tests.app.test_security import PASSWORD, SECRET, sign_in
from tests.app.test_upload_returns import _quarter, _upload
from tests.support.callbacks import body, server_callbacks
from tests.support.redis import running_redis


@pytest.fixture
def redis_server():
    with running_redis() as server:
        yield server


@pytest.fixture
def db_url(fresh_db_url: str) -> str:
    """A private copy of the seeded database with an uploader's account."""
    engine = make_engine(fresh_db_url)
    create_user(engine, "uploader1", PASSWORD, "uploader")
    engine.dispose()
    return fresh_db_url


def _settings(url: str, boundaries_path: Path, redis_url: str = "") -> Settings:
    return Settings(
        database_url=url,
        boundaries_path=boundaries_path,
        environment="test",
        secret_key=SECRET,
        redis_url=redis_url,
    )


DEFAULT_VIEW = Filters()


def _overview(app, filters: Filters = DEFAULT_VIEW, page: str = ids.OVERVIEW_CARDS) -> dict:
    """The overview's cards and summary (or the answer of the callback drawing ``page``) for
    ``filters``, as the browser receives them."""
    callbacks = server_callbacks(app)
    output = next(key for key in callbacks if page in key)
    request = body(output, callbacks[output], {(ids.FILTER_STATE, "data"): filters.to_dict()})
    response = app.server.test_client().post("/_dash-update-component", json=request)
    assert response.status_code == 200
    return response.get_json()["response"]


def _refuse_queries(app) -> None:
    """Make the app's repository fail to read any figures: what it serves must be cached."""

    def refuse(*_args):
        raise AssertionError("computed again instead of read from the cache")

    repo = app.server.extensions[REPOSITORY_EXTENSION]
    repo.observations = lru_cache()(refuse)
    repo.funding = lru_cache()(refuse)


def test_two_instances_share_results_through_redis(db_url, boundaries_path, redis_server):
    settings = _settings(db_url, boundaries_path, redis_server.url)
    first, second = create_app(settings), create_app(settings)
    computed = _overview(first)
    _refuse_queries(second)
    assert _overview(second) == computed


def test_an_upload_in_one_instance_changes_what_every_instance_shows(
    db_url, boundaries_path, redis_server
):
    settings = _settings(db_url, boundaries_path, redis_server.url)
    uploading, other = create_app(settings), create_app(settings)
    before = _overview(other)
    client = uploading.server.test_client()
    sign_in(client)
    assert "Loaded 1 rows" in _upload(client, _quarter("120", "2024-25-q1"))
    after = _overview(other)
    uncached = _overview(create_app(_settings(db_url, boundaries_path)))
    assert after != before
    assert after == uncached


def test_pages_are_served_when_redis_goes_away(db_url, boundaries_path, redis_server, caplog):
    app = create_app(_settings(db_url, boundaries_path, redis_server.url))
    cached = _overview(app)
    redis_server.stop()
    with caplog.at_level(logging.WARNING):
        assert _overview(app) == cached
        assert _overview(app, Filters(period="2024-25-q1")) != cached
    assert "does not answer" in caplog.text
    # Back in this worker's memory while Redis is away: no second computation.
    _refuse_queries(app)
    _overview(app, Filters(period="2024-25-q1"))


def test_start_up_warms_the_default_view_of_every_page(db_url, boundaries_path):
    app = create_app(_settings(db_url, boundaries_path))
    warm_up_in_background(app.server).join()
    _refuse_queries(app)
    _overview(app)
    _overview(app, page=ids.DATA_SOURCES)  # the data page: its reference tables and quality


def test_warming_up_without_a_database_is_logged_not_raised(db_url, boundaries_path, caplog):
    app = create_app(_settings(db_url, boundaries_path))
    Path(db_url.removeprefix("sqlite:///")).unlink()
    with caplog.at_level(logging.WARNING):
        warm_up_in_background(app.server).join()
    assert "Default views not warmed" in caplog.text
    assert app.server.test_client().get("/").status_code == 503


def test_a_filter_change_reads_the_data_version_once(db_url, boundaries_path):
    app = create_app(_settings(db_url, boundaries_path))
    repo = app.server.extensions[REPOSITORY_EXTENSION]
    callbacks = server_callbacks(app)  # Dash's first-request set-up is done
    output = next(key for key in callbacks if ids.OVERVIEW_CARDS in key)
    dementia = Filters(care_group="dementia").to_dict()
    request = body(output, callbacks[output], {(ids.FILTER_STATE, "data"): dementia})
    reads = []
    event.listen(
        repo.engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_rest: (
            reads.append(statement) if "dataset_info" in statement else None
        ),
    )
    client = app.server.test_client()
    # Cold, it computes and caches two results (the page's specs and its cards), warm it
    # reads one: each request reads the data version once, when it begins.
    for expected in (1, 2):
        assert client.post("/_dash-update-component", json=request).status_code == 200
        assert len(reads) == expected
    repo.data_version()  # outside a request: read from the database each time
    assert len(reads) == 3
