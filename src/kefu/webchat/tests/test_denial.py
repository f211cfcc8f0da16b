"""Every staff door of the web chat denies the anonymous and the unpermitted caller (see core/testing.py).

Chats belong to their entry's organisation: a Shenzhen chat, its file and its message left answer a
Guangzhou caller like ones that do not exist; an agent's chat doors act on the chats the agent holds.
The customers' chat pages are public (``core.access.public``); test_public.py covers them.
"""

import pytest

from kefu.contactcenter.models import Queue
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_staff
from kefu.webchat.models import ChatEntry
from kefu.webchat.services import chats

from .support import chatting, ready, visit_for

DESK, RECORDS, SUPERVISE = "contactcenter.desk.use", "contactcenter.contact.view", "contactcenter.supervise.view"
EV, EE = "webchat.entry.view", "webchat.entry.edit"


def _ended_chat(entry, mobile, agent, extension):
    ready(agent, extension)
    visit = chatting(entry, mobile, agent)
    message = chats.customer_file(visit_id=visit.pk, name="bill.pdf", data=b"%PDF-1.4 x")
    ct.contact_end(contact_id=visit.contact_id, actor=agent)
    ct.contact_wrap_up(actor=agent, contact_id=visit.contact_id, disposition="solved")
    ag.agent_logout(actor=agent)
    return visit, message


def _left(entry, mobile):
    queue = entry.queue
    queue.opening_hours = {str(d): ["00:00", "00:00"] for d in range(1, 8)}
    queue.save()
    visit = chats.message_leave(visit_id=visit_for(entry, mobile).pk, text="请回电")
    queue.opening_hours = {}
    queue.save()
    return visit


def _build():
    w = denial_orgs()
    w["queue"] = Queue.objects.create(code="GZCHAT", name="广州在线", org=w["city"], channel="chat")
    w["other_queue"] = Queue.objects.create(code="SZCHAT", name="深圳在线", org=w["other_city"], channel="chat")
    w["entry"] = ChatEntry.objects.create(hotline="10086", name="广州在线客服", org=w["city"], queue=w["queue"])
    w["other_entry"] = ChatEntry.objects.create(hotline="10010", name="深圳在线客服", org=w["other_city"],
                                                queue=w["other_queue"])
    gz = make_staff(org=w["city"], perms=[DESK], employee_no="G001")
    sz = make_staff(org=w["other_city"], perms=[DESK], employee_no="S001")
    visit, w["file"] = _ended_chat(w["entry"], "13900000001", gz, "8001")
    other, w["other_file"] = _ended_chat(w["other_entry"], "13800000002", sz, "9001")
    w["contact"], w["other_contact"] = visit.contact_id, other.contact_id
    w["left"], w["other_left"] = _left(w["entry"], "13900000003"), _left(w["other_entry"], "13800000004")
    return w


world = denial_world(_build)


def _holding(w, caller):
    """The caller, ready at the desk, holding a chat of the Guangzhou page."""
    ready(caller, "8101")
    return {"mine": chatting(w["entry"], "13900000009", caller).contact_id}


def _entry_body(w):
    return {"hotline": "10000", "name": "电信在线", "org": w["city"].pk, "queue": w["queue"].pk}


MINE = {"prepare": _holding, "outside": {"mine": "contact"}}

API = [
    door("get", "/api/webchat/chats", DESK),
    door("get", "/api/webchat/contacts/{contact}/transcript", RECORDS, DESK, any_of=True,
         outside={"contact": "other_contact"}),
    door("get", "/api/webchat/contacts/{mine}/history", DESK, **MINE),
    door("post", "/api/webchat/contacts/{mine}/messages", DESK, body={"text": "您好"}, status=(201,), **MINE),
    door("post", "/api/webchat/contacts/{mine}/typing", DESK, **MINE),
    door("post", "/api/webchat/contacts/{mine}/files", DESK, status=(201,), multipart=True,
         body=lambda w: {"file": _pdf()}, **MINE),
    door("get", "/api/webchat/left-messages", DESK, SUPERVISE, any_of=True),
    door("post", "/api/webchat/left-messages/{left}/follow-up", DESK, SUPERVISE, any_of=True, body={"note": "已回电"},
         outside={"left": "other_left"}),
    door("get", "/api/webchat/entries", EV),
    door("post", "/api/webchat/entries", EE, body=_entry_body, status=(201,)),
    door("put", "/api/webchat/entries/{entry}", EE, outside={"entry": "other_entry"},
         body=lambda w: {**_entry_body(w), "hotline": "10086"}),
]

UI = [
    door("get", "/webchat/entries/", EV),
    door("post", "/webchat/entries/new/", EE, body=lambda w: {**_entry_body(w), "enabled": "on"}, status=(302,)),
    door("get", "/webchat/entries/{entry}/", EV, outside={"entry": "other_entry"}),
    door("post", "/webchat/entries/{entry}/", EV, EE, outside={"entry": "other_entry"},
         body=lambda w: {**_entry_body(w), "hotline": "10086", "enabled": "on", "version": 1}, status=(302,)),
    door("get", "/webchat/left-messages/", DESK, SUPERVISE, any_of=True),
    door("post", "/webchat/left-messages/{left}/follow-up/", DESK, SUPERVISE, any_of=True, body={"note": "已回电"},
         outside={"left": "other_left"}, status=(302,)),
    door("get", "/webchat/contacts/{contact}/transcript/", RECORDS, DESK, any_of=True,
         outside={"contact": "other_contact"}),
    door("get", "/webchat/files/{file}/", RECORDS, DESK, any_of=True, outside={"file": "other_file"}),
]

DOORS = API + UI


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bill.pdf", b"%PDF-1.4 x", content_type="application/pdf")


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
