"""One source function per kind of record: each reads another app through its selectors and turns the
records of [since, until) into facts for ``aggregate``. The catalogue names each indicator's source;
wiring a new one means writing its ``source_*`` here and marking it available in ``catalogue.SOURCES``.

Times are made local first, so buckets, days and quarter-hour slots follow the center's clock.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from kefu.campaigns import selectors as campaigns
from kefu.contactcenter import selectors as contactcenter
from kefu.iam import selectors as iam
from kefu.ivr import selectors as ivr
from kefu.params.selectors import param_get
from kefu.quality import selectors as quality
from kefu.surveys import selectors as surveys
from kefu.workorders import selectors as workorders

from ..aggregate import ContactFact, EventFact, Rows, StateSpan, add_agent_states, add_contacts, add_events


def _local(at: datetime) -> datetime:
    return timezone.localtime(at)


def _local_or_none(at: datetime | None) -> datetime | None:
    return timezone.localtime(at) if at is not None else None


def _placement(staff_ids) -> dict[int, tuple[int | None, int | None]]:
    return iam.staff_placement({s for s in staff_ids if s})


def source_contacts(rows: Rows, *, since: datetime, until: datetime) -> int:
    """Contact records → answer, abandon, wait, handle and transfer measures; FCR asks the work orders."""
    records = contactcenter.contact_facts(since=since, until=until)
    if not records:
        return 0
    placed = _placement(r[4] for r in records)
    with_orders = workorders.contacts_with_orders(contact_ids=[r[-1] for r in records], since=since)
    sl_default, short_default = param_get("kpi.sl_seconds"), param_get("kpi.short_abandon_seconds")
    facts = []
    for (
        started,
        channel,
        direction,
        queue,
        agent,
        enq,
        answered,
        ended,
        wrapped,
        hold,
        transfers,
        abandoned,
        queue_org,
        sl,
        short,
        pk,
    ) in records:
        team, agent_org = placed.get(agent, (None, None)) if agent else (None, None)
        facts.append(
            ContactFact(
                started_at=_local(started),
                channel=channel,
                direction=direction,
                org_id=queue_org or agent_org,
                queue_id=queue,
                team_id=team,
                agent_id=agent,
                enqueued_at=enq,
                answered_at=answered,
                ended_at=ended,
                wrap_up_ended_at=wrapped,
                hold_seconds=hold,
                transfers=transfers,
                abandoned=abandoned,
                sl_seconds=sl if sl is not None else sl_default,
                short_abandon_seconds=short if short is not None else short_default,
                made_order=pk in with_orders,
            )
        )
    add_contacts(rows, facts)
    return len(records)


def source_agent_states(rows: Rows, *, since: datetime, until: datetime) -> int:
    """Agent state changes → ready, busy and not-ready seconds (occupancy, utilisation)."""
    spans = contactcenter.agent_state_spans(since=since, until=until)
    placed = _placement(s[0] for s in spans)
    add_agent_states(
        rows,
        (
            StateSpan(
                agent_id=staff,
                team_id=placed.get(staff, (None, None))[0],
                org_id=placed.get(staff, (None, None))[1],
                state=state,
                started_at=_local(start),
                ended_at=_local(end),
            )
            for staff, state, start, end in spans
        ),
        since=_local(since),
        until=_local(until),
    )
    return len(spans)


def source_ivr(rows: Rows, *, since: datetime, until: datetime) -> int:
    """IVR sessions → sessions finished and served by self-service."""
    facts = ivr.session_facts(since=since, until=until)
    add_events(
        rows,
        (
            EventFact(
                at=_local(at),
                org_id=org,
                channel=channel or "",
                measures={"ivr_sessions": 1, "ivr_self_served": int(served)},
            )
            for at, channel, org, served in facts
        ),
    )
    return len(facts)


def source_orders(rows: Rows, *, since: datetime, until: datetime) -> int:
    """Work orders → created, complaints (repeat), appeals, closed (late), overdue, and reply satisfaction.

    Reply satisfaction is the satisfaction rate's source until survey answers (kefu.surveys) are wired.
    """
    facts = workorders.order_facts(since=since, until=until, repeat_days=param_get("kpi.repeat_days"))
    placed = _placement(f["staff_id"] for f in facts)
    add_events(
        rows,
        (
            EventFact(
                at=_local(f["at"]),
                org_id=f["org_id"],
                channel=f["channel"],
                agent_id=f["staff_id"],
                team_id=placed.get(f["staff_id"], (None, None))[0],
                measures=f["measures"],
            )
            for f in facts
        ),
    )
    return len(facts)


def source_campaigns(rows: Rows, *, since: datetime, until: datetime) -> int:
    """Campaign attempts → calls placed, answered (reach) and successful (conversion)."""
    facts = campaigns.attempt_facts(since=since, until=until)
    placed = _placement(f[2] for f in facts)
    add_events(
        rows,
        (
            EventFact(
                at=_local(at),
                org_id=org,
                channel="voice",
                agent_id=agent,
                team_id=placed.get(agent, (None, None))[0] if agent else None,
                measures={
                    "outbound_attempts": 1,
                    "outbound_reached": int(answered),
                    "outbound_success": int(outcome == "success"),
                },
            )
            for at, org, agent, answered, outcome in facts
        ),
    )
    return len(facts)


def source_quality(rows: Rows, *, since: datetime, until: datetime) -> int:
    """QA scores (kefu.quality) → contacts scored and the sum of their scores, in the interval scored."""
    facts = quality.score_facts(since=since, until=until)
    add_events(
        rows,
        (
            EventFact(at=_local(at), org_id=org, team_id=team, agent_id=agent,
                      measures={"qa_scored": 1, "qa_score_sum": float(score)})
            for at, org, team, agent, score, _fatal in facts
        ),
    )
    return len(facts)


def source_survey_answers(rows: Rows, *, since: datetime, until: datetime) -> int:
    """Survey answers (kefu.surveys) → rated and satisfied answers, counted with the work-order replies'
    (the satisfaction rate counts both). Surveys name their queue by code; they count under no channel
    (the survey's own way of asking — SMS, IVR, web — is not a contact channel)."""
    facts = surveys.survey_answer_facts(since=since, until=until)
    queues: dict[str, int] = {}
    for code in {f[3] for f in facts if f[3]}:
        queue = contactcenter.queue_find(code=code)
        if queue is not None:
            queues[code] = queue.pk
    add_events(
        rows,
        (
            EventFact(
                at=_local(at),
                org_id=org,
                channel="",
                queue_id=queues.get(queue),
                team_id=team,
                agent_id=agent,
                measures={"replies_rated": 1, "replies_satisfied": int(level >= 4)},
            )
            for at, org, _channel, queue, team, agent, level in facts
        ),
    )
    return len(facts)


#: The sources an interval rebuild runs, in order.
FEEDERS = (source_contacts, source_agent_states, source_ivr, source_orders, source_campaigns, source_survey_answers,
           source_quality)
