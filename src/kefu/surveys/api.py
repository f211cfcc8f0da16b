"""Satisfaction survey API: scripts and their versions, samples and surveys, hand-off to third parties, and
the satisfaction statistics (docs/surveys.md)."""

from datetime import date, datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt, StrictStr

from kefu.core import clock
from kefu.core.access import actor_of, requires
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.pagination import Pagination
from kefu.core.schemas import Date, DateTime, InputSchema
from kefu.orgs.selectors import org_find

from . import selectors, stats
from .models import ScriptVersion, Survey, SurveyScript
from .services import handoff, sampling, scripts, surveys

router = Router(tags=["surveys"])

Answer = StrictInt | StrictStr | list[StrictStr] | StrictBool


class VersionOut(Schema):
    number: int
    state: str
    note: str
    definition: dict[str, Any]
    created_at: datetime
    published_at: datetime | None


class ScriptOut(Schema):
    id: int
    code: str
    name: str
    org: str
    active: bool
    published: int | None = Field(None, description="Number of the version new surveys ask")
    draft: int | None = Field(None, description="Number of the open draft")


class ScriptDetailOut(ScriptOut):
    versions: list[VersionOut]


class ScriptIn(InputSchema):
    code: str = Field(..., min_length=1, max_length=32, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=100)
    org: str = Field(..., max_length=32, description="Organisation code")
    definition: dict[str, Any] | None = Field(
        None, description="The first draft; an example script if absent"
    )


class ScriptUpdateIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    active: StrictBool = True


class DraftIn(InputSchema):
    definition: dict[str, Any]
    note: str = Field("", max_length=200)


def _version(v: ScriptVersion) -> dict:
    return {
        "number": v.number,
        "state": v.state,
        "note": v.note,
        "definition": v.definition,
        "created_at": v.created_at,
        "published_at": v.published_at,
    }


def _script(s: SurveyScript, *, versions: bool = False) -> dict:
    published, draft = selectors.script_published(s), selectors.script_draft(s)
    out = {
        "id": s.pk,
        "code": s.code,
        "name": s.name,
        "org": s.org.code,
        "active": s.active,
        "published": published.number if published else None,
        "draft": draft.number if draft else None,
    }
    if versions:
        out["versions"] = [_version(v) for v in selectors.script_versions(s)[:50]]
    return out


@router.get("/scripts", response=list[ScriptOut], summary="Survey scripts of the caller's organisations")
@requires("surveys.script.view")
@paginate(Pagination)
def script_list(request):
    return [_script(s) for s in selectors.script_list(actor=actor_of(request))[:500]]


@router.post("/scripts", response={201: ScriptDetailOut}, summary="Create a script with its first draft")
@requires("surveys.script.edit")
def script_create(request, payload: ScriptIn):
    actor = actor_of(request)
    org = org_find(code=payload.org, actor=actor, active_only=True)
    if org is None:
        raise ValidationFailed(
            _("Unknown organisation %(code)s.") % {"code": payload.org},
            code="unknown_org",
            details={"org": _("Unknown organisation.")},
        )
    s = scripts.script_create(
        actor=actor,
        data=scripts.ScriptData(code=payload.code, name=payload.name, org_id=org.pk),
        definition=payload.definition,
    )
    return 201, _script(s, versions=True)


@router.get("/scripts/{script_id}", response=ScriptDetailOut, summary="One script with its versions")
@requires("surveys.script.view")
def script_detail(request, script_id: int):
    return _script(selectors.script_get(actor=actor_of(request), script_id=script_id), versions=True)


@router.put("/scripts/{script_id}", response=ScriptOut, summary="Rename or (de)activate a script")
@requires("surveys.script.edit")
def script_update(request, script_id: int, payload: ScriptUpdateIn):
    actor = actor_of(request)
    s = selectors.script_get(actor=actor, script_id=script_id)
    return _script(scripts.script_update(actor=actor, script=s, name=payload.name, active=payload.active))


@router.put(
    "/scripts/{script_id}/draft",
    response=VersionOut,
    summary="Save the draft (a new one after the last published version if none is open)",
)
@requires("surveys.script.edit")
def draft_save(request, script_id: int, payload: DraftIn):
    actor = actor_of(request)
    s = selectors.script_get(actor=actor, script_id=script_id)
    return _version(
        scripts.script_draft_save(actor=actor, script=s, definition=payload.definition, note=payload.note)
    )


@router.post(
    "/scripts/{script_id}/publish",
    response=VersionOut,
    summary="Publish the draft; a published version never changes (409 without a draft)",
)
@requires("surveys.script.edit")
def script_publish(request, script_id: int):
    actor = actor_of(request)
    return _version(
        scripts.script_publish(actor=actor, script=selectors.script_get(actor=actor, script_id=script_id))
    )


def _version_of(request, script_id: int, number: int) -> ScriptVersion:
    s = selectors.script_get(actor=actor_of(request), script_id=script_id)
    return selectors.version_get(script=s, number=number)


@router.get("/scripts/{script_id}/versions/{number}", response=VersionOut, summary="One version of a script")
@requires("surveys.script.view")
def version_detail(request, script_id: int, number: int):
    return _version(_version_of(request, script_id, number))


class SampleRowOut(Schema):
    token: str
    number: str
    customer_id: str
    org: str
    queue: str
    agent: str
    kind: str
    subject: str


class HandoffScriptOut(Schema):
    code: str
    name: str
    version: int
    definition: dict[str, Any]


class HandoffOut(Schema):
    format: str
    script: HandoffScriptOut
    sample: list[SampleRowOut]


@router.get(
    "/scripts/{script_id}/versions/{number}/handoff",
    response=HandoffOut,
    summary="The version and its pending sample in the hand-off format (docs/surveys.md)",
)
@requires("surveys.script.export")
def handoff_export(request, script_id: int, number: int):
    version = _version_of(request, script_id, number)
    handoff.version_for_handoff(version)
    return handoff.export_json(actor=actor_of(request), version=version)


class SampleIn(InputSchema):
    numbers: list[StrictStr] = Field(..., min_length=1, max_length=handoff.MAX_SAMPLE)
    channel: Literal["third_party", "web", "sms", "call"] = "third_party"


class SampleOut(Schema):
    created: int
    unknown: list[str]
    links: list[str] = Field(..., description="Web questionnaire path of each survey created, in order")


@router.post(
    "/scripts/{script_id}/versions/{number}/sample",
    response={201: SampleOut},
    summary="Put the published version to the customers behind these numbers",
)
@requires("surveys.survey.send")
def sample_create(request, script_id: int, number: int, payload: SampleIn):
    version = _version_of(request, script_id, number)
    result = handoff.sample_create(
        actor=actor_of(request), version=version, numbers=payload.numbers, channel=payload.channel
    )
    return 201, {
        "created": len(result.created),
        "unknown": result.unknown,
        "links": [surveys.survey_link(s) for s in result.created],
    }


class ResultsIn(InputSchema):
    format: Literal["csv", "json"] = "csv"
    content: StrictStr = Field(..., min_length=1, max_length=5_000_000)


class RowErrorOut(Schema):
    row: int
    field: str
    message: str


class ImportReportOut(Schema):
    total: int
    imported: int
    rejected: int
    errors: list[RowErrorOut]


@router.post(
    "/scripts/{script_id}/versions/{number}/results",
    response=ImportReportOut,
    summary="Import a third party's results; each bad row is reported (row, field, message)",
)
@requires("surveys.survey.import")
def results_import(request, script_id: int, number: int, payload: ResultsIn):
    version = _version_of(request, script_id, number)
    return handoff.results_import(
        actor=actor_of(request), version=version, content=payload.content, kind=payload.format
    ).as_dict()


class SurveyOut(Schema):
    id: int
    script: str
    version: int
    channel: str
    state: str
    number: str
    org: str
    queue: str
    agent: str
    order_kind: str
    subject: str
    answers: dict[str, Any]
    satisfaction: int | None
    created_at: datetime
    answered_at: datetime | None


def _survey(s: Survey) -> dict:
    return {
        "id": s.pk,
        "script": s.version.script.code,
        "version": s.version.number,
        "channel": s.channel,
        "state": s.state,
        "number": s.number,
        "org": s.org.code,
        "queue": s.queue,
        "agent": s.agent.employee_no if s.agent else "",
        "order_kind": s.order_kind,
        "subject": s.subject,
        "answers": s.answers,
        "satisfaction": s.satisfaction,
        "created_at": s.created_at,
        "answered_at": s.answered_at,
    }


class SurveyFiltersIn(Schema):
    script: int | None = Field(None, ge=1, le=2**62)
    state: str = Field("", max_length=12)
    channel: str = Field("", max_length=12)
    number: str = Field("", max_length=32)


@router.get("/surveys", response=list[SurveyOut], summary="Surveys, newest first")
@requires("surveys.survey.view")
@paginate(Pagination)
def survey_list(request, filters: Query[SurveyFiltersIn]):
    f = selectors.SurveyFilters(
        script_id=filters.script, state=filters.state, channel=filters.channel, number=filters.number
    )
    return [_survey(s) for s in selectors.survey_list(actor=actor_of(request), filters=f)[:1000]]


@router.get("/surveys/{survey_id}", response=SurveyOut, summary="One survey with its answers")
@requires("surveys.survey.view")
def survey_detail(request, survey_id: int):
    return _survey(selectors.survey_get(actor=actor_of(request), survey_id=survey_id))


class AnswersIn(InputSchema):
    answers: dict[str, Answer] = Field(..., max_length=100)


@router.post(
    "/surveys/{survey_id}/answers",
    response=SurveyOut,
    summary="Record answers given to an agent (e.g. on an outbound survey call)",
)
@requires("surveys.survey.send")
def survey_answer(request, survey_id: int, payload: AnswersIn):
    actor = actor_of(request)
    s = selectors.survey_get(actor=actor, survey_id=survey_id)
    return _survey(surveys.survey_answer(actor=actor, survey=s, answers=dict(payload.answers)))


class GroupOut(Schema):
    key: str
    label: str
    total: int
    satisfied: int
    rate: float | None
    counts: dict[str, int] = Field(..., description="Answers per level, 5 (very satisfied) … 1")


class SatisfactionFiltersIn(Schema):
    start: DateTime | None = None
    end: DateTime | None = None
    group_by: Literal["all", "day", "month", "org", "queue", "team", "agent", "kind"] = "all"
    source: Literal["all", "orders", "surveys"] = "all"


def period_of(start, end) -> tuple[datetime, datetime]:
    from datetime import timedelta

    end = end or clock.now()
    start = start or end - timedelta(days=30)
    if start >= end:
        raise ValidationFailed(
            _("The start must be before the end."),
            code="invalid_period",
            details={"start": _("The start must be before the end.")},
        )
    if end - start > timedelta(days=3660):
        raise ValidationFailed(_("At most ten years at a time."), code="invalid_period")
    return start, end


@router.get(
    "/satisfaction",
    response=list[GroupOut],
    summary="Satisfaction rate and distribution (work-order replies and surveys), grouped",
)
@requires("surveys.stats.view")
def satisfaction(request, filters: Query[SatisfactionFiltersIn]):
    start, end = period_of(filters.start, filters.end)
    sources = stats.SOURCES if filters.source == "all" else (filters.source,)
    return [
        g.as_dict()
        for g in stats.satisfaction_counts(
            actor=actor_of(request), start=start, end=end, group_by=filters.group_by, sources=sources
        )
    ]


class RuleOut(Schema):
    id: int
    name: str
    script: str
    org: str
    source: str
    queue: str
    percent: str
    channel: str
    exclude_days: int
    active: bool


class RuleIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    script: int = Field(..., ge=1, le=2**62, description="Id of the survey script")
    source: Literal["inbound_calls", "closed_complaints"]
    percent: StrictStr | StrictInt = Field(..., description='Share to ask, e.g. "5" or "2.5" (per cent)')
    queue: str = Field("", max_length=32)
    channel: Literal["sms", "call", "third_party", "web"] = "sms"
    exclude_days: int = Field(30, ge=0, le=365)


class RuleActiveIn(InputSchema):
    active: StrictBool


class DrawIn(InputSchema):
    day: Date
    seed: str = Field("", max_length=64, description="Empty: derived from the rule and the day")


class DrawOut(Schema):
    day: date
    seed: str
    considered: int
    drawn: int


def _rule(r) -> dict:
    return {
        "id": r.pk,
        "name": r.name,
        "script": r.script.code,
        "org": r.org.code,
        "source": r.source,
        "queue": r.queue,
        "percent": str(r.percent),
        "channel": r.channel,
        "exclude_days": r.exclude_days,
        "active": r.active,
    }


@router.get("/rules", response=list[RuleOut], summary="Sampling rules")
@requires("surveys.script.view")
def rule_list(request):
    return [_rule(r) for r in selectors.rule_list(actor=actor_of(request))[:500]]


@router.post("/rules", response={201: RuleOut}, summary="A sampling rule: who is asked a script each day")
@requires("surveys.survey.send")
def rule_create(request, payload: RuleIn):
    actor = actor_of(request)
    try:
        script = selectors.script_get(actor=actor, script_id=payload.script)
    except NotFound:
        raise ValidationFailed(
            _("Survey script not found."),
            code="script_not_found",
            details={"script": _("Survey script not found.")},
        ) from None
    return 201, _rule(
        sampling.rule_create(
            actor=actor,
            script=script,
            data=sampling.RuleData(
                name=payload.name,
                script_id=script.pk,
                source=payload.source,
                percent=str(payload.percent),
                queue=payload.queue,
                channel=payload.channel,
                exclude_days=payload.exclude_days,
            ),
        )
    )


@router.put("/rules/{rule_id}/active", response=RuleOut, summary="Switch a sampling rule on or off")
@requires("surveys.survey.send")
def rule_active(request, rule_id: int, payload: RuleActiveIn):
    actor = actor_of(request)
    rule = selectors.rule_get(actor=actor, rule_id=rule_id)
    return _rule(sampling.rule_set_active(actor=actor, rule=rule, active=payload.active))


@router.post(
    "/rules/{rule_id}/draws",
    response={201: DrawOut, 200: DrawOut},
    summary="Draw a day's sample now (once per rule and day: 200 with the earlier draw)",
)
@requires("surveys.survey.send")
def rule_draw(request, rule_id: int, payload: DrawIn):
    rule = selectors.rule_get(actor=actor_of(request), rule_id=rule_id)
    existed = rule.draws.filter(day=payload.day).exists()
    d = sampling.sample_draw(rule=rule, day=payload.day, seed=payload.seed or None)
    return (200 if existed else 201), {
        "day": d.day,
        "seed": d.seed,
        "considered": d.considered,
        "drawn": d.drawn,
    }
