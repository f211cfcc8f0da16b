"""The outlets API: sending with an idempotency key, the scoped log, templates, opt-outs, outlet settings."""

from kefu.audit.models import AuditEntry
from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.outlets.models import Message, Template
from kefu.outlets.services.sending import messages_dispatch

SEND = {"outlet": "sms", "recipient": "13800000001", "purpose": "billing", "template": "arrears_notice",
        "variables": {"number": "13800000001", "amount": "56.20"}}


def _api(staff):
    return JsonClient(client_for(staff))


def test_send_needs_the_key_answers_201_then_200_and_409_for_another_message(admin_api, customer):
    assert admin_api.post("/api/outlets/messages", SEND).json()["code"] == "idempotency_key_required"
    r = admin_api.post("/api/outlets/messages", {**SEND, "customer_id": customer.pk}, HTTP_IDEMPOTENCY_KEY="abc")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "queued" and "56.20" in body["body"] and body["segments"] == 1
    again = admin_api.post("/api/outlets/messages", {**SEND, "customer_id": customer.pk}, HTTP_IDEMPOTENCY_KEY="abc")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    other = admin_api.post("/api/outlets/messages", {**SEND, "template": "", "body": "别的"},
                           HTTP_IDEMPOTENCY_KEY="abc")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert Message.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="outlets.message", action="create").count() == 1


def test_bad_input_is_a_400_with_the_reason_and_nothing_is_written(admin_api):
    r = admin_api.post("/api/outlets/messages", {**SEND, "variables": {}}, HTTP_IDEMPOTENCY_KEY="x")
    assert r.status_code == 400 and r.json()["code"] == "variables_missing"
    r = admin_api.post("/api/outlets/messages", {**SEND, "recipient": "abc"}, HTTP_IDEMPOTENCY_KEY="y")
    assert r.status_code == 400 and r.json()["details"]["recipient"]
    r = admin_api.post("/api/outlets/messages", {**SEND, "variables": {"a": [1]}}, HTTP_IDEMPOTENCY_KEY="z")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert not Message.objects.exists()


def test_the_log_is_scoped_to_the_senders_branch_and_shows_attempts(city, other_city, customer):
    here = make_staff(org=city, perms=["outlets.message.send", "outlets.message.view"])
    there_customer = make_customer(org=other_city, name="张伟", number="13600000002")
    api = _api(here)
    r = api.post("/api/outlets/messages", {**SEND, "customer_id": there_customer.pk}, HTTP_IDEMPOTENCY_KEY="o")
    assert r.status_code == 404  # another branch's customer does not exist for this sender
    mine = api.post("/api/outlets/messages", {**SEND, "customer_id": customer.pk}, HTTP_IDEMPOTENCY_KEY="m").json()
    other = make_staff(org=other_city, perms=["outlets.message.send", "outlets.message.view"])
    theirs = _api(other).post("/api/outlets/messages", {**SEND, "customer_id": there_customer.pk},
                              HTTP_IDEMPOTENCY_KEY="t").json()
    messages_dispatch(worker="w")
    listed = api.get("/api/outlets/messages").json()["items"]
    assert [m["id"] for m in listed] == [mine["id"]]
    assert api.get(f"/api/outlets/messages/{theirs['id']}").status_code == 404
    detail = api.get(f"/api/outlets/messages/{mine['id']}").json()
    assert detail["status"] == "delivered" and detail["attempt_log"][0]["ok"] is True
    assert api.get("/api/outlets/messages", {"status": "queued"}).json()["items"] == []
    # A key another branch used is not revealed by replaying it.
    assert api.post("/api/outlets/messages", {**SEND, "customer_id": there_customer.pk},
                    HTTP_IDEMPOTENCY_KEY="t").status_code == 404


def test_templates_are_created_edited_previewed_and_deleted_with_audit(admin_api):
    r = admin_api.post("/api/outlets/templates", {"outlet": "sms", "code": "care", "name": "关怀",
                                                  "body": "{{ name }}您好，天气转凉请注意保暖。"})
    assert r.status_code == 201
    t = r.json()
    dup = admin_api.post("/api/outlets/templates", {"outlet": "sms", "code": "care", "name": "x", "body": "x"})
    assert dup.status_code == 409
    bad = admin_api.put(f"/api/outlets/templates/{t['id']}", {"code": "care", "name": "关怀", "body": "{% if %}"})
    assert bad.status_code == 400 and bad.json()["code"] == "template_invalid"
    ok = admin_api.put(f"/api/outlets/templates/{t['id']}", {"code": "care", "name": "关怀",
                                                             "body": "{{ name }}您好！", "version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = admin_api.put(f"/api/outlets/templates/{t['id']}", {"code": "care", "name": "关怀", "body": "x",
                                                                "version": 1})
    assert stale.status_code == 409
    preview = admin_api.post(f"/api/outlets/templates/{t['id']}/preview", {"variables": {"name": "王先生"}}).json()
    assert preview == {"subject": "", "body": "王先生您好！", "encoding": "ucs2", "segments": 1}
    assert admin_api.delete(f"/api/outlets/templates/{t['id']}").status_code == 204
    assert not Template.objects.filter(code="care").exists()
    actions = list(AuditEntry.objects.filter(object_type="outlets.template").values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete", "update"]


def test_opt_outs_and_outlet_settings(admin_api, customer):
    r = admin_api.post("/api/outlets/opt-outs", {"customer_id": customer.pk, "purpose": "marketing"})
    assert r.status_code == 201
    assert admin_api.post("/api/outlets/opt-outs", {}).status_code == 400
    assert [o["id"] for o in admin_api.get("/api/outlets/opt-outs").json()["items"]] == [r.json()["id"]]
    assert admin_api.delete(f"/api/outlets/opt-outs/{r.json()['id']}").status_code == 204
    assert admin_api.delete(f"/api/outlets/opt-outs/{r.json()['id']}").status_code == 404
    outlets = {o["code"]: o for o in admin_api.get("/api/outlets/outlets").json()}
    assert set(outlets) == {"sms", "email", "inapp", "call"} and outlets["sms"]["gateway"] == "recorded"
    bad = admin_api.put("/api/outlets/outlets/sms", {"active": True, "rate_per_second": 0, "burst": 0,
                                                     "gateway": "http"})
    assert bad.status_code == 400 and set(bad.json()["details"]) >= {"rate_per_second", "burst", "gateway_url"}
    ok = admin_api.put("/api/outlets/outlets/sms", {"active": True, "rate_per_second": 20, "burst": 40,
                                                    "gateway": "http", "gateway_url": "https://sms.example.com/send",
                                                    "gateway_secret": "s3cret", "version": 1})
    assert ok.status_code == 200 and ok.json()["has_secret"] and "gateway_secret" not in ok.json()
    entry = AuditEntry.objects.get(object_type="outlets.outlet")
    assert "s3cret" not in str(entry.changes)
