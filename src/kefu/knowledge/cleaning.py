"""Cleaning work-order text before it becomes a case (案例脱敏).

A case is read by every handler in the center, long after the order closed,
so it must not carry the customer's identity: mobile and landline numbers,
identity-card numbers, other long numbers (bank cards, broadband accounts),
e-mail addresses and the customer's name. What is left is the situation and
the solution, which is what a handler needs.

Pure Python, no Django: ``case_from_order`` feeds it the order's text and the
names it knows; the tests feed it tricky strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MOBILE_MASK = "1**********"
LANDLINE_MASK = "0***-********"
ID_MASK = "*" * 18
NUMBER_MASK = "****"
EMAIL_MASK = "***@***"

#: Two-character surnames, so that 欧阳晓明 becomes 欧阳** and not 欧***.
_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐",
    "澹台", "轩辕", "呼延", "端木", "南宫", "独孤",
)

_NOT_DIGIT_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_DIGIT_AFTER = r"(?![0-9A-Za-z])"
# Identity cards: 18 characters (last may be X) or the old 15 digits.
_ID_CARD = re.compile(_NOT_DIGIT_BEFORE + r"(?:\d{17}[\dXx]|\d{15})" + _NOT_DIGIT_AFTER)
# Mobiles, optionally +86 / 86, optionally grouped 3-4-4 with spaces or dashes.
_MOBILE = re.compile(_NOT_DIGIT_BEFORE + r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}" + _NOT_DIGIT_AFTER)
# Landlines with an area code: 020-12345678, (0755)1234567, 0755 1234 5678.
_LANDLINE = re.compile(
    _NOT_DIGIT_BEFORE + r"(?:\(0\d{2,3}\)|0\d{2,3})[- ]?\d{3,4}[- ]?\d{4}" + _NOT_DIGIT_AFTER
)
# Anything else numeric and long enough to identify someone (bank cards, accounts).
_LONG_NUMBER = re.compile(_NOT_DIGIT_BEFORE + r"\d{12,}" + _NOT_DIGIT_AFTER)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def mask_name(name: str) -> str:
    """``陈大文`` → ``陈**``; ``欧阳晓明`` → ``欧阳**``; the surname stays."""
    name = name.strip()
    surname_len = 2 if len(name) > 2 and name[:2] in _COMPOUND_SURNAMES else 1
    return name[:surname_len] + "*" * max(1, len(name) - surname_len)


def _scrub_names(text: str, names: Iterable[str]) -> str:
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        if len(name) < 2:
            continue  # one character is too common to replace safely
        text = text.replace(name, mask_name(name))
        surname_len = 2 if len(name) > 2 and name[:2] in _COMPOUND_SURNAMES else 1
        given = name[surname_len:]
        if len(given) >= 2:  # 陈大文 is also called 大文
            text = text.replace(given, "*" * len(given))
    return text


def clean_text(text: str, *, names: Iterable[str] = ()) -> str:
    """``text`` with personal data masked (see the module docstring)."""
    if not text:
        return ""
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _ID_CARD.sub(ID_MASK, text)
    text = _MOBILE.sub(MOBILE_MASK, text)
    text = _LANDLINE.sub(LANDLINE_MASK, text)
    text = _LONG_NUMBER.sub(NUMBER_MASK, text)
    return _scrub_names(text, names)
