"""The change log (CHANGELOG.md, "Keep a Changelog" style) as data, for the UI and the API.

Pure parsing, forgiving by design: several people add lines to the file, so a
heading in an unexpected form, an entry outside any section, a wrapped or
indented continuation line or a stray paragraph never break the page — at
worst a line is kept as text of the entry before it or left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

_VERSION = re.compile(r"^##\s+\[?(?P<version>[^\]\s(]+)\]?(?:\s*[-–—(]\s*(?P<date>\d{4}-\d{2}-\d{2})\)?)?")
_SECTION = re.compile(r"^###\s+(?P<title>.+?)\s*#*\s*$")
_ENTRY = re.compile(r"^\s{0,3}[-*+]\s+(?P<text>.*)$")


@dataclass
class Section:
    title: str
    entries: list[str] = field(default_factory=list)


@dataclass
class Version:
    version: str
    date: str | None = None
    sections: list[Section] = field(default_factory=list)

    def section(self, title: str) -> Section:
        if not self.sections or self.sections[-1].title != title:
            self.sections.append(Section(title))
        return self.sections[-1]


def changelog_parse(text: str) -> list[Version]:
    """Versions, newest first as written, each with its sections and entries (continuation lines joined)."""
    versions: list[Version] = []
    current: Version | None = None
    entry_open = False
    in_fence = False
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            entry_open = False
            continue
        if in_fence:
            continue
        if m := _VERSION.match(line):
            current = Version(version=m.group("version"), date=m.group("date"))
            versions.append(current)
            entry_open = False
        elif current is None or line.startswith("# "):
            continue  # the title and preamble
        elif m := _SECTION.match(line):
            current.section(m.group("title"))
            entry_open = False
        elif m := _ENTRY.match(line):
            title = current.sections[-1].title if current.sections else ""
            current.section(title).entries.append(m.group("text").strip())
            entry_open = True
        elif not line.strip():
            entry_open = False
        elif entry_open and (raw.startswith((" ", "\t")) or not line.startswith("#")):
            section = current.sections[-1]
            section.entries[-1] = f"{section.entries[-1]} {line.strip()}".strip()
    for v in versions:
        v.sections = [s for s in v.sections if s.entries]
    return versions


def _source() -> str:
    """CHANGELOG.md packaged with kefu, or the repository's when running from a checkout."""
    try:
        packaged = resources.files("kefu").joinpath("CHANGELOG.md")
        if packaged.is_file():
            return packaged.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        pass
    repo = Path(__file__).resolve().parents[3] / "CHANGELOG.md"
    return repo.read_text(encoding="utf-8") if repo.is_file() else ""


@lru_cache(maxsize=1)
def changelog() -> list[Version]:
    """The running version's change log (read once per process: it ships with the code)."""
    return changelog_parse(_source())
