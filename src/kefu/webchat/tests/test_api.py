"""The web chat API end to end: an agent's chats, sending, typing, files, transcript reads (audited),
history, messages left and chat entries; bad input answers a clear 4xx."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.audit.models import AuditEntry
from kefu.contactcenter.services import contacts as ct
from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.webchat.models import ChatEntry
from kefu.webchat.services import chats

from .support import chatting, ready, visit_for

pytestmark = pytest.mark.django_db
API = "/api/webchat"


def test_an_agent_lists_writes_and_types_in_their_chats(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    visit = chatting(wc.entry, "13900000001", agent)
    chats.customer_message(visit_id=visit.pk, text="在吗？")
    api = JsonClient(client_for(agent))
    [chat] = api.get(f"{API}/chats").json()
    assert (chat["contact"], chat["mobile"], chat["guest"], chat["state"]) == (visit.contact_id, "13900000001",
                                                                              False, "chatting")
    assert [m["text"] for m in chat["messages"]] == ["您好，欢迎使用在线客服。", "在吗？"]
    r = api.post(f"{API}/contacts/{visit.contact_id}/messages", {"text": "您好，请讲"})
    assert r.status_code == 201 and r.json()["sender"] == "agent"
    assert api.post(f"{API}/contacts/{visit.contact_id}/typing").json() == {"ok": True}
    r = api.post(f"{API}/contacts/{visit.contact_id}/messages", {"text": ""})
    assert r.status_code == 400 and r.json()["code"] == "empty_message"


def test_a_file_from_the_agent_is_checked_and_kept(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    visit = chatting(wc.entry, "13900000001", agent)
    client = client_for(agent)
    r = client.post(f"{API}/contacts/{visit.contact_id}/files",
                    {"file": SimpleUploadedFile("账单.pdf", b"%PDF-1.4 x", content_type="application/pdf")})
    assert r.status_code == 201, r.content
    assert r.json()["file"] == {"name": "账单.pdf", "size": 10}
    download = client.get(f"/webchat/files/{r.json()['id']}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert client_for(wc.agents[1]).get(f"/webchat/files/{r.json()['id']}/").status_code == 404
    r = client.post(f"{API}/contacts/{visit.contact_id}/files",
                    {"file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")})
    assert r.status_code == 400 and r.json()["code"] == "attachment_type"


def test_a_transcript_read_is_logged_as_a_read_of_the_customers_data(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    visit = chatting(wc.entry, "13900000001", agent)
    ct.contact_end(contact_id=visit.contact_id, actor=agent)
    sup = JsonClient(client_for(wc.sup))
    before = AuditEntry.objects.filter(object_type="webchat.transcript").count()
    r = sup.get(f"{API}/contacts/{visit.contact_id}/transcript")
    assert r.status_code == 200 and r.json()["state"] == "ended"
    entry = AuditEntry.objects.filter(object_type="webchat.transcript").order_by("-id").first()
    assert AuditEntry.objects.filter(object_type="webchat.transcript").count() == before + 1
    assert entry.actor_id == wc.sup.pk and str(visit.contact_id) in str(entry.changes) + entry.object_id + str(
        entry.conditions) + entry.object_repr


def test_another_agent_and_a_missing_contact_get_the_same_404(wc):
    ready(wc.agents[0], "8001")
    visit = chatting(wc.entry, "13900000001", wc.agents[0])
    other = JsonClient(client_for(wc.agents[1]))
    for path in (f"{API}/contacts/{visit.contact_id}/transcript", f"{API}/contacts/987654/transcript"):
        r = other.get(path)
        assert (r.status_code, r.json()["code"]) == (404, "chat_not_found")
    r = other.post(f"{API}/contacts/{visit.contact_id}/messages", {"text": "你好"})
    assert r.status_code == 404


def test_messages_left_are_listed_and_followed_up(wc):
    wc.queue.opening_hours = {str(d): ["00:00", "00:00"] for d in range(1, 8)}
    wc.queue.save()
    visit = chats.message_leave(visit_id=visit_for(wc.entry, "13700000005").pk, text="请回电")
    sup = JsonClient(client_for(wc.sup))
    [row] = sup.get(f"{API}/left-messages").json()
    assert (row["id"], row["guest"], row["messages"][0]["text"]) == (visit.pk, True, "请回电")
    r = sup.post(f"{API}/left-messages/{visit.pk}/follow-up", {"note": "已短信答复"})
    assert r.status_code == 200 and r.json()["state"] == "followed_up" and r.json()["followed_up_by"] == "SUP1"
    assert sup.get(f"{API}/left-messages").json() == []
    assert len(sup.get(f"{API}/left-messages", {"open": "false"}).json()) == 1
    r = sup.post(f"{API}/left-messages/{visit.pk}/follow-up", {"note": ""})
    assert r.status_code == 409


def test_chat_entries_are_set_up_on_chat_queues_only(wc):
    admin = make_staff(org=wc.province, perms=["webchat.entry.view", "webchat.entry.edit"])
    api = JsonClient(client_for(admin))
    from kefu.contactcenter.models import Queue

    voice = Queue.objects.create(code="VOICE", name="语音", org=wc.province)
    body = {"hotline": "10010", "name": "联通在线", "org": wc.province.pk, "queue": voice.pk}
    r = api.post(f"{API}/entries", body)
    assert (r.status_code, r.json()["code"]) == (400, "not_a_chat_queue")
    r = api.post(f"{API}/entries", {**body, "queue": wc.spare.pk})
    assert r.status_code == 201
    r = api.post(f"{API}/entries", {**body, "queue": wc.spare.pk})
    assert r.status_code == 409
    entry = r = api.put(f"{API}/entries/{wc.entry.pk}", {**body, "hotline": "10086", "queue": wc.queue.pk,
                                                         "version": 1, "enabled": False})
    assert entry.status_code == 200 and entry.json()["version"] == 2
    assert not ChatEntry.objects.get(hotline="10086").enabled
    r = api.put(f"{API}/entries/{wc.entry.pk}", {**body, "hotline": "10086", "queue": wc.queue.pk, "version": 1})
    assert r.status_code == 409
    assert [e["hotline"] for e in api.get(f"{API}/entries").json()] == ["10010", "10086"]
