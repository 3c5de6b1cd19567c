"""The result cache's stores: the Redis address forms REDIS_URL accepts."""

from __future__ import annotations

from dashboard.caching import ResultCache


def test_a_redis_socket_url_as_the_limiter_writes_it_reaches_the_same_socket():
    cache = ResultCache.redis("redis+unix:///run/redis/redis.sock?db=2")
    pool = cache.store._write_client.connection_pool
    assert pool.connection_kwargs["path"] == "/run/redis/redis.sock"
    assert pool.connection_kwargs["db"] == 2


def test_a_redis_tcp_url_keeps_its_host_port_and_database():
    cache = ResultCache.redis("redis://127.0.0.1:6390/3")
    kwargs = cache.store._write_client.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("127.0.0.1", 6390, 3)
