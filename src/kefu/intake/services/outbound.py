"""E-mail out: an agent's answer in a conversation, through Django's e-mail backend (SMTP).

The answer names the message it answers (``In-Reply-To``, ``References``),
so the customer's mail program threads it and the customer's next reply
joins the same conversation here; it carries the work order's serial in the
subject when the exchange belongs to one, so a reply from any mail program
still finds the order. It is sent first, then kept: a refusal by the mail
server leaves nothing written.
"""

from __future__ import annotations

import smtplib
from email.utils import make_msgid

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_record
from kefu.contactcenter.services.contacts import contact_end, contact_event_record
from kefu.core.errors import Conflict, ValidationFailed
from kefu.workorders.selectors import order_by_serials
from kefu.workorders.services.correspondence import workorder_correspondence_record

from ..mail import SERIAL_RE
from ..models import Conversation, Mailbox, MailMessage, MailStatus

WAITING = ("ivr", "queued", "offered")
HANDLING = ("connected", "held")
MAX_TEXT = 20000


def _reply_subject(subject: str, serial: str) -> str:
    subject = (subject or "").strip() or _("Your message")
    if not subject.lower().startswith(("re:", "回复:", "回复：")):
        subject = f"Re: {subject}"
    if serial and serial not in subject:
        subject = f"{subject} [{serial}]"
    return subject[:300]


def compose(*, mailbox: Mailbox, to: str, subject: str, text: str, answers: MailMessage | None) -> EmailMessage:
    domain = mailbox.smtp_from.rpartition("@")[2] or "kefu.local"
    headers = {"Message-ID": make_msgid(domain=domain), "Auto-Submitted": "no"}
    if answers is not None and answers.message_id:
        refs = [r for r in answers.references.split() if r] + [answers.message_id]
        headers["In-Reply-To"] = answers.message_id
        headers["References"] = " ".join(refs[-20:])
    return EmailMessage(subject=subject, body=text, from_email=mailbox.smtp_from, to=[to], headers=headers)


def send(msg: EmailMessage) -> None:
    """Hand ``msg`` to the configured backend; ``Conflict`` (nothing sent) if the mail server refuses."""
    try:
        with get_connection(fail_silently=False) as conn:
            if conn.send_messages([msg]) != 1:
                raise Conflict(_("The mail server did not take the message."), code="send_failed")
    except (smtplib.SMTPException, OSError) as exc:
        raise Conflict(_("The mail server refused the message: %(error)s") % {"error": exc},
                       code="send_failed") from exc


def _serial_of(conversation: Conversation, orders) -> str:
    if conversation.order_serial:
        return conversation.order_serial
    for o in orders:
        return o.serial
    m = SERIAL_RE.search(conversation.subject.upper())
    return m.group(1) if m else ""


def email_answer(*, actor, conversation: Conversation, text: str, orders=()) -> MailMessage:
    """Send ``text`` as the answer to the conversation's latest message and keep it there.

    An e-mail still waiting in its queue is taken from the agent desktop first (the router decides who
    answers); one another agent holds is theirs. Answering the contact one holds ends it (wrap-up
    follows at the desktop). ``orders``: work orders created from the conversation's contacts.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write the answer."), code="text_required", details={"text": _("required")})
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("The answer is too long (at most %(n)d characters).") % {"n": MAX_TEXT},
                               code="too_long", details={"text": _("too long")})
    contact = conversation.contact
    if contact is not None and contact.state in WAITING:
        raise Conflict(_("This e-mail waits for an agent: take it from the agent desktop to answer it."),
                       code="not_taken")
    if contact is not None and contact.state in HANDLING and contact.agent_id != actor.pk:
        raise Conflict(_("Another agent is handling this e-mail."), code="held_by_other")
    answers = conversation.messages.filter(direction="in", status=MailStatus.ACCEPTED).order_by("-at", "-id").first()
    to = conversation.correspondent or (answers.from_addr if answers else "")
    if not to:
        raise ValidationFailed(_("The conversation has no address to answer."), code="no_address")
    serial = _serial_of(conversation, orders)
    mailbox = conversation.mailbox
    msg = compose(mailbox=mailbox, to=to, subject=_reply_subject(conversation.subject, serial), text=text,
                  answers=answers)
    send(msg)
    return _keep_answer(actor=actor, conversation=conversation, msg=msg, serial=serial, to=to)


@transaction.atomic
def _keep_answer(*, actor, conversation: Conversation, msg: EmailMessage, serial: str, to: str) -> MailMessage:
    # The row is locked alone: PostgreSQL refuses FOR UPDATE over the nullable side of the join to the contact.
    conversation = Conversation.objects.select_for_update(of=("self",)).select_related("contact", "mailbox").get(
        pk=conversation.pk)
    raw = msg.message().as_bytes()
    out = MailMessage.objects.create(
        mailbox=conversation.mailbox, conversation=conversation, contact=conversation.contact, direction="out",
        status=MailStatus.SENT, message_id=msg.extra_headers["Message-ID"],
        in_reply_to=msg.extra_headers.get("In-Reply-To", ""), references=msg.extra_headers.get("References", ""),
        subject=str(msg.subject), from_addr=msg.from_email, to_addr=to, body=str(msg.body), size=len(raw), raw=raw,
        order_serial=serial, sent_by=actor,
    )
    contact = conversation.contact
    if contact is not None:
        contact_event_record(contact=contact, kind="mail_out", data={"to": to, "mail": out.pk})
        if contact.state in HANDLING and contact.agent_id == actor.pk:
            contact_end(contact_id=contact.pk, actor=actor, by_switch=True)
    conversation.awaiting_answer = False
    if serial and not conversation.order_serial:
        conversation.order_serial = serial
    conversation.save()
    order = order_by_serials([serial]) if serial else None
    if order is not None:
        workorder_correspondence_record(order_id=order.pk, direction="out", subject=str(msg.subject), text=str(msg.body),
                                        party=to, actor=actor, data={"mail": out.pk})
    audit_record(actor=actor, action="create", obj=out, object_repr=f"answer to {to}"[:200],
                 changes={"to": [None, to], "subject": [None, msg.subject], "conversation": [None, conversation.pk]})
    return out
