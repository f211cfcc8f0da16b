"""Letters and walk-in visits registered by staff: each one a contact of its own channel.

The customer is the one whose line the registrant names (looked up in their
scope), or unknown. A scanned letter is kept with the same checks as a work
order's attachment. The contact is recorded as over at once: the letter was
received, the visitor was served; what remains becomes a work order.
"""

from __future__ import annotations

import hashlib
import os

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create
from kefu.contactcenter.services.contacts import contact_arrive, contact_end, contact_event_record
from kefu.core import clock
from kefu.core.errors import KefuError, ValidationFailed
from kefu.workorders.services.attachments import attachment_check, attachment_name

from ..models import Registration

FIELDS = ("kind", "contact", "org", "customer", "subscriber", "person", "reply_address", "received_at",
          "scan_name", "scan_size", "scan_sha256")


@transaction.atomic
def registration_create(*, actor, kind: str, org, summary: str, subscriber=None, person: str = "",
                        reply_address: str = "", received_at=None, scan_name: str = "", scan_data: bytes | None = None
                        ) -> Registration:
    errors = {}
    if kind not in Registration.Kind.values:
        errors["kind"] = _("Choose letter or walk-in.")
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = _("Write what the customer asks.")
    elif len(summary) > 5000:
        errors["summary"] = _("At most 5000 characters.")
    if org is None:
        errors["org"] = _("Choose where it was received.")
    if received_at is not None and received_at > clock.now():
        errors["received_at"] = _("The time is in the future.")
    name = ""
    if scan_data is not None:
        name = attachment_name(scan_name)
        try:
            attachment_check(name, scan_data)
        except KefuError as exc:
            errors["scan"] = str(exc.message)
    if errors:
        raise ValidationFailed(_("The registration is not valid; see details."), code="invalid_registration",
                               details=errors)
    contact = contact_arrive(caller=subscriber.number if subscriber is not None else "", called="", channel=kind)
    contact_event_record(contact=contact, kind="registered", data={"by": actor.employee_no, "org": org.code})
    contact_end(contact_id=contact.pk, by_switch=True)
    reg = Registration(kind=kind, contact=contact, org=org, customer=subscriber.customer if subscriber else None,
                       subscriber=subscriber, person=(person or "").strip()[:100],
                       reply_address=(reply_address or "").strip()[:200], summary=summary,
                       received_at=received_at or clock.now(), registered_by=actor)
    if scan_data is not None:
        digest = hashlib.sha256(scan_data).hexdigest()
        reg.scan_name, reg.scan_size, reg.scan_sha256 = name, len(scan_data), digest
        reg.scan.save(f"{digest[:32]}{os.path.splitext(name)[1].lower()}", ContentFile(scan_data), save=False)
    reg.save()
    audit_create(actor=actor, obj=reg, fields=FIELDS)
    return reg
