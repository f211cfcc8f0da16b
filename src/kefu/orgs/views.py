"""Organisation pages: the tree, create, edit, move, (de)activate.

Views stay thin: shape input with a form, call a selector or service, show
the outcome. Every lookup goes through ``selectors.org_get_visible`` so a
node outside the person's subtree is a 404 here exactly as in the API.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_error
from kefu.core.htmx import is_htmx
from kefu.iam.permissions import has_perm

from . import selectors, services
from .forms import OrgCreateForm, OrgEditForm, OrgMoveForm

_FIELD_BY_CODE = {
    "duplicate_code": "code", "invalid_code": "code", "invalid_kind": "kind", "invalid_parent": "parent",
    "parent_inactive": "parent", "cycle": "parent", "root_not_allowed": "parent", "org_not_found": "parent",
    "invalid_external_kind": "external_kind", "too_deep": "parent",
}


def _visible_or_404(request, org_id: int):
    try:
        return selectors.org_get_visible(actor=request.user, org_id=org_id)
    except NotFound:
        raise Http404 from None


def _tree_url(org=None) -> str:
    url = reverse("orgs:tree")
    return f"{url}#org-{org.pk}" if org is not None else url


@perm_required("orgs.org.view")
def tree(request):
    """The organisation tree as an indented table; inactive nodes greyed."""
    show_inactive = request.GET.get("inactive", "1") != "0"
    forest = selectors.org_forest(actor=request.user, include_inactive=show_inactive)
    return render(request, "orgs/tree.html", {
        "rows": selectors.org_tree_rows(forest),
        "can_edit": has_perm(request.user, "orgs.org.edit"),
        "show_inactive": show_inactive,
    })


@perm_required("orgs.org.edit")
@require_http_methods(["GET", "POST"])
def create(request):
    actor = request.user
    kwargs = {"parent_rows": selectors.org_parent_choices(actor=actor),
              "allow_top": selectors.may_place_at_top(actor)}
    status = 200
    if request.method == "POST":
        form = OrgCreateForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                parent = selectors.org_parent_for(actor=actor, parent_id=form.parent_id())
                org = services.org_create(
                    actor=actor, code=data["code"], name=data["name"], kind=data["kind"], parent=parent,
                    external_kind=data["external_kind"], phone=data["phone"], address=data["address"],
                )
            except KefuError as exc:
                apply_error(form, exc, field_by_code=_FIELD_BY_CODE)
                status = exc.status
            else:
                messages.success(request, _("Organisation “%(name)s” created.") % {"name": org.name})
                return redirect(_tree_url(org))
        else:
            status = 400
    else:
        form = OrgCreateForm(initial={"parent": request.GET.get("parent", "")}, **kwargs)
    return render(request, "orgs/form.html", {"form": form, "title": _("New organisation")}, status=status)


@perm_required("orgs.org.edit")
@require_http_methods(["GET", "POST"])
def edit(request, org_id: int):
    org = _visible_or_404(request, org_id)
    status = 200
    if request.method == "POST":
        form = OrgEditForm(request.POST, org=org)
        if form.is_valid():
            data = form.cleaned_data
            try:
                org = services.org_update(
                    actor=request.user, org=org, name=data["name"], phone=data["phone"],
                    address=data["address"], external_kind=data.get("external_kind"), version=data["version"],
                )
            except KefuError as exc:
                apply_error(form, exc, field_by_code=_FIELD_BY_CODE)
                status = exc.status
            else:
                messages.success(request, _("Organisation “%(name)s” saved.") % {"name": org.name})
                return redirect(_tree_url(org))
        else:
            status = 400
    else:
        form = OrgEditForm(org=org, initial={
            "name": org.name, "phone": org.phone, "address": org.address,
            "external_kind": org.external_kind, "version": org.version,
        })
    return render(request, "orgs/form.html", {
        "form": form, "org": org, "title": _("Edit organisation"),
    }, status=status)


@perm_required("orgs.org.edit")
@require_http_methods(["GET", "POST"])
def move(request, org_id: int):
    actor = request.user
    org = _visible_or_404(request, org_id)
    kwargs = {"parent_rows": selectors.org_parent_choices(actor=actor, exclude=org),
              "allow_top": selectors.may_place_at_top(actor)}
    status = 200
    if request.method == "POST":
        form = OrgMoveForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                parent = selectors.org_parent_for(actor=actor, parent_id=form.parent_id())
                org = services.org_move(actor=actor, org=org, new_parent=parent,
                                        version=form.cleaned_data["version"])
            except KefuError as exc:
                apply_error(form, exc, field_by_code=_FIELD_BY_CODE)
                status = exc.status
            else:
                messages.success(request, _("Organisation “%(name)s” moved.") % {"name": org.name})
                return redirect(_tree_url(org))
        else:
            status = 400
    else:
        form = OrgMoveForm(initial={"parent": str(org.parent_id or ""), "version": org.version}, **kwargs)
    return render(request, "orgs/move.html", {"form": form, "org": org}, status=status)


@perm_required("orgs.org.edit")
@require_POST
def set_active(request, org_id: int):
    """Deactivate or reactivate one node. htmx gets the row back (or the
    error as JSON, which the page shows); a plain post goes back to the tree."""
    org = _visible_or_404(request, org_id)
    active = request.POST.get("active") == "1"
    try:
        org = services.org_set_active(actor=request.user, org=org, active=active)
    except KefuError as exc:
        if is_htmx(request):
            return JsonResponse(exc.as_dict(), status=exc.status)
        messages.error(request, str(exc.message))
        return redirect(_tree_url(org))
    if is_htmx(request):
        try:
            level = max(0, min(int(request.POST.get("level", 0)), 64))
        except ValueError:
            level = 0
        return render(request, "orgs/partials/_row.html", {"org": org, "level": level, "can_edit": True})
    done = _("Organisation “%(name)s” reactivated.") if active else _("Organisation “%(name)s” deactivated.")
    messages.success(request, done % {"name": org.name})
    return redirect(_tree_url(org))
