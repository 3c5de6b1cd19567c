"""Computed results (a page's figures for a set of filters) kept in a Flask-Caching store.

Each worker keeps its own ``SimpleCache``; with ``DASHBOARD_RESULTS_DIR`` set, the workers of
one machine share a ``FileSystemCache`` there (``make run`` sets it), and with ``REDIS_URL`` set
every worker of every instance shares one ``RedisCache``. The repository puts the data version
in every key (``Repository.cached``), so new data means new keys and nothing needs clearing
across workers; the key's namespace names the code and the secret key that signed the cards.

Values are pickled here, once, whichever the store: Plotly figures are written as their plain
dict and rebuilt without re-validating every property, which makes a hit several times faster
than Plotly's own pickling; the pickle is compressed. A Redis that stops answering is not an
error for the page: this worker logs it, keeps results in its own memory and tries Redis again
after ``RETRY_SECONDS``.
"""

from __future__ import annotations

import errno
import hashlib
import io
import logging
import pickle
import threading
import time
import zlib
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from flask_caching.backends import FileSystemCache, RedisCache, SimpleCache
from plotly.basedatatypes import BaseFigure
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30.0
REDIS_TIMEOUT_SECONDS = 0.5  # a Redis slower than this is treated as gone: computing is cheaper
REDIS_KEY_PREFIX = "dashboard-results:"
# Keys of superseded data versions do not pile up forever. In a worker's memory, an expiry is
# also what makes a full SimpleCache drop its oldest entries one by one: entries that never
# expire all count as expired there, so one entry too many emptied the whole cache.
EXPIRY_SECONDS = 7 * 24 * 3600
# Results a worker keeps while Redis is away (each one is a page's figures).
FALLBACK_ENTRIES = 64
COMPRESSION_LEVEL = 1


class ResultCache:
    """Get and set pickled results by key, in ``store``, falling back to memory if it fails."""

    def __init__(self, store, *, shared: bool, signing_key: str = ""):
        self.store = store
        self.shared = shared
        # A card holds its chart's origin signed with the app's secret key: results signed with
        # another key (SECRET_KEY changed, a store kept) would open no table and no download.
        signer = hashlib.sha256(signing_key.encode()).hexdigest()[:8]
        self.namespace = f"{code_fingerprint()}-{signer}"
        self._fallback = _memory(FALLBACK_ENTRIES)
        self._retry_at = 0.0
        self._lock = threading.Lock()

    @classmethod
    def in_memory(cls, entries: int) -> ResultCache:
        """A cache private to this process, holding at most ``entries`` results."""
        return cls(_memory(entries), shared=False)

    @classmethod
    def in_files(cls, directory: Path, entries: int, signing_key: str) -> ResultCache:
        """A cache in ``directory``, shared by every worker of this machine given it, holding
        about ``entries`` results (the oldest go first). A file is written whole under another
        name and then renamed, so a worker never reads one half written; one that cannot be
        read or written is a miss, computed again. ``OSError`` if the directory cannot be made.

        The files are pickles, which a worker runs as it reads them: the directory is made for
        this account alone, like each file in it, and ``PermissionError`` if it exists already
        with access for other accounts (it is left as it is: it may be one they share, such as
        ``/tmp``).
        """
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if directory.stat().st_mode & 0o077:
            raise PermissionError(
                errno.EPERM,
                "other accounts can read or write it, and the results are pickles the workers "
                "load; make it private (chmod 700) or name a new directory",
            )
        store = FileSystemCache(
            str(directory), threshold=entries, default_timeout=EXPIRY_SECONDS, mode=0o600
        )
        return cls(store, shared=True, signing_key=signing_key)

    @classmethod
    def redis(cls, url: str, signing_key: str) -> ResultCache:
        """A cache shared through the Redis server at ``url`` (not contacted until used)."""
        # redis+unix:// is how Flask-Limiter spells a socket; the Redis client says unix://.
        client = Redis.from_url(
            url.replace("redis+unix://", "unix://", 1),
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        store = RedisCache(host=client, key_prefix=REDIS_KEY_PREFIX, default_timeout=EXPIRY_SECONDS)
        return cls(store, shared=True, signing_key=signing_key)

    def get_or_compute(self, key: str, compute: Callable[[], Any]) -> Any:
        """The value stored under ``key``; else ``compute()``, stored under ``key``."""
        key = f"{self.namespace}:{key}"
        payload = self._call("get", key)
        if payload is not None:
            try:
                return loads(payload)
            except Exception:  # unreadable (a damaged entry): compute it again
                logger.warning("Cached result %s could not be read; computing it again.", key)
        value = compute()
        self._call("set", key, dumps(value))
        return value

    def clear_local(self) -> None:
        """Forget results held in this process (a shared store is left to expire by itself)."""
        self._fallback.clear()
        if not self.shared:
            self.store.clear()

    def _call(self, operation: str, *args):
        store = self.store
        if self.shared and time.monotonic() < self._retry_at:
            store = self._fallback
        try:
            return getattr(store, operation)(*args)
        except RedisError as exc:
            with self._lock:
                if time.monotonic() >= self._retry_at:
                    logger.warning(
                        "The shared result cache (Redis) does not answer (%s); this worker keeps "
                        "results in its own memory and tries again in %.0f s.",
                        exc.__class__.__name__,
                        RETRY_SECONDS,
                    )
                self._retry_at = time.monotonic() + RETRY_SECONDS
            return getattr(self._fallback, operation)(*args)


def _memory(entries: int) -> SimpleCache:
    """At most ``entries`` results in this process; when full, the oldest one goes."""
    return SimpleCache(threshold=entries, default_timeout=EXPIRY_SECONDS)


def dumps(value: Any) -> bytes:
    """``value`` pickled, with any Plotly figure stored as its plain dict, and compressed.

    zlib's fastest level makes a page's result about a quarter of its size (a worker holds
    every locality and care group's) for 0.3 ms, and 0.1 ms to read back (``loads``).
    """
    return zlib.compress(_pickled(value), COMPRESSION_LEVEL)


def loads(payload: bytes) -> Any:
    """The value ``dumps`` stored as ``payload``."""
    return pickle.loads(zlib.decompress(payload))


def _pickled(value: Any) -> bytes:
    buffer = io.BytesIO()
    _FigurePickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


class Deferred:
    """A part of a cached result read back only when asked for (``value``).

    A page's cards are cached with the chart specs they were drawn from, and rebuilding a
    spec's Plotly figure from its dict deep-copies every property (a map's boundaries
    included): half the time of a filter click's answer from the cache went on it, though the
    answer sends the cards and needs a spec only for a table or "About" left open. Pickled,
    a ``Deferred`` holds its value's own pickle, unpickled the first time it is asked for.
    """

    __slots__ = ("_payload", "_value")

    def __init__(self, value: Any):
        self._value, self._payload = value, None

    @property
    def value(self) -> Any:
        payload = self._payload
        if payload is not None:
            # The value is set before the payload is dropped, so a thread reading at the same
            # time either unpickles it too or finds it set.
            self._value = pickle.loads(payload)
            self._payload = None
        return self._value

    def __reduce__(self):
        payload = self._payload if self._payload is not None else _pickled(self._value)
        return _deferred, (payload,)


def _deferred(payload: bytes) -> Deferred:
    held = Deferred(None)
    held._payload = payload
    return held


class _FigurePickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, BaseFigure):
            # The figure's own property dicts, not ``to_dict()``: that deep-copies them first
            # (a map's district boundaries included), 15 ms a figure, and pickling copies anyway.
            properties = {"data": obj._data, "layout": obj._layout}
            if obj._frame_objs:
                properties["frames"] = [frame._props for frame in obj._frame_objs]
            return _figure, (obj.__class__, properties)
        return NotImplemented


def _figure(cls: type[BaseFigure], properties: dict) -> BaseFigure:
    # Built by Plotly and validated once already, before it was stored.
    return cls(properties, _validate=False)


def code_fingerprint() -> str:
    """A short hash of this package's source and the libraries whose objects are pickled.

    Part of every key, so instances running different code never read each other's results.
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for library in ("dash", "plotly", "pandas", "numpy"):
        digest.update(f"{library}=={version(library)}".encode())
    return digest.hexdigest()[:12]
