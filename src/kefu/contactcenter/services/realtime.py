"""Pushing events to browsers over Channels, after the change commits.

Groups: ``agent-<staff id>`` (an agent's desktop), ``supervisors`` (live
views), ``cti`` (connected switches), ``contact-<contact id>`` (the customer's
own page of a written contact, such as a web chat). Sends never fail the business change. A
batch that cannot be sent (the loop or Redis did not take it in time) is tried
once more after a short back-off, off the request's thread; if that fails too it
is dropped and counted, and the desktop repairs it: it fetches its state from
the API when its socket (re)connects and on a periodic heartbeat. Events are
only prompts to refetch, so one delivered twice is harmless.
See docs/decisions/0023-realtime-connections-and-resync.md.
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

#: Seconds to wait for the event loop (or Redis) to take a batch, and before the one retry.
SEND_TIMEOUT = 5.0
RETRY_AFTER = 0.5

_counts_lock = threading.Lock()
counts = {"sent": 0, "retried": 0, "dropped": 0}  # batches, since the process started


def _count(key: str) -> dict:
    with _counts_lock:
        counts[key] += 1
        return dict(counts)


def remember_loop() -> None:
    """Called (by kefu.asgi) on the server's event loop, so pushes from other threads land on it.

    The in-memory channel layer's queues belong to the loop that serves the
    sockets; a push from the embedded worker's thread must be scheduled there,
    not run on a private loop, or the waiting socket is never woken.
    """
    global _server_loop
    _server_loop = asyncio.get_running_loop()


#: Events per trip to the loop: a router pass offering a backlog makes hundreds at once, and one trip for all
#: of them could outlast SEND_TIMEOUT on a busy loop (and a retry would then repeat what had gone out).
CHUNK = 50


def start_push_loop() -> None:
    """A process that serves no sockets (``kefu router``) pushes through an event loop of its own, kept for
    its life: the Redis channel layer keeps its connections per loop, so a fresh loop per push would connect
    anew each time and leave the last loop's connections behind."""
    global _server_loop
    if _server_loop is not None:
        return
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="kefu-push-loop", daemon=True).start()
    _server_loop = loop


def _send_all(batch: list[tuple[str, dict]]) -> None:
    """Send a transaction's pushes in few trips to the event loop (one per CHUNK events, not one per event)."""
    layer = get_channel_layer()
    if layer is None or not batch:
        return
    for start in range(0, len(batch), CHUNK):
        _send_chunk(layer, batch[start:start + CHUNK])


def _send_chunk(layer, batch: list[tuple[str, dict]]) -> None:
    try:
        _send(layer, batch)
        _count("sent")
    except Exception as exc:  # a lost push must not break the change that caused it
        seen = _count("retried")
        log.warning("push of %d event(s) failed (%s); retrying in %.1f s [batches sent %d, retried %d, "
                    "dropped %d]", len(batch), exc.__class__.__name__, RETRY_AFTER, seen["sent"],
                    seen["retried"], seen["dropped"])
        # Off the caller's thread: a request that committed must not wait for a slow loop or Redis.
        retry = threading.Timer(RETRY_AFTER, _retry, args=(layer, batch))
        retry.daemon = True
        retry.start()


def _retry(layer, batch: list[tuple[str, dict]]) -> None:
    try:
        _send(layer, batch)
        _count("sent")
    except Exception:
        seen = _count("dropped")
        log.exception("push of %d event(s) dropped after a retry; desktops repair it on their next resync "
                      "[batches sent %d, retried %d, dropped %d]", len(batch), seen["sent"], seen["retried"],
                      seen["dropped"])


def _send(layer, batch: list[tuple[str, dict]]) -> None:
    async def go():
        for group, message in batch:
            await layer.group_send(group, {"type": "kefu.event", "event": message})

    loop = _server_loop
    if loop is not None and loop.is_running() and not _on_loop(loop):
        future = asyncio.run_coroutine_threadsafe(go(), loop)
        try:
            future.result(timeout=SEND_TIMEOUT)
        except BaseException:
            future.cancel()  # not left running beside its retry
            raise
    elif _thread_runs_a_loop():
        _send_from_helper_thread(go)
    else:
        async_to_sync(go)()


def _thread_runs_a_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _send_from_helper_thread(go) -> None:
    """A sync caller on a thread that runs a loop of its own (not the server's: a test driver, an embedded
    tool) cannot use ``async_to_sync`` there; the batch goes out from a short-lived thread instead."""
    errors: list[BaseException] = []

    def run():
        try:
            asyncio.run(go())
        except BaseException as exc:  # handed back to the caller, who retries or drops and counts
            errors.append(exc)

    helper = threading.Thread(target=run, name="kefu-push", daemon=True)
    helper.start()
    helper.join(SEND_TIMEOUT)
    if helper.is_alive():
        raise TimeoutError("the push did not leave in time")
    if errors:
        raise errors[0]


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


def to_contact(contact_id: int, message: dict) -> None:
    """To the customer's side of a written contact (the web chat page holds this group)."""
    push(f"contact-{contact_id}", message)


def to_switch(message: dict) -> None:
    push("cti", message)
