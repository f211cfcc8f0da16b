"""The process-template editor: stations and actions as data, validated before publishing."""

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kefu.core.access import perm_required
from kefu.core.errors import KefuError

from .. import selectors, workflow
from ..services.templates import (
    template_out_of_reach,
    template_version_create,
    templates_ensure_defaults,
    templates_read_only,
)


@perm_required("workorders.template.view")
def template_list(request):
    templates_ensure_defaults(actor=request.user)
    templates = list(selectors.template_list(versions=True))
    read_only = templates_read_only(request.user)
    for t in templates:
        t.read_only = read_only(t)
    return render(request, "workorders/templates.html", {"templates": templates})


@perm_required("workorders.template.view")
@require_http_methods(["GET", "POST"])
def template_edit(request, pk):
    tpl = selectors.template_find(template_id=pk)
    if tpl is None:
        raise Http404
    current = tpl.current_version()
    text = json.dumps(current.definition, ensure_ascii=False, indent=2) if current else "{}"
    problems: list[str] = []
    from kefu.iam.permissions import has_perm

    read_only = template_out_of_reach(request.user, tpl)
    if request.method == "POST":
        if not has_perm(request.user, "workorders.template.edit") or read_only:
            return render(request, "core/forbidden.html", status=403)
        text = request.POST.get("definition", "")
        try:
            definition = json.loads(text)
        except ValueError as exc:
            problems = [_("The definition is not valid JSON: %(err)s") % {"err": exc}]
        else:
            try:
                template_version_create(actor=request.user, template=tpl, definition=definition,
                                        note=request.POST.get("note", "")[:200])
            except KefuError as exc:
                problems = (exc.details or {}).get("problems") or [str(exc.message)]
            else:
                messages.success(request, _("Version published. Orders already running keep their version."))
                return redirect("workorders:template", pk=tpl.pk)
    preview = None
    try:
        preview = workflow.parse(json.loads(text))
    except (ValueError, workflow.TemplateError):
        preview = None
    return render(request, "workorders/template_edit.html", {
        "template": tpl, "current": current, "text": text, "problems": problems, "preview": preview,
        "read_only": read_only, "can_edit": has_perm(request.user, "workorders.template.edit") and not read_only,
        "versions": selectors.template_versions(tpl),
        "language": request.LANGUAGE_CODE}, status=400 if problems else 200)
