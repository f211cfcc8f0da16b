"""Coordination settings: external endpoints, webhook subscriptions, business calendars."""

from __future__ import annotations

from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create, audit_delete, audit_update, snapshot
from kefu.core.errors import NotFound, ValidationFailed
from kefu.orgs.models import Organisation, OrgKind

from ..models import BusinessCalendar, Endpoint, WebhookSubscription


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")) or len(url) > 300:
        raise ValidationFailed(_("The URL must start with http:// or https://."), code="invalid_url")
    return url


def _check_secret(secret: str) -> str:
    if len(secret or "") < 16:
        raise ValidationFailed(_("The secret must have at least 16 characters."), code="weak_secret")
    return secret


@transaction.atomic
def endpoint_set(*, actor, org: Organisation, url: str, secret: str, active: bool = True) -> Endpoint:
    if org.kind != OrgKind.EXTERNAL:
        raise ValidationFailed(_("%(code)s is not an external organisation.") % {"code": org.code}, code="unknown_org")
    url, secret = _check_url(url), _check_secret(secret)
    ep = Endpoint.objects.filter(org=org).first()
    if ep is None:
        ep = Endpoint.objects.create(org=org, url=url, secret=secret, active=active)
        audit_create(actor=actor, obj=ep, fields=("org", "url", "active"))
        return ep
    before = snapshot(ep, ("url", "active", "secret"))
    ep.url, ep.secret, ep.active = url, secret, active
    ep.save()
    audit_update(actor=actor, obj=ep, before=before)
    return ep


@transaction.atomic
def subscription_create(*, actor, name: str, url: str, secret: str, events: list[str]) -> WebhookSubscription:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("The name is required."), code="required")
    sub = WebhookSubscription.objects.create(name=name[:100], url=_check_url(url), secret=_check_secret(secret),
                                             events=[e.strip() for e in events if e.strip()])
    audit_create(actor=actor, obj=sub, fields=("name", "url", "events", "active"))
    return sub


@transaction.atomic
def subscription_delete(*, actor, sub_id: int) -> None:
    sub = WebhookSubscription.objects.filter(pk=sub_id).first()
    if sub is None:
        raise NotFound(_("Subscription not found."), code="not_found")
    audit_delete(actor=actor, obj=sub, fields=("name", "url"))
    sub.delete()


def _dates(values) -> list[str]:
    out = []
    for v in values:
        v = str(v).strip()
        if not v:
            continue
        try:
            out.append(date.fromisoformat(v).isoformat())
        except ValueError:
            raise ValidationFailed(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": v},
                                   code="invalid_date") from None
    return sorted(set(out))


@transaction.atomic
def calendar_set(*, actor, org: Organisation, work_start: time, work_end: time, workdays: str,
                 holidays=(), extra_workdays=()) -> BusinessCalendar:
    if work_start.tzinfo is not None or work_end.tzinfo is not None:
        # Working hours are the organisation's wall clock; the column stores no zone.
        raise ValidationFailed(_("Working hours are local times: give them without a time zone."),
                               code="invalid_hours")
    if work_end <= work_start:
        raise ValidationFailed(_("The working day must end after it starts."), code="invalid_hours")
    days = "".join(sorted({d for d in workdays if d in "1234567"}))
    if not days:
        raise ValidationFailed(_("Choose at least one working weekday."), code="invalid_workdays")
    cal = BusinessCalendar.objects.filter(org=org).first()
    fields = ("work_start", "work_end", "workdays", "holidays", "extra_workdays")
    values = {"work_start": work_start, "work_end": work_end, "workdays": days, "holidays": _dates(holidays),
              "extra_workdays": _dates(extra_workdays)}
    if cal is None:
        cal = BusinessCalendar.objects.create(org=org, **values)
        audit_create(actor=actor, obj=cal, fields=("org", *fields))
        return cal
    before = snapshot(cal, fields)
    for k, v in values.items():
        setattr(cal, k, v)
    cal.save()
    audit_update(actor=actor, obj=cal, before=before)
    return cal


@transaction.atomic
def calendar_delete(*, actor, org: Organisation) -> None:
    cal = BusinessCalendar.objects.filter(org=org).first()
    if cal is not None:
        audit_delete(actor=actor, obj=cal, fields=("work_start", "work_end", "workdays"))
        cal.delete()
