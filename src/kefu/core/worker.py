"""``kefu worker``: runs periodic jobs and reports a heartbeat.

Each job runs in its own transaction (the job's services open it); a failing
job is logged and retried at its next period, never stopping the others.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time

from django.db import close_old_connections

from . import clock, context
from .models import WorkerHeartbeat
from .tasks import PeriodicJob, jobs

log = logging.getLogger("kefu.worker")


class Worker:
    def __init__(self, *, name: str | None = None, poll_seconds: float = 5.0):
        self.host = socket.gethostname()
        self.name = name or f"{self.host}:{os.getpid()}"
        # Wake up as often as the most frequent job needs (the contact center ticks every second).
        shortest = min((j.every.total_seconds() for j in jobs()), default=poll_seconds)
        self.poll_seconds = max(0.2, min(poll_seconds, shortest))
        self.started_at = clock.now()
        self.jobs_run = 0
        self._next_run: dict[str, float] = {}
        self._stop = False

    def beat(self, error: str = "") -> None:
        WorkerHeartbeat.objects.update_or_create(
            name=self.name,
            defaults={
                "host": self.host,
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": clock.now(),
                "jobs_run": self.jobs_run,
                "last_error": error[:2000],
            },
        )

    def run_job(self, job: PeriodicJob) -> str:
        try:
            with context.acting(context.RequestMeta(channel="worker")):
                job.func()
            self.jobs_run += 1
            return ""
        except Exception as exc:  # one failing job must not stop the worker
            log.exception("job %s failed", job.name)
            return f"{job.name}: {exc!r}"

    def run_once(self) -> None:
        """Run every job whose period has come; then beat."""
        errors = []
        now = time.monotonic()
        for job in jobs():
            if self._next_run.get(job.name, 0) <= now:
                err = self.run_job(job)
                if err:
                    errors.append(err)
                self._next_run[job.name] = now + job.every.total_seconds()
        self.beat("\n".join(errors))

    def run_forever(self) -> None:
        signal.signal(signal.SIGTERM, self._handle_stop)
        signal.signal(signal.SIGINT, self._handle_stop)
        log.info("worker %s started with jobs: %s", self.name, ", ".join(j.name for j in jobs()))
        while not self._stop:
            close_old_connections()  # a long-lived process must drop broken or stale connections
            self.run_once()
            deadline = time.monotonic() + self.poll_seconds
            while not self._stop and time.monotonic() < deadline:
                time.sleep(0.2)
        log.info("worker %s stopped", self.name)

    def _handle_stop(self, *_args) -> None:
        self._stop = True
