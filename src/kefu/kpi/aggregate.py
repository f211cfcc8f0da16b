"""Interval aggregation as pure functions: facts in, summed measures per interval and dimension out.

An interval row is keyed by (bucket start, organisation, queue, team, agent, channel) and holds the
sums of ``catalogue.MEASURES``. Reports add rows up by whatever dimension they show, so the raw
records are read once, when their interval is (re)built, never by a report.

Attribution rules (they are what makes a rebuild idempotent):
- a contact belongs to the interval it *started* in, with everything that happens to it later (answer,
  abandon, talk, wrap-up), even when that crosses into the next interval;
- agent time is *split* at interval boundaries (an agent busy 09:10–09:20 gives 5 minutes to each);
- work-order, IVR and campaign figures belong to the interval of their event (created, closed, replied,
  gone overdue; session or attempt started).
No Django here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

BUCKET = timedelta(minutes=15)
SLOTS_PER_DAY = 96

Key = tuple[
    datetime, int | None, int | None, int | None, int | None, str
]  # bucket, org, queue, team, agent, channel
Rows = dict[Key, dict[str, float]]

BUSY_STATES = frozenset({"offered", "busy", "hold", "wrap_up"})


def bucket_of(at: datetime) -> datetime:
    """The start of the 15-minute interval holding ``at`` (time zones are whole quarters of an hour)."""
    return at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)


def day_slot(bucket: datetime) -> tuple[date, int]:
    """Local day and quarter-hour number (0–95) of a bucket given in local time."""
    return bucket.date(), bucket.hour * 4 + bucket.minute // 15


def new_rows() -> Rows:
    return defaultdict(lambda: defaultdict(float))


def _seconds(a: datetime | None, b: datetime | None) -> float:
    return max(0.0, (b - a).total_seconds()) if a is not None and b is not None else 0.0


@dataclass(frozen=True)
class ContactFact:
    """One contact record as the aggregation needs it (times already local)."""

    started_at: datetime
    channel: str
    direction: str
    org_id: int | None
    queue_id: int | None
    team_id: int | None
    agent_id: int | None
    enqueued_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    wrap_up_ended_at: datetime | None
    hold_seconds: int
    transfers: int
    abandoned: bool
    sl_seconds: int
    short_abandon_seconds: int
    made_order: bool = False


def add_contacts(rows: Rows, facts: Iterable[ContactFact]) -> Rows:
    """Inbound contacts that reached a queue (or an agent): answer, abandon, wait, handle, transfer, FCR."""
    for f in facts:
        if f.direction != "in" or (f.enqueued_at is None and f.answered_at is None):
            continue  # outbound calls count in the campaigns; IVR-only calls in the IVR figures
        m = rows[(bucket_of(f.started_at), f.org_id, f.queue_id, f.team_id, f.agent_id, f.channel)]
        queued = f.enqueued_at or f.started_at
        if f.answered_at is not None:
            wait = _seconds(queued, f.answered_at)
            m["answered"] += 1
            m["answer_wait_s"] += wait
            m["answered_in_sl"] += wait <= f.sl_seconds
            m["transferred"] += f.transfers > 0
            if f.ended_at is not None:
                m["handled"] += 1
                m["talk_s"] += max(0.0, _seconds(f.answered_at, f.ended_at) - f.hold_seconds)
                m["hold_s"] += f.hold_seconds
                m["wrap_s"] += _seconds(f.ended_at, f.wrap_up_ended_at)
                m["resolved_first"] += not f.made_order
        elif f.abandoned:
            m["abandoned"] += 1
            m["short_abandoned"] += _seconds(queued, f.ended_at) < f.short_abandon_seconds
        m["offered"] = m["answered"] + m["abandoned"] - m["short_abandoned"]
    return rows


@dataclass(frozen=True)
class StateSpan:
    """One agent state from start to end (``None``: still in it)."""

    agent_id: int
    team_id: int | None
    org_id: int | None
    state: str
    started_at: datetime
    ended_at: datetime | None


def add_agent_states(rows: Rows, spans: Iterable[StateSpan], *, since: datetime, until: datetime) -> Rows:
    """Ready, busy and not-ready seconds, cut at ``since``/``until`` and split at each interval boundary."""
    for s in spans:
        column = (
            "busy_s"
            if s.state in BUSY_STATES
            else {"ready": "ready_s", "not_ready": "not_ready_s"}.get(s.state)
        )
        if column is None:
            continue
        start, end = max(s.started_at, since), min(s.ended_at or until, until)
        while start < end:
            bucket = bucket_of(start)
            step = min(end, bucket + BUCKET)
            rows[(bucket, s.org_id, None, s.team_id, s.agent_id, "")][column] += (
                step - start
            ).total_seconds()
            start = step
    return rows


@dataclass(frozen=True)
class EventFact:
    """Something counted once at a moment: a work order created/closed/replied/overdue, an IVR session, a call."""

    at: datetime
    org_id: int | None
    measures: dict[str, float]
    channel: str = ""
    team_id: int | None = None
    agent_id: int | None = None
    queue_id: int | None = None


def add_events(rows: Rows, facts: Iterable[EventFact]) -> Rows:
    for f in facts:
        m = rows[(bucket_of(f.at), f.org_id, f.queue_id, f.team_id, f.agent_id, f.channel)]
        for k, v in f.measures.items():
            m[k] += v
    return rows


def sum_measures(rows: Iterable[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for r in rows:
        for k, v in r.items():
            out[k] += v or 0
    return dict(out)
