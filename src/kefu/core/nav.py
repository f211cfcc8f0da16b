"""The navigation menu, filtered by permission.

Each entry names the URL and the permission that shows it. Apps append their
entries in their own ``nav.py`` (``ENTRIES``); the shell context processor
filters them for the person viewing the page.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    section: object  # lazy translated label of the group
    label: object
    url_name: str
    perm: str | None
    order: int = 100


_entries: list[NavEntry] | None = None


def entries() -> list[NavEntry]:
    global _entries
    if _entries is None:
        from django.apps import apps

        found: list[NavEntry] = []
        for config in apps.get_app_configs():
            if not config.name.startswith("kefu."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.nav")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.nav":
                    raise
                continue
            found.extend(getattr(module, "ENTRIES", []))
        _entries = sorted(found, key=lambda e: e.order)
    return _entries


def menu_for(user, current_path: str = "") -> list[dict]:
    """Sections with the entries this user may open, in order."""
    from kefu.iam.permissions import has_perm

    sections: dict[str, dict] = {}
    for entry in entries():
        if entry.perm and not has_perm(user, entry.perm):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        key = str(entry.section)
        section = sections.setdefault(key, {"label": entry.section, "items": []})
        section["items"].append({"label": entry.label, "url": url, "active": False})
    # Only the longest matching entry is the current page ("/crm/" must not light up on "/crm/customers/new/").
    items = [item for sec in sections.values() for item in sec["items"]]
    matching = [i for i in items if i["url"] != "/" and current_path.startswith(i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return list(sections.values())
