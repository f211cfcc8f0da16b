"""SMS text as the network carries it: alphabet, length, segments, and joining them back.

Pure Python, no Django: the gateways split what they send with it and the
inbound webhook joins what arrives with it.

- GSM 03.38 default alphabet (GSM-7): 160 septets in one message, 153 per
  segment of a concatenated one (the 6-byte UDH takes 7 septets). The
  extension table (``^{}\\[~]|€`` and form feed) is reached by an escape
  septet, so each of those characters counts 2 and a segment never ends
  between the escape and its character.
- Anything else (Chinese text among it) is sent as UCS-2: 70 characters in
  one message, 67 per segment. Characters outside the Basic Multilingual
  Plane take two UTF-16 code units and are never split.
- Segments of one message carry the same 8-bit concatenation reference, their
  total and their sequence number (UDH ``05 00 03 ref total seq``).
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"
_BASIC = frozenset(GSM7_BASIC) - {"\x1b"}
_EXTENSION = frozenset(GSM7_EXTENSION)

GSM7 = "gsm7"
UCS2 = "ucs2"
#: (single message, per segment when concatenated), in septets (GSM-7) or UTF-16 code units (UCS-2).
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}
MAX_SEGMENTS = 255


@dataclass(frozen=True)
class Segment:
    """One message on the air: its text and, when the text needed several, its concatenation header."""

    text: str
    seq: int = 1
    total: int = 1
    ref: int | None = None

    @property
    def udh(self) -> str:
        """The user data header as hex (empty for a single message)."""
        if self.ref is None:
            return ""
        return f"050003{self.ref:02X}{self.total:02X}{self.seq:02X}"


def is_gsm7(text: str) -> bool:
    return all(c in _BASIC or c in _EXTENSION for c in text)


def encoding_of(text: str) -> str:
    return GSM7 if is_gsm7(text) else UCS2


def _unit_cost(char: str, encoding: str) -> int:
    if encoding == GSM7:
        return 2 if char in _EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def length(text: str, encoding: str | None = None) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes."""
    encoding = encoding or encoding_of(text)
    return sum(_unit_cost(c, encoding) for c in text)


def count(text: str) -> tuple[str, int]:
    """The encoding and how many messages the text takes (an empty text is one message)."""
    encoding = encoding_of(text)
    units = length(text, encoding)
    single, per_segment = LIMITS[encoding]
    if units <= single:
        return encoding, 1
    return encoding, -(-units // per_segment)


def split(text: str, *, ref: int = 0) -> tuple[str, list[Segment]]:
    """The encoding and the segments of ``text``; ``ref`` (0–255) marks the segments of one message.

    Raises ValueError when the text needs more than 255 segments (the header cannot number them).
    """
    encoding = encoding_of(text)
    single, per_segment = LIMITS[encoding]
    if length(text, encoding) <= single:
        return encoding, [Segment(text=text)]
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        cost = _unit_cost(char, encoding)
        if used + cost > per_segment:
            chunks.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += cost
    if current:
        chunks.append("".join(current))
    if len(chunks) > MAX_SEGMENTS:
        raise ValueError(f"text needs {len(chunks)} segments, at most {MAX_SEGMENTS} can be numbered")
    ref = ref % 256
    total = len(chunks)
    return encoding, [Segment(text=c, seq=i, total=total, ref=ref) for i, c in enumerate(chunks, start=1)]


def parse_udh(udh: str) -> tuple[int, int, int] | None:
    """(ref, total, seq) of an 8-bit or 16-bit concatenation header given as hex, or None."""
    try:
        raw = bytes.fromhex(udh or "")
    except ValueError:
        return None
    if len(raw) == 6 and raw[0] == 5 and raw[1] == 0 and raw[2] == 3:
        ref, total, seq = raw[3], raw[4], raw[5]
    elif len(raw) == 7 and raw[0] == 6 and raw[1] == 8 and raw[2] == 4:
        ref, total, seq = (raw[3] << 8) | raw[4], raw[5], raw[6]
    else:
        return None
    if total < 1 or not 1 <= seq <= total:
        return None
    return ref, total, seq


def join(parts: list[tuple[int, str]]) -> str:
    """The text of a concatenated message from its (seq, text) parts, in any order."""
    return "".join(text for _seq, text in sorted(parts))
