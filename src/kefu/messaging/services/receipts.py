"""Read receipts: a recipient opened a message (``message_read``) or confirmed a pop-up
(``message_acknowledge``). Each is recorded once, on the recipient's delivery row, with an audit entry;
the recipient's other open pages are told, so a pop-up confirmed in one tab closes in the others."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.contactcenter.services.realtime import push
from kefu.core import clock
from kefu.core.errors import NotFound

from ..models import Delivery
from .sending import notify_group


def _delivery(actor, message_id) -> Delivery:
    try:
        # messaging_delivery_unique covers (message, recipient)
        d = Delivery.objects.select_related("message").filter(message_id=int(message_id), recipient=actor).first()
    except (TypeError, ValueError, OverflowError):
        d = None
    if d is None:
        raise NotFound(_("Message not found."), code="message_not_found")
    return d


@transaction.atomic
def message_read(*, actor, message_id) -> Delivery:
    """Record that ``actor`` opened the message (the first time only)."""
    d = _delivery(actor, message_id)
    if d.read_at is None:
        now = clock.now()
        # Conditional: of two tabs opening it at once, one records the time.
        if Delivery.objects.filter(pk=d.pk, read_at__isnull=True).update(read_at=now):
            d.read_at = now
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=d.message,
                         changes={"read_at": [None, now]}, note=_("Read receipt"))
            push(notify_group(actor.pk), {"type": "message.read", "id": d.message_id})
    return d


@transaction.atomic
def message_acknowledge(*, actor, message_id) -> Delivery:
    """Record that ``actor`` confirmed the message (a pop-up must be confirmed); it is then read too."""
    d = _delivery(actor, message_id)
    if d.acknowledged_at is None:
        now = clock.now()
        changed = Delivery.objects.filter(pk=d.pk, acknowledged_at__isnull=True).update(acknowledged_at=now)
        if changed:
            changes = {"acknowledged_at": [None, now]}
            if d.read_at is None:
                Delivery.objects.filter(pk=d.pk, read_at__isnull=True).update(read_at=now)
                d.read_at = now
                changes["read_at"] = [None, now]
            d.acknowledged_at = now
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=d.message, changes=changes,
                         note=_("Acknowledged"))
            push(notify_group(actor.pk), {"type": "message.read", "id": d.message_id})
    return d
