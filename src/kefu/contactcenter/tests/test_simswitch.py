"""The simulated switch: in-process runs on a frozen clock, the HTTP client, its identity and command."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from kefu.contactcenter.cti import api as cti_api
from kefu.contactcenter.cti.adapter import CtiAdapter
from kefu.contactcenter.cti.auth import switch_staff
from kefu.contactcenter.models import Contact, Offer
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.simswitch import (
    CallerPool,
    HttpTransport,
    InProcessTransport,
    Profile,
    SimSwitch,
    SwitchError,
    place_call,
    run_simulated,
    start_background,
)
from kefu.contactcenter.simswitch.identity import switch_staff_ensure, switch_token_issue
from kefu.core import clock

from .cti_support import StubIvr, incoming, switch_token

# Key plans for the stub IVR's menu: 1 = hear the bill and hang up, 0 = an agent.
PROFILES = {
    "self_service": Profile("self_service", keys=("1",), patience=60, talk=90),
    "agent": Profile("agent", keys=("0",), patience=45, talk=90),
    "vip": Profile("vip", keys=("0",), patience=120, talk=90),
}


def stub_pool(**kw):
    return CallerPool(vip=["13900000001"], known=["13900000002"], profiles=PROFILES, **kw)


@pytest.fixture
def agents_ready(cc):
    for agent, ext in zip(cc.agents, ["8001", "8002", "8003"], strict=True):
        ag.agent_login(actor=agent, extension=ext)
        ag.agent_set_state(actor=agent, state="ready")
    return cc.agents


def answer_ringing_offers(after=timedelta(seconds=4)):
    """Agents who pick up an offer after it has rung a few seconds."""
    now = clock.now()
    for offer in Offer.objects.filter(state="pending", offered_at__lte=now - after).select_related("staff"):
        ct.offer_accept(actor=offer.staff, offer_id=offer.pk)


def test_a_simulated_quarter_hour_gives_self_served_routed_and_abandoned_calls(cc, agents_ready):
    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    switch = SimSwitch(InProcessTransport(adapter=CtiAdapter(runtime=StubIvr())), rate=0.1, pool=stub_pool(),
                       rng=random.Random(7))
    run_simulated(switch, seconds=900, step=2.0, each_step=answer_ringing_offers)
    s = switch.stats
    contacts = Contact.objects.filter(external_id__startswith="sim")
    assert s.errors == 0
    assert s.calls == contacts.count() > 60
    assert s.self_served >= 5 and s.answered >= 5 and s.abandoned >= 5
    # What the switch saw is what Kefu recorded.
    assert s.abandoned == contacts.filter(abandoned=True).count()
    assert s.self_served == contacts.filter(state="ended", queue__isnull=True, abandoned=False).count()
    answered = contacts.filter(answered_at__isnull=False)
    assert answered.count() >= s.answered
    assert set(answered.values_list("agent__employee_no", flat=True)) <= {"AG1", "AG2", "AG3"}
    assert contacts.filter(service_tier="vip", answered_at__isnull=False).exists()
    for call in switch.finished:
        assert Contact.objects.get(external_id=call.call_id).state in ("ended", "wrap_up"), call
    unknown = contacts.filter(customer__isnull=True)
    assert unknown.exists() and contacts.filter(customer=cc.vip).exists()
    assert switch.calls  # some callers are still on the line; when the switch stops they hang up
    switch.hang_up_all()
    assert not switch.calls and set(contacts.values_list("state", flat=True)) == {"ended"}
    assert switch.stats.finished == switch.stats.calls


def test_the_same_seed_gives_the_same_traffic(cc):
    def calls(seed):
        switch = SimSwitch(InProcessTransport(adapter=CtiAdapter(runtime=StubIvr())), rate=0.5,
                           pool=stub_pool(), rng=random.Random(seed))
        run_simulated(switch, seconds=60, jobs=False)
        return [(c.caller.number, c.caller.profile.name) for c in [*switch.finished, *switch.calls.values()]]

    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    first = calls(3)
    assert len(first) > 10 and calls(3) == first and calls(4) != first


def test_without_agents_every_caller_who_wants_one_gives_up(cc):
    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    switch = SimSwitch(InProcessTransport(adapter=CtiAdapter(runtime=StubIvr())), rate=0.2,
                       pool=stub_pool(self_service_share=0.0), rng=random.Random(1))
    run_simulated(switch, seconds=300, step=2.0)
    assert switch.stats.answered == 0 and switch.stats.abandoned > 10
    assert not Contact.objects.filter(answered_at__isnull=False).exists()


def test_a_caller_with_no_keys_left_is_put_through_after_silence(cc):
    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    silent = {name: Profile(name, keys=(), patience=30) for name in ("self_service", "agent", "vip")}
    switch = SimSwitch(InProcessTransport(adapter=CtiAdapter(runtime=StubIvr())), rate=0.1,
                       pool=CallerPool(known=["13900000002"], profiles=silent, mix=(0, 1, 0)),
                       rng=random.Random(2), max_calls=1)
    run_simulated(switch, seconds=300)
    contact = Contact.objects.get()
    assert contact.ivr_path == ["menu", "timeout", "timeout"] and contact.queue.code == "GEN"
    assert switch.stats.abandoned == 1


def test_the_switch_speaks_http_to_a_running_kefu(cc, live_server, monkeypatch):
    monkeypatch.setattr(cti_api, "default_adapter", lambda: CtiAdapter(runtime=StubIvr()))
    _staff, token = switch_token(cc.province)
    http = HttpTransport(live_server.url, token)
    assert http.ready()
    commands = http.send(incoming("http-1"))
    assert [c["type"] for c in commands] == ["play", "collect"]
    assert http.status(["http-1"])[0]["state"] == "ivr"
    with pytest.raises(SwitchError) as exc:
        http.send({"type": "call.dtmf", "call_id": "http-1", "digits": "x"})
    assert exc.value.status == 400 and exc.value.code == "invalid_message"
    with pytest.raises(SwitchError) as exc:
        HttpTransport(live_server.url, "kefu_00000000_wrong").ready()
    assert exc.value.status == 401


def test_the_demo_starts_the_switch_in_the_background_over_http(cc, live_server, monkeypatch):
    monkeypatch.setattr(cti_api, "default_adapter", lambda: CtiAdapter(runtime=StubIvr()))
    _staff, token = switch_token(cc.province)
    bg = start_background(rate=40, url=live_server.url, token=token, seconds=0.6, step=0.05, seed=5,
                          pool=stub_pool())
    bg.thread.join(20)
    assert not bg.thread.is_alive()
    assert bg.stats.calls > 0 and bg.stats.errors == 0
    assert Contact.objects.filter(external_id__startswith="sim").count() == bg.stats.calls


def test_http_transport_refuses_other_schemes():
    with pytest.raises(ValueError):
        HttpTransport("file:///etc/passwd", "t")


def test_the_switch_account_and_its_tokens(cc):
    staff = switch_staff_ensure()
    assert staff.employee_no == "switch" and switch_staff_ensure() == staff
    token = switch_token_issue()
    assert switch_staff(token) == staff
    assert switch_staff(switch_token_issue()) == staff and switch_staff(token) == staff  # both valid


def test_the_management_command_runs_in_process(cc, monkeypatch):
    import kefu.contactcenter.cti.adapter as adapter_module

    monkeypatch.setattr(adapter_module, "_default", CtiAdapter(runtime=StubIvr()))
    with pytest.raises(CommandError):
        call_command("simswitch", "--rate", "0")
    call_command("simswitch", "--in-process", "--rate", "50", "--duration", "0.3", "--step", "0.05", "--seed", "1")
    assert Contact.objects.filter(external_id__startswith="sim").exists()


def test_a_scripted_call_presses_its_keys_at_the_prompts(cc):
    transport = InProcessTransport(adapter=CtiAdapter(runtime=StubIvr()))
    call_id, commands = place_call(transport, caller="13900000001", keys=["5", "0"])
    assert [c["type"] for c in commands] == ["play", "collect", "play", "collect", "play", "queue"]
    contact = Contact.objects.get(external_id=call_id)
    assert contact.state == "queued" and contact.queue.code == "VIP" and contact.ivr_path == [
        "menu", "key:5", "key:0"]
