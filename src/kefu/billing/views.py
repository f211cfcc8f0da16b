"""The "Bills" section of the customer 360 page, as an htmx partial.

The crm page embeds it with
``<div hx-get="{% url 'billing:customer_summary' c.pk %}" hx-trigger="load"></div>``;
opening it is audited as a read of customer data (by the selector).
"""

from django.http import Http404
from django.shortcuts import render

from kefu.core.access import perm_required
from kefu.core.errors import NotFound
from kefu.iam.permissions import has_perm

from . import selectors


@perm_required("billing.bill.view")
def customer_summary(request, customer_id: int):
    try:
        summary = selectors.billing_summary_for(actor=request.user, customer_id=customer_id)
    except NotFound as exc:
        raise Http404(str(exc.message)) from None
    return render(request, "billing/partials/_summary.html", {
        "summary": summary,
        "can_see_payments": has_perm(request.user, "billing.payment.view"),
        "can_see_points": has_perm(request.user, "billing.points.view"),
    })
