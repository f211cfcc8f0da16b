"""Queue administration over HTTP: create, read, change, delete; validation, conflicts, scope, audit."""

import pytest

from kefu.audit.models import AuditEntry
from kefu.contactcenter.models import Queue
from kefu.core.testing import JsonClient, client_for, make_org, make_staff

from .desk_support import API, api_for, call


@pytest.fixture
def editor(cc):
    return api_for(make_staff(org=cc.province, perms=["contactcenter.queue"], employee_no="QADMIN"))


def body(cc, **kw):
    data = {"code": "BILL", "name": "账单查询", "channel": "voice", "org_id": cc.province.pk,
            "sl_target_percent": 85, "sl_target_seconds": 15, "short_abandon_seconds": 3,
            "skills": [{"skill": "general", "min_level": 2}],
            "overflow": [{"after": 60, "skills": [{"skill": "general", "min_level": 1}]},
                         {"after": 30, "skills": [{"skill": "vip", "min_level": 1}]}],
            "max_wait_seconds": 240, "max_wait_action": "voicemail",
            "opening_hours": {"1": ["08:00", "20:00"], "6": ["09:00", "18:00"]},
            "closed_message": "非工作时间", "script": "您好，请问有什么可以帮您？"}
    data.update(kw)
    return data


def test_create_read_change_and_delete_a_queue_audited(cc, editor):
    r = editor.post(f"{API}/queues", body(cc))
    assert r.status_code == 201, r.content
    q = r.json()
    assert q["skills"] == [{"skill": "general", "min_level": 2}]
    assert [s["after"] for s in q["overflow"]] == [30, 60]  # sorted by wait
    assert q["opening_hours"] == {"1": ["08:00", "20:00"], "6": ["09:00", "18:00"]} and q["org_name"] == "广东省客服中心"
    assert editor.get(f"{API}/queues/{q['id']}").json()["script"] == "您好，请问有什么可以帮您？"
    r = editor.put(f"{API}/queues/{q['id']}", body(cc, name="账单与缴费", skills=[{"skill": "vip", "min_level": 5}],
                                                   opening_hours={}))
    assert r.status_code == 200 and r.json()["name"] == "账单与缴费" and r.json()["opening_hours"] == {}
    assert r.json()["skills"] == [{"skill": "vip", "min_level": 5}]
    entries = AuditEntry.objects.filter(object_type="contactcenter.queue", object_id=str(q["id"])).order_by("at", "id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["name"] == ["账单查询", "账单与缴费"]
    assert entries[1].changes["skills"] == [[["general", 2]], [["vip", 5]]]
    assert editor.delete(f"{API}/queues/{q['id']}").status_code == 204
    assert not Queue.objects.filter(pk=q["id"]).exists()
    assert AuditEntry.objects.filter(object_id=str(q["id"]), action="delete").exists()


def test_a_queue_with_contacts_cannot_be_deleted(cc, editor):
    call("13900000002", cc.q_general)
    r = editor.delete(f"{API}/queues/{cc.q_general.pk}")
    assert r.status_code == 409 and r.json()["code"] == "queue_in_use"


def test_queue_input_is_checked(cc, editor):
    r = editor.post(f"{API}/queues", body(cc, code="GEN"))
    assert r.status_code == 409 and r.json()["code"] == "duplicate_code"
    cases = [
        ({"code": "has space"}, "code"),
        ({"skills": [{"skill": "nope", "min_level": 1}]}, "skills"),
        ({"skills": [{"skill": "general", "min_level": 1}, {"skill": "general", "min_level": 3}]}, "skills"),
        ({"channel": "pigeon"}, "channel"),
        ({"max_wait_action": "explode"}, "max_wait_action"),
        ({"opening_hours": {"8": ["08:00", "20:00"]}}, "opening_hours"),
        ({"opening_hours": {"1": ["20:00", "08:00"]}}, "opening_hours"),
        ({"opening_hours": {"1": ["8am", "20:00"]}}, "opening_hours"),
        ({"overflow": [{"after": 30, "skills": [{"skill": "ghost", "min_level": 1}]}]}, "overflow"),
    ]
    for change, field in cases:
        r = editor.post(f"{API}/queues", body(cc, **change))
        assert r.status_code == 400, change
        assert field in r.json()["details"], (change, r.json())
    for change in ({"name": "x" * 65}, {"skills": []}, {"sl_target_percent": 101}, {"script": "x" * 5001},
                   {"skills": [{"skill": "general", "min_level": 11}]}, {"overflow": [{"after": 0, "skills": []}]}):
        assert editor.post(f"{API}/queues", body(cc, **change)).status_code == 400, change
    assert not Queue.objects.filter(code="BILL").exists()


def test_queues_are_scoped_to_the_editors_organisations(cc):
    elsewhere = make_org(code="HN", kind="province", name="湖南省客服中心")
    outsider = api_for(make_staff(org=elsewhere, perms=["contactcenter.queue"]))
    assert outsider.get(f"{API}/queues").json()["items"] == []
    assert outsider.get(f"{API}/queues/{cc.q_vip.pk}").status_code == 404
    assert outsider.put(f"{API}/queues/{cc.q_vip.pk}", body(cc)).status_code == 404
    assert outsider.delete(f"{API}/queues/{cc.q_vip.pk}").status_code == 404
    r = outsider.post(f"{API}/queues", body(cc))  # a queue for an organisation not theirs
    assert r.status_code == 400 and "org" in r.json()["details"]
    r = outsider.post(f"{API}/queues", body(cc, org_id=elsewhere.pk))
    assert r.status_code == 201


def test_list_searches_and_filters(cc, editor):
    items = editor.get(f"{API}/queues", {"search": "vip"}).json()["items"]
    assert [q["code"] for q in items] == ["VIP"]
    assert items[0]["overflow"] == [{"after": 30, "skills": [{"skill": "general", "min_level": 1}]}]
    editor.put(f"{API}/queues/{cc.q_general.pk}", body(cc, code="GEN", name="综合队列", active=False))
    assert [q["code"] for q in editor.get(f"{API}/queues", {"active": "true"}).json()["items"]] == ["VIP"]


@pytest.mark.parametrize("method,path,perm", [
    ("get", "/queues", "contactcenter.queue.view"),
    ("get", "/queues/{pk}", "contactcenter.queue.view"),
    ("post", "/queues", "contactcenter.queue.edit"),
    ("put", "/queues/{pk}", "contactcenter.queue.edit"),
    ("delete", "/queues/{pk}", "contactcenter.queue.edit"),
])
def test_queue_endpoints_deny_anonymous_and_unpermitted(cc, method, path, perm):
    path = API + path.format(pk=cc.q_vip.pk)
    viewer = JsonClient(client_for(make_staff(org=cc.province, perms=["contactcenter.queue.view"])))
    clients = [(JsonClient(), 401), (JsonClient(client_for(cc.agents[0])), 403)]
    if perm.endswith(".edit"):
        clients.append((viewer, 403))
    else:
        clients.append((viewer, 200))
    for client, status in clients:
        if method in ("get", "delete"):
            r = getattr(client, method)(path)
        else:
            r = getattr(client, method)(path, body(cc))
        assert r.status_code == status, (method, path, r.content)
