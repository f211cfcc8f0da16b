"""Warnings, overdue marks, reminders and escalation fired by the timer sweep."""

import threading
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from kefu.core import clock
from kefu.workorders import sla
from kefu.workorders.models import Notice, Timer, WorkOrder
from kefu.workorders.services import deadlines
from kefu.workorders.services.timers import timers_sweep

from .conftest import act, complaint

SH = ZoneInfo("Asia/Shanghai")


def _dispatched(center):
    order = complaint(center)
    act(center.agent, order, "accept")
    act(center.backoffice, order, "dispatch", text="请广州处理", to_org=center.gz)
    order.refresh_from_db()
    return order


def test_warning_then_overdue_then_reminders_then_escalation_upward(center):
    start = clock.now()
    clock.freeze(start)
    order = _dispatched(center)
    assert timers_sweep() == 0
    clock.advance(timedelta(hours=2, minutes=1))  # VIP: 3 h station, warned 1 h before
    assert timers_sweep() == 1
    order.refresh_from_db()
    assert order.warned and not order.is_overdue
    assert Notice.objects.filter(order=order, kind="warning").exists()
    clock.advance(timedelta(hours=1))
    timers_sweep()
    order.refresh_from_db()
    assert order.is_overdue and order.overdue_since is not None
    assert Notice.objects.filter(order=order, kind="overdue").exists()
    assert Notice.objects.filter(order=order, kind="escalation", recipient=center.gz_sup).exists()
    for _ in range(3):
        clock.advance(timedelta(hours=2))
        timers_sweep()
    order.refresh_from_db()
    assert Notice.objects.filter(order=order, kind="reminder").count() >= 3
    assert Notice.objects.filter(order=order, kind="escalation", recipient_org=center.province).exists() or \
        Notice.objects.filter(order=order, kind="escalation").count() >= 2


def test_timers_of_a_station_left_in_time_do_nothing(center):
    clock.freeze(clock.now())
    order = _dispatched(center)
    act(center.gz_handler, order, "process", text="处理完毕")
    clock.advance(timedelta(hours=5))
    timers_sweep()
    order.refresh_from_db()
    assert order.station == "review"
    assert not Notice.objects.filter(order=order, kind="overdue", recipient=center.gz_handler).exists()


STATION = ("station_warning", "station_overdue", "reminder")


def _station_timers(order, state="pending"):
    return sorted(Timer.objects.filter(order=order, state=state, kind__in=STATION).values_list("kind", "step_seq"))


def test_the_station_timers_move_with_the_order_and_only_those_that_fired_are_replaced(center):
    clock.freeze(clock.now())
    order = _dispatched(center)  # create, accept, dispatch: at its third step
    assert _station_timers(order) == [("station_overdue", 3), ("station_warning", 3)]
    rows = Timer.objects.filter(order=order).count()
    act(center.gz_handler, order, "process", text="处理完毕")  # in time: both are re-armed, none inserted
    order.refresh_from_db()
    assert _station_timers(order) == [("station_overdue", 4), ("station_warning", 4)]
    assert Timer.objects.filter(order=order).count() == rows
    overdue = Timer.objects.get(order=order, state="pending", kind="station_overdue")
    assert overdue.due_at == order.station_due_at and overdue.created_at == clock.now()

    clock.advance(timedelta(hours=3, minutes=1))  # past the review station's warning and deadline
    timers_sweep()
    assert _station_timers(order) == [("reminder", 4)]
    act(center.backoffice, order, "review", text="复核通过", late_reason="等待用户回电")
    assert _station_timers(order) == [("station_overdue", 5), ("station_warning", 5)]  # inserted anew
    assert _station_timers(order, "cancelled") == [("reminder", 4)]
    assert _station_timers(order, "fired") == [("station_overdue", 4), ("station_warning", 4)]
    act(center.agent, order, "reply", text="已退还", satisfaction=5)
    act(center.agent, order, "close")
    assert not Timer.objects.filter(order=order, state="pending").exists()


def test_a_killed_worker_loses_no_timer_and_fires_none_twice(center, monkeypatch):
    clock.freeze(clock.now())
    order = _dispatched(center)
    clock.advance(timedelta(hours=3, minutes=1))
    real = deadlines._on_station_warning

    def die(*a, **kw):
        raise SystemExit("worker killed")

    monkeypatch.setattr(deadlines, "_on_station_warning", die)
    with pytest.raises(SystemExit):
        timers_sweep()
    assert Timer.objects.filter(order=order, state="pending", kind="station_warning").exists()  # rolled back
    monkeypatch.setattr(deadlines, "_on_station_warning", real)
    fired = timers_sweep()
    assert fired >= 2
    assert timers_sweep() == 0
    assert Notice.objects.filter(order=order, kind="warning").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_fire_each_timer_once(center):
    clock.freeze(clock.now())
    orders = []
    for _ in range(6):
        orders.append(_dispatched(center))
    clock.advance(timedelta(hours=4))
    due = Timer.objects.filter(state="pending", due_at__lte=clock.now()).count()
    results, errors = [], []

    def run(name):
        try:
            results.append(timers_sweep(worker=name))
        except Exception as exc:  # a worker failing is a test failure, reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(results) == due
    for o in orders:
        assert Notice.objects.filter(order=o, kind="overdue").exclude(recipient=center.agent).count() >= 1
        assert Timer.objects.filter(order=o, kind="station_overdue", state="fired").count() == 1


def test_reply_deadline_by_tier_from_parameters(center):
    from kefu.params.services import param_set

    param_set(actor=center.agent, key="sla.reply.other", raw="36h")
    from kefu.workorders.services.orders import workorder_create

    o, _ = workorder_create(actor=center.agent, kind="inquiry", title="t", description="d",
                            fields={"category": "tariff"}, customer=center.mzone)
    assert o.service_tier == "other"
    assert o.reply_due_at - o.created_at == timedelta(hours=36)
    assert o.station_due_at - o.created_at == timedelta(hours=6)


CAL = sla.CalendarSpec(work_start=time(9), work_end=time(18), workdays=frozenset({1, 2, 3, 4, 5}),
                       holidays=frozenset({date(2026, 10, 1)}), extra_workdays=frozenset({date(2026, 10, 10)}))


def test_working_time_skips_nights_weekends_and_holidays():
    fri_5pm = datetime(2026, 11, 27, 17, 0, tzinfo=SH)  # a Friday
    assert sla.add_working_time(fri_5pm, timedelta(hours=3), CAL, SH) == datetime(2026, 11, 30, 11, 0, tzinfo=SH)
    night = datetime(2026, 11, 24, 22, 0, tzinfo=SH)
    assert sla.add_working_time(night, timedelta(hours=1), CAL, SH) == datetime(2026, 11, 25, 10, 0, tzinfo=SH)
    before_holiday = datetime(2026, 9, 30, 17, 0, tzinfo=SH)
    assert sla.add_working_time(before_holiday, timedelta(hours=2), CAL, SH) == datetime(2026, 10, 2, 10, 0, tzinfo=SH)
    sat_extra = datetime(2026, 10, 10, 9, 0, tzinfo=SH)
    assert sla.add_working_time(sat_extra, timedelta(hours=1), CAL, SH) == datetime(2026, 10, 10, 10, 0, tzinfo=SH)


def test_without_a_calendar_time_is_continuous():
    t = datetime(2026, 11, 27, 23, 0, tzinfo=SH)
    assert sla.add_working_time(t, timedelta(hours=3), None, SH) == t + timedelta(hours=3)


def test_an_organisation_calendar_moves_the_station_deadline(center):
    from kefu.workorders.models import BusinessCalendar

    BusinessCalendar.objects.create(org=center.gz, work_start=time(9), work_end=time(18), workdays="12345")
    clock.freeze(datetime(2026, 11, 27, 17, 0, tzinfo=SH))  # Friday 17:00
    order = _dispatched(center)
    assert order.station_due_at.astimezone(SH) == datetime(2026, 11, 30, 11, 0, tzinfo=SH)


def test_supervision_lists_overdue_orders_in_scope(center):
    from kefu.core.testing import make_staff
    from kefu.workorders.selectors import supervision

    clock.freeze(clock.now())
    order = _dispatched(center)
    clock.advance(timedelta(hours=3, minutes=5))
    timers_sweep()
    gz_viewer = make_staff(org=center.gz, perms=["workorders.supervision.view"])
    sz_viewer = make_staff(org=center.sz, perms=["workorders.supervision.view"])
    assert list(supervision(actor=gz_viewer)) == [WorkOrder.objects.get(pk=order.pk)]
    assert list(supervision(actor=sz_viewer)) == []


def test_a_batch_fires_in_a_number_of_queries_that_does_not_grow_with_it(center, django_assert_max_num_queries):
    """Set-based firing: one claim, two to lock and load the orders, people per holder, three writes."""
    clock.freeze(clock.now())
    orders = [_dispatched(center) for _ in range(8)]
    clock.advance(timedelta(hours=4))  # station warning and overdue of each order fall due
    due = Timer.objects.filter(state="pending", due_at__lte=clock.now()).count()
    assert due >= 16
    with django_assert_max_num_queries(14):
        assert timers_sweep() == due
    for o in orders:
        o.refresh_from_db()
        assert o.is_overdue and o.warned and o.escalation_level == 1
        assert Timer.objects.filter(order=o, kind="reminder", state="pending").count() == 1
        assert Notice.objects.filter(order=o, kind="overdue").exists()


def test_a_broken_timer_is_retired_and_the_rest_of_its_batch_fires(center, monkeypatch):
    clock.freeze(clock.now())
    first, second = _dispatched(center), _dispatched(center)
    clock.advance(timedelta(hours=3, minutes=1))  # the station warnings only
    real = deadlines._on_station_warning

    def broken_for_first(order, timer, now):
        if order.pk == first.pk:
            order.warned = True  # a half-done change must not be written
            raise ValueError("broken")
        real(order, timer, now)

    monkeypatch.setattr(deadlines, "_on_station_warning", broken_for_first)
    fired = timers_sweep()
    broken = Timer.objects.get(order=first, kind="station_warning", state="fired")
    assert broken.state == "fired" and broken.fired_by.endswith(": failed")
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.warned and second.warned
    assert not Notice.objects.filter(order=first, kind="warning").exists()
    assert Notice.objects.filter(order=second, kind="warning").exists()
    assert fired == Timer.objects.filter(state="fired").exclude(fired_by__endswith=": failed").count()
