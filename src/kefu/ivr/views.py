"""The IVR editor: flows by hotline, the node table, node forms (htmx), JSON editor,
publishing, and the test-call panel. Views stay thin: form → service → template."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.contactcenter.selectors import queue_codes
from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.iam.permissions import has_perm

from . import display, forms, selectors
from . import flow as flowdef
from .default_flow import HOTLINE
from .models import Flow
from .services import flows, testcalls


def _flow_or_404(pk) -> Flow:
    flow = selectors.flow_find(flow_id=pk)
    if flow is None:
        raise Http404(_("IVR flow not found."))
    return flow


def _redirect_htmx(url: str) -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response


@perm_required("ivr.flow.view")
def flow_list(request):
    rows = []
    for flow in selectors.flow_list(with_versions=True):
        versions = sorted(flow.versions.all(), key=lambda v: -v.number)
        rows.append({"flow": flow, "current": versions[0] if versions else None,
                     "draft_differs": bool(versions) and versions[0].definition != flow.draft})
    can_edit = has_perm(request.user, "ivr.flow.edit")
    return render(request, "ivr/flows.html", {
        "rows": rows, "can_edit": can_edit, "form": forms.FlowCreateForm(),
        "default_missing": can_edit and not selectors.flow_exists(hotline=HOTLINE)})


@require_POST
@perm_required("ivr.flow.edit")
def flow_create(request):
    form = forms.FlowCreateForm(request.POST)
    if form.is_valid():
        try:
            flow = flows.flow_create(actor=request.user, **form.cleaned_data)
        except KefuError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Flow created and published as version 1."))
            return redirect("ivr:flow", pk=flow.pk)
    else:
        messages.error(request, _("Enter a hotline number and a name."))
    return redirect("ivr:flows")


@require_POST
@perm_required("ivr.flow.edit")
def flow_seed(request):
    flow = flows.ivr_seed(actor=request.user)
    messages.success(request, _("The default 10086 flow is ready."))
    return redirect("ivr:flow", pk=flow.pk)


def _detail_context(request, flow: Flow, **extra) -> dict:
    current = flow.current_version()
    check = flows.flow_check(flow.draft)
    rows = display.rows(flow.draft)
    return {
        "flow": flow, "current": current, "check": check, "rows": rows, "node_ids": [r.id for r in rows],
        "draft_differs": current is None or current.definition != flow.draft,
        "json_text": json.dumps(flow.draft, ensure_ascii=False, indent=2),
        "versions": flow.versions.select_related("created_by").order_by("-number")[:20],
        "types": list(flowdef.TYPE_LABELS.items()),
        "can_edit": has_perm(request.user, "ivr.flow.edit"),
        "can_test": has_perm(request.user, "ivr.flow.test"),
        "settings_form": forms.FlowSettingsForm(initial={"name": flow.name, "description": flow.description,
                                                         "active": flow.active}),
        "test_form": forms.TestCallForm(),
        **extra,
    }


@perm_required("ivr.flow.view")
def flow_detail(request, pk):
    flow = _flow_or_404(pk)
    return render(request, "ivr/flow.html", _detail_context(request, flow))


@perm_required("ivr.flow.view")
def version_detail(request, pk, number):
    flow = _flow_or_404(pk)
    version = flow.versions.select_related("created_by").filter(number=number).first()
    if version is None:
        raise Http404(_("Version not found."))
    return render(request, "ivr/version.html", {
        "flow": flow, "version": version, "rows": display.rows(version.definition),
        "json_text": json.dumps(version.definition, ensure_ascii=False, indent=2)})


@require_POST
@perm_required("ivr.flow.edit")
def flow_settings(request, pk):
    flow = _flow_or_404(pk)
    form = forms.FlowSettingsForm(request.POST)
    if form.is_valid():
        try:
            flows.flow_update(actor=request.user, flow=flow, **form.cleaned_data)
            messages.success(request, _("Settings saved."))
        except KefuError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("The name is required (at most 64 characters)."))
    return redirect("ivr:flow", pk=flow.pk)


# --- nodes ------------------------------------------------------------------------------


def _node_form(request, flow: Flow, node: dict, *, original_id: str | None, problems=(), status=200):
    ids = [r.id for r in display.rows(flow.draft)]
    queues = queue_codes()
    return render(request, "ivr/partials/_node_form.html", {
        "flow": flow, "node": node, "original_id": original_id, "fields": forms.node_fields(node),
        "type_label": flowdef.TYPE_LABELS.get(node.get("type"), node.get("type")), "node_ids": ids,
        "queues": queues, "problems": problems, "subjects": ["caller", "ask"] + sorted(
            f"var:{v}" for v in flowdef.variables_collected(flow.draft if isinstance(flow.draft, dict) else {})),
    }, status=status)


@require_http_methods(["GET", "POST"])
@perm_required("ivr.flow.edit")
def node_new(request, pk):
    flow = _flow_or_404(pk)
    node_type = request.POST.get("type") or request.GET.get("type") or "play"
    if node_type not in flowdef.TYPES:
        node_type = "play"
    if request.method == "GET":
        existing = {r.id for r in display.rows(flow.draft)}
        n = 1
        while f"{node_type}_{n}" in existing:
            n += 1
        return _node_form(request, flow, flowdef.new_node(node_type, f"{node_type}_{n}"), original_id=None)
    node = forms.node_from_post(request.POST, node_type)
    try:
        flows.flow_node_save(actor=request.user, flow=flow, node=node)
    except KefuError as exc:
        return _node_form(request, flow, node, original_id=None, status=400,
                          problems=(exc.details or {}).get("problems") or [str(exc.message)])
    messages.success(request, _("Node “%(id)s” added to the draft.") % {"id": node["id"]})
    return _redirect_htmx(reverse("ivr:flow", args=[flow.pk]) + f"#node-{node['id']}")


@require_http_methods(["GET", "POST"])
@perm_required("ivr.flow.edit")
def node_edit(request, pk, node_id):
    flow = _flow_or_404(pk)
    raw = next((n for n in (flow.draft.get("nodes") or []) if isinstance(n, dict) and n.get("id") == node_id), None) \
        if isinstance(flow.draft, dict) else None
    if raw is None:
        raise Http404(_("No such node in the draft."))
    if request.method == "GET":
        return _node_form(request, flow, raw, original_id=node_id)
    node = forms.node_from_post(request.POST, raw.get("type"))
    try:
        flows.flow_node_save(actor=request.user, flow=flow, node=node, original_id=node_id)
    except KefuError as exc:
        return _node_form(request, flow, node, original_id=node_id, status=400,
                          problems=(exc.details or {}).get("problems") or [str(exc.message)])
    messages.success(request, _("Node “%(id)s” saved in the draft.") % {"id": node["id"]})
    return _redirect_htmx(reverse("ivr:flow", args=[flow.pk]) + f"#node-{node['id']}")


@require_POST
@perm_required("ivr.flow.edit")
def node_delete(request, pk, node_id):
    flow = _flow_or_404(pk)
    try:
        flows.flow_node_delete(actor=request.user, flow=flow, node_id=node_id)
        messages.success(request, _("Node “%(id)s” removed from the draft.") % {"id": node_id})
    except KefuError as exc:
        messages.error(request, exc.message)
    return redirect("ivr:flow", pk=flow.pk)


@require_POST
@perm_required("ivr.flow.edit")
def set_start(request, pk):
    flow = _flow_or_404(pk)
    draft = dict(flow.draft) if isinstance(flow.draft, dict) else {"nodes": []}
    draft["start"] = request.POST.get("start", "")[:32]
    flows.flow_draft_save(actor=request.user, flow=flow, definition=draft)
    messages.success(request, _("Start node set."))
    return redirect("ivr:flow", pk=flow.pk)


@require_POST
@perm_required("ivr.flow.edit")
def draft_json(request, pk):
    flow = _flow_or_404(pk)
    text = request.POST.get("definition", "")
    try:
        definition = json.loads(text)
        flows.flow_draft_save(actor=request.user, flow=flow, definition=definition)
    except ValueError as exc:
        problems = [_("The definition is not valid JSON: %(err)s") % {"err": exc}]
    except KefuError as exc:
        problems = [str(exc.message)]
    else:
        messages.success(request, _("Draft saved. Publish it to make it what callers hear."))
        return redirect("ivr:flow", pk=flow.pk)
    return render(request, "ivr/flow.html", _detail_context(request, flow, json_text=text, json_problems=problems),
                  status=400)


@require_POST
@perm_required("ivr.flow.edit")
def draft_reset(request, pk):
    flow = _flow_or_404(pk)
    flows.flow_draft_reset(actor=request.user, flow=flow)
    messages.success(request, _("The draft is back to the current version."))
    return redirect("ivr:flow", pk=flow.pk)


@require_POST
@perm_required("ivr.flow.edit")
def publish(request, pk):
    flow = _flow_or_404(pk)
    try:
        version = flows.flow_publish(actor=request.user, flow=flow, note=request.POST.get("note", "")[:200])
    except KefuError as exc:
        problems = (exc.details or {}).get("problems") or [str(exc.message)]
        return render(request, "ivr/flow.html", _detail_context(request, flow, publish_problems=problems),
                      status=400)
    messages.success(request, _("Version %(n)s published. Calls in progress keep the version they started with.")
                     % {"n": version.number})
    return redirect("ivr:flow", pk=flow.pk)


# --- test calls ------------------------------------------------------------------------


def _step(request, session, commands, *, hung_up=False):
    return render(request, "ivr/partials/_testcall_step.html", {
        "session": session, "lines": display.describe(commands), "expect": testcalls.expecting(commands),
        "hung_up": hung_up})


def _test_error(request, exc: KefuError):
    return render(request, "ivr/partials/_testcall_error.html", {"message": exc.message}, status=exc.status)


@require_POST
@perm_required("ivr.flow.test")
def test_start(request, pk):
    flow = _flow_or_404(pk)
    form = forms.TestCallForm(request.POST)
    if not form.is_valid():
        return render(request, "ivr/partials/_testcall_error.html",
                      {"message": _("Enter the caller's number (digits only).")}, status=400)
    try:
        session, commands = testcalls.testcall_start(actor=request.user, flow=flow, caller=form.cleaned_data["caller"],
                                                     use_draft=form.cleaned_data["draft"])
    except KefuError as exc:
        return _test_error(request, exc)
    return render(request, "ivr/partials/_testcall.html", {
        "session": session, "lines": display.describe(commands), "expect": testcalls.expecting(commands),
        "keys": list(flowdef.KEYS)})


@require_POST
@perm_required("ivr.flow.test")
def test_input(request, session_id):
    try:
        session, commands = testcalls.testcall_input(actor=request.user, session_id=session_id,
                                                     digits=request.POST.get("digits", ""))
    except KefuError as exc:
        return _test_error(request, exc)
    return _step(request, session, commands)


@require_POST
@perm_required("ivr.flow.test")
def test_timeout(request, session_id):
    try:
        session, commands = testcalls.testcall_timeout(actor=request.user, session_id=session_id)
    except KefuError as exc:
        return _test_error(request, exc)
    return _step(request, session, commands)


@require_POST
@perm_required("ivr.flow.test")
def test_end(request, session_id):
    try:
        session = testcalls.testcall_end(actor=request.user, session_id=session_id)
    except KefuError as exc:
        return _test_error(request, exc)
    return _step(request, session, [], hung_up=True)
