"""Outlet settings (rate, gateway, sender) and message templates, each change audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core.errors import Conflict, NotFound, ValidationFailed

from ..models import GatewayKind, Outlet, Template
from .rendering import template_compile

MAX_RATE = 10_000.0
MAX_BURST = 100_000


@dataclass(frozen=True)
class OutletSettings:
    active: bool
    rate_per_second: float
    burst: int
    gateway: str = ""
    gateway_url: str = ""
    gateway_secret: str | None = None  # None keeps the secret
    sender: str = ""


def _check_outlet(outlet: Outlet, s: OutletSettings) -> None:
    errors = {}
    if not 0 < s.rate_per_second <= MAX_RATE:
        errors["rate_per_second"] = _("Between 0 and %(n)s messages per second.") % {"n": int(MAX_RATE)}
    if not 1 <= s.burst <= MAX_BURST:
        errors["burst"] = _("Between 1 and %(n)s.") % {"n": MAX_BURST}
    if outlet.kind == "sms":
        if s.gateway not in (GatewayKind.RECORDED, GatewayKind.HTTP):
            errors["gateway"] = _("Choose a gateway.")
        elif s.gateway == GatewayKind.HTTP:
            if not s.gateway_url.startswith(("http://", "https://")):
                errors["gateway_url"] = _("Enter the gateway's http(s) URL.")
            if not (s.gateway_secret if s.gateway_secret is not None else outlet.gateway_secret):
                errors["gateway_secret"] = _("The HTTP gateway needs a secret to sign with.")
    elif s.gateway:
        errors["gateway"] = _("Only SMS outlets have a gateway.")
    if errors:
        raise ValidationFailed(_("Please correct the settings."), code="invalid_settings", details=errors)


@transaction.atomic
def outlet_update(*, actor, code: str, settings: OutletSettings, version: int | None = None) -> Outlet:
    outlet = Outlet.objects.select_for_update().filter(code=code).first()
    if outlet is None:
        raise NotFound(_("Unknown outlet %(code)s.") % {"code": code}, code="outlet_not_found")
    if version is not None and version != outlet.version:
        raise Conflict(_("Someone changed this outlet meanwhile; reload and try again."), code="stale")
    _check_outlet(outlet, settings)
    before = {f: getattr(outlet, f) for f in ("active", "rate_per_second", "burst", "gateway", "gateway_url",
                                               "sender")}
    outlet.active, outlet.rate_per_second, outlet.burst = settings.active, float(settings.rate_per_second), \
        settings.burst
    outlet.gateway, outlet.gateway_url, outlet.sender = settings.gateway, settings.gateway_url, settings.sender
    secret_changed = settings.gateway_secret is not None and settings.gateway_secret != outlet.gateway_secret
    if settings.gateway_secret is not None:
        outlet.gateway_secret = settings.gateway_secret
    outlet.tokens = min(outlet.tokens, float(outlet.burst))
    outlet.version += 1
    outlet.save()
    changes = {f: [v, getattr(outlet, f)] for f, v in before.items() if getattr(outlet, f) != v}
    if secret_changed:
        changes["gateway_secret"] = ["***", "***"]  # the secret itself never goes to the log
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=outlet, changes=changes)
    return outlet


@dataclass(frozen=True)
class TemplateData:
    code: str
    name: str
    body: str
    subject: str = ""
    active: bool = True


def _check_template(outlet: Outlet, d: TemplateData) -> None:
    errors = {}
    if not d.code or len(d.code) > 48 or not all(c.isalnum() or c in "-_" for c in d.code) or not d.code.isascii():
        errors["code"] = _("Letters, digits, - and _ only (at most 48).")
    if not d.name.strip() or len(d.name) > 64:
        errors["name"] = _("Give a name of at most 64 characters.")
    if not d.body.strip() or len(d.body) > 4000:
        errors["body"] = _("Give a text of at most 4000 characters.")
    if len(d.subject) > 200:
        errors["subject"] = _("At most 200 characters.")
    if d.subject and outlet.kind != "email":
        errors["subject"] = _("Only e-mail templates have a subject.")
    if errors:
        raise ValidationFailed(_("Please correct the template."), code="invalid_template", details=errors)
    for field, text in (("body", d.body), ("subject", d.subject)):
        try:
            template_compile(text)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, code="template_invalid", details={field: str(exc.message)}) from None


@transaction.atomic
def template_create(*, actor, outlet: Outlet, data: TemplateData) -> Template:
    _check_template(outlet, data)
    try:
        with transaction.atomic():
            t = Template.objects.create(outlet=outlet, code=data.code, name=data.name.strip(), body=data.body,
                                        subject=data.subject, active=data.active,
                                        updated_by=actor if getattr(actor, "is_authenticated", False) else None)
    except IntegrityError:
        raise Conflict(_("This outlet already has a template %(code)s.") % {"code": data.code},
                       code="duplicate_template", details={"code": _("Already used.")}) from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=t, changes={
        "outlet": [None, outlet.code], "code": [None, t.code], "name": [None, t.name], "body": [None, t.body]})
    return t


@transaction.atomic
def template_update(*, actor, template_id: int, data: TemplateData, version: int | None = None) -> Template:
    t = Template.objects.select_for_update().select_related("outlet").filter(pk=template_id).first()
    if t is None:
        raise NotFound(_("Template not found."), code="template_not_found")
    if version is not None and version != t.version:
        raise Conflict(_("Someone changed this template meanwhile; reload and try again."), code="stale")
    _check_template(t.outlet, data)
    before = {f: getattr(t, f) for f in ("code", "name", "body", "subject", "active")}
    t.code, t.name, t.body, t.subject, t.active = data.code, data.name.strip(), data.body, data.subject, data.active
    t.version += 1
    t.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            t.save()
    except IntegrityError:
        raise Conflict(_("This outlet already has a template %(code)s.") % {"code": data.code},
                       code="duplicate_template", details={"code": _("Already used.")}) from None
    changes = {f: [v, getattr(t, f)] for f, v in before.items() if getattr(t, f) != v}
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=t, changes=changes)
    return t


@transaction.atomic
def template_delete(*, actor, template_id: int) -> None:
    """Delete a template; messages sent with it keep their text (the link is cleared)."""
    t = Template.objects.select_for_update().filter(pk=template_id).first()
    if t is None:
        raise NotFound(_("Template not found."), code="template_not_found")
    audit_record(actor=actor, action=AuditAction.DELETE, obj=t, changes={"code": [t.code, None],
                                                                         "body": [t.body, None]})
    t.delete()


@transaction.atomic
def outlets_ensure_defaults() -> None:
    """Create the default outlets and starter templates that are missing (a database emptied by tests or
    tools gets them back); existing rows are left as they are."""
    from ..defaults import OUTLETS, TEMPLATES

    by_code = {}
    for code, name, kind, rate, burst, gateway in OUTLETS:
        by_code[code], _created = Outlet.objects.get_or_create(code=code, defaults={
            "name": name, "kind": kind, "rate_per_second": rate, "burst": burst, "tokens": float(burst),
            "gateway": gateway})
    for outlet, code, name, subject, body in TEMPLATES:
        Template.objects.get_or_create(outlet=by_code[outlet], code=code,
                                       defaults={"name": name, "subject": subject, "body": body})
