"""Reading parameter values. The stored values are held per process and
reloaded (one query for all of them) whenever any value changes, on any
process (``kefu.core.versioned``), so an edit takes effect immediately."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from kefu.core.errors import NotFound
from kefu.core.versioned import VersionedCache

from . import registry
from .models import ParameterValue


def param_definition(key: str) -> registry.Param:
    p = registry.definition(key)
    if p is None:
        raise NotFound(_("Unknown parameter “%(key)s”.") % {"key": key}, code="param_not_found")
    return p


def _stored() -> dict[str, Any]:
    """Every value set away from its default, by key (a few dozen rows at most)."""
    return {k: v for k, v, is_default in ParameterValue.objects.values_list("key", "value", "is_default")
            if not is_default}


_values = VersionedCache("params", _stored, watch=(ParameterValue,))


def param_raw(key: str) -> Any:
    """Stored value (seconds for durations); the code's default unless set."""
    p = param_definition(key)
    stored = _values.get()
    return stored.get(key, p.default)


def param_get(key: str) -> Any:
    """Typed value: ``timedelta`` for durations, int/bool/str otherwise."""
    return param_definition(key).as_python(param_raw(key))


@dataclass(frozen=True)
class ParamState:
    """A definition with its current value and the story of its last change,
    as the parameter page and the API show it."""

    definition: registry.Param
    value: Any
    is_default: bool
    version: int
    updated_at: datetime | None
    updated_by: Any

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def display(self) -> str:
        return self.definition.display(self.value)

    @property
    def input_value(self) -> str:
        return self.definition.as_input(self.value)

    @property
    def default_display(self) -> str:
        return self.definition.display(self.definition.default)

    @property
    def min_display(self) -> str | None:
        p = self.definition
        return None if p.min_value is None else p.display(p.min_value)

    @property
    def max_display(self) -> str | None:
        p = self.definition
        return None if p.max_value is None else p.display(p.max_value)


def _state(p: registry.Param, row: ParameterValue | None) -> ParamState:
    if row is None:
        return ParamState(p, p.default, True, 0, None, None)
    return ParamState(
        p, p.default if row.is_default else row.value, row.is_default, row.version, row.updated_at, row.updated_by
    )


def param_state(key: str) -> ParamState:
    p = param_definition(key)
    return _state(p, ParameterValue.objects.select_related("updated_by").filter(key=key).first())


def param_states(*, group: str | None = None) -> list[ParamState]:
    """Every declared parameter (optionally of one group), ordered by group
    and key, with its stored state; one query."""
    defs = [p for p in registry.definitions() if not group or p.group == group]
    rows = {r.key: r for r in ParameterValue.objects.select_related("updated_by").filter(
        key__in=[p.key for p in defs])}
    return [_state(p, rows.get(p.key)) for p in defs]


def param_groups() -> list[tuple[str, str, list[ParamState]]]:
    """``(group key, heading, states)`` for the parameter page."""
    out: list[tuple[str, str, list[ParamState]]] = []
    for state in param_states():
        group = state.definition.group
        if not out or out[-1][0] != group:
            out.append((group, registry.group_label(group), []))
        out[-1][2].append(state)
    return out
