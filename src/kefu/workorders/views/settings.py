"""The coordination settings page: external endpoints and base provinces, webhooks, business calendars."""

from datetime import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.orgs.selectors import (
    org_external_list,
    org_find,
    org_internal_find,
    org_internal_list,
    org_province_list,
)

from .. import selectors
from ..services import settings as svc


@perm_required("workorders.coordination.manage")
def coordination_settings(request):
    externals = org_external_list()
    endpoints = selectors.endpoints_by_org()
    bases = selectors.party_base_provinces()
    for o in externals:
        o.endpoint_row = endpoints.get(o.pk)
        o.base_province_id = bases.get(o.pk)
    return render(request, "workorders/coordination_settings.html", {
        "externals": externals,
        "subscriptions": selectors.webhook_subscription_list(),
        "calendars": selectors.business_calendar_list(actor=request.user),
        # Organisations whose business calendar the person may set: their own subtree (all, with
        # scope.all_orgs). Another branch's calendar moves that branch's deadlines, so it is not theirs.
        "orgs": org_internal_list(actor=request.user),
        "provinces": org_province_list(),
    })


def _done(request, ok_message):
    messages.success(request, ok_message)
    return redirect("workorders:coordination_settings")


@perm_required("workorders.coordination.manage")
@require_POST
def endpoint_save(request, org_id):
    org = org_find(org_id=org_id)
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
    org = org_find(org_id=org_id)
    province = org_find(org_id=request.POST.get("base_province") or 0)
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
    org = org_internal_find(actor=request.user, org_id=request.POST.get("org") or "")
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
    org = org_internal_find(actor=request.user, org_id=org_id)
    if org is None:
        raise Http404
    svc.calendar_delete(actor=request.user, org=org)
    return _done(request, _("Business calendar removed."))
