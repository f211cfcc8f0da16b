"""Reads of internal messages: a person's inbox, their sent messages with read counts, one message, its
read receipts and what a page must still show (pop-ups to confirm, banners, highlights).

A message is visible to its sender and its recipients only; to anyone else it answers like one that does
not exist. The people a sender may address are those of their organisation scope (``iam`` selectors).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, F, IntegerField, Q, QuerySet
from django.utils.translation import gettext as _

from kefu.audit.reads import audit_read
from kefu.core import clock
from kefu.core.errors import NotFound
from kefu.iam.selectors import role_list, staff_list, team_list
from kefu.orgs.selectors import org_internal_list

from .models import Attachment, Delivery, Display, Message

#: Columns the lists sort by (``-`` in front for descending), and what each sorts on.
INBOX_SORTS = {
    "sent_at": "message__created_at", "subject": "message__subject", "sender": "message__sender__name",
    "priority": "message__priority", "display": "message__display", "read_at": "read_at",
    "acknowledged_at": "acknowledged_at", "expires_at": "message__expires_at",
}
SENT_SORTS = {
    "sent_at": "created_at", "subject": "subject", "priority": "priority", "display": "display",
    "recipients": "recipient_count", "read": "read_count", "unread": "unread_count", "expires_at": "expires_at",
}
RECEIPT_SORTS = {
    "employee_no": "recipient__employee_no", "name": "recipient__name", "org": "recipient__org__name",
    "read_at": "read_at", "acknowledged_at": "acknowledged_at",
}


@dataclass(frozen=True)
class InboxFilters:
    since: datetime | None = None
    until: datetime | None = None
    sender: str = ""       # 工号 (prefix) or name (part)
    state: str = ""        # unread | read | unacknowledged
    q: str = ""            # in the subject


@dataclass(frozen=True)
class SentFilters:
    since: datetime | None = None
    until: datetime | None = None
    receiver: str = ""     # 工号 (prefix) or name (part) of one recipient
    q: str = ""


def _person(prefix: str, text: str) -> Q:
    text = text.strip()
    return Q(**{f"{prefix}employee_no__istartswith": text}) | Q(**{f"{prefix}name__icontains": text})


def _order(qs: QuerySet, sort: str, allowed: dict[str, str], default: list[str]) -> QuerySet:
    key = (sort or "").lstrip("-")
    if key not in allowed:
        return qs.order_by(*default)
    column = allowed[key]
    return qs.order_by(f"-{column}" if sort.startswith("-") else column, *[d for d in default if d != column])


def sort_key_valid(sort: str, allowed: dict[str, str]) -> bool:
    return not sort or sort.lstrip("-") in allowed


def inbox_list(*, actor, filters: InboxFilters = InboxFilters(), sort: str = "") -> QuerySet[Delivery]:
    """The actor's deliveries with their messages; unread first, then newest, unless ``sort`` names a column."""
    qs = Delivery.objects.filter(recipient=actor).select_related("message", "message__sender")  # messaging_inbox_idx
    qs = qs.annotate(is_read=ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField()))
    if filters.since:
        qs = qs.filter(message__created_at__gte=filters.since)
    if filters.until:
        qs = qs.filter(message__created_at__lt=filters.until)
    if filters.sender:
        qs = qs.filter(_person("message__sender__", filters.sender))
    if filters.state == "unread":
        qs = qs.filter(read_at__isnull=True)
    elif filters.state == "read":
        qs = qs.filter(read_at__isnull=False)
    elif filters.state == "unacknowledged":
        qs = qs.filter(message__display=Display.POPUP, acknowledged_at__isnull=True)
    if filters.q:
        qs = qs.filter(message__subject__icontains=filters.q.strip())
    return _order(qs, sort, INBOX_SORTS, ["is_read", "-message__created_at", "-message_id"])


def unread_count(*, actor) -> int:
    return Delivery.objects.filter(recipient=actor, read_at__isnull=True).count()  # messaging_inbox_idx


def sent_list(*, actor, filters: SentFilters = SentFilters(), sort: str = "") -> QuerySet[Message]:
    """Messages the actor sent, each with how many recipients have read it and not; newest first."""
    qs = Message.objects.filter(sender=actor)  # messaging_msg_sender_idx
    if filters.since:
        qs = qs.filter(created_at__gte=filters.since)
    if filters.until:
        qs = qs.filter(created_at__lt=filters.until)
    if filters.receiver:
        qs = qs.filter(pk__in=Delivery.objects.filter(_person("recipient__", filters.receiver))
                       .values("message_id"))
    if filters.q:
        qs = qs.filter(subject__icontains=filters.q.strip())
    qs = qs.annotate(read_count=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
                     ack_count=Count("deliveries", filter=Q(deliveries__acknowledged_at__isnull=False)))
    qs = qs.annotate(unread_count=ExpressionWrapper(F("recipient_count") - F("read_count"),
                                                    output_field=IntegerField()))
    return _order(qs, sort, SENT_SORTS, ["-created_at", "-id"])


def _message(message_id) -> Message | None:
    try:
        return Message.objects.select_related("sender", "sender__org", "reply_to").filter(pk=int(message_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class MessageView:
    """A message as one person may see it: as its sender, or as a recipient with their delivery row."""

    message: Message
    delivery: Delivery | None

    @property
    def is_sender(self) -> bool:
        return self.delivery is None


def message_get(*, actor, message_id) -> MessageView:
    """The message if the actor sent or received it; anything else is not found."""
    message = _message(message_id)
    if message is not None:
        delivery = Delivery.objects.filter(message=message, recipient=actor).first()  # messaging_delivery_unique
        if delivery is not None:
            return MessageView(message=message, delivery=delivery)
        if message.sender_id == actor.pk:
            return MessageView(message=message, delivery=None)
    raise NotFound(_("Message not found."), code="message_not_found")


def message_attachments(message: Message) -> QuerySet:
    return message.attachments.order_by("id")


def attachment_get(*, actor, attachment_id) -> Attachment:
    """An attachment of a message the actor sent or received."""
    try:
        att = Attachment.objects.filter(pk=int(attachment_id)).first()
    except (TypeError, ValueError, OverflowError):
        att = None
    if att is None:
        raise NotFound(_("File not found."), code="attachment_not_found")
    try:
        message_get(actor=actor, message_id=att.message_id)
    except NotFound:
        raise NotFound(_("File not found."), code="attachment_not_found") from None
    return att


@dataclass(frozen=True)
class ReceiptCounts:
    recipients: int
    read: int
    acknowledged: int

    @property
    def unread(self) -> int:
        return self.recipients - self.read


def receipt_counts(message: Message) -> ReceiptCounts:
    c = message.deliveries.aggregate(n=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)),
                                     ack=Count("id", filter=Q(acknowledged_at__isnull=False)))
    return ReceiptCounts(recipients=c["n"], read=c["read"], acknowledged=c["ack"])


def message_receipts(*, actor, message_id, state: str = "", sort: str = "") -> tuple[Message, ReceiptCounts,
                                                                                      QuerySet[Delivery]]:
    """Who has and has not read the actor's own message (sender only; logged as a read of the receipts)."""
    view = message_get(actor=actor, message_id=message_id)
    if not view.is_sender:
        raise NotFound(_("Message not found."), code="message_not_found")
    message = view.message
    qs = message.deliveries.select_related("recipient", "recipient__org")
    if state == "read":
        qs = qs.filter(read_at__isnull=False)
    elif state == "unread":
        qs = qs.filter(read_at__isnull=True)
    counts = receipt_counts(message)
    audit_read(actor=actor, object_type="messaging.message", items=[(message.pk, message.subject)],
               conditions={"receipts": state or "all"}, result_count=counts.recipients)
    return message, counts, _order(qs, sort, RECEIPT_SORTS, ["recipient__employee_no"])


def pending_notices(*, actor, limit: int = 20) -> dict:
    """What the actor's pages must still show: pop-ups not confirmed, unread banners and highlights (none
    expired), and the unread count."""
    now = clock.now()
    live = Delivery.objects.filter(recipient=actor).filter(
        Q(message__expires_at__isnull=True) | Q(message__expires_at__gt=now)).select_related("message",
                                                                                             "message__sender")
    popups = live.filter(acknowledged_at__isnull=True, message__display=Display.POPUP)  # messaging_unacked_idx
    shown = live.filter(read_at__isnull=True, message__display__in=[Display.BANNER, Display.HIGHLIGHT])
    return {
        "popups": list(popups.order_by("-message__priority", "message__created_at")[:limit]),
        "notices": list(shown.order_by("-message__priority", "-message__created_at")[:limit]),
        "unread": unread_count(actor=actor),
    }


# --- whom the compose page offers --------------------------------------------------------------------------

def recipient_choices(*, actor) -> dict:
    """Teams, roles and organisations of the actor's scope, for the recipient picker."""
    return {
        "teams": list(team_list(actor=actor)),
        "roles": list(role_list()),
        "orgs": list(org_internal_list(actor=actor)),
    }


def people_search(*, actor, q: str, limit: int = 20) -> list:
    """People of the actor's scope by 工号 or name, for the picker."""
    if not (q or "").strip():
        return []
    return list(staff_list(actor=actor, q=q, status="active")[:limit])
