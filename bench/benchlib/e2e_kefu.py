"""Kefu's side of bench/routing_e2e.py: the agents a run starts with, and what the database says after it.

Runs in a child process with Django set up against the run's database (the
orchestrator itself stays free of Django, so one invocation can measure SQLite
and PostgreSQL in turn). Nothing here is timed.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command

from kefu.core import clock, context

QUEUE = "GEN"  # ivr.default_queue: a hotline without an IVR flow waits here
SKILL = "general"
EXTENSION = "9{:05d}"


def setup(*, agents: int) -> dict:
    """A fresh database: one queue, ``agents`` agents logged in and ready, a session for each, a switch token."""
    from kefu.contactcenter.models import Queue, QueueSkill
    from kefu.contactcenter.services import agents as ag
    from kefu.contactcenter.simswitch.identity import switch_token_issue
    from kefu.iam.models import SkillGroup, Staff, StaffSkill
    from kefu.iam.services.roles import role_create, role_grant
    from kefu.orgs.services import org_create

    t0 = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    migrated = time.monotonic() - t0
    with context.acting(context.RequestMeta(channel="cli")):
        org = org_create(actor="bench", code="GD", name="广东", kind="province", parent=None)
        skill = SkillGroup.objects.create(code=SKILL, name="综合")
        queue = Queue.objects.create(code=QUEUE, name="综合队列", org=org)  # the service wants a person who manages org
        QueueSkill.objects.create(queue=queue, skill_group=skill, min_level=1)
        role = role_create(actor="bench", name="bench agent")
        role_grant(actor="bench", role=role, codes=["contactcenter.desk.use"])
        # One shared password hash (Argon2 a thousand times would take minutes); nobody logs in with it, the
        # run uses sessions made below.
        shared = make_password("Bench2026kefu")
        now = clock.now()
        Staff.objects.bulk_create(
            [Staff(employee_no=f"E{i:05d}", name=f"坐席{i}", org=org, role=role, position="agent",
                   status_changed_at=now, password=shared, password_changed_at=now)
             for i in range(agents)], batch_size=500)
        people = list(Staff.objects.filter(role=role).order_by("employee_no"))
        StaffSkill.objects.bulk_create([StaffSkill(staff=s, skill_group=skill, level=1 + i % 10)
                                        for i, s in enumerate(people)], batch_size=500)
        out = []
        for i, person in enumerate(people):
            ag.agent_login(actor=person, extension=EXTENSION.format(i))
            ag.agent_set_state(actor=person, state="ready")
            session = SessionStore()
            session[SESSION_KEY] = str(person.pk)
            session[BACKEND_SESSION_KEY] = "kefu.iam.auth.StaffBackend"
            session[HASH_SESSION_KEY] = person.get_session_auth_hash()
            session.create()
            out.append({"id": person.pk, "session": session.session_key, "extension": EXTENSION.format(i)})
        token = switch_token_issue()
    return {"token": token, "agents": out, "migrate_s": round(migrated, 1),
            "setup_s": round(time.monotonic() - t0, 1)}


def check(*, prefix: str) -> dict:
    """What the database says about the run's calls (external ids starting with ``prefix``).

    lost: contacts still waiting for an agent (IVR, queued, or ringing) at the end — the run waited a grace
    period for them first. doubled: contacts answered by two agents (more than one accepted offer); ringing at
    two agents at once cannot be stored (one pending offer per contact is a constraint), but offer rows whose
    times overlap are counted too, with the largest overlap: a routing pass stamps its offers with the time it
    started, so an overlap shorter than a pass is the clock, not a double ring. agent_overlaps: the same for
    one agent's offers (voice: one call at a time).
    """
    from kefu.contactcenter.models import AgentSession, Contact, ContactState, Offer

    contacts = Contact.objects.filter(external_id__startswith=prefix)
    states = Counter(contacts.values_list("state", flat=True))
    waiting = {ContactState.IVR, ContactState.QUEUED, ContactState.OFFERED}
    lost = sum(n for s, n in states.items() if s in waiting)
    never_offered = contacts.filter(first_offered_at__isnull=True).count()
    far = clock.now().replace(year=9999)
    by_contact: dict[int, list] = defaultdict(list)
    by_staff: dict[int, list] = defaultdict(list)
    accepted: Counter = Counter()
    rows = list(Offer.objects.filter(contact__external_id__startswith=prefix).values_list(
        "contact_id", "staff_id", "state", "offered_at", "closed_at", "pk"))
    for contact_id, staff_id, state, offered_at, closed_at, _pk in rows:
        span = (offered_at, closed_at or far)
        by_contact[contact_id].append(span)
        by_staff[staff_id].append(span)
        if state == Offer.State.ACCEPTED:
            accepted[contact_id] += 1

    def overlap_ms(spans: list) -> float:
        spans.sort()
        return max([(a[1] - b[0]).total_seconds() * 1000 for a, b in zip(spans, spans[1:], strict=False)] + [0.0])

    # Where the server's own time went, from its timestamps: arrival → queued (IVR, enqueue) and queued → first
    # offer made (waiting for a routing pass). The socket's latency minus these is the push's way out.
    def spread(pairs) -> dict:
        ms = sorted((b - a).total_seconds() * 1000 for a, b in pairs if a and b)
        if not ms:
            return {}
        return {"p50": round(ms[len(ms) // 2], 1), "p99": round(ms[min(len(ms) - 1, int(0.99 * len(ms)))], 1),
                "max": round(ms[-1], 1)}

    stamps = list(contacts.values_list("started_at", "enqueued_at", "first_offered_at"))
    to_queue = spread((s, q) for s, q, _o in stamps)
    to_offer = spread((q, o) for _s, q, o in stamps)
    contact_overlaps = [ms for ms in map(overlap_ms, by_contact.values()) if ms > 0]
    agent_overlaps = [ms for ms in map(overlap_ms, by_staff.values()) if ms > 0]
    sessions = Counter(AgentSession.objects.filter(logged_out_at__isnull=True).values_list("state", flat=True))
    return {"contacts": sum(states.values()), "states": dict(states), "lost": lost, "never_offered": never_offered,
            "offers": dict(Counter(r[2] for r in rows)),
            "doubled": sum(1 for n in accepted.values() if n > 1),
            "contact_overlaps": len(contact_overlaps), "contact_overlap_max_ms": round(max(contact_overlaps + [0]), 1),
            "agent_overlaps": len(agent_overlaps), "agent_overlap_max_ms": round(max(agent_overlaps + [0]), 1),
            "sessions": dict(sessions), "offer_ids": sorted([r[5], r[3].timestamp()] for r in rows),
            "arrival_to_queue_ms": to_queue, "queue_to_offer_ms": to_offer}
