"""The customers' own page for choosing their notices (/subscribe/); no staff login.

The first page texts a link to the number typed; the link's page shows the number's choices and changes
them (``services.selfservice``). Plain forms with Django's CSRF token, so the page works without script.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kefu.core.access import public
from kefu.core.errors import KefuError

from .selectors import subscriptions_by_number
from .services.selfservice import DOOR, self_service_link_send, self_service_number
from .services.subscriptions import subscription_set

PUBLIC = "public: customers choose their own notices; changes need the link texted to their number"


@public(PUBLIC)
@require_http_methods(["GET", "POST"])
def self_service_start(request):
    sent, error, status, number = False, "", 200, ""
    if request.method == "POST":
        number = request.POST.get("number", "").strip()[:20]
        try:
            self_service_link_send(number=number, link_for=lambda token: request.build_absolute_uri(
                reverse("subscribe:choices", kwargs={"token": token})))
            sent = True  # the same answer whether or not the number is ours
        except KefuError as exc:
            error, status = str(exc.message), exc.status
    return render(request, "notices/self_service.html", {"sent": sent, "error": error, "number": number},
                  status=status)


@public(PUBLIC)
@require_http_methods(["GET", "POST"])
def self_service_choices(request, token: str):
    number = self_service_number(token)
    if number is None:
        return render(request, "notices/self_service.html", {"expired": True}, status=404)
    error = ""
    if request.method == "POST":
        try:
            subscription_set(actor=DOOR, number=number, kind=request.POST.get("kind", "")[:20], subscribed=request.POST.get("subscribed") == "1",
                             source="web")
            return redirect(request.path + "?saved=1")
        except KefuError as exc:
            error = str(exc.message)
    return render(request, "notices/self_service_choices.html", {
        "masked": number[:3] + "****" + number[-4:], "kinds": subscriptions_by_number(number=number),
        "saved": request.GET.get("saved") == "1", "error": error})
