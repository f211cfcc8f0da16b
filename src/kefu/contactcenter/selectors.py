"""Reads for the agent desktop, the supervisor view, queue admin and contact records.

Live figures (waiting now, longest wait, today's service level) come straight
from Contact rows with a handful of grouped queries, so the supervisor view
is right after a restart and needs no counters to keep in step. Everything a
person may list is limited with ``scope_queryset``: queues by their
organisation, agents by theirs, contacts by their queue's, agent's or (for
contacts that never reached a queue) customer's organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.audit.reads import audit_read, audited
from kefu.core import clock
from kefu.core.errors import NotFound
from kefu.core.versioned import VersionedCache
from kefu.orgs.selectors import scope_queryset

from .models import (
    AgentSession,
    AgentState,
    Callback,
    CallbackState,
    Channel,
    Contact,
    ContactEvent,
    ContactState,
    Dial,
    DialOutcome,
    DialState,
    Direction,
    NotReadyReason,
    Offer,
    Queue,
)
from .services.states import live_session, not_ready_reasons

CS = ContactState
WAITING = (CS.QUEUED, CS.OFFERED)
ACTIVE = (CS.DIALLING, CS.CONNECTED, CS.HELD)  # an agent is on it (dialling: reserved for a call Kefu places)
CONTACT_TYPE = "contactcenter.contact"


def day_start(now: datetime | None = None) -> datetime:
    """Local midnight of today: "today" figures follow the center's clock, not UTC."""
    local = timezone.localtime(now or clock.now())
    return timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)


def reason_label(code: str) -> str:
    if not code:
        return ""
    if code == "login":
        return _("Just logged in")
    reasons = not_ready_reasons()
    if code in reasons:
        return reasons[code]
    return str(NotReadyReason(code).label) if code in NotReadyReason.values else code


def queue_is_open(queue: Queue, at: datetime | None = None) -> bool:
    """Empty opening hours = always open; otherwise a day not listed is closed."""
    if not queue.opening_hours:
        return True
    local = timezone.localtime(at or clock.now())
    span = queue.opening_hours.get(str(local.isoweekday()))
    return bool(span) and span[0] <= local.strftime("%H:%M") < span[1]


# --- Agent desktop ---------------------------------------------------------------


def agent_today(*, actor) -> dict:
    """Contacts handled today and their average handle time (talk + hold + wrap-up)."""
    # Uses contact_agent_time_idx (agent, started_at).
    rows = Contact.objects.filter(agent=actor, started_at__gte=day_start(), answered_at__isnull=False,
                                  ended_at__isnull=False).values_list("answered_at", "ended_at", "wrap_up_ended_at")
    total, n = 0.0, 0
    for answered, ended, wrapped in rows:
        if answered is None or ended is None:  # excluded by the query; tells the type checker
            continue
        total += (ended - answered).total_seconds() + ((wrapped - ended).total_seconds() if wrapped else 0)
        n += 1
    return {"handled": n, "aht_seconds": round(total / n) if n else None}


def orders_of_contact(*, actor, contact: Contact) -> list:
    """Work orders created from this contact (``origin_contact``), as far as the actor may see them."""
    from kefu.workorders.selectors import scoped_orders

    qs = scoped_orders(actor).filter(origin_contact=str(contact.pk))
    if contact.customer_id:  # narrows through wo_customer_created; origin_contact has no index of its own
        qs = qs.filter(customer_id=contact.customer_id)
    orders = list(qs.order_by("created_at")[:20])
    if orders:
        audit_read(actor=actor, object_type="workorders.workorder", items=[(o.pk, o.serial) for o in orders],
                   customers=[o.customer_id for o in orders])
    return orders


def _contact_brief(actor, contact: Contact, *, pop: bool = True) -> dict:
    from .services.screenpop import outbound_brief, screen_pop

    return {
        "id": contact.pk, "state": contact.state, "state_label": contact.get_state_display(),
        "channel": contact.channel, "direction": contact.direction, "caller": contact.caller, "customer_id": contact.customer_id,
        "queue": contact.queue.code if contact.queue is not None else "", "script": contact.queue.script if contact.queue is not None
        else "", "answered_at": contact.answered_at, "ended_at": contact.ended_at, "held_since": contact.held_since,
        "conference": contact.conference, "pop": screen_pop(contact) if pop else {},
        # A call Kefu placed: what it is for (a campaign's script and outcomes for the wrap-up).
        "outbound": outbound_brief(contact) if contact.direction == Direction.OUTBOUND else None,
        "orders": [{"serial": o.serial, "title": o.title, "state": o.state}
                   for o in orders_of_contact(actor=actor, contact=contact)],
    }


def desk_state(*, actor) -> dict:
    """Everything the desktop shows, so a reloaded page (or a missed event) catches up in one request."""
    now = clock.now()
    out: dict = {"at": now, "session": None, "offer": None, "contacts": [], "wrap_up": None, "dial": None,
                 "today": agent_today(actor=actor),
                 "queues": [{"code": q.code, "name": q.name, "channel": q.channel}
                            for q in _active_queues.get().values()]}
    session = live_session(actor)
    if session is None:
        return out
    out["session"] = {"id": session.pk, "version": session.version, "extension": session.extension, "state": session.state,
                      "state_label": str(AgentState(session.state).label), "reason": session.reason,
                      "reason_label": reason_label(session.reason), "since": session.state_since,
                      "wrap_up_until": session.wrap_up_until if session.state == AgentState.WRAP_UP else None}
    related = ("customer", "subscriber", "queue")
    offer = (Offer.objects.filter(session=session, state=Offer.State.PENDING)
             .select_related(*(f"contact__{r}" for r in related)).order_by("offered_at").first())
    if offer is not None:
        from .services.screenpop import screen_pop

        out["offer"] = {"id": offer.pk, "contact": offer.contact_id, "expires_at": offer.expires_at,
                        "pop": screen_pop(offer.contact),
                        "script": offer.contact.queue.script if offer.contact.queue is not None else ""}
    # Uses contact_agent_time_idx (agent, started_at).
    active = Contact.objects.filter(agent=actor, state__in=ACTIVE).select_related(*related).order_by("answered_at")
    out["contacts"] = [_contact_brief(actor, c) for c in active]
    out["dial"] = desk_dial(actor=actor, since=session.logged_in_at)
    wrap = (Contact.objects.filter(agent=actor, state=CS.ENDED, answered_at__isnull=False,
                                   wrap_up_ended_at__isnull=True, ended_at__gte=session.logged_in_at)
            .select_related(*related).order_by("-ended_at").first())
    if wrap is None:
        wrap = _transferred_to_wrap_up(actor, session)
    if wrap is not None:
        out["wrap_up"] = _contact_brief(actor, wrap, pop=False)
    shown = [c for c in (offer.contact if offer else None, *active, wrap) if c is not None]
    if shown:  # the screen pop and the contacts name their customers
        audit_read(actor=actor, object_type=CONTACT_TYPE, items=[(c.pk, _contact_label(c)) for c in shown],
                   customers=[c.customer_id for c in shown], note="agent desktop")
    return out


#: How long the desk keeps showing how a dial ended (a failure has no contact card left to show it on).
DIAL_SHOWN = timedelta(seconds=60)


def dial_label(dial: Dial) -> dict:
    return {"state_label": str(DialState(dial.state).label),
            "outcome_label": str(DialOutcome(dial.outcome).label) if dial.outcome else ""}


def desk_dial(*, actor, since: datetime) -> dict | None:
    """The agent's latest dial this session: in progress, or ended in the last minute."""
    # Uses dial_staff_idx (staff, requested_at).
    dial = (Dial.objects.filter(staff=actor, requested_at__gte=since).order_by("-requested_at", "-pk").first())
    if dial is None or (dial.ended_at is not None and clock.now() - dial.ended_at > DIAL_SHOWN):
        return None
    return {"id": dial.pk, "contact": dial.contact_id, "number": dial.number, "purpose": dial.purpose,
            "attempt": dial.attempt, "state": dial.state, "outcome": dial.outcome, **dial_label(dial),
            "requested_at": dial.requested_at, "ended_at": dial.ended_at}


def _transferred_to_wrap_up(actor, session) -> Contact | None:
    """The last contact this agent transferred on during this session and has not wrapped up yet."""
    last = (ContactEvent.objects.filter(agent=actor, kind="transferred", at__gte=session.logged_in_at)
            .order_by("-at", "-id").values_list("contact_id", "at").first())
    if last is None:
        return None
    contact_id, at = last
    if ContactEvent.objects.filter(contact_id=contact_id, agent=actor, kind="wrapped_up", at__gte=at).exists():
        return None
    return Contact.objects.select_related("customer", "subscriber", "queue").filter(pk=contact_id).first()


# --- Supervisor view ---------------------------------------------------------------


def queue_stats(*, actor, queues: list[Queue] | None = None) -> list[dict]:
    """Per queue: waiting now, longest wait, answered/abandoned today and today's service level.

    Service level = answered within the queue's ``sl_target_seconds`` ÷ offered,
    where offered = answered + abandoned, leaving out callers who hung up
    before ``short_abandon_seconds`` (they never really waited). Callers still
    waiting are not counted yet. ``None`` when nothing was offered today.
    """
    now = clock.now()
    if queues is None:
        queues = list(scope_queryset(Queue.objects.filter(active=True), actor))
    ids = [q.pk for q in queues]
    if not ids:
        return []
    # Uses contact_waiting_idx (state, priority, enqueued_at).
    waiting: dict[int, Any] = {r["queue_id"]: r for r in Contact.objects.filter(state__in=WAITING, queue_id__in=ids)
               .values("queue_id").annotate(n=Count("pk"), oldest=Min("enqueued_at"))}
    waited = ExpressionWrapper(F("answered_at") - F("enqueued_at"), output_field=DurationField())
    lasted = ExpressionWrapper(F("ended_at") - F("enqueued_at"), output_field=DurationField())
    # Each queue has its own targets: one OR branch per queue keeps it a single grouped query.
    in_sl = reduce(or_, [Q(queue_id=q.pk, waited__lte=timedelta(seconds=q.sl_target_seconds)) for q in queues])
    short = reduce(or_, [Q(queue_id=q.pk, lasted__lt=timedelta(seconds=q.short_abandon_seconds)) for q in queues])
    answered = Q(answered_at__isnull=False)
    # Uses contact_queue_time_idx (queue, started_at).
    today: dict[int, Any] = {r["queue_id"]: r for r in Contact.objects.filter(queue_id__in=ids, started_at__gte=day_start(now))
             .alias(waited=waited, lasted=lasted).values("queue_id").annotate(
                 n_answered=Count("pk", filter=answered), n_in_sl=Count("pk", filter=answered & in_sl),
                 n_abandoned=Count("pk", filter=Q(abandoned=True)),
                 n_short=Count("pk", filter=Q(abandoned=True) & short))}
    out = []
    for q in queues:
        w, t = waiting.get(q.pk, {}), today.get(q.pk, {})
        oldest = w.get("oldest")
        offered = t.get("n_answered", 0) + t.get("n_abandoned", 0) - t.get("n_short", 0)
        out.append({
            "id": q.pk, "code": q.code, "name": q.name, "channel": q.channel, "waiting": w.get("n", 0),
            "longest_wait": max(0, round((now - oldest).total_seconds())) if oldest else 0,
            "answered": t.get("n_answered", 0), "abandoned": t.get("n_abandoned", 0),
            "short_abandoned": t.get("n_short", 0), "offered": offered,
            "service_level": round(100 * t.get("n_in_sl", 0) / offered, 1) if offered else None,
            "sl_target_percent": q.sl_target_percent, "sl_target_seconds": q.sl_target_seconds,
            "open": queue_is_open(q, now),
        })
    return out


def agent_sessions(*, actor) -> QuerySet[AgentSession]:
    # Uses agentsession_live_idx (logged_out_at, state).
    return scope_queryset(AgentSession.objects.filter(logged_out_at__isnull=True).select_related("staff"), actor,
                          field="staff__org")


def agent_board(*, actor) -> list[dict]:
    """Logged-in agents the supervisor may see, with state, reason, time in state and current contact."""
    sessions = list(agent_sessions(actor=actor).order_by("staff__employee_no"))
    staff_ids = [s.staff_id for s in sessions]
    current: dict[int | None, Contact] = {}
    # Uses contact_agent_time_idx (agent, started_at).
    for c in Contact.objects.filter(agent_id__in=staff_ids, state__in=ACTIVE).select_related("customer", "queue"):
        current.setdefault(c.agent_id, c)
    for o in Offer.objects.filter(staff_id__in=staff_ids, state=Offer.State.PENDING).select_related(
            "contact__customer", "contact__queue"):
        current.setdefault(o.staff_id, o.contact)
    rows = []
    for s in sessions:
        cur = current.get(s.staff_id)
        rows.append({
            "staff": s.staff_id, "name": s.staff.name, "employee_no": s.staff.employee_no,
            "extension": s.extension, "state": s.state, "state_label": str(AgentState(s.state).label),
            "reason": s.reason, "reason_label": reason_label(s.reason), "since": s.state_since,
            "contact": None if cur is None else {
                "id": cur.pk, "caller": cur.caller, "customer": cur.customer.name if cur.customer is not None else "",
                "tier": cur.service_tier, "queue": cur.queue.code if cur.queue is not None else "", "state": cur.state,
                "state_label": cur.get_state_display()},
        })
    return rows


def supervisor_snapshot(*, actor) -> dict:
    return {"at": clock.now(), "queues": queue_stats(actor=actor), "agents": agent_board(actor=actor)}


# --- Queues --------------------------------------------------------------------------


def queue_list(*, actor, search: str = "", active: bool | None = None) -> QuerySet[Queue]:
    qs = scope_queryset(Queue.objects.select_related("org").prefetch_related("skills__skill_group"), actor)
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("code")


def queue_get(*, actor, queue_id) -> Queue:
    """Outside the actor's scope a queue is reported as not existing."""
    try:
        queue = queue_list(actor=actor).filter(pk=int(queue_id)).first()
    except (TypeError, ValueError):
        queue = None
    if queue is None:
        raise NotFound(_("Queue not found."), code="queue_not_found")
    return queue


# --- Contact records -------------------------------------------------------------


@dataclass
class ContactFilters:
    since: datetime | None = None
    until: datetime | None = None
    queue_id: int | None = None
    agent: str = ""  # employee number
    channel: str = ""
    abandoned: bool | None = None
    caller: str = ""

    def conditions(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def _scoped_contacts(actor) -> QuerySet[Contact]:
    base = Contact.objects.all()
    return (scope_queryset(base, actor, field="queue__org") | scope_queryset(base, actor, field="agent__org")
            | scope_queryset(base.filter(queue__isnull=True, agent__isnull=True), actor, field="customer__org"))


def contact_list(*, actor, filters: ContactFilters, audit: bool = True) -> QuerySet[Contact]:
    """Contact records, newest first; the search is logged with the rows and customers shown
    (caller numbers are customer data)."""
    qs = _scoped_contacts(actor).select_related("queue", "agent", "customer")
    f = filters
    if f.since:
        qs = qs.filter(started_at__gte=f.since)
    if f.until:
        qs = qs.filter(started_at__lt=f.until)
    if f.queue_id:
        qs = qs.filter(queue_id=f.queue_id)  # contact_queue_time_idx
    if f.agent:
        qs = qs.filter(agent__employee_no=f.agent.strip())  # contact_agent_time_idx
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.abandoned is not None:
        qs = qs.filter(abandoned=f.abandoned)
    if f.caller:
        qs = qs.filter(caller=f.caller.strip())
    qs = qs.order_by("-started_at", "-pk")
    if audit:
        audit_read(actor=actor, object_type=CONTACT_TYPE, conditions=f.conditions(), result_count=qs.count())
        qs = audited(qs, actor=actor, object_type=CONTACT_TYPE, label=_contact_label)
    return qs


def _contact_label(contact: Contact) -> str:
    return f"contact {contact.pk}"


def contact_get(*, actor, contact_id) -> Contact:
    """One contact record (logged as a read); outside the actor's scope it does not exist."""
    try:
        contact = (_scoped_contacts(actor).select_related("queue", "agent", "customer", "subscriber")
                   .filter(pk=int(contact_id)).first())
    except (TypeError, ValueError):
        contact = None
    if contact is None:
        raise NotFound(_("Contact not found."), code="contact_not_found")
    audit_read(actor=actor, object_type=CONTACT_TYPE, items=[(contact.pk, _contact_label(contact))],
               customers=[contact.customer_id])
    return contact


def contact_events(contact: Contact) -> QuerySet:
    return contact.events.select_related("agent").order_by("at", "pk")


def customer_contacts(*, actor, customer_id: int, limit: int = 10) -> list[Contact]:
    """The customer's latest contacts in the actor's scope, for the 360 page; the read is audited.

    ``NotFound`` for a customer outside the actor's organisations, as for one that does not exist.
    """
    from kefu.crm.selectors import customer_get

    customer_get(actor=actor, customer_id=customer_id)
    contacts = list(_scoped_contacts(actor).filter(customer_id=customer_id)  # contact_customer_time_idx
                    .select_related("queue", "agent").order_by("-started_at", "-pk")[:limit])
    audit_read(actor=actor, object_type=CONTACT_TYPE, items=[(c.pk, _contact_label(c)) for c in contacts],
               customers=[customer_id], conditions={"customer": customer_id}, result_count=len(contacts))
    return contacts


def queue_codes(codes=None) -> list[str]:
    """Every queue's code (or those of ``codes`` that exist), sorted: flow editors offer them as targets."""
    qs = Queue.objects.all() if codes is None else Queue.objects.filter(code__in=codes)
    return list(qs.order_by("code").values_list("code", flat=True))


def queue_find(*, code: str) -> Queue | None:
    """A queue by code, whatever the scope, or None."""
    return Queue.objects.filter(code=code).first()


_active_queues = VersionedCache("contactcenter.active_queues",
                                lambda: {q.code: q for q in Queue.objects.filter(active=True).order_by("code")},
                                watch=(Queue,))


def queue_active(*, code: str) -> Queue | None:
    """The active queue with this code, or None (every call's arrival asks: kept per process)."""
    return _active_queues.get().get(code)


def offer_of(*, actor, offer_id) -> Offer | None:
    """One of the actor's own offers, whatever its state."""
    return Offer.objects.filter(pk=offer_id, staff=actor).first()


# --- Callbacks ---------------------------------------------------------------------


CALLBACK_TYPE = "contactcenter.callback"


def _scoped_callbacks(actor) -> QuerySet[Callback]:
    return scope_queryset(Callback.objects.all(), actor, field="queue__org")


def callback_list(*, actor, state: str = "", since: datetime | None = None) -> QuerySet[Callback]:
    """Callbacks of the actor's queues, newest first; the list is logged (numbers are customer data)."""
    # customer_id: the audited read names each row's customer.
    qs = (_scoped_callbacks(actor).select_related("queue", "contact__customer")
          .annotate(customer_id=F("contact__customer_id")))
    if state:
        qs = qs.filter(state=state)
    if since is not None:
        qs = qs.filter(requested_at__gte=since)
    qs = qs.order_by("-requested_at", "-pk")
    conditions = {k: v for k, v in {"state": state, "since": since}.items() if v}
    audit_read(actor=actor, object_type=CALLBACK_TYPE, conditions=conditions, result_count=qs.count())
    return audited(qs, actor=actor, object_type=CALLBACK_TYPE, label=lambda cb: f"callback {cb.pk}")


def callback_get(*, actor, callback_id) -> Callback:
    """One callback with its attempts (logged as a read); outside the actor's scope it does not exist."""
    try:
        cb = (_scoped_callbacks(actor).select_related("queue", "contact__customer")
              .filter(pk=int(callback_id)).first())
    except (TypeError, ValueError):
        cb = None
    if cb is None:
        raise NotFound(_("Callback not found."), code="callback_not_found")
    audit_read(actor=actor, object_type=CALLBACK_TYPE, items=[(cb.pk, f"callback {cb.pk}")],
               customers=[cb.contact.customer_id])
    return cb


def callback_dials(callback: Callback) -> list[Dial]:
    """The callback's attempts, first to last, with the agent who took each."""
    return list(callback.dials.select_related("staff").order_by("attempt", "pk"))


def callback_states() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in CallbackState.choices]


# --- Interval figures (read by kefu.kpi) --------------------------------------------------------

CONTACT_FACT_FIELDS = ("started_at", "channel", "direction", "queue_id", "agent_id", "enqueued_at", "answered_at",
                       "ended_at", "wrap_up_ended_at", "hold_seconds", "transfers", "abandoned", "queue__org_id",
                       "queue__sl_target_seconds", "queue__short_abandon_seconds", "id")


def contact_facts(*, since: datetime, until: datetime) -> list[tuple]:
    """Contacts started in [since, until), as tuples of ``CONTACT_FACT_FIELDS``; not a person's read."""
    # Uses contact_started_idx (started_at).
    return list(Contact.objects.filter(started_at__gte=since, started_at__lt=until).order_by()
                .values_list(*CONTACT_FACT_FIELDS))


def agent_state_spans(*, since: datetime, until: datetime) -> list[tuple]:
    """Agent states overlapping [since, until): ``(staff_id, state, started_at, ended_at)``."""
    from .models import AgentStateChange

    # Uses agentstate_time_idx (started_at); a state still open has no end.
    return list(AgentStateChange.objects.filter(started_at__lt=until)
                .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=since)).order_by()
                .values_list("staff_id", "state", "started_at", "ended_at"))


def queue_names(ids) -> dict[int, str]:
    """Queue id → "code name", for naming report rows (whatever the scope: rows are already scoped)."""
    return {pk: f"{code} {name}" for pk, code, name in Queue.objects.filter(pk__in=list(ids))
            .values_list("pk", "code", "name")}


def channel_label(code: str) -> str:
    from .models import Channel

    return str(Channel(code).label) if code in Channel.values else code


def channel_choices() -> list[tuple[str, str]]:
    from .models import Channel

    return [(k, str(v)) for k, v in Channel.choices]


def answered_inbound_calls(*, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Inbound voice calls an agent answered in [start, end), for drawing survey samples (kefu.surveys):
    contact id, caller, customer, queue code, agent and the agent's team. A report-sized read by time."""
    rows = (Contact.objects.filter(direction=Direction.INBOUND, channel=Channel.VOICE, answered_at__gte=start,
                                   answered_at__lt=end, agent__isnull=False)
            .values("id", "caller", "customer_id", "queue__code", "agent_id", "agent__team_id").order_by("id"))
    return [{"contact_id": r["id"], "caller": r["caller"], "customer_id": r["customer_id"],
             "queue": r["queue__code"] or "", "agent_id": r["agent_id"], "team_id": r["agent__team_id"]}
            for r in rows]


def contact_timings(*, actor, since: datetime, until: datetime, queue_id: int | None = None) -> list[tuple]:
    """``(started_at, answered_at, ended_at, wrap_up_ended_at)`` of the inbound voice contacts queued in a period,
    for workload history (staffing). Times only: no caller, no customer, so the reading is not a customer-data
    query and is not logged."""
    # Uses contact_queue_time_idx (queue, started_at) when a queue is given.
    qs = _scoped_contacts(actor).filter(started_at__gte=since, started_at__lt=until, channel="voice",
                                        direction="in", queue__isnull=False)
    if queue_id:
        qs = qs.filter(queue_id=queue_id)
    return list(qs.values_list("started_at", "answered_at", "ended_at", "wrap_up_ended_at"))


# --- Contacts for quality inspection ----------------------------------------------


def contacts_to_inspect(*, actor, since: datetime, until: datetime, min_talk_seconds: int | None = None,
                        ids=None) -> QuerySet[Contact]:
    """Ended contacts an agent talked on, in the actor's scope, started in ``[since, until)``: what the
    quality inspectors sample from (``min_talk_seconds``: only calls talked longer; ``ids``: only these)."""
    qs = (_scoped_contacts(actor).filter(started_at__gte=since, started_at__lt=until, agent__isnull=False,
                                         answered_at__isnull=False, ended_at__isnull=False)
          .select_related("agent", "agent__org", "queue"))
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if min_talk_seconds is not None:
        qs = qs.annotate(talk=ExpressionWrapper(F("ended_at") - F("answered_at"), output_field=DurationField()))
        qs = qs.filter(talk__gt=timedelta(seconds=min_talk_seconds))
    return qs.order_by("agent_id", "started_at", "pk")  # contact_agent_time_idx


def access_figures(*, actor, since: datetime, until: datetime) -> dict:
    """Offered, answered, abandoned (blocked before an agent) and failed inbound voice calls of the actor's
    scope in ``[since, until)``: the load side of access quality (接入质量)."""
    qs = _scoped_contacts(actor).filter(channel="voice", direction=Direction.INBOUND, started_at__gte=since,
                                        started_at__lt=until)
    c = qs.aggregate(n_offered=Count("id"), n_answered=Count("id", filter=Q(answered_at__isnull=False)),
                     n_abandoned=Count("id", filter=Q(abandoned=True)),
                     n_ivr=Count("id", filter=Q(answered_at__isnull=True, abandoned=False, queue__isnull=True,
                                                state=ContactState.ENDED)))
    return {"offered": c["n_offered"], "answered": c["n_answered"], "abandoned": c["n_abandoned"],
            "ivr_only": c["n_ivr"]}


#: A switch that has not reported its status for this long is taken as cut off (the CTI link is down).
SWITCH_STALE = timedelta(seconds=60)


def switch_health() -> dict | None:
    """The latest ``switch.status`` of the switch that reported last, with its trunk load and whether the
    link looks alive; ``None`` when no switch ever reported (it may not support the message)."""
    from .models import SwitchStatus

    row = SwitchStatus.objects.order_by("-reported_at").first()
    if row is None:
        return None
    return {"switch": row.switch, "trunks_total": row.trunks_total, "trunks_busy": row.trunks_busy,
            "trunk_load": round(100 * row.trunks_busy / row.trunks_total, 1) if row.trunks_total else None,
            "ivr_ports_total": row.ivr_ports_total, "ivr_ports_busy": row.ivr_ports_busy,
            "calls_blocked": row.calls_blocked, "calls_failed": row.calls_failed, "reported_at": row.reported_at,
            "link_up": clock.now() - row.reported_at <= SWITCH_STALE}
