"""A small keep-alive HTTP client, a concurrent load runner and percentile helpers.

Standard library only: the figures must not depend on which HTTP library the
benchmark happens to have. One ``Conn`` is one persistent TCP connection
(HTTP/1.1 keep-alive); each load thread owns one.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode


class Exhausted(Exception):
    """Raised by a worker that has no more work (ends that thread, not an error)."""


class HttpError(Exception):
    def __init__(self, method: str, path: str, status: int, body: bytes):
        super().__init__(f"{method} {path} -> HTTP {status}: {body[:300]!r}")
        self.status = status
        self.body = body


class Conn:
    """One keep-alive connection to 127.0.0.1:port, with optional headers and a cookie jar."""

    def __init__(self, port: int, headers: dict[str, str] | None = None, timeout: float = 120.0):
        self.port = port
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}
        self._c: http.client.HTTPConnection | None = None

    def _conn(self) -> http.client.HTTPConnection:
        if self._c is None:
            self._c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self._c.connect()
            self._c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._c

    def close(self) -> None:
        if self._c is not None:
            self._c.close()
            self._c = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        h = dict(self.headers)
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        h.update(headers or {})
        for attempt in (1, 2):
            c = self._conn()
            try:
                c.request(method, path, body=body, headers=h)
                r = c.getresponse()
                data = r.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if attempt == 2:
                    raise
                continue
            for raw in r.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(raw)
                for k, morsel in jar.items():
                    self.cookies[k] = morsel.value
            if r.getheader("Connection", "").lower() == "close":
                self.close()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, payload=None, expect=(200, 201),
             headers: dict[str, str] | None = None):
        body = None if payload is None else json.dumps(payload).encode()
        h = {"Content-Type": "application/json"} if body is not None else {}
        h.update(headers or {})
        status, _h, data = self.request(method, path, body, h)
        if status not in expect:
            raise HttpError(method, path, status, data)
        return json.loads(data) if data else None

    def form(self, path: str, fields: dict, expect=(200, 302), headers: dict[str, str] | None = None):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        status, hdrs, data = self.request("POST", path, urlencode(fields, doseq=True).encode(), h)
        if status not in expect:
            raise HttpError("POST", path, status, data)
        return status, hdrs, data


def wait_http(port: int, path: str, timeout: float = 60.0, proc=None) -> None:
    """Wait until the server answers anything on ``path``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering")
        try:
            c = Conn(port, timeout=5)
            c.request("GET", path)
            c.close()
            return
        except OSError as exc:
            last = exc
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer in {timeout:.0f} s ({last})")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


@dataclass
class LoadResult:
    units: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.units / self.seconds if self.seconds else 0.0


def run_load(make_worker: Callable[[int], Callable[[], int]], *, threads: int, duration: float,
             max_units: int | None = None, stop_on_error: int = 5) -> LoadResult:
    """Run ``threads`` workers for ``duration`` seconds; each call of a worker does some units.

    ``make_worker(i)`` is called in the main thread (to set up connections) and
    returns the function the i-th thread calls repeatedly; that function returns
    how many units it completed (e.g. 1 order, 1 life cycle). Throughput is
    units / wall time from the common start to the last worker's end.
    """
    workers = [make_worker(i) for i in range(threads)]
    result = LoadResult()
    lock = threading.Lock()
    start_barrier = threading.Barrier(threads + 1)
    stop = threading.Event()
    t0 = [0.0]

    def loop(fn):
        start_barrier.wait()
        while not stop.is_set():
            began = time.perf_counter()
            try:
                n = fn()
            except Exhausted:
                break
            except Exception as exc:  # noqa: BLE001 - every failure is reported, none is hidden
                with lock:
                    result.errors.append(f"{type(exc).__name__}: {exc}")
                    if len(result.errors) >= stop_on_error:
                        stop.set()
                continue
            took = time.perf_counter() - began
            with lock:
                result.units += n
                result.latencies.append(took)
                if max_units is not None and result.units >= max_units:
                    stop.set()
            if time.perf_counter() - t0[0] >= duration:
                stop.set()

    ts = [threading.Thread(target=loop, args=(w,), daemon=True) for w in workers]
    for t in ts:
        t.start()
    t0[0] = time.perf_counter()
    start_barrier.wait()
    t0[0] = time.perf_counter()
    for t in ts:
        t.join()
    result.seconds = time.perf_counter() - t0[0]
    return result
