"""List pages: my work, multi-condition query (with export), supervision, forwarding archive."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError, NotFound
from kefu.core.pagination import paginate, querystring_without_page
from kefu.orgs.selectors import org_active_list

from .. import selectors
from ..forms import QueryForm
from ..kinds import Kind
from ..models import Forward
from ..services.exports import export_request


@perm_required("workorders.order.handle")
def my_work(request):
    scope = request.GET.get("scope", "mine")
    if scope not in ("mine", "team", "org"):
        scope = "mine"
    page = paginate(request, selectors.my_work(actor=request.user, scope=scope))
    notices = selectors.notices_unread(actor=request.user)
    return render(request, "workorders/my_work.html", {
        "page": page, "qs": querystring_without_page(request), "scope": scope, "notices": notices,
        "kinds": Kind.choices})


@perm_required("workorders.order.view")
def query(request):
    form = QueryForm(request.GET or None)
    page = None
    if request.GET and form.is_valid():
        qs = selectors.order_query(actor=request.user, filters=selectors.OrderFilters(**form.filters()))
        page = paginate(request, qs)
    elif request.GET:
        messages.error(request, _("Check the conditions."))
    template = "workorders/partials/_query_results.html" if request.headers.get("HX-Request") else "workorders/query.html"
    return render(request, template, {"form": form, "page": page, "qs": querystring_without_page(request)})


@perm_required("workorders.order.export")
@require_POST
def export_start(request):
    form = QueryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the conditions."))
        return redirect("workorders:query")
    try:
        exp = export_request(actor=request.user, filters=form.filters(), fmt=request.POST.get("format", "csv"))
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect("workorders:query")
    return redirect("workorders:export", pk=exp.pk)


@perm_required("workorders.order.export")
def export_status(request, pk):
    exp = selectors.export_find(actor=request.user, export_id=pk)
    if exp is None:
        raise Http404
    template = "workorders/partials/_export_progress.html" if request.headers.get("HX-Request") else "workorders/export.html"
    return render(request, template, {"export": exp})


@perm_required("workorders.order.export")
def export_download(request, pk):
    exp = selectors.export_for_download(actor=request.user, export_id=pk)
    if exp is None:
        raise Http404
    return FileResponse(exp.file.open("rb"), as_attachment=True, filename=f"workorders-{exp.pk}.{exp.format}")


@perm_required("workorders.supervision.view")
def supervision(request):
    what = request.GET.get("what", "overdue")
    what = what if what in ("overdue", "warning") else "overdue"
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    org_id = request.GET.get("org")
    org_id = int(org_id) if org_id and org_id.isdigit() else None
    orgs = org_active_list(actor=request.user)
    page = paginate(request, selectors.supervision(actor=request.user, what=what, kind=kind, org_id=org_id))
    return render(request, "workorders/supervision.html", {
        "page": page, "qs": querystring_without_page(request), "what": what, "kind": kind, "org_id": org_id,
        "kinds": Kind.choices, "orgs": orgs})


@perm_required("workorders.coordination.view")
def forwards(request):
    state = request.GET.get("state", "")
    qs = selectors.forward_archive(actor=request.user, state=state if state in Forward.State.values else "")
    page = paginate(request, qs)
    return render(request, "workorders/forwards.html", {"page": page, "qs": querystring_without_page(request),
                                                        "state": state, "states": Forward.State.choices})


@perm_required("workorders.order.view")
def customer_orders(request, customer_id: int):
    """htmx partial for the customer 360 page: the customer's orders in my scope, newest first."""
    try:
        orders = selectors.customer_orders(actor=request.user, customer_id=customer_id)
    except NotFound:
        raise Http404 from None
    return render(request, "workorders/partials/_customer_orders.html", {"orders": orders,
                                                                          "customer_id": customer_id})
