"""Reads of chat entries, chats, transcripts and messages left.

A chat belongs to its entry's organisation. Agents read their own chats;
holders of ``contactcenter.contact.view`` (supervisors, quality staff) read
any transcript in their scope. What customers wrote is customer data: every
transcript, history and list shown to staff is an audited read.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kefu.audit.reads import audit_read
from kefu.core.errors import NotFound
from kefu.iam.permissions import has_perm
from kefu.orgs.selectors import scope_queryset

from .models import ChatEntry, ChatMessage, ChatVisit, VisitState

TRANSCRIPT_TYPE = "webchat.transcript"
LEFT_TYPE = "webchat.left_message"
TALKING = ("connected", "held")


def _pk(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None


# --- entries -----------------------------------------------------------------------------------------


def entry_list(*, actor) -> QuerySet[ChatEntry]:
    return scope_queryset(ChatEntry.objects.select_related("org", "queue"), actor).order_by("hotline")


def entry_get(*, actor, entry_id) -> ChatEntry:
    pk = _pk(entry_id)
    entry = entry_list(actor=actor).filter(pk=pk).first() if pk else None
    if entry is None:
        raise NotFound(_("Chat entry not found."), code="entry_not_found")
    return entry


def entry_for_hotline(*, hotline: str) -> ChatEntry:
    """The enabled chat page of a hotline, for the public (no person is logged in)."""
    entry = (ChatEntry.objects.select_related("queue").filter(hotline=(hotline or "")[:32], enabled=True).first())
    if entry is None:
        raise NotFound(_("No online service on this number."), code="entry_not_found")
    return entry


# --- the customer's side ---------------------------------------------------------------------------------


def visit_by_token(*, entry: ChatEntry | None = None, token: str) -> ChatVisit | None:
    """The visit a customer's browser holds the key of (unique index on the token)."""
    if not token:
        return None
    qs = ChatVisit.objects.select_related("entry__queue", "contact")
    if entry is not None:
        qs = qs.filter(entry=entry)
    return qs.filter(token=token).first()


def visit_state(visit: ChatVisit) -> str:
    """The state the customer sees: a chat whose contact ended (by the agent too) has ended."""
    if visit.state == VisitState.CHATTING and visit.contact is not None and visit.contact.state == "ended":
        return VisitState.ENDED
    return visit.state


def messages_of(contact_id: int) -> list[ChatMessage]:
    # webchat_message_contact_idx (contact_id, at)
    return list(ChatMessage.objects.filter(contact_id=contact_id).select_related("staff").order_by("at", "id"))


def message_file_for_visit(*, visit: ChatVisit, message_id) -> ChatMessage:
    pk = _pk(message_id)
    m = ChatMessage.objects.filter(pk=pk, visit=visit).exclude(file="").first() if pk else None
    if m is None:
        raise NotFound(_("File not found."), code="file_not_found")
    return m


# --- staff ---------------------------------------------------------------------------------------------------


def _scoped_visits(actor) -> QuerySet[ChatVisit]:
    return scope_queryset(ChatVisit.objects.select_related("entry", "contact", "contact__agent",
                                                           "contact__customer"), actor, field="entry__org")


def _may_read(actor, visit: ChatVisit) -> bool:
    """Holders of contact records read what their scope holds; an agent, the chats they hold or held last."""
    if has_perm(actor, "contactcenter.contact.view"):
        return _scoped_visits(actor).filter(pk=visit.pk).exists()
    return has_perm(actor, "contactcenter.desk.use") and visit.contact is not None and visit.contact.agent_id == actor.pk


def _audit(actor, visits: list[ChatVisit], *, note: str = "", conditions: dict | None = None) -> None:
    audit_read(actor=actor, object_type=TRANSCRIPT_TYPE, items=[(v.contact_id, f"chat {v.contact_id}") for v in visits],
               customers=[v.customer_id for v in visits if v.customer_id], note=note, conditions=conditions,
               result_count=len(visits) if conditions is not None else None)


def transcript_get(*, actor, contact_id) -> tuple[ChatVisit, list[ChatMessage]]:
    """The chat of a contact and its messages, as far as the actor may read it (logged as a read)."""
    pk = _pk(contact_id)
    visit = (ChatVisit.objects.select_related("entry", "contact", "contact__agent").filter(contact_id=pk).first()
             if pk else None)
    if visit is None or not _may_read(actor, visit):
        raise NotFound(_("Chat not found."), code="chat_not_found")
    _audit(actor, [visit])
    return visit, messages_of(visit.contact_id)  # type: ignore[arg-type]


def my_chats(*, actor) -> list[tuple[ChatVisit, list[ChatMessage]]]:
    """The chats the agent is holding now, oldest answer first, with their messages (logged as a read)."""
    visits = list(ChatVisit.objects.select_related("entry", "contact").filter(
        contact__agent=actor, contact__state__in=TALKING).order_by("contact__answered_at", "pk"))
    if visits:
        _audit(actor, visits, note="agent desktop chats")
    return [(v, messages_of(v.contact_id)) for v in visits]  # type: ignore[arg-type]


def chat_history(*, actor, contact_id, limit: int = 5) -> list[tuple[ChatVisit, list[ChatMessage]]]:
    """The customer's earlier chats (same customer, or the same number for a guest), newest first, for the
    agent holding the current one (logged as a read)."""
    pk = _pk(contact_id)
    visit = (ChatVisit.objects.select_related("contact").filter(contact_id=pk, contact__agent=actor).first()
             if pk else None)
    if visit is None:
        raise NotFound(_("Chat not found."), code="chat_not_found")
    earlier = ChatVisit.objects.select_related("entry", "contact").exclude(pk=visit.pk).exclude(contact=None)
    if visit.customer_id:
        earlier = earlier.filter(customer_id=visit.customer_id)  # webchat_visit_customer_idx
    else:
        earlier = earlier.filter(mobile=visit.mobile, customer_id__isnull=True)  # webchat_visit_mobile_idx
    rows = list(earlier.filter(created_at__lt=visit.created_at).order_by("-created_at", "-pk")[:limit])
    if rows:
        _audit(actor, rows, note="earlier chats of the customer")
    return [(v, messages_of(v.contact_id)) for v in rows]  # type: ignore[arg-type]


def message_file_for_staff(*, actor, message_id) -> ChatMessage:
    pk = _pk(message_id)
    m = ChatMessage.objects.select_related("visit__contact").filter(pk=pk).exclude(file="").first() if pk else None
    if m is None or not _may_read(actor, m.visit):
        raise NotFound(_("File not found."), code="file_not_found")
    audit_read(actor=actor, object_type="webchat.file", items=[(m.pk, m.file_name)],
               customers=[m.visit.customer_id] if m.visit.customer_id else [])
    return m


def left_messages(*, actor, open_only: bool = True, limit: int = 100) -> list[tuple[ChatVisit, list[ChatMessage]]]:
    """Messages left outside opening hours, oldest first (to be followed up in order), with their text."""
    states = [VisitState.LEFT_MESSAGE] if open_only else [VisitState.LEFT_MESSAGE, VisitState.FOLLOWED_UP]
    # webchat_visit_state_idx (state, created_at)
    rows = list(_scoped_visits(actor).select_related("followed_up_by").filter(state__in=states)
                .order_by("created_at", "pk")[:limit])
    audit_read(actor=actor, object_type=LEFT_TYPE, items=[(v.pk, f"message left {v.pk}") for v in rows],
               customers=[v.customer_id for v in rows if v.customer_id],
               conditions={"open": open_only}, result_count=len(rows))
    return [(v, messages_of(v.contact_id)) for v in rows]  # type: ignore[arg-type]


def left_message_get(*, actor, visit_id) -> ChatVisit:
    pk = _pk(visit_id)
    visit = (_scoped_visits(actor).filter(pk=pk, state__in=[VisitState.LEFT_MESSAGE, VisitState.FOLLOWED_UP]).first()
             if pk else None)
    if visit is None:
        raise NotFound(_("Message not found."), code="message_not_found")
    return visit
