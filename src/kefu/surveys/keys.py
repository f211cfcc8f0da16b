"""Survey questions on the telephone: what the caller hears and which keys answer (no ORM).

Five levels: key 1 very satisfied … key 5 very dissatisfied (the order callers hear it in); yes/no: 1 yes,
2 no; a single choice: the option's position (1–9); a multiple choice: several positions then #; a score:
0–10 then #. Free text cannot be typed: the IVR skips it (the survey stays partly answered when the
question was required).
"""

from __future__ import annotations

from kefu.core.lazytext import gettext as _

from .script import Question


def spoken(q: Question) -> bool:
    """Whether the question can be answered with keys."""
    return q.type != "text" and not (q.type in ("single", "multiple") and len(q.options) > 9)


def max_digits(q: Question) -> tuple[int, str]:
    """(digits to collect, end key) for the question."""
    if q.type == "score":
        return 3, "#"
    if q.type == "multiple":
        return len(q.options) + 1, "#"
    return 1, ""


def prompt(q: Question) -> str:
    """The question as the caller hears it, followed by its keys."""
    if q.type == "five_level":
        keys = _("Very satisfied press 1, satisfied 2, average 3, dissatisfied 4, very dissatisfied 5.")
    elif q.type == "yes_no":
        keys = _("Yes press 1, no press 2.")
    elif q.type == "score":
        keys = _("Enter a score from 0 to 10, then press #.")
    else:
        keys = "; ".join(
            _("%(label)s press %(key)s") % {"label": label, "key": i}
            for i, (_code, label) in enumerate(q.options, 1)
        )
        if q.type == "multiple":
            keys += ". " + _("Press every key that applies, then #.")
    return f"{q.text} {keys}"


def answer_of(q: Question, digits: str) -> str | list[str] | None:
    """The raw answer the keys give (checked later by ``script.answer_parse``); ``None`` for no valid key."""
    digits = digits.rstrip("#")
    if not digits or not digits.isdigit():
        return None
    if q.type == "five_level":
        return str(6 - int(digits[0])) if digits[0] in "12345" and len(digits) == 1 else None
    if q.type == "yes_no":
        return {"1": "yes", "2": "no"}.get(digits)
    if q.type == "score":
        return digits if int(digits) <= 10 else None
    picks = [int(d) for d in digits]
    if not all(1 <= p <= len(q.options) for p in picks):
        return None
    if q.type == "single":
        return q.options[picks[0] - 1][0] if len(picks) == 1 else None
    return [q.options[p - 1][0] for p in dict.fromkeys(picks)]
