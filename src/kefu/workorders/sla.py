"""Deadlines (时限) by customer tier, optionally in working time.

Defaults come from system parameters (SPEC §4): reply within 8 h (VIP), 24 h
(GoTone), 48 h (others); each station at most 3 h (VIP) or 6 h (others);
warning at a lead time before each deadline. ``add_working_time`` is pure, so
it is tested on its own with many calendars.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from kefu.params.selectors import param_get

TIERS = ("vip", "gotone", "other")


@dataclass(frozen=True)
class CalendarSpec:
    """Working hours of an organisation, in the center's time zone."""

    work_start: time
    work_end: time
    workdays: frozenset[int]  # ISO weekdays, 1 = Monday
    holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()

    def is_workday(self, d: date) -> bool:
        if d in self.extra_workdays:
            return True
        return d.isoweekday() in self.workdays and d not in self.holidays


def reply_allowance(tier: str) -> timedelta:
    key = {"vip": "sla.reply.vip", "gotone": "sla.reply.gotone"}.get(tier, "sla.reply.other")
    return param_get(key)


def station_allowance(tier: str) -> timedelta:
    return param_get("sla.station.vip" if tier == "vip" else "sla.station.other")


def warning_lead() -> timedelta:
    return param_get("sla.warning_lead")


def reminder_interval() -> timedelta:
    return param_get("sla.reminder_interval")


def add_working_time(start: datetime, amount: timedelta, calendar: CalendarSpec | None,
                     tz: ZoneInfo | None = None) -> datetime:
    """``start`` + ``amount`` counting only working time of ``calendar`` (all time if ``None``)."""
    if calendar is None:
        return start + amount
    tz = tz or ZoneInfo(settings.TIME_ZONE)
    if calendar.work_end <= calendar.work_start or not (calendar.workdays or calendar.extra_workdays):
        return start + amount  # a calendar with no working time would never expire; treat as 24×7
    local = start.astimezone(tz)
    remaining = amount
    for _ in range(3660):  # ten years of days: a bound, never reached by sane input
        d = local.date()
        if calendar.is_workday(d):
            day_start = datetime.combine(d, calendar.work_start, tz)
            day_end = datetime.combine(d, calendar.work_end, tz)
            cursor = max(local, day_start)
            if cursor < day_end:
                available = day_end - cursor
                if remaining <= available:
                    return (cursor + remaining).astimezone(start.tzinfo)
                remaining -= available
        local = datetime.combine(d + timedelta(days=1), time(0), tz)
    return start + amount


def service_tier_of(customer, subscriber=None) -> str:
    """vip / gotone / other, from the customer's tier and the subscriber's brand."""
    if customer is None:
        return "other"
    from kefu.crm.selectors import service_tier

    return service_tier(customer, subscriber)
