"""Translatable text for the pure cores, without importing Django.

The pure cores (``ivr.flow`` and the like) are plain Python so they can be
tested and reused on their own, yet their labels and problem messages are
shown to people in their own language. They mark text with ``gettext`` and
``gettext_lazy`` from here (the names ``makemessages`` looks for); the core
app plugs Django's translation in when it starts (``CoreConfig.ready``), and
until then, or outside Django, the text is returned as written.
"""

from __future__ import annotations

from collections.abc import Callable


def _as_written(message: str) -> str:
    return message


_translate: Callable[[str], str] = _as_written


def set_translator(translate: Callable[[str], str]) -> None:
    """Use ``translate`` (Django's ``gettext``) for every text marked here from now on."""
    global _translate
    _translate = translate


def gettext(message: str) -> str:
    """The message in the current language, now."""
    return _translate(message)


class LazyText:
    """A message translated each time it is shown (labels defined at import time)."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message

    def __str__(self) -> str:
        return _translate(self.message)

    def __repr__(self) -> str:
        return f"LazyText({self.message!r})"

    def __bool__(self) -> bool:
        return bool(self.message)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyText):
            return self.message == other.message
        return str(self) == other

    def __hash__(self) -> int:
        return hash(self.message)

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __mod__(self, args) -> str:
        return str(self) % args


def gettext_lazy(message: str) -> LazyText:
    """The message, translated when it is turned into text."""
    return LazyText(message)
