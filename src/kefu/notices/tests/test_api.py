"""The staff API of the notices, and the signed door's answers to bad input."""

import json

from kefu.audit.models import AuditEntry
from kefu.core import sealing
from kefu.notices.models import ExternalSystem
from kefu.notices.services.callbacks import callbacks_send
from kefu.notices.services.fanout import requests_fanout
from kefu.notices.services.reporting import requests_follow
from kefu.notices.signing import signed_headers
from kefu.outlets.services.sending import messages_dispatch
from kefu.outlets.tests.conftest import fill_bucket


def _signed_post(client, system, secret, payload):
    body = json.dumps(payload).encode()
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed_headers(system.key_id, secret, body).items()}
    return client.post("/api/notices/boss/requests", data=body, content_type="application/json", **headers)


def test_a_system_is_registered_its_secret_shown_once_and_kept_sealed(admin_api, province):
    r = admin_api.post("/api/notices/systems", {"code": "boss", "name": "BOSS", "org": "GD",
                                                "callback_url": "https://boss.example.com/cb"})
    assert r.status_code == 201, r.content
    secret = r.json()["secret"]
    row = ExternalSystem.objects.get(code="boss")
    assert secret not in row.secret_sealed and sealing.unseal("notices.system", row.secret_sealed) == secret
    listed = admin_api.get("/api/notices/systems").json()
    assert "secret" not in listed[0]
    rotated = admin_api.post(f"/api/notices/systems/{row.pk}/rotate").json()["secret"]
    assert rotated != secret
    assert admin_api.put(f"/api/notices/systems/{row.pk}", {"name": "BOSS", "callback_url": "ftp://x"}).status_code == 400
    assert AuditEntry.objects.filter(object_type__contains="externalsystem").count() == 2


def test_a_request_through_the_signed_door_and_its_results_for_staff(client, admin_api, boss_system, arrears_world):
    fill_bucket()
    system, secret = boss_system.system, boss_system.secret
    bad = _signed_post(client, system, secret, {"request_id": "x", "kind": "arrears", "priority": 12})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert any(d["field"] == "priority" for d in bad.json()["details"])
    ok = _signed_post(client, system, secret, {"request_id": "A1", "kind": "arrears", "template": "arrears_notice",
                                               "rule": {"org": "FS", "min_arrears": "50"}})
    assert ok.status_code == 202, ok.content
    pk = ok.json()["id"]
    requests_fanout(worker="t")
    messages_dispatch(worker="t")
    requests_follow()
    callbacks_send(deadline_seconds=2)
    detail = admin_api.get(f"/api/notices/requests/{pk}").json()
    assert detail["totals"]["delivered"] == 2 and detail["state"] == "finished"
    rows = admin_api.get(f"/api/notices/requests/{pk}/recipients").json()["items"]
    assert {r["number"] for r in rows} == {"13900000001", "13900000002"}
    callbacks = admin_api.get(f"/api/notices/requests/{pk}/callbacks").json()["items"]
    assert callbacks and callbacks[0]["attempt_log"][0]["error"] == "no callback URL"
    assert admin_api.post(f"/api/notices/callbacks/{callbacks[0]['id']}/retry").json()["state"] == "pending"


def test_subscriptions_by_api(admin_api, arrears_world):
    r = admin_api.put("/api/notices/subscriptions/13900000001", {"kind": "promotion", "subscribed": False})
    assert r.status_code == 200
    kinds = {k["kind"]: k["subscribed"] for k in r.json()["kinds"]}
    assert kinds["promotion"] is False and kinds["arrears"] is True
    assert admin_api.put("/api/notices/subscriptions/13900000001",
                         {"kind": "weather", "subscribed": False}).json()["code"] == "invalid_kind"
