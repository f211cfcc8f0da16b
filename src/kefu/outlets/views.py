"""Pages of the outlets: message log and detail, templates, opt-outs, outlet settings."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import or_404, perm_required
from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_field_errors
from kefu.core.pagination import paginate, querystring_without_page
from kefu.iam.permissions import has_perm

from . import selectors, smsparts
from .forms import MessageFilterForm, OptOutForm, OutletForm, TemplateForm
from .services import config, optouts
from .services.rendering import template_render


@perm_required("outlets.message.view")
def message_list(request):
    outlets = list(selectors.outlet_list())
    form = MessageFilterForm(request.GET or None, outlets=outlets)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.MessageFilters(**{k: v for k, v in data.items() if v})
    qs = selectors.message_list(actor=request.user, filters=filters)
    return render(request, "outlets/message_list.html", {
        "form": form, "page": paginate(request, qs), "qs": querystring_without_page(request)})


@perm_required("outlets.message.view")
def message_detail(request, pk: int):
    m = or_404(selectors.message_get, actor=request.user, message_id=pk)
    return render(request, "outlets/message_detail.html", {
        "m": m, "attempts": selectors.message_attempts(m), "recorded": selectors.message_recorded(m),
        "reports": m.reports.order_by("received_at")})


def _template_data(form) -> config.TemplateData:
    d = form.cleaned_data
    return config.TemplateData(code=d["code"], name=d["name"], subject=d["subject"], body=d["body"],
                               active=d["active"])


@perm_required("outlets.template.view")
def template_list(request):
    return render(request, "outlets/template_list.html", {
        "templates": selectors.template_list(), "can_edit": has_perm(request.user, "outlets.template.edit")})


@perm_required("outlets.template.edit")
@require_http_methods(["GET", "POST"])
def template_create(request):
    outlets = list(selectors.outlet_list())
    form = TemplateForm(request.POST or None, outlets=outlets, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            outlet = selectors.outlet_get(code=form.cleaned_data["outlet"])
            t = config.template_create(actor=request.user, outlet=outlet, data=_template_data(form))
        except KefuError as exc:
            apply_field_errors(form, exc)
        else:
            messages.success(request, _("Template %(code)s created.") % {"code": t.code})
            return redirect("outlets:template_edit", pk=t.pk)
    return render(request, "outlets/template_form.html", {"form": form, "template_row": None})


@perm_required("outlets.template.view")
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int):
    t = or_404(selectors.template_get, template_id=pk)
    can_edit = has_perm(request.user, "outlets.template.edit")
    if request.method == "POST" and not can_edit:
        return render(request, "core/forbidden.html", {"codes": ("outlets.template.edit",)}, status=403)
    initial = {"outlet": t.outlet.code, "code": t.code, "name": t.name, "subject": t.subject, "body": t.body,
               "active": t.active, "version": t.version}
    form = TemplateForm(request.POST or None, outlets=list(selectors.outlet_list()), editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            t = config.template_update(actor=request.user, template_id=t.pk, data=_template_data(form),
                                       version=form.cleaned_data.get("version"))
        except KefuError as exc:
            apply_field_errors(form, exc)
        else:
            messages.success(request, _("Template %(code)s saved (version %(version)s).") % {
                "code": t.code, "version": t.version})
            return redirect("outlets:template_edit", pk=t.pk)
    return render(request, "outlets/template_form.html", {"form": form, "template_row": t, "can_edit": can_edit})


@perm_required("outlets.template.edit")
@require_POST
def template_delete(request, pk: int):
    try:
        config.template_delete(actor=request.user, template_id=pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Template deleted."))
    return redirect("outlets:templates")


@perm_required("outlets.template.view")
@require_POST
def template_preview(request, pk: int):
    """The template rendered with the variables typed as JSON (an htmx fragment)."""
    t = or_404(selectors.template_get, template_id=pk)
    ctx: dict = {"error": ""}
    try:
        variables = json.loads(request.POST.get("variables") or "{}")
        if not isinstance(variables, dict):
            raise ValueError
    except ValueError:
        ctx["error"] = _("Write the variables as a JSON object, e.g. {\"amount\": \"88.00\"}.")
        return render(request, "outlets/partials/_preview.html", ctx)
    body = request.POST.get("body") or t.body
    try:
        ctx["text"] = template_render(body, variables)
    except KefuError as exc:
        ctx["error"] = str(exc.message)
    else:
        if t.outlet.kind == "sms":
            ctx["encoding"], ctx["segments"] = smsparts.count(ctx["text"])
    return render(request, "outlets/partials/_preview.html", ctx)


@perm_required("outlets.optout.view")
@require_http_methods(["GET", "POST"])
def optout_list(request):
    outlets = list(selectors.outlet_list())
    can_edit = has_perm(request.user, "outlets.optout.edit")
    form = OptOutForm(request.POST or None, outlets=outlets)
    if request.method == "POST":
        if not can_edit:
            return render(request, "core/forbidden.html", {"codes": ("outlets.optout.edit",)}, status=403)
        if form.is_valid():
            d = form.cleaned_data
            try:
                outlet = selectors.outlet_get(code=d["outlet"]) if d["outlet"] else None
                optouts.optout_create(actor=request.user, address=d["address"], outlet=outlet,
                                      purpose=d["purpose"], reason=d["reason"], source="ui")
            except KefuError as exc:
                apply_field_errors(form, exc)
            else:
                messages.success(request, _("Opt-out recorded."))
                return redirect("outlets:optouts")
    search = (request.GET.get("search") or "")[:64]
    revoked = request.GET.get("revoked") == "1"
    qs = selectors.optout_list(active=not revoked, search=search)
    return render(request, "outlets/optout_list.html", {
        "form": form, "page": paginate(request, qs), "qs": querystring_without_page(request),
        "search": search, "revoked": revoked, "can_edit": can_edit})


@perm_required("outlets.optout.edit")
@require_POST
def optout_revoke(request, pk: int):
    try:
        optouts.optout_revoke(actor=request.user, optout_id=pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Opt-out revoked."))
    return redirect("outlets:optouts")


@perm_required("outlets.outlet.view")
def outlet_list(request):
    return render(request, "outlets/outlet_list.html", {
        "outlets": selectors.outlet_list(), "can_edit": has_perm(request.user, "outlets.outlet.edit")})


@perm_required("outlets.outlet.edit")
@require_http_methods(["GET", "POST"])
def outlet_edit(request, code: str):
    outlet = or_404(selectors.outlet_get, code=code)
    initial = {"active": outlet.active, "rate_per_second": outlet.rate_per_second, "burst": outlet.burst,
               "gateway": outlet.gateway, "gateway_url": outlet.gateway_url, "sender": outlet.sender,
               "version": outlet.version}
    form = OutletForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            config.outlet_update(actor=request.user, code=code, version=d.get("version"), settings=config.OutletSettings(
                active=d["active"], rate_per_second=d["rate_per_second"], burst=d["burst"], gateway=d["gateway"],
                gateway_url=d["gateway_url"], gateway_secret=d["gateway_secret"] or None, sender=d["sender"]))
        except KefuError as exc:
            apply_field_errors(form, exc)
        else:
            messages.success(request, _("Settings of %(name)s saved.") % {"name": outlet.name})
            return redirect(reverse("outlets:outlets"))
    return render(request, "outlets/outlet_form.html", {"form": form, "outlet": outlet})
