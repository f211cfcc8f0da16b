"""Writing the audit log. Every service that changes data or reads customer
data calls one of these inside its own transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any, cast

from django.db import models

from kefu.core import context

from .models import AuditAction, AuditEntry

#: Field names whose values never reach the log in clear.
_SECRET_FIELDS = {"password", "service_password", "token_hash", "secret"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(obj: models.Model, fields) -> dict[str, Any]:
    """Field values of ``obj`` for a before/after comparison."""
    out = {}
    for name in fields:
        field = cast(models.Field, obj._meta.get_field(name))
        value = getattr(obj, field.attname)
        out[name] = _jsonable(value)
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for fields that changed; secrets masked."""
    changed: dict[str, list[Any]] = {}
    for key in after:
        if before.get(key) != after.get(key):
            if key in _SECRET_FIELDS:
                changed[key] = ["***", "***"]
            else:
                changed[key] = [before.get(key), after.get(key)]
    return changed


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    changes: dict | None = None,
    conditions: dict | None = None,
    result_count: int | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry. Call inside the caller's transaction."""
    meta = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = ""
    if actor_obj is not None:
        label = f"{actor_obj.employee_no} {actor_obj.name}"
    elif isinstance(actor, str):
        label = actor
    entry = AuditEntry(
        actor=actor_obj,
        actor_label=label[:100],
        ip=meta.ip,
        channel=meta.channel,
        request_id=meta.request_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=(object_repr or "")[:200],
        changes=_jsonable(changes or {}),
        conditions=_jsonable(conditions or {}),
        result_count=result_count,
        note=note[:255],
    )
    entry.save()
    return entry


def audit_create(*, actor, obj: models.Model, fields) -> AuditEntry:
    after = snapshot(obj, fields)
    return audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=diff({}, after))


def audit_update(*, actor, obj: models.Model, before: dict[str, Any],
                 conditions: dict | None = None) -> AuditEntry | None:
    """Log the fields of ``obj`` that differ from ``before``; nothing if none. ``conditions`` may name the
    customers the change showed (``{"customers": [...]}``), so the change is also the read of them."""
    after = snapshot(obj, before.keys())
    changes = diff(before, after)
    if not changes:
        return None
    return audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes, conditions=conditions)


def audit_delete(*, actor, obj: models.Model, fields) -> AuditEntry:
    before = snapshot(obj, fields)
    return audit_record(
        actor=actor, action=AuditAction.DELETE, obj=obj, changes={k: [v, None] for k, v in before.items()}
    )


def audit_search(*, actor, object_type: str, conditions: dict, result_count: int) -> AuditEntry:
    """Log a read or search of customer data: who, conditions, how many results."""
    return audit_record(
        actor=actor,
        action=AuditAction.SEARCH,
        object_type=object_type,
        conditions=conditions,
        result_count=result_count,
    )
