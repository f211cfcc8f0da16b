"""A complaint's whole life through the services, and the rules on the way."""

from datetime import timedelta

import pytest

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.errors import Conflict, PermissionDenied, ValidationFailed
from kefu.workorders.models import Notice, State, WorkOrderLink, WorkOrderStep
from kefu.workorders.services.actions import ActionInput, workorder_act
from kefu.workorders.services.orders import workorder_create

from .conftest import act, complaint


def test_vip_complaint_goes_from_acceptance_to_closure_with_a_full_history(center):
    c = center
    order = complaint(c)
    assert order.serial.startswith("TS") and len(order.serial) == 16
    assert order.service_tier == "vip" and order.priority == 2
    assert order.reply_due_at - order.created_at == timedelta(hours=8)
    assert order.station_due_at - order.created_at == timedelta(hours=3)
    act(c.agent, order, "accept", text="")
    order.refresh_from_db()
    assert order.station == "dispatch" and order.holder_org == c.province and order.holder_staff is None
    act(c.backoffice, order, "dispatch", text="请广州核实资费", to_org=c.gz)
    order.refresh_from_db()
    assert order.station == "process" and order.holder_org == c.gz
    act(c.gz_handler, order, "process", text="已核实，退还50元")
    act(c.backoffice, order, "return", text="退款凭证缺失")
    order.refresh_from_db()
    assert order.station == "process" and order.holder_org == c.gz  # back to whoever had it
    act(c.gz_handler, order, "process", text="已补充退款凭证")
    act(c.backoffice, order, "review", text="复核通过")
    order.refresh_from_db()
    assert order.station == "reply" and order.holder_staff == c.agent  # first-contact owner replies
    act(c.agent, order, "reply", text="已退还50元", satisfaction=5)
    act(c.agent, order, "close", text="")
    order.refresh_from_db()
    assert order.state == State.CLOSED and order.closed_at and order.satisfaction == 5
    actions = list(WorkOrderStep.objects.filter(order=order).values_list("action", flat=True))
    assert actions == ["create", "accept", "dispatch", "process", "return", "process", "review", "reply", "close"]
    assert not order.timers.filter(state="pending").exists()
    assert AuditEntry.objects.filter(object_type="workorders.workorder", object_id=str(order.pk)).count() == 9


def test_an_illegal_action_is_refused_with_the_allowed_ones(center):
    order = complaint(center)
    with pytest.raises(ValidationFailed) as e:
        act(center.agent, order, "reply", text="x", satisfaction=5)
    assert e.value.code == "illegal_action"
    assert "accept" in e.value.details["allowed"]


def test_only_the_holder_may_act(center):
    order = complaint(center)
    act(center.agent, order, "accept")
    act(center.backoffice, order, "dispatch", text="去广州", to_org=center.gz)
    with pytest.raises(PermissionDenied):
        act(center.sz_handler, order, "process", text="不是我的")


def test_two_handlers_at_once_one_wins_the_other_gets_409_with_what_changed(center):
    order = complaint(center)
    seen = order.version
    workorder_act(actor=center.agent, order_id=order.pk, data=ActionInput(action="accept", version=seen))
    with pytest.raises(Conflict) as e:
        workorder_act(actor=center.agent, order_id=order.pk, data=ActionInput(action="withdraw", version=seen,
                                                                              text="重复"))
    assert e.value.details["last_action"] == "accept"


def test_finishing_a_station_late_needs_a_reason(center):
    order = complaint(center)
    clock.freeze(clock.now() + timedelta(hours=4))  # VIP station allowance is 3 h
    with pytest.raises(ValidationFailed) as e:
        act(center.agent, order, "accept")
    assert e.value.code == "late_reason_required"
    act(center.agent, order, "accept", late_reason="系统故障")
    step = WorkOrderStep.objects.filter(order=order, action="accept").get()
    assert step.overdue and step.late_reason == "系统故障"


def test_reply_on_a_complaint_needs_satisfaction(center):
    order = complaint(center)
    act(center.agent, order, "accept")
    act(center.backoffice, order, "dispatch", text="x", to_org=center.gz)
    act(center.gz_handler, order, "process", text="done")
    act(center.backoffice, order, "review", text="ok")
    with pytest.raises(ValidationFailed) as e:
        act(center.agent, order, "reply", text="已处理")
    assert e.value.code == "satisfaction_required"


def test_suggestion_reviewed_invalid_is_closed(center):
    s, _ = workorder_create(actor=center.agent, kind="suggestion", title="建议增加夜间客服", description="夜里打不通",
                            fields={"category": "other"})
    act(center.agent, s, "accept")
    with pytest.raises(ValidationFailed):
        act(center.backoffice, s, "review", text="无效")
    act(center.backoffice, s, "review", text="重复建议", outcome="invalid", fields={"category": "rules"})
    s.refresh_from_db()
    assert s.state == State.CLOSED and s.verdict == "invalid" and s.category == "rules"


def test_a_second_appeal_of_the_same_complaint_is_repeated(center):
    """Repeats count appeals of the same complaint, not only appeals of appeals."""
    order = complaint(center)
    fields = {"source": "customer"}
    first, _ = workorder_create(actor=center.agent, kind="appeal", title="申诉一", description="不满意",
                                fields=dict(fields), customer=center.vip, appeal_of=order)
    second, _ = workorder_create(actor=center.agent, kind="appeal", title="申诉二", description="仍不满意",
                                 fields=dict(fields, repeat="first"), customer=center.vip, appeal_of=order)
    third, _ = workorder_create(actor=center.agent, kind="appeal", title="申诉三", description="再次申诉",
                                fields=dict(fields), customer=center.vip, appeal_of=first)
    assert [first.details["repeat"], second.details["repeat"], third.details["repeat"]] == [
        "first", "repeated", "repeated"]
    other = complaint(center)
    fresh, _ = workorder_create(actor=center.agent, kind="appeal", title="另一投诉的申诉", description="x",
                                fields=dict(fields), customer=center.vip, appeal_of=other)
    assert fresh.details["repeat"] == "first"


def test_reopening_a_closed_complaint_creates_a_linked_appeal(center):
    order = complaint(center)
    act(center.agent, order, "withdraw", text="客户撤诉")
    order.refresh_from_db()
    assert order.state == State.WITHDRAWN
    appeal = act(center.agent, order, "reopen", text="客户对结果不满意", fields={"source": "regulator"})
    assert appeal.kind == "appeal" and appeal.serial.startswith("SS")
    assert appeal.details["repeat"] == "first" and appeal.source == "regulator"
    assert WorkOrderLink.objects.filter(src=appeal, dst=order, kind="appeal_of").exists()


def test_idempotency_key_returns_the_first_order(center):
    from kefu.workorders.models import WorkOrder

    a, created = workorder_create(actor=center.agent, kind="inquiry", title="资费咨询", description="问套餐",
                                  fields={"category": "tariff"}, idempotency_key="k-1")
    b, created_again = workorder_create(actor=center.agent, kind="inquiry", title="资费咨询", description="问套餐",
                                        fields={"category": "tariff"}, idempotency_key="k-1")
    assert created and not created_again and a.pk == b.pk
    assert WorkOrder.objects.count() == 1


def test_fields_are_validated_per_kind(center):
    with pytest.raises(ValidationFailed) as e:
        workorder_create(actor=center.agent, kind="complaint", title="t", description="d",
                         fields={"category": "weather", "level": "general", "source": "customer", "bogus": "1"})
    assert set(e.value.details) >= {"category", "complainant_type", "bogus"}


def test_urging_notifies_the_holder(center):
    order = complaint(center)
    act(center.agent, order, "accept")
    act(center.backoffice, order, "dispatch", text="x", to_org=center.gz)
    act(center.agent, order, "urge", text="客户很急")
    assert Notice.objects.filter(order=order, kind="urge").exists()
