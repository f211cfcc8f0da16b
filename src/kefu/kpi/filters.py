"""Report filters from a query string (page and API alike), checked with messages in the user's language."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import ValidationFailed

from .catalogue import GROUPS
from .selectors import DIMENSIONS, INTERVALS, MAX_DAYS, ReportFilters


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(_("Dates are written YYYY-MM-DD."), details=[{"field": field}]) from None


def _id(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose one from the list."), details=[{"field": field}]) from None
    if not 0 < n < 2**31:
        raise ValidationFailed(_("Choose one from the list."), details=[{"field": field}])
    return n


def report_filters(data) -> ReportFilters:
    """Defaults: today, by hour... of the whole scope. Periods longer than a year are refused."""
    today = timezone.localtime(clock.now()).date()
    since = _date(data.get("since", ""), "since") or today
    until = _date(data.get("until", ""), "until") or max(since, today)
    if until < since:
        raise ValidationFailed(_("The end of the period is before its start."), details=[{"field": "until"}])
    if until - since > timedelta(days=MAX_DAYS):
        raise ValidationFailed(_("A report covers at most a year."), details=[{"field": "until"}])
    interval = data.get("interval", "") or ("60" if since == until else "day")
    group = data.get("group", "") or "total"
    kind = data.get("kind", "") or ""
    if interval not in INTERVALS:
        raise ValidationFailed(_("Unknown interval."), details=[{"field": "interval"}])
    if group not in DIMENSIONS:
        raise ValidationFailed(_("Unknown grouping."), details=[{"field": "group"}])
    if kind and kind not in GROUPS:
        raise ValidationFailed(_("Unknown indicator group."), details=[{"field": "kind"}])
    channel = (data.get("channel", "") or "")[:8]
    return ReportFilters(
        since=since,
        until=until,
        interval=interval,
        group=group,
        kind=kind,
        channel=channel,
        queue_id=_id(data.get("queue"), "queue"),
        team_id=_id(data.get("team"), "team"),
        agent_id=_id(data.get("agent"), "agent"),
        org_id=_id(data.get("org"), "org"),
    )
