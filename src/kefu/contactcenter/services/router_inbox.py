"""How changes reach the router service: a queue in this process, or a Redis list across processes.

Services say what changed (a contact, an agent) after their transaction
commits; the active router reloads just those rows. Events are hints, never
the truth: one lost (Redis restarted, a router took over) is repaired by the
router's periodic full reading, and one delivered twice only reloads a row
again. With ``KEFU_ROUTER=service`` and Redis configured, every process posts to
the Redis list that the active router, wherever it runs, takes from; without
Redis, only a process that runs the router service itself has an inbox. Where
there is none, the caller routes inline. See docs/decisions/0024.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

log = logging.getLogger("kefu.contactcenter.router")

Event = tuple[str, int]  # ("c", contact id) | ("a", staff id)
REDIS_KEY = "kefu:router:inbox"
#: A list nobody takes from (no router running) stops growing here; the next router reads everything anyway.
REDIS_MAX = 200_000


class LocalInbox:
    """The inbox of a router service running in this process (one machine, no Redis)."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Event] = queue.SimpleQueue()

    def publish(self, events: list[Event]) -> None:
        for event in events:
            self._queue.put(event)

    def take(self, timeout: float, limit: int = 5000) -> list[Event]:
        """Wait up to ``timeout`` for one event, then take whatever else is there, up to ``limit``."""
        try:
            out = [self._queue.get(timeout=timeout)]
        except queue.Empty:
            return []
        while len(out) < limit:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return out

    def clear(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return


class RedisInbox:
    """A Redis list shared by every process: producers RPUSH, the active router BLPOPs and drains."""

    def __init__(self, url: str, key: str = REDIS_KEY) -> None:
        import redis

        self.key = key
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)

    def publish(self, events: list[Event]) -> None:
        items = [f"{kind}{ident}" for kind, ident in events]
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.rpush(self.key, *items)
            pipe.ltrim(self.key, -REDIS_MAX, -1)
            pipe.execute()

    def take(self, timeout: float, limit: int = 5000) -> list[Event]:
        first = self._redis.blpop([self.key], timeout=max(timeout, 0.01))
        if first is None:
            return []
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.lrange(self.key, 0, limit - 2)
            pipe.ltrim(self.key, limit - 1, -1)
            rest, _ok = pipe.execute()
        return [_parse(raw) for raw in [first[1], *rest]]

    def clear(self) -> None:
        self._redis.delete(self.key)


def _parse(raw: bytes) -> Event:
    text = raw.decode()
    return text[0], int(text[1:])


_lock = threading.Lock()
_local_inbox: LocalInbox | None = None
_redis_inbox: RedisInbox | None = None


def service_mode() -> bool:
    return getattr(settings, "KEFU_ROUTER", "inline") == "service"


def open_local() -> LocalInbox:
    """The inbox for a router service starting in this process."""
    global _local_inbox
    with _lock:
        if _local_inbox is None:
            _local_inbox = LocalInbox()
        return _local_inbox


def close_local() -> None:
    global _local_inbox
    with _lock:
        _local_inbox = None


def current() -> LocalInbox | RedisInbox | None:
    """Where this process posts its events, or None: route inline."""
    global _redis_inbox
    if not service_mode():
        return None
    if settings.REDIS_URL:
        with _lock:
            if _redis_inbox is None:
                _redis_inbox = RedisInbox(settings.REDIS_URL, key=settings.KEFU_ROUTER_INBOX_KEY)
            return _redis_inbox
    return _local_inbox


def tell(*, contacts: Iterable[int] = (), agents: Iterable[int] = ()) -> bool:
    """Post what changed once the current transaction commits; False if there is no router to tell."""
    inbox = current()
    if inbox is None:
        return False
    events = [("c", int(i)) for i in contacts] + [("a", int(i)) for i in agents]
    if events:
        transaction.on_commit(lambda: _publish(inbox, events))
    return True


def _publish(inbox, events: list[Event]) -> None:
    try:
        inbox.publish(events)
    except Exception:  # the router's periodic full reading finds the change anyway
        log.warning("router inbox unreachable; %d event(s) left to the next full reading", len(events))
