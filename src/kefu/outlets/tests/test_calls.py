"""The outbound IVR-call outlet: a message becomes a call the switch places, plays and reports on.

Driven through the CTI adapter (the switch's door) and, at the end, by the simulated switch.
"""

import random
from datetime import UTC, datetime, timedelta

import pytest

from kefu.contactcenter.cti.adapter import CtiAdapter
from kefu.contactcenter.models import Contact, Dial
from kefu.contactcenter.simswitch import CallerPool, InProcessTransport, SimSwitch, run_simulated
from kefu.contactcenter.simswitch.switch import OutboundBehaviour
from kefu.core import clock
from kefu.outlets.models import Message
from kefu.outlets.services.messages import send_message
from kefu.outlets.services.sending import messages_dispatch
from kefu.params.services import param_set

TEXT = "尊敬的客户，您的账户已欠费，请及时缴费。"


@pytest.fixture
def switch():
    adapter = CtiAdapter()
    return lambda event: adapter.handle(event)


def _call(key="c1", recipient="13800000001"):
    return send_message(recipient=recipient, outlet="call", purpose="billing", idempotency_key=key,
                        body=TEXT).message


def _placed(message) -> Dial:
    assert messages_dispatch(worker="w").sent == 1
    message.refresh_from_db()
    dial = Dial.objects.get(dial_id=message.gateway_ref)
    assert message.status == "sent" and dial.purpose == "outlet_call" and dial.state == "dialling"
    assert dial.staff_id is None and dial.number == "13800000001"
    return dial


def test_a_call_is_placed_played_confirmed_and_the_message_delivered(db, switch):
    clock.freeze(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))
    m = _call()
    dial = _placed(m)
    leg = dial.dial_id
    assert switch({"type": "dial.ringing", "dial_id": leg}) == []
    answer = switch({"type": "dial.answered", "dial_id": leg})
    assert [c["type"] for c in answer] == ["play", "play", "collect"] and answer[0]["text"] == TEXT
    assert answer[2]["max_digits"] == 1
    m.refresh_from_db()
    assert m.status == "delivered"  # the message was played
    assert switch({"type": "dial.answered", "dial_id": leg}) == answer  # a repeated answer: the same prompt

    done = switch({"type": "call.dtmf", "call_id": leg, "digits": "1"})
    assert [c["type"] for c in done] == ["play", "hangup"]
    m.refresh_from_db()
    dial.refresh_from_db()
    contact = Contact.objects.get(pk=dial.contact_id)
    assert dial.script["confirmed"] is True and "2026-05-04 10:00" in m.status_reason and m.status == "delivered"
    assert contact.state == "ended" and contact.answered_at is not None and not contact.abandoned
    assert switch({"type": "call.ended", "call_id": leg}) == []  # the switch's own report changes nothing
    assert contact.events.filter(kind="announce_confirmed").count() == 1


def test_another_key_or_silence_plays_it_again_then_the_call_ends(db, switch):
    dial = _placed(_call())
    switch({"type": "dial.answered", "dial_id": dial.dial_id})
    again = switch({"type": "call.dtmf", "call_id": dial.dial_id, "digits": "5"})
    assert [c["type"] for c in again] == ["play", "play", "collect"]
    assert [c["type"] for c in switch({"type": "call.timeout", "call_id": dial.dial_id})][-1] == "collect"
    end = switch({"type": "call.timeout", "call_id": dial.dial_id})
    assert [c["type"] for c in end] == ["play", "hangup"]
    dial.refresh_from_db()
    assert dial.script["keys"] == "5--" and not dial.script.get("confirmed")
    assert Contact.objects.get(pk=dial.contact_id).state == "ended"


def test_without_the_question_the_message_is_played_and_the_call_ends(db, admin, switch):
    param_set(actor=admin, key="outlets.call_confirm", raw="false")
    dial = _placed(_call())
    answer = switch({"type": "dial.answered", "dial_id": dial.dial_id})
    assert [c["type"] for c in answer] == ["play", "hangup"]
    assert Contact.objects.get(pk=dial.contact_id).state == "ended"
    assert Message.objects.get().status == "delivered"


def test_a_busy_line_is_tried_again_with_back_off_until_the_attempts_are_used(db, admin, switch):
    param_set(actor=admin, key="outlets.max_attempts", raw="2")
    clock.freeze(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))
    m = _call()
    first = _placed(m)
    switch({"type": "dial.failed", "dial_id": first.dial_id, "outcome": "busy"})
    m.refresh_from_db()
    assert m.status == "queued" and m.status_reason == "busy" and m.next_attempt_at == clock.now() + timedelta(
        seconds=30)
    assert messages_dispatch(worker="w").sent == 0  # not before the back-off
    clock.advance(timedelta(seconds=31))
    second = _placed(m)
    assert second.dial_id != first.dial_id and m.attempts == 2
    switch({"type": "dial.failed", "dial_id": second.dial_id, "outcome": "no_answer"})
    m.refresh_from_db()
    assert m.status == "failed" and m.status_reason == "no_answer" and m.finished_at is not None


def test_a_number_that_does_not_exist_fails_at_once(db, switch):
    m = _call()
    dial = _placed(m)
    switch({"type": "dial.failed", "dial_id": dial.dial_id, "outcome": "invalid_number"})
    m.refresh_from_db()
    assert m.status == "failed" and m.status_reason == "invalid_number"


def test_the_simulated_switch_places_the_calls_and_its_customers_confirm(db):
    clock.freeze(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))
    for i in range(4):
        _call(key=f"k{i}", recipient=f"1380000000{i}")
    messages_dispatch(worker="w")
    switch = SimSwitch(InProcessTransport(adapter=CtiAdapter()), rate=0, rng=random.Random(3),
                       pool=CallerPool(vip=[], known=[], profiles={}),
                       outbound=OutboundBehaviour(busy=0, rejected=0, answer=1.0, answer_machine=0, confirm=1.0))
    run_simulated(switch, seconds=40, step=1.0)
    assert switch.stats.dialled == 4 and switch.stats.dial_answered == 4 and switch.stats.errors == 0
    assert set(Message.objects.values_list("status", flat=True)) == {"delivered"}
    assert all(d.script.get("confirmed") for d in Dial.objects.all())
    assert set(Contact.objects.values_list("state", flat=True)) == {"ended"}
