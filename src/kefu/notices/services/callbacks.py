"""Reporting back to the requesting system by signed callbacks, retried with exponential back-off.

A callback is a row made in the transaction that settled its results (``callback_create``); the worker job
``send_callbacks`` claims due ones (a conditional UPDATE that moves ``next_attempt_at`` a lease ahead, so
two workers never post one at once) and posts them outside any transaction. Every attempt carries the same
``delivery_id`` and the same body, so a receiver that saw it already drops it. A callback whose attempts run
out is ``failed`` and shown in the UI, where it can be retried by hand (a new budget of attempts).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import NotFound, ValidationFailed
from kefu.params.selectors import param_get

from ..models import CallbackAttempt, CallbackState, NoticeCallback, NoticeRecipient, NoticeRequest
from ..signing import DELIVERY_HEADER, signed_headers
from .systems import system_secret

log = logging.getLogger("kefu.notices")

LEASE = timedelta(minutes=2)
TIMEOUT = 10.0
USER_AGENT = "Kefu-Notices/1"


def request_totals(req: NoticeRequest) -> dict:
    return {"total": req.total, "pending": req.pending, "delivered": req.delivered, "sent": req.sent,
            "failed": req.failed, "unsubscribed": req.unsubscribed, "opted_out": req.opted_out,
            "invalid": req.invalid}


def callback_create(*, request_id: int, recipient_ids: list[int], final: bool = False) -> NoticeCallback:
    """A callback reporting ``recipient_ids`` (settled results) and, with ``final``, the request's end; in the
    caller's transaction. Totals are read afresh and frozen in the callback."""
    NoticeRequest.objects.filter(pk=request_id).update(callback_seq=F("callback_seq") + 1)
    req = NoticeRequest.objects.select_related("system").get(pk=request_id)
    cb = NoticeCallback.objects.create(
        request=req, seq=req.callback_seq, delivery_id=f"kefu-{req.pk}-{req.callback_seq}", final=final,
        totals={**request_totals(req), "state": req.state}, budget=param_get("notices.callback.max_attempts"),
        next_attempt_at=clock.now())
    if recipient_ids:
        NoticeRecipient.objects.filter(pk__in=recipient_ids).update(callback=cb)
    return cb


def callback_payload(cb: NoticeCallback) -> dict:
    req = cb.request
    # notices_recipient_callback_idx
    results = [{"number": n, "status": s, "reason": r} for n, s, r in
               cb.results.order_by("id").values_list("number", "status", "reason")]
    return {"delivery_id": cb.delivery_id, "system": req.system.code, "request_id": req.request_id,
            "kefu_id": req.pk, "seq": cb.seq, "final": cb.final, "totals": cb.totals, "results": results}


def _claim(*, callback_id: int) -> int | None:
    """Take the callback for one attempt (its number), or None when it is not due or someone holds it."""
    now = clock.now()
    taken = NoticeCallback.objects.filter(pk=callback_id, state=CallbackState.PENDING, next_attempt_at__lte=now,
                                          budget__gt=0).update(attempts=F("attempts") + 1,
                                                               budget=F("budget") - 1, next_attempt_at=now + LEASE)
    if not taken:
        return None
    return NoticeCallback.objects.filter(pk=callback_id).values_list("attempts", flat=True).get()


def callback_post(*, callback_id: int, number: int, manual: bool = False) -> bool:
    """POST one claimed callback (outside any transaction) and record the attempt; True when accepted (2xx)."""
    cb = NoticeCallback.objects.select_related("request__system").get(pk=callback_id)
    system = cb.request.system
    body = json.dumps(callback_payload(cb), ensure_ascii=False, sort_keys=True).encode()
    status, error = None, ""
    started = time.monotonic()
    url = system.callback_url
    if not url.startswith(("http://", "https://")):
        error = "no callback URL" if not url else "unsupported URL scheme"
    else:
        req = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 (scheme checked)
            "Content-Type": "application/json", "User-Agent": USER_AGENT, DELIVERY_HEADER: cb.delivery_id,
            **signed_headers(system.key_id, system_secret(system), body)})
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:  # noqa: S310 (scheme checked)
                status = resp.status
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except TimeoutError:
            error = "timed out"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            error = str(getattr(exc, "reason", exc))[:500]
    ok = status is not None and 200 <= status < 300
    _record(callback_id=cb.pk, number=number, ok=ok, status=status, error=error, manual=manual,
            duration_ms=int((time.monotonic() - started) * 1000))
    return ok


def _backoff(attempts: int) -> timedelta:
    return param_get("notices.callback.retry_base") * (2 ** max(0, attempts - 1))


@transaction.atomic
def _record(*, callback_id: int, number: int, ok: bool, status, error: str, manual: bool, duration_ms: int) -> None:
    cb = NoticeCallback.objects.select_for_update().get(pk=callback_id)
    CallbackAttempt.objects.create(callback=cb, number=number, ok=ok, http_status=status, error=error[:500],
                                   manual=manual, duration_ms=duration_ms)
    if cb.state != CallbackState.PENDING:
        return
    now = clock.now()
    cb.last_status, cb.last_error = status, error[:500]
    if ok:
        cb.state, cb.delivered_at, cb.next_attempt_at = CallbackState.DELIVERED, now, None
    elif cb.budget <= 0:
        cb.state, cb.next_attempt_at = CallbackState.FAILED, None
    else:
        cb.next_attempt_at = now + _backoff(cb.attempts)
    cb.save()


def callbacks_send(*, deadline_seconds: float = 20.0, batch: int = 50) -> int:
    """Post every due callback (oldest first) until none is due or the deadline; how many were attempted."""
    started, done = time.monotonic(), 0
    while time.monotonic() - started < deadline_seconds:
        # notices_callback_due_idx
        due = list(NoticeCallback.objects.filter(state=CallbackState.PENDING, next_attempt_at__lte=clock.now())
                   .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:batch])
        if not due:
            break
        progressed = False
        for pk in due:
            number = _claim(callback_id=pk)
            if number is None:
                continue
            progressed = True
            done += 1
            try:
                callback_post(callback_id=pk, number=number)
            except Exception:  # one broken callback must not stop the others; its lease retries it
                log.exception("callback %s failed", pk)
        if not progressed:
            break
    return done


def callback_retry(*, actor, callback_id) -> NoticeCallback:
    """Retry a failed (or waiting) callback now, with a new budget of attempts; the attempt is made at once."""
    with transaction.atomic():
        try:
            cb = NoticeCallback.objects.select_for_update().get(pk=int(callback_id))
        except (NoticeCallback.DoesNotExist, TypeError, ValueError):
            raise NotFound(_("Callback to the external system not found."), code="callback_not_found") from None
        if cb.state == CallbackState.DELIVERED:
            raise ValidationFailed(_("This callback was delivered; nothing to retry."), code="already_delivered")
        before = cb.state
        cb.state, cb.budget, cb.next_attempt_at = CallbackState.PENDING, param_get("notices.callback.max_attempts"), clock.now()
        cb.save(update_fields=["state", "budget", "next_attempt_at"])
        audit_record(actor=actor, action=AuditAction.OTHER, obj=cb, changes={"state": [before, cb.state]},
                     note=f"callback {cb.delivery_id} retried by hand")
    number = _claim(callback_id=cb.pk)
    if number is not None:
        callback_post(callback_id=cb.pk, number=number, manual=True)
    cb.refresh_from_db()
    return cb
