"""Deadlines: scheduling the timers when an order moves, and what a deadline timer does when it falls due.

Timers are rows (``Timer``) with an indexed due time; ``timers.timers_sweep``
claims a batch of due ones in one statement and hands the deadline timers to
``deadlines_fire``, which writes the batch's marks, notices and next reminders
in a few set-based statements in the sweep's transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.versioned import VersionedCache
from kefu.params.selectors import param_get

from .. import sla
from ..models import BusinessCalendar, Timer, WorkOrder, WorkOrderStep
from . import notices
from .holders import current_holder, recipients_of, supervisors_of

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
    looking for earlier timers (a new order has none) and without a second write of
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
    """Move the station timers to the station the order enters; entering a final one, cancel every pending timer.

    The previous station's pending warning and overdue timers are re-armed for this station in one
    statement, which also cancels a pending reminder (``_station_timers_rearm``); only a kind that has
    already fired — none, when the order moves on before its warning — is inserted anew.

    ``allowance`` replaces the tier's station allowance when the station has a deadline of its own
    (an account manager's pre-accepted order, say).
    """
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
    due = {T.STATION_WARNING: max(now, order.station_due_at - sla.warning_lead()), T.STATION_OVERDUE: order.station_due_at}
    rearmed = _station_timers_rearm(order.pk, due, step_seq=step_seq, now=now)
    missing = [Timer(order=order, kind=kind, due_at=at, step_seq=step_seq) for kind, at in due.items()
               if kind not in rearmed]
    if missing:
        Timer.objects.bulk_create(missing)


def _station_timers_rearm(order_id: int, due: dict, *, step_seq: int, now) -> set[str]:
    """Point the order's pending station timers at the new station and cancel its pending reminder, in one
    ``UPDATE … RETURNING``; returns the kinds re-armed.

    A station has at most one pending timer of each kind (this function and ``plan_new_order`` are the only
    writers of station timers). A re-armed row is the new station's timer: its due time, station
    (``step_seq``) and creation time are the new ones. The sweep takes its due rows ``FOR UPDATE SKIP
    LOCKED``: one it has claimed is no longer pending and is not re-armed here; one re-armed here is no
    longer due, and a stale one it fired anyway is ignored (its ``step_seq`` is not the order's).
    """
    table = connection.ops.quote_name(Timer._meta.db_table)
    at = connection.ops.adapt_datetimefield_value
    reminder, warning, overdue = T.REMINDER, T.STATION_WARNING, T.STATION_OVERDUE
    sql = (f"UPDATE {table} SET "  # noqa: S608 - the model's own table
           "state = CASE WHEN kind = %s THEN %s ELSE state END, "
           "due_at = CASE WHEN kind = %s THEN %s WHEN kind = %s THEN %s ELSE due_at END, "
           "step_seq = CASE WHEN kind = %s THEN step_seq ELSE %s END, "
           "created_at = CASE WHEN kind = %s THEN created_at ELSE %s END "
           "WHERE order_id = %s AND state = %s AND kind IN (%s, %s, %s) RETURNING kind")  # the order_id index
    params = [reminder, Timer.State.CANCELLED, warning, at(due[warning]), overdue, at(due[overdue]),
              reminder, step_seq, reminder, at(now), order_id, Timer.State.PENDING, warning, overdue, reminder]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {kind for (kind,) in cur.fetchall() if kind != reminder}


# --- firing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueTimer:
    """A claimed deadline timer, as the sweep's claim returned it."""

    id: int
    kind: str
    order_id: int
    step_seq: int


class _Firing:
    """What a batch of firings writes, gathered in memory and written at once by ``deadlines_fire``.

    Holders' people are looked up once per holder for the whole batch: an outage makes
    many orders of the same queues overdue together.
    """

    def __init__(self):
        self.notices: list = []
        self.timers: list[Timer] = []
        self._people: dict = {}

    def supervisors(self, holder):
        """``holders.supervisors_of``, with an organisation's supervisors read once per batch."""
        return supervisors_of(holder, org_memo=self._people)

    def recipients(self, holder):
        """``holders.recipients_of``, with a team's members and an organisation's supervisors read once."""
        if holder.staff is None and holder.team is not None:
            key = ("team", holder.team.pk)
            if key not in self._people:
                self._people[key] = recipients_of(holder)
            return self._people[key]
        return recipients_of(holder, org_memo=self._people)

    def notify(self, *, order, kind, text, people=None, holder=None, into: list) -> None:
        into.extend((order.pk, kind, person, org, text)
                    for person, org in notices.notice_targets(people=people, holder=holder, recipients=self.recipients))

    def reminder(self, order, step_seq, now, into: list) -> None:
        into.append((order.pk, T.REMINDER, now + sla.reminder_interval(), Timer.State.PENDING, step_seq, now, ""))


_MARKS = ("warned", "is_overdue", "overdue_since", "escalation_level", "version")


def deadlines_fire(timers: list[DueTimer], *, now) -> list[int]:
    """Fire a batch of claimed deadline timers inside the caller's transaction; returns the ids that failed.

    Set-based: the batch's orders are locked in primary-key order and read in one query, each timer's
    handler changes its order in memory and gathers notices and reminders, then the notices
    and the reminders are written in one INSERT each and the orders' marks in one UPDATE per
    distinct change. A handler that fails
    leaves its order and the batch's writes as they were before it (logged; the sweep retires
    the timer); ``SystemExit``/``KeyboardInterrupt`` propagate and the batch rolls back.
    """
    if not timers:
        return []
    ids = sorted({t.order_id for t in timers})
    steps = (WorkOrderStep.objects.filter(order=OuterRef("pk")).order_by().values("order")
             .annotate(n=Count("*")).values("n"))
    # Locked in key order, and read in the same statement: no join to re-check once a lock is granted
    # (see ``locks``). The holders and creators are few for many orders: prefetched once each.
    orders = {o.pk: o for o in WorkOrder.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk").only(
        "serial", "state", "station_due_at", "reply_due_at", *_MARKS, "holder_org", "holder_team", "holder_staff",
        "creator").prefetch_related("holder_org", "holder_team__leader", "holder_staff__team__leader", "creator")
        .annotate(step_count=Coalesce(Subquery(steps, output_field=IntegerField()), Value(0)))}
    handlers = {
        T.STATION_WARNING: _on_station_warning, T.STATION_OVERDUE: _on_station_overdue,
        T.REPLY_WARNING: _on_reply_warning, T.REPLY_OVERDUE: _on_reply_overdue, T.REMINDER: _on_reminder,
    }
    out, changed, failed = _Firing(), {}, []
    loaded = {pk: {f: getattr(o, f) for f in _MARKS} for pk, o in orders.items()}
    for t in timers:
        order = orders.get(t.order_id)
        if order is None or not order.is_open:
            continue
        if t.kind in (T.STATION_WARNING, T.STATION_OVERDUE, T.REMINDER) and t.step_seq != order.step_count:
            continue  # the order has left that station; nothing to say
        before = {f: getattr(order, f) for f in _MARKS}
        notes: list = []
        reminders: list = []
        try:
            handlers[t.kind](order, _TimerView(t.step_seq, out, notes, reminders), now)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception:  # a broken timer is logged and retired; the others go on
            log.exception("timer %s failed", t.id)
            for f, v in before.items():
                setattr(order, f, v)
            failed.append(t.id)
            continue
        order.version += 1
        out.notices.extend(notes)
        out.timers.extend(reminders)
        changed[order.pk] = order
    notices.notices_insert(out.notices, now=now)
    if out.timers:
        table = connection.ops.quote_name(Timer._meta.db_table)
        with connection.cursor() as cur:
            cur.executemany(f"INSERT INTO {table} (order_id, kind, due_at, state, step_seq, created_at, "  # noqa: S608
                            "fired_by) VALUES (%s, %s, %s, %s, %s, %s, %s)", out.timers)
    _write_marks(changed.values(), loaded)
    return failed


def _write_marks(changed, loaded: dict) -> None:
    """The changed orders' marks: one UPDATE per distinct change (an outage makes many orders alike)."""
    groups: dict[tuple, list[int]] = {}
    for o in changed:
        was = loaded[o.pk]
        key = tuple((f, getattr(o, f)) for f in _MARKS[:-1] if getattr(o, f) != was[f])
        groups.setdefault((*key, ("version", o.version - was["version"])), []).append(o.pk)
    for key, ids in groups.items():
        values = dict(key)
        values["version"] = F("version") + values["version"]
        WorkOrder.objects.filter(pk__in=ids).update(**values)  # pkey


class _TimerView:
    """What the handlers need of a timer: its station, and where to put what they write."""

    def __init__(self, step_seq: int, out: _Firing, notes: list, reminders: list):
        self.step_seq = step_seq
        self.out, self.notes, self.reminders = out, notes, reminders

    def notify(self, **kw) -> None:
        self.out.notify(into=self.notes, **kw)

    def remind(self, order, now) -> None:
        self.out.reminder(order, self.step_seq, now, self.reminders)


def _on_station_warning(order, timer, now):
    order.warned = True
    timer.notify(order=order, kind="warning", holder=current_holder(order),
                 text=_("%(serial)s must leave this station by %(due)s.") % {
                     "serial": order.serial, "due": _local(order.station_due_at)})


def _on_reply_warning(order, timer, now):
    order.warned = True
    timer.notify(order=order, kind="warning", people=[order.creator],
                 text=_("%(serial)s must be answered to the customer by %(due)s.") % {
                     "serial": order.serial, "due": _local(order.reply_due_at)})


def _mark_overdue(order, now):
    if not order.is_overdue:
        order.is_overdue = True
        order.overdue_since = now


def _on_station_overdue(order, timer, now):
    _mark_overdue(order, now)
    holder = current_holder(order)
    timer.notify(order=order, kind="overdue", holder=holder,
                 text=_("%(serial)s is overdue at this station.") % {"serial": order.serial})
    order.escalation_level = 1
    timer.notify(order=order, kind="escalation", people=timer.out.supervisors(holder),
                 text=_("%(serial)s held by %(holder)s is overdue.") % {
                     "serial": order.serial, "holder": holder.label()})
    timer.remind(order, now)


def _on_reminder(order, timer, now):
    holder = current_holder(order)
    timer.notify(order=order, kind="reminder", holder=holder,
                 text=_("%(serial)s is still overdue.") % {"serial": order.serial})
    order.escalation_level += 1
    if order.escalation_level > param_get("workorders.escalate_after_reminders") and holder.org.parent_id:
        from .holders import Holder

        above = Holder(org=holder.org.parent)
        timer.notify(order=order, kind="escalation", people=timer.out.supervisors(above), holder=above,
                     text=_("%(serial)s held by %(holder)s has been overdue since %(since)s.") % {
                         "serial": order.serial, "holder": holder.label(), "since": _local(order.overdue_since)})
    timer.remind(order, now)


def _on_reply_overdue(order, timer, now):
    _mark_overdue(order, now)
    timer.notify(order=order, kind="overdue", people=[order.creator],
                 text=_("%(serial)s has not been answered to the customer in time.") % {"serial": order.serial})


def _local(dt) -> str:
    if dt is None:
        return "—"
    return dt.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%d %H:%M")
