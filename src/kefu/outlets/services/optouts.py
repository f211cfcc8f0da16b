"""Opt-outs: recorded, revoked, and asked before every message."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import NotFound, ValidationFailed

from ..models import OptOut, Outlet, Purpose
from ..models.message import REQUESTED_PURPOSES
from .recipients import number_normalize


def optout_find(*, outlet: Outlet, recipient: str, customer_id: int | None, purpose: str) -> OptOut | None:
    """The opt-out that stops this message, if any (see ``Purpose`` for the answers a customer asked for)."""
    who = Q(address=recipient)
    if customer_id is not None:
        who |= Q(customer_id=customer_id)
    which = Q(purpose=purpose) if purpose in REQUESTED_PURPOSES else Q(purpose="") | Q(purpose=purpose)
    # outlets_optout_address_idx / outlets_optout_customer_idx
    return (OptOut.objects.filter(who, which, Q(outlet__isnull=True) | Q(outlet=outlet), revoked_at__isnull=True)
            .order_by("created_at").first())


def _address(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    if "@" in raw:
        local, _at, domain = raw.rpartition("@")
        return f"{local}@{domain.lower()}"
    return number_normalize(raw)


@transaction.atomic
def optout_create(*, actor, address: str = "", customer=None, outlet: Outlet | None = None, purpose: str = "",
                  reason: str = "", source: str = "ui") -> OptOut:
    """Record an opt-out of a number/address or a customer (an active identical one is returned as is)."""
    address = _address(address)
    if not address and customer is None:
        raise ValidationFailed(_("Give a number, an address or a customer."), code="optout_empty",
                               details={"address": _("Give a number, an address or a customer.")})
    if purpose and purpose not in Purpose.values:
        raise ValidationFailed(_("Unknown purpose."), code="invalid_purpose", details={"purpose": _("Unknown purpose.")})
    same = OptOut.objects.filter(address=address, customer=customer, outlet=outlet, purpose=purpose,
                                 revoked_at__isnull=True).first()
    if same is not None:
        return same
    row = OptOut.objects.create(address=address, customer=customer, outlet=outlet, purpose=purpose,
                                reason=(reason or "")[:200], source=source[:16],
                                created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, changes={
        "address": [None, address], "customer": [None, customer.pk if customer else None],
        "outlet": [None, outlet.code if outlet else None], "purpose": [None, purpose or None],
        "source": [None, source]}, note=reason[:200])
    return row


@transaction.atomic
def optout_revoke(*, actor, optout_id: int) -> OptOut:
    row = OptOut.objects.select_for_update().filter(pk=optout_id, revoked_at__isnull=True).first()
    if row is None:
        raise NotFound(_("Opt-out not found."), code="optout_not_found")
    row.revoked_at = clock.now()
    row.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, action=AuditAction.REVOKE, obj=row, changes={"revoked_at": [None, str(row.revoked_at)]})
    return row
