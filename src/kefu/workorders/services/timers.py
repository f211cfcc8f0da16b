"""The worker's timer sweep: claim due timer rows and fire each, exactly once.

``timers_sweep`` claims due rows and fires them in one transaction per batch
together with everything the firing writes. A worker killed mid-way rolls back
its transaction, so the timers stay pending and fire once, later. On PostgreSQL
several workers claim disjoint rows with ``FOR UPDATE SKIP LOCKED``; on SQLite
writers are serialised by the database lock and the ``state = pending``
condition makes a second claim a no-op. Deadline timers go to ``deadlines``,
delivery timers to ``deliveries``; neither knows the other.
"""

from __future__ import annotations

import logging
import time
from typing import cast

from django.db import connection, transaction

from kefu.core import clock

from ..models import Timer
from .deadlines import deadline_fire
from .deliveries import delivery_attempt

log = logging.getLogger("kefu.workorders.deadlines")


def _claim_batch(now, limit: int) -> list[int]:
    qs = Timer.objects.filter(state=Timer.State.PENDING, due_at__lte=now).order_by("due_at")  # timer_due_idx
    if connection.vendor == "postgresql":
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.values_list("id", flat=True)[:limit])


def timers_sweep(*, worker: str = "worker", limit: int = 5_000, batch: int = 200,
                 deadline_seconds: float = 20.0) -> int:
    """Fire due timers, a batch per transaction; returns how many fired.

    A batch is claimed and fired in one transaction (each timer in a savepoint,
    so one bad timer does not sink the rest). Killed mid-batch, the transaction
    rolls back: those timers are still pending and fire once, later.
    """
    started = time.monotonic()
    fired = 0
    while fired < limit and time.monotonic() - started < deadline_seconds:
        now = clock.now()
        with transaction.atomic():
            ids = _claim_batch(now, min(batch, limit - fired))
            if not ids:
                break
            for timer_id in ids:
                try:
                    with transaction.atomic():
                        fired += _fire(timer_id, now=now, worker=worker)
                except (KeyboardInterrupt, SystemExit):
                    raise
                except Exception:  # a broken timer is logged and retired; the others go on
                    log.exception("timer %s failed", timer_id)
                    Timer.objects.filter(pk=timer_id, state=Timer.State.PENDING).update(
                        state=Timer.State.FIRED, fired_at=now, fired_by=f"{worker[:90]}: failed")
    return fired


def _fire(timer_id: int, *, now, worker: str) -> int:
    """Fire one timer inside the caller's transaction; 0 if someone else had it."""
    claimed = Timer.objects.filter(pk=timer_id, state=Timer.State.PENDING).update(
        state=Timer.State.FIRED, fired_at=now, fired_by=worker[:100])
    if not claimed:
        return 0
    kind, order_id, step_seq, ref = Timer.objects.filter(pk=timer_id).values_list(
        "kind", "order_id", "step_seq", "ref").get()
    if kind == Timer.Kind.DELIVERY:
        delivery_attempt(delivery_id=cast(int, ref))  # a delivery timer always names its delivery
    else:
        deadline_fire(order_id=order_id, kind=kind, step_seq=step_seq, now=now)
    return 1
