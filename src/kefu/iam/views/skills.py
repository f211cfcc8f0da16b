"""Skill group pages (技能组): list and create, a group's page with its holders and levels."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.core.htmx import is_htmx

from .. import selectors
from ..forms import HolderForm, SkillGroupForm
from ..services import skills as skill_services
from .common import can, or_404

_FIELDS = {"duplicate_code": "code", "required": "name", "too_long": "description"}


def _render_list(request, *, status=200, form=None):
    q = request.GET.get("q", "")[:64]
    return render(request, "iam/skill_list.html", {
        "groups": selectors.skill_group_list(q=q), "q": q,
        "can_edit": can(request, "iam.skill.edit"), "form": form or SkillGroupForm(),
    }, status=status)


@perm_required("iam.skill.view")
def skill_list(request):
    return _render_list(request)


@perm_required("iam.skill.edit")
@require_POST
def skill_create(request):
    form = SkillGroupForm(request.POST)
    if form.is_valid():
        try:
            group = skill_services.skill_group_create(actor=request.user, **form.cleaned_data)
        except KefuError as exc:
            apply_error(form, exc, field_by_code=_FIELDS)
            return _render_list(request, status=exc.status, form=form)
        messages.success(request, _("Skill group “%(name)s” created.") % {"name": group.name})
        return redirect("iam:skill_detail", group_id=group.pk)
    return _render_list(request, status=400, form=form)


def _holders_context(request, group, *, form=None, error=""):
    return {"group": group, "holders": selectors.skill_group_holders(actor=request.user, group=group),
            "holder_form": form or HolderForm(), "error": error, "can_edit": can(request, "iam.skill.edit")}


def _render_detail(request, group, *, status=200, form=None):
    ctx = _holders_context(request, group)
    ctx["form"] = form or SkillGroupForm(editing=True, initial={"name": group.name,
                                                                "description": group.description})
    return render(request, "iam/skill_detail.html", ctx, status=status)


def _group(group_id):
    return or_404(selectors.skill_group_get, group_id=group_id)


@perm_required("iam.skill.view")
def skill_detail(request, group_id):
    return _render_detail(request, _group(group_id))


@perm_required("iam.skill.edit")
@require_POST
def skill_edit(request, group_id):
    group = _group(group_id)
    form = SkillGroupForm(request.POST, editing=True)
    if form.is_valid():
        try:
            skill_services.skill_group_update(actor=request.user, group=group, **form.cleaned_data)
        except KefuError as exc:
            apply_error(form, exc, field_by_code=_FIELDS)
            return _render_detail(request, group, status=exc.status, form=form)
        messages.success(request, _("Skill group saved."))
        return redirect("iam:skill_detail", group_id=group.pk)
    return _render_detail(request, group, status=400, form=form)


@perm_required("iam.skill.edit")
@require_POST
def skill_delete(request, group_id):
    group = _group(group_id)
    count = skill_services.skill_group_delete(actor=request.user, group=group)
    messages.success(request, _("Skill group “%(name)s” deleted; %(count)d people lost this skill.")
                     % {"name": group.name, "count": count})
    return redirect("iam:skill_list")


def _holders_answer(request, group, *, form=None, error=""):
    if is_htmx(request):
        return render(request, "iam/partials/_skill_holders.html",
                      _holders_context(request, group, form=form, error=error))
    if error:
        messages.error(request, error)
    return redirect("iam:skill_detail", group_id=group.pk)


@perm_required("iam.skill.edit")
@require_POST
def skill_holder_set(request, group_id):
    """Give a person this skill at a level, or change their level."""
    group = _group(group_id)
    form = HolderForm(request.POST)
    if not form.is_valid():
        return _holders_answer(request, group, form=form,
                               error=_("Enter an employee number and a level from 1 to 10."))
    no = form.cleaned_data["employee_no"].strip()
    found, _missing = selectors.staff_by_employee_nos(actor=request.user, employee_nos=[no])
    if not found:
        return _holders_answer(request, group, form=form,
                               error=_("No staff member with employee number %(no)s.") % {"no": no})
    try:
        skill_services.staff_skill_set(actor=request.user, staff=found[0], skill_group=group,
                                       level=form.cleaned_data["level"])
    except KefuError as exc:
        return _holders_answer(request, group, form=form, error=str(exc.message))
    return _holders_answer(request, group)


@perm_required("iam.skill.edit")
@require_POST
def skill_holder_remove(request, group_id, staff_id):
    group = _group(group_id)
    staff = or_404(selectors.staff_get, actor=request.user, staff_id=staff_id)
    try:
        skill_services.staff_skill_remove(actor=request.user, staff=staff, skill_group=group)
    except KefuError as exc:
        return _holders_answer(request, group, error=str(exc.message))
    return _holders_answer(request, group)
