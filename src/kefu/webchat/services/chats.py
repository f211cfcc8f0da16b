"""A chat's life on the customer's and the agent's side.

The contact center owns the contact (arrive, queue, offer, answer, transfer,
end, wrap-up); these services keep what is written and carry it live: each
line is saved as a ``ChatMessage`` of the contact and pushed after commit to
the customer's page (group ``contact-<id>``) and to the desktop of the agent
holding the contact (group ``agent-<id>``). Typing is pushed, never stored.
"""

from __future__ import annotations

import hashlib
import os

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_record
from kefu.contactcenter.selectors import queue_is_open
from kefu.contactcenter.services import realtime
from kefu.contactcenter.services.contacts import (
    contact_arrive,
    contact_end,
    contact_enqueue,
    contact_ivr_progress,
    contact_message_left,
)
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.workorders.services.attachments import attachment_check, attachment_name

from ..models import ChatMessage, ChatVisit, Sender, VisitState
from .codes import door_label

MAX_TEXT = 2000
LIVE = ("queued", "offered", "connected", "held")
TALKING = ("connected", "held")


def message_payload(m: ChatMessage) -> dict:
    """A message as the pages show it (no staff identity beyond the sender kind)."""
    return {"id": m.pk, "contact": m.contact_id, "sender": m.sender, "text": m.text, "at": m.at.isoformat(),
            "file": {"name": m.file_name, "size": m.file_size} if m.file_name else None}


def _text(raw: str) -> str:
    text = (raw or "").strip()
    if not text:
        raise ValidationFailed(_("Write a message."), code="empty_message", details={"text": _("Write a message.")})
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("A message has at most %(n)d characters.") % {"n": MAX_TEXT}, code="message_too_long",
                               details={"text": _("Too long.")})
    return text


def _push(message: ChatMessage, agent_id: int | None) -> None:
    payload = message_payload(message)
    realtime.to_contact(message.contact_id, {"type": "chat.message", "message": payload})
    if agent_id:
        realtime.to_agent(agent_id, {"type": "chat.message", "contact": message.contact_id, "message": payload})


def _visit_locked(visit_id: int) -> ChatVisit:
    visit = ChatVisit.objects.select_for_update(of=("self",)).select_related("entry__queue", "contact").filter(pk=visit_id).first()
    if visit is None:
        raise NotFound(_("Chat not found."), code="chat_not_found")
    return visit


def _live_contact(visit: ChatVisit):
    if visit.state != VisitState.CHATTING or visit.contact is None or visit.contact.state not in LIVE:
        raise Conflict(_("This chat has ended."), code="chat_ended")
    return visit.contact


@transaction.atomic
def chat_start(*, visit_id: int) -> ChatVisit:
    """The identified customer asks for an agent: a chat contact queued on the entry's chat queue."""
    visit = _visit_locked(visit_id)
    if visit.state != VisitState.IDENTIFIED:
        raise Conflict(_("This chat has already started."), code="chat_started")
    entry, queue = visit.entry, visit.entry.queue
    if not entry.enabled or not queue.active:
        raise Conflict(_("Online service is not available now."), code="chat_unavailable")
    if not queue_is_open(queue):
        raise Conflict(_("We are closed now. You can leave a message."), code="closed")
    contact = contact_arrive(caller=visit.mobile, called=entry.hotline, channel="chat",
                             external_id=f"chat:{visit.pk}", state="ivr")
    if not visit.guest:  # the customer proved the number with the SMS code
        contact_ivr_progress(contact_id=contact.pk, ivr_path=[], identity_verified=True)
    visit.contact, visit.state = contact, VisitState.CHATTING
    visit.save(update_fields=["contact", "state"])
    if entry.welcome:
        ChatMessage.objects.create(contact_id=contact.pk, visit=visit, sender=Sender.SYSTEM, text=entry.welcome)
    contact_enqueue(contact=contact, queue=queue)
    audit_record(actor=door_label(entry), action="create", obj=visit, object_repr=f"chat {visit.pk}",
                 changes={"contact": [None, contact.pk], "state": [VisitState.IDENTIFIED, VisitState.CHATTING]})
    return visit


@transaction.atomic
def message_leave(*, visit_id: int, text: str) -> ChatVisit:
    """Outside opening hours the identified customer leaves a message: a chat contact that ends at once,
    marked as a message left, for agents and supervisors to follow up."""
    visit = _visit_locked(visit_id)
    if visit.state != VisitState.IDENTIFIED:
        raise Conflict(_("This chat has already started."), code="chat_started")
    text = _text(text)
    entry = visit.entry
    if queue_is_open(entry.queue) and entry.queue.active:
        raise Conflict(_("We are open: start a chat instead."), code="open")
    contact = contact_arrive(caller=visit.mobile, called=entry.hotline, channel="chat",
                             external_id=f"chat:{visit.pk}", state="ivr")
    if not visit.guest:
        contact_ivr_progress(contact_id=contact.pk, ivr_path=[], identity_verified=True)
    ChatMessage.objects.create(contact_id=contact.pk, visit=visit, sender=Sender.CUSTOMER, text=text)
    contact_message_left(contact_id=contact.pk, queue=entry.queue)
    visit.contact, visit.state, visit.ended_at = contact, VisitState.LEFT_MESSAGE, clock.now()
    visit.save(update_fields=["contact", "state", "ended_at"])
    realtime.to_supervisors({"type": "chat.message_left", "contact": contact.pk})
    audit_record(actor=door_label(entry), action="create", obj=visit, object_repr=f"message left {visit.pk}",
                 changes={"contact": [None, contact.pk], "state": [VisitState.IDENTIFIED, VisitState.LEFT_MESSAGE]})
    return visit


@transaction.atomic
def customer_message(*, visit_id: int, text: str) -> ChatMessage:
    visit = _visit_locked(visit_id)
    contact = _live_contact(visit)
    message = ChatMessage.objects.create(contact_id=contact.pk, visit=visit, sender=Sender.CUSTOMER, text=_text(text))
    _push(message, contact.agent_id if contact.state in TALKING else None)
    return message


def customer_typing(*, visit: ChatVisit) -> None:
    """Tell the agent the customer is typing (nothing is stored)."""
    contact = visit.contact
    if contact is not None:
        contact.refresh_from_db(fields=["agent", "state"])
        if contact.state in TALKING and contact.agent_id:
            realtime.to_agent(contact.agent_id, {"type": "chat.typing", "contact": contact.pk})


@transaction.atomic
def customer_end(*, visit_id: int) -> ChatVisit:
    """The customer closes the chat: the contact ends as a call the caller hangs up."""
    visit = _visit_locked(visit_id)
    if visit.state == VisitState.CHATTING and visit.contact is not None:
        contact_end(contact_id=visit.contact.pk, by_switch=True)
        visit.state, visit.ended_at = VisitState.ENDED, clock.now()
        visit.save(update_fields=["state", "ended_at"])
    return visit


def _agent_chat(actor, contact_id) -> ChatVisit:
    """The actor's own live chat; anyone else's answers like one that does not exist."""
    visit = (ChatVisit.objects.select_for_update(of=("self",)).select_related("contact", "entry")
             .filter(contact_id=contact_id).first())
    if visit is None or visit.contact is None or visit.contact.agent_id != actor.pk:
        raise NotFound(_("Chat not found."), code="chat_not_found")
    if visit.contact.state not in TALKING:
        raise Conflict(_("This chat has ended."), code="chat_ended")
    return visit


def _contact_id(visit: ChatVisit) -> int:
    assert visit.contact_id is not None  # a started chat (checked by the callers)
    return visit.contact_id


@transaction.atomic
def agent_message(*, actor, contact_id: int, text: str) -> ChatMessage:
    visit = _agent_chat(actor, contact_id)
    message = ChatMessage.objects.create(contact_id=_contact_id(visit), visit=visit, sender=Sender.AGENT, staff=actor,
                                         text=_text(text))
    _push(message, actor.pk)
    return message


def agent_typing(*, actor, contact_id: int) -> None:
    with transaction.atomic():
        visit = _agent_chat(actor, contact_id)
        realtime.to_contact(_contact_id(visit), {"type": "chat.typing", "contact": visit.contact_id})


def _file_message(visit: ChatVisit, *, sender: str, staff, name: str, data: bytes, content_type: str) -> ChatMessage:
    name = attachment_name(name)
    attachment_check(name, data)  # the work-order rules: types, size, content matching the name
    digest = hashlib.sha256(data).hexdigest()
    message = ChatMessage(contact_id=_contact_id(visit), visit=visit, sender=sender, staff=staff, file_name=name,
                          file_size=len(data), file_sha256=digest,
                          content_type=(content_type or "application/octet-stream")[:100])
    ext = os.path.splitext(name)[1].lower()
    message.file.save(f"{digest[:32]}{ext}", ContentFile(data), save=False)  # never the sender's file name
    message.save()
    return message


@transaction.atomic
def customer_file(*, visit_id: int, name: str, data: bytes, content_type: str = "") -> ChatMessage:
    visit = _visit_locked(visit_id)
    contact = _live_contact(visit)
    message = _file_message(visit, sender=Sender.CUSTOMER, staff=None, name=name, data=data, content_type=content_type)
    _push(message, contact.agent_id if contact.state in TALKING else None)
    audit_record(actor=door_label(visit.entry), action="create", obj=message, object_repr=f"chat file {message.file_name}",
                 changes={"name": [None, message.file_name], "size": [None, message.file_size],
                          "sha256": [None, message.file_sha256]})
    return message


@transaction.atomic
def agent_file(*, actor, contact_id: int, name: str, data: bytes, content_type: str = "") -> ChatMessage:
    visit = _agent_chat(actor, contact_id)
    message = _file_message(visit, sender=Sender.AGENT, staff=actor, name=name, data=data, content_type=content_type)
    _push(message, actor.pk)
    audit_record(actor=actor, action="create", obj=message, object_repr=f"chat file {message.file_name}",
                 changes={"name": [None, message.file_name], "size": [None, message.file_size],
                          "sha256": [None, message.file_sha256]})
    return message


@transaction.atomic
def left_message_follow_up(*, actor, visit_id: int, note: str = "") -> ChatVisit:
    """Someone dealt with a message left outside opening hours (called back, answered by SMS…)."""
    visit = ChatVisit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None:
        raise NotFound(_("Message not found."), code="message_not_found")
    if visit.state != VisitState.LEFT_MESSAGE:
        raise Conflict(_("This message was already followed up."), code="already_followed_up")
    visit.state, visit.followed_up_by, visit.followed_up_at = VisitState.FOLLOWED_UP, actor, clock.now()
    visit.follow_up_note = (note or "").strip()[:500]
    visit.save(update_fields=["state", "followed_up_by", "followed_up_at", "follow_up_note"])
    audit_record(actor=actor, action="update", obj=visit, object_repr=f"message left {visit.pk}",
                 changes={"state": [VisitState.LEFT_MESSAGE, VisitState.FOLLOWED_UP]}, note=visit.follow_up_note)
    return visit
