"""Pages of information publishing: requests with their progress, one request's results and callbacks (with
manual retry), external systems, and notice subscriptions (a page, and a section of the customer page)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import or_404, perm_required
from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_error
from kefu.core.pagination import paginate, querystring_without_page
from kefu.crm.selectors import customer_360
from kefu.iam.permissions import has_perm
from kefu.orgs.selectors import org_active_list

from . import selectors
from .forms import NumberForm, RecipientFilterForm, RequestFilterForm, SystemForm
from .services import callbacks, systems
from .services.subscriptions import subscription_set


@perm_required("notices.request.view")
def request_list(request):
    form = RequestFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.RequestFilters(state=data.get("state", ""), kind=data.get("kind", ""),
                                       problems=bool(data.get("problems")))
    qs = selectors.request_list(actor=request.user, filters=filters)
    return render(request, "notices/request_list.html", {
        "form": form, "page": paginate(request, qs), "qs": querystring_without_page(request)})


@perm_required("notices.request.view")
def request_detail(request, pk: int):
    req = or_404(selectors.request_get, actor=request.user, request_pk=pk)
    form = RecipientFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    recipients = selectors.request_recipients(req, status=data.get("status", ""), number=data.get("number", ""))
    return render(request, "notices/request_detail.html", {
        "req": req, "form": form, "page": paginate(request, recipients, per_page=50),
        "qs": querystring_without_page(request), "callbacks": selectors.request_callbacks(req),
        "can_retry": has_perm(request.user, "notices.request.retry")})


@perm_required("notices.request.retry")
@require_POST
def callback_retry(request, pk: int):
    cb = or_404(selectors.callback_get, actor=request.user, callback_id=pk)
    try:
        cb = callbacks.callback_retry(actor=request.user, callback_id=cb.pk)
    except KefuError as exc:
        messages.error(request, str(exc.message))
    else:
        if cb.state == "delivered":
            messages.success(request, _("Callback %(id)s delivered.") % {"id": cb.delivery_id})
        else:
            messages.warning(request, _("Callback %(id)s failed again: %(error)s") % {
                "id": cb.delivery_id, "error": cb.last_error or cb.last_status})
    return redirect("notices:request", pk=cb.request_id)


@perm_required("notices.system.view")
def system_list(request):
    issued = request.session.pop("notices_issued", None)
    return render(request, "notices/system_list.html", {
        "systems": selectors.system_list(), "can_edit": has_perm(request.user, "notices.system.edit"),
        "issued": issued})


def _remember_secret(request, issued: systems.Issued) -> None:
    """The secret is shown once, on the next page, then only its sealed form remains."""
    request.session["notices_issued"] = {"code": issued.system.code, "key_id": issued.system.key_id,
                                         "secret": issued.secret}


@perm_required("notices.system.edit")
@require_http_methods(["GET", "POST"])
def system_create(request):
    form = SystemForm(request.POST or None, orgs=org_active_list(actor=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            issued = systems.system_create(actor=request.user, data=systems.SystemData(
                code=d["code"], name=d["name"], callback_url=d["callback_url"], org_id=int(d["org"]),
                active=d["active"]))
        except KefuError as exc:
            apply_error(form, exc, field_by_code={"system_exists": "code", "invalid_url": "callback_url"})
        else:
            _remember_secret(request, issued)
            return redirect("notices:systems")
    return render(request, "notices/system_form.html", {"form": form, "system": None})


@perm_required("notices.system.edit")
@require_http_methods(["GET", "POST"])
def system_edit(request, pk: int):
    system = or_404(selectors.system_get, system_id=pk)
    form = SystemForm(request.POST or None, editing=True, initial={
        "name": system.name, "callback_url": system.callback_url, "active": system.active})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            systems.system_update(actor=request.user, system_id=pk, name=d["name"], callback_url=d["callback_url"],
                                  active=d["active"])
        except KefuError as exc:
            apply_error(form, exc, field_by_code={"invalid_url": "callback_url"})
        else:
            messages.success(request, _("External system %(code)s saved.") % {"code": system.code})
            return redirect("notices:systems")
    return render(request, "notices/system_form.html", {"form": form, "system": system})


@perm_required("notices.system.edit")
@require_POST
def system_rotate(request, pk: int):
    or_404(selectors.system_get, system_id=pk)
    _remember_secret(request, systems.system_rotate_secret(actor=request.user, system_id=pk))
    return redirect("notices:systems")


def _toggle(request, number: str, customer_id: int | None, source: str) -> None:
    kind, value = request.POST.get("kind", ""), request.POST.get("subscribed")
    try:
        subscription_set(actor=request.user, number=number, kind=kind, subscribed=value == "1",
                                       source=source, customer_id=customer_id)
    except KefuError as exc:
        messages.error(request, str(exc.message))


@perm_required("notices.subscription.view")
@require_http_methods(["GET", "POST"])
def subscriptions(request):
    form = NumberForm(request.GET or None)
    found, error = None, ""
    if form.is_valid():
        try:
            found = selectors.subscriptions_of(actor=request.user, number=form.cleaned_data["number"])
        except KefuError as exc:
            error = str(exc.message)
    can_edit = has_perm(request.user, "notices.subscription.edit")
    if request.method == "POST" and found is not None:
        if not can_edit:
            return render(request, "core/forbidden.html", {"codes": ("notices.subscription.edit",)}, status=403)
        _toggle(request, found.number, found.customer_id, "web")
        return redirect(f"{request.path}?number={found.number}")
    return render(request, "notices/subscriptions.html", {
        "form": form, "found": found, "error": error, "can_edit": can_edit,
        "changes": selectors.subscription_changes(actor=request.user)})


@perm_required("notices.subscription.view")
@require_http_methods(["GET", "POST"])
def customer_subscriptions(request, customer_id: int):
    """The customer page's section (htmx): each line's choices; an agent changes them with the customer."""
    try:
        view = customer_360(actor=request.user, customer_id=customer_id)
    except NotFound:
        raise Http404 from None
    can_edit = has_perm(request.user, "notices.subscription.edit")
    if request.method == "POST":
        if not can_edit:
            return render(request, "core/partials/_forbidden.html", {"codes": ("notices.subscription.edit",)},
                          status=403)
        number = request.POST.get("number", "")
        if number in {s.number for s in view.subscribers}:
            _toggle(request, number, customer_id, "agent")
    lines = [selectors.subscriptions_of(actor=request.user, number=s.number) for s in view.subscribers[:10]]
    return render(request, "notices/partials/_customer_subscriptions.html", {
        "customer_id": customer_id, "lines": lines, "can_edit": can_edit})
