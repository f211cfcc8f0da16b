"""The worker's timer sweep: claim due timer rows and fire each, exactly once.

``timers_sweep`` claims a batch of due rows with one ``UPDATE … RETURNING`` and
fires them in the same transaction, writing what the firing produces in bulk. A worker killed mid-way rolls back
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
from .deadlines import DueTimer, deadlines_fire
from .deliveries import delivery_attempt

log = logging.getLogger("kefu.workorders.deadlines")


def _claim(now, limit: int, worker: str) -> list[tuple[int, str, int | None, int, int | None]]:
    """Mark up to ``limit`` due timers fired and return them, in one statement.

    ``UPDATE … WHERE id IN (due ids, oldest first) RETURNING …``: on PostgreSQL the
    inner select takes its rows ``FOR UPDATE SKIP LOCKED`` so concurrent workers claim
    disjoint batches; on SQLite the write lock serialises workers and ``state = pending``
    makes a row claimed by another worker drop out (both support RETURNING).
    """
    table = connection.ops.quote_name(Timer._meta.db_table)
    # The outer statement finds its rows by primary key only: a "state = pending" there would make SQLite
    # scan every pending timer through timer_due_idx. The inner select is the guard on both databases
    # (PostgreSQL re-checks it on the row it locks; SQLite runs the whole statement under its write lock).
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    sql = (f"UPDATE {table} SET state = %s, fired_at = %s, fired_by = %s "  # noqa: S608 - the model's own table
           f"WHERE id IN (SELECT id FROM {table} WHERE state = %s AND due_at <= %s "  # timer_due_idx
           f"ORDER BY due_at LIMIT %s{lock}) RETURNING id, kind, order_id, step_seq, ref")
    pending, fired = Timer.State.PENDING, Timer.State.FIRED
    with connection.cursor() as cur:
        cur.execute(sql, [fired, now, worker[:100], pending, now, limit])
        return sorted(cur.fetchall())


def timers_sweep(*, worker: str = "worker", limit: int = 5_000, batch: int = 500,
                 deadline_seconds: float = 20.0) -> int:
    """Fire due timers, a batch per transaction; returns how many fired.

    A batch is claimed in one statement and fired in the same transaction with
    everything the firing writes (deadline timers together, set-based; each delivery
    in a savepoint). A timer whose firing fails is logged and retired, the others go
    on. Killed mid-batch, the transaction rolls back: those timers are still pending
    and fire once, later.
    """
    started = time.monotonic()
    fired = 0
    while fired < limit and time.monotonic() - started < deadline_seconds:
        now = clock.now()
        with transaction.atomic():
            rows = _claim(now, min(batch, limit - fired), worker)
            if not rows:
                break
            failed: list[int] = []
            due = [DueTimer(id=pk, kind=kind, order_id=cast(int, order_id), step_seq=step_seq)
                   for pk, kind, order_id, step_seq, _ref in rows if kind != Timer.Kind.DELIVERY]
            if due:
                failed += deadlines_fire(due, now=now)
            for pk, kind, _order_id, _step_seq, ref in rows:
                if kind != Timer.Kind.DELIVERY:
                    continue
                try:
                    with transaction.atomic():
                        delivery_attempt(delivery_id=cast(int, ref))  # a delivery timer always names its delivery
                except (KeyboardInterrupt, SystemExit):
                    raise
                except Exception:
                    log.exception("timer %s failed", pk)
                    failed.append(pk)
            if failed:
                Timer.objects.filter(pk__in=failed).update(fired_by=f"{worker[:90]}: failed")
            fired += len(rows) - len(failed)
    return fired
