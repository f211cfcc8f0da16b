"""Contact records over HTTP: filters, scope, timeline, linked work orders, audit."""

from datetime import timedelta

import pytest

from kefu.audit.models import AuditEntry
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.core import clock
from kefu.core.testing import JsonClient, client_for, make_org, make_staff
from kefu.workorders.services.orders import workorder_create

from .desk_support import API, api_for, call

COMPLAINT_FIELDS = {"complainant_type": "vip", "category": "tariff", "level": "general", "source": "customer"}


@pytest.fixture
def viewer(cc):
    return make_staff(org=cc.province, perms=["contactcenter.contact.view", "workorders.order.view"],
                      employee_no="QA1", name="质检员")


def handled(cc, agent, number, queue, disposition="solved"):
    ag.agent_login(actor=agent, extension=f"8{agent.pk:03d}")
    ag.agent_set_state(actor=agent, state="ready")
    c = call(number, queue)
    [oid] = route()
    ct.offer_accept(actor=agent, offer_id=oid)
    ct.contact_end(contact_id=c.pk, actor=agent)
    ct.contact_wrap_up(actor=agent, contact_id=c.pk, disposition=disposition)
    return c


def test_list_filters_and_is_audited(cc, viewer):
    api = api_for(viewer)
    answered = handled(cc, cc.agents[1], "13900000001", cc.q_vip)
    lost = call("13900000002", cc.q_general)
    ct.contact_end(contact_id=lost.pk, by_switch=True)
    items = api.get(f"{API}/contacts").json()["items"]
    assert [c["id"] for c in items] == [lost.pk, answered.pk]
    row = items[1]
    assert row["queue"] == "VIP" and row["agent"] == "AG2" and row["customer_name"] == "陈大客户"
    assert row["disposition"] == "solved" and row["wait_seconds"] is not None
    assert [c["id"] for c in api.get(f"{API}/contacts", {"abandoned": "true"}).json()["items"]] == [lost.pk]
    assert [c["id"] for c in api.get(f"{API}/contacts", {"agent": "AG2"}).json()["items"]] == [answered.pk]
    assert [c["id"] for c in api.get(f"{API}/contacts", {"queue_id": cc.q_general.pk}).json()["items"]] == [lost.pk]
    assert api.get(f"{API}/contacts", {"caller": "13900000001"}).json()["count"] == 1
    assert api.get(f"{API}/contacts", {"channel": "chat"}).json()["count"] == 0
    later = (clock.now() + timedelta(hours=1)).isoformat()
    assert api.get(f"{API}/contacts", {"since": later}).json()["count"] == 0
    assert api.get(f"{API}/contacts", {"until": later}).json()["count"] == 2
    assert api.get(f"{API}/contacts", {"since": "yesterday"}).status_code == 400
    assert api.get(f"{API}/contacts", {"caller": "1" * 33}).status_code == 400
    searches = AuditEntry.objects.filter(actor=viewer, action="search", object_type="contactcenter.contact")
    entry = searches.get(conditions__caller="13900000001")
    # One entry for the request, naming the rows shown and the customer behind them.
    assert entry.result_count == 1 and entry.object_id == str(answered.pk)
    assert entry.conditions["shown"] == {"contactcenter.contact": [str(answered.pk)]}
    assert entry.conditions["customers"] == [cc.vip.pk]


def test_detail_has_the_timeline_and_the_work_orders_made_from_it(cc, viewer):
    c = handled(cc, cc.agents[1], "13900000001", cc.q_vip, disposition="work_order")
    order, _ = workorder_create(actor=cc.agents[1], kind="complaint", title="多扣费", description="本月多扣",
                                fields=COMPLAINT_FIELDS, customer=cc.vip, origin_contact=str(c.pk))
    workorder_create(actor=cc.agents[1], kind="complaint", title="另一件", description="无关",
                     fields=COMPLAINT_FIELDS, customer=cc.vip)
    d = api_for(viewer).get(f"{API}/contacts/{c.pk}").json()
    assert [e["kind"] for e in d["events"]] == ["arrived", "queued", "offered", "answered", "ended", "wrapped_up"]
    assert d["events"][3]["agent"] == "AG2"
    assert d["orders"] == [{"serial": order.serial, "title": "多扣费", "state": order.state}]
    assert AuditEntry.objects.filter(actor=viewer, action="read", object_id=str(c.pk)).exists()
    assert api_for(viewer).get(f"{API}/contacts/999999").status_code == 404


def test_records_are_scoped(cc, viewer):
    c = handled(cc, cc.agents[1], "13900000001", cc.q_vip)
    elsewhere = make_org(code="HN", kind="province", name="湖南省客服中心")
    outsider = api_for(make_staff(org=elsewhere, perms=["contactcenter.contact.view"]))
    assert outsider.get(f"{API}/contacts").json()["count"] == 0
    assert outsider.get(f"{API}/contacts/{c.pk}").status_code == 404
    # A contact that never reached a queue or an agent belongs to the customer's organisation.
    ivr_only = ct.contact_arrive(caller="13900000002")
    assert api_for(viewer).get(f"{API}/contacts/{ivr_only.pk}").status_code == 200
    assert outsider.get(f"{API}/contacts/{ivr_only.pk}").status_code == 404


@pytest.mark.parametrize("path", ["/contacts", "/contacts/1"])
def test_record_endpoints_deny_anonymous_and_agents(cc, path):
    assert JsonClient().get(API + path).status_code == 401
    assert JsonClient(client_for(cc.agents[0])).get(API + path).status_code == 403


def test_the_desk_records_the_contacts_and_customers_it_shows(cc):
    agent = cc.agents[1]
    ag.agent_login(actor=agent, extension="8777")
    ag.agent_set_state(actor=agent, state="ready")
    c = call("13900000001", cc.q_vip)
    [oid] = route()
    ct.offer_accept(actor=agent, offer_id=oid)
    before = AuditEntry.objects.filter(actor=agent, action="read").count()
    desk = api_for(agent).get(f"{API}/agent/me").json()
    assert [x["id"] for x in desk["contacts"]] == [c.pk] and desk["contacts"][0]["pop"]["customer"]
    entry = AuditEntry.objects.filter(actor=agent, action="read").order_by("-id").first()
    assert AuditEntry.objects.filter(actor=agent, action="read").count() == before + 1
    assert entry.note == "agent desktop" and entry.object_id == str(c.pk)
    assert entry.conditions["customers"] == [cc.vip.pk]


def test_the_screen_pop_pushed_with_an_offer_is_a_recorded_read(cc):
    agent = cc.agents[1]
    ag.agent_login(actor=agent, extension="8778")
    ag.agent_set_state(actor=agent, state="ready")
    c = call("13900000001", cc.q_vip)
    assert route()
    entry = AuditEntry.objects.get(actor=agent, note="screen pop")
    assert entry.object_id == str(c.pk) and entry.conditions["customers"] == [cc.vip.pk]
