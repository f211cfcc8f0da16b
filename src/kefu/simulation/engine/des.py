"""The discrete-event loop: arrivals, abandonments, ends of calls and shifts in virtual time.

Routing is not modelled here: waiting calls and free agents live on the live
router's ``Board`` (kefu.contactcenter.routing) as engine ``Contact`` and
``Agent`` objects, and every match is the engine's ``decide``: skills and
levels, tiers with aging, overflow steps, longest idle. The loop only asks when
a match can have become possible: a call arrives while someone is free, an
agent becomes free while someone waits, or a waiting call reaches an overflow
step. Arrivals are not kept in the event heap (one pending arrival at a time).

The indicators are computed like the live system's (contactcenter.selectors.queue_stats): service level =
answered within the target ÷ (answered + abandoned − short abandons); ASA over the answered calls; abandonment
rate = abandoned ÷ (answered + abandoned); occupancy = talk time ÷ staffed time; AHT over the ended calls.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from kefu.contactcenter.routing import Agent, Contact, OverflowStep
from kefu.contactcenter.routing.board import Board

from .model import Scenario

END, ABANDON, START, STOP, STEP = range(5)
# Student's t at 97.5 % for n-1 degrees of freedom, for the batch-means confidence intervals.
T975 = {4: 2.776, 9: 2.262, 14: 2.145, 19: 2.093, 29: 2.045, 39: 2.023, 49: 2.010}


@dataclass
class Tally:
    """Counts of one interval or one batch of calls (by arrival)."""

    arrived: int = 0
    answered: int = 0
    in_sl: int = 0
    abandoned: int = 0
    short: int = 0
    wait: float = 0.0  # of the answered calls
    handled: int = 0
    handle: float = 0.0
    busy: float = 0.0  # agent seconds in calls
    staffed: float = 0.0  # agent seconds on shift

    @property
    def offered(self) -> int:
        return self.answered + self.abandoned - self.short

    def indicators(self) -> dict:
        return {
            "arrived": self.arrived,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "service_level": self.in_sl / self.offered if self.offered else None,
            "asa": self.wait / self.answered if self.answered else None,
            "abandon_rate": self.abandoned / (self.answered + self.abandoned)
            if self.answered + self.abandoned
            else None,
            "occupancy": self.busy / self.staffed if self.staffed else None,
            "aht": self.handle / self.handled if self.handled else None,
        }


@dataclass
class Result:
    total: Tally
    intervals: list[Tally]
    batches: list[Tally]
    calls: int
    events: int
    end: float
    unanswered: int = 0  # still waiting when the last shift ended
    agents: int = 0

    def ci(self, name: str) -> tuple[float, float]:
        """Mean and 95 % half-width of an indicator over the batches (batch means)."""
        values = [v for b in self.batches if (v := b.indicators()[name]) is not None]
        n = len(values)
        if n < 2:
            return (values[0] if values else math.nan), math.inf
        mean = sum(values) / n
        var = sum((v - mean) ** 2 for v in values) / (n - 1)
        t = T975.get(n - 1) or 1.96
        return mean, t * math.sqrt(var / n)

    def summary(self) -> dict:
        return {
            **self.total.indicators(),
            "calls": self.calls,
            "events": self.events,
            "end": self.end,
            "unanswered": self.unanswered,
            "agents": self.agents,
        }


def _staffed(scenario: Scenario, end: float) -> list[float]:
    """Agent seconds on shift per interval, up to ``end``."""
    width = scenario.interval_seconds
    n = max(len(scenario.arrivals), math.ceil(end / width))
    out = [0.0] * n
    for g in scenario.agents:
        for i in range(n):
            lo, hi = max(g.shift_start, i * width), min(g.shift_end, (i + 1) * width, end)
            if hi > lo:
                out[i] += g.count * (hi - lo)
    return out


def simulate(
    scenario: Scenario,
    *,
    progress: Callable[[float], None] | None = None,
    warmup_calls: int = 0,
    batches: int = 20,
) -> Result:
    """Play ``scenario``; calls after the first ``warmup_calls`` are also tallied in ``batches`` batches."""
    sc = scenario
    rng = random.Random(sc.seed)
    handle = sc.handle.sampler(rng)
    expo = rng.expovariate
    width = float(sc.interval_seconds)
    horizon = sc.horizon
    max_calls = sc.max_calls or math.inf
    total_expected = max(1.0, sc.expected_calls)
    batch_size = max(1, math.ceil((total_expected - warmup_calls) / batches)) if batches else 0
    tallies = [Tally() for _ in sc.arrivals]
    batch_tallies = [Tally() for _ in range(batches)]
    board = Board()
    waiting: dict[int, tuple[float, Tally, Tally | None]] = {}
    heap: list = []
    seq = itertools.count()
    hpush, hpop = heapq.heappush, heapq.heappop

    # Agents: one engine Agent each, reused every time it becomes free again.
    agents: list[Agent] = []
    on_shift: list[bool] = []
    busy: list[bool] = []
    for g in sc.agents:
        skills = dict(g.skills)
        for _ in range(g.count):
            aid = len(agents)
            agents.append(Agent(id=aid, skills=skills, capacity={"voice": 1}))
            on_shift.append(False)
            busy.append(False)
            hpush(heap, (g.shift_start, next(seq), START, aid))
            hpush(heap, (g.shift_end, next(seq), STOP, aid))

    queues = sc.queues
    q_cum = list(itertools.accumulate(q.share for q in queues))
    tier_cum = [list(itertools.accumulate(s for _, s in q.tiers)) for q in queues]
    overflow = [tuple(OverflowStep(after, skills) for after, skills in q.overflow) for q in queues]
    one_queue = len(queues) == 1
    random_ = rng.random
    target, short_limit, patience = sc.target_seconds, sc.short_abandon_seconds, sc.patience
    aging = sc.aging_seconds

    def next_arrival(t: float) -> float:
        """Poisson arrivals at each interval's rate: draw, and redraw from the boundary when it is crossed."""
        while True:
            i = int(t // width)
            if i >= len(sc.arrivals):
                return math.inf
            rate = sc.arrivals[i] / width
            end = (i + 1) * width
            if rate > 0:
                nxt = t + expo(rate)
                if nxt < end:
                    return nxt
            t = end

    def route(now: float) -> None:
        for cid, aid in board.decide(now, aging_seconds=aging):
            enq, tally, batch = waiting.pop(cid)
            wait = now - enq
            tally.answered += 1
            tally.wait += wait
            if wait <= target:
                tally.in_sl += 1
            if batch is not None:
                batch.answered += 1
                batch.wait += wait
                if wait <= target:
                    batch.in_sl += 1
            busy[aid] = True
            in_call[0] += 1
            hpush(heap, (now + handle(), next(seq), END, (aid, now)))

    def free(aid: int, now: float) -> None:
        a = agents[aid]
        a.load.clear()
        a.idle_since = now
        board.put_agent(a)

    def add_busy(start: float, end: float) -> None:
        i = int(start // width)
        while start < end:
            stop = min(end, (i + 1) * width)
            if i < len(tallies):
                tallies[i].busy += stop - start
            start, i = stop, i + 1

    calls = events = 0
    in_call = [0]
    arrival = next_arrival(0.0) if max_calls > 0 else math.inf
    now = 0.0
    report_every = max(1, int(total_expected // 100))
    stop_at = 0.0 if sc.max_calls else horizon  # a day is staffed to its end; a call count stops when done
    while heap or arrival < math.inf:
        if arrival < math.inf and (not heap or arrival <= heap[0][0]):
            now = arrival
            cid = calls
            calls += 1
            qi = 0 if one_queue else bisect.bisect_right(q_cum, random_() * q_cum[-1])
            q = queues[qi]
            tiers = q.tiers
            priority = (
                tiers[0][0]
                if len(tiers) == 1
                else tiers[bisect.bisect_right(tier_cum[qi], random_() * tier_cum[qi][-1])][0]
            )
            tally = tallies[int(now // width)]
            tally.arrived += 1
            k = cid - warmup_calls
            batch = batch_tallies[min(k // batch_size, batches - 1)] if batches and k >= 0 else None
            if batch is not None:
                batch.arrived += 1
            waiting[cid] = (now, tally, batch)
            steps = overflow[qi]
            board.put_contact(Contact(cid, "voice", q.skills, priority, now, steps))
            for step in steps:
                hpush(heap, (now + step.after, next(seq), STEP, cid))
            if patience:
                hpush(heap, (now + expo(1.0 / patience), next(seq), ABANDON, cid))
            arrival = next_arrival(now) if calls < max_calls else math.inf
            if board.agents:
                route(now)
            if progress and calls % report_every == 0:
                progress(min(1.0, calls / total_expected))
            events += 1
            continue
        now, _s, kind, ref = hpop(heap)
        events += 1
        if kind == END:
            aid, started = ref
            busy[aid] = False
            in_call[0] -= 1
            duration = now - started
            t = tallies[min(int(started // width), len(tallies) - 1)]
            t.handled += 1
            t.handle += duration
            add_busy(started, now)
            if on_shift[aid]:
                free(aid, now)
                if board.contacts:
                    route(now)
            if arrival == math.inf and not in_call[0] and not waiting and now >= stop_at:
                break  # everything offered is done: the rest of the shifts would only add idle time
        elif kind == ABANDON:
            entry = waiting.pop(ref, None)
            if entry is not None:
                board.drop_contact(ref)
                enq, tally, batch = entry
                short = now - enq < short_limit
                tally.abandoned += 1
                tally.short += short
                if batch is not None:
                    batch.abandoned += 1
                    batch.short += short
        elif kind == START:
            on_shift[ref] = True
            if not busy[ref]:
                free(ref, now)
                if board.contacts:
                    route(now)
        elif kind == STOP:
            on_shift[ref] = False
            board.drop_agent(ref)
            if not any(on_shift) and arrival == math.inf:
                break  # nobody left to answer: what still waits stays unanswered
        elif kind == STEP and ref in waiting and board.agents:
            route(now)
    staffed = _staffed(sc, now)
    while len(tallies) < len(staffed):
        tallies.append(Tally())
    total = Tally()
    for t, s in zip(tallies, staffed, strict=True):
        t.staffed = s
        for name in (
            "arrived",
            "answered",
            "in_sl",
            "abandoned",
            "short",
            "wait",
            "handled",
            "handle",
            "busy",
            "staffed",
        ):
            setattr(total, name, getattr(total, name) + getattr(t, name))
    if progress:
        progress(1.0)
    return Result(
        total=total,
        intervals=tallies,
        batches=batch_tallies if batches else [],
        calls=calls,
        events=events,
        end=now,
        unanswered=len(waiting),
        agents=len(agents),
    )
