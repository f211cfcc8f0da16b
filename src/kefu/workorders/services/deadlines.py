"""Deadlines: scheduling the timers when an order moves, and what a deadline timer does when it falls due.

Timers are rows (``Timer``) with an indexed due time; ``timers.timers_sweep``
claims the due ones and hands deadline timers to ``deadline_fire``, which
writes the marks, notices and the next reminder in the sweep's transaction.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.versioned import VersionedCache
from kefu.params.selectors import param_get

from .. import sla
from ..models import BusinessCalendar, Timer, WorkOrder
from . import notices
from .holders import current_holder, supervisors_of
from .locks import order_lock

log = logging.getLogger("kefu.workorders.deadlines")
T = Timer.Kind


def _calendars() -> dict[int, sla.CalendarSpec]:
    """Every business calendar by organisation id (one per organisation that has its own; a handful)."""
    from datetime import date

    return {c.org_id: sla.CalendarSpec(
        work_start=c.work_start, work_end=c.work_end,
        workdays=frozenset(int(d) for d in c.workdays if d.isdigit()),
        holidays=frozenset(date.fromisoformat(d) for d in c.holidays),
        extra_workdays=frozenset(date.fromisoformat(d) for d in c.extra_workdays),
    ) for c in BusinessCalendar.objects.all()}


_calendar_cache = VersionedCache("workorders.calendars", _calendars, watch=(BusinessCalendar,))


def calendar_for(org) -> sla.CalendarSpec | None:
    """The business calendar of ``org`` or its nearest ancestor that has one."""
    if org is None:
        return None
    cals = _calendar_cache.get()
    for pk in reversed([int(x) for x in org.path.strip("/").split("/") if x]):
        if pk in cals:
            return cals[pk]
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


def plan_new_order(order: WorkOrder) -> list[Timer]:
    """A brand-new order's deadlines, set on it before its one INSERT, and its first timers.

    The same deadlines ``schedule_reply`` and ``schedule_station`` give, without
    their cancel pass (a new order has no timers) and without a second write of
    the order. The caller writes the timers in one bulk insert once the order has its id.
    """
    now = clock.now()
    lead = sla.warning_lead()
    order.reply_due_at = _due(order.created_at, sla.reply_allowance(order.service_tier), order.org)
    order.station_due_at = _due(order.station_entered_at, sla.station_allowance(order.service_tier), order.holder_org)
    order.is_overdue = order.reply_due_at <= now
    order.overdue_since, order.warned, order.escalation_level = None, False, 0
    return [
        Timer(order=order, kind=T.REPLY_WARNING, due_at=max(now, order.reply_due_at - lead)),
        Timer(order=order, kind=T.REPLY_OVERDUE, due_at=order.reply_due_at),
        Timer(order=order, kind=T.STATION_WARNING, due_at=max(now, order.station_due_at - lead), step_seq=1),
        Timer(order=order, kind=T.STATION_OVERDUE, due_at=order.station_due_at, step_seq=1),
    ]


def schedule_station(order: WorkOrder, step_seq: int, final: bool, allowance: timedelta | None = None) -> None:
    """Cancel the station timers of the previous station and start this one's.

    ``allowance`` replaces the tier's station allowance when the station has a deadline of its own
    (an account manager's pre-accepted order, say).
    """
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
    allowance = allowance if allowance is not None else sla.station_allowance(order.service_tier)
    order.station_due_at = _due(order.station_entered_at, allowance, order.holder_org)
    lead = sla.warning_lead()
    Timer.objects.bulk_create([
        Timer(order=order, kind=T.STATION_WARNING, due_at=max(now, order.station_due_at - lead), step_seq=step_seq),
        Timer(order=order, kind=T.STATION_OVERDUE, due_at=order.station_due_at, step_seq=step_seq),
    ])


# --- firing ---------------------------------------------------------------------------------------


def deadline_fire(*, order_id: int, kind: str, step_seq: int | None, now) -> None:
    """Fire one deadline timer of order ``order_id`` inside the caller's transaction (see ``timers``)."""
    order = order_lock(order_id, related=(
        "holder_org", "holder_team", "holder_team__leader", "holder_staff", "holder_staff__team"))
    if order is None or not order.is_open:
        return
    station_timer = kind in (T.STATION_WARNING, T.STATION_OVERDUE, T.REMINDER)
    if station_timer and step_seq != order.step_count:
        return  # the order has left that station; nothing to say
    handler = {
        T.STATION_WARNING: _on_station_warning, T.STATION_OVERDUE: _on_station_overdue,
        T.REPLY_WARNING: _on_reply_warning, T.REPLY_OVERDUE: _on_reply_overdue, T.REMINDER: _on_reminder,
    }[kind]
    handler(order, _TimerView(step_seq), now)
    order.version += 1
    order.save(update_fields=["warned", "is_overdue", "overdue_since", "escalation_level", "version"])


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
