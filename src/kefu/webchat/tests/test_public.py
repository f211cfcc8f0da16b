"""The customer's side over HTTP: the public page, the SMS code (sent through the outlets, kept hashed,
5 minutes, 5 tries, limited per number and per address), then starting a chat or leaving a message."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from kefu.contactcenter.models import Contact
from kefu.core import clock
from kefu.webchat.consumers import SESSION_KEY
from kefu.webchat.models import ChatCode, ChatVisit

from .support import sms_code

pytestmark = pytest.mark.django_db


def post(client, path, data=None, **extra):
    return client.post(path, json.dumps(data or {}), content_type="application/json", **extra)


def identify(client, mobile="13900000001") -> dict:
    r = post(client, "/chat/10086/code/", {"mobile": mobile})
    assert r.status_code == 200, r.content
    r = post(client, "/chat/10086/verify/", {"mobile": mobile, "code": sms_code(mobile)})
    assert r.status_code == 200, r.content
    return r.json()


def test_the_page_is_public_in_chinese_and_unknown_hotlines_say_so(wc):
    r = Client().get("/chat/10086/")
    assert r.status_code == 200 and "获取验证码" in r.content.decode() and "中国移动在线客服" in r.content.decode()
    r = Client().get("/chat/12345/")
    assert r.status_code == 404 and "未开通在线客服" in r.content.decode()


def test_a_known_number_identifies_with_the_sms_code_and_starts_a_chat(wc):
    client = Client()
    state = identify(client)
    assert state["visit"] == {"state": "identified", "mobile": "139****0001", "guest": False, "answered": False}
    assert state["open"] is True
    r = post(client, "/chat/10086/start/")
    assert r.status_code == 201 and r.json()["visit"]["state"] == "chatting"
    visit = ChatVisit.objects.get(token=client.session[SESSION_KEY])
    contact = Contact.objects.get(pk=visit.contact_id)
    assert (contact.channel, contact.customer_id, contact.identity_verified) == ("chat", wc.customer.pk, True)
    assert post(client, "/chat/10086/start/").status_code == 409


def test_the_code_is_kept_hashed_and_the_sms_goes_through_the_outlets(wc):
    from kefu.outlets.models import Message

    r = post(Client(), "/chat/10086/code/", {"mobile": "+86 139 0000 0001"})
    assert r.status_code == 200
    digits = sms_code("13900000001")
    code = ChatCode.objects.get(mobile="13900000001")
    assert digits not in code.code_hash and len(code.code_hash) == 64
    message = Message.objects.get(recipient="13900000001")
    assert (message.purpose, message.source) == ("reply", "webchat") and digits in message.body


def test_an_unknown_number_chats_as_a_guest(wc):
    client = Client()
    assert identify(client, "13700000007")["visit"]["guest"] is True
    assert post(client, "/chat/10086/start/").status_code == 201
    visit = ChatVisit.objects.get(mobile="13700000007")
    assert visit.guest and Contact.objects.get(pk=visit.contact_id).customer_id is None


def test_bad_input_is_a_clear_400(wc):
    client = Client()
    r = post(client, "/chat/10086/code/", {"mobile": "12345"})
    assert (r.status_code, r.json()["code"]) == (400, "invalid_mobile")
    r = client.post("/chat/10086/code/", "not json", content_type="application/json")
    assert r.status_code == 400
    r = post(client, "/chat/10086/verify/", {"mobile": "13900000001", "code": "12ab"})
    assert (r.status_code, r.json()["code"]) == (400, "invalid_code")
    r = post(client, "/chat/10086/verify/", {"mobile": "13900000001", "code": "123456"})
    assert (r.status_code, r.json()["code"]) == (400, "code_expired")  # none was sent
    r = post(client, "/chat/10086/start/")
    assert (r.status_code, r.json()["code"]) == (404, "not_identified")


def test_five_wrong_tries_end_the_code(wc):
    client = Client()
    post(client, "/chat/10086/code/", {"mobile": "13900000001"})
    right = sms_code("13900000001")
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    for left in (4, 3, 2, 1):
        r = post(client, "/chat/10086/verify/", {"mobile": "13900000001", "code": wrong})
        assert (r.status_code, r.json()["code"]) == (400, "wrong_code") and str(left) in r.json()["message"]
    r = post(client, "/chat/10086/verify/", {"mobile": "13900000001", "code": wrong})
    assert r.json()["code"] == "code_locked"
    r = post(client, "/chat/10086/verify/", {"mobile": "13900000001", "code": right})
    assert (r.status_code, r.json()["code"]) == (400, "code_locked")
    assert SESSION_KEY not in client.session


def test_a_code_expires_after_five_minutes_and_is_used_once(wc):
    client = Client()
    post(client, "/chat/10086/code/", {"mobile": "13900000001"})
    code = sms_code("13900000001")
    clock.freeze(clock.now() + timedelta(minutes=5, seconds=1))
    r = post(client, "/chat/10086/verify/", {"mobile": "13900000001", "code": code})
    assert r.json()["code"] == "code_expired"
    clock.reset()
    ChatCode.objects.all().delete()
    state = identify(client)
    assert state["visit"]["state"] == "identified"
    r = post(Client(), "/chat/10086/verify/", {"mobile": "13900000001", "code": code})
    assert r.status_code == 400  # used


def test_codes_are_limited_per_number_and_per_address(wc, settings):
    client = Client()
    assert post(client, "/chat/10086/code/", {"mobile": "13900000001"}).status_code == 200
    r = post(client, "/chat/10086/code/", {"mobile": "13900000001"})
    assert (r.status_code, r.json()["code"]) == (429, "code_wait")
    start = clock.now()
    for i in range(1, 5):
        clock.freeze(start + timedelta(minutes=2 * i))
        assert post(client, "/chat/10086/code/", {"mobile": "13900000001"}).status_code == 200
    clock.freeze(start + timedelta(minutes=11))
    r = post(client, "/chat/10086/code/", {"mobile": "13900000001"})
    assert (r.status_code, r.json()["code"]) == (429, "code_limit_number")
    for i in range(15):  # 5 so far from this address; the limit is 20 an hour
        post(client, "/chat/10086/code/", {"mobile": f"137000001{i:02d}"})
    r = post(client, "/chat/10086/code/", {"mobile": "13600000000"})
    assert (r.status_code, r.json()["code"]) == (429, "code_limit_ip")
    r = post(client, "/chat/10086/code/", {"mobile": "13600000000"}, REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 200


def test_outside_opening_hours_the_page_takes_a_message(wc):
    wc.queue.opening_hours = {str(d): ["00:00", "00:00"] for d in range(1, 8)}
    wc.queue.save()
    client = Client()
    state = identify(client)
    assert state["open"] is False
    r = post(client, "/chat/10086/start/")
    assert (r.status_code, r.json()["code"]) == (409, "closed")
    r = post(client, "/chat/10086/leave/", {"text": "请明天上午回电"})
    assert r.status_code == 201 and r.json()["visit"]["state"] == "left_message"
    assert r.json()["messages"][0]["text"] == "请明天上午回电"


def test_a_file_goes_to_the_chat_and_only_its_browser_gets_it_back(wc):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    identify(client)
    post(client, "/chat/10086/start/")
    r = client.post("/chat/10086/files/", {"file": SimpleUploadedFile("a.png", b"\x89PNG....", content_type="image/png")})
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    assert client.get(f"/chat/10086/files/{mid}/").status_code == 200
    assert Client().get(f"/chat/10086/files/{mid}/").status_code == 404
    r = client.post("/chat/10086/files/", {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert (r.status_code, r.json()["code"]) == (400, "attachment_type")
    r = client.post("/chat/10086/files/", {})
    assert (r.status_code, r.json()["code"]) == (400, "file_required")
