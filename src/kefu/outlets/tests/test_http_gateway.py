"""The HTTP SMS gateway against a real HTTP server, and its signed webhooks (reports, inbound messages)."""

import json

import pytest

from kefu.contactcenter.models import Contact
from kefu.core.testing import JsonClient
from kefu.outlets import smsparts
from kefu.outlets.gateways.signing import signed_headers
from kefu.outlets.models import DeliveryReport, InboundSms, Message, OptOut
from kefu.outlets.services.messages import send_message
from kefu.outlets.services.sending import messages_dispatch

from .conftest import SECRET


def _send(key="k", body="您好，您的业务已办理成功。", **kw):
    return send_message(recipient="13800000001", outlet="sms", purpose="service", idempotency_key=key, body=body,
                        **kw).message


def _post(path, payload, *, secret=SECRET, raw=None):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed_headers(secret, body).items()}
    return JsonClient().client.post(path, data=body, content_type="application/json", **headers)


def test_a_long_chinese_message_is_posted_signed_in_segments_and_delivered_by_report(http_sms, gateway_server):
    text = "尊敬的客户" * 30  # 150 characters: UCS-2, 3 segments of at most 67
    m = _send(body=text)
    assert messages_dispatch(worker="w").sent == 1
    [posted] = gateway_server.received
    assert gateway_server.bad_signatures == 0
    assert posted["id"] == "k" and posted["to"] == "13800000001" and posted["from"] == "10086"
    assert posted["encoding"] == "ucs2" and [s["seq"] for s in posted["segments"]] == [1, 2, 3]
    assert len({s["udh"][:8] for s in posted["segments"]}) == 1
    assert "".join(s["text"] for s in posted["segments"]) == text
    m.refresh_from_db()
    assert (m.status, m.gateway_ref, m.segments) == ("sent", "gw-1", 3)

    report = {"id": "r-1", "ref": "gw-1", "status": "delivered"}
    r = _post("/api/outlets/gateways/sms/reports", report)
    assert r.status_code == 200 and r.json() == {"duplicate": False, "message_id": m.pk, "contact_id": None,
                                                 "opted_out": False}
    again = _post("/api/outlets/gateways/sms/reports", {**report, "status": "failed"})
    assert again.status_code == 200 and again.json()["duplicate"] is True
    m.refresh_from_db()
    assert m.status == "delivered" and DeliveryReport.objects.count() == 1


def test_a_server_error_is_retried_with_back_off_and_a_refusal_is_final(http_sms, gateway_server):
    from datetime import timedelta

    from kefu.core import clock

    clock.freeze(clock.now())
    gateway_server.plan = [503, 500]
    m = _send()
    messages_dispatch(worker="w")
    m.refresh_from_db()
    assert m.status == "queued" and m.attempts == 1 and m.status_reason == "HTTP 503"
    assert m.next_attempt_at == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=31))
    messages_dispatch(worker="w")
    m.refresh_from_db()
    assert m.attempts == 2 and m.next_attempt_at == clock.now() + timedelta(seconds=60)  # twice as long
    clock.advance(timedelta(seconds=61))
    messages_dispatch(worker="w")
    m.refresh_from_db()
    assert m.status == "sent" and [a.ok for a in m.attempt_rows.all()] == [False, False, True]

    gateway_server.plan = [400]
    refused = _send(key="k2")
    messages_dispatch(worker="w")
    refused.refresh_from_db()
    assert refused.status == "failed" and refused.attempts == 1 and refused.attempt_rows.get().permanent


def test_an_unreachable_gateway_is_retried_until_the_last_attempt(http_sms, gateway_server):
    from datetime import timedelta

    from kefu.core import clock
    from kefu.outlets.models import Outlet

    Outlet.objects.filter(code="sms").update(gateway_url="http://127.0.0.1:9/nothing")
    clock.freeze(clock.now())
    m = _send()
    for _ in range(5):
        messages_dispatch(worker="w")
        clock.advance(timedelta(hours=1))
    m.refresh_from_db()
    assert m.status == "failed" and m.attempts == 5 and m.attempt_rows.count() == 5


def test_a_report_before_the_reference_was_recorded_waits_for_it(http_sms):
    _post("/api/outlets/gateways/sms/reports", {"id": "early", "ref": "gw-1", "status": "delivered"})
    m = _send()
    messages_dispatch(worker="w")
    m.refresh_from_db()
    assert m.status == "delivered" and DeliveryReport.objects.get().message_id == m.pk


@pytest.mark.parametrize("mangle", ["secret", "body", "missing", "old"])
def test_a_bad_signature_is_a_403_and_changes_nothing(http_sms, mangle):
    body = json.dumps({"id": "r-9", "ref": "gw-1", "status": "delivered"}).encode()
    headers = signed_headers("wrong" if mangle == "secret" else SECRET, body,
                             now=1_000_000_000 if mangle == "old" else None)
    if mangle == "missing":
        headers = {}
    sent = body + b" " if mangle == "body" else body
    r = JsonClient().client.post("/api/outlets/gateways/sms/reports", data=sent, content_type="application/json",
                                 **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    assert r.status_code == 403 and r.json()["code"] == "bad_signature"
    assert not DeliveryReport.objects.exists()


def test_a_signed_but_malformed_body_is_a_400(http_sms):
    r = _post("/api/outlets/gateways/sms/inbound", None, raw=b"{not json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = _post("/api/outlets/gateways/sms/inbound", {"id": "x", "from": "abc", "text": "hi"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_recipient"


def test_an_inbound_sms_in_parts_becomes_one_queued_contact_once(http_sms, customer, gen_queue):
    text = "我的宽带从昨天开始一直断线，" * 8
    _enc, segments = smsparts.split(text, ref=77)
    assert len(segments) > 1
    answers = []
    for s in reversed(segments):  # in any order, each delivered twice
        for _twice in range(2):
            answers.append(_post("/api/outlets/gateways/sms/inbound", {
                "id": f"in-{s.seq}", "from": "+8613800000001", "to": "10086", "text": s.text, "udh": s.udh}).json())
    assert sum(1 for a in answers if a["duplicate"]) == len(segments)
    contact = Contact.objects.get()
    assert contact.channel == "sms" and contact.caller == "13800000001" and contact.customer == customer
    assert contact.state == "queued" and contact.queue == gen_queue
    inbound = InboundSms.objects.get()
    assert inbound.text == text and inbound.contact == contact
    assert contact.events.get(kind="sms_in").data["text"] == text


def test_an_unknown_number_is_accepted_and_the_contact_records_it(http_sms, gen_queue):
    r = _post("/api/outlets/gateways/sms/inbound", {"id": "u1", "from": "13700000009", "text": "你好"})
    assert r.status_code == 200
    contact = Contact.objects.get(pk=r.json()["contact_id"])
    assert contact.caller == "13700000009" and contact.customer is None and contact.state == "queued"


@pytest.mark.parametrize("word", ["TD", "td", " 退订 "])
def test_td_opts_the_number_out_of_sms_and_confirms_it(http_sms, gateway_server, word):
    r = _post("/api/outlets/gateways/sms/inbound", {"id": "o1", "from": "13800000001", "text": word})
    assert r.json()["opted_out"] is True and not Contact.objects.exists()
    optout = OptOut.objects.get()
    assert optout.address == "13800000001" and optout.source == "sms" and optout.outlet.code == "sms"
    confirm = Message.objects.get(idempotency_key__startswith="optout-confirm-")
    assert confirm.status == "queued" and confirm.purpose == "reply"
    assert send_message(recipient="13800000001", outlet="sms", purpose="marketing", idempotency_key="promo",
                        body="促销").message.status == "suppressed"
