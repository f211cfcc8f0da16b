"""Reads of the indicators: the interval report (one grouped query over interval rows, never raw records),
today's figures for the home page, and the catalogue. Rows are limited to the actor's organisation subtree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, IntegerField, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language

from kefu.contactcenter import selectors as contactcenter
from kefu.core import clock
from kefu.crm.selectors import subscribers_by_org
from kefu.iam import selectors as iam
from kefu.orgs.selectors import scope_queryset

from .catalogue import BY_CODE, GROUPS, INDICATORS, MEASURES, Indicator, evaluate
from .models import IntervalStat

INTERVALS = ("15", "30", "60", "day", "total")
DIMENSIONS = ("total", "queue", "team", "agent", "org", "channel")
_DIM_COLUMN = {
    "queue": "queue_id",
    "team": "team_id",
    "agent": "agent_id",
    "org": "org_id",
    "channel": "channel",
}
_SLOTS = {"15": 1, "30": 2, "60": 4}
MAX_DAYS = 366


@dataclass
class ReportFilters:
    since: date
    until: date  # inclusive
    interval: str = "day"
    group: str = "total"
    queue_id: int | None = None
    team_id: int | None = None
    agent_id: int | None = None
    org_id: int | None = None
    channel: str = ""
    kind: str = ""  # an indicator group (service, efficiency, quality, marketing); "" = all
    codes: tuple[str, ...] = field(default=())

    def indicators(self) -> list[Indicator]:
        return [
            i
            for i in INDICATORS
            if (not self.kind or i.group == self.kind) and (not self.codes or i.code in self.codes)
        ]


def _scoped(actor) -> QuerySet[IntervalStat]:
    return scope_queryset(IntervalStat.objects.all(), actor, field="org")


def report_rows(*, actor, filters: ReportFilters) -> dict:
    """Indicator values per interval and per dimension value: one grouped query, plus one per label kind."""
    f = filters
    qs = _scoped(actor).filter(day__gte=f.since, day__lte=f.until)  # kpi_day_org (day, org)
    for column, value in (
        ("queue_id", f.queue_id),
        ("team_id", f.team_id),
        ("agent_id", f.agent_id),
        ("org_id", f.org_id),
    ):
        if value:
            qs = qs.filter(**{column: value})
    if f.channel:
        qs = qs.filter(channel=f.channel)
    keys: list[str] = []
    if f.interval != "total":
        keys.append("day")
    if f.interval in _SLOTS:
        qs = qs.annotate(period=Cast(F("slot") / _SLOTS[f.interval], IntegerField()))
        keys.append("period")
    if f.group != "total":
        keys.append(_DIM_COLUMN[f.group])
    sums = {m: Sum(m) for m in MEASURES}
    grouped = qs.values(*keys).annotate(**sums).order_by(*keys) if keys else [qs.aggregate(**sums)]
    raw = [r for r in grouped if any(r.get(m) for m in MEASURES)]
    indicators = f.indicators()
    codes = tuple(i.code for i in indicators)
    per_org = subscribers_by_org() if "complaint_rate" in codes else {}
    visible_orgs = (
        dict(iam.visible_orgs(actor=actor).values_list("pk", "name")) if (per_org or f.group == "org") else {}
    )
    total_subscribers = sum(n for org, n in per_org.items() if org in visible_orgs)
    labels = _labels(f.group, {r.get(_DIM_COLUMN.get(f.group, "")) for r in raw}, visible_orgs)
    rows = []
    for r in raw:
        m = {k: float(r.get(k) or 0) for k in MEASURES}
        if f.group == "org":
            m["subscribers"] = per_org.get(r.get("org_id") or 0, 0)
        elif f.org_id:
            m["subscribers"] = per_org.get(f.org_id, 0)
        else:
            m["subscribers"] = total_subscribers
        start = _period_start(r, f.interval)
        key = r.get(_DIM_COLUMN.get(f.group, ""))
        rows.append(
            {
                "period": start,
                "period_label": _period_label(start, f.interval, f),
                "key": key,
                "label": labels.get(key, str(key) if key not in (None, "") else "—"),
                "values": evaluate(m, codes),
                "measures": m,
            }
        )
    return {"filters": f, "indicators": indicators, "rows": rows}


def _period_start(r: dict, interval: str) -> datetime | None:
    if interval == "total":
        return None
    minutes = r.get("period", 0) * 15 * _SLOTS.get(interval, 0)
    return timezone.make_aware(datetime.combine(r["day"], time.min) + timedelta(minutes=minutes))


def _period_label(start: datetime | None, interval: str, f: ReportFilters) -> str:
    if start is None:
        return f"{f.since:%Y-%m-%d} – {f.until:%Y-%m-%d}"
    return f"{start:%Y-%m-%d}" if interval == "day" else f"{start:%Y-%m-%d %H:%M}"


def _labels(group: str, keys: set, orgs: dict) -> dict:
    keys = {k for k in keys if k not in (None, "")}
    if not keys:
        return {}
    if group == "queue":
        return contactcenter.queue_names(keys)
    if group == "agent":
        return iam.staff_labels(keys)
    if group == "team":
        return iam.team_labels(keys)
    if group == "org":
        return {k: orgs.get(k, str(k)) for k in keys}
    if group == "channel":
        return {k: str(contactcenter.channel_label(k)) for k in keys}
    return {}


def period_bounds(row: dict, interval: str, f: ReportFilters) -> tuple[datetime, datetime]:
    """The time span a report row covers, for the drill-down to its records."""
    start = row["period"]
    if start is None:
        return (
            timezone.make_aware(datetime.combine(f.since, time.min)),
            timezone.make_aware(datetime.combine(f.until + timedelta(days=1), time.min)),
        )
    span = timedelta(days=1) if interval == "day" else timedelta(minutes=15 * _SLOTS[interval])
    return start, start + span


def today_figures(*, actor, codes: tuple[str, ...]) -> dict:
    """Today's value of each indicator in ``codes`` for the actor's organisation, with a sparkline of the
    hours so far."""
    today = timezone.localtime(clock.now()).date()
    f = ReportFilters(since=today, until=today, interval="60", codes=codes)
    hourly = report_rows(actor=actor, filters=f)
    total = report_rows(
        actor=actor, filters=ReportFilters(since=today, until=today, interval="total", codes=codes)
    )
    values = total["rows"][0]["values"] if total["rows"] else dict.fromkeys(codes)
    lang = get_language() or "zh-hans"
    return {
        "day": today,
        "indicators": [
            {
                "code": c,
                "name": BY_CODE[c].name(lang),
                "unit": BY_CODE[c].unit,
                "good": BY_CODE[c].good,
                "available": BY_CODE[c].available,
                "value": values.get(c),
                "spark": (spark := [r["values"].get(c) for r in hourly["rows"]]),
                "spark_points": sparkline(spark),
            }
            for c in codes
        ],
    }


def sparkline(values: list[float | None], width: int = 100, height: int = 24) -> str:
    """SVG polyline points of a small trend line (drawn by the server: the pages run no inline script)."""
    pts = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(pts) < 2:
        return ""
    lo, hi = min(v for _, v in pts), max(v for _, v in pts)
    span, last = (hi - lo) or 1, max(len(values) - 1, 1)
    return " ".join(
        f"{i * width / last:.1f},{height - 2 - (v - lo) * (height - 4) / span:.1f}" for i, v in pts
    )


def catalogue_rows(language: str | None = None) -> list[dict]:
    from .catalogue import SOURCES

    lang = language or get_language() or "zh-hans"
    return [
        {
            "code": i.code,
            "name": i.name(lang),
            "zh": i.zh,
            "en": i.en,
            "group": i.group,
            "group_name": GROUPS[i.group][0 if lang.startswith("zh") else 1],
            "unit": i.unit,
            "formula": i.formula,
            "source": i.source,
            "source_text": SOURCES[i.source][0],
            "available": i.available,
            "good": i.good,
            "abandoned": i.abandoned,
            "measures": list(i.measures),
        }
        for i in INDICATORS
    ]


__all__ = [
    "DIMENSIONS",
    "INTERVALS",
    "MAX_DAYS",
    "ReportFilters",
    "catalogue_rows",
    "period_bounds",
    "report_rows",
    "today_figures",
]
