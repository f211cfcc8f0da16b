"""Compiling translations without GNU gettext.

Translations live in each app's ``locale/<lang>/LC_MESSAGES/django.po``; the
compiled ``.mo`` files are build output (not committed). ``polib`` writes them
so that a fresh machine needs nothing but Python.
"""

from __future__ import annotations

import os
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def po_files(root: Path = PACKAGE_DIR) -> list[Path]:
    return sorted(root.glob("**/locale/*/LC_MESSAGES/*.po"))


def compile_translations(root: Path = PACKAGE_DIR, *, force: bool = False) -> list[Path]:
    """Write ``.mo`` next to every ``.po`` that is newer; returns what it wrote."""
    written = []
    for po_path in po_files(root):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        po = polib.pofile(str(po_path))
        # Write aside and rename: a process loading catalogs meanwhile never sees half a file.
        tmp = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
        po.save_as_mofile(str(tmp))
        os.replace(tmp, mo_path)
        written.append(mo_path)
    return written


def untranslated(root: Path = PACKAGE_DIR) -> dict[str, list[str]]:
    """Entries with no translation (or marked fuzzy), per file."""
    out = {}
    for po_path in po_files(root):
        po = polib.pofile(str(po_path))
        missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
        if missing:
            out[str(po_path.relative_to(root))] = missing
    return out
