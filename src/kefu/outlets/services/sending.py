"""The worker's side: take tokens from an outlet's bucket, claim due messages, send them, record attempts.

Claiming follows the timer rows (docs/decisions/0005): one ``UPDATE … WHERE id
IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`` on PostgreSQL, so concurrent
workers take disjoint rows; on SQLite the write lock serialises workers and
``status = queued AND next_attempt_at <= now`` makes a second claim a no-op.
A claim counts the attempt and moves ``next_attempt_at`` a lease ahead, so a
worker that dies between claim and record leaves the message to be tried
again after the lease, never by two workers at once. Gateways are called
outside any transaction; each outcome is recorded in its own.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction

from kefu.core import clock
from kefu.params.selectors import param_get

from ..gateways import Outgoing, SendFailed, Sent, sender_for
from ..models import Attempt, DeliveryReport, Message, MessageStatus, Outlet
from .inbound import report_settle

log = logging.getLogger("kefu.outlets")

#: How long a claimed message is left to its worker before another may try it.
LEASE = timedelta(minutes=2)


def tokens_take(*, outlet_id: int, want: int) -> int:
    """Take up to ``want`` whole tokens from the outlet's bucket (refilled since the last take) and return
    how many; the row lock makes every worker process share one bucket."""
    if want <= 0:
        return 0
    with transaction.atomic():
        outlet = Outlet.objects.select_for_update().only("rate_per_second", "burst", "tokens", "refilled_at").get(
            pk=outlet_id)
        now = clock.now()
        elapsed = max(0.0, (now - outlet.refilled_at).total_seconds())
        tokens = min(float(outlet.burst), outlet.tokens + elapsed * outlet.rate_per_second)
        granted = int(min(want, math.floor(tokens)))
        Outlet.objects.filter(pk=outlet_id).update(tokens=tokens - granted, refilled_at=now)
        return granted


def tokens_return(*, outlet_id: int, n: int) -> None:
    """Give back tokens taken but not used (fewer messages were due than tokens taken)."""
    if n > 0:
        with transaction.atomic():
            outlet = Outlet.objects.select_for_update().only("burst", "tokens").get(pk=outlet_id)
            Outlet.objects.filter(pk=outlet_id).update(tokens=min(float(outlet.burst), outlet.tokens + n))


def _claim(*, outlet_id: int, limit: int, worker: str) -> list[tuple[int, int]]:
    """Claim up to ``limit`` due messages of the outlet; (id, attempt number) of each."""
    table = connection.ops.quote_name(Message._meta.db_table)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    now = clock.now()
    sql = (f"UPDATE {table} SET attempts = attempts + 1, next_attempt_at = %s, claimed_by = %s "  # noqa: S608
           f"WHERE id IN (SELECT id FROM {table} WHERE outlet_id = %s AND status = %s "  # outlets_msg_due_idx
           f"AND next_attempt_at <= %s ORDER BY priority DESC, next_attempt_at LIMIT %s{lock}) RETURNING id, attempts")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, [now + LEASE, worker[:100], outlet_id, MessageStatus.QUEUED, now, limit])
        return sorted(cur.fetchall())


def _due_outlets() -> list[int]:
    now = clock.now()
    ids = Outlet.objects.filter(active=True).values_list("pk", flat=True)
    # outlets_msg_due_idx, one probe per outlet
    return [pk for pk in ids if Message.objects.filter(outlet_id=pk, status=MessageStatus.QUEUED,
                                                       next_attempt_at__lte=now).exists()]


def _backoff(attempts: int) -> timedelta:
    return param_get("outlets.retry_base") * (2 ** max(0, attempts - 1))


def retry_later(*, message: Message, reason: str) -> bool:
    """A sent message its outlet could not deliver this time (a call not answered) goes back to the queue
    with the back-off, if it has attempts left; False when it has none (the caller fails it). The message
    is locked by the caller."""
    if message.attempts >= param_get("outlets.max_attempts"):
        return False
    message.status, message.status_reason = MessageStatus.QUEUED, reason[:300]
    message.next_attempt_at = clock.now() + _backoff(message.attempts)
    message.save(update_fields=["status", "status_reason", "next_attempt_at"])
    return True


@transaction.atomic
def _record(*, message_id: int, number: int, worker: str, sent: Sent | None, failure: SendFailed | None,
            duration_ms: int) -> bool:
    """Record one attempt's outcome; True when the message is now sent."""
    message = Message.objects.select_for_update().get(pk=message_id)
    Attempt.objects.create(message=message, number=number, ok=sent is not None, worker=worker[:100],
                           permanent=bool(failure and failure.permanent), error=failure.error if failure else "",
                           gateway_ref=sent.ref if sent else "", duration_ms=duration_ms)
    if message.status != MessageStatus.QUEUED:
        return False  # settled meanwhile (e.g. failed by hand); the attempt is kept as history
    now = clock.now()
    if sent is not None:
        message.status = MessageStatus.DELIVERED if sent.delivered else MessageStatus.SENT
        message.gateway_ref, message.sent_at, message.status_reason = sent.ref, now, ""
        message.next_attempt_at = None
        if sent.encoding:
            message.encoding, message.segments = sent.encoding, sent.segments
        if sent.delivered:
            message.finished_at = now
        message.save()
        # A report that came before the reference was recorded waits for it (outlets_report_ref_idx).
        for report in DeliveryReport.objects.filter(outlet_id=message.outlet_id, gateway_ref=sent.ref,
                                                    message__isnull=True):
            report_settle(report=report, message=message)
        return True
    assert failure is not None
    message.status_reason = failure.error[:300]
    if failure.permanent or message.attempts >= param_get("outlets.max_attempts"):
        message.status, message.finished_at, message.next_attempt_at = MessageStatus.FAILED, now, None
    else:
        message.next_attempt_at = now + _backoff(message.attempts)
    message.save()
    return False


@dataclass
class DispatchResult:
    sent: int = 0
    failed: int = 0


def message_attempt(*, message_id: int, number: int, worker: str) -> bool:
    """Send one claimed message through its outlet (outside a transaction) and record the outcome."""
    message = Message.objects.select_related("outlet").get(pk=message_id)
    sender = sender_for(message.outlet)
    sent: Sent | None = None
    failure: SendFailed | None = None
    started = time.monotonic()
    if sender is None:
        failure = SendFailed("the outlet cannot send")
    else:
        try:
            sent = sender.send(Outgoing(key=message.idempotency_key, recipient=message.recipient,
                                        subject=message.subject, body=message.body,
                                        customer_id=message.customer_id))
        except SendFailed as exc:
            failure = exc
    ok = _record(message_id=message_id, number=number, worker=worker, sent=sent, failure=failure,
                 duration_ms=int((time.monotonic() - started) * 1000))
    if ok and sender is not None and sent is not None:
        sender.after_sent(message_id, sent)
    return ok


def messages_dispatch(*, worker: str = "worker", batch: int = 100, deadline_seconds: float = 20.0) -> DispatchResult:
    """Send what is due on every active outlet, within each outlet's rate, until nothing is due, every bucket
    is empty, or the deadline."""
    result = DispatchResult()
    started = time.monotonic()
    while time.monotonic() - started < deadline_seconds:
        progressed = False
        for outlet_id in _due_outlets():
            granted = tokens_take(outlet_id=outlet_id, want=batch)
            if not granted:
                continue
            claimed = _claim(outlet_id=outlet_id, limit=granted, worker=worker)
            tokens_return(outlet_id=outlet_id, n=granted - len(claimed))
            for message_id, number in claimed:
                progressed = True
                try:
                    if message_attempt(message_id=message_id, number=number, worker=worker):
                        result.sent += 1
                    else:
                        result.failed += 1
                except Exception:  # one broken message must not stop the others; its lease retries it
                    log.exception("message %s failed", message_id)
                    result.failed += 1
        if not progressed:
            break
    return result
