"""The CTI adapter and the simulated switch with the real IVR runtime and the default 10086 flow."""

import random
from datetime import UTC, datetime

import pytest

from kefu.billing.selectors import period_of, period_shift
from kefu.billing.tests.factories import make_bill
from kefu.contactcenter.cti.adapter import CtiAdapter, installed_runtime
from kefu.contactcenter.models import Contact
from kefu.contactcenter.simswitch import CallerPool, InProcessTransport, SimSwitch, run_simulated
from kefu.core import clock
from kefu.crm.services.passwords import service_password_reset
from kefu.ivr.services.flows import ivr_seed

from .cti_support import incoming
from .test_simswitch import answer_ringing_offers

PASSWORD = "258369"


@pytest.fixture
def hotline(cc):
    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    ivr_seed(actor="test")
    for customer in (cc.vip, cc.plain):
        service_password_reset(actor="test", customer=customer, password=PASSWORD)
        account = customer.accounts.get()
        make_bill(account, items=(("plan", "38.00"),))
        make_bill(account, period=period_shift(period_of(), -1), items=(("plan", "58.00"),))
    return CtiAdapter()


def test_the_installed_runtime_is_the_ivr_app():
    from kefu.ivr.services import runtime

    assert installed_runtime() is runtime


def test_a_caller_hears_the_bill_and_hangs_up_without_an_agent(hotline):
    commands = hotline.handle(incoming("r-1"))
    assert [c["type"] for c in commands] == ["play", "play", "collect"]
    assert "10086" in commands[0]["text"] and commands[2]["call_id"] == "r-1"
    commands = hotline.handle({"type": "call.dtmf", "call_id": "r-1", "digits": "1"})
    assert "38.00" in " ".join(c.get("text", "") for c in commands) and commands[-1]["type"] == "collect"
    hotline.handle({"type": "call.dtmf", "call_id": "r-1", "digits": "3"})  # no SMS, thanks
    commands = hotline.handle({"type": "call.dtmf", "call_id": "r-1", "digits": "#"})
    assert commands[-1] == {"type": "hangup", "call_id": "r-1"}
    contact = Contact.objects.get(external_id="r-1")
    assert contact.state == "ended" and contact.queue is None and not contact.abandoned  # ended with the hangup
    assert "q_bill" in contact.ivr_path
    hotline.handle({"type": "call.ended", "call_id": "r-1"})  # the switch reports it too: nothing changes
    assert Contact.objects.get(pk=contact.pk).ended_at == contact.ended_at


@pytest.mark.parametrize("caller, key, queue", [("13900000002", "0", "GEN"), ("13900000001", "9", "VIP")])
def test_callers_asking_for_an_agent_wait_in_the_right_queue(hotline, caller, key, queue):
    hotline.handle(incoming("r-2", caller=caller))
    commands = hotline.handle({"type": "call.dtmf", "call_id": "r-2", "digits": key})
    assert commands[-1]["type"] == "queue" and commands[-1]["queue"] == queue
    assert Contact.objects.get(external_id="r-2").state == "queued"


def test_the_detailed_bill_needs_the_service_password(hotline):
    hotline.handle(incoming("r-3"))
    hotline.handle({"type": "call.dtmf", "call_id": "r-3", "digits": "2"})
    commands = hotline.handle({"type": "call.dtmf", "call_id": "r-3", "digits": PASSWORD})
    assert commands[-1]["type"] == "collect"
    commands = hotline.handle({"type": "call.dtmf", "call_id": "r-3", "digits": period_shift(period_of(), -1)})
    assert "58.00" in " ".join(c.get("text", "") for c in commands)
    assert Contact.objects.get(external_id="r-3").identity_verified


def test_simulated_traffic_through_the_default_flow(hotline, cc):
    for agent, ext in zip(cc.agents, ["8001", "8002", "8003"], strict=True):
        from kefu.contactcenter.services import agents as ag

        ag.agent_login(actor=agent, extension=ext)
        ag.agent_set_state(actor=agent, state="ready")
    switch = SimSwitch(InProcessTransport(), rate=0.1, pool=CallerPool.from_database(self_service_share=0.5),
                       rng=random.Random(11))
    run_simulated(switch, seconds=900, step=2.0, each_step=answer_ringing_offers)
    s = switch.stats
    assert s.errors == 0 and s.calls > 60
    assert s.self_served >= 5 and s.answered >= 5 and s.abandoned >= 1
    contacts = Contact.objects.filter(external_id__startswith="sim")
    assert contacts.filter(identity_verified=True).exists()  # detailed bills with the password
    assert contacts.filter(queue__code="VIP", answered_at__isnull=False).exists()
    assert s.abandoned == contacts.filter(abandoned=True).count()
