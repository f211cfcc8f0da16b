"""The router service: one active router per site deciding from memory, standbys ready to take over.

The active router keeps a board (``routing.board``) of the waiting contacts
and the free agents. It takes events from its inbox (``router_inbox``: which
contact, which agent changed), reloads just those rows, decides with the pure
engine and writes the offers of a pass in one transaction. Every second it
decides again (aging and overflow move with time alone) and every
``resync_seconds`` it reads everything again, which repairs any lost event.

A standby only tries for the leadership (``router_leadership``) once a second.
When it wins, it empties the inbox and reads the board from the database, so a
router that died mid-decision loses nothing: its transaction rolled back, the
contact is still queued, and the new router offers it. No contact is offered
twice because every offer is a conditional write (queued → offered, ready →
offered) under a one-pending-offer index. See docs/decisions/0024.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.db import close_old_connections

from kefu.core import clock
from kefu.params.selectors import param_get

from ..routing import Policy
from ..routing.board import Board
from . import router_inbox, router_leadership
from .router import agents_free, contacts_waiting, offers_write

log = logging.getLogger("kefu.contactcenter.router")
SLOW_PASS = 0.5  # seconds; a pass slower than this is logged with where its time went


class RouterService:
    def __init__(self, *, inbox, leadership=None, resync_seconds: float | None = None,
                 tick_seconds: float = 1.0) -> None:
        self.inbox = inbox
        self.leadership = leadership or router_leadership.for_this_database()
        self.resync_seconds = resync_seconds if resync_seconds is not None else float(
            os.environ.get("KEFU_ROUTER_RESYNC_SECONDS", "15"))
        self.tick_seconds = tick_seconds
        self.board = Board()
        self.sessions: dict[int, int] = {}  # staff id → live session id, for the agents on the board
        self.queues: dict[int, tuple] = {}  # queue id → requirements, kept until the next full reading
        self.active = False
        self.offers = 0
        self._read_at = 0.0

    # --- the loop -------------------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        log.info("router %s started (standby)", self.leadership.name)
        try:
            while not stop.is_set():
                close_old_connections()  # a connection the database dropped is replaced, as per request
                try:
                    self.step()
                except Exception:
                    log.exception("router pass failed; reading the board again")
                    self._read_at = 0.0
                    stop.wait(0.5)
        finally:
            self.leadership.release()
            close_old_connections()

    def step(self) -> None:
        """One turn: keep (or seek) the leadership, take events, decide, write."""
        if not self.leadership.hold():
            if self.active:
                log.warning("router %s is no longer the active router", self.leadership.name)
            self.active = False
            time.sleep(self.tick_seconds)
            return
        if not self.active:
            self.inbox.clear()  # what it held is in the database, read next
            self.active = True
            self._read_at = 0.0
            log.info("router %s is the active router", self.leadership.name)
        if time.monotonic() - self._read_at >= self.resync_seconds:
            self.read_all()
        events = self.inbox.take(timeout=self.tick_seconds)
        started = time.monotonic()
        self.apply(events)
        read = time.monotonic()
        made = self.decide()
        done = time.monotonic()
        if done - started > SLOW_PASS:
            log.warning("slow router pass: %.0f ms (%d events read in %.0f ms, %d offers written in %.0f ms, "
                        "%d waiting, %d free)", (done - started) * 1000, len(events), (read - started) * 1000,
                        len(made), (done - read) * 1000, len(self.board.contacts), len(self.board.agents))

    def read_all(self) -> None:
        agents, sessions = agents_free()
        self.queues = {}
        self.board.replace(contacts_waiting(queues=self.queues), agents)
        self.sessions = sessions
        self._read_at = time.monotonic()

    def apply(self, events) -> None:
        """Reload the contacts and agents the events name; those no longer waiting or free leave the board."""
        contact_ids = {i for kind, i in events if kind == "c"}
        staff_ids = {i for kind, i in events if kind == "a"}
        if contact_ids:
            found = contacts_waiting(contact_ids, queues=self.queues)
            for c in found:
                self.board.put_contact(c)
            for cid in contact_ids - {c.id for c in found}:
                self.board.drop_contact(cid)
        if staff_ids:
            agents, sessions = agents_free(staff_ids)
            for a in agents:
                self.board.put_agent(a)
            for sid in staff_ids - {a.id for a in agents}:
                self.board.drop_agent(sid)
                self.sessions.pop(sid, None)
            self.sessions.update(sessions)

    def decide(self) -> list[int]:
        now = clock.now()
        assignments = self.board.decide(now.timestamp(), policy=Policy(param_get("contactcenter.policy")),
                                        aging_seconds=param_get("contactcenter.aging").total_seconds())
        if not assignments:
            return []
        if not self.leadership.hold():  # lost it while deciding: the new leader reads the board afresh
            self.active = False
            return []
        made, failed = offers_write(assignments, self.sessions, now)
        self.offers += len(made)
        if failed:  # stale entries: read those rows again
            self.apply([("c", cid) for cid, _aid in failed] + [("a", aid) for _cid, aid in failed])
        return made


_started: threading.Event | None = None


def start_in_this_process() -> threading.Event | None:
    """Run a router candidate on a thread of this process (``kefu serve``, ``kefu demo``).

    Without Redis the process posts its events to the candidate's local inbox,
    so one process serves and routes; with Redis every process posts to the shared
    list and any candidate may be the active one. Returns the event that stops it.
    """
    global _started
    if not router_inbox.service_mode() or _started is not None:
        return _started
    inbox = router_inbox.current() or router_inbox.open_local()
    stop = _started = threading.Event()
    service = RouterService(inbox=inbox)
    threading.Thread(target=service.run, args=(stop,), name="kefu-router", daemon=True).start()
    return stop
