"""Running the simulated switch: step by step on a frozen clock, in real time, or in the background.

``run_simulated`` moves Kefu's clock itself and runs the contact center's
one-second job after each step (no worker runs in a test), so minutes of
traffic take a moment. ``start_background`` is what ``kefu demo`` calls.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections, connection

from kefu.core import clock

from .callers import CallerPool
from .switch import SimSwitch
from .transport import HttpTransport, InProcessTransport

log = logging.getLogger("kefu.contactcenter.simswitch")


def _fresh_connections() -> None:
    """Drop broken or aged database connections between ticks, as Django does between requests.

    Not inside a transaction (a test's): there is nothing to refresh there.
    """
    if not connection.in_atomic_block:
        close_old_connections()


def build_switch(*, rate: float, url: str | None = None, token: str | None = None, in_process: bool = False,
                 seed: int | None = None, pool: CallerPool | None = None, adapter=None, **kwargs) -> SimSwitch:
    """A switch over HTTP to ``url`` (token issued here if none is given) or in-process."""
    if in_process:
        transport = InProcessTransport(adapter=adapter)
    else:
        if not token:
            from .identity import switch_token_issue

            token = switch_token_issue()
        transport = HttpTransport(url or "http://127.0.0.1:8000", token)
    return SimSwitch(transport, rate=rate, pool=pool or CallerPool.from_database(), rng=random.Random(seed),
                     **kwargs)


def run_simulated(switch: SimSwitch, *, seconds: float, step: float = 1.0, jobs: bool = True,
                  each_step: Callable[[], None] | None = None) -> SimSwitch:
    """Advance the clock ``step`` at a time for ``seconds``: the switch, then Kefu's job, then ``each_step``."""
    from ..jobs import contact_center_tick

    for _ in range(int(seconds / step)):
        clock.advance(timedelta(seconds=step))
        switch.tick()
        if jobs:
            contact_center_tick()
        if each_step is not None:
            each_step()
    return switch


def run_realtime(switch: SimSwitch, *, seconds: float | None = None, step: float = 1.0,
                 stop: threading.Event | None = None, wait_ready: float = 60.0,
                 report: Callable[[SimSwitch], None] | None = None, report_every: float = 30.0) -> SimSwitch:
    """Tick once per ``step`` of wall time until ``seconds`` pass or ``stop`` is set; then hang up."""
    stop = stop or threading.Event()
    ready = getattr(switch.transport, "ready", None)
    if ready is not None:
        deadline = time.monotonic() + wait_ready
        while not ready():
            if stop.wait(1.0) or time.monotonic() > deadline:
                log.error("simswitch: Kefu did not answer within %.0f s", wait_ready)
                return switch
    end = time.monotonic() + seconds if seconds is not None else None
    next_report = time.monotonic() + report_every
    try:
        while not stop.is_set() and (end is None or time.monotonic() < end):
            _fresh_connections()
            try:
                switch.tick()
            except Exception:  # a bad tick must not end the demo's traffic
                log.exception("simswitch tick failed")
            if report is not None and time.monotonic() >= next_report:
                report(switch)
                next_report += report_every
            stop.wait(step)
    finally:  # also on Ctrl-C
        try:
            switch.hang_up_all()
        except Exception:
            log.exception("simswitch could not hang up its calls")
    _fresh_connections()
    return switch


class BackgroundSwitch:
    """A switch ticking in a daemon thread; ``stop()`` ends it."""

    def __init__(self, switch: SimSwitch, *, seconds: float | None, step: float):
        self.switch = switch
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._main, args=(seconds, step), name="kefu-simswitch", daemon=True)

    def _main(self, seconds, step) -> None:
        try:
            run_realtime(self.switch, seconds=seconds, step=step, stop=self._stop)
        except Exception:  # e.g. Kefu refused the token: say so in the server's log
            log.exception("simulated switch stopped")
        finally:
            connection.close()  # this thread's own connection

    def start(self) -> BackgroundSwitch:
        self.thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self.thread.join(timeout)

    @property
    def stats(self):
        return self.switch.stats


def start_background(rate: float = 0.2, *, url: str = "http://127.0.0.1:8000", token: str | None = None,
                     in_process: bool = False, seconds: float | None = None, step: float = 1.0,
                     seed: int | None = None, **kwargs) -> BackgroundSwitch:
    """Start a simulated switch in a daemon thread (for ``kefu demo``); returns at once.

    Over HTTP (the default) it waits until the server at ``url`` answers, so
    it may be started just before the server. Without ``token`` it issues one
    for the "switch" staff member (created if missing).
    """
    switch = build_switch(rate=rate, url=url, token=token, in_process=in_process, seed=seed, **kwargs)
    return BackgroundSwitch(switch, seconds=seconds, step=step).start()
