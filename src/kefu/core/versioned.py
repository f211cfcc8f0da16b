"""Per-process caches of small, rarely changed tables, made stale everywhere at once by a shared version.

Parameters, business calendars, process templates and webhook subscriptions are
read by every work-order write but change a few times a year. Each is held in a
``VersionedCache``: the whole table, loaded in one query, kept in the process
and trusted for as long as a version token in Django's cache (Redis when
``REDIS_URL`` is set, so every server process shares it) is unchanged. Any
save or delete of a watched model replaces the token — immediately, so the
writer's own transaction reads fresh rows, and again on commit, so a process
that reloaded between the two (and saw the old committed rows) reloads once
more. While a thread is inside a transaction that changed a watched table it
reads the database directly and caches nothing: a rollback leaves no
uncommitted value behind. See docs/decisions/0022-per-process-caches.md.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

_all: list[VersionedCache] = []


class VersionedCache:
    """The result of ``loader()`` kept per process, reloaded when the shared version token changes."""

    def __init__(self, name: str, loader: Callable[[], Any], *, watch: tuple = ()):
        self.name = name
        self.key = f"kefu:version:{name}"
        self.loader = loader
        self._token: str | None = None
        self._value: Any = None
        self._lock = threading.Lock()
        self._dirty = threading.local()
        for model in watch:
            post_save.connect(self._on_change, sender=model, weak=False, dispatch_uid=f"{self.key}:{model}:save")
            post_delete.connect(self._on_change, sender=model, weak=False, dispatch_uid=f"{self.key}:{model}:del")
        _all.append(self)

    def _shared_token(self) -> str:
        token = cache.get(self.key)
        if token is None:  # first use, or the cache was flushed: any new token makes every process reload
            cache.add(self.key, uuid.uuid4().hex)
            token = cache.get(self.key)
        return token

    def get(self) -> Any:
        """The loaded value, fresh as of the last committed change (or this thread's own uncommitted one)."""
        if getattr(self._dirty, "on", False):
            if connection.in_atomic_block:
                return self.loader()  # this transaction changed the table: its own rows, cached nowhere
            self._dirty.on = False
        token = self._shared_token()
        with self._lock:
            if token == self._token:
                return self._value
        value = self.loader()
        with self._lock:
            self._token, self._value = token, value
        return value

    def invalidate(self) -> None:
        """Make every process reload: now, and once more when the current transaction commits."""
        self._bump()
        if connection.in_atomic_block:
            self._dirty.on = True
            transaction.on_commit(self._bump)

    def _bump(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, timeout=None)
        with self._lock:
            self._token, self._value = None, None

    def _on_change(self, sender, **kwargs) -> None:
        self.invalidate()

    def reset(self) -> None:
        """Forget everything (tests: a rolled-back test database reuses ids)."""
        self._dirty.on = False
        self._bump()


def reset_all() -> None:
    for c in _all:
        c.reset()


def fill_all() -> None:
    """Load every cache, as a server process has after serving a while (query-budget tests start there)."""
    for c in _all:
        c.get()
