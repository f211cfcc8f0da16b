"""Making audit entries readable: object type names and before → after values.

Entries store raw values (ids, seconds, codes) so that they stay exact and
machine-readable; this module turns them into what a supervisor can read.
An app whose logged objects are not models, or whose raw values need a
formatter (durations of system parameters…), registers it here from its
``AppConfig.ready`` — the audit app never imports the apps it records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

#: formatter(object_id, field, value) -> str, or None to fall back to the default.
Formatter = Callable[[str, str, Any], "str | None"]

_labels: dict[str, Any] = {}
_formatters: dict[str, Formatter] = {}

_MAX_CHARS = 200
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

CHANNELS = {
    "web": gettext_lazy("Web"),
    "api": gettext_lazy("API"),
    "worker": gettext_lazy("Worker"),
    "cli": gettext_lazy("Command line"),
    "system": gettext_lazy("System"),
}


def channel_label(channel: str) -> str:
    return str(CHANNELS.get(channel, channel or "—"))


def _model(object_type: str):
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


def field_label(object_type: str, field: str) -> str:
    """The model field's verbose name when there is one, else the raw name."""
    model = _model(object_type)
    if model is not None:
        try:
            return str(model._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            pass
    return field


def register_object_type(object_type: str, label: Any, formatter: Formatter | None = None) -> None:
    """Name a non-model object type, and optionally format its values."""
    _labels[object_type] = label
    if formatter is not None:
        _formatters[object_type] = formatter


def object_type_label(object_type: str) -> str:
    if not object_type:
        return ""
    if object_type in _labels:
        return str(_labels[object_type])
    model = _model(object_type)
    if model is None:
        return object_type
    return str(model._meta.verbose_name).capitalize()


def object_type_choices() -> list[tuple[str, str]]:
    """Every object type a search may ask for: Kefu's models and registered types."""
    types = {
        m._meta.label_lower
        for m in apps.get_models()
        if m.__module__.startswith("kefu.") and not m._meta.auto_created
    }
    types.update(_labels)
    return sorted(((t, f"{object_type_label(t)} ({t})") for t in types), key=lambda c: c[1])


def format_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value) or "—"
    if isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, str) and _ISO_DATETIME.match(value):
        text = _local_time(value)
    else:
        text = str(value)
    return text if len(text) <= _MAX_CHARS else text[: _MAX_CHARS - 1] + "…"


def _local_time(text: str) -> str:
    """Logged datetimes are ISO text in UTC; show them in the center's time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _related_name(model, field: str, value: Any, cache: dict) -> str | None:
    """Name of the object a logged foreign-key id points to, when it still exists."""
    if model is None or value is None or isinstance(value, bool | list | dict):
        return None
    try:
        f = model._meta.get_field(field)
    except FieldDoesNotExist:
        return None
    if not isinstance(f, models.ForeignKey):
        return None
    key = (f.related_model, value)
    if key not in cache:
        obj = f.related_model._base_manager.filter(pk=value).first() if str(value).isdigit() else None
        cache[key] = str(obj) if obj is not None else None
    return cache[key]


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: str
    after: str


def change_rows(entry, *, cache: dict | None = None) -> list[ChangeRow]:
    """The entry's ``changes`` as readable ``field: before → after`` rows.

    Foreign keys show the related object's name (``cache`` shares look-ups
    across the rows of one page); rows where nothing visible changed (an
    empty field on creation) are left out.
    """
    cache = {} if cache is None else cache
    formatter = _formatters.get(entry.object_type)
    model = _model(entry.object_type)
    rows = []
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    for field, pair in changes.items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        shown = []
        for value in (before, after):
            name = _related_name(model, field, value, cache)
            shown.append(name if name is not None else _format(formatter, entry.object_id, field, value))
        if shown == ["—", "—"]:
            continue
        rows.append(ChangeRow(field_label(entry.object_type, field), shown[0], shown[1]))
    return rows


def _format(formatter: Formatter | None, object_id: str, field: str, value: Any) -> str:
    if formatter is not None and value is not None:
        try:
            shown = formatter(object_id, field, value)
        except (TypeError, ValueError):
            shown = None
        if shown is not None:
            return shown
    return format_value(value)


#: Keys that ``kefu.audit.reads`` adds to the conditions of a read.
_CONDITION_LABELS = {"shown": pgettext_lazy("audit conditions", "Shown"),
                     "customers": pgettext_lazy("audit conditions", "Customers")}


def _shown_text(value: dict) -> str:
    text = "; ".join(f"{object_type_label(t)}: {format_value(ids)}" for t, ids in value.items())
    return text if len(text) <= _MAX_CHARS else text[: _MAX_CHARS - 1] + "…"


def condition_rows(entry) -> list[tuple[str, str]]:
    conditions = entry.conditions if isinstance(entry.conditions, dict) else {}
    rows = []
    for key, value in conditions.items():
        label = str(_CONDITION_LABELS.get(key, key))
        rows.append((label, _shown_text(value) if key == "shown" and isinstance(value, dict) else format_value(value)))
    return rows


def note_text(note: str) -> str:
    return _(note) if note else ""
