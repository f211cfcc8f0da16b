"""Temporary permissions page (临时权限): grant to holders for a window, list by state, revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.core import clock
from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.core.pagination import paginate, querystring_without_page

from .. import selectors
from ..forms import TemporaryForm
from ..models import TemporaryPermission
from ..services import temporary as temporary_services
from .common import can, decorate_tree, or_404

_FIELDS = {"no_holders": "holders", "unknown_staff": "holders", "invalid_window": "ends_at",
           "no_permissions": "codes", "unknown_permission": "codes", "not_delegable": "codes", "required": "reason"}
STATES = [("", gettext_lazy("All")), *TemporaryPermission.State.choices]


def _mark(nodes, checked: set[str]):
    for node in nodes:
        node["checked"] = node["code"] in checked
        _mark(node["children"], checked)
    return nodes


def _render(request, *, status=200, form=None):
    state = request.GET.get("state", "")
    if state not in dict(STATES):
        state = ""
    page = paginate(request, selectors.temporary_list(actor=request.user, state=state))
    now = clock.now()
    for tp in page:
        tp.state = tp.state_at(now)
        tp.state_label = TemporaryPermission.State(tp.state).label
    ctx = {"page": page, "qs": querystring_without_page(request), "state": state, "states": STATES,
           "can_edit": can(request, "iam.temporary.edit"), "form": form or TemporaryForm()}
    if ctx["can_edit"]:
        tree = decorate_tree(selectors.permission_tree(actor=request.user), editable=True)
        ctx["tree"] = _mark(tree, set(form.data.getlist("codes")) if form is not None else set())
    return render(request, "iam/temporary_list.html", ctx, status=status)


@perm_required("iam.temporary.view")
def temporary_list(request):
    return _render(request)


@perm_required("iam.temporary.edit")
@require_POST
def temporary_create(request):
    actor = request.user
    form = TemporaryForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        holders, missing = selectors.staff_by_employee_nos(actor=actor, employee_nos=d["holders"])
        if missing:
            form.add_error("holders", _("Unknown employee number(s): %(nos)s") % {"nos": ", ".join(missing)})
            return _render(request, status=400, form=form)
        try:
            temporary_services.temporary_permission_grant(
                actor=actor, reason=d["reason"], codes=d["codes"], holders=holders,
                starts_at=d["starts_at"], ends_at=d["ends_at"],
            )
        except KefuError as exc:
            apply_error(form, exc, field_by_code=_FIELDS)
            return _render(request, status=exc.status, form=form)
        messages.success(request, _("Temporary permission granted to %(names)s.")
                         % {"names": ", ".join(h.name for h in holders)})
        return redirect("iam:temporary_list")
    return _render(request, status=400, form=form)


@perm_required("iam.temporary.edit")
@require_POST
def temporary_revoke(request, tp_id):
    tp = or_404(selectors.temporary_get, actor=request.user, tp_id=tp_id)
    try:
        temporary_services.temporary_permission_revoke(actor=request.user, tp=tp)
    except KefuError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Temporary permission “%(reason)s” revoked.") % {"reason": tp.reason})
    return redirect("iam:temporary_list")
