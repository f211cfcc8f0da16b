"""Outlets API: send and read messages, templates, opt-outs, outlet settings, and the gateways' webhooks.

``POST /messages`` needs an ``Idempotency-Key`` header: the same key again
answers 200 with the first message (201 when it was created now), a key used
for another message 409. The gateway webhooks authenticate by signature
(``X-Kefu-Timestamp``, ``X-Kefu-Signature``, see docs/outlets.md); a wrong or
missing one is a 403 before the body is read.
"""

import json
from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictBool, StrictFloat, StrictInt, StrictStr
from pydantic import ValidationError as PydanticError

from kefu.core.access import actor_of, public, requires
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.pagination import Pagination
from kefu.core.schemas import DateTime, InputSchema
from kefu.crm.selectors import customer_get

from . import selectors
from .gateways.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from .models import Message, OptOut, Outlet, Template
from .services import config, optouts
from .services.inbound import sms_inbound_receive, sms_report_apply
from .services.messages import send_message
from .services.rendering import template_render
from .services.replies import contact_reply_send

router = Router(tags=["outlets"])

Variable = StrictStr | StrictInt | StrictFloat | StrictBool


class SendIn(InputSchema):
    outlet: str = Field(..., max_length=32)
    recipient: str = Field("", max_length=254)
    purpose: str = Field(..., max_length=12)
    template: str = Field("", max_length=48, description="A template code of the outlet, or give `body`")
    body: str = Field("", max_length=4000)
    subject: str = Field("", max_length=200)
    variables: dict[Annotated[str, Field(max_length=64)], Variable] = Field(default_factory=dict, max_length=50)
    customer_id: int | None = None


class AttemptOut(Schema):
    number: int
    at: datetime
    ok: bool
    permanent: bool
    error: str
    gateway_ref: str
    duration_ms: int


class MessageOut(Schema):
    id: int
    outlet: str
    recipient: str
    customer_id: int | None
    contact_id: int | None
    purpose: str
    template: str
    subject: str
    body: str
    status: str
    status_reason: str
    attempts: int
    next_attempt_at: datetime | None
    gateway_ref: str
    encoding: str
    segments: int
    idempotency_key: str
    source: str
    created_at: datetime
    sent_at: datetime | None
    finished_at: datetime | None


class MessageDetailOut(MessageOut):
    attempt_log: list[AttemptOut]


class MessageFilters(Schema):
    status: str = Field("", max_length=12)
    outlet: str = Field("", max_length=32)
    purpose: str = Field("", max_length=12)
    recipient: str = Field("", max_length=254)
    since: DateTime | None = None
    until: DateTime | None = None


def _msg(m: Message) -> dict:
    return {"id": m.pk, "outlet": m.outlet.code, "recipient": m.recipient, "customer_id": m.customer_id,
            "contact_id": m.contact_id, "purpose": m.purpose, "template": m.template_code, "subject": m.subject,
            "body": m.body, "status": m.status, "status_reason": m.status_reason, "attempts": m.attempts,
            "next_attempt_at": m.next_attempt_at, "gateway_ref": m.gateway_ref, "encoding": m.encoding,
            "segments": m.segments, "idempotency_key": m.idempotency_key, "source": m.source,
            "created_at": m.created_at, "sent_at": m.sent_at, "finished_at": m.finished_at}


@router.post("/messages", response={200: MessageOut, 201: MessageOut},
             summary="Send a message (201 created, 200 the same Idempotency-Key again)")
@requires("outlets.message.send")
def message_send(request, payload: SendIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    actor = actor_of(request)
    if payload.customer_id is not None:
        customer_get(actor=actor, customer_id=payload.customer_id)  # out of scope: not found
    if not idempotency_key.strip():
        raise ValidationFailed(_("The Idempotency-Key header is required."), code="idempotency_key_required")
    outcome = send_message(recipient=payload.recipient, outlet=payload.outlet, idempotency_key=idempotency_key,
                           purpose=payload.purpose, template=payload.template, body=payload.body,
                           subject=payload.subject, variables=payload.variables, customer_id=payload.customer_id,
                           org_id=actor.org_id, actor=actor, source="api")
    if not outcome.created:
        try:
            selectors.message_get(actor=actor, message_id=outcome.message.pk)
        except NotFound:
            raise Conflict(_("This idempotency key was used for another message."),
                           code="idempotency_key_reused") from None
    return (201 if outcome.created else 200), _msg(outcome.message)


@router.get("/messages", response=list[MessageOut], summary="The message log, newest first")
@requires("outlets.message.view")
@paginate(Pagination)
def message_list(request, filters: Query[MessageFilters]):
    f = selectors.MessageFilters(**filters.dict())
    return [_msg(m) for m in selectors.message_list(actor=actor_of(request), filters=f)[:10_000]]


@router.get("/messages/{message_id}", response=MessageDetailOut, summary="One message with its attempts")
@requires("outlets.message.view")
def message_get(request, message_id: int):
    m = selectors.message_get(actor=actor_of(request), message_id=message_id)
    return {**_msg(m), "attempt_log": list(selectors.message_attempts(m))}


class ReplyIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=1000)


class SmsLineOut(Schema):
    direction: str
    text: str
    at: datetime
    status: str
    status_label: str


@router.get("/contacts/{contact_id}/sms", response=list[SmsLineOut],
            summary="The SMS thread of a contact: what the customer wrote and the answers")
@requires("outlets.message.send")
def contact_sms(request, contact_id: int):
    return [asdict(line) for line in selectors.contact_sms_thread(actor=actor_of(request), contact_id=contact_id)]


@router.post("/contacts/{contact_id}/reply", response={200: MessageOut, 201: MessageOut},
             summary="Answer an SMS contact by SMS")
@requires("outlets.message.send")
def contact_reply(request, contact_id: int, payload: ReplyIn,
                  idempotency_key: str = Header("", alias="Idempotency-Key")):
    outcome = contact_reply_send(actor=actor_of(request), contact_id=contact_id, text=payload.text,
                                 idempotency_key=idempotency_key.strip())
    return (201 if outcome.created else 200), _msg(outcome.message)


# --- templates -------------------------------------------------------------------------------------------


class MessageTemplateIn(InputSchema):
    outlet: str = Field(..., max_length=32)
    code: str = Field(..., max_length=48)
    name: str = Field(..., max_length=64)
    subject: str = Field("", max_length=200)
    body: str = Field(..., max_length=4000)
    active: StrictBool = True


class MessageTemplateUpdateIn(InputSchema):
    code: str = Field(..., max_length=48)
    name: str = Field(..., max_length=64)
    subject: str = Field("", max_length=200)
    body: str = Field(..., max_length=4000)
    active: StrictBool = True
    version: int | None = None


class MessageTemplateOut(Schema):
    id: int
    outlet: str
    code: str
    name: str
    subject: str
    body: str
    active: bool
    version: int
    updated_at: datetime


class MessageTemplatePreviewIn(InputSchema):
    variables: dict[Annotated[str, Field(max_length=64)], Variable] = Field(default_factory=dict, max_length=50)


class MessageTemplatePreviewOut(Schema):
    subject: str
    body: str
    encoding: str
    segments: int


def _tmpl(t: Template) -> dict:
    return {"id": t.pk, "outlet": t.outlet.code, "code": t.code, "name": t.name, "subject": t.subject,
            "body": t.body, "active": t.active, "version": t.version, "updated_at": t.updated_at}


@router.get("/templates", response=list[MessageTemplateOut], summary="Message templates")
@requires("outlets.template.view")
def template_list(request, outlet: str = ""):
    return [_tmpl(t) for t in selectors.template_list(outlet=outlet[:32])]


@router.post("/templates", response={201: MessageTemplateOut}, summary="Create a template")
@requires("outlets.template.edit")
def template_create(request, payload: MessageTemplateIn):
    outlet = selectors.outlet_get(code=payload.outlet)
    t = config.template_create(actor=actor_of(request), outlet=outlet, data=config.TemplateData(
        code=payload.code, name=payload.name, subject=payload.subject, body=payload.body, active=payload.active))
    return 201, _tmpl(t)


@router.get("/templates/{template_id}", response=MessageTemplateOut, summary="One template")
@requires("outlets.template.view")
def template_get(request, template_id: int):
    return _tmpl(selectors.template_get(template_id=template_id))


@router.put("/templates/{template_id}", response=MessageTemplateOut, summary="Change a template (409 when stale)")
@requires("outlets.template.edit")
def template_update(request, template_id: int, payload: MessageTemplateUpdateIn):
    t = config.template_update(actor=actor_of(request), template_id=template_id, version=payload.version,
                               data=config.TemplateData(code=payload.code, name=payload.name,
                                                        subject=payload.subject, body=payload.body,
                                                        active=payload.active))
    return _tmpl(t)


@router.delete("/templates/{template_id}", response={204: None}, summary="Delete a template")
@requires("outlets.template.edit")
def template_delete(request, template_id: int):
    config.template_delete(actor=actor_of(request), template_id=template_id)
    return 204, None


@router.post("/templates/{template_id}/preview", response=MessageTemplatePreviewOut, summary="Render a template with variables")
@requires("outlets.template.view")
def template_preview(request, template_id: int, payload: MessageTemplatePreviewIn):
    from . import smsparts

    t = selectors.template_get(template_id=template_id)
    body = template_render(t.body, payload.variables)
    encoding, segments = smsparts.count(body)
    return {"subject": template_render(t.subject, payload.variables) if t.subject else "", "body": body,
            "encoding": encoding if t.outlet.kind == "sms" else "",
            "segments": segments if t.outlet.kind == "sms" else 0}


# --- opt-outs --------------------------------------------------------------------------------------------


class OptOutIn(InputSchema):
    address: str = Field("", max_length=254)
    customer_id: int | None = None
    outlet: str = Field("", max_length=32, description="Empty: every outlet")
    purpose: str = Field("", max_length=12, description="Empty: every purpose")
    reason: str = Field("", max_length=200)


class OptOutOut(Schema):
    id: int
    address: str
    customer_id: int | None
    outlet: str
    purpose: str
    reason: str
    source: str
    created_at: datetime
    revoked_at: datetime | None


def _opt(o: OptOut) -> dict:
    return {"id": o.pk, "address": o.address, "customer_id": o.customer_id,
            "outlet": o.outlet.code if o.outlet_id else "", "purpose": o.purpose, "reason": o.reason,
            "source": o.source, "created_at": o.created_at, "revoked_at": o.revoked_at}


@router.get("/opt-outs", response=list[OptOutOut], summary="Opt-outs in force (revoked=true: revoked ones)")
@requires("outlets.optout.view")
@paginate(Pagination)
def optout_list(request, revoked: bool = False, search: str = ""):
    return [_opt(o) for o in selectors.optout_list(active=not revoked, search=search[:64])[:10_000]]


@router.post("/opt-outs", response={201: OptOutOut}, summary="Record an opt-out")
@requires("outlets.optout.edit")
def optout_create(request, payload: OptOutIn):
    actor = actor_of(request)
    customer = customer_get(actor=actor, customer_id=payload.customer_id) if payload.customer_id else None
    outlet = selectors.outlet_get(code=payload.outlet) if payload.outlet else None
    row = optouts.optout_create(actor=actor, address=payload.address, customer=customer, outlet=outlet,
                                purpose=payload.purpose, reason=payload.reason, source="api")
    return 201, _opt(row)


@router.delete("/opt-outs/{optout_id}", response={204: None}, summary="Revoke an opt-out (kept as history)")
@requires("outlets.optout.edit")
def optout_revoke(request, optout_id: int):
    optouts.optout_revoke(actor=actor_of(request), optout_id=optout_id)
    return 204, None


# --- outlets ---------------------------------------------------------------------------------------------


class OutletOut(Schema):
    code: str
    name: str
    kind: str
    active: bool
    rate_per_second: float
    burst: int
    gateway: str
    gateway_url: str
    has_secret: bool
    sender: str
    version: int


class OutletIn(InputSchema):
    active: StrictBool
    rate_per_second: StrictFloat | StrictInt
    burst: StrictInt
    gateway: str = Field("", max_length=10)
    gateway_url: str = Field("", max_length=300)
    gateway_secret: str | None = Field(None, max_length=128, description="Omit to keep the secret")
    sender: str = Field("", max_length=128)
    version: int | None = None


def _outlet(o: Outlet) -> dict:
    return {"code": o.code, "name": o.name, "kind": o.kind, "active": o.active, "rate_per_second": o.rate_per_second,
            "burst": o.burst, "gateway": o.gateway, "gateway_url": o.gateway_url, "has_secret": bool(o.gateway_secret),
            "sender": o.sender, "version": o.version}


@router.get("/outlets", response=list[OutletOut], summary="Outlets with their rate limits")
@requires("outlets.outlet.view")
def outlet_list(request):
    return [_outlet(o) for o in selectors.outlet_list()]


@router.put("/outlets/{code}", response=OutletOut, summary="Change an outlet's settings (409 when stale)")
@requires("outlets.outlet.edit")
def outlet_update(request, code: str, payload: OutletIn):
    o = config.outlet_update(actor=actor_of(request), code=code, version=payload.version, settings=config.OutletSettings(
        active=payload.active, rate_per_second=float(payload.rate_per_second), burst=payload.burst,
        gateway=payload.gateway, gateway_url=payload.gateway_url, gateway_secret=payload.gateway_secret,
        sender=payload.sender))
    return _outlet(o)


class RecordedOut(Schema):
    gateway_ref: str
    client_ref: str
    recipient: str
    text: str
    encoding: str
    segments: list[dict]
    sent_at: datetime


@router.get("/recorded-sms", response=list[RecordedOut], summary="What the development SMS gateway recorded")
@requires("outlets.outlet.view")
def recorded(request, recipient: str = ""):
    return selectors.recorded_sms(recipient=recipient[:32])


# --- gateway webhooks ------------------------------------------------------------------------------------


class ReportIn(InputSchema):
    id: str = Field(..., min_length=1, max_length=100)
    ref: str = Field(..., min_length=1, max_length=100, description="The gateway's id of the message")
    status: str = Field(..., max_length=10, description="delivered or failed")
    error: str = Field("", max_length=300)


class ConcatIn(InputSchema):
    ref: StrictInt = Field(..., ge=0, le=65535)
    total: StrictInt = Field(..., ge=1, le=255)
    seq: StrictInt = Field(..., ge=1, le=255)


class InboundIn(InputSchema):
    id: str = Field(..., min_length=1, max_length=100)
    sender: str = Field(..., alias="from", max_length=32)
    to: str = Field("", max_length=32)
    text: str = Field(..., max_length=2000)
    udh: str = Field("", max_length=20, description="Concatenation header as hex, or give `concat`")
    concat: ConcatIn | None = None


class WebhookOut(Schema):
    duplicate: bool
    message_id: int | None = None
    contact_id: int | None = None
    opted_out: bool = False


def _signed(request, code: str, schema):
    outlet = selectors.outlet_get(code=code)
    if outlet.kind != "sms":
        raise NotFound(_("Unknown outlet %(code)s.") % {"code": code}, code="outlet_not_found")
    if not verify(outlet.gateway_secret, request.headers.get(TIMESTAMP_HEADER, ""), request.body,
                  request.headers.get(SIGNATURE_HEADER, "")):
        raise PermissionDenied(_("The signature is missing, wrong or too old."), code="bad_signature")
    try:
        return outlet, schema.model_validate(json.loads(request.body or b"null"))
    except (ValueError, PydanticError) as exc:
        details = [{"field": ".".join(str(p) for p in e.get("loc", [])) or None, "message": e.get("msg", "")}
                   for e in exc.errors()] if isinstance(exc, PydanticError) else None
        raise ValidationFailed(_("The request body is not valid."), code="invalid", details=details) from None


@router.post("/gateways/{code}/reports", auth=None, response=WebhookOut, summary="Delivery report (signed)")
@public("signed with the outlet's gateway secret")
def gateway_report(request, code: str):
    outlet, report = _signed(request, code, ReportIn)
    row, new = sms_report_apply(outlet=outlet, report_id=report.id, gateway_ref=report.ref, status=report.status,
                                error=report.error)
    return {"duplicate": not new, "message_id": row.message_id}


@router.post("/gateways/{code}/inbound", auth=None, response=WebhookOut, summary="Inbound SMS (signed)")
@public("signed with the outlet's gateway secret")
def gateway_inbound(request, code: str):
    outlet, sms = _signed(request, code, InboundIn)
    c = sms.concat
    result = sms_inbound_receive(outlet=outlet, gateway_id=sms.id, sender=sms.sender, recipient=sms.to,
                                 text=sms.text, udh=sms.udh, ref=c.ref if c else None, total=c.total if c else 1,
                                 seq=c.seq if c else 1)
    inbound = result.inbound
    return {"duplicate": result.duplicate, "contact_id": inbound.contact_id if inbound else None,
            "opted_out": bool(inbound and inbound.opt_out_id)}
