"""The result cache's stores: the Redis address forms REDIS_URL accepts; a worker's own store,
which drops its oldest results when full and keeps the rest; files the workers of a machine
share, refused when other accounts can use their directory; damaged entries computed again; a
part of a result read back only when asked for."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashboard import caching
from dashboard.caching import Deferred, ResultCache, dumps, loads


def test_a_redis_socket_url_as_the_limiter_writes_it_reaches_the_same_socket():
    cache = ResultCache.redis("redis+unix:///run/redis/redis.sock?db=2", "key")
    pool = cache.store._write_client.connection_pool
    assert pool.connection_kwargs["path"] == "/run/redis/redis.sock"
    assert pool.connection_kwargs["db"] == 2


def test_a_redis_tcp_url_keeps_its_host_port_and_database():
    cache = ResultCache.redis("redis://127.0.0.1:6390/3", "key")
    kwargs = cache.store._write_client.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("127.0.0.1", 6390, 3)


def _kept(cache: ResultCache, keys) -> list[str]:
    return [key for key in keys if cache.get_or_compute(key, lambda: "computed") == key]


def test_a_full_cache_in_memory_drops_its_oldest_results_not_all_of_them(monkeypatch):
    clock = iter(range(1_000, 2_000))
    monkeypatch.setattr("cachelib.simple.time", lambda: next(clock))  # one second per write
    cache = ResultCache.in_memory(3)
    keys = [f"view-{number}" for number in range(5)]
    for key in keys:
        cache.get_or_compute(key, lambda key=key: key)
    # The newest three are still there (the warm-up's results survive a few other selections).
    assert _kept(cache, keys[-3:]) == keys[-3:]
    assert _kept(cache, keys[:1]) == []


def test_a_damaged_entry_is_computed_again():
    cache = ResultCache.in_memory(3)
    cache.get_or_compute("view", lambda: "first")
    cache.store.set(f"{cache.namespace}:view", b"not a compressed pickle")
    assert cache.get_or_compute("view", lambda: "again") == "again"


def _counting_figure_rebuilds(monkeypatch) -> list:
    """Counts figures rebuilt from a pickle (made before this: the pickle names the rebuild)."""
    rebuilt = []
    rebuild = caching._figure

    def counted(cls, properties):
        rebuilt.append(cls)
        return rebuild(cls, properties)

    monkeypatch.setattr(caching, "_figure", counted)
    return rebuilt


def test_a_deferred_part_is_not_read_back_until_asked_for_and_then_only_once(monkeypatch):
    figure = go.Figure(go.Bar(x=["Dover", "Thanet"], y=[3, 4]), layout={"title": {"text": "t"}})
    stored = dumps({"cards": ["<section>"], "spec": Deferred({"figure": figure})})
    rebuilt = _counting_figure_rebuilds(monkeypatch)
    restored = loads(stored)
    assert restored["cards"] == ["<section>"]
    assert rebuilt == []  # the cards are read; the spec's figure is not rebuilt
    held = restored["spec"]
    assert type(held.value["figure"]) is go.Figure
    assert held.value["figure"].to_dict() == figure.to_dict()
    assert rebuilt == [go.Figure]  # asked for twice, rebuilt once


def test_a_deferred_part_stored_again_unread_keeps_its_value_without_reading_it(monkeypatch):
    stored = dumps([Deferred({"figure": go.Figure(go.Bar(y=[1, 2]))})])
    rebuilt = _counting_figure_rebuilds(monkeypatch)
    twice = loads(dumps(loads(stored)))
    assert rebuilt == []
    assert list(twice[0].value["figure"].data[0].y) == [1, 2]


def test_a_deferred_part_computed_here_is_its_value_itself():
    value = {"figure": go.Figure()}
    assert Deferred(value).value is value


def test_workers_given_one_directory_read_each_other_s_results(tmp_path):
    first, second = (ResultCache.in_files(tmp_path / "results", 100, "key") for _ in range(2))
    assert first.get_or_compute("view", lambda: {"figure": [1, 2]}) == {"figure": [1, 2]}
    # Pickles a worker would run: readable and writable by this account alone.
    assert (tmp_path / "results").stat().st_mode & 0o777 == 0o700
    stored = Path(first.store._get_filename(f"{first.namespace}:view"))
    assert stored.stat().st_mode & 0o777 == 0o600

    def computed_again():
        raise AssertionError("computed again instead of read from the other worker's file")

    assert second.get_or_compute("view", computed_again) == {"figure": [1, 2]}
    # New data (another key) or another code or secret key: computed, never read across.
    assert second.get_or_compute("other view", lambda: "new") == "new"
    resigned = ResultCache.in_files(tmp_path / "results", 100, "another key")
    assert resigned.get_or_compute("view", lambda: "signed anew") == "signed anew"
    # A shared store is left as it is when a worker forgets its own results.
    second.clear_local()
    assert first.get_or_compute("view", computed_again) == {"figure": [1, 2]}


def test_a_results_file_that_cannot_be_read_or_written_is_computed_again(tmp_path):
    cache = ResultCache.in_files(tmp_path / "results", 100, "key")
    cache.get_or_compute("view", lambda: "first")
    damaged = Path(cache.store._get_filename(f"{cache.namespace}:view"))
    damaged.write_bytes(damaged.read_bytes()[:10])
    assert cache.get_or_compute("view", lambda: "again") == "again"
    for path in (tmp_path / "results").iterdir():
        path.unlink()
    (tmp_path / "results").rmdir()  # gone while the workers run: nothing kept, nothing raised
    assert cache.get_or_compute("view", lambda: "without files") == "without files"
    assert cache.get_or_compute("view", lambda: "still computed") == "still computed"


def test_a_full_results_directory_drops_its_oldest_results(tmp_path, monkeypatch):
    clock = iter(range(1_000, 2_000))
    monkeypatch.setattr("cachelib.file.time", lambda: next(clock))  # one second per call
    cache = ResultCache.in_files(tmp_path / "results", 3, "key")
    keys = [f"view-{number}" for number in range(6)]
    for key in keys:
        cache.get_or_compute(key, lambda key=key: key)
    assert _kept(cache, keys[-2:]) == keys[-2:]
    assert _kept(cache, keys[:1]) == []


def test_an_existing_results_directory_other_accounts_can_use_is_refused_and_left_as_it_is(
    tmp_path,
):
    shared = tmp_path / "results"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # past the umask
    with pytest.raises(PermissionError, match="other accounts can read or write it"):
        ResultCache.in_files(shared, 100, "key")
    assert shared.stat().st_mode & 0o777 == 0o777
    shared.chmod(0o700)
    assert ResultCache.in_files(shared, 100, "key").get_or_compute("view", lambda: 1) == 1
