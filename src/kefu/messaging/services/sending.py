"""``message_send``: the one door for every internal message, from the compose page and the API.

The message, its files and one delivery row per recipient are written in one transaction (the rows in
batches of ``BATCH`` with ``bulk_create``), with the audit entry. The pushes to the recipients' open pages
leave only after the commit (``contactcenter.services.realtime.push``): a rolled-back send tells nobody,
and someone not logged in finds the message at their next page load (the page asks for what is pending).
An idempotency key makes a retried request answer the first message instead of sending it again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.contactcenter.services.realtime import push
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.workorders.services.attachments import attachment_check, attachment_name

from ..models import Attachment, Delivery, Display, Message, Priority
from .recipients import SEND, Resolved, Target, recipients_resolve, targets_check

#: Delivery rows per INSERT: well under SQLite's bound-variable limit, few round trips on PostgreSQL.
BATCH = 1000
MAX_SUBJECT = 200
MAX_BODY = 10_000
MAX_KEY = 100
MAX_FILES = 5
#: Characters of the text a push carries: enough for a pop-up; the full text is one click away.
PUSH_EXCERPT = 1000


def notify_group(staff_id: int) -> str:
    """The real-time group of one person's open pages (see ``consumers.NotifyConsumer``)."""
    return f"notify-{staff_id}"


@dataclass(frozen=True)
class FileIn:
    name: str
    data: bytes
    content_type: str = ""


@dataclass(frozen=True)
class MessageDraft:
    """What the sender wrote; ``targets`` are the addresses (see ``recipients.Target``)."""

    subject: str
    body: str
    targets: list[Target] = field(default_factory=list)
    priority: int = Priority.NORMAL
    display: str = Display.INBOX
    sound: bool = False
    expires_at: datetime | None = None
    reply_to_id: int | None = None
    files: list[FileIn] = field(default_factory=list)


@dataclass(frozen=True)
class SendOutcome:
    message: Message
    created: bool


def _fingerprint(draft: MessageDraft) -> str:
    data = {k: v for k, v in asdict(draft).items() if k != "files"}
    data["files"] = [(f.name, hashlib.sha256(f.data).hexdigest()) for f in draft.files]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _replay(actor, key: str, fingerprint: str) -> SendOutcome | None:
    existing = Message.objects.filter(sender=actor, idempotency_key=key).first()  # messaging_msg_key_unique
    if existing is None:
        return None
    if existing.fingerprint != fingerprint:
        raise Conflict(_("This idempotency key was used for another message."), code="idempotency_key_reused")
    return SendOutcome(message=existing, created=False)


def _check(draft: MessageDraft) -> tuple[str, str]:
    subject, body = (draft.subject or "").strip(), (draft.body or "").strip()
    if not subject:
        raise ValidationFailed(_("The subject is empty."), code="empty_subject", details={"subject": _("Required.")})
    if len(subject) > MAX_SUBJECT:
        raise ValidationFailed(_("The subject is longer than %(n)s characters.") % {"n": MAX_SUBJECT},
                               code="subject_too_long", details={"subject": _("Too long.")})
    if not body:
        raise ValidationFailed(_("The message is empty."), code="empty_message", details={"body": _("Required.")})
    if len(body) > MAX_BODY:
        raise ValidationFailed(_("The message is longer than %(n)s characters.") % {"n": MAX_BODY},
                               code="message_too_long", details={"body": _("Too long.")})
    if draft.display not in Display.values:
        raise ValidationFailed(_("Unknown display."), code="invalid_display", details={"display": _("Unknown.")})
    if draft.priority not in Priority.values:
        raise ValidationFailed(_("Unknown priority."), code="invalid_priority", details={"priority": _("Unknown.")})
    if draft.expires_at is not None and draft.expires_at <= clock.now():
        raise ValidationFailed(_("The expiry must lie in the future."), code="expiry_past",
                               details={"expires_at": _("Must lie in the future.")})
    if len(draft.files) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)s files in one message.") % {"n": MAX_FILES}, code="too_many_files")
    for f in draft.files:
        attachment_check(attachment_name(f.name), f.data)
    return subject, body


def _reply_to(actor, message_id: int | None) -> Message | None:
    """The message answered: one the actor received or sent (anything else is not found)."""
    if message_id is None:
        return None
    # messaging_delivery_unique covers (message, recipient)
    answered = Message.objects.filter(pk=message_id).select_related("sender").first()
    if answered is None or not (answered.sender_id == actor.pk
                                or Delivery.objects.filter(message=answered, recipient=actor).exists()):
        raise NotFound(_("Message not found."), code="message_not_found")
    return answered


def push_event(message: Message) -> dict:
    """What a recipient's open pages are told: enough to draw a pop-up, banner or highlight at once."""
    return {
        "type": "message", "id": message.pk, "subject": message.subject,
        "body": message.body[:PUSH_EXCERPT], "truncated": len(message.body) > PUSH_EXCERPT,
        "display": message.display, "sound": message.sound, "priority": message.priority,
        "sender": message.sender.name, "sent_at": message.created_at.isoformat(),
        "expires_at": message.expires_at.isoformat() if message.expires_at else None,
    }


def message_send(*, actor, draft: MessageDraft, idempotency_key: str = "") -> SendOutcome:
    """Send ``draft`` from ``actor`` to everyone its targets name in the actor's scope (and to the sender of
    the message it answers). The same non-empty ``idempotency_key`` again answers the first message; under
    a used key a different message is a ``Conflict``."""
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY:
        raise ValidationFailed(_("The idempotency key is longer than %(n)s characters.") % {"n": MAX_KEY},
                               code="idempotency_key_too_long")
    fingerprint = _fingerprint(draft)
    if key:
        replay = _replay(actor, key, fingerprint)
        if replay is not None:
            return replay
    subject, body = _check(draft)
    answered = _reply_to(actor, draft.reply_to_id)
    if answered is not None and not draft.targets:
        targets_check(actor=actor, targets=[Target(kind="staff", id=answered.sender_id)])  # needs SEND
    resolved = recipients_resolve(
        actor=actor, targets=draft.targets, reply_to_sender_id=answered.sender_id if answered else None,
    ) if draft.targets else _reply_only(actor, answered)
    try:
        with transaction.atomic():
            message = _write(actor, draft, subject, body, resolved, answered, key, fingerprint)
    except IntegrityError:
        # Another request with the same key committed first.
        replay = _replay(actor, key, fingerprint) if key else None
        if replay is None:
            raise
        return replay
    return SendOutcome(message=message, created=True)


def _reply_only(actor, answered: Message | None) -> Resolved:
    if answered is None:
        raise ValidationFailed(_("Choose at least one recipient."), code="no_recipients")
    if answered.sender_id == actor.pk:
        raise ValidationFailed(_("Nobody active is among the chosen recipients."), code="no_recipients")
    sender = answered.sender
    return Resolved(staff_ids=[sender.pk], labels=[{"kind": "staff", "id": sender.pk, "subtree": False,
                                                   "label": f"{sender.name} ({sender.employee_no})"}])


def _write(actor, draft, subject, body, resolved, answered, key, fingerprint) -> Message:
    now = clock.now()
    message = Message.objects.create(
        sender=actor, sender_org_id=actor.org_id, subject=subject, body=body, priority=draft.priority,
        display=draft.display, sound=bool(draft.sound), expires_at=draft.expires_at, targets=resolved.labels,
        recipient_count=len(resolved.staff_ids), reply_to=answered, idempotency_key=key, fingerprint=fingerprint,
        created_at=now,
    )
    ids = resolved.staff_ids
    for start in range(0, len(ids), BATCH):
        Delivery.objects.bulk_create([Delivery(message=message, recipient_id=i) for i in ids[start:start + BATCH]])
    for f in draft.files:
        _attach(message, f)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=message, changes={
        "subject": [None, subject], "display": [None, draft.display], "priority": [None, int(draft.priority)],
        "targets": [None, [t["label"] for t in resolved.labels]], "recipients": [None, len(ids)],
        "attachments": [None, [f.name for f in draft.files]]},
        note=_("Reply") if answered else "")
    event = push_event(message)
    for i in ids:
        push(notify_group(i), event)
    return message


def _attach(message: Message, f: FileIn) -> Attachment:
    name = attachment_name(f.name)
    digest = hashlib.sha256(f.data).hexdigest()
    att = Attachment(message=message, name=name, size=len(f.data), sha256=digest,
                     content_type=(f.content_type or "application/octet-stream")[:100])
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    # Stored under a content-derived name: never the sender's, so no path tricks or clashes.
    att.file.save(f"{digest[:32]}.{ext}" if ext else digest[:32], ContentFile(f.data), save=False)
    att.save()
    return att


__all__ = ["BATCH", "SEND", "FileIn", "MessageDraft", "SendOutcome", "message_send", "notify_group", "push_event"]
