"""Information publishing API: BOSS's signed requests, and staff's reading, retrying and administration.

``POST /boss/requests`` authenticates by signature, not login (docs/notices.md): ``X-Kefu-Key`` names the
external system, ``X-Kefu-Timestamp`` and ``X-Kefu-Signature`` (HMAC-SHA256 of "<timestamp>." + body under
the system's secret) prove it. An unknown key is a 401, a wrong or stale signature a 403, both before the
body is read. A new request answers 202, the same request id again 200 with the first request, a used id
with other content 409.
"""

import json
from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictBool, StrictFloat, StrictInt, StrictStr
from pydantic import ValidationError as PydanticError

from kefu.core.access import actor_of, public, requires
from kefu.core.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from kefu.core.pagination import Pagination
from kefu.core.schemas import DateTime, InputSchema
from kefu.orgs.selectors import org_find

from . import selectors
from .models import ExternalSystem, NoticeCallback, NoticeRecipient, NoticeRequest
from .services import callbacks, subscriptions, systems
from .services.requests import MAX_LISTED, RequestData, notice_request_receive
from .signing import KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

router = Router(tags=["notices"])

Variable = StrictStr | StrictInt | StrictFloat | StrictBool
Variables = dict[Annotated[str, Field(max_length=64)], Variable]


class NoticeRecipientIn(InputSchema):
    number: str = Field(..., max_length=254)
    variables: Variables = Field(default_factory=dict, max_length=20)


class NoticeRuleIn(InputSchema):
    org: str = Field("", max_length=32, description="Organisation code: its customers and its subtree's")
    min_arrears: StrictInt | StrictFloat | Annotated[str, Field(max_length=16)] | None = Field(
        None, description="Arrears above this many yuan")
    brands: list[Annotated[str, Field(max_length=16)]] = Field(default_factory=list, max_length=10)
    tiers: list[Annotated[str, Field(max_length=16)]] = Field(default_factory=list, max_length=10)


class NoticeIn(InputSchema):
    request_id: str = Field(..., min_length=1, max_length=64)
    kind: str = Field(..., max_length=12)
    outlet: str = Field("sms", max_length=32)
    template: str = Field("", max_length=48, description="A template code of the outlet, or give `text`")
    text: str = Field("", max_length=4000)
    subject: str = Field("", max_length=200)
    variables: Variables = Field(default_factory=dict, max_length=50)
    recipients: list[NoticeRecipientIn] = Field(default_factory=list, max_length=MAX_LISTED)
    rule: NoticeRuleIn | None = None
    window_start: DateTime | None = None
    window_end: DateTime | None = None
    priority: int = Field(5, ge=1, le=9)


class NoticeTotalsOut(Schema):
    total: int
    pending: int
    delivered: int
    sent: int
    failed: int
    unsubscribed: int
    opted_out: int
    invalid: int


class NoticeRequestOut(Schema):
    id: int
    system: str
    request_id: str
    kind: str
    outlet: str
    template: str
    state: str
    priority: int
    window_start: datetime | None
    window_end: datetime | None
    expired: bool
    totals: NoticeTotalsOut
    created_at: datetime
    published_at: datetime | None
    finished_at: datetime | None


def _req(r: NoticeRequest) -> dict:
    return {"id": r.pk, "system": r.system.code, "request_id": r.request_id, "kind": r.kind, "outlet": r.outlet,
            "template": r.template, "state": r.state, "priority": r.priority, "window_start": r.window_start,
            "window_end": r.window_end, "expired": r.expired, "totals": callbacks.request_totals(r),
            "created_at": r.created_at, "published_at": r.published_at, "finished_at": r.finished_at}


def _signed_system(request) -> ExternalSystem:
    key = request.headers.get(KEY_HEADER, "")
    if not key:
        raise NotAuthenticated(_("The request is not signed (X-Kefu-Key missing)."), code="unsigned")
    system = selectors.system_by_key(key)
    if not verify(systems.system_secret(system), request.headers.get(TIMESTAMP_HEADER, ""), request.body,
                  request.headers.get(SIGNATURE_HEADER, "")):
        raise PermissionDenied(_("The signature is missing, wrong or too old."), code="bad_signature")
    return system


@router.post("/boss/requests", auth=None, response={200: NoticeRequestOut, 202: NoticeRequestOut},
             summary="Publishing request from an external system (signed; 202 new, 200 the same request id)")
@public("signed with the external system's secret")
def boss_request(request):
    system = _signed_system(request)
    try:
        payload = NoticeIn.model_validate(json.loads(request.body or b"null"))
    except (ValueError, PydanticError) as exc:
        details = [{"field": ".".join(str(p) for p in e.get("loc", [])) or None, "message": e.get("msg", "")}
                   for e in exc.errors()] if isinstance(exc, PydanticError) else None
        raise ValidationFailed(_("The request body is not valid."), code="invalid", details=details) from None
    rule = payload.rule.model_dump(exclude_defaults=True) if payload.rule else {}
    if "min_arrears" in rule:
        rule["min_arrears"] = str(rule["min_arrears"])
    received = notice_request_receive(system=system, data=RequestData(
        request_id=payload.request_id, kind=payload.kind, outlet=payload.outlet, template=payload.template,
        body=payload.text, subject=payload.subject, variables=dict(payload.variables),
        recipients=[r.model_dump() for r in payload.recipients], rule=rule, window_start=payload.window_start,
        window_end=payload.window_end, priority=payload.priority))
    return (202 if received.created else 200), _req(received.request)


class NoticeRequestFiltersIn(Schema):
    state: str = Field("", max_length=12)
    kind: str = Field("", max_length=12)
    system: str = Field("", max_length=32)
    problems: bool = False


@router.get("/requests", response=list[NoticeRequestOut], summary="Publishing requests, newest first")
@requires("notices.request.view")
@paginate(Pagination)
def request_list(request, filters: Query[NoticeRequestFiltersIn]):
    qs = selectors.request_list(actor=actor_of(request), filters=selectors.RequestFilters(**filters.dict()))
    return [_req(r) for r in qs[:1000]]


@router.get("/requests/{request_pk}", response=NoticeRequestOut, summary="One publishing request with its totals")
@requires("notices.request.view")
def request_detail(request, request_pk: int):
    return _req(selectors.request_get(actor=actor_of(request), request_pk=request_pk))


class NoticeRecipientOut(Schema):
    number: str
    status: str
    reason: str
    message_id: int | None
    callback: str | None


def _recipient(r: NoticeRecipient) -> dict:
    return {"number": r.number, "status": r.status, "reason": r.reason, "message_id": r.message_id,
            "callback": r.callback.delivery_id if r.callback_id else None}


@router.get("/requests/{request_pk}/recipients", response=list[NoticeRecipientOut],
            summary="Each recipient's result (filter by status or number)")
@requires("notices.request.view")
@paginate(Pagination)
def request_recipients(request, request_pk: int, status: str = Query("", max_length=12),
                       number: str = Query("", max_length=254)):
    req = selectors.request_get(actor=actor_of(request), request_pk=request_pk)
    return [_recipient(r) for r in selectors.request_recipients(req, status=status, number=number)
            .select_related("callback")]


class CallbackAttemptOut(Schema):
    number: int
    at: datetime
    ok: bool
    http_status: int | None
    error: str
    duration_ms: int
    manual: bool


class NoticeCallbackOut(Schema):
    id: int
    delivery_id: str
    seq: int
    final: bool
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    attempt_log: list[CallbackAttemptOut]


def _callback(cb: NoticeCallback) -> dict:
    return {"id": cb.pk, "delivery_id": cb.delivery_id, "seq": cb.seq, "final": cb.final, "state": cb.state,
            "attempts": cb.attempts, "next_attempt_at": cb.next_attempt_at, "last_status": cb.last_status,
            "last_error": cb.last_error, "created_at": cb.created_at, "delivered_at": cb.delivered_at,
            "attempt_log": list(cb.attempt_rows.all())}


@router.get("/requests/{request_pk}/callbacks", response=list[NoticeCallbackOut],
            summary="Callbacks of a request and their attempts")
@requires("notices.request.view")
@paginate(Pagination)
def request_callbacks(request, request_pk: int):
    req = selectors.request_get(actor=actor_of(request), request_pk=request_pk)
    return [_callback(cb) for cb in selectors.request_callbacks(req)]


@router.post("/callbacks/{callback_id}/retry", response=NoticeCallbackOut,
             summary="Retry a failed or waiting callback now (a new budget of attempts)")
@requires("notices.request.retry")
def callback_retry(request, callback_id: int):
    actor = actor_of(request)
    cb = selectors.callback_get(actor=actor, callback_id=callback_id)
    return _callback(callbacks.callback_retry(actor=actor, callback_id=cb.pk))


# --- external systems ---------------------------------------------------------------------------------


class ExternalSystemOut(Schema):
    id: int
    code: str
    name: str
    key_id: str
    callback_url: str
    org: str
    active: bool
    version: int


class ExternalSystemIssuedOut(ExternalSystemOut):
    secret: str = Field(..., description="Shown this once; Kefu keeps it sealed")


class ExternalSystemIn(InputSchema):
    code: str = Field(..., min_length=1, max_length=32, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=100)
    callback_url: str = Field("", max_length=300)
    org: str = Field(..., max_length=32, description="Organisation code")
    active: StrictBool = True


class ExternalSystemUpdateIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    callback_url: str = Field("", max_length=300)
    active: StrictBool = True
    version: int | None = None


def _system(s: ExternalSystem) -> dict:
    return {"id": s.pk, "code": s.code, "name": s.name, "key_id": s.key_id, "callback_url": s.callback_url,
            "org": s.org.code, "active": s.active, "version": s.version}


@router.get("/systems", response=list[ExternalSystemOut], summary="External systems")
@requires("notices.system.view")
def system_list(request):
    return [_system(s) for s in selectors.system_list()]


@router.post("/systems", response={201: ExternalSystemIssuedOut}, summary="Register an external system (its secret shown once)")
@requires("notices.system.edit")
def system_create(request, payload: ExternalSystemIn):
    org = org_find(code=payload.org, actor=actor_of(request), active_only=True)
    if org is None:
        raise ValidationFailed(_("Unknown organisation %(code)s.") % {"code": payload.org}, code="unknown_org",
                               details={"org": _("Unknown organisation.")})
    issued = systems.system_create(actor=actor_of(request), data=systems.SystemData(
        code=payload.code, name=payload.name, callback_url=payload.callback_url, org_id=org.pk, active=payload.active))
    return 201, {**_system(issued.system), "secret": issued.secret}


@router.put("/systems/{system_id}", response=ExternalSystemOut, summary="Change an external system (409 when stale)")
@requires("notices.system.edit")
def system_update(request, system_id: int, payload: ExternalSystemUpdateIn):
    selectors.system_get(system_id=system_id)
    return _system(systems.system_update(actor=actor_of(request), system_id=system_id, name=payload.name,
                                         callback_url=payload.callback_url, active=payload.active,
                                         version=payload.version))


@router.post("/systems/{system_id}/rotate", response=ExternalSystemIssuedOut, summary="Issue a new secret (shown once)")
@requires("notices.system.edit")
def system_rotate(request, system_id: int):
    selectors.system_get(system_id=system_id)
    issued = systems.system_rotate_secret(actor=actor_of(request), system_id=system_id)
    return {**_system(issued.system), "secret": issued.secret}


# --- subscriptions ------------------------------------------------------------------------------------


class NoticeKindOut(Schema):
    kind: str
    label: str
    subscribed: bool


class NoticeSubscriptionsOut(Schema):
    number: str
    customer_id: int | None
    kinds: list[NoticeKindOut]


class NoticeSubscriptionIn(InputSchema):
    kind: str = Field(..., max_length=12)
    subscribed: StrictBool


def _subs(actor, number: str) -> dict:
    found = selectors.subscriptions_of(actor=actor, number=number)
    return {"number": found.number, "customer_id": found.customer_id,
            "kinds": [{"kind": k, "label": label, "subscribed": on} for k, label, on in found.kinds]}


@router.get("/subscriptions/{number}", response=NoticeSubscriptionsOut, summary="A number's notice subscriptions")
@requires("notices.subscription.view")
def subscription_get(request, number: str):
    return _subs(actor_of(request), number[:32])


@router.put("/subscriptions/{number}", response=NoticeSubscriptionsOut,
            summary="Subscribe a number to a kind of notice, or unsubscribe it")
@requires("notices.subscription.edit")
def subscription_put(request, number: str, payload: NoticeSubscriptionIn):
    actor = actor_of(request)
    found = selectors.subscriptions_of(actor=actor, number=number[:32])  # out of scope: not found
    subscriptions.subscription_set(actor=actor, number=found.number, kind=payload.kind, subscribed=payload.subscribed,
                                   source="api", customer_id=found.customer_id)
    return _subs(actor, found.number)
