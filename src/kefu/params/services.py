"""Changing system parameters: typed, validated, audited, effective at once.

Values are parsed by the parameter's own definition (``Param.parse``), so
the UI, the API and any script accept and refuse exactly the same input.
Every change is one transaction with its audit entry, whose object is
``params.parameter`` / the key; the audit page shows durations as ``8h``
through the formatter registered in ``apps.ready``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Conflict

from .models import ParameterValue
from .registry import Param
from .selectors import param_definition

OBJECT_TYPE = "params.parameter"
#: Stored untranslated, shown translated by the audit page.
RESET_NOTE = gettext_noop("Reset to the default")


def _stale() -> Conflict:
    return Conflict(_("Someone else changed this parameter; reload and try again."), code="stale")


def _check_version(row: ParameterValue | None, version: int | None) -> None:
    if version is not None and version != (row.version if row else 0):
        raise _stale()


def _object_repr(p: Param) -> str:
    # The log is written in the center's language, whoever's screen is in English.
    with translation.override(settings.LANGUAGE_CODE):
        return f"{p.label} ({p.key})"


def _audit(actor, p: Param, before: Any, after: Any, note: str = "") -> None:
    audit_record(actor=actor, action=AuditAction.UPDATE, object_type=OBJECT_TYPE, object_id=p.key,
                 object_repr=_object_repr(p), changes={"value": [before, after]}, note=note)


@transaction.atomic
def param_set(*, actor, key: str, raw: Any, version: int | None = None) -> Any:
    """Parse and validate ``raw`` for parameter ``key`` and store it.

    ``version`` (optional; 0 for a never-changed parameter) guards against
    overwriting someone else's edit. Setting the value it already has changes
    nothing. Returns the stored value.
    """
    p = param_definition(key)
    value = p.parse(raw)
    row = ParameterValue.objects.select_for_update().filter(key=key).first()
    _check_version(row, version)
    before = p.default if row is None or row.is_default else row.value
    if value == before:
        return value
    if row is None:
        try:
            with transaction.atomic():
                ParameterValue.objects.create(key=key, value=value, updated_by=_staff(actor), version=1)
        except IntegrityError:
            raise _stale() from None  # created by someone else in the meantime
    else:
        row.value, row.is_default = value, False
        row.updated_by, row.updated_at = _staff(actor), clock.now()
        row.version += 1
        row.save()
    _audit(actor, p, before, value)
    return value


@transaction.atomic
def param_reset(*, actor, key: str, version: int | None = None) -> Any:
    """Back to the default declared in code (and following it from now on)."""
    p = param_definition(key)
    row = ParameterValue.objects.select_for_update().filter(key=key).first()
    _check_version(row, version)
    if row is None or row.is_default:
        return p.default
    before = row.value
    row.value, row.is_default = p.default, True
    row.updated_by, row.updated_at = _staff(actor), clock.now()
    row.version += 1
    row.save()
    _audit(actor, p, before, p.default, note=RESET_NOTE)
    return p.default


def _staff(actor):
    return actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
