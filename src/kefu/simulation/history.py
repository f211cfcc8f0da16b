"""Workload history per interval of the day: the one door through which staffing reads past load.

Today it reads contact records through contactcenter's selectors; when interval aggregates are kept (the
kpi app), ``interval_history`` reads those instead and nothing else changes. The forecast is the average
of the same interval over the last ``days`` days (a seasonal naive forecast): simple, explainable, and
what a planner checks first.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kefu.contactcenter.selectors import contact_timings
from kefu.core import clock

from .staffing.calculator import IntervalLoad

DEFAULT_AHT = 180.0


def interval_history(
    *, actor, days: int, interval_minutes: int, queue_id: int | None = None
) -> list[IntervalLoad]:
    """Average calls and handle time (talk + wrap-up) per interval of the day over the last ``days`` days."""
    today = timezone.localtime(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    since = today - timedelta(days=days)
    slots = 24 * 60 // interval_minutes
    calls = [0] * slots
    handled = [0] * slots
    handle = [0.0] * slots
    for started, answered, ended, wrapped in contact_timings(
        actor=actor, since=since, until=today, queue_id=queue_id
    ):
        local = timezone.localtime(started)
        i = (local.hour * 60 + local.minute) // interval_minutes
        calls[i] += 1
        if answered and ended:
            done = wrapped if wrapped and wrapped > ended else ended
            handled[i] += 1
            handle[i] += (done - answered).total_seconds()
    known = sum(handle) / sum(handled) if sum(handled) else DEFAULT_AHT
    return [
        IntervalLoad(
            start_minute=i * interval_minutes,
            calls=calls[i] / days,
            aht=handle[i] / handled[i] if handled[i] else known,
        )
        for i in range(slots)
    ]
