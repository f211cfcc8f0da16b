"""Turning what the UI and the API send into service inputs: other apps' records looked up in the actor's scope.

An organisation, queue or number outside the actor's scope reads like one that
does not exist: the field says so, as for a wrong id.
"""

from __future__ import annotations

import base64
import binascii

from django.utils.translation import gettext as _

from kefu.contactcenter.selectors import queue_get
from kefu.core.errors import KefuError, ValidationFailed
from kefu.crm.selectors import subscriber_by_number
from kefu.orgs.selectors import org_internal_find

from .services.mailboxes import MailboxInput


def org_of(actor, org_id, field: str = "org"):
    org = org_internal_find(actor=actor, org_id=org_id) if org_id not in (None, "") else None
    if org is None:
        raise ValidationFailed(_("Unknown organisation."), code="invalid", details={field: _("Unknown organisation.")})
    return org


def queue_of(actor, queue_id):
    try:
        return queue_get(actor=actor, queue_id=queue_id)
    except KefuError:
        raise ValidationFailed(_("Unknown queue."), code="invalid", details={"queue": _("Unknown queue.")}) from None


def subscriber_of(actor, number: str):
    """The line the registrant names, in their scope; ``None`` for an unknown customer (no number given)."""
    number = (number or "").strip()
    if not number:
        return None
    sub = subscriber_by_number(actor=actor, number=number)
    if sub is None:
        raise ValidationFailed(_("No subscriber has number %(n)s.") % {"n": number}, code="invalid",
                               details={"subscriber_number": _("Unknown number.")})
    return sub


def mailbox_input(actor, data: dict) -> MailboxInput:
    return MailboxInput(
        hotline=data.get("hotline") or "", name=data.get("name") or "", org=org_of(actor, data.get("org")),
        queue=queue_of(actor, data.get("queue")), imap_host=data.get("imap_host") or "",
        imap_port=data.get("imap_port") if isinstance(data.get("imap_port"), int) else 0,
        imap_security=data.get("imap_security") or "", imap_user=data.get("imap_user") or "",
        folder=data.get("folder") or "INBOX", smtp_from=data.get("smtp_from") or "",
        enabled=bool(data.get("enabled", True)), password=data.get("password") or None,
    )


def scan_bytes(text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(_("The scan is not valid base64."), code="invalid",
                               details={"scan_base64": _("not base64")}) from None
