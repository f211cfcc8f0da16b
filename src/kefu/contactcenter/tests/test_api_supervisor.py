"""The supervisor's live snapshot and forcing agents, over HTTP."""

from datetime import timedelta

import pytest

from kefu.audit.models import AuditEntry
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.core import clock
from kefu.core.testing import JsonClient, client_for, make_org, make_staff

from .desk_support import API, api_for, call, ready


@pytest.fixture
def sup_api(cc):
    return api_for(cc.sup)


def _row(snapshot, employee_no):
    return next(a for a in snapshot["agents"] if a["employee_no"] == employee_no)


def test_snapshot_shows_queues_and_agents_as_they_change(cc, sup_api):
    clock.freeze(clock.now())
    a2 = api_for(cc.agents[1])
    ready(a2, "8002")
    snap = sup_api.get(f"{API}/supervisor/snapshot").json()
    assert [q["code"] for q in snap["queues"]] == ["GEN", "VIP"]
    assert _row(snap, "AG2")["state"] == "ready" and _row(snap, "AG2")["extension"] == "8002"
    assert _row(snap, "AG2")["contact"] is None
    call("13900000002", cc.q_general)  # nobody with the general skill is ready: it waits
    clock.advance(timedelta(seconds=12))
    vip = call("13900000001", cc.q_vip)
    [oid] = route()
    snap = sup_api.get(f"{API}/supervisor/snapshot").json()
    gen = next(q for q in snap["queues"] if q["code"] == "GEN")
    assert gen["waiting"] == 1 and gen["longest_wait"] == 12
    row = _row(snap, "AG2")
    assert row["state"] == "offered" and row["state_label"] == "振铃"
    assert row["contact"]["id"] == vip.pk and row["contact"]["customer"] == "陈大客户" and row["contact"]["tier"] == "vip"
    a2.post(f"{API}/offers/{oid}/accept")
    row = _row(sup_api.get(f"{API}/supervisor/snapshot").json(), "AG2")
    assert row["state"] == "busy" and row["contact"]["state"] == "connected"
    a2.post(f"{API}/contacts/{vip.pk}/end")
    assert _row(sup_api.get(f"{API}/supervisor/snapshot").json(), "AG2")["state"] == "wrap_up"
    snap = sup_api.get(f"{API}/supervisor/snapshot").json()
    q_vip = next(q for q in snap["queues"] if q["code"] == "VIP")
    assert q_vip["answered"] == 1 and q_vip["service_level"] == 100.0 and q_vip["waiting"] == 0


def test_service_level_counts_answers_within_target_and_leaves_out_short_abandons(cc, sup_api):
    start = clock.now()
    clock.freeze(start)
    a1 = cc.agents[0]
    ag.agent_login(actor=a1, extension="8001")

    def answered_after(seconds):
        c = call("13900000002", cc.q_general)
        clock.advance(timedelta(seconds=seconds))
        ag.agent_set_state(actor=a1, state="ready")
        [oid] = route()
        ct.offer_accept(actor=a1, offer_id=oid)
        ct.contact_end(contact_id=c.pk, actor=a1)
        ct.contact_wrap_up(actor=a1, contact_id=c.pk, disposition="solved")
        ag.agent_set_state(actor=a1, state="not_ready", reason="break")

    answered_after(5)    # within 20 s
    answered_after(35)   # late
    short = call("13900000002", cc.q_general)
    clock.advance(timedelta(seconds=2))
    ct.contact_end(contact_id=short.pk, by_switch=True)  # hung up after 2 s: a short abandon
    long = call("13900000002", cc.q_general)
    clock.advance(timedelta(seconds=40))
    ct.contact_end(contact_id=long.pk, by_switch=True)
    q = next(q for q in sup_api.get(f"{API}/supervisor/snapshot").json()["queues"] if q["code"] == "GEN")
    assert (q["answered"], q["abandoned"], q["short_abandoned"], q["offered"]) == (2, 2, 1, 3)
    assert q["service_level"] == pytest.approx(33.3)


def test_supervisor_forces_not_ready_and_logout_audited(cc, sup_api):
    a1 = api_for(cc.agents[0])
    ready(a1, "8001")
    staff_id = cc.agents[0].pk
    r = sup_api.post(f"{API}/supervisor/agents/{staff_id}/force", {"action": "not_ready"})
    assert r.status_code == 200 and r.json()["state"] == "not_ready"
    assert a1.get(f"{API}/agent/me").json()["session"]["reason"] == "supervisor"
    r = sup_api.post(f"{API}/supervisor/agents/{staff_id}/force", {"action": "logout"})
    assert r.status_code == 200 and r.json()["state"] == "logged_out"
    assert a1.get(f"{API}/agent/me").json()["session"] is None
    notes = set(AuditEntry.objects.filter(actor=cc.sup).values_list("note", flat=True))
    assert {"supervisor forced not_ready", "supervisor forced logout"} <= notes
    assert sup_api.post(f"{API}/supervisor/agents/{staff_id}/force", {"action": "logout"}).status_code == 404
    assert sup_api.post(f"{API}/supervisor/agents/{staff_id}/force", {"action": "explode"}).status_code == 400


def test_a_busy_agent_cannot_be_logged_out_but_can_be_set_not_ready_after_the_call(cc, sup_api):
    a2 = api_for(cc.agents[1])
    ready(a2, "8002")
    c = call("13900000001", cc.q_vip)
    [oid] = route()
    a2.post(f"{API}/offers/{oid}/accept")
    r = sup_api.post(f"{API}/supervisor/agents/{cc.agents[1].pk}/force", {"action": "logout"})
    assert r.status_code == 400 and r.json()["code"] == "busy"
    assert sup_api.post(f"{API}/supervisor/agents/{cc.agents[1].pk}/force", {"action": "not_ready"}).status_code == 200
    a2.post(f"{API}/contacts/{c.pk}/end")
    me = a2.post(f"{API}/contacts/{c.pk}/wrap-up", {"disposition": "solved"}).json()
    assert me["session"]["state"] == "not_ready" and me["session"]["reason"] == "supervisor"


def test_supervisors_see_only_their_organisations(cc):
    elsewhere = make_org(code="HN", kind="province", name="湖南省客服中心")
    outsider = make_staff(org=elsewhere, perms=["contactcenter.supervise"], employee_no="SUP9")
    ready(api_for(cc.agents[0]), "8001")
    api = api_for(outsider)
    snap = api.get(f"{API}/supervisor/snapshot").json()
    assert snap["agents"] == [] and snap["queues"] == []
    r = api.post(f"{API}/supervisor/agents/{cc.agents[0].pk}/force", {"action": "not_ready"})
    assert r.status_code == 404


def test_viewing_is_not_forcing(cc):
    viewer = api_for(make_staff(org=cc.province, perms=["contactcenter.supervise.view"]))
    ready(api_for(cc.agents[0]), "8001")
    assert viewer.get(f"{API}/supervisor/snapshot").status_code == 200
    r = viewer.post(f"{API}/supervisor/agents/{cc.agents[0].pk}/force", {"action": "not_ready"})
    assert r.status_code == 403


@pytest.mark.parametrize("method,path,body", [
    ("get", "/supervisor/snapshot", None),
    ("post", "/supervisor/agents/1/force", {"action": "not_ready"}),
])
def test_supervisor_endpoints_deny_anonymous_and_agents(cc, method, path, body):
    agent = JsonClient(client_for(cc.agents[0]))
    for client, status in ((JsonClient(), 401), (agent, 403)):
        r = client.get(API + path) if method == "get" else client.post(API + path, body)
        assert r.status_code == status
