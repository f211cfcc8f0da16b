"""Pushing events to browsers over Channels, after the change commits.

Groups: ``agent-<staff id>`` (an agent's desktop), ``supervisors`` (live
views), ``cti`` (connected switches). Sends never fail the business change: a
browser that misses an event reloads its state from the API.
"""

from __future__ import annotations

import asyncio
import logging

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


def _send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    payload = {"type": "kefu.event", "event": message}
    try:
        loop = _server_loop
        if loop is not None and loop.is_running() and not _on_loop(loop):
            asyncio.run_coroutine_threadsafe(layer.group_send(group, payload), loop).result(timeout=5)
        else:
            async_to_sync(layer.group_send)(group, payload)
    except Exception:  # a lost push must not break the change that caused it
        log.exception("push to %s failed", group)


def _on_loop(loop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def push(group: str, message: dict) -> None:
    transaction.on_commit(lambda: _send(group, message))


def to_agent(staff_id: int, message: dict) -> None:
    push(f"agent-{staff_id}", message)


def to_supervisors(message: dict) -> None:
    push("supervisors", message)


def to_switch(message: dict) -> None:
    push("cti", message)
