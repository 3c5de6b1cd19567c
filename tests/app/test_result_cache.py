"""Page results cached by data version: shared through Redis or a directory, renewed by an
upload, warmed at start-up (for every locality and care group, giving way to requests, again
after new data), and still served when Redis goes away."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import dash
import pytest
from sqlalchemy import event

from dashboard import application, ids
from dashboard.accounts import create_user
from dashboard.application import (
    IDLE_CHECK_SECONDS,
    REPOSITORY_EXTENSION,
    WarmUp,
    create_app,
    warm_up_in_background,
)
from dashboard.components.tree import components_in
from dashboard.config import ConfigError, Settings
from dashboard.db.engine import make_engine
from dashboard.filters import Filters
from tests.app.test_security import PASSWORD, SECRET, sign_in
from tests.app.test_upload_returns import _quarter, _upload
from tests.support.callbacks import CALLBACK_PATH, body, server_callbacks
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


def _settings(
    url: str, boundaries_path: Path, redis_url: str = "", results_dir: Path | None = None
) -> Settings:
    return Settings(
        database_url=url,
        boundaries_path=boundaries_path,
        environment="test",
        secret_key=SECRET,
        redis_url=redis_url,
        results_dir=results_dir,
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
    assert "1 row for 1 provider return" in _upload(client, _quarter("120", "2024-25-q1"))
    after = _overview(other)
    uncached = _overview(create_app(_settings(db_url, boundaries_path)))
    assert after != before
    assert after == uncached


def test_workers_given_a_results_directory_share_what_they_compute_and_warm(
    db_url, boundaries_path, tmp_path, monkeypatch
):
    shuffled = []

    def one_setting(_choices, shuffle):
        shuffled.append(shuffle is not None)
        return [Filters(care_group="autism")]

    monkeypatch.setattr(application, "meeting_filters", one_setting)
    settings = _settings(db_url, boundaries_path, results_dir=tmp_path / "results")
    first, second = create_app(settings), create_app(settings)
    computed = _overview(first)
    _warmed(first)
    _refuse_queries(second)
    assert _overview(second) == computed
    with second.server.app_context():  # every view the other warmed: read, none computed
        assert WarmUp(second.server).warm()
    assert shuffled == [True, True]  # each in an order of its own
    # An upload in one worker: the other shows the new data (its key names the data version).
    client = first.server.test_client()
    sign_in(client)
    assert "1 row for 1 provider return" in _upload(client, _quarter("120", "2024-25-q1"))
    third = create_app(settings)
    assert _overview(third) != computed
    assert _overview(third) == _overview(create_app(_settings(db_url, boundaries_path)))


def test_a_results_directory_that_cannot_be_made_is_named_at_start_up(
    db_url, boundaries_path, tmp_path
):
    (tmp_path / "a file").write_text("not a directory")
    settings = _settings(db_url, boundaries_path, results_dir=tmp_path / "a file" / "results")
    with pytest.raises(ConfigError, match=r"DASHBOARD_RESULTS_DIR .*a file/results.* cannot"):
        create_app(settings)


def test_a_results_directory_other_accounts_can_use_is_named_at_start_up(
    db_url, boundaries_path, tmp_path
):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    settings = _settings(db_url, boundaries_path, results_dir=shared)
    with pytest.raises(ConfigError, match=r"DASHBOARD_RESULTS_DIR .*shared.*chmod 700"):
        create_app(settings)


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


def _warmed(app) -> None:
    """Everything the app's warm-up computes, computed now."""
    with app.server.app_context():
        assert WarmUp(app.server).warm()


def _queries_made(app) -> list:
    """The figures the app's repository reads from now on, as they are read."""
    repo = app.server.extensions[REPOSITORY_EXTENSION]
    made = []
    for name in ("observations", "funding"):
        read = getattr(repo, name)
        setattr(repo, name, lru_cache()(lambda *args, read=read: made.append(args) or read(*args)))
    return made


def _page_answers(app, path: str, filters: Filters) -> dict[str, dict]:
    """What each callback of the page at ``path`` that takes the filters answers a choice of
    ``filters``, with the page's own controls as the page opens with them."""
    page = next(page for page in dash.page_registry.values() if page["path"] == path)
    layout = [c for c in components_in(page["layout"]()) if isinstance(getattr(c, "id", 0), str)]
    page_ids = {c.id for c in layout}
    opened = {(c.id, "value"): c.value for c in layout if hasattr(c, "value")}
    values = {**opened, (ids.FILTER_STATE, "data"): filters.to_dict()}
    client = app.server.test_client()
    answers = {}
    for output, callback in server_callbacks(app).items():
        inputs = {
            (pattern if isinstance(pattern, str) else repr(pattern), prop)
            for pattern, prop in callback.inputs
        }
        on_page = isinstance(callback.outputs[0][0], str) and callback.outputs[0][0] in page_ids
        if on_page and (ids.FILTER_STATE, "data") in inputs and inputs <= values.keys():
            response = client.post(CALLBACK_PATH, json=body(output, callback, values))
            assert response.status_code == 200, output
            answers[output] = response.get_json()["response"]
    return answers


CHART_PAGES = ("/", "/funding", "/reach", "/investment", "/short-breaks", "/targets")


def test_a_meetings_filter_clicks_are_answered_from_the_warm_up(
    db_url, boundaries_path, monkeypatch
):
    settings = _settings(db_url, boundaries_path)
    assert settings.warm_up == "filters"
    app = create_app(settings)
    chosen = Filters(locality="thanet-dover", care_group="dementia")
    # One of the 98 settings a meeting can choose (meeting_filters, tested on its own): all of
    # them would take this test a minute.
    monkeypatch.setattr(application, "meeting_filters", lambda _choices, _shuffle: [chosen])
    _warmed(app)
    made = _queries_made(app)
    answers = {path: _page_answers(app, path, chosen) for path in CHART_PAGES}
    assert made == [], "a page computed what the warm-up should have"
    assert all(answers.values()), "a page has no callback that takes the filters"
    # The same figures as a worker that has warmed nothing computes.
    cold = create_app(replace(settings, warm_up="defaults"))
    assert {path: _page_answers(cold, path, chosen) for path in CHART_PAGES} == answers


def test_limited_to_the_default_views_the_warm_up_leaves_other_filters_cold(
    db_url, boundaries_path
):
    app = create_app(replace(_settings(db_url, boundaries_path), warm_up="defaults"))
    _warmed(app)
    made = _queries_made(app)
    _overview(app)
    _overview(app, page=ids.DATA_SOURCES)  # the data page: its reference tables
    _overview(app, page=ids.DATA_QUALITY)  # and its quality cards
    assert made == [], "a default view was not warmed"
    _overview(app, Filters(locality="thanet-dover"))
    assert made, "a filter choice was warmed though only the default views should be"


def test_a_view_that_fails_to_warm_is_logged_and_the_others_are_warmed(
    db_url, boundaries_path, caplog, monkeypatch
):
    app = create_app(replace(_settings(db_url, boundaries_path), warm_up="defaults"))
    repo = app.server.extensions[REPOSITORY_EXTENSION]

    def broken():
        raise ValueError("a value no chart can take")

    registered = repo.warm_ups
    monkeypatch.setattr(repo, "warm_ups", lambda *filters: (broken, *registered(*filters)))
    with caplog.at_level(logging.WARNING):
        _warmed(app)
    assert "A view could not be warmed" in caplog.text and "no chart can take" in caplog.text
    made = _queries_made(app)
    _overview(app)
    assert made == []


def test_the_warm_up_waits_while_a_request_is_answered(
    db_url, boundaries_path, caplog, monkeypatch
):
    monkeypatch.setattr(
        application, "meeting_filters", lambda _choices, _shuffle: [Filters(care_group="autism")]
    )
    app = create_app(_settings(db_url, boundaries_path))
    repo = app.server.extensions[REPOSITORY_EXTENSION]
    repo.begin_request()  # as a request reading data does, until it ends
    made = _queries_made(app)
    warm_up = warm_up_in_background(app.server)
    try:
        time.sleep(2 * IDLE_CHECK_SECONDS)
        assert made == [] and warm_up.is_alive()
        with caplog.at_level(logging.INFO):
            repo.end_request()
            _wait_for(lambda: "views of every locality and care group" in caplog.text)
        assert made
    finally:
        warm_up.stop()
        warm_up.join()


def test_new_data_is_warmed_up_again(db_url, boundaries_path, caplog, monkeypatch):
    monkeypatch.setattr(application, "WATCH_SECONDS", 0.2)
    app = create_app(replace(_settings(db_url, boundaries_path), warm_up="defaults"))
    with caplog.at_level(logging.INFO):
        warm_up = warm_up_in_background(app.server)
        try:
            _wait_for(lambda: caplog.text.count("Warmed") == 1)
            client = app.server.test_client()
            sign_in(client)
            assert "1 row for 1 provider return" in _upload(client, _quarter("120", "2024-25-q1"))
            _wait_for(lambda: caplog.text.count("Warmed") == 2)
        finally:
            warm_up.stop()
            warm_up.join()
    _refuse_queries(app)
    assert _overview(app) == _overview(create_app(_settings(db_url, boundaries_path)))


def test_warming_up_without_a_database_is_logged_not_raised(db_url, boundaries_path, caplog):
    app = create_app(_settings(db_url, boundaries_path))
    Path(db_url.removeprefix("sqlite:///")).unlink()
    with caplog.at_level(logging.WARNING):
        warm_up = warm_up_in_background(app.server)
        try:
            _wait_for(lambda: "Views not warmed: the database cannot be used" in caplog.text)
        finally:
            warm_up.stop()
            warm_up.join()
    assert app.server.test_client().get("/").status_code == 503


def _wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


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
