"""The coordination settings page: external endpoints and base provinces, webhooks, business calendars."""

from datetime import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.orgs.models import Organisation, OrgKind
from kefu.orgs.selectors import scope_queryset

from ..models import BusinessCalendar, Endpoint, PartySetting, WebhookSubscription
from ..services import settings as svc


@perm_required("workorders.coordination.manage")
def coordination_settings(request):
    externals = Organisation.objects.filter(kind=OrgKind.EXTERNAL, active=True).order_by("code")
    endpoints = {e.org_id: e for e in Endpoint.objects.all()}
    bases = dict(PartySetting.objects.values_list("org_id", "base_province_id"))
    for o in externals:
        o.endpoint_row = endpoints.get(o.pk)
        o.base_province_id = bases.get(o.pk)
    return render(request, "workorders/coordination_settings.html", {
        "externals": externals,
        "subscriptions": WebhookSubscription.objects.order_by("name"),
        "calendars": scope_queryset(BusinessCalendar.objects.select_related("org"), request.user)
        .order_by("org__path"),
        "orgs": _calendar_orgs(request).filter(active=True).order_by("path"),
        "provinces": Organisation.objects.filter(active=True, kind=OrgKind.PROVINCE).order_by("path"),
    })


def _calendar_orgs(request):
    """Organisations whose business calendar the person may set: their own subtree (all, with
    scope.all_orgs). Another branch's calendar moves that branch's deadlines, so it is not theirs."""
    return scope_queryset(Organisation.objects.exclude(kind=OrgKind.EXTERNAL), request.user, field="")


def _done(request, ok_message):
    messages.success(request, ok_message)
    return redirect("workorders:coordination_settings")


@perm_required("workorders.coordination.manage")
@require_POST
def endpoint_save(request, org_id):
    org = Organisation.objects.filter(pk=org_id).first()
    try:
        if org is None:
            raise KefuError(_("Unknown organisation."))
        svc.endpoint_set(actor=request.user, org=org, url=request.POST.get("url", ""),
                         secret=request.POST.get("secret", ""), active=request.POST.get("active") == "on")
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect("workorders:coordination_settings")
    return _done(request, _("Endpoint of %(org)s saved.") % {"org": org.name})


@perm_required("workorders.coordination.manage")
@require_POST
def party_save(request, org_id):
    org = Organisation.objects.filter(pk=org_id).first()
    province = Organisation.objects.filter(pk=request.POST.get("base_province") or 0).first()
    try:
        if org is None:
            raise KefuError(_("Unknown organisation."))
        svc.party_base_province_set(actor=request.user, org=org, province=province)
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect("workorders:coordination_settings")
    return _done(request, _("Base province of %(org)s saved.") % {"org": org.name})


@perm_required("workorders.coordination.manage")
@require_POST
def subscription_add(request):
    try:
        svc.subscription_create(actor=request.user, name=request.POST.get("name", ""), url=request.POST.get("url", ""),
                                secret=request.POST.get("secret", ""),
                                events=request.POST.get("events", "").replace("，", ",").split(","))
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect("workorders:coordination_settings")
    return _done(request, _("Webhook subscription added."))


@perm_required("workorders.coordination.manage")
@require_POST
def subscription_remove(request, pk):
    try:
        svc.subscription_delete(actor=request.user, sub_id=pk)
    except KefuError as exc:
        messages.error(request, str(exc.message))
    return redirect("workorders:coordination_settings")


def _time(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise KefuError(_("“%(value)s” is not a time (HH:MM).") % {"value": value}) from None


@perm_required("workorders.coordination.manage")
@require_POST
def calendar_save(request):
    org_id = request.POST.get("org") or ""
    org = _calendar_orgs(request).filter(pk=org_id).first() if org_id.isdigit() else None
    try:
        if org is None:
            raise KefuError(_("Choose an organisation."))
        svc.calendar_set(actor=request.user, org=org, work_start=_time(request.POST.get("work_start", "")),
                         work_end=_time(request.POST.get("work_end", "")),
                         workdays="".join(request.POST.getlist("workdays")),
                         holidays=request.POST.get("holidays", "").split(),
                         extra_workdays=request.POST.get("extra_workdays", "").split())
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect("workorders:coordination_settings")
    return _done(request, _("Business calendar of %(org)s saved.") % {"org": org.name})


@perm_required("workorders.coordination.manage")
@require_POST
def calendar_remove(request, org_id):
    org = _calendar_orgs(request).filter(pk=org_id).first()
    if org is None:
        raise Http404
    svc.calendar_delete(actor=request.user, org=org)
    return _done(request, _("Business calendar removed."))
