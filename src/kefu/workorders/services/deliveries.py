"""Delivering signed webhooks (forwards to outside parties and order events), retried with back-off.

A delivery is a row written in the transaction of the change that caused it;
a timer row makes the worker attempt it. Each attempt is counted before the
POST and a safety timer retries if the worker dies first; after the last
attempt a forward's delivery failure goes back to forwarding, which returns the
order to its holder through the order's services.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction

from kefu.core import clock
from kefu.params.selectors import param_get

from ..models import Delivery, Forward, Timer
from .forwarding import SIGNATURE_HEADER, TIMESTAMP_HEADER, forward_delivery_failed, sign

log = logging.getLogger("kefu.workorders.deliveries")


def _backoff(attempts: int) -> timedelta:
    base = param_get("workorders.delivery.retry_base")
    return base * (2 ** max(0, attempts - 1))


def delivery_attempt(*, delivery_id: int) -> None:
    """Count an attempt and send after commit; a safety timer retries if we die first."""
    d = Delivery.objects.select_for_update().filter(pk=delivery_id, state=Delivery.State.PENDING).first()
    if d is None:
        return
    d.attempts += 1
    d.save(update_fields=["attempts"])
    retry = Timer.objects.create(kind=Timer.Kind.DELIVERY, due_at=clock.now() + _backoff(d.attempts), ref=d.pk)
    transaction.on_commit(lambda: delivery_send(delivery_id=d.pk, retry_timer_id=retry.pk))


def delivery_send(*, delivery_id: int, retry_timer_id: int | None = None, timeout: float = 10.0) -> bool:
    """POST the delivery (outside any transaction) and record what happened."""
    d = Delivery.objects.get(pk=delivery_id)
    body = json.dumps(d.payload, ensure_ascii=False, sort_keys=True).encode()
    ts = str(int(time.time()))
    if not d.url.startswith(("http://", "https://")):
        _record(d.pk, ok=False, status=None, error="unsupported URL scheme", retry_timer_id=retry_timer_id)
        return False
    req = urllib.request.Request(d.url, data=body, method="POST", headers={  # noqa: S310 (scheme checked above)
        "Content-Type": "application/json", "User-Agent": "Kefu-Webhook/1", "X-Kefu-Event": d.event,
        "X-Kefu-Delivery": str(d.pk), TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign(d.secret, ts, body),
    })
    status, error = None, ""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (scheme checked above)
            status = resp.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:500]
    ok = status is not None and 200 <= status < 300
    _record(d.pk, ok=ok, status=status, error=error, retry_timer_id=retry_timer_id)
    return ok


@transaction.atomic
def _record(delivery_id: int, *, ok: bool, status, error: str, retry_timer_id) -> None:
    d = Delivery.objects.select_for_update().get(pk=delivery_id)
    if d.state != Delivery.State.PENDING:
        return
    d.last_status, d.last_error = status, error
    now = clock.now()
    give_up = not ok and d.attempts >= param_get("workorders.delivery.max_attempts")
    if (ok or give_up) and retry_timer_id:
        Timer.objects.filter(pk=retry_timer_id, state=Timer.State.PENDING).update(state=Timer.State.CANCELLED)
    if ok:
        d.state, d.delivered_at = Delivery.State.DELIVERED, now
        if d.forward_id:
            Forward.objects.filter(pk=d.forward_id, state=Forward.State.PENDING).update(
                state=Forward.State.DELIVERED, delivered_at=now)
    elif give_up:
        d.state = Delivery.State.FAILED
        if d.forward_id:
            forward_delivery_failed(forward_id=d.forward_id, attempts=d.attempts, error=error or str(status))
    d.save()
