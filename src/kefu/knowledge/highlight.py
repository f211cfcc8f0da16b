"""Highlighting search terms with ``<mark>``, in Python.

Both engines can highlight (FTS5 ``snippet()``, PostgreSQL ``ts_headline``),
but they would mark different things: the engines only see our bigram tokens,
not the original text. Doing it here marks the same characters on either
database, on the original (not normalised) text, and escapes it safely: the
only markup in the result is the ``<mark>`` we add.

A character is marked when it belongs to an occurrence of one of the query's
tokens; neighbouring marked characters form one ``<mark>``. So the query
国际漫游开通 marks 「国际漫游」业务「开通」 in 国际漫游业务开通流程.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .tokenize import query_tokens, tokens

ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")


def marked_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Merged ``(start, end)`` spans of ``text`` to mark for ``query``."""
    wanted = set(query_tokens(query))
    if not wanted or not text:
        return []
    spans = sorted((t.start, t.end) for t in tokens(text, unigrams=True) if t.text in wanted)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]], lo: int = 0, hi: int | None = None) -> str:
    hi = len(text) if hi is None else hi
    out, pos = [], lo
    for start, end in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:hi]))
    return "".join(out)


def highlight(text: str, query: str) -> SafeString:
    """The whole ``text``, escaped, with the query's terms marked."""
    return mark_safe(_render(text or "", marked_spans(text or "", query)))  # noqa: S308 - every piece escaped


def _best_window(spans: list[tuple[int, int]], length: int, size: int) -> int:
    """Start of the ``size``-long window holding the most marked characters."""
    if not spans:
        return 0
    best_start, best_score = 0, -1
    for anchor, _end in spans:
        start = max(0, min(anchor - size // 4, length - size))
        score = sum(min(e, start + size) - max(s, start) for s, e in spans if e > start and s < start + size)
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def snippet(text: str, query: str, *, size: int = 120) -> SafeString:
    """About ``size`` characters of ``text`` around its best match, escaped,
    whitespace collapsed, terms marked, with … where text was cut."""
    flat = _SPACES.sub(" ", text or "").strip()
    spans = marked_spans(flat, query)
    if len(flat) <= size:
        return mark_safe(_render(flat, spans))  # noqa: S308 - every piece escaped
    start = _best_window(spans, len(flat), size)
    end = min(len(flat), start + size)
    # Do not cut a mark in two at the window's edges.
    for s, e in spans:
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    body = _render(flat, spans, start, end)
    return mark_safe(  # noqa: S308 - every piece escaped
        (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(flat) else "")
    )
