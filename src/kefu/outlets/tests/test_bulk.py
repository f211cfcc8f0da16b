"""``send_messages_bulk``: the same rules as ``send_message``, many recipients at once."""

import pytest

from kefu.outlets.models import Message, MessageStatus
from kefu.outlets.services.bulk import BulkItem, messages_postpone, messages_withdraw, send_messages_bulk
from kefu.outlets.services.messages import send_message
from kefu.outlets.services.optouts import optout_create
from kefu.outlets.services.rendering import template_for_many, template_render


@pytest.mark.parametrize("text", ["您{{ month }}的话费为{{amount}}元", "{{ a|upper }} {% if b %}x{% endif %}", "无变量",
                                  "{{ a }}{{ b }}", "{ {a} }"])
def test_rendering_for_many_gives_what_the_template_engine_gives(text):
    variables = {"month": "5月", "amount": 8.5, "a": "x", "b": True}
    assert template_for_many(text)(variables) == template_render(text, variables)


def test_a_missing_variable_is_the_same_error():
    with pytest.raises(Exception) as fast:
        template_for_many("{{ a }}{{ b }}")({"a": 1})
    assert fast.value.code == "variables_missing" and fast.value.details == {"missing": ["b"]}


def test_bulk_writes_once_per_key_suppresses_opt_outs_and_reports_bad_items(db, customer):
    optout_create(actor="test", address="13800000003")
    items = [BulkItem("13800000001", "k1", {"number": "13800000001", "amount": "5"}, customer.pk),
             BulkItem("13800000002", "k2", {"number": "13800000002", "amount": "6"}),
             BulkItem("13800000003", "k3", {"number": "13800000003", "amount": "7"}),
             BulkItem("12345", "k4", {"number": "12345", "amount": "8"}),
             BulkItem("13800000005", "k5", {"number": "13800000005"})]
    first = send_messages_bulk(outlet="sms", purpose="billing", template="arrears_notice", items=items, priority=7)
    assert [o.status for o in first] == ["queued", "queued", "suppressed", "invalid", "invalid"]
    assert "amount" in first[4].reason
    m = Message.objects.get(idempotency_key="k1")
    assert m.customer_id == customer.pk and m.org_id == customer.org_id and m.priority == 7 and "5" in m.body
    again = send_messages_bulk(outlet="sms", purpose="billing", template="arrears_notice", items=items[:3])
    assert [o.created for o in again] == [False] * 3 and [o.message_id for o in again] == [
        o.message_id for o in first[:3]]
    assert Message.objects.count() == 3
    # send_message with the same request finds the bulk's message: one fingerprint for both doors.
    same = send_message(recipient="13800000002", outlet="sms", purpose="billing", template="arrears_notice",
                        variables={"number": "13800000002", "amount": "6"}, idempotency_key="k2")
    assert not same.created and same.message.pk == first[1].message_id
    other = send_messages_bulk(outlet="sms", purpose="billing", body="另一条", items=[BulkItem("13800000001", "k1")])
    assert other[0].status == "conflict"


def test_withdraw_and_postpone_touch_only_queued_messages(db):
    from datetime import timedelta

    from kefu.core import clock

    out = send_messages_bulk(outlet="sms", purpose="service", body="您好",
                             items=[BulkItem(f"1380000000{i}", f"w{i}") for i in range(3)])
    ids = [o.message_id for o in out]
    Message.objects.filter(pk=ids[2]).update(status=MessageStatus.DELIVERED)
    later = clock.now() + timedelta(hours=8)
    assert messages_postpone(message_ids=ids, until=later) == 2
    assert messages_withdraw(message_ids=ids[1:], reason="window closed") == 1
    assert Message.objects.get(pk=ids[0]).next_attempt_at == later
    assert Message.objects.get(pk=ids[1]).status == MessageStatus.FAILED
