"""Temporary permissions (临时权限): nodes granted to named holders for a window.

Access checks compare the window with the clock, so a grant ends on time
even when no worker runs; ``temporary_permissions_expire`` (run by the
worker) then records the expiry in the audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed

from ..models import TemporaryPermission
from .checks import check_lengths, check_required
from .guards import check_can_delegate, is_person
from .roles import nodes_by_codes


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


def _check_window(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationFailed(_("The end must be after the start."), code="invalid_window")
    if ends_at <= clock.now():
        raise ValidationFailed(_("The end must be in the future."), code="invalid_window")


@transaction.atomic
def temporary_permission_grant(*, actor, reason: str, codes, holders, starts_at: datetime,
                               ends_at: datetime) -> TemporaryPermission:
    """Grant nodes to named holders for [starts_at, ends_at)."""
    reason = check_required(reason, _("reason"))
    holders = list(dict.fromkeys(holders))
    if not holders:
        raise ValidationFailed(_("Name at least one holder."), code="no_holders")
    _check_window(starts_at, ends_at)
    nodes = nodes_by_codes(codes)
    if not nodes:
        raise ValidationFailed(_("Choose at least one permission."), code="no_permissions")
    check_can_delegate(actor, [n.code for n in nodes])
    tp = TemporaryPermission(reason=reason, starts_at=starts_at, ends_at=ends_at,
                             granted_by=actor if is_person(actor) else None)
    check_lengths(tp, ("reason",))
    tp.save()
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
def temporary_permission_update(*, actor, tp: TemporaryPermission, reason: str | None = None,
                                ends_at: datetime | None = None) -> TemporaryPermission:
    """Extend or shorten a running or upcoming grant, or correct its reason."""
    tp = TemporaryPermission.objects.select_for_update().get(pk=tp.pk)
    if tp.revoked_at is not None or tp.ends_at <= clock.now():
        raise ValidationFailed(_("This temporary permission is over and can no longer be changed."),
                               code="temporary_over")
    check_can_delegate(actor, list(tp.nodes.values_list("code", flat=True)))
    changes: dict[str, list[Any]] = {}
    if reason is not None:
        reason = check_required(reason, _("reason"))
        if reason != tp.reason:
            changes["reason"] = [tp.reason, reason]
            tp.reason = reason
    if ends_at is not None and ends_at != tp.ends_at:
        _check_window(tp.starts_at, ends_at)
        changes["ends_at"] = [tp.ends_at, ends_at]
        tp.ends_at = ends_at
    check_lengths(tp, ("reason",))
    if changes:
        tp.save(update_fields=["reason", "ends_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=tp, object_repr=tp.reason, changes=changes)
    return tp


@transaction.atomic
def temporary_permission_revoke(*, actor, tp: TemporaryPermission) -> TemporaryPermission:
    """End a grant now. Revoking twice is harmless (idempotent).

    Unlike granting, revoking needs no delegation check: it is the emergency
    stop, and it can only take power away.
    """
    tp = TemporaryPermission.objects.select_for_update().get(pk=tp.pk)
    if tp.revoked_at is None:
        if tp.ends_at <= clock.now():
            raise ValidationFailed(_("This temporary permission has already ended."), code="temporary_over")
        tp.revoked_at = clock.now()
        tp.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditAction.REVOKE, obj=tp, object_repr=tp.reason,
                     changes={"revoked_at": [None, tp.revoked_at]})
    return tp
