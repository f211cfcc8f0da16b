"""Typed parameter definitions declared by each app in ``parameters.py``.

A definition knows its type, default, bounds or choices and description, and
how to parse and validate a value typed by an administrator. Durations are
stored as whole seconds and typed as e.g. ``8h``, ``30m``, ``1h30m``, ``90s``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.errors import ValidationFailed

INTEGER = "integer"
DURATION = "duration"
BOOLEAN = "boolean"
CHOICE = "choice"
TEXT = "text"
TYPES = (INTEGER, DURATION, BOOLEAN, CHOICE, TEXT)

_DURATION_RE = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$", re.I)


def parse_duration(text: str) -> int:
    """``"1h30m"`` → 5400. Plain digits are seconds."""
    text = str(text).strip()
    if text.isdigit():
        return int(text)
    m = _DURATION_RE.match(text)
    if not text or not m or not any(m.groups()):
        raise ValidationFailed(
            _("“%(value)s” is not a duration; write it like 8h, 30m or 1h30m.") % {"value": text},
            code="invalid_duration",
        )
    d, h, mi, s = (int(g or 0) for g in m.groups())
    return ((d * 24 + h) * 60 + mi) * 60 + s


def format_duration(seconds: int) -> str:
    seconds = int(seconds)
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        n, seconds = divmod(seconds, size)
        if n:
            parts.append(f"{n}{unit}")
    return "".join(parts)


@dataclass(frozen=True)
class Param:
    key: str
    type: str
    default: Any
    label: Any
    description: Any = ""
    group: str = "general"
    min_value: int | None = None
    max_value: int | None = None
    choices: tuple[tuple[str, Any], ...] = field(default_factory=tuple)
    max_length: int = 500

    def parse(self, raw: Any) -> Any:
        """Turn user input (string from a form, or JSON value) into a stored value."""
        if self.type == INTEGER:
            try:
                value = int(str(raw).strip()) if not isinstance(raw, bool) else None
            except ValueError:
                value = None
            if value is None:
                raise ValidationFailed(_("Enter a whole number."), code="invalid_integer")
        elif self.type == DURATION:
            value = raw if isinstance(raw, int) and not isinstance(raw, bool) else parse_duration(raw)
        elif self.type == BOOLEAN:
            if isinstance(raw, bool):
                value = raw
            elif str(raw).strip().lower() in {"1", "true", "yes", "on"}:
                value = True
            elif str(raw).strip().lower() in {"0", "false", "no", "off", ""}:
                value = False
            else:
                raise ValidationFailed(_("Enter yes or no."), code="invalid_boolean")
        elif self.type == CHOICE:
            value = str(raw)
            if value not in {c for c, _label in self.choices}:
                raise ValidationFailed(
                    _("“%(value)s” is not one of the allowed choices.") % {"value": value}, code="invalid_choice"
                )
        else:
            value = str(raw)
            if len(value) > self.max_length:
                raise ValidationFailed(
                    _("At most %(n)d characters.") % {"n": self.max_length}, code="too_long"
                )
        if self.type in (INTEGER, DURATION):
            if self.min_value is not None and value < self.min_value:
                raise ValidationFailed(
                    _("The value must be at least %(min)s.") % {"min": self.display(self.min_value)},
                    code="below_minimum",
                )
            if self.max_value is not None and value > self.max_value:
                raise ValidationFailed(
                    _("The value must be at most %(max)s.") % {"max": self.display(self.max_value)},
                    code="above_maximum",
                )
        return value

    def display(self, value: Any) -> str:
        if self.type == DURATION:
            return format_duration(value)
        if self.type == BOOLEAN:
            return _("Yes") if value else _("No")
        if self.type == CHOICE:
            return str(dict(self.choices).get(value, value))
        return str(value)

    def as_input(self, value: Any) -> str:
        """What an edit box shows: ``8h`` rather than 28800."""
        if self.type == DURATION:
            return format_duration(value)
        if self.type == BOOLEAN:
            return "1" if value else ""
        return str(value)

    def as_python(self, value: Any) -> Any:
        return timedelta(seconds=value) if self.type == DURATION else value


_params: dict[str, Param] = {}

#: Headings of the parameter page; an app names its own groups with a ``GROUPS``
#: dict in its ``parameters.py`` (or ``register_group``).
_groups: dict[str, Any] = {
    "sla": gettext_lazy("Deadlines and warnings"),
    "security": gettext_lazy("Security"),
    "general": gettext_lazy("General"),
}


def register_group(key: str, label: Any) -> None:
    _groups.setdefault(key, label)


def group_label(key: str) -> str:
    return str(_groups.get(key, key))


def register(params) -> None:
    for p in params:
        if p.type not in TYPES:
            raise ValueError(f"parameter {p.key}: unknown type {p.type}")
        _params.setdefault(p.key, p)


def autodiscover() -> None:
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("kefu."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.parameters")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.parameters":
                raise
            continue
        register(getattr(module, "PARAMETERS", []))
        for key, label in getattr(module, "GROUPS", {}).items():
            register_group(key, label)


def definitions() -> list[Param]:
    return sorted(_params.values(), key=lambda p: (p.group, p.key))


def definition(key: str) -> Param | None:
    return _params.get(key)
