"""Changing system parameters: typed, validated, audited, effective at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Conflict

from .models import ParameterValue
from .selectors import param_definition, param_raw


@transaction.atomic
def param_set(*, actor, key: str, raw: Any, version: int | None = None) -> Any:
    """Parse and validate ``raw`` for parameter ``key`` and store it.

    ``version`` (optional) guards against overwriting someone else's edit.
    Returns the stored value.
    """
    p = param_definition(key)
    value = p.parse(raw)
    before = param_raw(key)
    row = ParameterValue.objects.select_for_update().filter(key=key).first()
    current_version = row.version if row else 0
    if version is not None and version != current_version:
        raise Conflict(_("Someone else changed this parameter; reload and try again."), code="stale")
    if row is None:
        ParameterValue.objects.create(key=key, value=value, updated_by=_staff(actor), version=1)
    else:
        row.value, row.updated_by, row.updated_at = value, _staff(actor), clock.now()
        row.version += 1
        row.save()
    if before != value:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, object_type="params.parameter", object_id=key,
            object_repr=key, changes={"value": [before, value]},
        )
    return value


@transaction.atomic
def param_reset(*, actor, key: str) -> Any:
    """Back to the default declared in code."""
    p = param_definition(key)
    before = param_raw(key)
    ParameterValue.objects.filter(key=key).delete()
    if before != p.default:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, object_type="params.parameter", object_id=key,
            object_repr=key, changes={"value": [before, p.default]}, note="reset to default",
        )
    return p.default


def _staff(actor):
    return actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
