"""Outbound dialling through the switch (preview and progressive): agent reserved, then dial, then bridge.

``dial_plan`` records what to call (number, purpose) with an outbound contact, which then waits in a
queue like a call: the router offers it to an agent through the same offer as an inbound call (one
routing path), and the agent sees it as a preview. When the agent accepts (``offer_accept``) the agent
is reserved, and ``dial_out`` asks the switch to call (the ``dial`` command). The switch reports
``dial.ringing``, then ``dial.answered`` (Kefu answers ``bridge`` to the agent's extension) or
``dial.failed`` with its outcome. A timer (``dials_expire``) fails a dial the switch never reports on,
so no agent stays reserved and no dial stays open for ever.

Whoever asked for the dial hears how it went through its purpose (``purpose_register``): callbacks
today, campaigns later. See docs/cti.md ("Outbound dialling").
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import NotFound, ValidationFailed
from kefu.params.selectors import param_get

from ..models import (
    AgentSession,
    AgentState,
    Contact,
    ContactEvent,
    ContactState,
    Dial,
    DialOutcome,
    DialState,
)
from . import realtime
from .purposes import _tell_purpose
from .router import route_soon
from .states import agent_state_change

CS = ContactState
OPEN = (DialState.DIALLING, DialState.RINGING)
#: Q.850 cause names (lower case) of a leg that ended before any dial.* outcome, and what they mean.
CAUSE_OUTCOMES = {
    "user_busy": DialOutcome.BUSY, "call_rejected": DialOutcome.REJECTED,
    "unallocated_number": DialOutcome.INVALID_NUMBER, "invalid_number_format": DialOutcome.INVALID_NUMBER,
    "no_user_response": DialOutcome.NO_ANSWER, "no_answer": DialOutcome.NO_ANSWER,
}


def outbound_contact_open(*, number: str, queue_id: int, purpose: str, customer_id: int | None = None,
                          subscriber_id: int | None = None, service_tier: str = "other", priority: int = 2,
                          attempt: int = 1, caller_id: str = "") -> Contact:
    """A call Kefu is to place for ``purpose``: an outbound contact queued in ``queue_id`` with its planned
    dial, offered through the router like any call (caller's transaction; routed after commit)."""
    out = Contact.objects.create(channel="voice", direction="out", caller=number[:32],
                                 customer_id=customer_id, subscriber_id=subscriber_id, service_tier=service_tier,
                                 priority=priority, state=CS.QUEUED, queue_id=queue_id, enqueued_at=clock.now())
    dial_plan(contact=out, number=number, purpose=purpose, attempt=attempt, caller_id=caller_id)
    _event(out.pk, "outbound_queued", purpose=purpose, attempt=attempt)
    route_soon(contacts=[out.pk])
    return out


def _event(contact_id: int, kind: str, *, agent_id=None, **data) -> None:
    ContactEvent.objects.create(contact_id=contact_id, at=clock.now(), kind=kind, agent_id=agent_id, data=data)


def dial_command(dial: Dial) -> dict:
    """The ``dial`` command as pushed to the switch (and listed to switches that poll)."""
    ring = param_get("contactcenter.dial.ring_timeout")
    return {"type": "dial", "call_id": dial.dial_id, "dial_id": dial.dial_id, "to": dial.number,
            "caller_id": dial.caller_id, "purpose": dial.purpose, "timeout": int(ring.total_seconds())}


def bridge_command(dial: Dial) -> dict:
    return {"type": "bridge", "call_id": dial.call_id or dial.dial_id, "dial_id": dial.dial_id,
            "extension": dial.extension}


def dial_plan(*, contact: Contact, number: str, purpose: str, callback=None, attempt: int = 1,
              caller_id: str = "") -> Dial:
    """What to call for an outbound contact, before any agent is reserved (in the caller's transaction)."""
    number = (number or "").strip()
    if not number or len(number) > 32:
        raise ValidationFailed(_("Enter the number to call."), code="invalid_number")
    caller_id = caller_id or str(param_get("contactcenter.dial.caller_id"))
    return Dial.objects.create(contact=contact, callback=callback, purpose=purpose[:16], number=number,
                               caller_id=caller_id[:32], dial_id=f"kefu-{uuid.uuid4().hex}", attempt=attempt)


def dial_out(*, contact: Contact, session: AgentSession) -> Dial | None:
    """The agent of ``session`` is reserved for ``contact``: ask the switch to call the customer.

    In the caller's transaction, with the contact and the session locked (``offer_accept``). Returns
    None when the contact has no planned dial (it is not a call Kefu places).
    """
    # Uses the dial's one-to-one index on contact.
    dial = Dial.objects.select_for_update().filter(contact=contact, state=DialState.PLANNED).first()
    if dial is None:
        return None
    now = clock.now()
    dial.state, dial.staff_id, dial.extension = DialState.DIALLING, session.staff_id, session.extension
    dial.requested_at = now
    dial.deadline = now + param_get("contactcenter.dial.ring_timeout") + param_get("contactcenter.dial.timeout")
    dial.save()
    contact.state, contact.external_id = CS.DIALLING, dial.dial_id
    contact.version += 1
    contact.save(update_fields=["state", "external_id", "version"])
    _event(contact.pk, "dial_requested", agent_id=session.staff_id, dial=dial.dial_id, number=dial.number,
           attempt=dial.attempt, purpose=dial.purpose)
    realtime.to_switch(dial_command(dial))
    realtime.to_supervisors({"type": "dial.requested", "contact": contact.pk, "staff": session.staff_id})
    _tell_purpose(dial, "started")
    return dial


def _locked(dial_id: str) -> tuple[Dial, Contact]:
    """The dial and its contact, locked contact first (the order every dial path takes)."""
    contact_id = Dial.objects.filter(dial_id=dial_id).values_list("contact_id", flat=True).first()
    if contact_id is None:
        raise NotFound(_("Kefu knows no dial %(dial_id)s.") % {"dial_id": dial_id}, code="unknown_dial",
                       details={"dial_id": dial_id})
    contact = Contact.objects.select_for_update().get(pk=contact_id)
    return Dial.objects.select_for_update().get(dial_id=dial_id), contact


def _leg(dial: Dial, contact: Contact, call_id: str) -> None:
    """The switch named the leg itself (instead of taking the dial id): later call.* events use that id."""
    if call_id and call_id != (dial.call_id or dial.dial_id):
        dial.call_id = call_id
        contact.external_id = call_id
        contact.save(update_fields=["external_id"])


@transaction.atomic
def dial_ringing(*, dial_id: str, call_id: str = "") -> Dial:
    """The customer's phone rings. Repeated or late (the dial is over), it changes nothing."""
    dial, contact = _locked(dial_id)
    if dial.state == DialState.DIALLING:
        _leg(dial, contact, call_id)
        dial.state, dial.ringing_at = DialState.RINGING, clock.now()
        dial.save()
        _event(contact.pk, "dial_ringing", agent_id=dial.staff_id, dial=dial.dial_id)
        if dial.staff_id:
            realtime.to_agent(dial.staff_id, {"type": "dial.ringing", "dial": dial.pk, "contact": contact.pk})
    return dial


@transaction.atomic
def dial_answered(*, dial_id: str, call_id: str = "") -> list[dict]:
    """The customer answered: the contact is connected and the leg is bridged to the reserved agent.

    Returns the commands for the switch: ``bridge`` (again, if the answer is repeated), or ``hangup`` when
    Kefu had already given the dial up (its timer ran out, the agent cancelled).
    """
    dial, contact = _locked(dial_id)
    if dial.state == DialState.ANSWERED:
        return _connect(dial)
    if dial.state not in OPEN:
        leg = call_id or dial.call_id or dial.dial_id
        _event(contact.pk, "dial_answered_late", dial=dial.dial_id, outcome=dial.outcome)
        return [{"type": "hangup", "call_id": leg}]
    now = clock.now()
    _leg(dial, contact, call_id)
    dial.state, dial.outcome, dial.answered_at, dial.deadline = DialState.ANSWERED, DialOutcome.ANSWERED, now, None
    dial.save()
    contact.state, contact.answered_at = CS.CONNECTED, now
    contact.version += 1
    contact.save(update_fields=["state", "answered_at", "version"])
    _event(contact.pk, "answered", agent_id=dial.staff_id, dial=dial.dial_id)
    if dial.staff_id:
        realtime.to_agent(dial.staff_id, {"type": "dial.answered", "dial": dial.pk, "contact": contact.pk})
    realtime.to_supervisors({"type": "contact.answered", "contact": contact.pk, "staff": dial.staff_id})
    _tell_purpose(dial, "finished")
    return _connect(dial)


def _connect(dial: Dial) -> list[dict]:
    """An answered leg goes to its agent (``bridge``), or hears its announcement when it has no agent."""
    if dial.script and not dial.staff_id:
        from .announcements import announcement_answered

        return announcement_answered(dial)
    return [bridge_command(dial)]


@transaction.atomic
def dial_failed(*, dial_id: str, outcome: str, cause: str = "", call_id: str = "") -> Dial:
    """The switch could not reach the customer (busy, no answer, a machine, rejected, no such number)."""
    dial, contact = _locked(dial_id)
    if dial.state in OPEN:
        _leg(dial, contact, call_id)
        _fail(dial, contact, outcome, cause=cause, tell_switch=False)
    return dial


def dial_leg_ended(*, contact: Contact, cause: str) -> None:
    """The switch reports the leg's end (``call.ended``) before any outcome: a failure named by the cause.

    In the caller's transaction, with the contact locked.
    """
    dial = Dial.objects.select_for_update().filter(contact=contact, state__in=OPEN).first()
    if dial is not None:
        _fail(dial, contact, CAUSE_OUTCOMES.get(cause, DialOutcome.NO_ANSWER), cause=cause, tell_switch=False)


def dial_cancel(*, contact: Contact) -> None:
    """The agent ends a contact still dialling: the dial fails as cancelled and the switch drops the leg.

    In the caller's transaction, with the contact locked.
    """
    dial = Dial.objects.select_for_update().filter(contact=contact, state__in=OPEN).first()
    if dial is not None:
        _fail(dial, contact, DialOutcome.CANCELLED, tell_switch=True)


def dial_withdraw(*, contact: Contact) -> None:
    """The planned dial of a contact withdrawn before any agent took it ends as cancelled (caller's
    transaction); its purpose is not told: whoever withdrew it knows."""
    Dial.objects.filter(contact=contact, state=DialState.PLANNED).update(
        state=DialState.FAILED, outcome=DialOutcome.CANCELLED, ended_at=clock.now())


def _fail(dial: Dial, contact: Contact, outcome: str, *, cause: str = "", tell_switch: bool) -> None:
    now = clock.now()
    dial.state, dial.outcome, dial.cause = DialState.FAILED, outcome, (cause or "")[:32]
    dial.ended_at, dial.deadline = now, None
    dial.save()
    if contact.state != CS.ENDED:
        contact.state, contact.ended_at, contact.disposition = CS.ENDED, now, outcome
        contact.version += 1
        contact.save(update_fields=["state", "ended_at", "disposition", "version"])
    _event(contact.pk, "dial_failed", agent_id=dial.staff_id, dial=dial.dial_id, outcome=outcome, cause=cause)
    if tell_switch:
        realtime.to_switch({"type": "hangup", "call": contact.external_id})
    if dial.staff_id:
        _free_agent(dial.staff_id)
        realtime.to_agent(dial.staff_id, {"type": "dial.failed", "dial": dial.pk, "contact": contact.pk,
                                          "outcome": outcome})
    realtime.to_supervisors({"type": "contact.ended", "contact": contact.pk, "abandoned": False})
    _tell_purpose(dial, "finished")


def _free_agent(staff_id: int) -> None:
    """Nobody was reached: the reserved agent is free again at once (no talk, so no wrap-up), or goes to the
    not-ready state asked for meanwhile."""
    session = AgentSession.objects.select_for_update().filter(staff_id=staff_id, logged_out_at__isnull=True).first()
    if session is None:
        return
    session.voice_load = max(0, session.voice_load - 1)
    session.save(update_fields=["voice_load"])
    if session.voice_load or session.chat_load or session.state not in (AgentState.BUSY, AgentState.HOLD):
        return
    pending = session.reason if session.reason not in ("", "after_call", "login") else ""
    agent_state_change(session, AgentState.NOT_READY if pending else AgentState.READY, reason=pending)
    if not pending:
        route_soon(agents=[staff_id])


def dials_expire() -> int:
    """Dials the switch has not reported on by their deadline fail as ``timeout``; the agent is freed."""
    now = clock.now()
    done = 0
    # Uses dial_open_idx (state, deadline).
    for pk, contact_id in Dial.objects.filter(state__in=OPEN, deadline__lte=now).values_list("pk", "contact_id")[:500]:
        with transaction.atomic():
            contact = Contact.objects.select_for_update().get(pk=contact_id)
            dial = Dial.objects.select_for_update().get(pk=pk)
            if dial.state in OPEN and dial.deadline is not None and dial.deadline <= now:
                _fail(dial, contact, DialOutcome.TIMEOUT, tell_switch=True)
                done += 1
    return done


def dials_pending(limit: int = 100) -> list[dict]:
    """``dial`` commands the switch has not answered yet, oldest first (for switches that poll over HTTP)."""
    # Uses dial_open_idx (state, deadline).
    dials = Dial.objects.filter(state=DialState.DIALLING).order_by("deadline", "pk")[:limit]
    return [dial_command(d) for d in dials]
