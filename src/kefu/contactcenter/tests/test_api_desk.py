"""The agent desktop's API: a contact's whole life through HTTP (denial: test_denial.py)."""

import pytest

from kefu.contactcenter.models import AgentStateChange, Contact, ContactEvent, Offer
from kefu.contactcenter.services.router import route
from kefu.core.testing import make_staff

from .desk_support import API, api_for, call, ready


@pytest.fixture
def ag2(cc):
    """The VIP-skilled agent, logged in and ready at 8002."""
    api = api_for(cc.agents[1])
    ready(api, "8002")
    return api


def test_login_ready_offer_accept_hold_end_wrap_up_over_http(cc, ag2):
    me = ag2.get(f"{API}/agent/me").json()
    assert me["session"]["state"] == "ready" and me["session"]["extension"] == "8002"
    assert me["offer"] is None and me["contacts"] == [] and me["today"] == {"handled": 0, "aht_seconds": None}
    assert {"code": "VIP", "name": "大客户队列", "channel": "voice"} in me["queues"]
    contact = call("13900000001", cc.q_vip)
    [offer_id] = route()
    me = ag2.get(f"{API}/agent/me").json()
    assert me["session"]["state"] == "offered" and me["offer"]["id"] == offer_id
    pop = me["offer"]["pop"]
    assert pop["tier"] == "vip" and pop["customer"]["name"] == "陈大客户"
    assert pop["customer"]["subscribers"][0]["number"] == "13900000001"

    me = ag2.post(f"{API}/offers/{offer_id}/accept").json()
    assert me["offer"] is None and me["session"]["state"] == "busy"
    [current] = me["contacts"]
    assert current["id"] == contact.pk and current["state"] == "connected" and current["customer_id"] == cc.vip.pk
    me = ag2.post(f"{API}/contacts/{contact.pk}/hold").json()
    assert me["contacts"][0]["state"] == "held" and me["session"]["state"] == "hold"
    me = ag2.post(f"{API}/contacts/{contact.pk}/unhold").json()
    assert me["contacts"][0]["state"] == "connected"
    me = ag2.post(f"{API}/contacts/{contact.pk}/conference", {"number": "13800138000"}).json()
    assert me["contacts"][0]["conference"] is True
    me = ag2.post(f"{API}/contacts/{contact.pk}/end").json()
    assert me["contacts"] == [] and me["wrap_up"]["id"] == contact.pk and me["session"]["state"] == "wrap_up"
    assert me["session"]["wrap_up_until"] is not None
    r = ag2.post(f"{API}/contacts/{contact.pk}/wrap-up", {"disposition": "nonsense"})
    assert r.status_code == 400 and r.json()["code"] == "disposition_invalid"
    me = ag2.post(f"{API}/contacts/{contact.pk}/wrap-up", {"disposition": "solved", "notes": "已解释"}).json()
    assert me["wrap_up"] is None and me["session"]["state"] == "ready"
    assert me["today"]["handled"] == 1 and me["today"]["aht_seconds"] is not None
    contact.refresh_from_db()
    assert contact.disposition == "solved" and contact.notes == "已解释"
    kinds = list(ContactEvent.objects.filter(contact=contact).values_list("kind", flat=True))
    assert kinds == ["arrived", "queued", "offered", "answered", "held", "unheld", "conference", "ended",
                     "wrapped_up"]


def test_reject_sends_the_offer_back_and_the_agent_stays_ready(cc, ag2):
    contact = call("13900000001", cc.q_vip)
    [offer_id] = route()
    me = ag2.post(f"{API}/offers/{offer_id}/reject").json()
    assert me["offer"] is None and me["session"]["state"] == "ready"
    assert Offer.objects.get(pk=offer_id).state == "rejected"
    assert Contact.objects.get(pk=contact.pk).state == "queued"
    r = ag2.post(f"{API}/offers/{offer_id}/reject")
    assert r.status_code == 409 and r.json()["code"] == "offer_closed"
    r = ag2.post(f"{API}/offers/{offer_id}/accept")
    assert r.status_code == 409


def test_an_agent_cannot_touch_another_agents_offer_or_contact(cc, ag2):
    contact = call("13900000001", cc.q_vip)
    [offer_id] = route()
    other = api_for(cc.agents[0])
    ready(other, "8001")
    assert other.post(f"{API}/offers/{offer_id}/accept").status_code == 404
    assert other.post(f"{API}/offers/{offer_id}/reject").status_code == 404
    ag2.post(f"{API}/offers/{offer_id}/accept")
    unknown = other.post(f"{API}/contacts/999999/hold")
    assert unknown.status_code == 404 and unknown.json()["code"] == "contact_not_found"
    # Another agent's contact is answered exactly like one that does not exist.
    for action in ("hold", "end"):
        assert other.post(f"{API}/contacts/{contact.pk}/{action}").json() == unknown.json()
    assert other.post(f"{API}/contacts/{contact.pk}/wrap-up", {"disposition": "solved"}).json() == unknown.json()


def test_not_ready_needs_a_known_reason_and_busy_agents_cannot_go_ready(cc, ag2):
    r = ag2.post(f"{API}/agent/state", {"state": "not_ready", "reason": "nap"})
    assert r.status_code == 400 and r.json()["code"] == "reason_required"
    r = ag2.post(f"{API}/agent/state", {"state": "busy"})
    assert r.status_code == 400
    me = ag2.post(f"{API}/agent/state", {"state": "not_ready", "reason": "meal"}).json()
    assert me["session"]["state"] == "not_ready" and me["session"]["reason_label"] == "用餐"
    ag2.post(f"{API}/agent/state", {"state": "ready"})
    call("13900000001", cc.q_vip)
    [offer_id] = route()
    ag2.post(f"{API}/offers/{offer_id}/accept")
    r = ag2.post(f"{API}/agent/state", {"state": "ready"})
    assert r.status_code == 400 and r.json()["code"] == "busy"
    r = ag2.post(f"{API}/agent/logout")
    assert r.status_code == 400


def test_login_checks_the_extension(cc):
    a1, a3 = api_for(cc.agents[0]), api_for(cc.agents[2])
    assert a1.post(f"{API}/agent/login", {"extension": "x" * 17}).status_code == 400
    assert a1.post(f"{API}/agent/login", {"extension": "80 01"}).status_code == 400
    assert a1.post(f"{API}/agent/login", {"extension": "8001"}).status_code == 200
    r = a3.post(f"{API}/agent/login", {"extension": "8001"})
    assert r.status_code == 409 and r.json()["code"] == "extension_taken"
    me = a1.post(f"{API}/agent/logout").json()
    assert me["session"] is None
    assert a1.post(f"{API}/agent/logout").status_code == 404
    assert a1.post(f"{API}/agent/state", {"state": "ready"}).status_code == 404


def test_transfer_to_a_queue_an_agent_or_a_number(cc, ag2):
    a1 = api_for(cc.agents[0])
    ready(a1, "8001")

    def answered():
        c = call("13900000001", cc.q_vip)
        [oid] = route()
        assert Offer.objects.get(pk=oid).staff == cc.agents[1]
        ag2.post(f"{API}/offers/{oid}/accept")
        return c

    c = answered()
    r = ag2.post(f"{API}/contacts/{c.pk}/transfer", {"to_queue": "GEN", "to_number": "123"})
    assert r.status_code == 400 and r.json()["code"] == "target_required"
    assert ag2.post(f"{API}/contacts/{c.pk}/transfer", {"to_queue": "NOPE"}).status_code == 404
    assert ag2.post(f"{API}/contacts/{c.pk}/transfer", {"to_agent": "AG2"}).status_code == 400
    assert ag2.post(f"{API}/contacts/{c.pk}/transfer", {"to_agent": "ZZZ"}).status_code == 404
    me = ag2.post(f"{API}/contacts/{c.pk}/transfer", {"to_agent": "AG1"}).json()
    assert me["contacts"] == [] and me["session"]["state"] == "wrap_up"
    offer = Offer.objects.get(contact=c, state="pending")
    assert offer.staff == cc.agents[0]
    assert a1.get(f"{API}/agent/me").json()["offer"]["contact"] == c.pk
    a1.post(f"{API}/offers/{offer.pk}/accept")
    me = a1.post(f"{API}/contacts/{c.pk}/transfer", {"to_queue": "GEN"}).json()
    assert me["contacts"] == [] and Contact.objects.get(pk=c.pk).state == "queued"

    ag2.post(f"{API}/agent/state", {"state": "ready"})
    Contact.objects.filter(pk=c.pk).update(state="ended")  # out of the way
    c2 = answered()
    assert ag2.post(f"{API}/contacts/{c2.pk}/transfer", {"to_number": "abc"}).status_code == 400
    me = ag2.post(f"{API}/contacts/{c2.pk}/transfer", {"to_number": "010-12345678"}).json()
    assert me["wrap_up"]["id"] == c2.pk  # the agent may still record how it ended
    c2.refresh_from_db()
    assert c2.state == "ended" and c2.transfers == 1


def test_the_agent_who_transfers_a_contact_wraps_up_their_part(cc, ag2):
    """Wrap-up belongs to every agent who handled the contact, not only the last one."""
    c = call("13900000001", cc.q_vip)
    [oid] = route()
    ag2.post(f"{API}/offers/{oid}/accept")
    me = ag2.post(f"{API}/contacts/{c.pk}/transfer", {"to_queue": "GEN"}).json()
    assert me["session"]["state"] == "wrap_up" and me["wrap_up"]["id"] == c.pk
    r = ag2.post(f"{API}/contacts/{c.pk}/wrap-up", {"disposition": "transferred", "notes": "转普通队列"})
    assert r.status_code == 200, r.json()
    me = r.json()
    assert me["wrap_up"] is None and me["session"]["state"] == "ready"
    c.refresh_from_db()
    assert c.state == "queued" and c.disposition == ""  # the next agent's wrap-up decides the contact's
    wrapped = ContactEvent.objects.get(contact=c, kind="wrapped_up")
    assert wrapped.agent == cc.agents[1] and wrapped.data["disposition"] == "transferred"
    stranger = api_for(cc.agents[0])
    ready(stranger, "8001")
    r = stranger.post(f"{API}/contacts/{c.pk}/wrap-up", {"disposition": "solved"})
    assert r.status_code == 404 and r.json()["code"] == "contact_not_found"


def test_oversize_and_malformed_input_is_a_400(cc, ag2):
    c = call("13900000001", cc.q_vip)
    [oid] = route()
    ag2.post(f"{API}/offers/{oid}/accept")
    assert ag2.post(f"{API}/contacts/{c.pk}/conference", {"number": "1" * 21}).status_code == 400
    assert ag2.post(f"{API}/contacts/{c.pk}/conference", {"number": "abc"}).status_code == 400
    assert ag2.post(f"{API}/contacts/{c.pk}/transfer", {"to_number": "1" * 21}).status_code == 400
    ag2.post(f"{API}/contacts/{c.pk}/end")
    r = ag2.post(f"{API}/contacts/{c.pk}/wrap-up", {"disposition": "solved", "notes": "x" * 2001})
    assert r.status_code == 400
    r = ag2.client.post(f"{API}/agent/state", data="{oops", content_type="application/json")
    assert r.status_code == 400


def test_today_counts_only_my_answered_contacts(cc, ag2):
    c = call("13900000001", cc.q_vip)
    [oid] = route()
    ag2.post(f"{API}/offers/{oid}/accept")
    ag2.post(f"{API}/contacts/{c.pk}/end")
    ag2.post(f"{API}/contacts/{c.pk}/wrap-up", {"disposition": "other"})
    call("13900000002", cc.q_general)  # waiting, not mine
    assert ag2.get(f"{API}/agent/me").json()["today"]["handled"] == 1
    assert api_for(cc.agents[0]).get(f"{API}/agent/me").json()["today"]["handled"] == 0
    assert AgentStateChange.objects.filter(staff=cc.agents[1], state="wrap_up").count() == 1


def test_the_desk_permission_admits(cc):
    api = api_for(make_staff(org=cc.province, perms=["contactcenter.desk.use"]))
    assert api.get(f"{API}/agent/me").status_code == 200
    assert api.post(f"{API}/agent/login", {"extension": "8009"}).status_code == 200
