"""Customer pages: search, 360, create/edit, accounts, subscribers, reveal and
service password. Views stay thin: form → service/selector → template."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.access import or_404, perm_required
from kefu.core.errors import KefuError
from kefu.core.htmx import is_htmx, template_for
from kefu.core.pagination import paginate, querystring_without_page
from kefu.iam.permissions import has_perm
from kefu.params.selectors import param_get

from . import selectors, services
from .forms import (
    AccountForm,
    CustomerCreateForm,
    CustomerEditForm,
    SearchForm,
    ServicePasswordResetForm,
    SubscriberForm,
    apply_service_error,
)
from .services.passwords import MAX_FAILURES


@perm_required("crm.customer.view")
def customer_search(request):
    """The search page; htmx requests get only the results table."""
    form = SearchForm(request.GET or None)
    page = None
    if form.is_valid() and form.has_conditions():
        filters = selectors.CustomerFilters(
            q=form.cleaned_data["q"], name_match=form.cleaned_data["name_match"] or "prefix",
            tier=form.cleaned_data["tier"], brand=form.cleaned_data["brand"],
        )
        page = paginate(request, selectors.customer_search(actor=request.user, filters=filters))
    template = template_for(request, "crm/customer_search.html", "crm/partials/_results.html")
    return render(request, template, {"form": form, "page": page, "qs": querystring_without_page(request),
                                      "can_create": has_perm(request.user, "crm.customer.edit")})


def _detail_context(request, view: selectors.Customer360, **extra) -> dict:
    user = request.user
    return {
        "v": view,
        "c": view.customer,
        "can_edit": has_perm(user, "crm.customer.edit"),
        "can_reveal": has_perm(user, "crm.customer.reveal"),
        "can_reset": has_perm(user, "crm.password.reset"),
        "max_failures": param_get(MAX_FAILURES),
        "reset_form": extra.pop("reset_form", None) or ServicePasswordResetForm(),
        **extra,
    }


@perm_required("crm.customer.view")
def customer_detail(request, pk: int):
    """Customer 360: opening it is audited as a read."""
    view = or_404(selectors.customer_360, actor=request.user, customer_id=pk)
    return render(request, "crm/customer_detail.html", _detail_context(request, view))


@require_POST
@perm_required("crm.customer.view", "crm.customer.reveal")
def customer_reveal(request, pk: int):
    """Show the clear certificate number and address (audited as a reveal)."""
    clear = or_404(selectors.customer_reveal, actor=request.user, customer_id=pk)
    if is_htmx(request):
        return render(request, "crm/partials/_sensitive.html", {"revealed": clear, "can_reveal": True})
    view = or_404(selectors.customer_360, actor=request.user, customer_id=pk)
    return render(request, "crm/customer_detail.html", _detail_context(request, view, revealed=clear))


@perm_required("crm.customer.edit")
def customer_create(request):
    form = CustomerCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        subscribers = []
        if d["number"]:
            subscribers.append(services.SubscriberSpec(number=d["number"], brand=d["brand"], plan=d["plan"]))
        try:
            customer = services.customer_create(
                actor=request.user, name=d["name"], kind=d["kind"], certificate_type=d["certificate_type"],
                certificate_no=d["certificate_no"], address=d["address"], org=d["org"], tier=d["tier"],
                vip_level=d["vip_level"], manager=d["manager_employee_no"], service_password=d["service_password"],
                accounts=[services.AccountSpec(name=d["account_name"], pay_method=d["pay_method"])],
                subscribers=subscribers,
            )
        except KefuError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Customer %(name)s created.") % {"name": customer.name})
            return redirect("crm:customer_detail", pk=customer.pk)
    return render(request, "crm/customer_form.html", {"form": form, "title": _("New customer")})


@perm_required("crm.customer.edit")
def customer_edit(request, pk: int):
    customer = or_404(selectors.customer_get, actor=request.user, customer_id=pk)
    form = CustomerEditForm(request.POST or None, actor=request.user,
                            initial=CustomerEditForm.initial_for(customer))
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_update(actor=request.user, customer=customer,
                                     version=form.cleaned_data["version"], **form.changes())
        except KefuError as exc:
            apply_service_error(form, exc, rename={"certificate_no": "new_certificate_no",
                                                   "address": "new_address"})
        else:
            messages.success(request, _("Customer %(name)s saved.") % {"name": form.cleaned_data["name"]})
            return redirect("crm:customer_detail", pk=customer.pk)
    return render(request, "crm/customer_form.html", {
        "form": form, "customer": customer, "title": _("Edit customer"),
        "masked": selectors.masked_identity(customer),
    })


@perm_required("crm.customer.edit")
def account_create(request, pk: int):
    customer = or_404(selectors.customer_get, actor=request.user, customer_id=pk)
    form = AccountForm(request.POST or None, initial={"name": customer.name})
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(actor=request.user, customer=customer, **form.cleaned_data)
        except KefuError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Account %(no)s opened.") % {"no": account.account_no})
            return redirect("crm:customer_detail", pk=customer.pk)
    return render(request, "crm/customer_form.html",
                  {"form": form, "customer": customer, "title": _("Open an account")})


@perm_required("crm.customer.edit")
def subscriber_create(request, pk: int):
    customer = or_404(selectors.customer_get, actor=request.user, customer_id=pk)
    form = SubscriberForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.subscriber_create(actor=request.user, customer=customer, **form.cleaned_data)
        except KefuError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Number %(number)s opened.") % {"number": sub.number})
            return redirect("crm:customer_detail", pk=customer.pk)
    return render(request, "crm/customer_form.html",
                  {"form": form, "customer": customer, "title": _("Open a line")})


@require_POST
@perm_required("crm.password.reset")
def service_password_unlock(request, pk: int):
    customer = or_404(selectors.customer_get, actor=request.user, customer_id=pk)
    services.service_password_unlock(actor=request.user, customer=customer)
    messages.success(request, _("Service password unlocked."))
    return redirect("crm:customer_detail", pk=customer.pk)


@require_POST
@perm_required("crm.password.reset")
def service_password_reset(request, pk: int):
    customer = or_404(selectors.customer_get, actor=request.user, customer_id=pk)
    form = ServicePasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.service_password_reset(actor=request.user, customer=customer,
                                            password=form.cleaned_data["password"])
        except KefuError as exc:
            form.add_error("password", str(exc.message))
        else:
            messages.success(request, _("Service password reset; tell the customer it is in effect now."))
            return redirect("crm:customer_detail", pk=customer.pk)
    view = or_404(selectors.customer_360, actor=request.user, customer_id=pk)
    return render(request, "crm/customer_detail.html", _detail_context(request, view, reset_form=form),
                  status=400)
