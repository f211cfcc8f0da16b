"""send_message, opt-outs, the worker's sending with retries and rate, and the recorded gateway."""

from datetime import timedelta

import pytest
from django.core import mail

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.outlets.models import Message, Outlet, RecordedSms
from kefu.outlets.services.messages import send_message
from kefu.outlets.services.optouts import optout_create, optout_revoke
from kefu.outlets.services.sending import messages_dispatch, tokens_take

from .conftest import fill_bucket


def _send(key="k1", **kw):
    args = {"recipient": "13800000001", "outlet": "sms", "purpose": "billing", "idempotency_key": key}
    args.update(kw)
    return send_message(**args)


def test_a_template_is_rendered_with_its_variables_and_sent_through_the_recorded_gateway(db, customer):
    out = _send(template="bill_notice", variables={"month": "2024年5月", "amount": "88.00", "due": "6月20日"},
                customer_id=customer.pk)
    m = out.message
    assert out.created and m.status == "queued" and m.org_id == customer.org_id
    assert m.body.startswith("尊敬的客户，您2024年5月的话费为88.00元") and m.encoding == "ucs2"
    assert messages_dispatch(worker="w1").sent == 1
    m.refresh_from_db()
    assert m.status == "delivered" and m.attempts == 1 and m.finished_at is not None
    recorded = RecordedSms.objects.get()
    assert recorded.recipient == "13800000001" and recorded.text == m.body
    assert [a.ok for a in m.attempt_rows.all()] == [True]


def test_a_missing_variable_or_bad_input_is_refused_and_nothing_is_written(db):
    with pytest.raises(ValidationFailed) as exc:
        _send(template="bill_notice", variables={"month": "5月"})
    assert exc.value.code == "variables_missing" and exc.value.details == {"missing": ["amount", "due"]}
    for kw, code in [({"recipient": "12345"}, "invalid_recipient"), ({"purpose": "spam", "body": "x"},
                     "invalid_purpose"), ({"body": "x", "template": "bill_notice"}, "template_or_body"),
                     ({"outlet": "fax", "body": "x"}, "outlet_not_found")]:
        with pytest.raises((ValidationFailed, NotFound)) as exc:
            _send(**{"body": "", **kw})
        assert exc.value.code == code
    assert not Message.objects.exists()


def test_the_same_key_returns_the_first_message_and_another_request_under_it_conflicts(db):
    first = _send(body="您好")
    again = _send(body="您好")
    assert again.message.pk == first.message.pk and not again.created
    with pytest.raises(Conflict):
        _send(body="另一条")
    fill_bucket()
    messages_dispatch(worker="w1")
    messages_dispatch(worker="w2")
    assert RecordedSms.objects.count() == 1 and Message.objects.get().attempts == 1


def test_an_opted_out_number_is_suppressed_but_still_gets_answers_it_asked_for(db, customer):
    optout_create(actor="test", address="+8613800000001", reason="不想收")
    promo = _send(key="p", body="优惠活动", purpose="marketing")
    assert promo.message.status == "suppressed" and clock.now().date().isoformat() in promo.message.status_reason
    reply = _send(key="r", body="您的查询结果", purpose="ivr_result")
    assert reply.message.status == "queued"
    optout_create(actor="test", customer=customer, purpose="ivr_result")
    assert _send(key="r2", body="结果", purpose="ivr_result", customer_id=customer.pk).message.status == "suppressed"
    fill_bucket()
    assert messages_dispatch(worker="w").sent == 1  # suppressed messages are never sent


def test_an_opt_out_of_one_outlet_leaves_the_others_and_revoking_restores(db, customer):
    sms = Outlet.objects.get(code="sms")
    row = optout_create(actor="test", customer=customer, outlet=sms)
    assert _send(key="a", body="x", customer_id=customer.pk).message.status == "suppressed"
    assert _send(key="b", outlet="email", recipient="li@example.com", body="x",
                 customer_id=customer.pk).message.status == "queued"
    optout_revoke(actor="test", optout_id=row.pk)
    assert _send(key="c", body="x", customer_id=customer.pk).message.status == "queued"
    assert AuditEntry.objects.filter(object_type="outlets.optout", action__in=["create", "revoke"]).count() == 2


def test_email_goes_through_djangos_backend_and_in_app_is_delivered_at_once(db, customer):
    _send(key="e", outlet="email", recipient="Li@Example.COM", template="bill_notice",
          variables={"month": "5月", "amount": "10", "due": "20日"})
    _send(key="i", outlet="inapp", recipient="", body="您有一条新消息", customer_id=customer.pk, purpose="service")
    messages_dispatch(worker="w")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Li@example.com"]
    assert mail.outbox[0].subject == "您5月的账单"
    assert Message.objects.get(idempotency_key="e").status == "sent"
    assert Message.objects.get(idempotency_key="i").status == "delivered"


def test_an_unreachable_number_fails_by_the_recorded_gateways_report(db):
    m = _send(recipient="19990000000", body="x").message
    messages_dispatch(worker="w")
    m.refresh_from_db()
    assert m.status == "failed" and m.status_reason == "unreachable"


def test_the_bucket_holds_the_rate_and_refills_with_time(db):
    Outlet.objects.filter(code="sms").update(rate_per_second=2, burst=5, tokens=5, refilled_at=clock.now())
    sms = Outlet.objects.get(code="sms")
    clock.freeze(clock.now())
    assert tokens_take(outlet_id=sms.pk, want=10) == 5
    assert tokens_take(outlet_id=sms.pk, want=10) == 0
    clock.advance(timedelta(seconds=1.5))
    assert tokens_take(outlet_id=sms.pk, want=10) == 3
    clock.advance(timedelta(hours=1))
    assert tokens_take(outlet_id=sms.pk, want=10) == 5  # never more than the burst


def test_sending_stops_at_the_rate_and_goes_on_when_tokens_come(db):
    Outlet.objects.filter(code="sms").update(rate_per_second=1, burst=3, tokens=3, refilled_at=clock.now())
    clock.freeze(clock.now())
    for i in range(5):
        _send(key=f"m{i}", body=f"第{i}条")
    assert messages_dispatch(worker="w").sent == 3
    assert Message.objects.filter(status="queued").count() == 2
    clock.advance(timedelta(seconds=2))
    assert messages_dispatch(worker="w").sent == 2
