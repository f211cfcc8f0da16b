"""The live router: snapshot from the database → pure engine → offers.

Routing runs after every change that can create a match (a contact queued, an
agent ready, an offer refused or expired) and once a second from the worker
as a safety net (overflow steps and aging depend on time alone). One router
runs at a time: a PostgreSQL advisory lock, or SQLite's single writer. State
lives in the database, so a restart loses nothing: waiting contacts and ready
agents are simply read again.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.db import connection, transaction

from kefu.core import clock
from kefu.iam.selectors import skill_levels_of
from kefu.params.selectors import param_get

from ..models import AgentSession, AgentState, Contact, ContactEvent, ContactState, Offer, QueueSkill
from ..routing import Agent, OverflowStep, Policy, decide
from ..routing import Contact as RContact
from . import realtime
from .states import agent_state_change

log = logging.getLogger("kefu.contactcenter.router")
_ROUTER_LOCK_KEY = 71_300_001
_local = threading.local()


def _epoch(dt) -> float:
    return dt.timestamp() if dt else 0.0


def snapshot(now):
    """Waiting contacts and free agents as engine objects.

    Plain tuples from four indexed queries, no model instances: with hundreds of
    free agents this is most of a routing pass, and it runs after every change.
    """
    # Uses contact_waiting_idx (state, priority, enqueued_at).
    waiting = list(Contact.objects.filter(state=ContactState.QUEUED).order_by("priority", "enqueued_at")
                   .values_list("pk", "channel", "priority", "enqueued_at", "queue_id")[:20_000])
    refused: dict[int, set[int]] = {}
    queues: dict[int, tuple] = {}
    if waiting:
        for cid, sid in Offer.objects.filter(contact_id__in=[w[0] for w in waiting],
                                             state__in=[Offer.State.REJECTED, Offer.State.EXPIRED]).values_list(
                "contact_id", "staff_id"):
            refused.setdefault(cid, set()).add(sid)
        queue_ids = {w[4] for w in waiting if w[4]}
        reqs: dict[int, list] = {qid: [] for qid in queue_ids}
        for qid, code, level in QueueSkill.objects.filter(queue_id__in=queue_ids).values_list(
                "queue_id", "skill_group__code", "min_level"):
            reqs[qid].append((code, level))
        from ..models import Queue

        for qid, overflow in Queue.objects.filter(pk__in=queue_ids).values_list("pk", "overflow"):
            steps = tuple(
                OverflowStep(after=float(step.get("after", 0)),
                             skills=tuple((sk, int(lvl)) for sk, lvl in step.get("skills", [])))
                for step in overflow or [])
            queues[qid] = (tuple(sorted(reqs[qid])), steps)
    contacts = []
    for cid, channel, priority, enqueued_at, queue_id in waiting:
        skills, steps = queues.get(queue_id, ((), ()))
        contacts.append(RContact(id=cid, channel="chat" if channel == "chat" else "voice", skills=skills,
                                 priority=priority, enqueued_at=_epoch(enqueued_at), overflow=steps,
                                 excluded=frozenset(refused.get(cid, ()))))
    rows = list(AgentSession.objects.filter(logged_out_at__isnull=True, state__in=[AgentState.READY, AgentState.BUSY])
                .values_list("pk", "staff_id", "state", "voice_load", "chat_load", "chat_capacity", "idle_since",
                             "state_since"))
    levels: dict[int, dict[str, int]] = {}
    if rows:
        for staff_id, code, level in skill_levels_of([r[1] for r in rows]):
            levels.setdefault(staff_id, {})[code] = level
    agents = []
    for _pk, staff_id, state, voice_load, chat_load, chat_cap, idle_since, state_since in rows:
        agents.append(Agent(id=staff_id, skills=levels.get(staff_id, {}),
                            capacity={"voice": 1 if state == AgentState.READY else 0,
                                      "chat": chat_cap if voice_load == 0 else 0},
                            load={"voice": voice_load, "chat": chat_load}, ready=True,
                            idle_since=_epoch(idle_since or state_since)))
    return contacts, agents, {r[1]: r[0] for r in rows}


def route() -> list[int]:
    """Match waiting contacts to free agents; returns the ids of the offers made."""
    if getattr(_local, "routing", False):
        return []
    _local.routing = True
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [_ROUTER_LOCK_KEY])
            now = clock.now()
            contacts, agents, sessions = snapshot(now)
            if not contacts or not agents:
                return []
            assignments = decide(contacts, agents, now.timestamp(), policy=Policy(param_get("contactcenter.policy")),
                                 aging_seconds=param_get("contactcenter.aging").total_seconds())
            timeout = param_get("contactcenter.offer_timeout")
            return [oid for cid, aid in assignments
                    if (oid := offer_make(cid, AgentSession.objects.get(pk=sessions[aid]), now, timeout))]
    finally:
        _local.routing = False


def offer_make(contact_id: int, session: AgentSession, now, timeout: timedelta) -> int | None:
    """Ring the contact at the agent; conditional updates make a double offer impossible."""
    moved = Contact.objects.filter(pk=contact_id, state=ContactState.QUEUED).update(state=ContactState.OFFERED)
    if not moved:
        return None
    contact = Contact.objects.select_related("customer", "subscriber", "queue").get(pk=contact_id)
    if contact.channel != "chat":
        ok = AgentSession.objects.filter(pk=session.pk, state=AgentState.READY, voice_load=0).update(
            state=AgentState.OFFERED, state_since=now, version=session.version + 1)
        if not ok:
            Contact.objects.filter(pk=contact_id).update(state=ContactState.QUEUED)
            return None
        session.refresh_from_db()
        agent_state_change(session, AgentState.OFFERED)
    offer = Offer.objects.create(contact=contact, session=session, staff_id=session.staff_id, offered_at=now,
                                 expires_at=now + timeout)
    Contact.objects.filter(pk=contact_id).update(offers=contact.offers + 1,
                                                 first_offered_at=contact.first_offered_at or now)
    ContactEvent.objects.create(contact=contact, at=now, kind="offered", agent_id=session.staff_id,
                                data={"offer": offer.pk})
    from .screenpop import screen_pop

    realtime.to_agent(session.staff_id, {"type": "offer", "offer": offer.pk, "contact": contact.pk,
                                         "expires_at": offer.expires_at.isoformat(),
                                         "pop": screen_pop(contact, shown_to=session.staff)})
    realtime.to_supervisors({"type": "contact.offered", "contact": contact.pk, "staff": session.staff_id,
                             "queue": contact.queue.code if contact.queue is not None else None})
    return offer.pk


def route_soon() -> None:
    """Route once the current transaction commits (or now, outside one)."""
    transaction.on_commit(_route_safely)


_coalesce = threading.Lock()
_busy = False
_dirty = False


def _route_safely() -> None:
    """Route, coalescing concurrent requests in this process.

    One pass routes every waiting contact, so while a pass runs, further
    requests only mark it dirty and return; the running pass goes round once
    more. Under load this turns many small routes into a few large ones.
    """
    global _busy, _dirty
    with _coalesce:
        if _busy:
            _dirty = True
            return
        _busy = True
    try:
        while True:
            try:
                route()
            except Exception:  # the periodic job routes again within a second
                log.exception("routing failed")
            with _coalesce:
                if not _dirty:
                    _busy = False
                    return
                _dirty = False
    except BaseException:
        with _coalesce:
            _busy = False
        raise
