"""Reads of the outlets: messages scoped by the organisation of their customer, templates, opt-outs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kefu.contactcenter.selectors import contact_events, contact_get
from kefu.core.errors import NotFound
from kefu.orgs.selectors import scope_queryset

from .models import Attempt, InboundSms, Message, MessageStatus, OptOut, Outlet, RecordedSms, Template


@dataclass(frozen=True)
class MessageFilters:
    status: str = ""
    outlet: str = ""
    purpose: str = ""
    recipient: str = ""
    since: datetime | None = None
    until: datetime | None = None


def message_list(*, actor, filters: MessageFilters) -> QuerySet[Message]:
    """Messages to customers of the actor's organisations (messages to unknown numbers: center-wide viewers
    only), newest first."""
    qs = scope_queryset(Message.objects.select_related("outlet", "customer"), actor, field="org")
    if filters.status:
        qs = qs.filter(status=filters.status)  # outlets_msg_status_idx
    if filters.outlet:
        qs = qs.filter(outlet__code=filters.outlet)
    if filters.purpose:
        qs = qs.filter(purpose=filters.purpose)
    if filters.recipient:
        qs = qs.filter(recipient__startswith=filters.recipient.strip())  # outlets_msg_recipient_idx
    if filters.since:
        qs = qs.filter(created_at__gte=filters.since)
    if filters.until:
        qs = qs.filter(created_at__lt=filters.until)
    return qs.order_by("-created_at", "-id")


def message_get(*, actor, message_id) -> Message:
    try:
        message = message_list(actor=actor, filters=MessageFilters()).filter(pk=int(message_id)).first()
    except (TypeError, ValueError):
        message = None
    if message is None:
        raise NotFound(_("Message not found."), code="message_not_found")
    return message


def message_by_key(*, actor, key: str) -> Message | None:
    return message_list(actor=actor, filters=MessageFilters()).filter(idempotency_key=key).first()


def message_attempts(message: Message) -> QuerySet[Attempt]:
    return message.attempt_rows.order_by("number")


def message_recorded(message: Message) -> RecordedSms | None:
    """What the development gateway recorded for this message, if it went that way."""
    if not message.gateway_ref:
        return None
    return RecordedSms.objects.filter(gateway_ref=message.gateway_ref).first()


def recorded_sms(*, recipient: str = "", limit: int = 200) -> list[RecordedSms]:
    qs = RecordedSms.objects.all()
    if recipient:
        qs = qs.filter(recipient=recipient)  # outlets_recorded_to_idx
    return list(qs.order_by("-sent_at", "-id")[:limit])


def outlet_list() -> QuerySet[Outlet]:
    return Outlet.objects.order_by("code")


def outlet_get(*, code: str) -> Outlet:
    outlet = Outlet.objects.filter(code=code).first()
    if outlet is None:
        raise NotFound(_("Unknown outlet %(code)s.") % {"code": code}, code="outlet_not_found")
    return outlet


def template_list(*, outlet: str = "") -> QuerySet[Template]:
    qs = Template.objects.select_related("outlet", "updated_by")
    if outlet:
        qs = qs.filter(outlet__code=outlet)
    return qs.order_by("outlet__code", "code")


def template_get(*, template_id) -> Template:
    try:
        t = Template.objects.select_related("outlet", "updated_by").filter(pk=int(template_id)).first()
    except (TypeError, ValueError):
        t = None
    if t is None:
        raise NotFound(_("Template not found."), code="template_not_found")
    return t


def optout_list(*, active: bool | None = True, search: str = "") -> QuerySet[OptOut]:
    qs = OptOut.objects.select_related("outlet", "customer", "created_by")
    if active is True:
        qs = qs.filter(revoked_at__isnull=True)
    elif active is False:
        qs = qs.filter(revoked_at__isnull=False)
    if search:
        qs = qs.filter(Q(address__startswith=search.strip()) | Q(customer__name__contains=search.strip()))
    return qs.order_by("-created_at", "-id")


def inbound_list(*, limit: int = 100) -> list[InboundSms]:
    return list(InboundSms.objects.order_by("-received_at", "-id")[:limit])


def message_outcomes(message_ids) -> dict[int, tuple[str, str, datetime | None]]:
    """``{id: (status, reason, sent at)}`` of messages an app sent and keeps the ids of (unscoped: the caller holds the
    ids, e.g. the notices reporting to billing); one query by primary key."""
    ids = [int(i) for i in message_ids if i is not None]
    if not ids:
        return {}
    return {pk: (status, reason, sent_at) for pk, status, reason, sent_at in
            Message.objects.filter(pk__in=ids).values_list("pk", "status", "status_reason", "sent_at")}


def optouts_blocking_calls(*, addresses: list[str], customer_ids: list[int], purpose: str) -> tuple[set[str], set[int]]:
    """Numbers and customers among these whose opt-out in force stops calls of ``purpose``: opt-outs of every
    outlet or of a call outlet, for every purpose or this one. 1,000 at a time
    (outlets_optout_address_idx / outlets_optout_customer_idx)."""
    which = Q(purpose="") | Q(purpose=purpose)
    where = Q(outlet__isnull=True) | Q(outlet__kind="call")
    live = OptOut.objects.filter(which, where, revoked_at__isnull=True)
    numbers: set[str] = set()
    customers: set[int] = set()
    addresses = [a for a in dict.fromkeys(addresses) if a]
    ids = [c for c in dict.fromkeys(customer_ids) if c]
    for i in range(0, len(addresses), 1000):
        numbers.update(live.filter(address__in=addresses[i:i + 1000]).values_list("address", flat=True))
    for i in range(0, len(ids), 1000):
        customers.update(c for c in live.filter(customer_id__in=ids[i:i + 1000]).values_list("customer_id", flat=True)
                         if c is not None)
    return numbers, customers


@dataclass(frozen=True)
class SmsLine:
    direction: str  # "in" (the customer wrote) or "out" (an answer)
    text: str
    at: datetime
    status: str = ""  # of an answer: queued, sent, delivered, failed…
    status_label: str = ""


def contact_sms_thread(*, actor, contact_id) -> list[SmsLine]:
    """What the customer of an SMS contact wrote and what was answered, oldest first (a contact outside the
    actor's scope is not found)."""
    contact = contact_get(actor=actor, contact_id=contact_id)
    events = [e for e in contact_events(contact) if e.kind in ("sms_in", "sms_out")]
    outcomes = message_outcomes(e.data.get("message") for e in events if e.kind == "sms_out")
    labels = dict(MessageStatus.choices)
    lines = []
    for e in events:
        status = outcomes.get(e.data.get("message"), ("", "", None))[0] if e.kind == "sms_out" else ""
        lines.append(SmsLine(direction="in" if e.kind == "sms_in" else "out", text=str(e.data.get("text", "")),
                             at=e.at, status=status, status_label=str(labels.get(status, status))))
    return lines



def messages_sent_to_count(*, recipient: str, source: str, since: datetime) -> int:
    """How many messages of ``source`` went to ``recipient`` since then (rate limits of the public pages that
    send SMS; unscoped, a count only)."""
    # outlets_msg_recipient_idx
    return Message.objects.filter(recipient=recipient, source=source[:16], created_at__gte=since).count()
