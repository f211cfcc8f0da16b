"""Quality inspection API: scoring forms and their versions, picking contacts (by rule or by hand),
scoring, an agent's own results and dispute, the supervisor's decision, improvement actions, reports.

Inspectors hold ``quality.inspection.score`` (and ``quality.form.edit`` for forms), supervisors
``quality.dispute.decide``; an agent reaches only their own results under ``/mine`` (``quality.own``).
Records outside the caller's organisation scope answer 404 like ones that do not exist.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Strict, StrictBool, StrictInt

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination
from kefu.core.schemas import Date, DateTime, InputSchema

from . import overview, reports, selectors
from .models import Improvement, Inspection, ScoreForm
from .permissions import DECIDE, FORM_EDIT, FORM_VIEW, IMPROVE, OWN, REPORT, SCORE, VIEW
from .services.disputes import dispute_decide, inspection_dispute
from .services.forms import FormData, form_create, form_publish, form_set_active
from .services.improvements import improvement_create, improvement_done
from .services.inspections import (
    SampleRule,
    ScoreSheet,
    inspection_create,
    inspection_score,
    inspections_pick,
)

router = Router(tags=["quality"])

ID = Field(..., ge=1, le=2**62)
#: A score as JSON text ("87.5") or a number.
ScoreValue = Annotated[Decimal, Strict(False)]


class QualityItemIn(InputSchema):
    key: str = Field(..., max_length=32)
    label: str = Field(..., max_length=200)
    max_points: StrictInt = Field(0, ge=0, le=100)
    weight: StrictInt = Field(1, ge=0, le=100)
    fatal: StrictBool = False


class QualityFormIn(InputSchema):
    name: str = Field(..., max_length=100)
    org_id: StrictInt = ID
    queue_code: str = Field("", max_length=32)
    order_kind: str = Field("", max_length=16)
    items: list[QualityItemIn] = Field(..., min_length=1, max_length=50)


class QualityVersionIn(InputSchema):
    items: list[QualityItemIn] = Field(..., min_length=1, max_length=50)


class QualityActiveIn(InputSchema):
    active: StrictBool


class QualityItemOut(Schema):
    key: str
    label: str
    max_points: int
    weight: int
    fatal: bool


class QualityFormOut(Schema):
    id: int
    name: str
    org_id: int
    org: str
    queue_code: str
    order_kind: str
    active: bool
    version: int
    items: list[QualityItemOut]


class QualityPickIn(InputSchema):
    source: Literal["random", "complaint", "long_call"]
    since: DateTime
    until: DateTime
    per_agent: StrictInt = Field(2, ge=1, le=50)
    seed: StrictInt | None = Field(None, ge=0, le=2**31)
    min_talk_seconds: StrictInt = Field(600, ge=1, le=86_400)
    form_id: StrictInt | None = Field(None, ge=1, le=2**62)


class QualityPickOut(Schema):
    created: list[int]
    already_inspected: int
    without_form: int
    seed: int | None


class QualityManualIn(InputSchema):
    contact_id: StrictInt = ID
    form_id: StrictInt | None = Field(None, ge=1, le=2**62)


class QualityScoreIn(InputSchema):
    points: dict[str, StrictInt] = Field(..., max_length=50)
    fatal_hits: list[str] = Field(default_factory=list, max_length=50)
    item_comments: dict[str, str] = Field(default_factory=dict, max_length=50)
    comment: str = Field("", max_length=2000)


class QualityDisputeIn(InputSchema):
    reason: str = Field(..., max_length=2000)


class QualityDecisionIn(InputSchema):
    decision: Literal["upheld", "revised"]
    note: str = Field("", max_length=2000)
    score: ScoreValue | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)


class QualityInspectionOut(Schema):
    id: int
    contact_id: int
    contact_at: datetime
    agent_id: int
    agent: str
    org: str
    team: str | None
    source: str
    state: str
    form: str
    form_version: int
    items: list[QualityItemOut]
    points: dict[str, int]
    fatal_hits: list[str]
    item_comments: dict[str, str]
    score: float | None
    fatal: bool
    comment: str
    inspector: str | None
    scored_at: datetime | None
    dispute_reason: str
    disputed_at: datetime | None
    decision: str
    decision_note: str
    decided_at: datetime | None
    original_score: float | None


class QualityImprovementIn(InputSchema):
    title: str = Field(..., max_length=200)
    detail: str = Field("", max_length=2000)
    due_on: Date
    inspection_id: StrictInt | None = Field(None, ge=1, le=2**62)
    agent_id: StrictInt | None = Field(None, ge=1, le=2**62)


class QualityDoneIn(InputSchema):
    note: str = Field("", max_length=2000)


class QualityImprovementOut(Schema):
    id: int
    agent_id: int
    agent: str
    inspection_id: int | None
    title: str
    detail: str
    due_on: date
    state: str
    overdue: bool
    done_at: datetime | None
    done_note: str


class InspectionQuery(Schema):
    state: Literal["", "pending", "scored", "disputed", "decided"] = ""
    source: Literal["", "random", "complaint", "long_call", "manual"] = ""
    agent: str = Field("", max_length=32, description="Employee number")
    since: DateTime | None = None
    until: DateTime | None = None


class StateQuery(Schema):
    state: Literal["", "open", "done"] = ""


class ReportQuery(Schema):
    start: DateTime
    end: DateTime
    group_by: Literal["", "agent", "team", "org", "day", "week", "month"] = "agent"


class QualityReportRowOut(Schema):
    key: str
    label: str
    count: int
    average: float | None
    fatal: int
    fatal_rate: float | None
    disputed: int
    disputed_rate: float | None


class OverviewQuery(Schema):
    start: DateTime
    end: DateTime


def _form(f: ScoreForm) -> dict:
    version = selectors.form_current(f)
    return {
        "id": f.pk,
        "name": f.name,
        "org_id": f.org_id,
        "org": f.org.name,
        "queue_code": f.queue_code,
        "order_kind": f.order_kind,
        "active": f.active,
        "version": f.current_version,
        "items": version.items if version else [],
    }


def _num(value) -> float | None:
    return float(value) if value is not None else None


def inspection_out(i: Inspection) -> dict:
    return {
        "id": i.pk,
        "contact_id": i.contact_id,
        "contact_at": i.contact_at,
        "agent_id": i.agent_id,
        "agent": f"{i.agent.employee_no} {i.agent.name}",
        "org": i.org.name,
        "team": i.team.name if i.team else None,
        "source": i.source,
        "state": i.state,
        "form": i.form_version.form.name,
        "form_version": i.form_version.number,
        "items": i.form_version.items,
        "points": i.points,
        "fatal_hits": i.fatal_hits,
        "item_comments": i.item_comments,
        "score": _num(i.score),
        "fatal": i.fatal,
        "comment": i.comment,
        "inspector": i.inspector.name if i.inspector else None,
        "scored_at": i.scored_at,
        "dispute_reason": i.dispute_reason,
        "disputed_at": i.disputed_at,
        "decision": i.decision,
        "decision_note": i.decision_note,
        "decided_at": i.decided_at,
        "original_score": _num(i.original_score),
    }


def _improvement(a: Improvement) -> dict:
    from kefu.core import clock

    return {
        "id": a.pk,
        "agent_id": a.agent_id,
        "agent": f"{a.agent.employee_no} {a.agent.name}",
        "inspection_id": a.inspection_id,
        "title": a.title,
        "detail": a.detail,
        "due_on": a.due_on,
        "state": a.state,
        "overdue": a.is_overdue(clock.now().date()),
        "done_at": a.done_at,
        "done_note": a.done_note,
    }


def _items(items: list[QualityItemIn]) -> list[dict]:
    return [i.dict() for i in items]


# --- forms ---------------------------------------------------------------------------------------------


@router.get("/forms", response=list[QualityFormOut], summary="Scoring forms I may use")
@requires(FORM_VIEW)
def forms(request):
    return [_form(f) for f in selectors.form_list(actor=actor_of(request))[:500]]


@router.post("/forms", response={201: QualityFormOut}, summary="Create a scoring form (its version 1)")
@requires(FORM_EDIT)
def form_new(request, payload: QualityFormIn):
    form = form_create(
        actor=actor_of(request),
        data=FormData(
            name=payload.name,
            org_id=payload.org_id,
            items=_items(payload.items),
            queue_code=payload.queue_code,
            order_kind=payload.order_kind,
        ),
    )
    return 201, _form(form)


@router.get("/forms/{form_id}", response=QualityFormOut, summary="One scoring form with its current items")
@requires(FORM_VIEW)
def form_detail(request, form_id: int):
    return _form(selectors.form_get(actor=actor_of(request), form_id=form_id))


@router.post(
    "/forms/{form_id}/versions",
    response={201: QualityFormOut},
    summary="Publish new items as the form's next version",
)
@requires(FORM_EDIT)
def form_version(request, form_id: int, payload: QualityVersionIn):
    form_publish(actor=actor_of(request), form_id=form_id, items=_items(payload.items))
    return 201, _form(selectors.form_get(actor=actor_of(request), form_id=form_id))


@router.post("/forms/{form_id}/active", response=QualityFormOut, summary="Put a form in or out of use")
@requires(FORM_EDIT)
def form_active(request, form_id: int, payload: QualityActiveIn):
    return _form(form_set_active(actor=actor_of(request), form_id=form_id, active=payload.active))


# --- inspections ---------------------------------------------------------------------------------------


@router.post(
    "/picks",
    response={201: QualityPickOut},
    summary="Pick contacts by rule: random per agent (seeded), all complaints, long calls",
)
@requires(SCORE)
def pick(request, payload: QualityPickIn):
    out = inspections_pick(
        actor=actor_of(request),
        rule=SampleRule(
            source=payload.source,
            since=payload.since,
            until=payload.until,
            per_agent=payload.per_agent,
            seed=payload.seed,
            min_talk_seconds=payload.min_talk_seconds,
            form_id=payload.form_id,
        ),
    )
    return 201, {
        "created": [i.pk for i in out.created],
        "already_inspected": out.already,
        "without_form": out.no_form,
        "seed": out.seed,
    }


@router.post("/inspections", response={201: QualityInspectionOut}, summary="Pick one contact by hand")
@requires(SCORE)
def inspection_new(request, payload: QualityManualIn):
    i = inspection_create(actor=actor_of(request), contact_id=payload.contact_id, form_id=payload.form_id)
    return 201, inspection_out(selectors.inspection_get(actor=actor_of(request), inspection_id=i.pk))


@router.get("/inspections", response=list[QualityInspectionOut], summary="Inspections of my scope")
@requires(VIEW)
@paginate(Pagination)
def inspections(request, filters: Query[InspectionQuery]):
    qs = selectors.inspection_list(
        actor=actor_of(request), filters=selectors.InspectionFilters(**filters.dict())
    )
    return [inspection_out(i) for i in qs[:10_000]]


@router.get("/inspections/{inspection_id}", response=QualityInspectionOut, summary="One inspection")
@requires(VIEW)
def inspection_detail(request, inspection_id: int):
    return inspection_out(selectors.inspection_get(actor=actor_of(request), inspection_id=inspection_id))


@router.post(
    "/inspections/{inspection_id}/score",
    response=QualityInspectionOut,
    summary="Score each item and comment (0 when a fatal item is ticked)",
)
@requires(SCORE)
def score(request, inspection_id: int, payload: QualityScoreIn):
    i = inspection_score(
        actor=actor_of(request),
        inspection_id=inspection_id,
        sheet=ScoreSheet(
            points=payload.points,
            fatal_hits=payload.fatal_hits,
            item_comments=payload.item_comments,
            comment=payload.comment,
        ),
    )
    return inspection_out(selectors.inspection_get(actor=actor_of(request), inspection_id=i.pk))


@router.post(
    "/inspections/{inspection_id}/decision",
    response=QualityInspectionOut,
    summary="Decide an agent's dispute: uphold the score or revise it",
)
@requires(DECIDE)
def decide(request, inspection_id: int, payload: QualityDecisionIn):
    i = dispute_decide(
        actor=actor_of(request),
        inspection_id=inspection_id,
        decision=payload.decision,
        note=payload.note,
        score=payload.score,
    )
    return inspection_out(selectors.inspection_get(actor=actor_of(request), inspection_id=i.pk))


# --- my quality ----------------------------------------------------------------------------------------


@router.get("/mine", response=list[QualityInspectionOut], summary="My scored results")
@requires(OWN)
@paginate(Pagination)
def mine(request):
    return [inspection_out(i) for i in selectors.own_inspection_list(actor=actor_of(request))[:10_000]]


@router.get("/mine/improvements", response=list[QualityImprovementOut], summary="My improvement actions")
@requires(OWN)
def my_improvements(request, filters: Query[StateQuery]):
    return [
        _improvement(a)
        for a in selectors.own_improvements(actor=actor_of(request), state=filters.state)[:500]
    ]


@router.post(
    "/mine/improvements/{improvement_id}/done",
    response=QualityImprovementOut,
    summary="Mark my improvement action done",
)
@requires(OWN)
def my_improvement_done(request, improvement_id: int, payload: QualityDoneIn):
    return _improvement(
        improvement_done(actor=actor_of(request), improvement_id=improvement_id, note=payload.note, own=True)
    )


@router.get("/mine/{inspection_id}", response=QualityInspectionOut, summary="One of my results")
@requires(OWN)
def mine_detail(request, inspection_id: int):
    return inspection_out(selectors.own_inspection_get(actor=actor_of(request), inspection_id=inspection_id))


@router.post(
    "/mine/{inspection_id}/dispute",
    response=QualityInspectionOut,
    summary="Dispute my score, once, with a reason",
)
@requires(OWN)
def dispute(request, inspection_id: int, payload: QualityDisputeIn):
    inspection_dispute(actor=actor_of(request), inspection_id=inspection_id, reason=payload.reason)
    return inspection_out(selectors.own_inspection_get(actor=actor_of(request), inspection_id=inspection_id))


# --- improvement actions -------------------------------------------------------------------------------


@router.get("/improvements", response=list[QualityImprovementOut], summary="Improvement actions of my scope")
@requires(VIEW)
def improvements(request, filters: Query[StateQuery]):
    return [
        _improvement(a)
        for a in selectors.improvement_list(actor=actor_of(request), state=filters.state)[:500]
    ]


@router.post(
    "/improvements",
    response={201: QualityImprovementOut},
    summary="Assign an improvement action to an agent (of an inspection, or named)",
)
@requires(IMPROVE)
def improvement_new(request, payload: QualityImprovementIn):
    a = improvement_create(
        actor=actor_of(request),
        title=payload.title,
        detail=payload.detail,
        due_on=payload.due_on,
        inspection_id=payload.inspection_id,
        agent_id=payload.agent_id,
    )
    return 201, _improvement(a)


@router.post(
    "/improvements/{improvement_id}/done",
    response=QualityImprovementOut,
    summary="Mark an improvement action done",
)
@requires(IMPROVE)
def improvement_close(request, improvement_id: int, payload: QualityDoneIn):
    return _improvement(
        improvement_done(actor=actor_of(request), improvement_id=improvement_id, note=payload.note)
    )


# --- reports -------------------------------------------------------------------------------------------


@router.get(
    "/report",
    response=list[QualityReportRowOut],
    summary="Average score, fatal-error and disputed rates by agent, team, organisation or period",
)
@requires(REPORT)
def quality_report_rows(request, filters: Query[ReportQuery]):
    rows = reports.quality_report(
        actor=actor_of(request), start=filters.start, end=filters.end, group_by=filters.group_by or None
    )
    return [r.as_dict() for r in rows]


@router.get(
    "/overview",
    response=dict[str, Any],
    summary="Quality three ways: agent service quality, access quality, complaint satisfaction",
)
@requires(REPORT)
def overview_api(request, filters: Query[OverviewQuery]):
    return overview.quality_overview(actor=actor_of(request), start=filters.start, end=filters.end)
