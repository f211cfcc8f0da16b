"""Following a request after fan-out: outcomes read back from the outlets, the window's end, quiet hours,
and the request's end — each settled result put in a callback in the transaction that settles it.

Per pass and request (job ``follow_requests``): up to ``SYNC`` pending recipients from ``sync_cursor`` (it
wraps, so a message stuck in retries does not hide the ones behind it) are compared with their messages;
final ones are settled and reported. When the window has closed the queued messages are withdrawn (they fail
as "expired" and are settled like any failure). During quiet hours the queued messages are held until they
end, a chunk per pass. A request fanned out with nothing pending gets its final callback and is finished.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.outlets.selectors import message_outcomes, outlet_get
from kefu.outlets.services.bulk import messages_postpone, messages_withdraw
from kefu.params.selectors import param_get

from ..kinds import quiet_release
from ..models import NoticeRecipient, NoticeRequest, RecipientStatus, RequestState
from .callbacks import callback_create

SYNC = 2000
WITHDRAW_CHUNK = 5000

_FINAL = {"delivered": RecipientStatus.DELIVERED, "failed": RecipientStatus.FAILED,
          "suppressed": RecipientStatus.OPTED_OUT}


def _settle_status(status: str, sent_at: datetime | None, *, waits_for_report: bool, now: datetime,
                   wait: timedelta) -> str | None:
    if status in _FINAL:
        return _FINAL[status]
    if status == "sent" and (not waits_for_report or (sent_at is not None and sent_at + wait <= now)):
        return RecipientStatus.SENT
    return None


def request_sync(*, request_id: int, limit: int = SYNC) -> int:
    """Settle the pending recipients (from the cursor) whose messages are final; how many were settled."""
    with transaction.atomic():
        req = NoticeRequest.objects.select_for_update().get(pk=request_id)
        # notices_recipient_status_idx
        rows = list(NoticeRecipient.objects.filter(request=req, status=RecipientStatus.PENDING, id__gt=req.sync_cursor)
                    .order_by("id").only("id", "message_id", "status", "reason")[:limit])
        cursor = rows[-1].pk if len(rows) == limit else 0
        outcomes = message_outcomes(r.message_id for r in rows)
        waits = outlet_get(code=req.outlet).kind == "sms"
        now, wait = clock.now(), param_get("notices.report_wait")
        settled = []
        for r in rows:
            status, reason, sent_at = outcomes.get(r.message_id or 0, ("failed", "message not found", None))
            final = _settle_status(status, sent_at, waits_for_report=waits, now=now, wait=wait)
            if final is not None:
                r.status, r.reason = final, (reason or "")[:300]
                settled.append(r)
        if settled:
            NoticeRecipient.objects.bulk_update(settled, ["status", "reason"], batch_size=500)
            counts: dict[str, int] = {}
            for r in settled:
                counts[r.status] = counts.get(r.status, 0) + 1
            NoticeRequest.objects.filter(pk=req.pk).update(
                pending=F("pending") - len(settled), sync_cursor=cursor,
                **{status: F(status) + n for status, n in counts.items()})
            callback_create(request_id=req.pk, recipient_ids=[r.pk for r in settled])
        else:
            NoticeRequest.objects.filter(pk=req.pk).update(sync_cursor=cursor)
        return len(settled)


def request_expire(*, request_id: int) -> int:
    """The window closed: withdraw every queued message of the request (they fail as expired)."""
    reason = str(_("The time window of the request closed before it was sent."))
    req = NoticeRequest.objects.get(pk=request_id)
    after, withdrawn = 0, 0
    while True:
        ids = list(NoticeRecipient.objects.filter(request=req, status=RecipientStatus.PENDING, id__gt=after)
                   .order_by("id").values_list("id", "message_id")[:WITHDRAW_CHUNK])
        if not ids:
            break
        withdrawn += messages_withdraw(message_ids=[m for _i, m in ids if m], reason=reason)
        after = ids[-1][0]
    NoticeRequest.objects.filter(pk=req.pk).update(expired=True, sync_cursor=0)
    return withdrawn


def request_quiet(*, request_id: int, release: datetime) -> None:
    """Hold the request's queued messages until ``release`` (the end of the quiet hours), a chunk per call."""
    req = NoticeRequest.objects.get(pk=request_id)
    ids = list(NoticeRecipient.objects.filter(request=req, status=RecipientStatus.PENDING, id__gt=req.quiet_cursor)
               .order_by("id").values_list("id", "message_id")[:WITHDRAW_CHUNK])
    messages_postpone(message_ids=[m for _i, m in ids if m], until=release)
    if len(ids) < WITHDRAW_CHUNK:
        NoticeRequest.objects.filter(pk=req.pk).update(quiet_until=release, quiet_cursor=0)
    else:
        NoticeRequest.objects.filter(pk=req.pk).update(quiet_cursor=ids[-1][0])


def request_finish(*, request_id: int) -> bool:
    """Finish a fanned-out request with nothing pending: its final callback; True when finished now."""
    with transaction.atomic():
        req = NoticeRequest.objects.select_for_update().get(pk=request_id)
        if req.state != RequestState.PUBLISHED or req.pending:
            return False
        NoticeRequest.objects.filter(pk=req.pk).update(state=RequestState.FINISHED, finished_at=clock.now())
        callback_create(request_id=req.pk, recipient_ids=[], final=True)
        return True


def requests_follow() -> int:
    """One pass over the requests not finished (see the module); results settled."""
    now = clock.now()
    quiet = None
    if param_get("notices.quiet_hours"):
        quiet = quiet_release(now.astimezone(ZoneInfo(settings.TIME_ZONE)), start=param_get("notices.quiet_start"),
                              end=param_get("notices.quiet_end"))
    settled = 0
    # notices_request_state_idx
    for req in NoticeRequest.objects.filter(state__in=(RequestState.PUBLISHING, RequestState.PUBLISHED)).only(
            "pk", "window_end", "expired", "quiet_until", "state"):
        if req.window_end and req.window_end <= now and not req.expired:
            request_expire(request_id=req.pk)
        elif quiet is not None and (req.quiet_until is None or req.quiet_until < quiet):
            request_quiet(request_id=req.pk, release=quiet)
        settled += request_sync(request_id=req.pk)
        request_finish(request_id=req.pk)
    return settled
