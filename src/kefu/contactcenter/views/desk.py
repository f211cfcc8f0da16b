"""The agent desktop and the supervisor view: pages whose content is drawn by
desktop.js / supervisor.js from the API and kept live over WebSocket."""

from django.apps import apps
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kefu.core.access import perm_required
from kefu.iam.permissions import has_any_perm, has_perm

from ..dispositions import Disposition
from ..models import AgentState, CallbackReason, Channel, DialOutcome
from ..services.states import not_ready_reasons

KNOWLEDGE_READ = ("knowledge.article.view", "knowledge.article.edit", "knowledge.case.view", "knowledge.case.edit")


def _labels() -> dict:
    """Words the scripts show for codes found in the screen pop (tiers, brands, kinds…)."""
    from kefu.crm.selectors import code_labels
    from kefu.workorders.kinds import Kind

    return {
        "tiers": {"vip": pgettext("tier badge", "VIP"), "gotone": pgettext("tier badge", "GoTone"), "other": ""},
        **code_labels(),
        "channels": {k: str(v) for k, v in Channel.choices},
        "kinds": {k: str(v) for k, v in Kind.choices},
        "dispositions": {k: str(v) for k, v in Disposition.choices},
        "states": {k: str(v) for k, v in AgentState.choices},
        "unknown_caller": _("Unknown caller: no customer has this number."),
        "none": _("None"),
        "confirm_logout": _("Log out of the contact center?"),
        "confirm_force_logout": _("Log this agent out?"),
        "confirm_force_not_ready": _("Set this agent not ready?"),
        "connection_lost": _("Connection lost, reconnecting…"),
        "seconds": _("s"),
        "identity_verified": _("Identity verified"),
        "callback_reasons": {k: str(v) for k, v in CallbackReason.choices},
        "dial_outcomes": {k: str(v) for k, v in DialOutcome.choices},
        "attempt": _("attempt"),
        "last_outcome": _("last time:"),
    }


@perm_required("contactcenter.desk.use")
def desk(request):
    user = request.user
    billing = apps.is_installed("kefu.billing") and has_perm(user, "billing.bill.view")
    return render(request, "contactcenter/desk.html", {
        "reasons": not_ready_reasons(),
        "dispositions": Disposition.choices,
        "labels": _labels(),
        "api": "/api/contactcenter",
        "resync_ms": int(settings.KEFU_DESK_RESYNC_SECONDS * 1000),
        "billing_url": "/billing/customers/{id}/summary/" if billing else "",
        "knowledge": has_any_perm(user, KNOWLEDGE_READ),
        "webchat": apps.is_installed("kefu.webchat"),
        # Answering an SMS contact by SMS (the outlets' panel).
        "sms_reply": apps.is_installed("kefu.outlets") and has_perm(user, "outlets.message.send"),
        "can_create_order": has_perm(user, "workorders.order.create"),
        "order_url": reverse("workorders:create"),
        "customer_url": reverse("crm:customer_detail", kwargs={"pk": 0}).replace("/0/", "/{id}/")
        if has_perm(user, "crm.customer.view") else "",
    })


@perm_required("contactcenter.supervise.view")
def supervisor(request):
    return render(request, "contactcenter/supervisor.html", {
        "labels": _labels(),
        "api": "/api/contactcenter",
        "can_force": has_perm(request.user, "contactcenter.supervise.force"),
    })
