"""Sampling rules: a share of each queue's answered callers, every closed complaint, never a number asked in
the rest period; the draw is reproducible from its seed and done once per rule and day."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.contactcenter.models import Contact, Queue
from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.core.testing import make_staff
from kefu.outlets.models import Message
from kefu.surveys import sampling as pure
from kefu.surveys.models import SampleDraw, Survey
from kefu.surveys.services.sampling import RuleData, rule_create, sample_draw, samples_draw_day

from .conftest import make_script


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abcdefghij"), st.sampled_from(["GEN", "VIP"])), max_size=40),
    st.integers(1, 100),
    st.text(max_size=8),
)
def test_a_draw_is_a_share_of_each_group_once_per_number_and_reproducible(rows, percent, seed):
    cands = [pure.Candidate(number=n, group=g, data={}) for n, g in rows]
    recent = {"a"}
    one = pure.draw(cands, percent=Decimal(percent), seed=seed, recent=recent)
    assert one == pure.draw(cands, percent=Decimal(percent), seed=seed, recent=recent)
    numbers = [c.number for c in one]
    assert len(numbers) == len(set(numbers)) and "a" not in numbers
    eligible = {c.number for c in cands} - recent
    assert len(one) <= len(eligible)
    if percent == 100:
        assert set(numbers) == eligible


def _calls(queue, agent, day_start, numbers):
    for i, n in enumerate(numbers):
        Contact.objects.create(
            direction="in",
            channel="voice",
            caller=n,
            queue=queue,
            agent=agent,
            state="ended",
            answered_at=day_start + timedelta(hours=9, minutes=i),
        )


@pytest.fixture
def day_of_calls(city):
    from kefu.outlets.services.config import outlets_ensure_defaults

    outlets_ensure_defaults()
    gen = Queue.objects.create(code="GEN", name="综合", org=city)
    vip = Queue.objects.create(code="VIP", name="大客户", org=city)
    agent = make_staff(org=city, name="李话务")
    local = timezone.localtime(clock.now())
    yesterday = local.date() - timedelta(days=1)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    _calls(gen, agent, start, [f"1390000{i:04d}" for i in range(40)])
    _calls(vip, agent, start, [f"1380000{i:04d}" for i in range(20)])
    return yesterday, agent


def test_a_share_of_each_queues_callers_is_asked_by_sms_once(city, day_of_calls):
    day, agent = day_of_calls
    script, _v = make_script(city)
    rule = rule_create(
        actor="test",
        script=script,
        data=RuleData(name="5%回访", script_id=script.pk, source="inbound_calls", percent="10"),
    )
    draw = sample_draw(rule=rule, day=day, seed="fixed")
    assert (draw.considered, draw.drawn) == (60, Survey.objects.count()) and 5 <= draw.drawn <= 8
    assert set(Survey.objects.values_list("queue", flat=True)) == {"GEN", "VIP"}
    assert set(Survey.objects.values_list("agent_id", flat=True)) == {agent.pk}
    sms = Message.objects.filter(purpose="survey")
    assert sms.count() == draw.drawn and "/surveys/q/" in sms.first().body
    assert sample_draw(rule=rule, day=day, seed="other").pk == draw.pk  # once per rule and day
    assert samples_draw_day(day=day) == 0


def test_the_same_seed_draws_the_same_customers_and_recent_ones_rest(city, day_of_calls):
    day, _agent = day_of_calls
    script, _v = make_script(city)
    every = rule_create(
        actor="test",
        script=script,
        data=RuleData(
            name="全部",
            script_id=script.pk,
            source="inbound_calls",
            percent="100",
            queue="VIP",
            channel="call",
        ),
    )
    assert sample_draw(rule=every, day=day).drawn == 20
    again = rule_create(
        actor="test",
        script=script,
        data=RuleData(
            name="再次", script_id=script.pk, source="inbound_calls", percent="100", channel="call"
        ),
    )
    assert sample_draw(rule=again, day=day).drawn == 40  # the VIP callers were asked: they rest 30 days
    assert not Message.objects.filter(purpose="survey").exists()  # outbound call surveys send no SMS
    with pytest.raises(ValidationFailed):
        rule_create(
            actor="test",
            script=script,
            data=RuleData(name="x", script_id=script.pk, source="inbound_calls", percent="0"),
        )


def test_every_closed_complaint_is_drawn(center):  # noqa: F811
    from kefu.workorders.models import WorkOrder

    order = complaint(center, contact_number="13900000001")
    now = clock.now()
    WorkOrder.objects.filter(pk=order.pk).update(state="closed", closed_at=now)
    script, _v = make_script(center.gz)
    rule = rule_create(
        actor="test",
        script=script,
        data=RuleData(
            name="投诉回访",
            script_id=script.pk,
            source="closed_complaints",
            percent="100",
            channel="third_party",
        ),
    )
    draw = sample_draw(rule=rule, day=timezone.localdate(now))
    survey = Survey.objects.get()
    assert draw.drawn == 1 and survey.subject == f"order:{order.serial}" and survey.order_kind == "complaint"
    assert SampleDraw.objects.count() == 1


from kefu.workorders.tests.conftest import center, complaint  # noqa: E402,F401  (fixture)
