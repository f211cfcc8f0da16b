"""Answering a customer who wrote by SMS: the thread of a contact and the agent's reply through the SMS outlet."""

from kefu.contactcenter.models import Contact
from kefu.contactcenter.services.contacts import contact_arrive
from kefu.outlets.models import Message, Outlet, RecordedSms
from kefu.outlets.services.inbound import sms_inbound_receive
from kefu.outlets.services.sending import messages_dispatch


def _sms_contact(gen_queue) -> Contact:
    outlet = Outlet.objects.get(code="sms")
    sms_inbound_receive(outlet=outlet, gateway_id="in-1", sender="13800000001", recipient="10086",
                        text="我的宽带断了，什么时候能修好？")
    return Contact.objects.get(channel="sms")


def test_the_thread_shows_what_the_customer_wrote_and_each_answer_with_its_status(admin_api, customer, gen_queue):
    contact = _sms_contact(gen_queue)
    path = f"/api/outlets/contacts/{contact.pk}"
    assert admin_api.get(f"{path}/sms").json()[0]["text"] == "我的宽带断了，什么时候能修好？"

    first = admin_api.post(f"{path}/reply", {"text": "您好，维修人员今天下午上门。"}, headers={"Idempotency-Key": "r1"})
    assert first.status_code == 201 and first.json()["purpose"] == "reply"
    again = admin_api.post(f"{path}/reply", {"text": "您好，维修人员今天下午上门。"}, headers={"Idempotency-Key": "r1"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]  # one SMS for a double click
    thread = admin_api.get(f"{path}/sms").json()
    assert [(x["direction"], x["status"]) for x in thread] == [("in", ""), ("out", "queued")]
    assert thread[1]["status_label"] == "排队中"

    messages_dispatch(worker="w")
    thread = admin_api.get(f"{path}/sms").json()
    assert thread[1]["status"] == "delivered"
    assert RecordedSms.objects.get().recipient == "13800000001" and Message.objects.count() == 1


def test_only_an_sms_contact_is_answered_by_sms_and_an_empty_text_is_refused(admin_api, customer, gen_queue):
    call = contact_arrive(caller="13800000001", called="10086", external_id="c-1")
    r = admin_api.post(f"/api/outlets/contacts/{call.pk}/reply", {"text": "您好"})
    assert r.status_code == 400 and r.json()["code"] == "not_sms_contact"
    contact = _sms_contact(gen_queue)
    r = admin_api.post(f"/api/outlets/contacts/{contact.pk}/reply", {"text": ""})
    assert r.status_code in (400, 422) and not Message.objects.filter(purpose="reply").exists()
    assert admin_api.get("/api/outlets/contacts/999999/sms").status_code == 404
