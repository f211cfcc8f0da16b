"""Temporary permissions (临时权限)."""

from __future__ import annotations

from django.db import transaction

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock

from ..models import TemporaryPermission


def temporary_permissions_expire(*, batch: int = 500) -> int:
    """Mark ended temporary permissions expired and audit each one.

    Access already ends at ``ends_at`` (checks compare with the clock); this
    records the expiry for the history. Idempotent: an expired row is skipped.
    """
    now = clock.now()
    done = 0
    # Uses tempperm_expiry_idx (expired_at, ends_at).
    ids = list(
        TemporaryPermission.objects.filter(expired_at__isnull=True, ends_at__lte=now)
        .order_by("ends_at")
        .values_list("id", flat=True)[:batch]
    )
    for tp_id in ids:
        with transaction.atomic():
            updated = TemporaryPermission.objects.filter(pk=tp_id, expired_at__isnull=True).update(expired_at=now)
            if not updated:
                continue  # another worker got there first
            tp = TemporaryPermission.objects.get(pk=tp_id)
            audit_record(
                actor="system",
                action=AuditAction.EXPIRE,
                obj=tp,
                object_repr=tp.reason,
                changes={
                    "holders": [list(tp.holders.values_list("employee_no", flat=True)), None],
                    "nodes": [list(tp.nodes.values_list("code", flat=True)), None],
                },
            )
            done += 1
    return done


@transaction.atomic
def temporary_permission_grant(*, actor, reason: str, codes, holders, starts_at, ends_at) -> TemporaryPermission:
    """Grant nodes to named holders for [starts_at, ends_at)."""
    from django.utils.translation import gettext as _

    from kefu.core.errors import ValidationFailed

    from .roles import nodes_by_codes

    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the temporary permission is needed."), code="required")
    holders = list(holders)
    if not holders:
        raise ValidationFailed(_("Name at least one holder."), code="no_holders")
    if ends_at <= starts_at:
        raise ValidationFailed(_("The end must be after the start."), code="invalid_window")
    if ends_at <= clock.now():
        raise ValidationFailed(_("The end must be in the future."), code="invalid_window")
    nodes = nodes_by_codes(codes)
    if not nodes:
        raise ValidationFailed(_("Choose at least one permission."), code="no_permissions")
    tp = TemporaryPermission.objects.create(
        reason=reason[:200], starts_at=starts_at, ends_at=ends_at,
        granted_by=actor if getattr(actor, "pk", None) else None,
    )
    tp.nodes.set(nodes)
    tp.holders.set(holders)
    audit_record(
        actor=actor, action=AuditAction.GRANT, obj=tp, object_repr=reason,
        changes={
            "holders": [None, [h.employee_no for h in holders]],
            "nodes": [None, [n.code for n in nodes]],
            "starts_at": [None, starts_at],
            "ends_at": [None, ends_at],
        },
    )
    return tp


@transaction.atomic
def temporary_permission_revoke(*, actor, tp: TemporaryPermission) -> TemporaryPermission:
    tp = TemporaryPermission.objects.select_for_update().get(pk=tp.pk)
    if tp.revoked_at is None:
        tp.revoked_at = clock.now()
        tp.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditAction.REVOKE, obj=tp, object_repr=tp.reason,
                     changes={"revoked_at": [None, tp.revoked_at]})
    return tp
