"""Pushing events to browsers over Channels, after the change commits.

Groups: ``agent-<staff id>`` (an agent's desktop), ``supervisors`` (live
views), ``cti`` (connected switches). Sends never fail the business change: a
browser that misses an event reloads its state from the API.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger("kefu.contactcenter.realtime")


_server_loop: asyncio.AbstractEventLoop | None = None


def remember_loop() -> None:
    """Called (by kefu.asgi) on the server's event loop, so pushes from other threads land on it.

    The in-memory channel layer's queues belong to the loop that serves the
    sockets; a push from the embedded worker's thread must be scheduled there,
    not run on a private loop, or the waiting socket is never woken.
    """
    global _server_loop
    _server_loop = asyncio.get_running_loop()


def _send_all(batch: list[tuple[str, dict]]) -> None:
    """Send a transaction's pushes in one trip to the event loop (one loop hop, not one per event)."""
    layer = get_channel_layer()
    if layer is None or not batch:
        return

    async def go():
        for group, message in batch:
            await layer.group_send(group, {"type": "kefu.event", "event": message})

    try:
        loop = _server_loop
        if loop is not None and loop.is_running() and not _on_loop(loop):
            asyncio.run_coroutine_threadsafe(go(), loop).result(timeout=5)
        else:
            async_to_sync(go)()
    except Exception:  # a lost push must not break the change that caused it
        log.exception("push of %d event(s) failed", len(batch))


def _on_loop(loop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


_pending = threading.local()


def push(group: str, message: dict) -> None:
    """Queue a push for when the current transaction commits (at once outside one)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        _send_all([(group, message)])
        return
    state = getattr(_pending, "state", None)
    # Reuse this transaction's batch while its flush is still registered (a rolled-back savepoint
    # drops its callbacks: then start a new batch).
    if state is None or not any(entry[1] is state[0] for entry in conn.run_on_commit):
        batch: list[tuple[str, dict]] = []

        def flush(batch=batch):
            if getattr(_pending, "state", None) and _pending.state[1] is batch:
                _pending.state = None
            _send_all(batch)

        transaction.on_commit(flush)
        state = _pending.state = (flush, batch)
    state[1].append((group, message))


def to_agent(staff_id: int, message: dict) -> None:
    push(f"agent-{staff_id}", message)


def to_supervisors(message: dict) -> None:
    push("supervisors", message)


def to_switch(message: dict) -> None:
    push("cti", message)
