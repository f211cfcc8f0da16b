"""Role pages: the list (with create and batch grant) and a role's page with
the permission-tree editor."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.orgs.selectors import scope_queryset

from .. import selectors
from ..forms import BatchGrantForm, RoleForm
from ..services import roles as role_services
from .common import can, decorate_tree, or_404
from .staff import grants_message

_ROLE_FIELDS = {"duplicate_name": "name", "required": "name", "super_role": "is_super", "too_long": "name"}
MEMBERS_SHOWN = 50


def _render_list(request, *, status=200, role_form=None, batch_form=None):
    return render(request, "iam/role_list.html", {
        "roles": selectors.role_list(actor=request.user),
        "can_edit": can(request, "iam.role.edit"),
        "can_grant": can(request, "iam.grant.edit"),
        "role_form": role_form or RoleForm(),
        "batch_form": batch_form or BatchGrantForm(actor=request.user),
    }, status=status)


@perm_required("iam.role.view")
def role_list(request):
    return _render_list(request)


@perm_required("iam.role.edit")
@require_POST
def role_create(request):
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            role = role_services.role_create(actor=request.user, **form.cleaned_data)
        except KefuError as exc:
            apply_error(form, exc, field_by_code=_ROLE_FIELDS)
            return _render_list(request, status=exc.status, role_form=form)
        messages.success(request, _("Role “%(name)s” created.") % {"name": role.name})
        return redirect("iam:role_detail", role_id=role.pk)
    return _render_list(request, status=400, role_form=form)


@perm_required("iam.grant.edit")
@require_POST
def role_batch(request):
    """Grant (or revoke) the chosen codes to every chosen role at once."""
    form = BatchGrantForm(request.POST, actor=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            role_services.grants_batch(actor=request.user, codes=d["codes"], roles=d["roles"], revoke=d["revoke"])
        except KefuError as exc:
            apply_error(form, exc, field_by_code={"unknown_permission": "codes", "not_delegable": "codes"})
            return _render_list(request, status=exc.status, batch_form=form)
        names = ", ".join(r.name for r in d["roles"])
        if d["revoke"]:
            messages.success(request, _("Revoked from %(roles)s.") % {"roles": names})
        else:
            messages.success(request, _("Granted to %(roles)s.") % {"roles": names})
        return redirect("iam:role_list")
    return _render_list(request, status=400, batch_form=form)


def _render_detail(request, role, *, status=200, form=None):
    actor = request.user
    members = scope_queryset(role.members.select_related("org", "team"), actor).order_by("employee_no")
    ctx = {
        "role": role,
        "members": members[:MEMBERS_SHOWN],
        "more_members": max(role.member_count - MEMBERS_SHOWN, 0),
        "can_edit": can(request, "iam.role.edit") and not role.read_only,
        "can_view_grants": can(request, "iam.grant.view"),
        "can_edit_grants": can(request, "iam.grant.edit") and not role.is_super and not role.read_only,
        "can_view_staff": can(request, "iam.staff.view"),
        "form": form or RoleForm(initial={"name": role.name, "description": role.description,
                                          "is_super": role.is_super}),
    }
    if ctx["can_view_grants"]:
        ctx["tree"] = decorate_tree(selectors.permission_tree(role=role, actor=actor),
                                    editable=ctx["can_edit_grants"])
    return render(request, "iam/role_detail.html", ctx, status=status)


def _role(request, role_id):
    return or_404(selectors.role_get, role_id=role_id, actor=request.user)


@perm_required("iam.role.view")
def role_detail(request, role_id):
    return _render_detail(request, _role(request, role_id))


@perm_required("iam.role.edit")
@require_POST
def role_edit(request, role_id):
    role = _role(request, role_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            role_services.role_update(actor=request.user, role=role, **form.cleaned_data)
        except KefuError as exc:
            apply_error(form, exc, field_by_code=_ROLE_FIELDS)
            return _render_detail(request, role, status=exc.status, form=form)
        messages.success(request, _("Role saved."))
        return redirect("iam:role_detail", role_id=role.pk)
    return _render_detail(request, role, status=400, form=form)


@perm_required("iam.role.edit")
@require_POST
def role_delete(request, role_id):
    role = _role(request, role_id)
    try:
        count = role_services.role_delete(actor=request.user, role=role)
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect("iam:role_detail", role_id=role.pk)
    messages.success(request, _("Role “%(name)s” deleted; %(count)d people kept without a role.")
                     % {"name": role.name, "count": count})
    return redirect("iam:role_list")


@perm_required("iam.grant.edit")
@require_POST
def role_grants(request, role_id):
    """Save the tree editor: grant and revoke the difference in one batch."""
    role = _role(request, role_id)
    try:
        result = role_services.grants_apply_selection(actor=request.user, role=role,
                                                      codes=request.POST.getlist("codes"))
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return _render_detail(request, role, status=exc.status)
    messages.success(request, grants_message(result))
    return redirect("iam:role_detail", role_id=role.pk)
