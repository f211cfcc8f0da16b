"""The API end to end: send with an idempotency key, inbox unread first, read and acknowledge, the sender's
receipts with counts, pending notices, sorting and filters, and errors as ``{"code", "message"}``."""

import base64

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.testing import JsonClient, client_for
from kefu.messaging.models import Delivery, Message

URL = "/api/messaging"


def api(staff) -> JsonClient:
    return JsonClient(client_for(staff))


def post_message(client, key="k1", **over):
    body = {"subject": "服务规范更新", "body": "请阅读新的服务规范。", "display": "popup", "priority": 3,
            "targets": [{"kind": "team", "id": over.pop("team")}], **over}
    return client.post(f"{URL}/messages", body, HTTP_IDEMPOTENCY_KEY=key)


def test_send_read_acknowledge_and_receipts(center):
    sup, (a1, a2) = api(center.sup), center.agents
    r = post_message(sup, team=center.team.pk)
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    assert r.json()["recipient_count"] == 2 and r.json()["targets"][0]["label"] == "一班"
    again = post_message(sup, team=center.team.pk)
    assert again.status_code == 200 and again.json()["id"] == mid
    assert Message.objects.count() == 1 and Delivery.objects.count() == 2

    pending = api(a1).get(f"{URL}/pending").json()
    assert [p["id"] for p in pending["popups"]] == [mid] and pending["unread"] == 1
    r = api(a1).post(f"{URL}/messages/{mid}/acknowledge")
    assert r.status_code == 200 and r.json()["read_at"] and r.json()["acknowledged_at"]
    assert api(a1).get(f"{URL}/pending").json() == {"popups": [], "notices": [], "unread": 0}

    receipts = sup.get(f"{URL}/messages/{mid}/receipts").json()
    assert (receipts["recipients"], receipts["read"], receipts["unread"], receipts["acknowledged"]) == (2, 1, 1, 1)
    assert {i["employee_no"]: bool(i["read_at"]) for i in receipts["items"]} == {"AG1": True, "AG2": False}
    unread = sup.get(f"{URL}/messages/{mid}/receipts", {"state": "unread"}).json()["items"]
    assert [i["employee_no"] for i in unread] == ["AG2"]
    assert AuditEntry.objects.filter(object_type="messaging.message", object_id=str(mid),
                                     conditions__receipts="unread").exists()

    sent = sup.get(f"{URL}/sent").json()["items"]
    assert (sent[0]["read_count"], sent[0]["unread_count"], sent[0]["acknowledged_count"]) == (1, 1, 1)
    # A recipient reads the message but not its receipts; a stranger sees nothing.
    assert api(a2).get(f"{URL}/messages/{mid}/receipts").status_code == 404
    assert api(center.far_agent).get(f"{URL}/messages/{mid}").status_code == 404
    assert api(center.far_agent).post(f"{URL}/messages/{mid}/read").status_code == 404


def test_the_inbox_lists_unread_first_and_sorts_and_filters(center):
    sup, agent = api(center.sup), center.agents[0]
    ids = [post_message(sup, key=f"k{i}", team=center.team.pk, subject=f"通知{i}", display="inbox",
                        priority=i).json()["id"] for i in (1, 2, 3)]
    api(agent).post(f"{URL}/messages/{ids[2]}/read")
    inbox = api(agent).get(f"{URL}/inbox").json()
    assert [m["id"] for m in inbox["items"]] == [ids[1], ids[0], ids[2]]  # unread newest first, then read
    by_subject = api(agent).get(f"{URL}/inbox", {"sort": "subject"}).json()["items"]
    assert [m["subject"] for m in by_subject] == ["通知1", "通知2", "通知3"]
    by_priority = api(agent).get(f"{URL}/inbox", {"sort": "-priority"}).json()["items"]
    assert [m["priority"] for m in by_priority] == [3, 2, 1]
    assert api(agent).get(f"{URL}/inbox", {"state": "read"}).json()["count"] == 1
    assert api(agent).get(f"{URL}/inbox", {"sender": "SUP"}).json()["count"] == 3
    assert api(agent).get(f"{URL}/inbox", {"sender": "nobody"}).json()["count"] == 0
    r = api(agent).get(f"{URL}/inbox", {"sort": "password"})
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert sup.get(f"{URL}/sent", {"receiver": "AG1"}).json()["count"] == 3
    assert sup.get(f"{URL}/sent", {"receiver": "SZ1"}).json()["count"] == 0
    assert [m["id"] for m in sup.get(f"{URL}/sent", {"sort": "sent_at"}).json()["items"]] == ids


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"targets": [{"kind": "staff", "id": 987654}]}, 404, "recipient_not_found"),
    ({"targets": []}, 400, "no_recipients"),
    ({"targets": [{"kind": "planet", "id": 1}]}, 400, "invalid"),
    ({"targets": [{"kind": "staff", "id": "1"}]}, 400, "invalid"),
    ({"subject": ""}, 400, "empty_subject"),
    ({"display": "fireworks"}, 400, "invalid"),
    ({"expires_at": "2001-01-01T00:00:00+08:00"}, 400, "expiry_past"),
    ({"attachments": [{"name": "a.pdf", "content_base64": "***"}]}, 400, "invalid"),
    ({"attachments": [{"name": "a.exe", "content_base64": base64.b64encode(b"MZ").decode()}]}, 400,
     "attachment_type"),
])
def test_bad_requests_answer_a_clear_4xx_and_write_nothing(center, body, status, code):
    payload = {"subject": "通知", "body": "内容", "targets": [{"kind": "team", "id": center.team.pk}], **body}
    r = api(center.sup).post(f"{URL}/messages", payload, HTTP_IDEMPOTENCY_KEY="bad")
    assert r.status_code == status, r.content
    assert r.json()["code"] == code and r.json()["message"]
    assert not Message.objects.exists()


def test_the_idempotency_key_is_required_and_not_reused_for_another_message(center):
    sup = api(center.sup)
    r = sup.post(f"{URL}/messages", {"subject": "a", "body": "b", "targets": [{"kind": "everyone"}]})
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_required"
    assert post_message(sup, key="same", team=center.team.pk).status_code == 201
    r = post_message(sup, key="same", team=center.team.pk, body="另一条")
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_reused"


def test_an_agent_may_write_to_a_person_but_not_broadcast(center):
    agent = api(center.agents[0])
    r = agent.post(f"{URL}/messages", {"subject": "请假", "body": "明天请假。",
                                        "targets": [{"kind": "staff", "id": center.sup.pk}]},
                   HTTP_IDEMPOTENCY_KEY="a1")
    assert r.status_code == 201
    r = post_message(agent, key="a2", team=center.team.pk)
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert api(center.sup).get(f"{URL}/inbox").json()["items"][0]["subject"] == "请假"


def test_attachments_go_with_the_message_to_its_people_only(center):
    pdf = b"%PDF-1.4 rules"
    r = post_message(api(center.sup), team=center.team.pk, attachments=[
        {"name": "规范.pdf", "content_base64": base64.b64encode(pdf).decode(), "content_type": "application/pdf"}])
    assert r.status_code == 201, r.content
    url = r.json()["attachments"][0]["url"]
    got = api(center.agents[0]).get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == pdf
    assert api(center.far_agent).get(url).status_code == 404


def test_banners_and_highlights_are_pending_until_read_and_expired_ones_are_not(center):
    from datetime import timedelta

    from kefu.core import clock

    sup = api(center.sup)
    banner = post_message(sup, key="b", team=center.team.pk, display="banner").json()["id"]
    post_message(sup, key="h", team=center.team.pk, display="highlight",
                 expires_at=(clock.now() + timedelta(hours=1)).isoformat())
    agent = api(center.agents[0])
    assert len(agent.get(f"{URL}/pending").json()["notices"]) == 2
    agent.post(f"{URL}/messages/{banner}/read")
    clock.freeze(clock.now() + timedelta(hours=2))
    assert agent.get(f"{URL}/pending").json()["notices"] == []
