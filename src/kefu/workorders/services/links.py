"""Linking orders: a duplicate points at the order that carries the case."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_record
from kefu.core.errors import Conflict, ValidationFailed

from ..models import WorkOrder, WorkOrderLink


@transaction.atomic
def workorder_link_duplicate(*, actor, order: WorkOrder, original: WorkOrder) -> WorkOrderLink:
    if order.pk == original.pk:
        raise ValidationFailed(_("An order cannot duplicate itself."), code="self_link")
    if WorkOrderLink.objects.filter(src=original, dst=order, kind=WorkOrderLink.Kind.DUPLICATE_OF).exists():
        raise ValidationFailed(_("%(serial)s is already marked as a duplicate of this order.") % {
            "serial": original.serial}, code="cycle")
    try:
        with transaction.atomic():
            link = WorkOrderLink.objects.create(src=order, dst=original, kind=WorkOrderLink.Kind.DUPLICATE_OF)
    except IntegrityError:
        raise Conflict(_("These orders are already linked."), code="duplicate_link") from None
    audit_record(actor=actor, action="update", obj=order, changes={"duplicate_of": [None, original.serial]})
    return link
