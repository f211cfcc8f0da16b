"""Contact records (call detail records): a filtered list and one contact's timeline."""

from datetime import timedelta

from django.apps import apps
from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kefu.core.access import perm_required
from kefu.core.errors import NotFound
from kefu.core.pagination import paginate, querystring_without_page

from .. import selectors
from ..dispositions import disposition_label
from ..forms import ContactFilterForm
from ..models import Channel

EVENT_LABELS = {
    "arrived": pgettext_lazy("contact event", "Arrived"), "queued": pgettext_lazy("contact event", "Queued"),
    "offered": pgettext_lazy("contact event", "Offered to an agent"),
    "answered": pgettext_lazy("contact event", "Answered"),
    "offer_rejected": pgettext_lazy("contact event", "Offer rejected"),
    "offer_expired": pgettext_lazy("contact event", "Offer not answered in time"),
    "offer_withdrawn": pgettext_lazy("contact event", "Offer withdrawn"),
    "held": pgettext_lazy("contact event", "Put on hold"), "unheld": pgettext_lazy("contact event", "Resumed"),
    "transferred": pgettext_lazy("contact event", "Transferred"),
    "conference": pgettext_lazy("contact event", "Three-way call"), "ended": pgettext_lazy("contact event", "Ended"),
    "wrapped_up": pgettext_lazy("contact event", "Wrapped up"),
    "callback_requested": pgettext_lazy("contact event", "Callback requested"),
    "callback_queued": pgettext_lazy("contact event", "Callback queued"),
    "preview_accepted": pgettext_lazy("contact event", "Preview accepted"),
    "dial_requested": pgettext_lazy("contact event", "Dialling the customer"),
    "dial_ringing": pgettext_lazy("contact event", "Customer's phone ringing"),
    "dial_failed": pgettext_lazy("contact event", "Customer not reached"),
    "dial_answered_late": pgettext_lazy("contact event", "Answered after the dial was given up"),
    "message_left": pgettext_lazy("contact event", "Message left outside opening hours"),
}


def _duration(delta: timedelta) -> str:
    """``m:ss`` (or ``h:mm:ss``): a call's moments are read in seconds, not microseconds."""
    secs = max(0, int(delta.total_seconds()))
    h, rest = divmod(secs, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


@perm_required("contactcenter.contact.view")
def contact_list(request):
    # Without conditions the list shows today: the whole history is a query, not a default.
    data = request.GET if request.GET else {"since": selectors.day_start().strftime("%Y-%m-%dT%H:%M")}
    form = ContactFilterForm(data, actor=request.user)
    page = None
    if form.is_valid():
        filters = selectors.ContactFilters(**form.filters())
        page = paginate(request, selectors.contact_list(actor=request.user, filters=filters))
        for c in page.object_list:
            c.disposition_label = disposition_label(c.disposition)
    else:
        messages.error(request, _("Check the conditions."))
    return render(request, "contactcenter/contacts.html", {
        "form": form, "page": page, "qs": querystring_without_page(request)})


@perm_required("contactcenter.contact.view")
def contact_detail(request, pk):
    try:
        contact = selectors.contact_get(actor=request.user, contact_id=pk)
    except NotFound:
        raise Http404 from None
    events = list(selectors.contact_events(contact))
    for e in events:
        e.offset = _duration(e.at - contact.started_at)
        e.label = EVENT_LABELS.get(e.kind, e.kind)
    contact.disposition_label = disposition_label(contact.disposition)
    talk = _duration(contact.ended_at - contact.answered_at) if contact.ended_at and contact.answered_at else ""
    transcript_url = (reverse("webchat:transcript", kwargs={"contact_id": contact.pk})
                      if contact.channel == Channel.CHAT and apps.is_installed("kefu.webchat") else "")
    return render(request, "contactcenter/contact_detail.html", {
        "contact": contact, "events": events, "talk": talk, "transcript_url": transcript_url,
        "orders": selectors.orders_of_contact(actor=request.user, contact=contact)})


@perm_required("contactcenter.contact.view")
def customer_contacts(request, customer_id: int):
    """htmx partial for the customer 360 page: the customer's latest contacts in my scope."""
    try:
        contacts = selectors.customer_contacts(actor=request.user, customer_id=customer_id)
    except NotFound:
        raise Http404 from None
    for c in contacts:
        c.disposition_label = disposition_label(c.disposition)
    return render(request, "contactcenter/partials/_customer_contacts.html", {"contacts": contacts})
