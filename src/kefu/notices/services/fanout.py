"""Fan-out: a request's recipients handed to the outlets a chunk at a time, never all in memory.

A worker claims one request (a lease in ``claimed_until``/``claimed_by``), then per chunk, in one
transaction: reads the next recipients from the list or the rule (a keyset walk over subscribers), drops
the numbers that unsubscribed from the kind, hands the rest to ``outlets.send_messages_bulk`` (key
``n<request>:<number>``: a repeated chunk after a crash finds its messages and writes none twice), writes a
row per recipient, moves the cursor and the counters, and makes a callback for the results already final
(unsubscribed, opted out, invalid). Messages wait until the window opens and outside quiet hours.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from kefu.billing.selectors import arrears_by_account
from kefu.core import clock
from kefu.core.bulkinsert import bulk_insert
from kefu.crm.selectors import subscriber_batch, subscriber_customers
from kefu.orgs.selectors import org_find
from kefu.outlets.services.bulk import CONFLICT, INVALID, BulkItem, send_messages_bulk
from kefu.params.selectors import param_get

from ..kinds import PURPOSES, quiet_release
from ..models import NoticeRecipient, NoticeRequest, RecipientStatus, RequestState, Subscription
from .callbacks import callback_create

CHUNK = 2000
_RECIPIENT_COLUMNS = ("request_id", "number", "customer_id", "message_id", "status", "reason", "callback_id")
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Target:
    number: str
    customer_id: int | None
    variables: dict


def not_before(req: NoticeRequest, now: datetime) -> datetime:
    """When the request's messages may go: the window's start, then the end of quiet hours."""
    moment = max(now, req.window_start) if req.window_start else now
    if param_get("notices.quiet_hours"):
        local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
        release = quiet_release(local, start=param_get("notices.quiet_start"), end=param_get("notices.quiet_end"))
        if release is not None:
            moment = release
    return moment


def _list_chunk(req: NoticeRequest, size: int) -> tuple[list[Target], int, bool]:
    items = req.recipients[req.fanout_cursor:req.fanout_cursor + size]
    customers = subscriber_customers([i["number"] for i in items]) if req.outlet != "email" else {}
    targets = [Target(i["number"], customers.get(i["number"]), i.get("variables") or {}) for i in items]
    cursor = req.fanout_cursor + len(items)
    return targets, cursor, cursor >= len(req.recipients)


def _rule_chunk(req: NoticeRequest, size: int) -> tuple[list[Target], int, bool]:
    rule = req.rule
    org = org_find(code=rule["org"]) if rule.get("org") else None
    rows = subscriber_batch(after_id=req.fanout_cursor, limit=size, org_path=org.path if org else "",
                            brands=rule.get("brands") or (), tiers=rule.get("tiers") or ())
    if not rows:
        return [], req.fanout_cursor, True
    owed = arrears_by_account({r[3] for r in rows}) if "min_arrears" in rule else {}
    threshold = Decimal(rule["min_arrears"]) if "min_arrears" in rule else None
    targets = []
    for _pk, number, customer_id, account_id in rows:
        variables = {"number": number}
        if threshold is not None:
            amount = owed.get(account_id)
            if amount is None or amount <= threshold:
                continue
            variables["amount"] = f"{amount:.2f}"
        targets.append(Target(number, customer_id, variables))
    return targets, rows[-1][0], len(rows) < size


def _unsubscribed(kind: str, numbers: list[str]) -> set[str]:
    # notices_subscription_unique leads with number
    return set(Subscription.objects.filter(number__in=numbers, kind=kind, subscribed=False)
               .values_list("number", flat=True))


_STATUS = {"queued": RecipientStatus.PENDING, "sent": RecipientStatus.PENDING, "delivered": RecipientStatus.DELIVERED,
           "failed": RecipientStatus.FAILED, "suppressed": RecipientStatus.OPTED_OUT, INVALID: RecipientStatus.INVALID,
           CONFLICT: RecipientStatus.INVALID}


def fanout_chunk(*, request_id: int, worker: str, size: int = CHUNK) -> tuple[bool, int]:
    """Hand the next chunk of the request's recipients to the outlets: (fanned out — or no longer held by
    ``worker`` —, recipients written)."""
    with transaction.atomic():
        req = NoticeRequest.objects.select_for_update().filter(pk=request_id, claimed_by=worker).first()
        if req is None or req.state not in (RequestState.RECEIVED, RequestState.PUBLISHING):
            return True, 0
        now = clock.now()
        chunk = _rule_chunk if req.rule else _list_chunk
        targets, cursor, exhausted = chunk(req, size)
        unsubscribed = _unsubscribed(req.kind, [t.number for t in targets])
        closed = bool(req.window_end and req.window_end <= now)
        sendable = [] if closed else [t for t in targets if t.number not in unsubscribed]
        common = dict(req.variables)
        outcomes = [] if not sendable else send_messages_bulk(
            outlet=req.outlet, purpose=PURPOSES[req.kind], template=req.template, body=req.body, subject=req.subject,
            priority=req.priority, not_before=not_before(req, now), source="notice", org_id=req.system.org_id,
            items=[BulkItem(recipient=t.number, idempotency_key=f"n{req.pk}:{t.number}",
                            variables={**common, **t.variables}, customer_id=t.customer_id) for t in sendable])
        unsub_reason = str(_("Unsubscribed from this kind of notice."))
        closed_reason = str(_("The time window of the request closed before it was sent."))
        # (number, customer, message, status, reason) per recipient: plain tuples, a chunk holds thousands
        rows: list[tuple[str, int | None, int | None, str, str]] = [
            (t.number, t.customer_id, None, RecipientStatus.UNSUBSCRIBED.value, unsub_reason)
                for t in targets if t.number in unsubscribed]
        if closed:
            rows += [(t.number, t.customer_id, None, RecipientStatus.FAILED.value, closed_reason)
                     for t in targets if t.number not in unsubscribed]
        for t, o in zip(sendable, outcomes, strict=True):
            rows.append((t.number, t.customer_id, o.message_id, _STATUS.get(o.status, RecipientStatus.PENDING).value,
                         o.reason[:300] if o.status != "queued" else ""))
        ids = bulk_insert(NoticeRecipient, _RECIPIENT_COLUMNS, [(req.pk, *r, None) for r in rows])
        counts: dict[str, int] = {}
        for r in rows:
            counts[r[3]] = counts.get(r[3], 0) + 1
        updates = {status: F(status) + n for status, n in counts.items()}
        NoticeRequest.objects.filter(pk=req.pk).update(
            fanout_cursor=cursor, total=F("total") + len(rows), claimed_until=now + LEASE,
            state=RequestState.PUBLISHED if exhausted else RequestState.PUBLISHING,
            published_at=now if exhausted else None, **updates)
        settled = [pk for pk, r in zip(ids, rows, strict=True) if r[3] != RecipientStatus.PENDING]
        if settled:
            callback_create(request_id=req.pk, recipient_ids=settled)
        return exhausted, len(rows)


def fanout_claim(*, worker: str) -> int | None:
    """Take the oldest request waiting for fan-out (or one whose worker's lease ran out); its id."""
    now = clock.now()
    waiting = Q(state=RequestState.RECEIVED) | Q(state=RequestState.PUBLISHING)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    # notices_request_state_idx
    for pk in (NoticeRequest.objects.filter(waiting, free).order_by("-priority", "created_at", "id")
               .values_list("pk", flat=True)[:5]):
        if NoticeRequest.objects.filter(free, pk=pk).update(claimed_until=now + LEASE, claimed_by=worker[:100]):
            return pk
    return None


def requests_fanout(*, worker: str, deadline_seconds: float = 20.0, size: int = CHUNK) -> int:
    """Fan out waiting requests until none waits or the deadline; recipients handed over."""
    started, handed = time.monotonic(), 0
    while time.monotonic() - started < deadline_seconds:
        request_id = fanout_claim(worker=worker)
        if request_id is None:
            break
        while time.monotonic() - started < deadline_seconds:
            done, written = fanout_chunk(request_id=request_id, worker=worker, size=size)
            handed += written
            if done:
                break
        NoticeRequest.objects.filter(pk=request_id, claimed_by=worker[:100]).update(claimed_until=None, claimed_by="")
    return handed
