"""A contact's life: arrival, queue, offer, answer, hold, transfer, end, wrap-up.

Each step is one transaction that updates the contact, writes a ContactEvent
(the detailed CDR), moves the agent's state, and pushes the change to the
desktop, the supervisors and the switch after commit.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, ValidationFailed

from ..models import (
    AgentSession,
    AgentState,
    CallbackReason,
    Channel,
    Contact,
    ContactEvent,
    ContactState,
    Direction,
    Offer,
    Queue,
)
from . import realtime, router_inbox
from .callbacks import callback_request
from .dialer import dial_cancel, dial_out, dial_withdraw
from .purposes import purpose_wrapped_up
from .router import offer_make, progressive_hooks, route_soon
from .states import agent_state_change, wrap_up_until

TIER_PRIORITY = {"vip": 0, "gotone": 1, "other": 2}
LEFT_MESSAGE = "left_message"  # the disposition of a contact that left a message outside opening hours
CS = ContactState


def _event(contact, kind, *, agent=None, **data) -> None:
    ContactEvent.objects.create(contact=contact, at=clock.now(), kind=kind, agent=agent, data=data)


def _lookup(number: str):
    """Caller identification by the switch: no person asks, so the lookup is not scoped to one (the
    contact, once routed, is what shows the customer to its agent)."""
    from kefu.crm.selectors import subscriber_identify_caller

    sub = subscriber_identify_caller(number=number)
    return (sub.customer, sub) if sub else (None, None)


@transaction.atomic
def contact_arrive(*, caller: str, called: str = "", channel: str = Channel.VOICE, external_id: str = "",
                   direction: str = "in", state: str = CS.IVR) -> Contact:
    """A new contact: look the caller up (subscriber → customer → tier) and record it."""
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown channel."), code="invalid_channel")
    customer, subscriber = _lookup((caller or "").strip())
    from kefu.crm.selectors import service_tier

    tier = service_tier(customer, subscriber) if customer else "other"
    contact = Contact.objects.create(channel=channel, direction=direction, external_id=external_id[:64],
                                     caller=(caller or "")[:32], called=(called or "")[:32], customer=customer,
                                     subscriber=subscriber, service_tier=tier, priority=TIER_PRIORITY.get(tier, 2),
                                     state=state)
    _event(contact, "arrived", caller=contact.caller, called=contact.called)
    realtime.to_supervisors({"type": "contact.arrived", "contact": contact.pk, "tier": tier})
    return contact


def contact_test_call_open(*, caller: str, called: str, external_id: str, customer, subscriber, tier: str,
                           disposition: str) -> Contact:
    """A contact for an IVR test call, in the IVR already, marked by its disposition (caller's transaction)."""
    contact = Contact.objects.create(
        channel=Channel.VOICE, direction="in", external_id=external_id, caller=caller, called=called,
        customer=customer, subscriber=subscriber, service_tier=tier, priority=TIER_PRIORITY.get(tier, 2),
        state=CS.IVR, disposition=disposition,
    )
    _event(contact, "arrived", caller=caller, called=called, test=True)
    return contact


def contact_lock(*, contact_id: int) -> Contact | None:
    """The contact's row, locked until the caller's transaction ends (IVR steps of one call serialise on it)."""
    return Contact.objects.select_for_update().filter(pk=contact_id).first()


def contact_event_record(*, contact: Contact, kind: str, data: dict) -> None:
    """A detailed-CDR event written by another door of the contact (the IVR), in the caller's transaction."""
    _event(contact, kind, **data)


def contact_ivr_progress(*, contact_id: int, ivr_path: list[str], identity_verified: bool) -> None:
    """Where the caller went in the IVR and whether they proved who they are."""
    # update(), not save(): contact services may have saved newer fields of the row meanwhile.
    Contact.objects.filter(pk=contact_id).update(ivr_path=ivr_path, identity_verified=identity_verified)


@transaction.atomic
def contact_enqueue(*, contact: Contact, queue: Queue, priority: int | None = None, locked: bool = False) -> Contact:
    """Put the contact in the queue. ``locked``: the caller read ``contact`` with its row lock in this
    transaction (an IVR step does), so it is current and need not be read again."""
    if not locked:
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.state == CS.ENDED:
        raise ValidationFailed(_("The contact has ended."), code="ended")
    from ..selectors import queue_is_open

    if not queue_is_open(queue):
        # Outside opening hours the caller hears the queue's message and the call ends.
        contact.queue, contact.disposition = queue, "queue_closed"
        contact.save(update_fields=["queue", "disposition"])
        _event(contact, "queue_closed", queue=queue.code)
        realtime.to_switch({"type": "play", "call": contact.external_id, "text": queue.closed_message
                            or _("We are closed now. Please call again during our opening hours.")})
        return contact_end(contact_id=contact.pk, by_switch=False)
    now = clock.now()
    contact.queue = queue
    contact.state = CS.QUEUED
    contact.enqueued_at = contact.enqueued_at or now
    if priority is not None:
        contact.priority = priority
    contact.version += 1
    contact.save(update_fields=["queue", "state", "enqueued_at", "priority", "version"])
    _event(contact, "queued", queue=queue.code)
    realtime.to_supervisors({"type": "contact.queued", "contact": contact.pk, "queue": queue.code})
    route_soon(contacts=[contact.pk])
    return contact


@transaction.atomic
def contact_message_left(*, contact_id: int, queue: Queue) -> Contact:
    """Outside the queue's opening hours a written contact (a web chat) leaves a message instead of
    waiting: it ends at once on that queue, marked ``left_message``, for agents and supervisors to follow up."""
    contact = Contact.objects.select_for_update().get(pk=contact_id)
    if contact.state == CS.ENDED:
        raise ValidationFailed(_("The contact has ended."), code="ended")
    contact.queue, contact.disposition = queue, LEFT_MESSAGE
    contact.save(update_fields=["queue", "disposition"])
    _event(contact, "message_left", queue=queue.code)
    return contact_end(contact_id=contact.pk, by_switch=True)


def _my_offer(actor, offer_id) -> Offer:
    """The actor's ringing offer, locked with its contact and session (one statement: on PostgreSQL
    ``FOR UPDATE`` over the join locks all three rows, and the joined keys never change, so the
    re-check after a wait cannot lose the row)."""
    offer = Offer.objects.select_for_update().select_related("contact", "session").filter(pk=offer_id).first()
    if offer is None or offer.staff_id != actor.pk:
        raise NotFound(_("No such offer for you."), code="offer_not_found")
    if offer.state != Offer.State.PENDING:
        raise Conflict(_("This offer is no longer ringing."), code="offer_closed")
    return offer


@transaction.atomic
def offer_accept(*, actor, offer_id: int) -> Contact:
    """The agent takes the offer: an inbound call is routed to their phone; a call Kefu places (a callback's
    preview) is dialled now, with the agent reserved for it."""
    offer = _my_offer(actor, offer_id)
    now = clock.now()
    offer.state, offer.closed_at = Offer.State.ACCEPTED, now
    offer.save(update_fields=["state", "closed_at"])
    contact = offer.contact  # locked with the offer
    placed = contact.direction == Direction.OUTBOUND  # a call Kefu places: connected when answered
    contact.agent_id = actor.pk
    if not placed:
        contact.state, contact.answered_at = CS.CONNECTED, contact.answered_at or now
    contact.version += 1
    contact.save(update_fields=["state", "agent", "answered_at", "version"])
    session = offer.session  # locked with the offer
    if contact.channel == Channel.CHAT:
        session.chat_load += 1
    else:
        session.voice_load += 1
    if session.state != AgentState.BUSY:
        agent_state_change(session, AgentState.BUSY)  # saves the session, its load with it
    else:
        session.save(update_fields=["voice_load", "chat_load"])
    if placed and dial_out(contact=contact, session=session) is not None:
        _event(contact, "preview_accepted", agent=actor)
        return contact
    if placed:  # nothing planned to dial: taken as a call already connected
        contact.state, contact.answered_at = CS.CONNECTED, contact.answered_at or now
        contact.save(update_fields=["state", "answered_at"])
    _event(contact, "answered", agent=actor)
    if contact.channel == Channel.CHAT:
        realtime.to_contact(contact.pk, {"type": "contact.answered", "contact": contact.pk})
    realtime.to_switch({"type": "route", "call": contact.external_id, "extension": session.extension})
    realtime.to_supervisors({"type": "contact.answered", "contact": contact.pk, "staff": actor.pk})
    return contact


@transaction.atomic
def offer_close(*, offer_id: int, state: str, actor=None) -> bool:
    """Reject (by the agent) or expire an offer: the contact goes back, first in line, to someone else."""
    offer = Offer.objects.select_for_update().filter(pk=offer_id, state=Offer.State.PENDING).first()
    if offer is None:
        return False
    if actor is not None and offer.staff_id != actor.pk:
        raise NotFound(_("No such offer for you."), code="offer_not_found")
    now = clock.now()
    offer.state, offer.closed_at = state, now
    offer.save(update_fields=["state", "closed_at"])
    Contact.objects.filter(pk=offer.contact_id, state=CS.OFFERED).update(state=CS.QUEUED, version=F("version") + 1)
    ContactEvent.objects.create(contact_id=offer.contact_id, at=now, kind=f"offer_{state}", agent_id=offer.staff_id)
    session = AgentSession.objects.select_for_update().get(pk=offer.session_id)
    if session.logged_out_at is None and session.state == AgentState.OFFERED:
        if state == Offer.State.EXPIRED:
            agent_state_change(session, AgentState.NOT_READY, reason="no_answer")
        else:
            agent_state_change(session, AgentState.READY)
    realtime.to_agent(offer.staff_id, {"type": "offer.closed", "offer": offer.pk, "state": state})
    route_soon(contacts=[offer.contact_id])
    return True


def withdraw_offers_of(session: AgentSession) -> None:
    for pk in Offer.objects.filter(session=session, state=Offer.State.PENDING).values_list("pk", flat=True):
        offer_close(offer_id=pk, state=Offer.State.WITHDRAWN)


def offers_expire() -> int:
    """Offers not answered in time: the contact goes to the next agent, the agent goes not ready."""
    now = clock.now()
    n = 0
    for pk in Offer.objects.filter(state=Offer.State.PENDING, expires_at__lte=now).values_list("pk", flat=True):
        if offer_close(offer_id=pk, state=Offer.State.EXPIRED):
            n += 1
    return n


def _my_contact(actor, contact_id) -> Contact:
    """The actor's own contact. Anyone else's is answered like one that does not exist, as offers are:
    a desk acts on its own calls only, and contact ids of other agents and branches reveal nothing."""
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    if contact is None or contact.agent_id != actor.pk:
        raise NotFound(_("Contact not found."), code="contact_not_found")
    return contact


def _session_of(actor) -> AgentSession:
    s = AgentSession.objects.select_for_update().filter(staff=actor, logged_out_at__isnull=True).first()
    if s is None:
        raise NotFound(_("Log in to the contact center first."), code="not_logged_in")
    return s


@transaction.atomic
def contact_hold(*, actor, contact_id: int, hold: bool) -> Contact:
    contact = _my_contact(actor, contact_id)
    now = clock.now()
    session = _session_of(actor)
    if hold and contact.state == CS.CONNECTED:
        contact.state, contact.held_since = CS.HELD, now
        agent_state_change(session, AgentState.HOLD)
    elif not hold and contact.state == CS.HELD:
        if contact.held_since is not None:
            contact.hold_seconds += int((now - contact.held_since).total_seconds())
        contact.state, contact.held_since = CS.CONNECTED, None
        agent_state_change(session, AgentState.BUSY)
    else:
        raise ValidationFailed(_("The contact is not in a state to do that."), code="invalid_state")
    contact.version += 1
    contact.save()
    _event(contact, "held" if hold else "unheld", agent=actor)
    realtime.to_switch({"type": "hold" if hold else "unhold", "call": contact.external_id})
    return contact


def _release_agent(session: AgentSession, contact: Contact) -> None:
    """The agent's part of the contact is over: free the slot, start wrap-up."""
    if contact.channel == Channel.CHAT:
        session.chat_load = max(0, session.chat_load - 1)
    else:
        session.voice_load = max(0, session.voice_load - 1)
    session.wrap_up_until = clock.now() + wrap_up_until()
    if session.voice_load == 0 and session.chat_load == 0:
        agent_state_change(session, AgentState.WRAP_UP, reason=session.reason if session.reason != "login" else "",
                           also=("wrap_up_until",))
    else:
        session.save(update_fields=["voice_load", "chat_load", "wrap_up_until"])


@transaction.atomic
def contact_transfer(*, actor, contact_id: int, to_queue: Queue | None = None, to_staff=None,
                     to_number: str = "") -> Contact:
    contact = _my_contact(actor, contact_id)
    if contact.state not in (CS.CONNECTED, CS.HELD):
        raise ValidationFailed(_("Only a connected contact can be transferred."), code="invalid_state")
    session = _session_of(actor)
    if contact.state == CS.HELD and contact.held_since is not None:
        contact.hold_seconds += int((clock.now() - contact.held_since).total_seconds())
        contact.held_since = None
    contact.transfers += 1
    target = ""
    dest: AgentSession | None = None
    if to_queue is not None:
        contact.state, contact.agent, contact.queue = CS.QUEUED, None, to_queue
        target = f"queue:{to_queue.code}"
    elif to_staff is not None:
        dest = AgentSession.objects.filter(staff=to_staff, logged_out_at__isnull=True, state=AgentState.READY).first()
        if dest is None:
            raise ValidationFailed(_("%(name)s is not ready to take a contact.") % {"name": to_staff.name},
                                   code="target_not_ready")
        contact.state, contact.agent = CS.QUEUED, None
        target = f"agent:{to_staff.employee_no}"
    elif to_number:
        if not to_number.replace("-", "").isdigit() or len(to_number) > 20:
            raise ValidationFailed(_("Enter a telephone number."), code="invalid_number")
        contact.state, contact.ended_at = CS.ENDED, clock.now()
        target = f"number:{to_number}"
    else:
        raise ValidationFailed(_("Choose where to transfer to."), code="target_required")
    contact.version += 1
    contact.save()
    _event(contact, "transferred", agent=actor, to=target)
    _release_agent(session, contact)
    if contact.channel == Channel.CHAT:
        realtime.to_contact(contact.pk, {"type": "contact.transferred", "contact": contact.pk})
    realtime.to_switch({"type": "transfer", "call": contact.external_id, "to": target})
    if dest is not None:
        from kefu.params.selectors import param_get

        dest.refresh_from_db()
        offer_make(contact.pk, dest, clock.now(), param_get("contactcenter.offer_timeout"))
    else:
        route_soon(contacts=[contact.pk])
    return contact


@transaction.atomic
def contact_conference(*, actor, contact_id: int, number: str) -> Contact:
    contact = _my_contact(actor, contact_id)
    if contact.state != CS.CONNECTED:
        raise ValidationFailed(_("Only a connected contact can be joined by a third party."), code="invalid_state")
    if not number or not number.replace("-", "").isdigit() or len(number) > 20:
        raise ValidationFailed(_("Enter a telephone number."), code="invalid_number")
    contact.conference = True
    contact.version += 1
    contact.save()
    _event(contact, "conference", agent=actor, number=number)
    realtime.to_switch({"type": "conference", "call": contact.external_id, "number": number})
    return contact


@transaction.atomic
def contact_end(*, contact_id: int, actor=None, by_switch: bool = False) -> Contact:
    """The contact ends: by the agent, or by the caller hanging up (reported by the switch)."""
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    if contact is None or (actor is not None and not by_switch and contact.agent_id != actor.pk):
        raise NotFound(_("Contact not found."), code="contact_not_found")
    if contact.state == CS.ENDED:
        return contact
    if contact.state == CS.DIALLING:  # the agent hangs up before the customer answered
        dial_cancel(contact=contact)
        return contact
    now = clock.now()
    was = contact.state
    if was == CS.HELD and contact.held_since:
        contact.hold_seconds += int((now - contact.held_since).total_seconds())
    if was in (CS.QUEUED, CS.OFFERED, CS.IVR) and contact.answered_at is None:
        contact.abandoned = was != CS.IVR
        for pk in Offer.objects.filter(contact=contact, state=Offer.State.PENDING).values_list("pk", flat=True):
            offer_close(offer_id=pk, state=Offer.State.WITHDRAWN)
    contact.state, contact.ended_at = CS.ENDED, now
    contact.version += 1
    contact.save(update_fields=["state", "ended_at", "version", "hold_seconds", "abandoned"])
    if was == CS.QUEUED:
        router_inbox.tell(contacts=[contact.pk])  # off the router's board
    _event(contact, "ended", agent=actor if getattr(actor, "pk", None) else None, abandoned=contact.abandoned)
    if was in (CS.CONNECTED, CS.HELD) and contact.agent_id:
        session = AgentSession.objects.select_for_update().filter(staff_id=contact.agent_id,
                                                                  logged_out_at__isnull=True).first()
        if session is not None:
            _release_agent(session, contact)
        realtime.to_agent(contact.agent_id, {"type": "contact.ended", "contact": contact.pk})
    if contact.channel == Channel.CHAT:
        realtime.to_contact(contact.pk, {"type": "contact.ended", "contact": contact.pk})
    if not by_switch:
        realtime.to_switch({"type": "hangup", "call": contact.external_id})
    realtime.to_supervisors({"type": "contact.ended", "contact": contact.pk, "abandoned": contact.abandoned})
    return contact


@transaction.atomic
def outbound_contact_withdraw(*, contact_id: int) -> bool:
    """A call Kefu was to place is no longer wanted (its campaign stopped) while it still waits for an
    agent: it ends unplaced (not abandoned), its ringing offer is withdrawn. False once an agent took it."""
    contact = Contact.objects.select_for_update().filter(pk=contact_id, direction=Direction.OUTBOUND).first()
    if contact is None or contact.state not in (CS.QUEUED, CS.OFFERED):
        return False
    for pk in Offer.objects.filter(contact=contact, state=Offer.State.PENDING).values_list("pk", flat=True):
        offer_close(offer_id=pk, state=Offer.State.WITHDRAWN)
    contact.refresh_from_db()
    contact.state, contact.ended_at, contact.disposition = CS.ENDED, clock.now(), "withdrawn"
    contact.version += 1
    contact.save(update_fields=["state", "ended_at", "disposition", "version"])
    router_inbox.tell(contacts=[contact.pk])  # off the router's board
    _event(contact, "withdrawn")
    dial_withdraw(contact=contact)
    return True


def _handled_by(contact: Contact, actor) -> bool:
    """Did ``actor`` answer this contact at some point (before a transfer, say)?"""
    return ContactEvent.objects.filter(contact=contact, agent=actor, kind="answered").exists()


@transaction.atomic
def contact_wrap_up(*, actor, contact_id: int, disposition: str, notes: str = "") -> Contact:
    """Record how the agent's part of the contact ended.

    Wrap-up belongs to every agent who handled the contact: the one holding it
    when it ended, and each one who answered it and transferred it on. The
    current agent's wrap-up is the contact's disposition; an earlier handler's
    is kept in the contact's events, with the contact left as the next agent has it.
    """
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    current = contact is not None and contact.agent_id == actor.pk
    if contact is None or (not current and not _handled_by(contact, actor)):
        raise NotFound(_("Contact not found."), code="contact_not_found")
    if current and contact.state not in (CS.ENDED, CS.WRAP_UP):
        raise ValidationFailed(_("End the contact before wrapping it up."), code="invalid_state")
    disposition = (disposition or "").strip()
    if not disposition:
        raise ValidationFailed(_("Choose how the contact ended (disposition)."), code="disposition_required")
    disposition, notes = disposition[:32], (notes or "")[:2000]
    if current and contact.direction == Direction.OUTBOUND:  # a call Kefu placed: its purpose records it
        purpose_wrapped_up(contact=contact, actor=actor, disposition=disposition, notes=notes)
    if current:
        contact.disposition, contact.notes = disposition, notes
        contact.wrap_up_ended_at = clock.now()
        contact.version += 1
        contact.save(update_fields=["disposition", "notes", "wrap_up_ended_at", "version"])
    _event(contact, "wrapped_up", agent=actor, disposition=disposition, **({} if current else {"notes": notes}))
    session = _session_of(actor)
    if session.state == AgentState.WRAP_UP and not session.voice_load and not session.chat_load:
        pending = session.reason if session.reason not in ("", "after_call", "login") else ""
        agent_state_change(session, AgentState.NOT_READY if pending else AgentState.READY, reason=pending)
        if not pending:
            route_soon()
    audit_record(actor=actor, action="update", obj=contact, object_repr=f"contact {contact.pk}",
                 changes={"disposition": [None, disposition]}, note="" if current else "wrap-up after transfer")
    return contact


def max_waits_apply() -> int:
    """Callers past their queue's maximum wait get what the queue says: callback, voicemail or a message."""
    from datetime import timedelta

    now = clock.now()
    done = 0
    for c in Contact.objects.filter(state=CS.QUEUED, direction="in").select_related("queue")[:500]:
        if c.queue is None or c.enqueued_at is None:
            continue
        if now - c.enqueued_at < timedelta(seconds=c.queue.max_wait_seconds):
            continue
        action = c.queue.max_wait_action
        if action == Queue.MaxWaitAction.CALLBACK and c.caller:
            callback_request(contact_id=c.pk, reason=CallbackReason.MAX_WAIT)
        else:
            with transaction.atomic():
                Contact.objects.filter(pk=c.pk).update(disposition=action)
                realtime.to_switch({"type": "play", "call": c.external_id, "text": c.queue.closed_message
                                    or _("All our agents are busy. Please call again later.")})
                contact_end(contact_id=c.pk, by_switch=False)
        done += 1
    return done


def _progressive_take(*, offer: Offer, staff) -> None:
    """A call placed in progressive mode is dialled as soon as it is offered (the router's hook)."""
    offer_accept(actor=staff, offer_id=offer.pk)


if _progressive_take not in progressive_hooks:
    progressive_hooks.append(_progressive_take)
