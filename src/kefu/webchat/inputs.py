"""Turning what the UI and the API send into service inputs: organisation and queue looked up in the actor's
scope (outside it, they read like ones that do not exist)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.contactcenter.selectors import queue_get
from kefu.core.errors import KefuError, ValidationFailed
from kefu.orgs.selectors import org_internal_find

from .services.entries import EntryInput


def org_of(actor, org_id):
    org = org_internal_find(actor=actor, org_id=org_id) if org_id not in (None, "") else None
    if org is None:
        raise ValidationFailed(_("Unknown organisation."), code="invalid", details={"org": _("Unknown organisation.")})
    return org


def queue_of(actor, queue_id):
    try:
        return queue_get(actor=actor, queue_id=queue_id)
    except KefuError:
        raise ValidationFailed(_("Unknown queue."), code="invalid", details={"queue": _("Unknown queue.")}) from None


def entry_input(actor, data: dict) -> EntryInput:
    return EntryInput(hotline=str(data.get("hotline") or ""), name=str(data.get("name") or ""),
                      org=org_of(actor, data.get("org")), queue=queue_of(actor, data.get("queue")),
                      welcome=str(data.get("welcome") or ""), enabled=bool(data.get("enabled", True)))
