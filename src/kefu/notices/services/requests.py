"""Receiving a publishing request from an external system: validated whole, recorded once.

The request id is unique per system: the same request again returns the first one and changes nothing; a
different request under a used id is a ``Conflict``. Nothing is sent here: the fan-out job
(``fanout``) hands the recipients to the outlets.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core.errors import Conflict, KefuError, ValidationFailed
from kefu.orgs.selectors import org_find
from kefu.outlets.selectors import outlet_get, template_list
from kefu.outlets.services.recipients import number_normalize, recipient_normalize
from kefu.outlets.services.rendering import template_render

from ..kinds import NoticeKind
from ..models import ExternalSystem, NoticeRequest

#: Numbers a request may list; larger audiences are given as a rule.
MAX_LISTED = 10_000
RULE_FIELDS = {"org", "min_arrears", "brands", "tiers"}


@dataclass(frozen=True)
class RequestData:
    request_id: str
    kind: str
    outlet: str = "sms"
    template: str = ""
    body: str = ""
    subject: str = ""
    variables: dict = field(default_factory=dict)
    recipients: list[dict] = field(default_factory=list)  # [{"number": "...", "variables": {...}}]
    rule: dict = field(default_factory=dict)
    window_start: datetime | None = None
    window_end: datetime | None = None
    priority: int = 5


@dataclass(frozen=True)
class Received:
    request: NoticeRequest
    created: bool


def _fingerprint(data: RequestData) -> str:
    return hashlib.sha256(json.dumps(asdict(data), sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def _invalid(message, code: str, field_name: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, code=code, details={field_name: str(message)} if field_name else None)


def _check_rule(rule: dict) -> dict:
    unknown = set(rule) - RULE_FIELDS
    if unknown:
        raise _invalid(_("Unknown rule fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}, "invalid_rule", "rule")
    out: dict = {}
    if rule.get("org"):
        org = org_find(code=str(rule["org"]), active_only=True)
        if org is None:
            raise _invalid(_("Unknown organisation %(code)s.") % {"code": rule["org"]}, "unknown_org", "rule.org")
        out["org"] = org.code
    if rule.get("min_arrears") is not None:
        try:
            amount = Decimal(str(rule["min_arrears"]))
        except InvalidOperation:
            amount = Decimal(-1)
        if not amount.is_finite() or amount < 0:
            raise _invalid(_("The arrears threshold must be a number of yuan, 0 or more."), "invalid_rule",
                           "rule.min_arrears")
        out["min_arrears"] = str(amount.quantize(Decimal("0.01")))
    for key in ("brands", "tiers"):
        values = rule.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise _invalid(_("Give a list of codes."), "invalid_rule", f"rule.{key}")
        if values:
            out[key] = sorted(set(values))
    return out


def recipient_address(outlet_kind: str, raw: str) -> str:
    """A listed recipient as the outlet addresses it: an e-mail address, or a mobile number (SMS, call, and
    in-app, whose inbox is the customer's found by number)."""
    if outlet_kind == "email":
        return recipient_normalize("email", raw, None)
    return number_normalize(raw)


def _check(data: RequestData) -> tuple[str, dict]:
    """The outlet's kind and the checked rule; raises ``ValidationFailed`` with the field at fault."""
    if not data.request_id.strip() or len(data.request_id) > 64:
        raise _invalid(_("A request id of 1 to 64 characters is required."), "invalid_request_id", "request_id")
    if data.kind not in NoticeKind.values:
        raise _invalid(_("Unknown kind of notice."), "invalid_kind", "kind")
    if not 1 <= data.priority <= 9:
        raise _invalid(_("Priority runs from 1 (lowest) to 9 (highest)."), "invalid_priority", "priority")
    if data.window_start and data.window_end and data.window_end <= data.window_start:
        raise _invalid(_("The window ends before it starts."), "invalid_window", "window_end")
    outlet = outlet_get(code=data.outlet)
    if not outlet.active:
        raise _invalid(_("The outlet %(code)s is switched off.") % {"code": outlet.code}, "outlet_inactive", "outlet")
    if bool(data.template) == bool(data.body):
        raise _invalid(_("Give either a template or a text."), "template_or_body", "template")
    if bool(data.recipients) == bool(data.rule):
        raise _invalid(_("Give either a list of recipients or a rule."), "recipients_or_rule", "recipients")
    if len(data.recipients) > MAX_LISTED:
        raise _invalid(_("At most %(n)s listed recipients; give a rule for more.") % {"n": MAX_LISTED},
                       "too_many_recipients", "recipients")
    seen: set[str] = set()
    for n, item in enumerate(data.recipients):
        try:
            address = recipient_address(outlet.kind, str(item.get("number", "")))
        except KefuError as exc:
            raise _invalid(exc.message, "invalid_recipient", f"recipients.{n}.number") from None
        if address in seen:
            raise _invalid(_("%(number)s is listed twice.") % {"number": address}, "duplicate_recipient",
                           f"recipients.{n}.number")
        seen.add(address)
    if data.rule and outlet.kind == "email":
        raise _invalid(_("A rule selects numbers; list the addresses of an e-mail notice."), "rule_needs_numbers",
                       "rule")
    rule = _check_rule(data.rule) if data.rule else {}
    sample = dict(data.variables)
    if data.recipients:
        sample.update(data.recipients[0].get("variables") or {})
    else:
        sample.setdefault("number", "13800000000")
        sample.setdefault("amount", "0.00")
    text = data.body
    if data.template:
        found = template_list(outlet=outlet.code).filter(code=data.template, active=True).first()
        if found is None:
            raise _invalid(_("No active template %(code)s for this outlet.") % {"code": data.template},
                           "template_not_found", "template")
        text = found.body
    template_render(text, sample)  # a variable missing for every recipient is the request's fault
    return outlet.kind, rule


def notice_request_receive(*, system: ExternalSystem, data: RequestData) -> Received:
    """Record the request (``received``) once per (system, request id)."""
    fingerprint = _fingerprint(data)
    existing = NoticeRequest.objects.filter(system=system, request_id=data.request_id).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    kind, rule = _check(data)
    recipients = [{"number": recipient_address(kind, str(i["number"])),
                   "variables": dict(i.get("variables") or {})} for i in data.recipients]
    try:
        with transaction.atomic():
            req = NoticeRequest.objects.create(
                system=system, request_id=data.request_id, kind=data.kind, outlet=data.outlet,
                template=data.template, body=data.body, subject=data.subject, variables=dict(data.variables),
                recipients=recipients, rule=rule, window_start=data.window_start, window_end=data.window_end,
                priority=data.priority, fingerprint=fingerprint)
            audit_record(actor=f"system:{system.code}", action=AuditAction.CREATE, obj=req, changes={
                "request_id": [None, req.request_id], "kind": [None, req.kind], "outlet": [None, req.outlet],
                "recipients": [None, len(recipients) if recipients else rule], "priority": [None, req.priority]})
    except IntegrityError:
        existing = NoticeRequest.objects.filter(system=system, request_id=data.request_id).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return Received(request=req, created=True)


def _replay(existing: NoticeRequest, fingerprint: str) -> Received:
    if existing.fingerprint != fingerprint:
        raise Conflict(_("This request id was used for another request."), code="request_id_reused")
    return Received(request=existing, created=False)
