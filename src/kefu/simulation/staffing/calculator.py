"""The agents a load needs for a target, per interval of a forecast day.

The target is a service level (``percent`` of calls answered within
``seconds``) or an average speed of answer (at most ``seconds``). Without a
patience the model is Erlang C (callers wait for ever); with one, Erlang A.
Shrinkage (breaks, training, absence) turns the agents needed on the phones
into the agents to roster: ``ceil(n / (1 - shrinkage))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .erlang import Performance, performance

MAX_AGENTS = 20_000


@dataclass(frozen=True)
class Target:
    kind: str  # "sl" or "asa"
    seconds: float
    percent: float = 80.0

    def met(self, perf: Performance) -> bool:
        if not perf.stable:
            return False
        if self.kind == "asa":
            return perf.asa <= self.seconds
        return perf.service_level * 100.0 >= self.percent - 1e-9


@dataclass(frozen=True)
class Need:
    agents: int  # on the phones
    rostered: int  # with shrinkage
    perf: Performance


def agents_needed(
    *, rate: float, aht: float, target: Target, patience: float | None = None, shrinkage: float = 0.0
) -> Need:
    """The fewest agents that meet ``target``; ``rate`` in calls per second, ``aht`` in seconds.

    The indicators only improve with more agents, so the search doubles, then halves the bracket.
    """
    if rate < 0 or aht <= 0 or not 0 <= shrinkage < 1:
        raise ValueError("rate must not be negative, handle time must be positive, shrinkage in [0, 1)")
    seconds = target.seconds

    def perf(n: int) -> Performance:
        return performance(agents=n, rate=rate, aht=aht, target_seconds=seconds, patience=patience)

    if rate == 0:
        return Need(0, 0, perf(0) if patience else Performance(0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    low = int(rate * aht) if not patience else 0  # Erlang C needs more agents than the load
    high = max(low + 1, 1)
    while not target.met(perf(high)):
        low, high = high, high * 2
        if high > MAX_AGENTS:
            raise ValueError(f"more than {MAX_AGENTS} agents needed")
    while high - low > 1:
        mid = (low + high) // 2
        if target.met(perf(mid)):
            high = mid
        else:
            low = mid
    best = perf(high)
    return Need(high, math.ceil(high / (1.0 - shrinkage) - 1e-9), best)


@dataclass(frozen=True)
class IntervalLoad:
    """One interval of a forecast day: when it starts (minutes after midnight), calls offered, their AHT."""

    start_minute: int
    calls: float
    aht: float


@dataclass(frozen=True)
class IntervalNeed:
    load: IntervalLoad
    need: Need


def day_plan(
    *,
    loads: list[IntervalLoad],
    interval_minutes: int,
    target: Target,
    patience: float | None = None,
    shrinkage: float = 0.0,
) -> list[IntervalNeed]:
    """Agents per interval; intervals with no calls need nobody."""
    seconds = interval_minutes * 60.0
    out = []
    for load in loads:
        rate = load.calls / seconds
        aht = load.aht if load.aht > 0 else 1.0
        out.append(
            IntervalNeed(
                load, agents_needed(rate=rate, aht=aht, target=target, patience=patience, shrinkage=shrinkage)
            )
        )
    return out
