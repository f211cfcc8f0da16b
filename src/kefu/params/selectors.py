"""Reading parameter values. Read from the database every time so that an
edit takes effect immediately on every process (one indexed lookup)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kefu.core.errors import NotFound

from . import registry
from .models import ParameterValue


def param_definition(key: str) -> registry.Param:
    p = registry.definition(key)
    if p is None:
        raise NotFound(_("Unknown parameter “%(key)s”.") % {"key": key}, code="param_not_found")
    return p


def param_raw(key: str) -> Any:
    """Stored value (seconds for durations)."""
    p = param_definition(key)
    row = ParameterValue.objects.filter(key=key).values_list("value", flat=True).first()
    return p.default if row is None else row


def param_get(key: str) -> Any:
    """Typed value: ``timedelta`` for durations, int/bool/str otherwise."""
    return param_definition(key).as_python(param_raw(key))
