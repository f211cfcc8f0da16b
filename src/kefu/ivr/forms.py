"""Forms of the IVR editor.

The node form is generated from ``kefu.ivr.flow.FIELDS`` (one description of
every node type), so the editor, the validator and the runtime cannot drift
apart. Values that do not parse are kept as typed, so the validator names the
field in its message instead of the form silently dropping it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import flow as flowdef

KEY_NAMES = {k: f"key_{'star' if k == '*' else 'hash' if k == '#' else k}" for k in flowdef.KEYS}


class FlowCreateForm(forms.Form):
    hotline = forms.CharField(label=_("Hotline number"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=64)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class FlowSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active (answers calls)"), required=False)


class TestCallForm(forms.Form):
    caller = forms.CharField(label=_("Caller number"), max_length=20)
    draft = forms.BooleanField(label=_("Run the draft instead of the published version"), required=False)


@dataclass
class BoundField:
    """One field of a node as the template shows it."""

    field: flowdef.Field
    value: Any
    input_name: str

    @property
    def keys(self) -> list[tuple[str, str, str]]:
        """For the key table: (key, input name, chosen target)."""
        chosen = self.value if isinstance(self.value, dict) else {}
        return [(k, KEY_NAMES[k], str(chosen.get(k, ""))) for k in flowdef.KEYS]

    @property
    def options(self) -> list[tuple[str, Any]]:
        return list((self.field.options or {}).items())


def node_fields(node: dict) -> list[BoundField]:
    node_type = node.get("type")
    return [BoundField(field=f, value=node.get(f.name, "" if f.default is None else f.default),
                       input_name=f"f_{f.name}")
            for f in flowdef.FIELDS.get(node_type, ())]


def _int_or_raw(raw: str) -> Any:
    raw = raw.strip()
    try:
        return int(raw)
    except ValueError:
        return raw


def node_from_post(post, node_type: str) -> dict:
    """The node dict a posted node form describes (unset optional fields left out)."""
    node: dict[str, Any] = {"id": post.get("id", "").strip(), "type": node_type}
    name = post.get("name", "").strip()
    if name:
        node["name"] = name
    for f in flowdef.FIELDS.get(node_type, ()):
        key = f"f_{f.name}"
        if f.kind == "keys":
            node[f.name] = {k: post.get(n, "").strip() for k, n in KEY_NAMES.items() if post.get(n, "").strip()}
            continue
        if f.kind == "bool":
            if post.get(key):
                node[f.name] = True
            continue
        raw = post.get(key, "")
        if f.kind != "choice":
            raw = raw.strip()
        if raw == "" and not (f.kind == "choice" and f.options and "" in f.options and key in post):
            if f.required:
                node[f.name] = ""
            continue
        node[f.name] = _int_or_raw(raw) if f.kind == "int" else raw
    return node
