"""Start a throwaway Redis server on a free loopback port for tests.

It keeps nothing on disk (no snapshots, no append-only file) and lives in a temporary
directory removed when the context manager exits. ``RedisServer.stop()`` stops it early, for
tests of what happens when Redis goes away.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

START_TIMEOUT_SECONDS = 10.0


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=START_TIMEOUT_SECONDS)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_redis() -> Iterator[RedisServer]:
    """A Redis server on 127.0.0.1 at a free port; raises RuntimeError if it cannot start."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server not found: install the Debian 'redis-server' package.")
    with tempfile.TemporaryDirectory(prefix="test-redis-") as directory:
        port = _free_port()
        command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", directory]
        command += ["--save", "", "--appendonly", "no", "--protected-mode", "yes"]
        log = Path(directory) / "redis.log"
        command += ["--logfile", str(log)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        server = RedisServer(f"redis://127.0.0.1:{port}/0", process, log)
        try:
            _wait_until_it_answers(server)
            yield server
        finally:
            server.stop()


def _wait_until_it_answers(server: RedisServer) -> None:
    client = Redis.from_url(server.url, socket_connect_timeout=0.5)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        if server.process.poll() is not None:
            log = server.log.read_text() if server.log.is_file() else ""
            raise RuntimeError(f"redis-server exited: {log}")
        try:
            client.ping()
            return
        except RedisConnectionError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not answer at {server.url}") from None
            time.sleep(0.05)
        finally:
            client.close()
