"""Deadline timers: scheduling when an order moves, firing when they fall due.

Timers are rows (``Timer``) with an indexed due time. ``timers_sweep`` claims
due rows and fires each in its own transaction together with everything the
firing writes (marks, notices, the next reminder). A worker killed mid-way
rolls back its transaction, so the timer stays pending and fires exactly once
later. On PostgreSQL several workers claim disjoint rows with
``FOR UPDATE SKIP LOCKED``; on SQLite writers are serialised by the database
lock and the ``state = pending`` condition makes a second claim a no-op.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.params.selectors import param_get

from .. import sla
from ..models import BusinessCalendar, Timer, WorkOrder
from . import notices
from .holders import current_holder, supervisors_of
from .locks import order_lock

log = logging.getLogger("kefu.workorders.deadlines")
T = Timer.Kind


def calendar_for(org) -> sla.CalendarSpec | None:
    """The business calendar of ``org`` or its nearest ancestor that has one."""
    if org is None:
        return None
    ids = [int(x) for x in org.path.strip("/").split("/") if x]
    cals = {c.org_id: c for c in BusinessCalendar.objects.filter(org_id__in=ids)}
    for pk in reversed(ids):
        c = cals.get(pk)
        if c is not None:
            from datetime import date

            return sla.CalendarSpec(
                work_start=c.work_start, work_end=c.work_end,
                workdays=frozenset(int(d) for d in c.workdays if d.isdigit()),
                holidays=frozenset(date.fromisoformat(d) for d in c.holidays),
                extra_workdays=frozenset(date.fromisoformat(d) for d in c.extra_workdays),
            )
    return None


def _due(start, amount: timedelta, org):
    return sla.add_working_time(start, amount, calendar_for(org), ZoneInfo(settings.TIME_ZONE))


def schedule_reply(order: WorkOrder) -> None:
    """Reply deadline from creation, by tier, with its warning."""
    now = clock.now()
    order.reply_due_at = _due(order.created_at, sla.reply_allowance(order.service_tier), order.org)
    lead = sla.warning_lead()
    Timer.objects.bulk_create([
        Timer(order=order, kind=T.REPLY_WARNING, due_at=max(now, order.reply_due_at - lead)),
        Timer(order=order, kind=T.REPLY_OVERDUE, due_at=order.reply_due_at),
    ])


def schedule_station(order: WorkOrder, step_seq: int, final: bool) -> None:
    """Cancel the station timers of the previous station and start this one's."""
    Timer.objects.filter(order=order, state=Timer.State.PENDING,
                         kind__in=[T.STATION_WARNING, T.STATION_OVERDUE, T.REMINDER]).update(
        state=Timer.State.CANCELLED)
    order.is_overdue = order.reply_due_at is not None and order.reply_due_at <= clock.now() and not final
    order.overdue_since = order.overdue_since if order.is_overdue else None
    order.warned = False
    order.escalation_level = 0
    if final:
        order.station_due_at = None
        Timer.objects.filter(order=order, state=Timer.State.PENDING).update(state=Timer.State.CANCELLED)
        order.is_overdue = False
        return
    now = clock.now()
    order.station_due_at = _due(order.station_entered_at, sla.station_allowance(order.service_tier), order.holder_org)
    lead = sla.warning_lead()
    Timer.objects.bulk_create([
        Timer(order=order, kind=T.STATION_WARNING, due_at=max(now, order.station_due_at - lead), step_seq=step_seq),
        Timer(order=order, kind=T.STATION_OVERDUE, due_at=order.station_due_at, step_seq=step_seq),
    ])


# --- firing ---------------------------------------------------------------------------------------


def _claim_batch(now, limit: int) -> list[int]:
    qs = Timer.objects.filter(state=Timer.State.PENDING, due_at__lte=now).order_by("due_at")  # timer_due_idx
    if connection.vendor == "postgresql":
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.values_list("id", flat=True)[:limit])


def timers_sweep(*, worker: str = "worker", limit: int = 5_000, batch: int = 200,
                 deadline_seconds: float = 20.0) -> int:
    """Fire due timers, a batch per transaction; returns how many fired.

    A batch is claimed and fired in one transaction (each timer in a savepoint,
    so one bad timer does not sink the rest). Killed mid-batch, the transaction
    rolls back: those timers are still pending and fire once, later.
    """
    import time

    started = time.monotonic()
    fired = 0
    while fired < limit and time.monotonic() - started < deadline_seconds:
        now = clock.now()
        with transaction.atomic():
            ids = _claim_batch(now, min(batch, limit - fired))
            if not ids:
                break
            for timer_id in ids:
                try:
                    with transaction.atomic():
                        fired += _fire(timer_id, now=now, worker=worker)
                except (KeyboardInterrupt, SystemExit):
                    raise
                except Exception:  # a broken timer is logged and retired; the others go on
                    log.exception("timer %s failed", timer_id)
                    Timer.objects.filter(pk=timer_id, state=Timer.State.PENDING).update(
                        state=Timer.State.FIRED, fired_at=now, fired_by=f"{worker[:90]}: failed")
    return fired


def _fire(timer_id: int, *, now, worker: str) -> int:
    """Fire one timer inside the caller's transaction; 0 if someone else had it."""
    claimed = Timer.objects.filter(pk=timer_id, state=Timer.State.PENDING).update(
        state=Timer.State.FIRED, fired_at=now, fired_by=worker[:100])
    if not claimed:
        return 0
    kind, order_id, step_seq, ref = Timer.objects.filter(pk=timer_id).values_list(
        "kind", "order_id", "step_seq", "ref").get()
    if kind == T.DELIVERY:
        from .forwarding import delivery_attempt

        delivery_attempt(delivery_id=ref)
        return 1
    order = order_lock(order_id, related=(
        "holder_org", "holder_team", "holder_team__leader", "holder_staff", "holder_staff__team"))
    if order is None:
        return 1
    if not order.is_open:
        return 1
    station_timer = kind in (T.STATION_WARNING, T.STATION_OVERDUE, T.REMINDER)
    if station_timer and step_seq != order.steps.count():
        return 1  # the order has left that station; nothing to say
    handler = {
        T.STATION_WARNING: _on_station_warning, T.STATION_OVERDUE: _on_station_overdue,
        T.REPLY_WARNING: _on_reply_warning, T.REPLY_OVERDUE: _on_reply_overdue, T.REMINDER: _on_reminder,
    }[kind]
    handler(order, _TimerView(step_seq), now)
    order.version += 1
    order.save(update_fields=["warned", "is_overdue", "overdue_since", "escalation_level", "version"])
    return 1


class _TimerView:
    """What the handlers need of a timer (they schedule reminders for the same station)."""

    def __init__(self, step_seq: int):
        self.step_seq = step_seq


def _on_station_warning(order, timer, now):
    order.warned = True
    notices.notify(order=order, kind="warning", holder=current_holder(order),
                   text=_("%(serial)s must leave this station by %(due)s.") % {
                       "serial": order.serial, "due": _local(order.station_due_at)})


def _on_reply_warning(order, timer, now):
    order.warned = True
    notices.notify(order=order, kind="warning", people=[order.creator],
                   text=_("%(serial)s must be answered to the customer by %(due)s.") % {
                       "serial": order.serial, "due": _local(order.reply_due_at)})


def _mark_overdue(order, now):
    if not order.is_overdue:
        order.is_overdue = True
        order.overdue_since = now


def _on_station_overdue(order, timer, now):
    _mark_overdue(order, now)
    holder = current_holder(order)
    notices.notify(order=order, kind="overdue", holder=holder,
                   text=_("%(serial)s is overdue at this station.") % {"serial": order.serial})
    order.escalation_level = 1
    notices.notify(order=order, kind="escalation", people=supervisors_of(holder),
                   text=_("%(serial)s held by %(holder)s is overdue.") % {
                       "serial": order.serial, "holder": holder.label()})
    Timer.objects.create(order=order, kind=T.REMINDER, due_at=now + sla.reminder_interval(),
                         step_seq=timer.step_seq)


def _on_reminder(order, timer, now):
    holder = current_holder(order)
    notices.notify(order=order, kind="reminder", holder=holder,
                   text=_("%(serial)s is still overdue.") % {"serial": order.serial})
    order.escalation_level += 1
    if order.escalation_level > param_get("workorders.escalate_after_reminders") and holder.org.parent_id:
        from .holders import Holder

        above = Holder(org=holder.org.parent)
        notices.notify(order=order, kind="escalation", people=supervisors_of(above), holder=above,
                       text=_("%(serial)s held by %(holder)s has been overdue since %(since)s.") % {
                           "serial": order.serial, "holder": holder.label(), "since": _local(order.overdue_since)})
    Timer.objects.create(order=order, kind=T.REMINDER, due_at=now + sla.reminder_interval(),
                         step_seq=timer.step_seq)


def _on_reply_overdue(order, timer, now):
    _mark_overdue(order, now)
    notices.notify(order=order, kind="overdue", people=[order.creator],
                   text=_("%(serial)s has not been answered to the customer in time.") % {"serial": order.serial})


def _local(dt) -> str:
    if dt is None:
        return "—"
    return dt.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%d %H:%M")
