"""``send_message``: the one door for every message Kefu writes to a customer.

It renders the template, asks the opt-outs, and records the message with its
status in the caller's transaction; the worker (``sending``) sends it later,
at the outlet's rate, with retries. The idempotency key is unique: the same
request again returns the first message and sends nothing more.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.crm.selectors import customer_identified

from .. import smsparts
from ..gateways import not_ready_reason
from ..models import Message, MessageStatus, Outlet, Purpose, Template
from .optouts import optout_find
from .recipients import recipient_normalize
from .rendering import template_render

MAX_BODY = 4000
MAX_KEY = 100


@dataclass(frozen=True)
class SendOutcome:
    message: Message
    created: bool


def outlet_by_code(code: str) -> Outlet:
    outlet = Outlet.objects.filter(code=code).first()
    if outlet is None:
        raise NotFound(_("Unknown outlet %(code)s.") % {"code": code}, code="outlet_not_found")
    return outlet


def _fingerprint(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _replay(key: str, fingerprint: str) -> SendOutcome | None:
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if existing.fingerprint != fingerprint:
        raise Conflict(_("This idempotency key was used for another message."), code="idempotency_key_reused")
    return SendOutcome(message=existing, created=False)


def _content(outlet: Outlet, template_code: str, body: str, subject: str, variables: dict):
    if bool(template_code) == bool(body):
        raise ValidationFailed(_("Give either a template or a text."), code="template_or_body")
    template = None
    if template_code:
        template = Template.objects.filter(outlet=outlet, code=template_code, active=True).first()
        if template is None:
            raise ValidationFailed(_("No active template %(code)s for this outlet.") % {"code": template_code},
                                   code="template_not_found", details={"template": _("Unknown template.")})
        subject = template_render(template.subject, variables) if template.subject else ""
        body = template_render(template.body, variables)
    if not body.strip():
        raise ValidationFailed(_("The message is empty."), code="empty_message")
    if len(body) > MAX_BODY:
        raise ValidationFailed(_("The message is longer than %(n)s characters.") % {"n": MAX_BODY},
                               code="message_too_long")
    if outlet.kind == "sms":
        _encoding, segments = smsparts.count(body)
        if segments > smsparts.MAX_SEGMENTS:
            raise ValidationFailed(_("The message is too long for SMS."), code="message_too_long")
    if outlet.kind == "email" and not subject:
        subject = str(_("Message from the customer service center"))
    return template, subject[:200], body


def send_message(*, recipient: str, outlet: str, idempotency_key: str, purpose: str, template: str = "",
                 body: str = "", subject: str = "", variables: dict | None = None, customer_id: int | None = None,
                 contact_id: int | None = None, org_id: int | None = None, actor=None,
                 source: str = "api") -> SendOutcome:
    """Record a message to ``recipient`` through the outlet coded ``outlet``: queued, or suppressed when the
    customer opted out; the worker sends it. The same ``idempotency_key`` again returns the first message
    (a different request under a used key is a ``Conflict``). ``org_id`` places a message to someone who
    is not a known customer in an organisation (the sender's), for the scoped message log."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise ValidationFailed(_("An idempotency key of 1 to %(n)s characters is required.") % {"n": MAX_KEY},
                               code="idempotency_key_required")
    variables = dict(variables or {})
    fingerprint = _fingerprint(outlet=outlet, recipient=recipient, template=template, body=body, subject=subject,
                               variables=variables, purpose=purpose, customer=customer_id, contact=contact_id)
    replay = _replay(key, fingerprint)
    if replay is not None:
        return replay
    out = outlet_by_code(outlet)
    if not out.active:
        raise ValidationFailed(_("The outlet %(code)s is switched off.") % {"code": out.code}, code="outlet_inactive")
    if purpose not in Purpose.values:
        raise ValidationFailed(_("Unknown purpose."), code="invalid_purpose", details={"purpose": _("Unknown purpose.")})
    customer = customer_identified(customer_id=customer_id) if customer_id is not None else None
    if customer_id is not None and customer is None:
        raise NotFound(_("Customer not found."), code="customer_not_found")
    address = recipient_normalize(out.kind, recipient, customer_id)
    tmpl, subject, text = _content(out, template, body, subject, variables)
    now = clock.now()
    due: datetime | None = now
    status, reason = MessageStatus.QUEUED, ""
    optout = optout_find(outlet=out, recipient=address, customer_id=customer_id, purpose=purpose)
    if optout is not None:
        status, due = MessageStatus.SUPPRESSED, None
        reason = _("Opted out (%(source)s, %(date)s).") % {"source": optout.source,
                                                          "date": optout.created_at.date().isoformat()}
    elif not_ready_reason(out):
        due, reason = None, not_ready_reason(out)
    fields: dict = {
        "outlet": out, "recipient": address, "customer": customer,
        "org_id": customer.org_id if customer else org_id, "contact_id": contact_id, "purpose": purpose,
        "template": tmpl, "template_code": template, "variables": variables, "subject": subject, "body": text,
        "idempotency_key": key, "fingerprint": fingerprint, "status": status, "status_reason": str(reason)[:300],
        "next_attempt_at": due, "source": source[:16], "created_at": now,
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        "finished_at": now if status == MessageStatus.SUPPRESSED else None,
    }
    if out.kind == "sms":
        fields["encoding"], fields["segments"] = smsparts.count(text)
    try:
        with transaction.atomic():
            message = Message.objects.create(**fields)
    except IntegrityError:
        # Another request with the same key committed first.
        replay = _replay(key, fingerprint)
        if replay is None:
            raise
        return replay
    if actor is not None:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=message, changes={
            "outlet": [None, out.code], "recipient": [None, address], "purpose": [None, purpose],
            "template": [None, template or None], "status": [None, status]}, note=message.status_reason)
    return SendOutcome(message=message, created=True)
