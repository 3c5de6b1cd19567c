"""Start a real, throwaway PostgreSQL server for tests.

The server lives entirely in a temporary directory: its own data directory, its own unix
socket directory, TCP on 127.0.0.1 only, a free port and ``trust`` authentication. It is
stopped and the directory removed when the context manager exits, whatever happens.

PostgreSQL refuses to run as root. When the tests run as root (as CI does) the server
commands are run as the ``postgres`` system user (created by the Debian ``postgresql``
package) through ``runuser``, and the temporary directory is handed over to that user.

Nothing here skips a test: if PostgreSQL is not installed a ``RuntimeError`` says what is
missing, and the caller decides what to do with it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

DEFAULT_BIN_GLOB = "/usr/lib/postgresql/*/bin"
REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres")
_PORT_IN_USE = re.compile(
    r"could not bind|address already in use|could not create any TCP", re.IGNORECASE
)


def find_postgres_bin_dir(bin_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the directory holding ``initdb``, ``pg_ctl`` and ``postgres``.

    ``bin_dir`` wins if given. Otherwise the newest ``/usr/lib/postgresql/<version>/bin``
    (Debian's layout) is used, and failing that the directory of ``initdb`` on ``PATH``.
    Raises ``RuntimeError`` naming what is missing.
    """
    if bin_dir is not None:
        candidates = [Path(bin_dir)]
    else:
        found = [Path(p) for p in glob.glob(DEFAULT_BIN_GLOB)]
        candidates = sorted(found, key=_version_key, reverse=True)
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(Path(on_path).resolve().parent)
    for candidate in candidates:
        if all(_is_executable(candidate / name) for name in REQUIRED_BINARIES):
            return candidate
    searched = ", ".join(str(c) for c in candidates) or f"{DEFAULT_BIN_GLOB} and PATH"
    missing = (
        [
            name
            for name in REQUIRED_BINARIES
            if not any(_is_executable(c / name) for c in candidates)
        ]
        if candidates
        else list(REQUIRED_BINARIES)
    )
    raise RuntimeError(
        f"PostgreSQL server binaries not found (missing: {', '.join(missing)}; searched: "
        f"{searched}). Install the Debian 'postgresql' package "
        "(apt-get install --no-install-recommends postgresql)."
    )


@contextlib.contextmanager
def running_postgres(
    *,
    dbname: str = "test",
    user: str = "postgres",
    bin_dir: str | os.PathLike[str] | None = None,
    os_user_when_root: str = "postgres",
    startup_timeout: float = 60.0,
    extra_settings: dict[str, str] | None = None,
) -> Iterator[str]:
    """Start a throwaway PostgreSQL server and yield its SQLAlchemy URL.

    The URL looks like ``postgresql+psycopg://postgres@127.0.0.1:54321/test``. ``user`` is the
    database superuser created by ``initdb`` (no password: trust authentication, loopback
    only). ``extra_settings`` are appended to ``postgresql.conf`` verbatim
    (``{"max_connections": "20"}``).
    """
    bin_path = find_postgres_bin_dir(bin_dir)
    run_as = _os_user_for_server(os_user_when_root)
    tmp = Path(tempfile.mkdtemp(prefix="pgtest-"))
    data_dir = tmp / "data"
    sock_dir = tmp / "sock"
    log_file = tmp / "server.log"
    started = False
    try:
        sock_dir.mkdir()
        if run_as is not None:
            _hand_over(tmp, run_as)
        _run(
            [
                str(bin_path / "initdb"),
                "-D",
                str(data_dir),
                "-U",
                user,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            run_as=run_as,
            cwd=tmp,
            what="initdb",
        )
        _configure(data_dir, sock_dir, extra_settings or {})

        port = 0
        for attempt in range(5):
            port = _free_port()
            log_file.unlink(missing_ok=True)
            result = _run(
                [
                    str(bin_path / "pg_ctl"),
                    "-D",
                    str(data_dir),
                    "-l",
                    str(log_file),
                    "-o",
                    f"-p {port}",
                    "-w",
                    "-t",
                    str(int(max(startup_timeout, 1))),
                    "start",
                ],
                run_as=run_as,
                cwd=tmp,
                what="pg_ctl start",
                check=False,
            )
            started = True  # a server may be running even if pg_ctl gave up waiting
            if result.returncode == 0:
                break
            log = _read_tail(log_file)
            _stop(bin_path, data_dir, run_as, tmp)
            started = False
            if attempt < 4 and _PORT_IN_USE.search(log):
                continue
            raise RuntimeError(
                f"PostgreSQL failed to start (pg_ctl exit {result.returncode}).\n"
                f"pg_ctl output:\n{result.stdout}{result.stderr}\nserver log:\n{log}"
            )

        _wait_until_ready(user, port, startup_timeout, log_file)
        with psycopg.connect(
            host="127.0.0.1", port=port, user=user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))

        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/{dbname}"
    finally:
        try:
            if started:
                _stop(bin_path, data_dir, run_as, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def stopped(url: str, *, bin_dir: str | os.PathLike[str] | None = None) -> Iterator[None]:
    """Stop the server behind ``url`` (from ``running_postgres``); start it again on exit.

    For outage tests: the same data directory and port, so clients reconnect to the same data.
    """
    parsed = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
    user, port = parsed.username or "postgres", parsed.port
    with psycopg.connect(host="127.0.0.1", port=port, user=user, dbname="postgres") as conn:
        data_dir = Path(conn.execute("SHOW data_directory").fetchone()[0])
    bin_path = find_postgres_bin_dir(bin_dir)
    run_as = _os_user_for_server("postgres")
    tmp = data_dir.parent
    _run(
        [str(bin_path / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop"],
        run_as=run_as,
        cwd=tmp,
        what="pg_ctl stop",
    )
    try:
        yield
    finally:
        _run(
            [
                str(bin_path / "pg_ctl"),
                "-D",
                str(data_dir),
                "-l",
                str(tmp / "server.log"),
                "-o",
                f"-p {port}",
                "-w",
                "start",
            ],
            run_as=run_as,
            cwd=tmp,
            what="pg_ctl start",
        )
        _wait_until_ready(user, port, 60.0, tmp / "server.log")


# --------------------------------------------------------------------------------------------
# helpers


def _version_key(path: Path) -> tuple[int, ...]:
    version = path.parent.name
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (-1,)


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _os_user_for_server(name: str) -> str | None:
    """The OS user to run the server as, or None to run it as ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise RuntimeError(
            f"Running as root, but PostgreSQL refuses to run as root and the system user "
            f"{name!r} (created by the Debian 'postgresql' package) does not exist."
        ) from None
    if shutil.which("runuser") is None:
        raise RuntimeError(
            "Running as root, but 'runuser' (util-linux) is not available to run PostgreSQL "
            f"as the {name!r} user."
        )
    return name


def _hand_over(tmp: Path, os_user: str) -> None:
    entry = pwd.getpwnam(os_user)
    for path in (tmp, *tmp.rglob("*")):
        os.chown(path, entry.pw_uid, entry.pw_gid)
    probe = subprocess.run(
        ["runuser", "-u", os_user, "--", "test", "-w", str(tmp)],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        raise RuntimeError(
            f"The temporary directory {tmp} is not reachable by the {os_user!r} user (check "
            f"the permissions of its parent directories, or point TMPDIR at /tmp). "
            f"{probe.stderr.strip()}"
        )


def _clean_env() -> dict[str, str]:
    """Our environment minus PG* variables that would redirect the server commands."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env.pop("LANG", None)
    return env


def _run(
    args: Sequence[str],
    *,
    run_as: str | None,
    cwd: Path,
    what: str,
    check: bool = True,
    timeout: float = 120.0,
) -> subprocess.CompletedProcess[str]:
    command = ["runuser", "-u", run_as, "--", *args] if run_as else list(args)
    result = subprocess.run(
        command,
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{what} failed (exit {result.returncode}): {' '.join(command)}\n"
            f"{result.stdout}{result.stderr}"
        )
    return result


def _configure(data_dir: Path, sock_dir: Path, extra: dict[str, str]) -> None:
    settings = {
        "listen_addresses": "'127.0.0.1'",
        "unix_socket_directories": f"'{sock_dir}'",
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "100",
        "log_min_messages": "warning",
        **extra,
    }
    with open(data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# added by tests/support/postgres.py\n")
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
    # Overwrite pg_hba.conf: the unix socket and IPv4 loopback only, no passwords.
    (data_dir / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\n", encoding="utf-8"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_ready(user: str, port: int, timeout: float, log_file: Path) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(
                host="127.0.0.1", port=port, user=user, dbname="postgres", connect_timeout=2
            ) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError as exc:
            last_error = exc
            time.sleep(0.1)
    raise RuntimeError(
        f"PostgreSQL on 127.0.0.1:{port} did not accept connections within {timeout}s: "
        f"{last_error}\nserver log:\n{_read_tail(log_file)}"
    )


def _stop(bin_path: Path, data_dir: Path, run_as: str | None, cwd: Path) -> None:
    """Stop the server; escalate from a fast shutdown to SIGKILL if need be."""
    for mode in ("fast", "immediate"):
        result = _run(
            [str(bin_path / "pg_ctl"), "-D", str(data_dir), "-m", mode, "-w", "-t", "30", "stop"],
            run_as=run_as,
            cwd=cwd,
            what="pg_ctl stop",
            check=False,
        )
        if result.returncode == 0 or not (data_dir / "postmaster.pid").exists():
            return
    pid = _postmaster_pid(data_dir)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _postmaster_pid(data_dir: Path) -> int | None:
    try:
        first_line = (data_dir / "postmaster.pid").read_text().splitlines()[0]
        return int(first_line.strip())
    except (OSError, IndexError, ValueError):
        return None


def _read_tail(path: Path, limit: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-limit:]
    except OSError:
        return "(no server log)"
