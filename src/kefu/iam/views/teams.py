"""Team pages (班组): list and create, a team's page with its members."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError, ValidationFailed
from kefu.core.forms import apply_error
from kefu.core.htmx import is_htmx
from kefu.core.pagination import paginate, querystring_without_page

from .. import selectors
from ..forms import MemberForm, TeamForm
from ..services import teams as team_services
from .common import can, or_404

_TEAM_FIELDS = {"duplicate_name": "name", "required": "name", "org_inactive": "org", "leader_inactive": "leader_no",
                "leader_other_org": "leader_no", "staff_not_found": "leader_no", "too_long": "description"}


def _leader(request, form):
    no = (form.cleaned_data.get("leader_no") or "").strip()
    if not no:
        return None
    found, _missing = selectors.staff_by_employee_nos(actor=request.user, employee_nos=[no])
    if not found:
        raise ValidationFailed(_("No staff member with employee number %(no)s.") % {"no": no},
                               code="staff_not_found")
    return found[0]


def _render_list(request, *, status=200, form=None):
    q = request.GET.get("q", "")[:64]
    page = paginate(request, selectors.team_list(actor=request.user, q=q))
    return render(request, "iam/team_list.html", {
        "page": page, "qs": querystring_without_page(request), "q": q,
        "can_edit": can(request, "iam.team.edit"), "form": form or TeamForm(actor=request.user),
    }, status=status)


@perm_required("iam.team.view")
def team_list(request):
    return _render_list(request)


@perm_required("iam.team.edit")
@require_POST
def team_create(request):
    form = TeamForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            team = team_services.team_create(
                actor=request.user, name=form.cleaned_data["name"], org=form.cleaned_data["org"],
                leader=_leader(request, form), description=form.cleaned_data["description"],
            )
        except KefuError as exc:
            apply_error(form, exc, field_by_code=_TEAM_FIELDS)
            return _render_list(request, status=exc.status, form=form)
        messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
        return redirect("iam:team_detail", team_id=team.pk)
    return _render_list(request, status=400, form=form)


def _team(request, team_id):
    return or_404(selectors.team_get, actor=request.user, team_id=team_id)


def _members_context(request, team, *, form=None, error=""):
    return {"team": team, "members": selectors.team_members(team=team), "member_form": form or MemberForm(),
            "error": error, "can_edit": can(request, "iam.team.edit")}


def _render_detail(request, team, *, status=200, form=None):
    ctx = _members_context(request, team)
    ctx["form"] = form or TeamForm(actor=request.user, fixed_org=True, initial={
        "name": team.name, "description": team.description,
        "leader_no": team.leader.employee_no if team.leader_id else "",
    })
    return render(request, "iam/team_detail.html", ctx, status=status)


@perm_required("iam.team.view")
def team_detail(request, team_id):
    return _render_detail(request, _team(request, team_id))


@perm_required("iam.team.edit")
@require_POST
def team_edit(request, team_id):
    team = _team(request, team_id)
    form = TeamForm(request.POST, actor=request.user, fixed_org=True)
    if form.is_valid():
        try:
            team_services.team_update(actor=request.user, team=team, name=form.cleaned_data["name"],
                                      description=form.cleaned_data["description"], leader=_leader(request, form))
        except KefuError as exc:
            apply_error(form, exc, field_by_code=_TEAM_FIELDS)
            return _render_detail(request, team, status=exc.status, form=form)
        messages.success(request, _("Team saved."))
        return redirect("iam:team_detail", team_id=team.pk)
    return _render_detail(request, team, status=400, form=form)


@perm_required("iam.team.edit")
@require_POST
def team_delete(request, team_id):
    team = _team(request, team_id)
    count = team_services.team_delete(actor=request.user, team=team)
    messages.success(request, _("Team “%(name)s” deleted; %(count)d people kept without a team.")
                     % {"name": team.name, "count": count})
    return redirect("iam:team_list")


def _members_answer(request, team, *, form=None, error=""):
    if is_htmx(request):
        # htmx swaps only 2xx answers: the error travels inside the partial.
        return render(request, "iam/partials/_team_members.html",
                      _members_context(request, team, form=form, error=error))
    if error:
        messages.error(request, error)
    return redirect("iam:team_detail", team_id=team.pk)


@perm_required("iam.team.edit")
@require_POST
def team_member_add(request, team_id):
    """Add by employee number; a non-agent is refused with the agents-only message."""
    team = _team(request, team_id)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _members_answer(request, team, form=form, error=_("Enter an employee number."))
    no = form.cleaned_data["employee_no"].strip()
    found, _missing = selectors.staff_by_employee_nos(actor=request.user, employee_nos=[no])
    if not found:
        return _members_answer(request, team, form=form,
                               error=_("No staff member with employee number %(no)s.") % {"no": no})
    try:
        team_services.team_add_member(actor=request.user, team=team, staff=found[0])
    except KefuError as exc:
        return _members_answer(request, team, form=form, error=str(exc.message))
    return _members_answer(request, team)


@perm_required("iam.team.edit")
@require_POST
def team_member_remove(request, team_id, staff_id):
    team = _team(request, team_id)
    staff = or_404(selectors.staff_get, actor=request.user, staff_id=staff_id)
    try:
        team_services.team_remove_member(actor=request.user, team=team, staff=staff)
    except KefuError as exc:
        return _members_answer(request, team, error=str(exc.message))
    return _members_answer(request, team)
