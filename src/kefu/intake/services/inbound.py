"""E-mail in: each new message of a hotline mailbox read once, kept whole, and made a contact.

``mailbox_poll`` reads the UIDs above the last one remembered. Each message is
recorded by ``mail_receive`` in a transaction of its own that also moves the
mailbox's ``last_uid``; only after that commits is the message flagged
``\\Seen`` on the server. A crash in between reads it again next time and the
unique (mailbox, UIDVALIDITY, UID) key answers the message already kept, so
nothing is read twice and nothing is lost.

A message too large or unreadable is refused with a clear record (status and
reason, its raw bytes kept) and its sender gets a notice; an accepted one joins
its conversation (Message-ID / In-Reply-To / References, else the work order
named in the subject), keeps the files the work-order rules accept, goes into
that order's history, and is a contact of the contact center queued on the
mailbox's queue.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_record
from kefu.contactcenter.services.contacts import contact_arrive, contact_enqueue, contact_event_record
from kefu.core import clock
from kefu.core.errors import KefuError
from kefu.params.selectors import param_get
from kefu.workorders.selectors import order_by_serials
from kefu.workorders.services.attachments import attachment_add, attachment_check, attachment_name
from kefu.workorders.services.correspondence import workorder_correspondence_record

from .. import mail
from ..models import Conversation, MailAttachment, Mailbox, MailMessage, MailStatus
from . import notices
from .imap import ImapFailure, Session

log = logging.getLogger(__name__)

ENDED = "ended"


def door_label(mailbox: Mailbox) -> str:
    """Who acts when no member of staff does: the mailbox (audit entries, order history)."""
    return f"e-mail {mailbox.hotline}"[:100]


def mailbox_poll(*, mailbox_id: int) -> dict:
    """Read the mailbox's new messages; returns counts. A server failure is remembered on the mailbox."""
    mailbox = Mailbox.objects.get(pk=mailbox_id)
    counts = {"accepted": 0, "refused": 0, "seen": 0}
    limit = param_get("intake.email.batch")
    max_bytes = param_get("intake.email.max_kb") * 1024
    try:
        with Session(mailbox) as s:
            assert s.folder is not None
            validity = s.folder.uidvalidity
            after = mailbox.last_uid if mailbox.uidvalidity == validity else 0
            for uid in s.new_uids(after, limit):
                message, new = _receive_one(s, mailbox, validity, uid, max_bytes)
                s.mark_seen(uid)  # after the commit of mail_receive
                counts["seen"] += 1
                if new:
                    counts["accepted" if message.status == MailStatus.ACCEPTED else "refused"] += 1
                    if message.status != MailStatus.ACCEPTED:
                        notices.refusal_notice_send(message_id=message.pk)
    except ImapFailure as exc:
        Mailbox.objects.filter(pk=mailbox_id).update(last_error=str(exc)[:500], last_polled_at=clock.now())
        log.warning("mailbox %s: %s", mailbox_id, exc)
        counts["error"] = str(exc)  # type: ignore[assignment]
        return counts
    Mailbox.objects.filter(pk=mailbox_id).update(last_error="", last_polled_at=clock.now())
    return counts


def _receive_one(s: Session, mailbox: Mailbox, validity: int, uid: int, max_bytes: int) -> tuple[MailMessage, bool]:
    kept = MailMessage.objects.filter(mailbox=mailbox, uidvalidity=validity, uid=uid, direction="in").first()
    if kept is not None:  # read before, the \Seen flag was not set: only set it now
        return kept, False
    size = s.size_of(uid)
    raw = s.fetch(uid)  # an oversized message too: it is kept, never lost
    return mail_receive(mailbox_id=mailbox.pk, uidvalidity=validity, uid=uid, raw=raw,
                        size=max(size, len(raw)), max_bytes=max_bytes)


@transaction.atomic
def mail_receive(*, mailbox_id: int, uidvalidity: int, uid: int, raw: bytes, size: int,
                 max_bytes: int | None = None) -> tuple[MailMessage, bool]:
    """Keep one message read from the server and act on it; ``(message, created)``.

    The mailbox row is locked, so two workers reading the same folder queue
    here and the second finds the message already kept.
    """
    mailbox = Mailbox.objects.select_for_update().get(pk=mailbox_id)
    kept = MailMessage.objects.filter(mailbox=mailbox, uidvalidity=uidvalidity, uid=uid, direction="in").first()
    if kept is not None:
        return kept, False
    if max_bytes is None:
        max_bytes = param_get("intake.email.max_kb") * 1024
    parsed = mail.parse(raw)
    message = MailMessage(
        mailbox=mailbox, direction="in", uidvalidity=uidvalidity, uid=uid, size=size, raw=raw,
        message_id=parsed.message_id, in_reply_to=parsed.in_reply_to, references=" ".join(parsed.references),
        subject=parsed.subject, from_addr=parsed.from_addr, to_addr=parsed.to_addr, body=parsed.text,
        status=MailStatus.ACCEPTED,
    )
    if size > max_bytes:
        message.status = MailStatus.OVERSIZED
        message.problem = _("The message has %(size)d KB; at most %(max)d KB are accepted.") % {
            "size": (size + 1023) // 1024, "max": max_bytes // 1024}
        message.body = ""
    elif parsed.problem:
        message.status = MailStatus.MALFORMED
        message.problem = _("The message cannot be read (%(reason)s).") % {"reason": parsed.problem}
    if uidvalidity != mailbox.uidvalidity:
        mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
    mailbox.last_uid = max(mailbox.last_uid, uid)
    mailbox.save(update_fields=["uidvalidity", "last_uid", "updated_at"])
    if message.status != MailStatus.ACCEPTED:
        message.save()
        audit_record(actor=door_label(mailbox), action="create", obj=message,
                     object_repr=f"refused e-mail {uid} of {mailbox.hotline}",
                     changes={"status": [None, message.status], "size": [None, size]}, note=message.problem)
        return message, True
    _accept(mailbox, message, parsed)
    return message, True


def _accept(mailbox: Mailbox, message: MailMessage, parsed: mail.Parsed) -> None:
    conversation = _conversation_for(mailbox, parsed)
    order = None
    if parsed.serial:
        order = order_by_serials([parsed.serial])  # system scope: the customer names their own order
    if order is not None and not conversation.order_serial:
        conversation.order_serial = order.serial
    if conversation.order_serial and order is None:
        order = order_by_serials([conversation.order_serial])
    message.conversation = conversation
    message.order_serial = order.serial if order is not None else ""
    contact = conversation.contact
    if contact is None or contact.state == ENDED:
        contact = contact_arrive(caller="", called=mailbox.hotline, channel="email",
                                 external_id=f"mail:{mailbox.pk}:{message.uidvalidity}:{message.uid}", state="ivr")
        contact_enqueue(contact=contact, queue=mailbox.queue)
    contact_event_record(contact=contact, kind="mail_in", data={"from": parsed.from_addr,
                                                               "subject": parsed.subject[:200]})
    message.contact = contact
    message.save()
    conversation.contact, conversation.awaiting_answer = contact, True
    conversation.save()
    files = _keep_files(message, parsed.files)
    if order is not None:
        workorder_correspondence_record(
            order_id=order.pk, direction="in", subject=parsed.subject, text=parsed.text, party=parsed.from_addr,
            by_label=door_label(mailbox), data={"mail": message.pk})
        for f, data in files:
            try:
                attachment_add(actor=door_label(mailbox), order=order, name=f.name, data=data,
                               content_type=f.content_type)
            except KefuError:  # checked above with the same rules; a parameter changed meanwhile
                continue
    audit_record(actor=door_label(mailbox), action="create", obj=message,
                 object_repr=f"e-mail {message.uid} of {mailbox.hotline}",
                 changes={"from": [None, parsed.from_addr], "subject": [None, parsed.subject],
                          "conversation": [None, conversation.pk], "contact": [None, contact.pk]})


def _conversation_for(mailbox: Mailbox, parsed: mail.Parsed) -> Conversation:
    ids = parsed.thread_ids
    if ids:
        # intake_mail_msgid_idx
        earlier = (MailMessage.objects.filter(mailbox=mailbox, message_id__in=ids, conversation__isnull=False)
                   .select_related("conversation__contact").order_by("-at", "-id").first())
        if earlier is not None and earlier.conversation is not None:
            return earlier.conversation
    if parsed.serial:
        same = (Conversation.objects.filter(mailbox=mailbox, order_serial=parsed.serial)
                .select_related("contact").order_by("-updated_at", "-id").first())
        if same is not None:
            return same
    return Conversation.objects.create(mailbox=mailbox, subject=parsed.subject, correspondent=parsed.from_addr)


def _keep_files(message: MailMessage, files: list[mail.File]) -> list[tuple[mail.File, bytes]]:
    """Files the work-order attachment rules accept are stored; the others are listed with the reason."""
    kept = []
    for f in files[:50]:
        name = attachment_name(f.name)
        row = MailAttachment(message=message, name=name, size=len(f.data), content_type=f.content_type[:100])
        try:
            attachment_check(name, f.data)
        except KefuError as exc:
            row.refused = str(exc.message)[:300]
            row.save()
            continue
        row.sha256 = hashlib.sha256(f.data).hexdigest()
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
        row.file.save(f"{row.sha256[:32]}.{ext}", ContentFile(f.data), save=False)
        row.save()
        kept.append((f, f.data))
    return kept
