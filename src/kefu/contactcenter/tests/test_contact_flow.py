"""Agents, queues, routing and a contact's whole life through the services."""

from datetime import timedelta

import pytest

from kefu.contactcenter.models import AgentState, AgentStateChange, Contact, ContactEvent, Offer
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.contacts import offers_expire
from kefu.contactcenter.services.router import route
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed


def ready(agent, ext):
    ag.agent_login(actor=agent, extension=ext)
    return ag.agent_set_state(actor=agent, state="ready")


def call(cc, number, queue):
    c = ct.contact_arrive(caller=number, called="10086")
    return ct.contact_enqueue(contact=c, queue=queue)


def test_vip_call_is_routed_to_the_vip_skilled_agent_and_lives_its_whole_life(cc):
    a1, a2, a3 = cc.agents
    for a, ext in zip(cc.agents, ["8001", "8002", "8003"], strict=True):
        ready(a, ext)
    contact = call(cc, "13900000001", cc.q_vip)
    assert contact.service_tier == "vip" and contact.priority == 0 and contact.customer == cc.vip
    [offer_id] = route()
    offer = Offer.objects.get(pk=offer_id)
    assert offer.staff == a2  # the only agent with VIP skill ≥ 5
    assert ag.live_session(a2).state == AgentState.OFFERED
    ct.offer_accept(actor=a2, offer_id=offer_id)
    assert ag.live_session(a2).state == AgentState.BUSY
    ct.contact_hold(actor=a2, contact_id=contact.pk, hold=True)
    clock.freeze(clock.now() + timedelta(seconds=40))
    ct.contact_hold(actor=a2, contact_id=contact.pk, hold=False)
    ct.contact_end(contact_id=contact.pk, actor=a2)
    assert ag.live_session(a2).state == AgentState.WRAP_UP
    ct.contact_wrap_up(actor=a2, contact_id=contact.pk, disposition="solved")
    assert ag.live_session(a2).state == AgentState.READY
    contact.refresh_from_db()
    assert contact.answered_at and contact.ended_at and contact.hold_seconds >= 40 and contact.disposition == "solved"
    kinds = list(ContactEvent.objects.filter(contact=contact).values_list("kind", flat=True))
    assert kinds == ["arrived", "queued", "offered", "answered", "held", "unheld", "ended", "wrapped_up"]
    states = list(AgentStateChange.objects.filter(staff=a2).values_list("state", flat=True))
    assert states == ["not_ready", "ready", "offered", "busy", "hold", "busy", "wrap_up", "ready"]
    assert AgentStateChange.objects.filter(staff=a2, ended_at__isnull=True).count() == 1


def test_vip_waits_then_overflows_to_general_agents(cc):
    a1, a2, a3 = cc.agents
    ready(a3, "8003")  # general 9, no VIP skill
    start = clock.now()
    clock.freeze(start)
    call(cc, "13900000001", cc.q_vip)
    assert route() == []
    clock.advance(timedelta(seconds=31))
    [oid] = route()
    assert Offer.objects.get(pk=oid).staff == a3


def test_vip_is_served_before_an_earlier_ordinary_caller(cc):
    a1 = cc.agents[0]
    clock.freeze(clock.now())
    plain = call(cc, "13900000002", cc.q_general)
    clock.advance(timedelta(seconds=5))
    vip = call(cc, "13900000001", cc.q_general)
    ready(a1, "8001")
    [oid] = route()
    assert Offer.objects.get(pk=oid).contact_id == vip.pk
    assert Contact.objects.get(pk=plain.pk).state == "queued"


def test_unanswered_offer_goes_to_the_next_agent_and_the_agent_goes_not_ready(cc):
    a1, a2, a3 = cc.agents
    clock.freeze(clock.now())
    ready(a3, "8003")
    ready(a1, "8001")
    c = call(cc, "13900000002", cc.q_general)
    [first] = route()
    first_agent = Offer.objects.get(pk=first).staff
    assert first_agent == a3  # higher level first
    clock.advance(timedelta(seconds=16))
    assert offers_expire() == 1
    assert ag.live_session(a3).state == AgentState.NOT_READY and ag.live_session(a3).reason == "no_answer"
    [second] = route()
    assert Offer.objects.get(pk=second).staff == a1
    assert Contact.objects.get(pk=c.pk).offers == 2


def test_a_contact_rings_at_one_agent_at_a_time_and_an_agent_takes_one_call(cc):
    for a, ext in zip(cc.agents, ["8001", "8002", "8003"], strict=True):
        ready(a, ext)
    c = call(cc, "13900000002", cc.q_general)
    assert len(route()) == 1
    assert route() == []  # already ringing
    assert Offer.objects.filter(contact=c, state="pending").count() == 1
    c2 = call(cc, "13900000003", cc.q_general)
    route()
    busy = {o.staff_id for o in Offer.objects.filter(state="pending")}
    assert len(busy) == 2 and c2.pk in set(Offer.objects.values_list("contact_id", flat=True))


def test_logging_out_while_ringing_puts_the_contact_back_first_in_line(cc):
    a1 = cc.agents[0]
    ready(a1, "8001")
    c = call(cc, "13900000002", cc.q_general)
    route()
    ag.agent_logout(actor=a1)
    c.refresh_from_db()
    assert c.state == "queued" and c.enqueued_at is not None


def test_caller_hanging_up_in_queue_is_abandoned(cc):
    c = call(cc, "13900000002", cc.q_general)
    ct.contact_end(contact_id=c.pk, by_switch=True)
    c.refresh_from_db()
    assert c.abandoned and c.ended_at


def test_callback_keeps_the_place_in_queue(cc):
    clock.freeze(clock.now())
    c = call(cc, "13900000002", cc.q_general)
    clock.advance(timedelta(minutes=2))
    later = call(cc, "13900000009", cc.q_general)
    cb = ct.callback_request(contact_id=c.pk)
    assert cb.outbound_contact.enqueued_at < later.enqueued_at
    ready(cc.agents[0], "8001")
    [oid] = route()
    assert Offer.objects.get(pk=oid).contact == cb.outbound_contact


def test_not_ready_needs_a_reason_from_the_parameter(cc):
    a1 = cc.agents[0]
    ag.agent_login(actor=a1, extension="8001")
    with pytest.raises(ValidationFailed):
        ag.agent_set_state(actor=a1, state="not_ready", reason="nap")
    ag.agent_set_state(actor=a1, state="not_ready", reason="meal")
    assert ag.live_session(a1).reason == "meal"


def test_one_extension_one_agent(cc):
    ag.agent_login(actor=cc.agents[0], extension="8001")
    with pytest.raises(Conflict):
        ag.agent_login(actor=cc.agents[1], extension="8001")


def test_wrap_up_returns_to_ready_by_itself(cc):
    a1 = cc.agents[0]
    ready(a1, "8001")
    c = call(cc, "13900000002", cc.q_general)
    [oid] = route()
    ct.offer_accept(actor=a1, offer_id=oid)
    ct.contact_end(contact_id=c.pk, actor=a1)
    clock.freeze(clock.now() + timedelta(seconds=31))
    assert ag.wrap_ups_expire() == 1
    assert ag.live_session(a1).state == AgentState.READY


def test_supervisor_forces_not_ready_and_it_is_audited(cc):
    from kefu.audit.models import AuditEntry

    a1 = cc.agents[0]
    ready(a1, "8001")
    ag.agent_force(actor=cc.sup, session=ag.live_session(a1), action="not_ready")
    s = ag.live_session(a1)
    assert s.state == AgentState.NOT_READY and s.reason == "supervisor"
    assert AuditEntry.objects.filter(actor=cc.sup, note__contains="forced").exists()


def test_a_closed_queue_plays_its_message_and_ends_the_call(cc):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    cc.q_general.opening_hours = {str(d): ["08:00", "20:00"] for d in range(1, 8)}
    cc.q_general.closed_message = "现在是非服务时间"
    cc.q_general.save()
    clock.freeze(datetime(2026, 11, 27, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    c = call(cc, "13900000002", cc.q_general)
    assert c.state == "ended" and c.disposition == "queue_closed" and not c.abandoned
    clock.freeze(datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert call(cc, "13900000002", cc.q_general).state == "queued"


def test_customer_360_lists_the_customers_contacts(cc):
    from kefu.core.testing import client_for, make_staff

    c = call(cc, "13900000001", cc.q_general)
    viewer = client_for(make_staff(org=cc.province, perms=["contactcenter.contact.view"]))
    html = viewer.get(f"/contactcenter/customers/{cc.vip.pk}/contacts/", HTTP_HX_REQUEST="true").content.decode()
    assert f"/contactcenter/contacts/{c.pk}/" in html
    denied = client_for(make_staff(org=cc.province)).get(f"/contactcenter/customers/{cc.vip.pk}/contacts/",
                                                         HTTP_HX_REQUEST="true")
    assert denied.status_code == 403


def test_the_customers_contacts_panel_is_404_outside_my_branch(cc):
    """A customer of another branch reads like a customer that does not exist, not like an empty list."""
    from kefu.core.testing import client_for, make_org, make_staff

    call(cc, "13900000001", cc.q_general)
    branch = make_org(code="GZ", kind="city", parent=cc.province)
    local = client_for(make_staff(org=branch, perms=["contactcenter.contact.view"]))
    assert local.get(f"/contactcenter/customers/{cc.vip.pk}/contacts/", HTTP_HX_REQUEST="true").status_code == 404
    assert local.get("/contactcenter/customers/999999/contacts/", HTTP_HX_REQUEST="true").status_code == 404


def test_the_switch_identifies_every_caller_whatever_branch_holds_the_customer(cc):
    """Caller identification runs without a person, so it is not limited to anyone's scope."""
    from kefu.core.testing import make_org
    from kefu.crm.tests.factories import make_customer

    branch = make_org(code="SZ", kind="city", parent=cc.province)
    sz = make_customer(org=branch, name="孙深圳", number="13900000077")
    c = call(cc, "13900000077", cc.q_general)
    assert c.customer == sz and c.subscriber.number == "13900000077"
