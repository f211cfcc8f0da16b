"""Replies to a customer who wrote by SMS: the agent's text goes out through the SMS outlet."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.contactcenter.selectors import contact_get
from kefu.contactcenter.services.contacts import contact_event_record
from kefu.core.errors import ValidationFailed

from ..models import Outlet, OutletKind
from .messages import SendOutcome, send_message


@transaction.atomic
def contact_reply_send(*, actor, contact_id: int, text: str, idempotency_key: str = "") -> SendOutcome:
    """Send ``text`` to the number an SMS contact came from (a contact outside the actor's scope is not found)."""
    contact = contact_get(actor=actor, contact_id=contact_id)
    if contact.channel != "sms":
        raise ValidationFailed(_("Only a contact that came by SMS is answered by SMS."), code="not_sms_contact")
    outlet = Outlet.objects.filter(kind=OutletKind.SMS, active=True).order_by("code").first()
    if outlet is None:
        raise ValidationFailed(_("No SMS outlet is active."), code="outlet_inactive")
    outcome = send_message(recipient=contact.caller, outlet=outlet.code, body=text, purpose="reply",
                           idempotency_key=idempotency_key or f"reply-{contact.pk}-{uuid.uuid4().hex}",
                           customer_id=contact.customer_id, contact_id=contact.pk,
                           org_id=getattr(actor, "org_id", None), actor=actor, source="reply")
    if outcome.created:
        contact_event_record(contact=contact, kind="sms_out", data={"message": outcome.message.pk,
                                                                     "text": text[:2000]})
    return outcome
