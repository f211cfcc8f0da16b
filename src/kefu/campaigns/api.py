"""Campaigns API: campaigns (create with an ``Idempotency-Key``, edit, start, pause, stop), target imports
with progress and error report, targets and their attempts, the dashboard's figures, the results export,
and the do-not-call list. Campaigns outside the caller's organisations answer 404."""

import csv
import io
from datetime import datetime, time
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from kefu.core.access import actor_of, requires
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.pagination import Pagination
from kefu.core.schemas import InputSchema

from . import selectors
from .models import Campaign, Target, TargetImport
from .services import campaigns as svc
from .services import dnc
from .services.imports import import_query_request, import_request

router = Router(tags=["campaigns"])
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
VIEW, EDIT, RUN, RESULTS = ("campaigns.campaign.view", "campaigns.campaign.edit", "campaigns.campaign.run",
                            "campaigns.result.view")
EXPORT_COLUMNS = ["number", "name", "customer", "state", "outcome", "attempts", "agent", "done_at", "excluded",
                  "notes"]


class StepIn(InputSchema):
    text: str = Field("", max_length=1000)
    question: str = Field("", max_length=300)


class CampaignIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: Literal["care", "callback", "retention", "promotion", "survey"]
    queue_id: StrictInt
    org_id: StrictInt | None = None
    description: str = Field("", max_length=2000)
    script: list[StepIn] = Field(default_factory=list, max_length=30)
    outcomes: list[Literal["reached", "success", "refused", "callback_later"]] = Field(
        default_factory=lambda: ["reached", "success", "refused", "callback_later"], max_length=4)
    pacing: StrictInt = Field(5, ge=1, le=500, description="Targets in flight at once at most")
    dial_mode: Literal["preview", "progressive"] = Field(
        "preview", description="preview: the agent accepts, then Kefu dials; progressive: dialled on the offer")
    max_attempts: StrictInt = Field(3, ge=1, le=10)
    retry_minutes: StrictInt = Field(60, ge=1, le=10080)
    recent_days: StrictInt = Field(30, ge=0, le=365, description="Skip numbers a campaign called in these days")
    hours_start: str = Field("09:00", pattern=HHMM, description="Calling hours from (HH:MM, the center's time)")
    hours_end: str = Field("21:00", pattern=HHMM, description="… until (HH:MM; before the start: across midnight)")
    auto_closed_complaints: StrictBool = False
    sample_percent: StrictInt = Field(100, ge=0, le=100)

    def data(self) -> svc.CampaignData:
        values = self.dict()
        values.pop("version", None)
        for key in ("hours_start", "hours_end"):
            values[key] = time.fromisoformat(values[key])
        return svc.CampaignData(**values)


class CampaignUpdateIn(CampaignIn):
    version: StrictInt | None = None


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    state: str
    description: str
    org_id: int
    queue_id: int
    script: list[dict]
    outcomes: list[str]
    pacing: int
    dial_mode: str
    max_attempts: int
    retry_minutes: int
    recent_days: int
    hours_start: str = Field(description="HH:MM")
    hours_end: str = Field(description="HH:MM")
    auto_closed_complaints: bool
    sample_percent: int
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    version: int

    @staticmethod
    def resolve_hours_start(obj: Campaign) -> str:
        return obj.hours_start.strftime("%H:%M")

    @staticmethod
    def resolve_hours_end(obj: Campaign) -> str:
        return obj.hours_end.strftime("%H:%M")


class ImportOut(Schema):
    id: int
    campaign_id: int
    source: str
    filename: str
    state: str = Field(description="queued, running, done or failed")
    total: int
    done: int
    percent: int
    accepted: int
    known: int
    rejected: int
    excluded: int
    error: str
    report_url: str | None = None
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_report_url(obj: TargetImport) -> str | None:
        return f"/api/campaigns/imports/{obj.pk}/report" if obj.report else None


class QueryImportIn(InputSchema):
    q: str = Field("", max_length=64)
    name: str = Field("", max_length=64)
    tier: str = Field("", max_length=16)
    brand: str = Field("", max_length=16)
    org_id: StrictInt | None = None


class TargetOut(Schema):
    id: int
    number: str
    name: str
    note: str
    customer_id: int | None
    state: str
    excluded_reason: str
    outcome: str
    attempts: int
    next_attempt_at: datetime | None
    agent_id: int | None
    notes: str
    done_at: datetime | None


class CampaignAttemptOut(Schema):
    seq: int
    contact_id: int
    agent_id: int | None
    dial_outcome: str
    outcome: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None


class TargetDetailOut(TargetOut):
    attempt_log: list[CampaignAttemptOut]


class TargetQuery(Schema):
    state: Literal["", "pending", "active", "retry", "done", "excluded", "cancelled"] = ""
    outcome: Literal["", "reached", "success", "refused", "callback_later", "no_answer", "busy",
                     "invalid_number"] = ""
    number: str = Field("", max_length=20)


class RateRow(Schema):
    key: str | int
    label: str
    attempts: int
    reached: int
    success: int
    reach_rate: float | None
    success_rate: float | None


class DashboardOut(Schema):
    campaign: dict
    total: int
    callable: int
    done: int
    attempted: int
    reached: int
    success: int
    progress: float
    reach_rate: float | None
    success_rate: float | None
    by_state: dict[str, int]
    by_outcome: dict[str, int]
    by_outcome_labels: dict[str, str]
    by_agent: list[RateRow]
    by_day: list[RateRow]


class DncIn(InputSchema):
    number: str = Field(..., min_length=1, max_length=32)
    reason: str = Field("", max_length=200)


class DncOut(Schema):
    id: int
    number: str
    reason: str
    created_at: datetime


class DncImportOut(Schema):
    added: int
    already: int
    invalid: int
    invalid_rows: list[int]


def _campaign(request, campaign_id) -> Campaign:
    return selectors.campaign_get(actor=actor_of(request), campaign_id=campaign_id)


@router.get("/campaigns", response=list[CampaignOut], summary="Campaigns of my organisations, newest first")
@requires(VIEW)
@paginate(Pagination)
def campaign_list(request, state: Literal["", "draft", "running", "paused", "stopped", "finished"] = "",
                  kind: Literal["", "care", "callback", "retention", "promotion", "survey"] = ""):
    return selectors.campaign_list(actor=actor_of(request), state=state, kind=kind)


@router.post("/campaigns", response={200: CampaignOut, 201: CampaignOut},
             summary="Create a campaign (201; 200 with the first one for the same Idempotency-Key and body)")
@requires(EDIT)
def campaign_create(request, payload: CampaignIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    campaign, created = svc.campaign_create(actor=actor_of(request), data=payload.data(),
                                            idempotency_key=idempotency_key)
    return (201 if created else 200), campaign


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="One campaign")
@requires(VIEW)
def campaign_get(request, campaign_id: int):
    return _campaign(request, campaign_id)


@router.put("/campaigns/{campaign_id}", response=CampaignOut, summary="Edit a draft or paused campaign")
@requires(EDIT)
def campaign_update(request, campaign_id: int, payload: CampaignUpdateIn):
    campaign = _campaign(request, campaign_id)
    return svc.campaign_update(actor=actor_of(request), campaign=campaign, data=payload.data(),
                               version=payload.version)


@router.post("/campaigns/{campaign_id}/start", response=CampaignOut, summary="Start (or resume) calling")
@requires(RUN)
def campaign_start(request, campaign_id: int):
    return svc.campaign_start(actor=actor_of(request), campaign=_campaign(request, campaign_id))


@router.post("/campaigns/{campaign_id}/pause", response=CampaignOut, summary="Pause: no new call is placed")
@requires(RUN)
def campaign_pause(request, campaign_id: int):
    return svc.campaign_pause(actor=actor_of(request), campaign=_campaign(request, campaign_id))


@router.post("/campaigns/{campaign_id}/stop", response=CampaignOut, summary="Stop for good")
@requires(RUN)
def campaign_stop(request, campaign_id: int):
    return svc.campaign_stop(actor=actor_of(request), campaign=_campaign(request, campaign_id))


@router.post("/campaigns/{campaign_id}/imports", response={202: ImportOut},
             summary="Import targets from a CSV or XLSX file (columns: number, name, note), in the background")
@requires(EDIT)
def import_file(request, campaign_id: int, file: File[UploadedFile]):
    return 202, import_request(actor=actor_of(request), campaign=_campaign(request, campaign_id), upload=file)


@router.post("/campaigns/{campaign_id}/imports/query", response={202: ImportOut},
             summary="Import the customers of a customer query (their first open line), in the background")
@requires(EDIT, "crm.customer.view")
def import_query(request, campaign_id: int, payload: QueryImportIn):
    return 202, import_query_request(actor=actor_of(request), campaign=_campaign(request, campaign_id),
                                     filters=payload.dict())


@router.get("/imports/{import_id}", response=ImportOut, summary="An import's progress and counts")
@requires(VIEW)
def import_get(request, import_id: int):
    return selectors.import_get(actor=actor_of(request), import_id=import_id)


@router.get("/imports/{import_id}/report", response={200: None}, summary="The rejected and excluded rows (CSV)")
@requires(VIEW)
def import_report(request, import_id: int):
    imp = selectors.import_get(actor=actor_of(request), import_id=import_id)
    if not imp.report:
        raise NotFound(_("This import has no report: every row was accepted."), code="no_report")
    imp.report.open("rb")
    try:
        content = imp.report.read()
    finally:
        imp.report.close()
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{imp.pk}-report.csv"'
    return response


@router.get("/campaigns/{campaign_id}/targets", response=list[TargetOut], summary="A campaign's targets")
@requires(VIEW)
@paginate(Pagination)
def target_list(request, campaign_id: int, filters: Query[TargetQuery]):
    return selectors.target_list(actor=actor_of(request), campaign=_campaign(request, campaign_id),
                                 **filters.dict())


@router.get("/campaigns/{campaign_id}/targets/{target_id}", response=TargetDetailOut,
            summary="One target with its attempts (outcomes)")
@requires(VIEW)
def target_get(request, campaign_id: int, target_id: int):
    target: Target = selectors.target_get(actor=actor_of(request), campaign=_campaign(request, campaign_id),
                                          target_id=target_id)
    target.attempt_log = list(selectors.target_attempts(target))  # type: ignore[attr-defined]
    return target


@router.get("/campaigns/{campaign_id}/dashboard", response=DashboardOut,
            summary="Progress, reach and success rates, by agent and by day")
@requires(VIEW, RESULTS)
def dashboard(request, campaign_id: int):
    return selectors.campaign_dashboard(actor=actor_of(request), campaign=_campaign(request, campaign_id))


def results_csv(actor, campaign: Campaign) -> HttpResponse:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(selectors.results_rows(actor=actor, campaign=campaign))
    response = HttpResponse(("\ufeff" + buf.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-results.csv"'
    return response


@router.get("/campaigns/{campaign_id}/results.csv", response={200: None}, summary="Results per target (CSV)")
@requires(VIEW, RESULTS)
def results_export(request, campaign_id: int):
    return results_csv(actor_of(request), _campaign(request, campaign_id))


@router.get("/dnc", response=list[DncOut], summary="The do-not-call list")
@requires("campaigns.dnc.view")
@paginate(Pagination)
def dnc_list(request, search: str = Query("", max_length=20)):
    return selectors.dnc_list(search=search)


@router.post("/dnc", response={201: DncOut}, summary="Add a number to the do-not-call list")
@requires("campaigns.dnc.edit")
def dnc_add(request, payload: DncIn):
    return 201, dnc.dnc_add(actor=actor_of(request), number=payload.number, reason=payload.reason)


@router.post("/dnc/import", response=DncImportOut, summary="Import numbers (CSV: number[, reason])")
@requires("campaigns.dnc.edit")
def dnc_import(request, file: File[UploadedFile]):
    if file.size > 20 * 1024 * 1024:
        raise ValidationFailed(_("The file is larger than 20 MB."), code="file_too_large")
    return dnc.dnc_import(actor=actor_of(request), content=file.read())


@router.delete("/dnc/{entry_id}", response={204: None}, summary="Remove a number from the do-not-call list")
@requires("campaigns.dnc.edit")
def dnc_remove(request, entry_id: int):
    dnc.dnc_remove(actor=actor_of(request), entry_id=entry_id)
    return 204, None
