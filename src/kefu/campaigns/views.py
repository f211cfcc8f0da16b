"""Campaign pages: list, create/edit with the script editor, detail with targets, import with progress and
error report, dashboard (ECharts) with the results export, and the do-not-call list."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import or_404, perm_required
from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_field_errors
from kefu.core.pagination import paginate, querystring_without_page
from kefu.iam.permissions import has_perm

from . import selectors
from .api import results_csv
from .forms import CampaignForm, DncForm, DncImportForm, ImportForm, QueryImportForm
from .models import CampaignState, Kind, Outcome, TargetState
from .services import campaigns as svc
from .services import dnc
from .services.imports import import_query_request, import_request


def _campaign(request, pk):
    return or_404(selectors.campaign_get, actor=request.user, campaign_id=pk)



@perm_required("campaigns.campaign.view")
def campaign_list(request):
    state = request.GET.get("state", "") if request.GET.get("state", "") in CampaignState.values else ""
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Kind.values else ""
    qs = selectors.campaign_list(actor=request.user, state=state, kind=kind)
    return render(request, "campaigns/campaign_list.html", {
        "page": paginate(request, qs), "qs": querystring_without_page(request), "state": state, "kind": kind,
        "states": CampaignState.choices, "kinds": Kind.choices,
        "can_edit": has_perm(request.user, "campaigns.campaign.edit")})


def _data(form) -> svc.CampaignData:
    d = form.cleaned_data
    return svc.CampaignData(name=d["name"], kind=d["kind"], queue_id=d["queue_id"], description=d["description"],
                            script=d["script"], outcomes=d["outcomes"], pacing=d["pacing"], dial_mode=d["dial_mode"] or "preview",
                            max_attempts=d["max_attempts"], retry_minutes=d["retry_minutes"],
                            recent_days=d["recent_days"], hours_start=d["hours_start"], hours_end=d["hours_end"],
                            auto_closed_complaints=d["auto_closed_complaints"], sample_percent=d["sample_percent"])


@perm_required("campaigns.campaign.edit")
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignForm(request.POST or None, queues=selectors.queue_choices(actor=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            campaign, _created = svc.campaign_create(actor=request.user, data=_data(form))
        except KefuError as exc:
            apply_field_errors(form, exc)
        else:
            messages.success(request, _("Campaign %(name)s created. Import its targets now.") % {
                "name": campaign.name})
            return redirect("campaigns:import", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None,
                                                             "script": _script_of(form)})


def _script_of(form) -> str:
    raw = form.data.get("script") if form.is_bound else form.initial.get("script")
    if isinstance(raw, list):
        return json.dumps(raw, ensure_ascii=False)
    return raw or "[]"


@perm_required("campaigns.campaign.edit")
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    campaign = _campaign(request, pk)
    initial = {k: getattr(campaign, k) for k in (
        "name", "kind", "queue_id", "description", "outcomes", "pacing", "dial_mode", "max_attempts", "retry_minutes",
        "recent_days", "hours_start", "hours_end", "auto_closed_complaints", "sample_percent", "version")}
    initial["script"] = json.dumps(campaign.script, ensure_ascii=False)
    form = CampaignForm(request.POST or None, queues=selectors.queue_choices(actor=request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.campaign_update(actor=request.user, campaign=campaign, data=_data(form),
                                version=form.cleaned_data.get("version"))
        except KefuError as exc:
            apply_field_errors(form, exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign,
                                                             "script": _script_of(form)})


@perm_required("campaigns.campaign.view")
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    state = request.GET.get("state", "") if request.GET.get("state", "") in TargetState.values else ""
    targets = selectors.target_list(actor=request.user, campaign=campaign, state=state)
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign, "counts": selectors.campaign_counts(campaign), "page": paginate(request, targets),
        "qs": querystring_without_page(request), "state": state, "states": TargetState.choices,
        "outcomes": dict(Outcome.choices), "imports": selectors.import_list(campaign=campaign),
        "can_edit": has_perm(request.user, "campaigns.campaign.edit"),
        "can_run": has_perm(request.user, "campaigns.campaign.run"),
        "can_results": has_perm(request.user, "campaigns.result.view")})


ACTIONS = {"start": svc.campaign_start, "pause": svc.campaign_pause, "stop": svc.campaign_stop}


@perm_required("campaigns.campaign.run")
@require_POST
def campaign_action(request, pk: int, action: str):
    campaign = _campaign(request, pk)
    if action not in ACTIONS:
        raise Http404
    try:
        campaign = ACTIONS[action](actor=request.user, campaign=campaign)
    except KefuError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The campaign is now %(state)s.") % {"state": campaign.get_state_display()})
    return redirect("campaigns:detail", pk=campaign.pk)


@perm_required("campaigns.campaign.edit")
@require_http_methods(["GET", "POST"])
def import_targets(request, pk: int):
    campaign = _campaign(request, pk)
    can_query = has_perm(request.user, "crm.customer.view")
    form = ImportForm(request.POST or None, request.FILES or None) if request.POST.get("source") != "query" \
        else ImportForm()
    query_form = QueryImportForm(request.POST if request.POST.get("source") == "query" else None)
    if request.method == "POST":
        try:
            if request.POST.get("source") == "query" and can_query and query_form.is_valid():
                imp = import_query_request(actor=request.user, campaign=campaign, filters=query_form.cleaned_data)
                return redirect("campaigns:import_status", pk=imp.pk)
            if request.POST.get("source") != "query" and form.is_valid():
                imp = import_request(actor=request.user, campaign=campaign, upload=form.cleaned_data["file"])
                return redirect("campaigns:import_status", pk=imp.pk)
        except KefuError as exc:
            apply_field_errors(query_form if request.POST.get("source") == "query" else form, exc)
    return render(request, "campaigns/import.html", {"campaign": campaign, "form": form, "query_form": query_form,
                                                     "can_query": can_query})


@perm_required("campaigns.campaign.view")
def import_status(request, pk: int):
    try:
        imp = selectors.import_get(actor=request.user, import_id=pk)
    except NotFound:
        raise Http404 from None
    template = "campaigns/partials/_import_progress.html" if request.headers.get("HX-Request") \
        else "campaigns/import_status.html"
    return render(request, template, {"imp": imp, "campaign": imp.campaign})


@perm_required("campaigns.campaign.view")
def import_report(request, pk: int):
    try:
        imp = selectors.import_get(actor=request.user, import_id=pk)
    except NotFound:
        raise Http404 from None
    if not imp.report:
        raise Http404
    imp.report.open("rb")
    try:
        response = HttpResponse(imp.report.read(), content_type="text/csv; charset=utf-8")
    finally:
        imp.report.close()
    response["Content-Disposition"] = f'attachment; filename="import-{imp.pk}-report.csv"'
    return response


@perm_required("campaigns.campaign.view", "campaigns.result.view")
def dashboard(request, pk: int):
    campaign = _campaign(request, pk)
    board = selectors.campaign_dashboard(actor=request.user, campaign=campaign)
    return render(request, "campaigns/dashboard.html", {"campaign": campaign, "board": board, "chart": {
        "outcomes": [{"name": board["by_outcome_labels"][k], "value": v} for k, v in board["by_outcome"].items() if v],
        "agents": board["by_agent"], "days": board["by_day"],
        "labels": {"reach_rate": _("Reach rate (%)"), "success_rate": _("Success rate (%)"),
                   "attempts": _("Attempts")}}})


@perm_required("campaigns.campaign.view", "campaigns.result.view")
def results_export(request, pk: int):
    return results_csv(request.user, _campaign(request, pk))


@perm_required("campaigns.dnc.view")
@require_http_methods(["GET", "POST"])
def dnc_list(request):
    can_edit = has_perm(request.user, "campaigns.dnc.edit")
    form = DncForm(request.POST if request.POST.get("form") == "add" else None)
    import_form = DncImportForm(request.POST if request.POST.get("form") == "import" else None, request.FILES or None)
    if request.method == "POST":
        if not can_edit:
            return render(request, "core/forbidden.html", {"codes": ("campaigns.dnc.edit",)}, status=403)
        try:
            if request.POST.get("form") == "import" and import_form.is_valid():
                result = dnc.dnc_import(actor=request.user, content=import_form.cleaned_data["file"].read())
                messages.success(request, _("%(added)s numbers added, %(already)s already listed, %(invalid)s rows "
                                            "not numbers.") % result)
                return redirect("campaigns:dnc")
            if request.POST.get("form") == "add" and form.is_valid():
                dnc.dnc_add(actor=request.user, number=form.cleaned_data["number"],
                            reason=form.cleaned_data["reason"])
                messages.success(request, _("Number added to the do-not-call list."))
                return redirect("campaigns:dnc")
        except KefuError as exc:
            apply_field_errors(import_form if request.POST.get("form") == "import" else form, exc)
    search = (request.GET.get("search") or "")[:20]
    return render(request, "campaigns/dnc_list.html", {
        "form": form, "import_form": import_form, "page": paginate(request, selectors.dnc_list(search=search)),
        "qs": querystring_without_page(request), "search": search, "can_edit": can_edit})


@perm_required("campaigns.dnc.edit")
@require_POST
def dnc_remove(request, pk: int):
    try:
        dnc.dnc_remove(actor=request.user, entry_id=pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Number removed from the do-not-call list."))
    return redirect("campaigns:dnc")
