"""Indicators API: the catalogue, the interval report, its records, today's figures and the wallboard."""

from typing import Any

from ninja import Field, Query, Router, Schema

from kefu.contactcenter import selectors as contactcenter
from kefu.core.access import actor_of, requires
from kefu.core.errors import ValidationFailed
from kefu.core.schemas import DateTime

from . import selectors
from .catalogue import HEADLINE
from .filters import report_filters
from .wallboard import wallboard_snapshot

router = Router(tags=["kpi"])


class KpiIndicatorOut(Schema):
    code: str
    name: str
    zh: str
    en: str
    group: str
    group_name: str
    unit: str
    formula: str
    source: str
    source_text: str
    available: bool
    good: str
    abandoned: str
    measures: list[str]


class KpiReportQuery(Schema):
    since: str = Field("", max_length=10, description="YYYY-MM-DD, default today")
    until: str = Field("", max_length=10, description="YYYY-MM-DD inclusive, default today")
    interval: str = Field("", max_length=5, description="15, 30, 60, day or total")
    group: str = Field("", max_length=8, description="total, queue, team, agent, org or channel")
    kind: str = Field("", max_length=12, description="service, efficiency, quality or marketing")
    queue: int | None = Field(None, ge=1, le=2**31 - 1)
    team: int | None = Field(None, ge=1, le=2**31 - 1)
    agent: int | None = Field(None, ge=1, le=2**31 - 1)
    org: int | None = Field(None, ge=1, le=2**31 - 1)
    channel: str = Field("", max_length=8)


class KpiReportRowOut(Schema):
    period: DateTime | None
    period_label: str
    key: int | str | None
    label: str
    values: dict[str, float | None]


class KpiReportOut(Schema):
    indicators: list[str]
    rows: list[KpiReportRowOut]


class KpiRecordsQuery(Schema):
    since: DateTime
    until: DateTime
    queue: int | None = Field(None, ge=1, le=2**31 - 1)
    agent: str = Field("", max_length=32, description="Employee number")
    channel: str = Field("", max_length=8)
    limit: int = Field(100, ge=1, le=500)


class KpiRecordOut(Schema):
    id: int
    started_at: DateTime
    channel: str
    queue: str
    agent: str
    answered_at: DateTime | None
    ended_at: DateTime | None
    abandoned: bool


class KpiTodayItemOut(Schema):
    code: str
    name: str
    unit: str
    good: str
    available: bool
    value: float | None
    spark: list[float | None]


class KpiTodayOut(Schema):
    day: str
    indicators: list[KpiTodayItemOut]


def _query_dict(q: Schema) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in q.dict().items()}


@router.get(
    "/indicators", response=list[KpiIndicatorOut], summary="Every indicator: formula, unit, group, sources"
)
@requires("kpi.report.view")
def indicators(request):
    return selectors.catalogue_rows()


@router.get(
    "/report",
    response=KpiReportOut,
    summary="Indicators per interval and per queue, team, agent, org or channel",
)
@requires("kpi.report.view")
def report(request, q: Query[KpiReportQuery]):
    f = report_filters(_query_dict(q))
    out = selectors.report_rows(actor=actor_of(request), filters=f)
    return {"indicators": [i.code for i in out["indicators"]], "rows": out["rows"]}


@router.get(
    "/records", response=list[KpiRecordOut], summary="The contact records behind a report row (drill-down)"
)
@requires("kpi.report.view", "contactcenter.contact.view")
def records(request, q: Query[KpiRecordsQuery]):
    if q.until <= q.since:
        raise ValidationFailed("until <= since", details=[{"field": "until"}])
    filters = contactcenter.ContactFilters(
        since=q.since, until=q.until, queue_id=q.queue, agent=q.agent, channel=q.channel
    )
    rows = contactcenter.contact_list(actor=actor_of(request), filters=filters)[: q.limit]
    return [
        {
            "id": c.pk,
            "started_at": c.started_at,
            "channel": c.channel,
            "queue": c.queue.code if c.queue else "",
            "agent": c.agent.employee_no if c.agent else "",
            "answered_at": c.answered_at,
            "ended_at": c.ended_at,
            "abandoned": c.abandoned,
        }
        for c in rows
    ]


@router.get(
    "/today", response=KpiTodayOut, summary="Today's headline indicators of the caller's organisation"
)
@requires("kpi.report.view")
def today(request):
    out = selectors.today_figures(actor=actor_of(request), codes=HEADLINE)
    return {"day": out["day"].isoformat(), "indicators": out["indicators"]}


@router.get("/wallboard", summary="The live wallboard's snapshot")
@requires("kpi.wallboard.view")
def wallboard(request) -> dict:
    snap = wallboard_snapshot(actor=actor_of(request))
    snap["at"] = snap["at"].isoformat()
    for o in snap["orders"]:
        o["due"] = o["due"].isoformat() if o["due"] else None
    return snap
