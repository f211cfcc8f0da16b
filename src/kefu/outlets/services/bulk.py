"""``send_messages_bulk``: many recipients of one text or template at once, with ``send_message``'s rules.

For callers that publish to thousands or millions of recipients (notices on behalf of billing) in chunks:
one query for the keys already used, one for the customers, one for the opt-outs and one multi-row INSERT
per chunk, where ``send_message`` would take several queries per message. Same semantics: the idempotency
key is unique and the fingerprint is ``send_message``'s, so a repeated item returns its first message (and a
key used for another message is a conflict, reported on that item, not raised, so the chunk goes on); an
opted-out recipient's message is recorded ``suppressed``; an item that cannot become a message (bad number,
variable missing) is reported ``invalid`` and writes nothing. ``not_before`` holds messages until then
(a time window, quiet hours); ``priority`` puts them ahead of the outlet's other due messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.bulkinsert import bulk_insert
from kefu.core.errors import KefuError, ValidationFailed
from kefu.crm.selectors import customer_orgs

from .. import smsparts
from ..gateways import not_ready_reason
from ..models import Message, MessageStatus, OptOut, Outlet, Purpose, Template
from ..models.message import REQUESTED_PURPOSES
from .messages import MAX_BODY, MAX_KEY, _fingerprint, outlet_by_code
from .recipients import recipient_normalize
from .rendering import template_for_many

#: Items per call: the caller streams its recipients in chunks of at most this many.
MAX_ITEMS = 5000


@dataclass(frozen=True)
class BulkItem:
    recipient: str
    idempotency_key: str
    variables: dict = field(default_factory=dict)
    customer_id: int | None = None


@dataclass(frozen=True)
class BulkOutcome:
    """What became of one item: ``status`` is the message's (``queued``, ``suppressed``, or the status of the
    message an earlier call made), or ``invalid`` / ``conflict`` when no message was written."""

    key: str
    message_id: int | None
    status: str
    reason: str
    created: bool


INVALID, CONFLICT = "invalid", "conflict"

#: Every column of ``Message`` a bulk insert writes (the others keep their database defaults' values here).
_COLUMNS = ("outlet_id", "recipient", "customer_id", "org_id", "contact_id", "purpose", "template_id",
            "template_code", "variables", "subject", "body", "idempotency_key", "fingerprint", "status",
            "status_reason", "attempts", "priority", "next_attempt_at", "claimed_by", "gateway_ref", "encoding",
            "segments", "source", "created_by_id", "created_at", "sent_at", "finished_at")


def _optouts(outlet: Outlet, purpose: str, addresses: set[str], customers: set[int]) -> tuple[dict, dict]:
    which = Q(purpose=purpose) if purpose in REQUESTED_PURPOSES else Q(purpose="") | Q(purpose=purpose)
    who = Q(address__in=addresses)
    if customers:
        who |= Q(customer_id__in=customers)
    by_address: dict[str, OptOut] = {}
    by_customer: dict[int, OptOut] = {}
    # outlets_optout_address_idx / outlets_optout_customer_idx; oldest first, as optout_find
    for row in OptOut.objects.filter(who, which, Q(outlet__isnull=True) | Q(outlet=outlet),
                                     revoked_at__isnull=True).order_by("created_at", "id"):
        if row.address:
            by_address.setdefault(row.address, row)
        if row.customer_id:
            by_customer.setdefault(row.customer_id, row)
    return by_address, by_customer


def _suppressed_reason(optout: OptOut) -> str:
    return str(_("Opted out (%(source)s, %(date)s).") % {"source": optout.source,
                                                         "date": optout.created_at.date().isoformat()})


def send_messages_bulk(*, outlet: str, purpose: str, items: list[BulkItem], template: str = "", body: str = "",
                       subject: str = "", priority: int = 0, not_before: datetime | None = None,
                       source: str = "bulk", org_id: int | None = None) -> list[BulkOutcome]:
    """Record one message per item (see the module); outcomes in the order of ``items``. Raises only for what
    is wrong with the whole call (unknown outlet or template, purpose, too many items)."""
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(_("At most %(n)s messages per call.") % {"n": MAX_ITEMS}, code="too_many_items")
    if purpose not in Purpose.values:
        raise ValidationFailed(_("Unknown purpose."), code="invalid_purpose", details={"purpose": _("Unknown purpose.")})
    out = outlet_by_code(outlet)
    if not out.active:
        raise ValidationFailed(_("The outlet %(code)s is switched off.") % {"code": out.code}, code="outlet_inactive")
    if bool(template) == bool(body):
        raise ValidationFailed(_("Give either a template or a text."), code="template_or_body")
    tmpl = None
    if template:
        tmpl = Template.objects.filter(outlet=out, code=template, active=True).first()
        if tmpl is None:
            raise ValidationFailed(_("No active template %(code)s for this outlet.") % {"code": template},
                                   code="template_not_found", details={"template": _("Unknown template.")})
        compiled_body = template_for_many(tmpl.body)
        compiled_subject = template_for_many(tmpl.subject) if tmpl.subject else None
    else:
        compiled_body = template_for_many(body) if ("{{" in body or "{%" in body) else None
        compiled_subject = None
    waiting_reason = not_ready_reason(out)
    for _round in range(3):
        try:
            return _write(out=out, tmpl=tmpl, template=template, body=body, subject=subject, purpose=purpose,
                          items=items, compiled_body=compiled_body, compiled_subject=compiled_subject,
                          priority=priority, not_before=not_before, source=source, org_id=org_id,
                          waiting_reason=waiting_reason)
        except IntegrityError:
            continue  # another call wrote some of these keys meanwhile: read them again and go on
    raise ValidationFailed(_("The messages could not be recorded; try again."), code="bulk_conflict")


def _write(*, out, tmpl, template, body, subject, purpose, items, compiled_body, compiled_subject, priority,
           not_before, source, org_id, waiting_reason) -> list[BulkOutcome]:
    keys = [i.idempotency_key.strip() for i in items]
    existing = {row[0]: row[1:] for row in Message.objects.filter(idempotency_key__in=keys).values_list(
        "idempotency_key", "pk", "fingerprint", "status", "status_reason")}
    orgs = customer_orgs(i.customer_id for i in items)
    now = clock.now()
    due = max(now, not_before) if not_before else now
    outcomes: list[BulkOutcome | None] = [None] * len(items)
    pending: list[tuple[int, dict]] = []
    addresses: set[str] = set()
    for n, (item, key) in enumerate(zip(items, keys, strict=True)):
        variables = dict(item.variables or {})
        fingerprint = _fingerprint(outlet=out.code, recipient=item.recipient, template=template, body=body,
                                   subject=subject, variables=variables, purpose=purpose, customer=item.customer_id,
                                   contact=None)
        if key in existing:
            pk, fp, status, reason = existing[key]
            outcomes[n] = (BulkOutcome(key, pk, status, reason, False) if fp == fingerprint else
                           BulkOutcome(key, None, CONFLICT, str(_("This idempotency key was used for another "
                                                                  "message.")), False))
            continue
        try:
            if not key or len(key) > MAX_KEY:
                raise ValidationFailed(_("An idempotency key of 1 to %(n)s characters is required.") % {"n": MAX_KEY})
            if item.customer_id is not None and item.customer_id not in orgs:
                raise ValidationFailed(_("Customer not found."))
            address = recipient_normalize(out.kind, item.recipient, item.customer_id)
            text = compiled_body(variables) if compiled_body else body
            subj = (compiled_subject(variables) if compiled_subject
                    else (tmpl.subject if tmpl else subject))
            if not text.strip():
                raise ValidationFailed(_("The message is empty."))
            if len(text) > MAX_BODY:
                raise ValidationFailed(_("The message is longer than %(n)s characters.") % {"n": MAX_BODY})
            encoding, segments = smsparts.count(text) if out.kind == "sms" else ("", 0)
            if segments > smsparts.MAX_SEGMENTS:
                raise ValidationFailed(_("The message is too long for SMS."))
        except KefuError as exc:
            outcomes[n] = BulkOutcome(key, None, INVALID, str(exc.message)[:300], False)
            continue
        if out.kind == "email" and not subj:
            subj = str(_("Message from the customer service center"))
        addresses.add(address)
        pending.append((n, {
            "outlet_id": out.pk, "recipient": address, "customer_id": item.customer_id,
            "org_id": orgs[item.customer_id] if item.customer_id is not None else org_id, "purpose": purpose,
            "contact_id": None, "template_id": tmpl.pk if tmpl else None, "template_code": template,
            "variables": variables, "subject": subj[:200], "body": text, "idempotency_key": key,
            "fingerprint": fingerprint, "status": MessageStatus.QUEUED.value, "status_reason": waiting_reason[:300],
            "attempts": 0, "priority": priority, "next_attempt_at": None if waiting_reason else due,
            "claimed_by": "", "gateway_ref": "", "encoding": encoding, "segments": segments, "source": source[:16],
            "created_by_id": None, "created_at": now, "sent_at": None, "finished_at": None}))
    if pending:
        by_address, by_customer = _optouts(out, purpose, addresses,
                                           {m["customer_id"] for _n, m in pending if m["customer_id"] is not None})
        for _n, m in pending:
            found = [o for o in (by_address.get(m["recipient"]), by_customer.get(m["customer_id"])) if o is not None]
            if found:
                optout = min(found, key=lambda o: (o.created_at, o.pk))
                m.update(status=MessageStatus.SUPPRESSED.value, next_attempt_at=None, finished_at=now,
                         status_reason=_suppressed_reason(optout)[:300])
        with transaction.atomic():
            ids = bulk_insert(Message, _COLUMNS, [[m[f] for f in _COLUMNS] for _n, m in pending])
        for (n, m), pk in zip(pending, ids, strict=True):
            outcomes[n] = BulkOutcome(m["idempotency_key"], pk, m["status"], m["status_reason"], True)
    return [o for o in outcomes if o is not None]


def messages_withdraw(*, message_ids, reason: str) -> int:
    """Fail the still queued ones of ``message_ids`` with ``reason`` (e.g. a notice whose time window closed).
    Returns how many were withdrawn. A message a worker is handing to its gateway at this moment may still go
    out; its attempt is then kept as history beside the withdrawn status (see ``sending._record``)."""
    ids = [int(i) for i in message_ids]
    if not ids:
        return 0
    now = clock.now()
    return Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(
        status=MessageStatus.FAILED, status_reason=reason[:300], next_attempt_at=None, finished_at=now)


def messages_postpone(*, message_ids, until: datetime) -> int:
    """Hold the queued ones of ``message_ids`` that would be due before ``until`` (quiet hours) until then."""
    ids = [int(i) for i in message_ids]
    if not ids:
        return 0
    return Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED, next_attempt_at__lt=until).update(
        next_attempt_at=until)
