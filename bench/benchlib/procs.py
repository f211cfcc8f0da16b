"""Server processes and throw-away databases, always cleaned up.

Every server is started in its own process group and stopped by that group's
id (never by name); every database or directory made for a run is registered
and removed in ``cleanup()``, which runs on normal exit, on an exception and on
SIGINT/SIGTERM.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .client import wait_http

_cleanups: list = []


def on_cleanup(fn) -> None:
    _cleanups.append(fn)


def cleanup() -> None:
    while _cleanups:
        fn = _cleanups.pop()
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - keep cleaning the rest
            print(f"  cleanup step failed: {exc}", file=sys.stderr, flush=True)


def install_signal_handlers() -> None:
    def handler(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One uvicorn process (1 worker) serving an ASGI app on 127.0.0.1."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_path: Path, ready_path: str,
                 cwd: str | None = None):
        self.name = name
        self.port = free_port()
        self.argv = [*argv, "--host", "127.0.0.1", "--port", str(self.port)]
        self.env = env
        self.log_path = log_path
        self.ready_path = ready_path
        self.cwd = cwd
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()
        on_cleanup(self.stop)
        try:
            wait_http(self.port, self.ready_path, timeout=90, proc=self.proc)
        except RuntimeError as exc:
            raise RuntimeError(f"{self.name}: {exc}; last lines of {self.log_path}:\n{self.tail()}") from None
        return self

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        pgid = self.proc.pid  # start_new_session: the group id is the server's pid
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        except ProcessLookupError:
            pass


def kefu_env(**extra: str) -> dict[str, str]:
    """This process's environment for a ``kefu`` child, without a database choice of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KEFU_SQLITE_PATH")}
    env.update(DJANGO_SETTINGS_MODULE="kefu.settings", **extra)
    return env


def run_or_exit(cmd: list[str], env: dict[str, str]) -> str:
    """Run a child to completion and return its output; a failure ends the benchmark with its error."""
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(cmd[:3])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def pg_recreate(url: str) -> None:
    """Drop and create the database ``url`` names (left to the caller to drop: see ``pg_drop``)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(pg_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def pg_drop(url: str) -> None:
    import psycopg

    with psycopg.connect(pg_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')


def pg_admin_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path="/postgres"))


def pg_create(base_url: str, name: str) -> str:
    """Create a fresh database ``name`` (dropped first if left over) and register its drop."""
    import psycopg

    admin = pg_admin_url(base_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    on_cleanup(drop)
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def temp_dir(parent: Path, prefix: str, keep: bool = False) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    path = parent / f"{prefix}{os.getpid()}-{int(time.time())}"
    path.mkdir()
    if not keep:
        on_cleanup(lambda: shutil.rmtree(path, ignore_errors=True))
    return path
