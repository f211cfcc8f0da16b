"""Reads of mailboxes, e-mail conversations and registrations, scoped by organisation.

A mailbox belongs to an organisation, its conversations and messages with it;
a registration to the organisation that received it. Outside the actor's scope
a record answers like one that does not exist. Correspondents' addresses and
what customers wrote are customer data: every list and record shown is an
audited read.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kefu.audit.reads import audit_read
from kefu.core.errors import NotFound
from kefu.orgs.selectors import scope_queryset

from .models import Conversation, MailAttachment, Mailbox, MailMessage, Registration

CONVERSATION_TYPE = "intake.conversation"
REGISTRATION_TYPE = "intake.registration"


def _pk(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None


def mailbox_list(*, actor) -> QuerySet[Mailbox]:
    return scope_queryset(Mailbox.objects.select_related("org", "queue"), actor).order_by("hotline", "name")


def mailbox_get(*, actor, mailbox_id) -> Mailbox:
    pk = _pk(mailbox_id)
    mailbox = mailbox_list(actor=actor).filter(pk=pk).first() if pk else None
    if mailbox is None:
        raise NotFound(_("Mailbox not found."), code="mailbox_not_found")
    return mailbox


def mailboxes_enabled() -> list[int]:
    """Ids of the mailboxes the worker reads (system door: no person asks)."""
    return list(Mailbox.objects.filter(enabled=True).order_by("pk").values_list("pk", flat=True))


def _conversations(actor) -> QuerySet[Conversation]:
    return scope_queryset(Conversation.objects.select_related("mailbox", "contact", "contact__agent"), actor,
                          field="mailbox__org")


def conversation_list(*, actor, awaiting: bool | None = None, mine: bool = False, limit: int = 100
                      ) -> list[Conversation]:
    qs = _conversations(actor)
    if awaiting is not None:
        qs = qs.filter(awaiting_answer=awaiting)
    if mine:
        qs = qs.filter(contact__agent=actor)
    rows = list(qs.order_by("-updated_at", "-id")[:limit])
    audit_read(actor=actor, object_type=CONVERSATION_TYPE, items=[(c.pk, f"e-mail {c.pk}") for c in rows],
               customers=[c.contact.customer_id for c in rows if c.contact is not None and c.contact.customer_id],
               conditions={"channel": "email", **({"awaiting": awaiting} if awaiting is not None else {}),
                           **({"mine": True} if mine else {})}, result_count=len(rows))
    return rows


def conversation_get(*, actor, conversation_id) -> Conversation:
    pk = _pk(conversation_id)
    conv = _conversations(actor).filter(pk=pk).first() if pk else None
    if conv is None:
        raise NotFound(_("Conversation not found."), code="conversation_not_found")
    customer = conv.contact.customer_id if conv.contact is not None else None
    audit_read(actor=actor, object_type=CONVERSATION_TYPE, items=[(conv.pk, f"e-mail {conv.pk}")],
               customers=[customer] if customer else [])
    return conv


def conversation_messages(conversation: Conversation) -> list[MailMessage]:
    return list(conversation.messages.select_related("sent_by").prefetch_related("attachments").order_by("at", "id"))


def refused_messages(*, actor, limit: int = 50) -> list[MailMessage]:
    """E-mails refused (too large, unreadable), newest first: kept and shown, never lost."""
    qs = scope_queryset(MailMessage.objects.select_related("mailbox"), actor, field="mailbox__org")
    rows = list(qs.filter(direction="in").exclude(status="accepted").order_by("-at", "-id")[:limit])
    if rows:
        audit_read(actor=actor, object_type="intake.mailmessage", items=[(m.pk, f"mail {m.pk}") for m in rows])
    return rows


def mail_attachment_get(*, actor, attachment_id) -> MailAttachment:
    pk = _pk(attachment_id)
    qs = scope_queryset(MailAttachment.objects.select_related("message__conversation__contact"), actor,
                        field="message__mailbox__org")
    att = qs.filter(pk=pk).exclude(file="").first() if pk else None
    if att is None:
        raise NotFound(_("Attachment not found."), code="attachment_not_found")
    conv = att.message.conversation
    customer = conv.contact.customer_id if conv is not None and conv.contact is not None else None
    audit_read(actor=actor, object_type="intake.mailattachment", items=[(att.pk, att.name)],
               customers=[customer] if customer else [])
    return att


def _registrations(actor) -> QuerySet[Registration]:
    return scope_queryset(Registration.objects.select_related("org", "customer", "subscriber", "registered_by",
                                                              "contact"), actor)


def registration_list(*, actor, kind: str = "", limit: int = 100) -> list[Registration]:
    qs = _registrations(actor)
    if kind:
        qs = qs.filter(kind=kind)
    rows = list(qs.order_by("-received_at", "-id")[:limit])
    audit_read(actor=actor, object_type=REGISTRATION_TYPE, items=[(r.pk, f"{r.kind} {r.pk}") for r in rows],
               customers=[r.customer_id for r in rows if r.customer_id],
               conditions={"channel": kind or "letter,walk_in"}, result_count=len(rows))
    return rows


def registration_get(*, actor, registration_id) -> Registration:
    pk = _pk(registration_id)
    reg = _registrations(actor).filter(pk=pk).first() if pk else None
    if reg is None:
        raise NotFound(_("Registration not found."), code="registration_not_found")
    audit_read(actor=actor, object_type=REGISTRATION_TYPE, items=[(reg.pk, f"{reg.kind} {reg.pk}")],
               customers=[reg.customer_id] if reg.customer_id else [])
    return reg


def contact_ids_of(conversation: Conversation) -> list[int]:
    return list(conversation.messages.exclude(contact=None).order_by().values_list("contact_id", flat=True)
                .distinct())


def conversation_orders(*, actor, conversation: Conversation) -> list:
    """Work orders created from the conversation's contacts (as the agent desktop creates them), as far as the
    actor may see them; the read is audited by the contact center's selector."""
    from kefu.contactcenter.selectors import orders_of_contact

    seen, out = set(), []
    contacts = {m.contact_id: m.contact for m in conversation.messages.select_related("contact").exclude(contact=None)}
    for contact in contacts.values():
        if contact is None:
            continue
        for order in orders_of_contact(actor=actor, contact=contact):
            if order.pk not in seen:
                seen.add(order.pk)
                out.append(order)
    return out
