"""Campaign rules as plain data: numbers, outcomes and retries, pacing and calling hours (no Django).

The dispatcher, the dial hooks and the importer decide with these functions, so the rules are tested
on their own (property tests in ``tests/test_rules.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

_MOBILE = re.compile(r"^1\d{10}$")
_FIXED = re.compile(r"^0\d{9,11}$")  # area code + local number

#: Outcomes an agent records at wrap-up (the customer was reached).
AGENT_OUTCOMES = ("reached", "success", "refused", "callback_later")
#: Outcomes that come from the dial itself (nobody to talk to).
DIAL_OUTCOMES = ("no_answer", "busy", "invalid_number")
OUTCOMES = AGENT_OUTCOMES + DIAL_OUTCOMES
#: Outcomes after which the target is called again (if attempts are left).
RETRIED = ("no_answer", "busy", "callback_later")
#: Outcomes that mean the customer was reached (the reach rate counts these).
REACHED = AGENT_OUTCOMES
#: How a dial that did not connect counts for the campaign.
DIAL_FAILURES = {"busy": "busy", "invalid_number": "invalid_number"}


def number_normalize(raw: str) -> str | None:
    """A mainland mobile (``+86``/``0086`` removed) or fixed-line number with area code; None if neither."""
    number = re.sub(r"[\s\-()]", "", raw or "")
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix):]
            break
    return number if _MOBILE.match(number) or _FIXED.match(number) else None


def dial_outcome(dial_outcome: str) -> str:
    """The campaign outcome of a dial that did not reach anybody (a machine, a rejection… count as no answer)."""
    return DIAL_FAILURES.get(dial_outcome, "no_answer")


@dataclass(frozen=True)
class Next:
    """What follows an outcome: the target is done, or called again after ``retry_after``."""

    done: bool
    retry_after: timedelta | None = None


def after_outcome(outcome: str, *, attempts: int, max_attempts: int, retry_delay: timedelta,
                  callback_delay: timedelta | None = None) -> Next:
    """Retry rule: a retried outcome is called again after the delay while ``attempts`` < ``max_attempts``.

    ``attempts`` counts the attempts made, this one included. A customer who asks to be called later gets
    ``callback_delay`` (default: the retry delay).
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    if outcome not in RETRIED or attempts >= max_attempts:
        return Next(done=True)
    delay = callback_delay if outcome == "callback_later" and callback_delay is not None else retry_delay
    return Next(done=False, retry_after=delay)


def free_slots(*, pacing: int, in_flight: int) -> int:
    """How many more targets may be put in flight now (never negative)."""
    return max(0, pacing - in_flight)


def within_hours(at: time, start: time, end: time) -> bool:
    """Calling hours ``start`` ≤ at < ``end``; an ``end`` before ``start`` spans midnight; equal = all day."""
    if start == end:
        return True
    if start < end:
        return start <= at < end
    return at >= start or at < end


def rate(part: int, whole: int) -> float | None:
    """A share in percent, one decimal; None when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else None
