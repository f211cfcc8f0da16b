"""The one clock Kefu reads time from.

Deadlines are the heart of Kefu, so tests (and the simulator) must be able to
move time without sleeping. Everything that asks "what time is it" calls
``clock.now()``; nothing calls ``timezone.now()`` directly.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

_lock = threading.Lock()
_frozen: datetime | None = None
_offset = timedelta(0)


def now() -> datetime:
    """Current aware time, honouring a frozen time or offset set by tests."""
    frozen = _frozen
    if frozen is not None:
        return frozen
    return timezone.now() + _offset


def freeze(at: datetime) -> None:
    """Stop the clock at ``at`` (aware datetime)."""
    global _frozen
    with _lock:
        _frozen = at


def advance(delta: timedelta) -> None:
    """Move the clock forward (frozen or running)."""
    global _frozen, _offset
    with _lock:
        if _frozen is not None:
            _frozen = _frozen + delta
        else:
            _offset = _offset + delta


def reset() -> None:
    """Back to real time."""
    global _frozen, _offset
    with _lock:
        _frozen = None
        _offset = timedelta(0)


@contextmanager
def frozen_at(at: datetime):
    freeze(at)
    try:
        yield
    finally:
        reset()
