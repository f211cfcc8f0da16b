"""The work-order API end to end (denial of every endpoint: test_denial.py)."""

import time

import pytest

from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.workorders.services.forwarding import sign

from .conftest import COMPLAINT_FIELDS, act, complaint


@pytest.fixture
def agent_api(center):
    return JsonClient(client_for(center.agent))


def _create(api, headers=None, **kw):
    body = {"kind": "complaint", "title": "资费争议", "description": "多扣费", "fields": COMPLAINT_FIELDS,
            "customer_id": kw.pop("customer_id", None), **kw}
    return api.post("/api/workorders/orders", body, **(headers or {}))


def test_create_over_http_then_walk_the_order_through_actions(center, agent_api):
    r = _create(agent_api, customer_id=center.vip.pk)
    assert r.status_code == 201, r.content
    order = r.json()
    assert order["serial"].startswith("TS") and order["actions"] == ["accept", "withdraw", "urge"]
    r = agent_api.post(f"/api/workorders/orders/{order['id']}/actions/accept", {"version": order["version"]})
    assert r.status_code == 200 and r.json()["station"] == "dispatch"
    back = JsonClient(client_for(center.backoffice))
    v = r.json()["version"]
    r = back.post(f"/api/workorders/orders/{order['id']}/actions/dispatch",
                  {"version": v, "text": "请广州处理", "to_org": "GZ"})
    assert r.status_code == 200 and r.json()["holder"]["org"] == "GZ"
    hist = agent_api.get(f"/api/workorders/orders/{order['id']}/history").json()
    assert [h["action"] for h in hist] == ["create", "accept", "dispatch"]


def test_stale_version_is_a_409_naming_what_changed(center, agent_api):
    order = _create(agent_api).json()
    agent_api.post(f"/api/workorders/orders/{order['id']}/actions/accept", {"version": order["version"]})
    r = agent_api.post(f"/api/workorders/orders/{order['id']}/actions/withdraw",
                       {"version": order["version"], "text": "撤"})
    assert r.status_code == 409
    assert r.json()["code"] == "stale" and r.json()["details"]["last_action"] == "accept"


def test_an_action_on_an_order_out_of_scope_is_a_404_unless_the_actor_acted_on_it(center):
    """Checked on the row the action locks: who cannot see the order learns nothing about it, not even that
    their version is stale; who acted on it before gets the order's own answer."""
    order = complaint(center)
    act(center.agent, order, "accept")
    act(center.backoffice, order, "dispatch", text="请广州处理", to_org=center.gz)
    seen = act(center.gz_handler, order, "process", text="已退费").version  # back to the province for review
    url = f"/api/workorders/orders/{order.pk}/actions/review"
    stranger = JsonClient(client_for(center.sz_handler))
    for version in (seen, seen - 1):
        r = stranger.post(url, {"version": version, "text": "复核"})
        assert r.status_code == 404 and r.json()["code"] == "order_not_found"
    earlier = JsonClient(client_for(center.gz_handler))
    assert earlier.post(url, {"version": seen - 1, "text": "复核"}).json()["code"] == "stale"
    r = earlier.post(url, {"version": seen, "text": "复核"})
    assert r.status_code == 403 and r.json()["code"] == "not_holder"
    assert JsonClient(client_for(center.backoffice)).post(url, {"version": seen, "text": "复核"}).status_code == 200


def test_illegal_action_and_bad_input_are_clear_400s(center, agent_api):
    order = _create(agent_api).json()
    r = agent_api.post(f"/api/workorders/orders/{order['id']}/actions/close", {"version": order["version"]})
    assert r.status_code == 400 and r.json()["code"] == "illegal_action"
    r = agent_api.post("/api/workorders/orders", {"kind": "complaint", "title": "x" * 201, "description": "d"})
    assert r.status_code == 400
    r = agent_api.post("/api/workorders/orders", {"kind": "complaint", "title": "t", "description": "d",
                                                  "fields": {"category": "nonsense"}})
    assert r.status_code == 400 and "category" in r.json()["details"]
    r = agent_api.client.post("/api/workorders/orders", data="{oops", content_type="application/json")
    assert r.status_code == 400


def test_idempotency_key_makes_a_retry_return_the_same_order(center, agent_api):
    a = _create(agent_api, headers={"HTTP_IDEMPOTENCY_KEY": "abc-123"})
    b = _create(agent_api, headers={"HTTP_IDEMPOTENCY_KEY": "abc-123"})
    assert a.status_code == 201 and b.status_code == 200 and a.json()["id"] == b.json()["id"]


def test_orders_outside_my_scope_are_404(center, agent_api):
    order = complaint(center)
    act(center.agent, order, "accept")
    act(center.backoffice, order, "dispatch", text="x", to_org=center.gz)
    sz = JsonClient(client_for(make_staff(org=center.sz, perms=["workorders.order.view"])))
    gz = JsonClient(client_for(make_staff(org=center.gz, perms=["workorders.order.view"])))
    assert sz.get(f"/api/workorders/orders/{order.pk}").status_code == 404
    assert gz.get(f"/api/workorders/orders/{order.pk}").status_code == 200


def test_query_is_scoped_filtered_and_audited(center, agent_api):
    from kefu.audit.models import AuditEntry

    complaint(center)
    r = agent_api.get("/api/workorders/orders", {"kind": "complaint", "category": "tariff"})
    assert r.status_code == 200 and r.json()["count"] == 1
    assert agent_api.get("/api/workorders/orders", {"kind": "inquiry"}).json()["count"] == 0
    entry = AuditEntry.objects.filter(action="search", object_type="workorders.workorder").first()
    assert entry.conditions["kind"] in ("complaint", "inquiry")


def test_my_work_lists_what_i_hold_soonest_deadline_first(center, agent_api):
    complaint(center)
    complaint(center)
    rows = agent_api.get("/api/workorders/my-work").json()["items"]
    assert len(rows) == 2 and rows[0]["station_due_at"] <= rows[1]["station_due_at"]


def test_attachments_are_type_and_size_checked(center, agent_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = complaint(center)
    url = f"/api/workorders/orders/{order.pk}/attachments"
    ok = agent_api.client.post(url, {"file": SimpleUploadedFile("bill.pdf", b"%PDF-1.4 test", "application/pdf")})
    assert ok.status_code == 201
    bad = agent_api.client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream")})
    assert bad.status_code == 400 and bad.json()["code"] == "attachment_type"
    fake = agent_api.client.post(url, {"file": SimpleUploadedFile("a.png", b"not a png", "image/png")})
    assert fake.status_code == 400
    got = agent_api.client.get(f"/api/workorders/attachments/{ok.json()['id']}")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 test"


def test_external_answer_needs_a_valid_signature(center, agent_api):
    import json

    from kefu.core.testing import make_org
    from kefu.workorders.models import Endpoint, Forward

    maker = make_org(code="HW", kind="external", external_kind="handset_maker")
    Endpoint.objects.create(org=maker, url="http://127.0.0.1:9/x", secret="s" * 20)
    order = complaint(center)
    act(center.agent, order, "accept")
    act(center.backoffice, order, "forward", text="请厂商分析", to_org=maker)
    token = Forward.objects.get(order=order).token
    body = json.dumps({"answer": "已升级固件"}).encode()
    url = f"/api/workorders/forwards/{token}/answer"
    r = agent_api.client.post(url, data=body, content_type="application/json")
    assert r.status_code == 401
    ts = str(int(time.time()))
    r = agent_api.client.post(url, data=body, content_type="application/json",
                              HTTP_X_KEFU_TIMESTAMP=ts, HTTP_X_KEFU_SIGNATURE=sign("s" * 20, ts, body))
    assert r.status_code == 200 and r.json()["state"] == "answered"


def test_order_endpoints_deny_without_view_permission(center):
    order = complaint(center)
    nobody = JsonClient(client_for(make_staff(org=center.province)))
    for path in (f"/api/workorders/orders/{order.pk}", f"/api/workorders/orders/{order.pk}/history"):
        assert nobody.get(path).status_code == 403
    assert nobody.post(f"/api/workorders/orders/{order.pk}/actions/accept", {"version": 1}).status_code == 403


def test_templates_are_validated_and_versioned(center):
    editor = JsonClient(client_for(make_staff(org=center.province, perms=["workorders.template"])))
    tpls = editor.get("/api/workorders/templates", {"kind": "inquiry"}).json()
    t = tpls[0]
    bad = dict(t["definition"], stations=t["definition"]["stations"] + [{"code": "island", "actions": {"close": "closed"}}])
    r = editor.post(f"/api/workorders/templates/{t['id']}/versions", {"definition": bad})
    assert r.status_code == 400 and any("island" in p for p in r.json()["details"]["problems"])
    r = editor.post(f"/api/workorders/templates/{t['id']}/versions", {"definition": t["definition"], "note": "same"})
    assert r.status_code == 201 and r.json()["version"] == 2


def test_template_problems_are_in_the_users_language(center):
    """The Chinese UI and API say what is wrong with a template in Chinese, English on request."""
    editor = JsonClient(client_for(make_staff(org=center.province, perms=["workorders.template"])))
    t = editor.get("/api/workorders/templates", {"kind": "inquiry"}).json()[0]
    bad = dict(t["definition"], stations=t["definition"]["stations"] + [{"code": "island", "holder": "nobody",
                                                                           "actions": {"fly": "moon"}}])
    r = editor.post(f"/api/workorders/templates/{t['id']}/versions", {"definition": bad})
    problems = r.json()["details"]["problems"]
    assert "工位“island”：未知动作“fly”。" in problems and "工位“island”：未知的处理人规则“nobody”。" in problems
    r = editor.post(f"/api/workorders/templates/{t['id']}/versions", {"definition": bad},
                    HTTP_ACCEPT_LANGUAGE="en")
    assert "station 'island': unknown action 'fly'" in r.json()["details"]["problems"]


def test_every_template_problem_has_a_translatable_message():
    from kefu.workorders import template_problems, workflow

    assert set(template_problems.MESSAGES) == set(workflow.PROBLEMS)
    for key, text in workflow.PROBLEMS.items():
        assert template_problems.MESSAGES[key]._args[0] == text  # the msgid is the English text


def test_mark_a_duplicate(center, agent_api):
    a = complaint(center)
    b = complaint(center)
    r = agent_api.post(f"/api/workorders/orders/{b.pk}/duplicate-of", {"original": a.serial})
    assert r.status_code == 201
    assert agent_api.post(f"/api/workorders/orders/{b.pk}/duplicate-of", {"original": a.serial}).status_code == 409
    assert agent_api.post(f"/api/workorders/orders/{a.pk}/duplicate-of", {"original": b.serial}).status_code == 400
    assert agent_api.post(f"/api/workorders/orders/{a.pk}/duplicate-of", {"original": a.serial}).status_code == 400
    nobody = JsonClient(client_for(make_staff(org=center.province)))
    assert nobody.post(f"/api/workorders/orders/{a.pk}/duplicate-of", {"original": b.serial}).status_code == 403
