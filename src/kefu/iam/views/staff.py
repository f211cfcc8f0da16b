"""Staff pages: list with filters, create, and the person's page (profile,
status, password reset and unlock, skills with levels, personal grants)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.core.htmx import is_htmx
from kefu.core.pagination import paginate, querystring_without_page

from .. import selectors
from ..forms import (
    ResetPasswordForm,
    SkillLevelForm,
    StaffCreateForm,
    StaffFilterForm,
    StaffProfileForm,
    StaffStatusForm,
)
from ..services import roles as grant_services
from ..services import skills as skill_services
from ..services import staff as staff_services
from ..services import throttle as throttle_services
from .common import can, decorate_tree, or_404

FIELD_BY_CODE = {
    "duplicate_employee_no": "employee_no", "weak_password": "password", "team_agents_only": "team",
    "team_other_org": "team", "org_inactive": "org", "invalid_email": "email", "invalid_birth_date": "birth_date",
    "super_role": "role", "not_delegable": "role", "invalid_level": "level", "wrong_password": "old_password",
}


@perm_required("iam.staff.view")
def staff_list(request):
    actor = request.user
    form = StaffFilterForm(request.GET or None, actor=actor)
    page = paginate(request, selectors.staff_list(actor=actor, **form.filters()))
    return render(request, "iam/staff_list.html", {
        "form": form, "page": page, "qs": querystring_without_page(request),
        "can_create": can(request, "iam.staff.create"), "login_blocks": _login_blocks(request),
    })


def _login_blocks(request):
    """Blocked client addresses, for someone who may unblock them (None: the section is not shown)."""
    if not can(request, "iam.staff.reset_password"):
        return None
    try:
        return list(selectors.login_blocks(actor=request.user)[:50])
    except KefuError:
        return None


@perm_required("iam.staff.reset_password")
@require_POST
def login_block_unblock(request, block_id):
    try:
        row = throttle_services.login_block_lift(actor=request.user, block_id=block_id)
    except KefuError as exc:
        if exc.status == 403:
            return render(request, "core/forbidden.html", status=403)
        raise Http404 from None
    messages.success(request, _("Logins from %(address)s are allowed again.") % {"address": row.address})
    return redirect("iam:staff_list")


@perm_required("iam.staff.create")
@require_http_methods(["GET", "POST"])
def staff_create(request):
    actor = request.user
    form = StaffCreateForm(request.POST or None, actor=actor)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                staff = staff_services.staff_create(actor=actor, **form.cleaned_data)
            except KefuError as exc:
                apply_error(form, exc, field_by_code=FIELD_BY_CODE)
                status = exc.status
            else:
                messages.success(request, _("%(name)s (%(no)s) created.") % {"name": staff.name, "no": staff.employee_no})
                return redirect("iam:staff_detail", staff_id=staff.pk)
    return render(request, "iam/staff_form.html", {"form": form}, status=status)


def _profile_initial(staff) -> dict:
    return {"name": staff.name, "org": staff.org_id, "role": staff.role_id, "position": staff.position,
            "team": staff.team_id, "level": staff.level, "gender": staff.gender, "birth_date": staff.birth_date,
            "phone": staff.phone, "email": staff.email, "address": staff.address}


def _skills_context(request, staff, form=None, error=""):
    return {
        "staff": staff, "error": error,
        "skills": staff.skill_levels.select_related("skill_group").order_by("skill_group__code"),
        "skill_form": form or SkillLevelForm(),
        "can_edit_skills": can(request, "iam.skill.edit"),
    }


def _render_detail(request, staff, *, status=200, **forms):
    actor = request.user
    ctx = {
        "staff": staff,
        "can_edit": can(request, "iam.staff.edit"),
        "can_reset": can(request, "iam.staff.reset_password"),
        "can_view_grants": can(request, "iam.grant.view"),
        "can_edit_grants": can(request, "iam.grant.edit"),
        "profile_form": forms.get("profile_form") or StaffProfileForm(initial=_profile_initial(staff), actor=actor),
        "status_form": forms.get("status_form") or StaffStatusForm(initial={"status": staff.status}),
        "reset_form": forms.get("reset_form") or ResetPasswordForm(),
        **_skills_context(request, staff, forms.get("skill_form")),
    }
    if ctx["can_view_grants"]:
        tree = selectors.permission_tree(staff=staff, actor=actor)
        ctx["tree"] = decorate_tree(tree, editable=ctx["can_edit_grants"])
        ctx["effective"] = selectors.effective_permissions(staff=staff)
    return render(request, "iam/staff_detail.html", ctx, status=status)


def _staff(request, staff_id):
    return or_404(selectors.staff_get, actor=request.user, staff_id=staff_id)


@perm_required("iam.staff.view")
def staff_detail(request, staff_id):
    return _render_detail(request, _staff(request, staff_id))


@perm_required("iam.staff.edit")
@require_POST
def staff_edit(request, staff_id):
    staff = _staff(request, staff_id)
    form = StaffProfileForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            staff_services.staff_update(actor=request.user, staff=staff, **form.cleaned_data)
        except KefuError as exc:
            apply_error(form, exc, field_by_code=FIELD_BY_CODE)
            return _render_detail(request, staff, status=exc.status, profile_form=form)
        messages.success(request, _("Profile saved."))
        return redirect("iam:staff_detail", staff_id=staff.pk)
    return _render_detail(request, staff, status=400, profile_form=form)


@perm_required("iam.staff.edit")
@require_POST
def staff_status(request, staff_id):
    staff = _staff(request, staff_id)
    form = StaffStatusForm(request.POST)
    if form.is_valid():
        try:
            staff = staff_services.staff_set_status(actor=request.user, staff=staff, status=form.cleaned_data["status"])
        except KefuError as exc:
            apply_error(form, exc)
            return _render_detail(request, staff, status=exc.status, status_form=form)
        messages.success(request, _("Status is now “%(status)s”.") % {"status": staff.get_status_display()})
        return redirect("iam:staff_detail", staff_id=staff.pk)
    return _render_detail(request, staff, status=400, status_form=form)


@perm_required("iam.staff.reset_password")
@require_POST
def staff_reset_password(request, staff_id):
    staff = _staff(request, staff_id)
    form = ResetPasswordForm(request.POST)
    if form.is_valid():
        try:
            staff_services.staff_reset_password(actor=request.user, staff=staff,
                                                password=form.cleaned_data["new_password"])
        except KefuError as exc:
            apply_error(form, exc, field_by_code={"weak_password": "new_password"})
            return _render_detail(request, staff, status=exc.status, reset_form=form)
        messages.success(request, _("The password of %(name)s has been reset.") % {"name": staff.name})
        return redirect("iam:staff_detail", staff_id=staff.pk)
    return _render_detail(request, staff, status=400, reset_form=form)


@perm_required("iam.staff.reset_password")
@require_POST
def staff_unlock(request, staff_id):
    staff = _staff(request, staff_id)
    try:
        staff_services.staff_unlock(actor=request.user, staff=staff)
    except KefuError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The login of %(name)s is unlocked.") % {"name": staff.name})
    return redirect("iam:staff_detail", staff_id=staff.pk)


def _skills_answer(request, staff, *, form=None, error="", status=200):
    if is_htmx(request):
        # htmx swaps only 2xx answers: errors travel inside the partial.
        return render(request, "iam/partials/_staff_skills.html", _skills_context(request, staff, form, error))
    if error:
        messages.error(request, error)
    return redirect("iam:staff_detail", staff_id=staff.pk)


@perm_required("iam.skill.edit")
@require_POST
def staff_skill_set(request, staff_id):
    staff = _staff(request, staff_id)
    form = SkillLevelForm(request.POST)
    if not form.is_valid():
        return _skills_answer(request, staff, form=form, error=_("Choose a skill group and a level from 1 to 10."))
    try:
        skill_services.staff_skill_set(actor=request.user, staff=staff, skill_group=form.cleaned_data["skill_group"],
                                       level=form.cleaned_data["level"])
    except KefuError as exc:
        return _skills_answer(request, staff, form=form, error=str(exc.message))
    return _skills_answer(request, staff)


@perm_required("iam.skill.edit")
@require_POST
def staff_skill_remove(request, staff_id, group_id):
    staff = _staff(request, staff_id)
    group = or_404(selectors.skill_group_get, group_id=group_id)
    try:
        skill_services.staff_skill_remove(actor=request.user, staff=staff, skill_group=group)
    except KefuError as exc:
        return _skills_answer(request, staff, error=str(exc.message))
    return _skills_answer(request, staff)


@perm_required("iam.grant.edit")
@require_POST
def staff_grants(request, staff_id):
    """Save the personal-grant tree: grant and revoke the difference in one go."""
    staff = _staff(request, staff_id)
    try:
        result = grant_services.grants_apply_selection(actor=request.user, staff=staff,
                                                       codes=request.POST.getlist("codes"))
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return _render_detail(request, staff, status=exc.status)
    messages.success(request, grants_message(result))
    return redirect("iam:staff_detail", staff_id=staff.pk)


def grants_message(result: dict) -> str:
    if not result["granted"] and not result["revoked"]:
        return _("Nothing changed.")
    return _("Granted: %(granted)s. Revoked: %(revoked)s.") % {
        "granted": ", ".join(result["granted"]) or "—", "revoked": ", ".join(result["revoked"]) or "—",
    }
