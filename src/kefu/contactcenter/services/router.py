"""The router's storage side: reading what waits and who is free, writing offers.

Two callers decide with the pure engine. The router service
(``router_service``) keeps a board in memory, fed by events, and writes its
offers here in batches. Where no router service runs (tests, tools, a process
on its own), ``route_soon`` routes inline after every change that can create a
match, from a full reading, and the worker does so once a second as a safety
net. Either way the database is the truth: conditional updates and a partial
unique index make a double offer impossible, and a restart loses nothing.
See docs/decisions/0015 and 0024.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.db import connection, transaction

from kefu.core import clock
from kefu.iam.selectors import skill_levels_of
from kefu.params.selectors import param_get

from ..models import (
    AgentSession,
    AgentState,
    Contact,
    ContactEvent,
    ContactState,
    Direction,
    Offer,
    QueueSkill,
)
from ..routing import Agent, OverflowStep, Policy, decide
from ..routing import Contact as RContact
from . import realtime, router_inbox
from .purposes import purpose_progressive
from .states import agent_state_change

log = logging.getLogger("kefu.contactcenter.router")
#: Called with an offer of a call placed in progressive mode, in the offer's transaction. The contacts
#: service accepts it (``contacts.offer_accept``: the agent reserved, the customer dialled); it registers at
#: import, which the app's ``ready()`` makes sure of (the router is below the contacts service).
progressive_hooks: list = []
_ROUTER_LOCK_KEY = 71_300_001
_local = threading.local()


def _epoch(dt) -> float:
    return dt.timestamp() if dt else 0.0


def contacts_waiting(ids=None, *, queues: dict[int, tuple] | None = None) -> list[RContact]:
    """Queued contacts as engine objects: all of them (``ids`` None), or these ones if still queued.

    Plain tuples from indexed queries, no model instances: with thousands
    waiting this is most of a full reading. ``queues`` is the caller's cache of
    queue requirements (the router service keeps one between full readings).
    """
    qs = Contact.objects.filter(state=ContactState.QUEUED)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    # Uses contact_waiting_idx (state, priority, enqueued_at).
    waiting = list(qs.order_by("priority", "enqueued_at")
                   .values_list("pk", "channel", "priority", "enqueued_at", "queue_id")[:20_000])
    if not waiting:
        return []
    refused: dict[int, set[int]] = {}
    for cid, sid in Offer.objects.filter(contact_id__in=[w[0] for w in waiting],
                                         state__in=[Offer.State.REJECTED, Offer.State.EXPIRED]).values_list(
            "contact_id", "staff_id"):
        refused.setdefault(cid, set()).add(sid)
    queues = {} if queues is None else queues
    missing = {w[4] for w in waiting if w[4] and w[4] not in queues}
    if missing:
        queues.update(queue_requirements(missing))
    contacts = []
    for cid, channel, priority, enqueued_at, queue_id in waiting:
        skills, steps = queues.get(queue_id, ((), ()))
        contacts.append(RContact(id=cid, channel="chat" if channel == "chat" else "voice", skills=skills,
                                 priority=priority, enqueued_at=_epoch(enqueued_at), overflow=steps,
                                 excluded=frozenset(refused.get(cid, ()))))
    return contacts


def queue_requirements(queue_ids) -> dict[int, tuple]:
    """Per queue: the skills a contact needs, and the overflow steps that relax them as it waits."""
    from ..models import Queue

    reqs: dict[int, list] = {qid: [] for qid in queue_ids}
    if not reqs:
        return {}
    for qid, code, level in QueueSkill.objects.filter(queue_id__in=queue_ids).values_list(
            "queue_id", "skill_group__code", "min_level"):
        reqs[qid].append((code, level))
    out = {}
    for qid, overflow in Queue.objects.filter(pk__in=queue_ids).values_list("pk", "overflow"):
        steps = tuple(
            OverflowStep(after=float(step.get("after", 0)),
                         skills=tuple((sk, int(lvl)) for sk, lvl in step.get("skills", [])))
            for step in overflow or [])
        out[qid] = (tuple(sorted(reqs[qid])), steps)
    return out


def agents_free(staff_ids=None) -> tuple[list[Agent], dict[int, int]]:
    """Logged-in agents who are ready or busy (a busy one may take chats), as engine objects,
    with their session ids: all of them (``staff_ids`` None), or these people if still so."""
    qs = AgentSession.objects.filter(logged_out_at__isnull=True, state__in=[AgentState.READY, AgentState.BUSY])
    if staff_ids is not None:
        qs = qs.filter(staff_id__in=staff_ids)
    rows = list(qs.values_list("pk", "staff_id", "state", "voice_load", "chat_load", "chat_capacity", "idle_since",
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
    return agents, {r[1]: r[0] for r in rows}


def snapshot(now):
    """Everything waiting and everyone free, read from the database."""
    agents, sessions = agents_free()
    return contacts_waiting(), agents, sessions


def route() -> list[int]:
    """Inline routing: read what waits and who is free, decide, write the offers; returns their ids.

    Used where no router service runs (tests, tools, a process on its own) and
    by ``route_soon`` then; the router service decides from its board instead.
    """
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
            made, _failed = offers_write(assignments, sessions, now)
            return made
    finally:
        _local.routing = False


def offers_write(assignments, sessions: dict[int, int], now) -> tuple[list[int], list[tuple[int, int]]]:
    """Turn a batch of assignments into offers in one transaction; returns the offer ids and the
    assignments that no longer held (the contact left the queue or the agent stopped being free).

    One commit for the batch rather than one per offer; the sessions are read in one query.
    """
    if not assignments:
        return [], []
    timeout = param_get("contactcenter.offer_timeout")
    with transaction.atomic():
        by_pk = AgentSession.objects.select_related("staff").in_bulk(
            [sessions[aid] for _cid, aid in assignments if aid in sessions])
        made, failed = [], []
        for cid, aid in assignments:
            session = by_pk.get(sessions.get(aid, 0))
            oid = offer_make(cid, session, now, timeout) if session is not None else None
            if oid:
                made.append(oid)
            else:
                failed.append((cid, aid))
    return made, failed


def offer_make(contact_id: int, session: AgentSession, now, timeout: timedelta) -> int | None:
    """Ring the contact at the agent; conditional updates make a double offer impossible."""
    moved = Contact.objects.filter(pk=contact_id, state=ContactState.QUEUED).update(state=ContactState.OFFERED)
    if not moved:
        return None
    contact = Contact.objects.select_related("customer", "subscriber", "queue").get(pk=contact_id)
    if contact.channel != "chat":
        ok = AgentSession.objects.filter(pk=session.pk, state=AgentState.READY, voice_load=0).update(
            state=AgentState.OFFERED, reason="", state_since=now, version=session.version + 1)
        if not ok:
            Contact.objects.filter(pk=contact_id).update(state=ContactState.QUEUED)
            return None
        session.version += 1  # what the conditional update wrote; the state change records the rest
        agent_state_change(session, AgentState.OFFERED, row_written=True, at=now)
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
    if contact.direction == Direction.OUTBOUND and purpose_progressive(contact):
        for hook in progressive_hooks:  # progressive dialling: the offer is taken at once
            hook(offer=offer, staff=session.staff)
    return offer.pk


def route_soon(*, contacts=(), agents=()) -> None:
    """Once the current transaction commits: tell the router service what changed, or, where none
    runs, route inline (at once outside a transaction)."""
    if not router_inbox.tell(contacts=contacts, agents=agents):
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
