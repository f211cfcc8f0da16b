"""Customers' choices of which notices they receive (信息发布定制), whatever the door: an SMS keyword, an agent
on the customer page, the subscriptions page, the API. One write path; every change audited.

The same choice again changes nothing and logs nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.crm.selectors import subscriber_identify_caller
from kefu.outlets.services.recipients import number_normalize
from kefu.params.selectors import param_get

from ..kinds import NoticeKind, sms_keyword_parse
from ..models import Subscription

SOURCES = ("sms", "agent", "web", "api", "ivr")


@transaction.atomic
def subscription_set(*, actor, number: str, kind: str, subscribed: bool, source: str,
                     customer_id: int | None = None) -> Subscription:
    """Record that ``number`` does (not) want notices of ``kind``."""
    if kind not in NoticeKind.values:
        raise ValidationFailed(_("Unknown kind of notice."), code="invalid_kind", details={"kind": _("Unknown kind.")})
    if source not in SOURCES:
        raise ValidationFailed(_("Unknown source."), code="invalid_source")
    number = number_normalize(number)
    if customer_id is None:
        line = subscriber_identify_caller(number=number)
        customer_id = line.customer_id if line else None
    staff = actor if getattr(actor, "is_authenticated", False) else None
    row = Subscription.objects.select_for_update().filter(number=number, kind=kind).first()
    before = row.subscribed if row else True
    if row is None:
        try:
            with transaction.atomic():
                row = Subscription.objects.create(number=number, kind=kind, subscribed=subscribed, source=source,
                                                  customer_id=customer_id, changed_by=staff)
        except IntegrityError:  # the same number and kind written at once by another door
            row = Subscription.objects.select_for_update().get(number=number, kind=kind)
            before = row.subscribed
    if row.subscribed != subscribed:
        row.subscribed, row.source, row.changed_at, row.changed_by = subscribed, source, clock.now(), staff
        row.customer_id = customer_id or row.customer_id
        row.save()
    if before != subscribed:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, changes={"subscribed": [before, subscribed]},
                     note=f"{number} {kind} via {source}")
    return row


def subscription_sms_keyword(*, sender: str, text: str, customer_id: int | None) -> str | None:
    """The outlets' inbound keyword hook: "TD优惠" unsubscribes the sender from promotions, "DY优惠" subscribes
    again; the reply confirms it. ``None`` for any other text."""
    parsed = sms_keyword_parse(text, unsubscribe=str(param_get("notices.sms_unsubscribe")),
                               subscribe=str(param_get("notices.sms_subscribe")))
    if parsed is None:
        return None
    kind, subscribed = parsed
    subscription_set(actor="sms", number=sender, kind=kind, subscribed=subscribed, source="sms",
                     customer_id=customer_id)
    with translation.override(settings.LANGUAGE_CODE):
        label = NoticeKind(kind).label
        if subscribed:
            return str(_("You will receive %(kind)s messages again.") % {"kind": label})
        return str(_("You will no longer receive %(kind)s messages.") % {"kind": label})
