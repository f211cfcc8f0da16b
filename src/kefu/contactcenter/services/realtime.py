"""Pushing events to browsers over Channels, after the change commits.

Groups: ``agent-<staff id>`` (an agent's desktop), ``supervisors`` (live
views), ``cti`` (connected switches). Sends never fail the business change: a
browser that misses an event reloads its state from the API.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger("kefu.contactcenter.realtime")


def _send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "kefu.event", "event": message})
    except Exception:  # a lost push must not break the change that caused it
        log.exception("push to %s failed", group)


def push(group: str, message: dict) -> None:
    transaction.on_commit(lambda: _send(group, message))


def to_agent(staff_id: int, message: dict) -> None:
    push(f"agent-{staff_id}", message)


def to_supervisors(message: dict) -> None:
    push("supervisors", message)


def to_switch(message: dict) -> None:
    push("cti", message)
