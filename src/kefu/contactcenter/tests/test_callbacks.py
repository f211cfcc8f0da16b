"""Callbacks that really call back: the whole story through the CTI adapter and the simulated switch.

Queue GEN has a maximum wait of 20 s and nobody is ready; the caller presses 0 and waits; Kefu turns the
wait into a callback. An agent goes ready, gets the callback as a preview, accepts; Kefu dials through
the switch, the customer answers (or not), the answered leg is bridged to the agent.
"""

import random
from datetime import UTC, datetime, timedelta

import pytest

from kefu.audit.models import AuditEntry
from kefu.contactcenter import selectors
from kefu.contactcenter.cti.adapter import CtiAdapter
from kefu.contactcenter.models import Callback, Contact, ContactEvent, Dial, Offer
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.simswitch import (
    CallerPool,
    InProcessTransport,
    OutboundBehaviour,
    SimSwitch,
    place_call,
)
from kefu.contactcenter.simswitch.runner import run_simulated
from kefu.core import clock
from kefu.core.testing import make_staff
from kefu.params.services import param_set

from .cti_support import StubIvr

ANSWER = OutboundBehaviour(busy=0, rejected=0, answer=1, answer_machine=0, ring=(2.0, 2.0), talk=600)
BUSY = OutboundBehaviour(busy=1, rejected=0, answer=0, answer_machine=0)


@pytest.fixture
def story(cc):
    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    cc.q_general.max_wait_seconds = 20
    cc.q_general.save()
    transport = InProcessTransport(adapter=CtiAdapter(runtime=StubIvr()))
    return cc, transport


def switch_for(transport, outbound):
    return SimSwitch(transport, rate=0, pool=CallerPool(), rng=random.Random(1), outbound=outbound, poll_every=1.0)


def wait_for_callback(cc, transport, switch) -> Callback:
    call_id, commands = place_call(transport, caller="13900000002", keys=["0"])
    assert commands[-1] == {"type": "queue", "call_id": call_id, "queue": "GEN"}
    run_simulated(switch, seconds=25)
    cb = Callback.objects.get()
    inbound = Contact.objects.get(external_id=call_id)
    assert inbound.state == "ended" and inbound.callback_requested and not inbound.abandoned
    assert cb.state == "waiting" and cb.reason == "max_wait" and cb.number == "13900000002" and cb.attempts == 0
    assert cb.outbound_contact.direction == "out" and cb.outbound_contact.state == "queued"
    assert not Offer.objects.exists()  # nobody ready: it waits, keeping the caller's place
    return cb


def test_no_agent_ready_then_callback_preview_dial_answer_bridge_wrap_up_done(story):
    cc, transport = story
    switch = switch_for(transport, ANSWER)
    cb = wait_for_callback(cc, transport, switch)
    agent = cc.agents[0]
    ag.agent_login(actor=agent, extension="8001")
    ag.agent_set_state(actor=agent, state="ready")
    run_simulated(switch, seconds=1)

    offer = Offer.objects.get(state="pending")
    assert offer.staff == agent and offer.contact == cb.outbound_contact
    preview = selectors.desk_state(actor=agent)["offer"]["pop"]
    assert preview["caller"] == "13900000002" and preview["customer"]["name"] == "刘普通"
    assert preview["outbound"]["purpose"] == "callback" and preview["outbound"]["reason"] == "max_wait"
    assert preview["outbound"]["attempt"] == 1 and preview["outbound"]["max_attempts"] == 3
    assert not Dial.objects.exclude(state="planned").exists()  # nothing is dialled before the agent accepts

    contact = ct.offer_accept(actor=agent, offer_id=offer.pk)
    dial = Dial.objects.get()
    assert contact.state == "dialling" and contact.answered_at is None and contact.external_id == dial.dial_id
    assert dial.state == "dialling" and dial.extension == "8001" and dial.number == "13900000002"
    assert Callback.objects.get().state == "dialling"
    assert ag.live_session(agent).state == "busy"

    run_simulated(switch, seconds=5)  # the switch picks the dial up, rings, the customer answers
    dial.refresh_from_db()
    contact.refresh_from_db()
    assert dial.state == "answered" and dial.outcome == "answered" and dial.ringing_at and dial.answered_at
    assert contact.state == "connected" and contact.answered_at and contact.agent == agent
    assert switch.calls[dial.dial_id].phase == "talking" and switch.calls[dial.dial_id].extension == "8001"
    assert ContactEvent.objects.filter(contact=contact, kind="cti_answered", data__confirmed=True).exists()
    cb.refresh_from_db()
    assert cb.state == "done" and cb.attempts == 1 and cb.last_outcome == "answered" and cb.ended_at

    ct.contact_end(contact_id=contact.pk, actor=agent)
    run_simulated(switch, seconds=2)
    assert switch.stats.dial_answered == 1 and not switch.calls
    assert ag.live_session(agent).state == "wrap_up"
    ct.contact_wrap_up(actor=agent, contact_id=contact.pk, disposition="solved")
    assert ag.live_session(agent).state == "ready"
    kinds = list(ContactEvent.objects.filter(contact=contact).values_list("kind", flat=True))
    assert kinds == ["callback_queued", "offered", "dial_requested", "preview_accepted", "dial_ringing", "answered",
                     "cti_answered", "ended", "wrapped_up"]
    assert Callback.objects.get().state == "done"
    assert AuditEntry.objects.filter(object_type="contactcenter.callback", object_id=str(cb.pk),
                                     changes__state=["dialling", "done"]).exists()


def test_busy_twice_fails_the_callback_after_its_last_attempt(story):
    cc, transport = story
    admin = make_staff(org=cc.province, perms=["params.param.edit"], employee_no="ADM")
    param_set(actor=admin, key="contactcenter.callback.max_attempts", raw="2")
    param_set(actor=admin, key="contactcenter.callback.retry_delay", raw="60")
    switch = switch_for(transport, BUSY)
    cb = wait_for_callback(cc, transport, switch)
    agent = cc.agents[0]
    ag.agent_login(actor=agent, extension="8001")
    ag.agent_set_state(actor=agent, state="ready")

    run_simulated(switch, seconds=1)
    ct.offer_accept(actor=agent, offer_id=Offer.objects.get(state="pending").pk)
    run_simulated(switch, seconds=3)
    cb.refresh_from_db()
    first = Dial.objects.get(attempt=1)
    assert first.state == "failed" and first.outcome == "busy"
    assert first.contact.state == "ended" and first.contact.disposition == "busy" and not first.contact.abandoned
    assert cb.state == "waiting" and cb.attempts == 1 and cb.last_outcome == "busy" and cb.next_attempt_at
    assert ag.live_session(agent).state == "ready"  # nobody talked: no wrap-up, free at once
    assert not Offer.objects.filter(state="pending").exists()  # the retry waits out its delay

    run_simulated(switch, seconds=61)
    cb.refresh_from_db()
    second = Dial.objects.get(attempt=2)
    assert cb.outbound_contact == second.contact and second.contact.enqueued_at == cb.position_at
    offer = Offer.objects.get(state="pending")
    assert offer.contact == second.contact
    assert selectors.desk_state(actor=agent)["offer"]["pop"]["outbound"]["last_outcome"] == "busy"
    ct.offer_accept(actor=agent, offer_id=offer.pk)
    run_simulated(switch, seconds=3)
    cb.refresh_from_db()
    assert cb.state == "failed" and cb.attempts == 2 and cb.last_outcome == "busy" and cb.ended_at
    assert list(cb.dials.values_list("outcome", flat=True)) == ["busy", "busy"]
    assert switch.stats.dialled == 2 and switch.stats.dial_failed == 2
    run_simulated(switch, seconds=120)
    assert Dial.objects.count() == 2 and not Offer.objects.filter(state="pending").exists()


def test_a_switch_that_never_answers_the_dial_fails_it_on_the_timer_and_frees_the_agent(story):
    cc, transport = story
    silent = switch_for(transport, ANSWER)
    cb = wait_for_callback(cc, transport, silent)
    agent = cc.agents[0]
    ag.agent_login(actor=agent, extension="8001")
    ag.agent_set_state(actor=agent, state="ready")
    run_simulated(silent, seconds=1)
    ct.offer_accept(actor=agent, offer_id=Offer.objects.get(state="pending").pk)
    # No switch places the call: only Kefu's jobs run from here.
    from kefu.contactcenter.jobs import contact_center_tick

    clock.advance(timedelta(seconds=119))
    contact_center_tick()
    assert Dial.objects.get().state == "dialling"
    clock.advance(timedelta(seconds=2))
    contact_center_tick()
    dial = Dial.objects.get(attempt=1)
    assert dial.state == "failed" and dial.outcome == "timeout"
    assert ag.live_session(agent).state == "ready"
    cb.refresh_from_db()
    assert cb.state == "waiting" and cb.attempts == 1 and cb.last_outcome == "timeout"


def test_the_agent_may_cancel_a_dial_and_a_late_answer_is_hung_up(story):
    cc, transport = story
    switch = switch_for(transport, ANSWER)
    wait_for_callback(cc, transport, switch)
    agent = cc.agents[0]
    ag.agent_login(actor=agent, extension="8001")
    ag.agent_set_state(actor=agent, state="ready")
    run_simulated(switch, seconds=1)
    contact = ct.offer_accept(actor=agent, offer_id=Offer.objects.get(state="pending").pk)
    dial = Dial.objects.get()
    ct.contact_end(contact_id=contact.pk, actor=agent)
    dial.refresh_from_db()
    assert dial.state == "failed" and dial.outcome == "cancelled"
    assert ag.live_session(agent).state == "ready"
    answer = transport.send({"type": "dial.answered", "dial_id": dial.dial_id})
    assert answer == [{"type": "hangup", "call_id": dial.dial_id}]
    assert Contact.objects.get(pk=contact.pk).state == "ended"


def test_a_leg_that_ends_before_any_outcome_is_a_failure_named_by_its_cause(story):
    cc, transport = story
    switch = switch_for(transport, ANSWER)
    wait_for_callback(cc, transport, switch)
    agent = cc.agents[0]
    ag.agent_login(actor=agent, extension="8001")
    ag.agent_set_state(actor=agent, state="ready")
    run_simulated(switch, seconds=1)
    ct.offer_accept(actor=agent, offer_id=Offer.objects.get(state="pending").pk)
    dial = Dial.objects.get()
    assert transport.send({"type": "dial.ringing", "dial_id": dial.dial_id, "call_id": "pbx-leg-7"}) == []
    assert Contact.objects.get(pk=dial.contact_id).external_id == "pbx-leg-7"
    transport.send({"type": "call.ended", "call_id": "pbx-leg-7", "cause": "user_busy"})
    dial.refresh_from_db()
    assert dial.state == "failed" and dial.outcome == "busy" and dial.cause == "user_busy"
    assert Callback.objects.get().last_outcome == "busy"


def test_the_simulated_switchs_outbound_shares_are_validated_and_drawn():
    with pytest.raises(ValueError):
        OutboundBehaviour(busy=0.6, answer=0.6)
    with pytest.raises(ValueError):
        OutboundBehaviour(busy=-0.1)
    rng = random.Random(5)
    mix = OutboundBehaviour(busy=0.2, rejected=0.1, answer=0.4, answer_machine=0.1)
    draws = [mix.outcome(rng, "13900000002") for _ in range(4000)]
    for outcome, share in (("busy", 0.2), ("rejected", 0.1), ("answered", 0.4), ("answer_machine", 0.1),
                           ("no_answer", 0.2)):
        assert abs(draws.count(outcome) / len(draws) - share) < 0.03, outcome
    assert mix.outcome(rng, "not-a-number") == "invalid_number" and mix.outcome(rng, "12") == "invalid_number"
