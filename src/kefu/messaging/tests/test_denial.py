"""Every messaging door denies the anonymous and the unpermitted caller (see core/testing.py).

Reading one's own messages needs only a login; a message is visible to its sender and recipients, so one
between other people answers like one that does not exist, and so does a recipient outside the sender's
scope.
"""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_staff
from kefu.messaging.services.recipients import Target
from kefu.messaging.services.sending import FileIn, MessageDraft, message_send

SEND, BROADCAST = "messaging.message.send", "messaging.message.broadcast"


def _build():
    w = denial_orgs()
    w["colleague"] = make_staff(org=w["city"], employee_no="D-GZ1", name="广州同事")
    w["far"] = make_staff(org=w["other_city"], employee_no="D-SZ1", name="深圳同事")
    boss = make_staff(org=w["province"], perms=[SEND, BROADCAST], employee_no="D-BOSS")
    w["other_message"] = message_send(actor=boss, draft=MessageDraft(
        subject="别人的消息", body="…", targets=[Target(kind="staff", id=w["far"].pk)],
        files=[FileIn(name="a.pdf", data=b"%PDF-1")])).message
    w["other_attachment"] = w["other_message"].attachments.get()
    return w


world = denial_world(_build)


def _received(w, caller):
    """A message to the caller (with a file), so the caller's door opens on it."""
    sender = make_staff(org=w["city"], perms=[SEND])
    m = message_send(actor=sender, draft=MessageDraft(subject="通知", body="内容", display="popup",
                                                      targets=[Target(kind="staff", id=caller.pk)],
                                                      files=[FileIn(name="b.pdf", data=b"%PDF-1")])).message
    return {"message": m, "attachment": m.attachments.get()}


def _sent(w, caller):
    m = message_send(actor=caller, draft=MessageDraft(subject="我的消息", body="内容",
                                                      targets=[Target(kind="staff", id=w["colleague"].pk)])).message
    return {"message": m}


TO_PERSON = {"subject": "请示", "body": "内容", "targets": [{"kind": "staff", "id": "{colleague}"}]}

API = [
    door("post", "/api/messaging/messages", SEND, BROADCAST, any_of=True, body=TO_PERSON,
         headers={"Idempotency-Key": "d1"}, outside={"colleague": "far"}),
    door("get", "/api/messaging/inbox"),
    door("get", "/api/messaging/sent", SEND, BROADCAST, any_of=True),
    door("get", "/api/messaging/pending"),
    door("get", "/api/messaging/people", SEND, BROADCAST, any_of=True, body={"q": "同事"}),
    door("get", "/api/messaging/messages/{message}", prepare=_received, outside={"message": "other_message"}),
    door("post", "/api/messaging/messages/{message}/read", prepare=_received, outside={"message": "other_message"}),
    door("post", "/api/messaging/messages/{message}/acknowledge", prepare=_received,
         outside={"message": "other_message"}),
    door("get", "/api/messaging/messages/{message}/receipts", SEND, BROADCAST, any_of=True, prepare=_sent,
         outside={"message": "other_message"}),
    door("get", "/api/messaging/attachments/{attachment}", prepare=_received,
         outside={"attachment": "other_attachment"}),
]

UI = [
    door("get", "/messaging/"),
    door("get", "/messaging/sent/", SEND, BROADCAST, any_of=True),
    door("get", "/messaging/new/", SEND, BROADCAST, any_of=True),
    door("post", "/messaging/new/", SEND, BROADCAST, any_of=True, status=(302,),
         body={"people": "D-GZ1", "subject": "请示", "body": "内容", "priority": "2", "display": "inbox",
               "key": "ui-1"}),
    door("get", "/messaging/people/", SEND, BROADCAST, any_of=True, body={"q": "同事"}),
    door("get", "/messaging/{message}/", prepare=_received, outside={"message": "other_message"}),
    door("post", "/messaging/{message}/acknowledge/", prepare=_received, outside={"message": "other_message"},
         status=(302,)),
    door("get", "/messaging/attachments/{attachment}/", prepare=_received,
         outside={"attachment": "other_attachment"}),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)


def test_broadcasting_needs_its_own_permission(world, db):
    from kefu.core.testing import JsonClient, client_for

    sender = make_staff(org=world["city"], perms=[SEND])
    r = JsonClient(client_for(sender)).post("/api/messaging/messages", {
        "subject": "全体通知", "body": "内容", "targets": [{"kind": "everyone"}]}, HTTP_IDEMPOTENCY_KEY="x")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert r.json()["details"] == {"required": [BROADCAST]}
