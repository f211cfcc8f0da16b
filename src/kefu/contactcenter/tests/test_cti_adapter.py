"""The CTI adapter: switch events through the contact-center services, commands back."""

import threading
import time

import pytest
from django.db import connection

from kefu.contactcenter.cti import protocol
from kefu.contactcenter.cti.adapter import CtiAdapter, QueueWithoutIvr, call_status
from kefu.contactcenter.models import AgentState, Contact, ContactEvent, Offer
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services import realtime
from kefu.contactcenter.services.router import route
from kefu.core.errors import NotFound

from .cti_support import StubIvr, incoming


@pytest.fixture
def ivr():
    return StubIvr()


@pytest.fixture
def cti(ivr):
    return CtiAdapter(runtime=ivr)


@pytest.fixture
def pushed(monkeypatch):
    """Everything the core pushes to Channels groups, as (group, event), recorded when pushed."""
    sent = []
    monkeypatch.setattr(realtime, "push", lambda group, message: sent.append((group, message)))
    return sent


def to_switch(sent):
    return [protocol.command_from_core(m) for g, m in sent if g == "cti"]


def ready(agent, ext):
    ag.agent_login(actor=agent, extension=ext)
    ag.agent_set_state(actor=agent, state="ready")


def test_incoming_call_becomes_a_contact_in_the_ivr_and_gets_the_menu(cc, cti, ivr):
    commands = cti.handle(incoming("ast-1", caller="13900000001", channel="PJSIP/trunk-1"))
    assert commands == [{"type": "play", "call_id": "ast-1", "text": "welcome"},
                        {"type": "collect", "call_id": "ast-1", "max_digits": 1, "timeout": 8, "terminator": ""}]
    contact = Contact.objects.get(external_id="ast-1")
    assert contact.state == "ivr" and contact.customer == cc.vip and contact.service_tier == "vip"
    assert (contact.caller, contact.called, contact.channel) == ("13900000001", "10086", "voice")
    assert ivr.calls == [("start", contact.pk, "")]
    note = ContactEvent.objects.get(contact=contact, kind="cti_incoming")
    assert note.data["channel"] == "PJSIP/trunk-1" and note.data["commands"] == commands


def test_a_repeated_incoming_creates_no_second_contact_and_repeats_the_first_answer(cc, cti, ivr):
    first = cti.handle(incoming("ast-2"))
    again = cti.handle(incoming("ast-2"))
    assert again == first
    assert Contact.objects.filter(external_id="ast-2").count() == 1
    assert len(ivr.calls) == 1  # the IVR did not start twice
    cti.handle({"type": "call.ended", "call_id": "ast-2"})
    assert cti.handle(incoming("ast-2")) == [{"type": "hangup", "call_id": "ast-2"}]
    assert Contact.objects.filter(external_id="ast-2").count() == 1


def test_self_service_call_ends_in_the_ivr_without_reaching_an_agent(cc, cti):
    cti.handle(incoming("ast-3"))
    commands = cti.handle({"type": "call.dtmf", "call_id": "ast-3", "digits": "1"})
    assert [c["type"] for c in commands] == ["play", "play", "hangup"]
    assert all(c["call_id"] == "ast-3" for c in commands)
    cti.handle({"type": "call.ended", "call_id": "ast-3", "cause": "normal_clearing"})
    contact = Contact.objects.get(external_id="ast-3")
    assert contact.state == "ended" and contact.queue is None and not contact.abandoned
    assert contact.ivr_path == ["menu", "key:1"]
    assert ContactEvent.objects.get(contact=contact, kind="cti_ended").data == {"cause": "normal_clearing"}


def test_call_goes_from_ivr_to_queue_to_an_agent_and_the_switch_is_told_where(cc, cti, pushed):
    a1, a2, a3 = cc.agents
    ready(a2, "8002")  # the VIP-skilled agent
    cti.handle(incoming("ast-4", caller="13900000001"))
    commands = cti.handle({"type": "call.dtmf", "call_id": "ast-4", "digits": "0"})
    assert commands[-1] == {"type": "queue", "call_id": "ast-4", "queue": "VIP"}
    contact = Contact.objects.get(external_id="ast-4")
    [oid] = route()  # live, route_soon() routes when the event commits
    offer = Offer.objects.get(pk=oid)
    contact.refresh_from_db()
    assert offer.staff == a2 and contact.state == "offered"
    ct.offer_accept(actor=a2, offer_id=offer.pk)
    assert {"type": "route", "call_id": "ast-4", "extension": "8002"} in to_switch(pushed)
    assert cti.handle({"type": "call.answered", "call_id": "ast-4", "extension": "8002"}) == []
    assert ContactEvent.objects.get(contact=contact, kind="cti_answered").data["confirmed"] is True
    assert call_status(["ast-4"])[0] | {} == {"call_id": "ast-4", "state": "connected", "queue": "VIP",
                                             "extension": "8002", "answered": True, "abandoned": False}
    cti.handle({"type": "call.ended", "call_id": "ast-4", "cause": "normal_clearing"})
    contact.refresh_from_db()
    assert contact.state == "ended" and contact.answered_at and not contact.abandoned
    assert ag.live_session(a2).state == AgentState.WRAP_UP
    assert not [c for c in to_switch(pushed) if c and c["type"] == "hangup"]  # the switch ended it itself


def test_caller_who_hangs_up_in_queue_is_abandoned(cc, cti):
    cti.handle(incoming("ast-5"))
    cti.handle({"type": "call.dtmf", "call_id": "ast-5", "digits": "0"})
    assert Contact.objects.get(external_id="ast-5").state == "queued"
    cti.handle({"type": "call.ended", "call_id": "ast-5", "cause": "caller_hangup"})
    contact = Contact.objects.get(external_id="ast-5")
    assert contact.abandoned and contact.ended_at and contact.answered_at is None


def test_silence_is_reported_as_timeout_and_the_ivr_decides(cc, cti, ivr):
    cti.handle(incoming("ast-6"))
    assert [c["type"] for c in cti.handle({"type": "call.timeout", "call_id": "ast-6"})] == ["play", "collect"]
    assert cti.handle({"type": "call.timeout", "call_id": "ast-6"})[-1]["type"] == "queue"
    assert [k for k, _pk, _d in ivr.calls] == ["start", "timeout", "timeout"]


def test_keys_after_the_ivr_are_not_sent_to_it(cc, cti, ivr):
    cti.handle(incoming("ast-7"))
    cti.handle({"type": "call.dtmf", "call_id": "ast-7", "digits": "0"})
    assert cti.handle({"type": "call.dtmf", "call_id": "ast-7", "digits": "5"}) == []
    assert cti.handle({"type": "call.timeout", "call_id": "ast-7"}) == []
    assert [k for k, _pk, _d in ivr.calls] == ["start", "input"]


@pytest.mark.parametrize("event", [
    {"type": "call.dtmf", "call_id": "nope", "digits": "1"},
    {"type": "call.timeout", "call_id": "nope"},
    {"type": "call.answered", "call_id": "nope", "extension": "8001"},
    {"type": "call.held", "call_id": "nope"},
    {"type": "call.transferred", "call_id": "nope", "to": "123"},
    {"type": "call.ended", "call_id": "nope"},
])
def test_events_for_an_unknown_call_are_refused(cc, cti, event):
    with pytest.raises(NotFound) as exc:
        cti.handle(event)
    assert exc.value.code == "unknown_call"


def test_bad_messages_change_nothing(cc, cti):
    with pytest.raises(protocol.ProtocolError):
        cti.handle({"type": "call.incoming", "call_id": "has space"})
    assert not Contact.objects.exists()


def _connected(cc, cti, call_id):
    a1 = cc.agents[0]
    ready(a1, "8001")
    cti.handle(incoming(call_id))
    cti.handle({"type": "call.dtmf", "call_id": call_id, "digits": "0"})
    [oid] = route()
    ct.offer_accept(actor=a1, offer_id=oid)
    return a1, Contact.objects.get(external_id=call_id)


def test_hold_on_the_phone_moves_the_contact_and_a_desktop_hold_is_only_confirmed(cc, cti):
    a1, contact = _connected(cc, cti, "ast-8")
    cti.handle({"type": "call.held", "call_id": "ast-8"})
    assert Contact.objects.get(pk=contact.pk).state == "held"
    assert ag.live_session(a1).state == AgentState.HOLD
    cti.handle({"type": "call.unheld", "call_id": "ast-8"})
    assert Contact.objects.get(pk=contact.pk).state == "connected"
    ct.contact_hold(actor=a1, contact_id=contact.pk, hold=True)  # from the desktop
    cti.handle({"type": "call.held", "call_id": "ast-8"})  # the switch confirms
    assert Contact.objects.get(pk=contact.pk).state == "held"
    kinds = list(ContactEvent.objects.filter(contact=contact).values_list("kind", flat=True))
    assert kinds.count("held") == 2 and kinds.count("cti_held") == 2


def test_blind_transfer_on_the_phone_ends_the_contact_as_transferred(cc, cti):
    a1, contact = _connected(cc, cti, "ast-9")
    cti.handle({"type": "call.transferred", "call_id": "ast-9", "to": "13812345678"})
    contact.refresh_from_db()
    assert contact.state == "ended" and contact.transfers == 1
    assert ag.live_session(a1).state == AgentState.WRAP_UP


def test_a_transfer_kefu_ordered_is_only_confirmed(cc, cti):
    a1, contact = _connected(cc, cti, "ast-10")
    ct.contact_transfer(actor=a1, contact_id=contact.pk, to_queue=cc.q_general)
    cti.handle({"type": "call.transferred", "call_id": "ast-10", "to": "queue:GEN"})
    contact.refresh_from_db()
    assert contact.transfers == 1 and contact.state in ("queued", "offered")


def test_without_an_ivr_calls_wait_in_the_first_voice_queue(cc):
    commands = CtiAdapter(runtime=QueueWithoutIvr()).handle(incoming("ast-11"))
    assert commands == [{"type": "queue", "call_id": "ast-11", "queue": "GEN"}]
    assert Contact.objects.get(external_id="ast-11").state == "queued"


def test_status_of_unknown_calls(cc):
    assert call_status(["zzz"]) == [{"call_id": "zzz", "state": "unknown", "queue": None, "extension": None,
                                     "answered": False, "abandoned": False}]


class _HoldingIvr(StubIvr):
    """Stays inside ivr_start (inside the first event's transaction) until told to go on."""

    def __init__(self):
        super().__init__()
        self.inside, self.go_on = threading.Event(), threading.Event()

    def ivr_start(self, *, contact):
        self.inside.set()
        self.go_on.wait(20)
        return super().ivr_start(contact=contact)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_copies_of_an_incoming_at_once_make_one_contact(cc):
    ivr = _HoldingIvr()
    cti = CtiAdapter(runtime=ivr)
    answers = {}

    def report(name):
        try:
            answers[name] = cti.handle(incoming("race-1"))
        finally:
            connection.close()

    first = threading.Thread(target=report, args=("first",))
    first.start()
    assert ivr.inside.wait(20)
    second = threading.Thread(target=report, args=("second",))
    second.start()
    deadline = time.monotonic() + 20
    with connection.cursor() as cur:  # the second copy must be waiting on the call id's lock
        while time.monotonic() < deadline:
            cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if cur.fetchone()[0]:
                break
    ivr.go_on.set()
    first.join(20)
    second.join(20)
    assert Contact.objects.filter(external_id="race-1").count() == 1
    assert answers["second"] == answers["first"] and len(ivr.calls) == 1
