"""Case library pages: list, read, write, publish, delete, and "make a case of this order"."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.core.pagination import paginate, querystring_without_page
from kefu.iam.permissions import has_perm

from .. import selectors
from ..forms import CaseFilterForm, CaseForm, CaseFromOrderForm
from ..services import cases as services
from ..visibility import CASE_EDIT, CASE_VIEW, access_of
from ._common import lookup_errors

ORDER_VIEW = "workorders.order.view"


@perm_required(CASE_VIEW, CASE_EDIT, any_of=True)
def case_list(request):
    access = access_of(request.user)
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    published = {"1": True, "0": False}.get(filters.get("published") or "")
    qs = selectors.case_list(actor=request.user, published=published, category=filters.get("category") or None,
                             search=filters.get("search"))
    if not access.case_editor:
        del form.fields["published"]
    return render(request, "knowledge/case_list.html", {
        "form": form, "page": paginate(request, qs), "qs": querystring_without_page(request),
        "can_edit": access.case_editor,
    })


@perm_required(CASE_VIEW, CASE_EDIT, any_of=True)
@lookup_errors
def case_detail(request, case_id: int):
    case = selectors.case_get(actor=request.user, case_id=case_id)
    return render(request, "knowledge/case_detail.html", {
        "case": case, "hl": (request.GET.get("hl") or "")[:200],
        "can_edit": access_of(request.user).case_editor,
        # The order page checks the scope itself; the link only needs the permission.
        "can_open_order": bool(case.source_order_id) and has_perm(request.user, ORDER_VIEW),
    })


def _data(form) -> services.CaseData:
    d = form.cleaned_data
    return services.CaseData(title=d["title"], situation=d["situation"], solution=d["solution"],
                             category=d["category"], subcategory=d["subcategory"])


@perm_required(CASE_EDIT)
@require_http_methods(["GET", "POST"])
def case_create(request):
    status = 200
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                case = services.case_create(actor=request.user, data=_data(form),
                                            publish=request.POST.get("publish") == "1")
            except KefuError as exc:
                apply_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Case “%(title)s” saved.") % {"title": case.title})
                return redirect("knowledge:case_detail", case_id=case.pk)
        else:
            status = 400
    else:
        form = CaseForm()
    return render(request, "knowledge/case_form.html", {"form": form, "title": _("New case")}, status=status)


@perm_required(CASE_EDIT)
@require_http_methods(["GET", "POST"])
@lookup_errors
def case_edit(request, case_id: int):
    case = selectors.case_for_edit(actor=request.user, case_id=case_id)
    status = 200
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                case = services.case_update(actor=request.user, case=case, data=_data(form),
                                            revision=form.cleaned_data["revision"])
            except KefuError as exc:
                apply_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Case “%(title)s” saved.") % {"title": case.title})
                return redirect("knowledge:case_detail", case_id=case.pk)
        else:
            status = 400
    else:
        form = CaseForm(initial={f: getattr(case, f) for f in
                                 ("title", "category", "subcategory", "situation", "solution", "revision")})
    return render(request, "knowledge/case_form.html", {"form": form, "case": case, "title": _("Edit case")},
                  status=status)


@perm_required(CASE_EDIT)
@require_POST
@lookup_errors
def case_publish(request, case_id: int):
    """Publish (``published=1``) or take back (``published=0``)."""
    case = selectors.case_for_edit(actor=request.user, case_id=case_id)
    publish = request.POST.get("published") == "1"
    try:
        case = services.case_set_published(actor=request.user, case=case, published=publish)
    except KefuError as exc:
        messages.error(request, str(exc.message))
    else:
        done = _("Case “%(title)s” published.") if publish else _("Case “%(title)s” taken back.")
        messages.success(request, done % {"title": case.title})
    return redirect("knowledge:case_detail", case_id=case.pk)


@perm_required(CASE_EDIT)
@require_POST
@lookup_errors
def case_delete(request, case_id: int):
    case = selectors.case_for_edit(actor=request.user, case_id=case_id)
    services.case_delete(actor=request.user, case=case)
    messages.success(request, _("Case “%(title)s” deleted.") % {"title": case.title})
    return redirect("knowledge:case_list")


@perm_required(CASE_EDIT, ORDER_VIEW)
@require_http_methods(["GET", "POST"])
@lookup_errors
def case_from_order(request, serial: str):
    """Make a case of a closed order: the form starts from the cleaned text,
    so the editor sees exactly what handlers will read. Linked from the
    work-order page; an order outside the editor's scope is a 404."""
    order = selectors.order_for_case(actor=request.user, serial=serial)
    existing = selectors.case_of_order(serial=order.serial)
    draft = services.case_draft_from_order(order)
    status = 200
    if request.method == "POST" and existing is None:
        form = CaseFromOrderForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.case_from_order(
                    actor=request.user, order=order, title=d["title"], category=d["category"],
                    solution=d["solution"], subcategory=d["subcategory"], publish=d["publish"],
                )
            except KefuError as exc:
                apply_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Case “%(title)s” made from work order %(serial)s.")
                                 % {"title": case.title, "serial": order.serial})
                return redirect("knowledge:case_detail", case_id=case.pk)
        else:
            status = 400
    else:
        form = CaseFromOrderForm(initial={"title": draft.title, "category": draft.category,
                                          "solution": draft.solution})
        status = 409 if request.method == "POST" else 200
    return render(request, "knowledge/case_from_order.html", {
        "form": form, "order": order, "draft": draft, "existing": existing, "closed": order.state == "closed",
    }, status=status)
