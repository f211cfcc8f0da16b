"""Tokenising Chinese (and mixed) text for full-text search, in pure Python.

Neither SQLite's FTS5 nor PostgreSQL's ``simple`` configuration can split
Chinese into words, and a dictionary segmenter (jieba) is a heavy dependency
whose vocabulary misses carrier jargon (携号转网, 全球通). Overlapping character
bigrams need no dictionary and find any two-character substring, which is what
agents type. So both engines index the *same* pre-tokenised text produced here
and only do the ranking; the tokens are plain ``[0-9a-z]`` words or CJK
characters separated by spaces, which every engine tokeniser keeps intact.

Rules:
- text is NFKC-normalised (full-width ``５Ｇ`` → ``5g``) and lower-cased;
- a run of CJK characters gives its overlapping bigrams (``国际漫游`` →
  ``国际 际漫 漫游``); documents also index each single character, so that a
  one-character query (``卡``) finds something;
- a run of other letters and digits is one word (``5G``, ``10086``, ``VoLTE``);
- everything else (punctuation, spaces, symbols) separates runs.

No Django imports: the tokeniser is reused by tests, the seed and the index.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

#: Longest word kept; longer runs (hashes, pasted garbage) are cut so that
#: no engine meets a token beyond its limit (PostgreSQL: 2047 bytes).
MAX_WORD = 40
#: Most tokens a query may have; longer queries are cut (bounded query cost).
MAX_QUERY_TOKENS = 24

_CJK_RANGES = (
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x2FA1F),  # CJK extensions B–F, compatibility supplement
)

CJK, WORD, OTHER = "c", "w", "o"


def char_class(ch: str) -> str:
    """CJK (bigrammed), WORD (joined into words) or OTHER (separator)."""
    code = ord(ch)
    for lo, hi in _CJK_RANGES:
        if lo <= code <= hi:
            return CJK
    if ch.isalnum():
        return WORD
    return OTHER


@dataclass(frozen=True)
class Run:
    """A maximal run of one class in the normalised text, with the span it
    covers in the *original* text (so highlighting can mark the original)."""

    kind: str
    text: str
    starts: tuple[int, ...]  # original start offset of each normalised char
    ends: tuple[int, ...]  # original end offset of each normalised char


def _normalised_chars(text: str) -> Iterator[tuple[str, int, int]]:
    """(normalised char, original start, original end) for each output char."""
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch).lower() if not ch.isascii() else ch.lower()
        for n in norm:
            yield n, i, i + 1


def runs(text: str) -> Iterator[Run]:
    """Runs of CJK characters and of word characters; separators dropped."""
    kind, chars, starts, ends = None, [], [], []
    for ch, start, end in _normalised_chars(text or ""):
        cls = char_class(ch)
        if cls != kind:
            if kind in (CJK, WORD) and chars:
                yield Run(kind, "".join(chars), tuple(starts), tuple(ends))
            kind, chars, starts, ends = cls, [], [], []
        if cls != OTHER:
            chars.append(ch)
            starts.append(start)
            ends.append(end)
    if kind in (CJK, WORD) and chars:
        yield Run(kind, "".join(chars), tuple(starts), tuple(ends))


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offsets in the original text
    end: int


def _run_tokens(run: Run, *, unigrams: bool) -> Iterator[Token]:
    if run.kind == WORD:
        yield Token(run.text[:MAX_WORD], run.starts[0], run.ends[-1])
        return
    n = len(run.text)
    if n == 1:
        yield Token(run.text, run.starts[0], run.ends[0])
        return
    for i in range(n - 1):
        yield Token(run.text[i:i + 2], run.starts[i], run.ends[i + 1])
    if unigrams:
        for i in range(n):
            yield Token(run.text[i], run.starts[i], run.ends[i])


def tokens(text: str, *, unigrams: bool = False) -> list[Token]:
    """Tokens of ``text`` with their original spans (bigrams; see module doc)."""
    out: list[Token] = []
    for run in runs(text):
        out.extend(_run_tokens(run, unigrams=unigrams))
    return out


def index_text(text: str) -> str:
    """What a document stores in the index: bigrams, single CJK characters and
    words, space separated."""
    return " ".join(t.text for t in tokens(text, unigrams=True))


def query_tokens(query: str) -> list[str]:
    """Distinct tokens of a search query, in order, at most MAX_QUERY_TOKENS.

    A query uses bigrams only (single characters only for a one-character
    run): requiring every bigram is close to requiring the typed phrase.
    """
    seen: dict[str, None] = {}
    for token in tokens(query):
        seen.setdefault(token.text, None)
        if len(seen) >= MAX_QUERY_TOKENS:
            break
    return list(seen)
