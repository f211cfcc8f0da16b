"""The one task interface for background work.

Apps declare periodic jobs in their ``jobs.py`` with ``@periodic(every=…)``.
A job loads what it needs by id and calls a service; it must be idempotent,
since a job may run again after a crash. ``kefu worker`` runs them here on one
machine (see ``worker.py``); a site that outgrows one machine runs the same
jobs from Celery beat (see docs/decisions/0005-background-work.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    func: Callable[[], int | None]


_jobs: dict[str, PeriodicJob] = {}


def periodic(*, every: timedelta, name: str | None = None):
    def decorator(func):
        job_name = name or f"{func.__module__}.{func.__name__}"
        _jobs[job_name] = PeriodicJob(name=job_name, every=every, func=func)
        return func

    return decorator


def jobs() -> list[PeriodicJob]:
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("kefu."):
            try:
                importlib.import_module(f"{config.name}.jobs")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.jobs":
                    raise
    return sorted(_jobs.values(), key=lambda j: j.name)
