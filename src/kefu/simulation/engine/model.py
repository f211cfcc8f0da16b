"""What a simulation plays: arrivals per interval, queues with their skills and tiers, agents with shifts.

A scenario is plain data (it is stored as JSON on a run and given to the CLI as
a file), checked by ``Scenario.from_dict`` with messages that say which field
is wrong.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass

DAY = 86_400


@dataclass(frozen=True)
class Distribution:
    """Handle times: ``exponential`` (mean) or ``lognormal`` (mean and standard deviation), in seconds."""

    kind: str = "exponential"
    mean: float = 180.0
    sd: float = 0.0

    def sampler(self, rng: random.Random):
        if self.kind == "exponential":
            rate = 1.0 / self.mean
            return lambda: rng.expovariate(rate)
        # Lognormal with the given mean and sd: sigma² = ln(1 + sd²/mean²), mu = ln(mean) - sigma²/2.
        s2 = math.log1p((self.sd / self.mean) ** 2)
        mu, sigma = math.log(self.mean) - s2 / 2, math.sqrt(s2)
        return lambda: rng.lognormvariate(mu, sigma)


@dataclass(frozen=True)
class QueueSpec:
    """A queue's share of the calls, the skills it needs, its tier mix (priority → share) and overflow steps."""

    code: str
    share: float = 1.0
    skills: tuple[tuple[str, int], ...] = (("general", 1),)
    tiers: tuple[tuple[int, float], ...] = ((2, 1.0),)
    overflow: tuple[tuple[float, tuple[tuple[str, int], ...]], ...] = ()


@dataclass(frozen=True)
class AgentGroup:
    """``count`` agents with the same skills on the same shift (seconds after midnight, end excluded)."""

    count: int
    skills: tuple[tuple[str, int], ...] = (("general", 1),)
    shift_start: float = 0.0
    shift_end: float = DAY


@dataclass(frozen=True)
class Scenario:
    interval_seconds: int
    arrivals: tuple[float, ...]  # calls offered in each interval, from midnight
    agents: tuple[AgentGroup, ...]
    queues: tuple[QueueSpec, ...] = (QueueSpec("default"),)
    handle: Distribution = Distribution()
    patience: float | None = None  # callers' mean patience (exponential); None: they wait for ever
    target_seconds: float = 20.0
    short_abandon_seconds: float = 5.0
    aging_seconds: float = 120.0
    seed: int = 1
    max_calls: int | None = None  # stop arrivals after this many (benchmarks)

    @property
    def horizon(self) -> float:
        return self.interval_seconds * len(self.arrivals)

    @property
    def expected_calls(self) -> float:
        total = sum(self.arrivals)
        return min(total, self.max_calls) if self.max_calls else total

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Scenario:
        """A scenario from JSON-like data; ``ValueError`` names the first wrong field."""
        if not isinstance(data, dict):
            raise ValueError("scenario: an object is expected")

        def num(d, key, default=None, *, low=0.0, high=math.inf, integer=False, optional=False):
            value = d.get(key, default)
            if value is None and optional:
                return None
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"{key}: a number is expected")
            if not low <= value <= high:
                raise ValueError(f"{key}: must be between {low:g} and {high:g}")
            if integer and int(value) != value:
                raise ValueError(f"{key}: a whole number is expected")
            return int(value) if integer else float(value)

        def skills(value, key):
            if isinstance(value, dict):
                value = list(value.items())
            if not isinstance(value, list | tuple) or not value or len(value) > 20:
                raise ValueError(f"{key}: a list of 1 to 20 [skill, level] pairs is expected")
            out = []
            for item in value:
                if (
                    not isinstance(item, list | tuple)
                    or len(item) != 2
                    or not isinstance(item[0], str)
                    or not item[0]
                    or len(item[0]) > 32
                    or isinstance(item[1], bool)
                    or not isinstance(item[1], int)
                    or not 0 <= item[1] <= 10
                ):
                    raise ValueError(f"{key}: each skill is [name, level 0-10]")
                out.append((item[0], item[1]))
            return tuple(out)

        interval = num(data, "interval_seconds", 1800, low=60, high=DAY, integer=True)
        arrivals = data.get("arrivals")
        if not isinstance(arrivals, list | tuple) or not 1 <= len(arrivals) <= DAY // interval:
            raise ValueError("arrivals: a list of calls per interval within one day is expected")
        arr = tuple(num({"arrivals": a}, "arrivals", low=0, high=1e7) for a in arrivals)
        groups_raw = data.get("agents")
        if not isinstance(groups_raw, list | tuple) or not 1 <= len(groups_raw) <= 100:
            raise ValueError("agents: a list of 1 to 100 agent groups is expected")
        groups = []
        for g in groups_raw:
            if not isinstance(g, dict):
                raise ValueError("agents: each group is an object")
            start = num(g, "shift_start", 0.0, high=DAY)
            end = num(g, "shift_end", float(DAY), high=DAY)
            if end <= start:
                raise ValueError("shift_end: must be after shift_start")
            groups.append(
                AgentGroup(
                    count=num(g, "count", low=0, high=20_000, integer=True),
                    skills=skills(g.get("skills", [["general", 1]]), "skills"),
                    shift_start=start,
                    shift_end=end,
                )
            )
        if sum(g.count for g in groups) > 20_000:
            raise ValueError("agents: at most 20000 agents")
        queues_raw = data.get("queues") or [{"code": "default"}]
        if not isinstance(queues_raw, list | tuple) or len(queues_raw) > 20:
            raise ValueError("queues: a list of at most 20 queues is expected")
        queues = []
        for q in queues_raw:
            if not isinstance(q, dict) or not isinstance(q.get("code", ""), str):
                raise ValueError("queues: each queue is an object with a code")
            tiers_raw = q.get("tiers", [[2, 1.0]])
            if (
                not isinstance(tiers_raw, list | tuple)
                or not tiers_raw
                or not all(isinstance(t, list | tuple) and len(t) == 2 for t in tiers_raw)
            ):
                raise ValueError("tiers: a list of [priority, share] pairs is expected")
            tiers = tuple(
                (
                    num({"tiers": p}, "tiers", low=0, high=9, integer=True),
                    num({"tiers": s}, "tiers", low=0, high=1e6),
                )
                for p, s in tiers_raw
            )
            overflow = []
            steps = q.get("overflow") or []
            if not isinstance(steps, list | tuple) or len(steps) > 10:
                raise ValueError("overflow: a list of at most 10 steps is expected")
            for step in steps:
                if not isinstance(step, dict):
                    raise ValueError("overflow: each step is an object")
                overflow.append((num(step, "after", low=0, high=DAY), skills(step.get("skills"), "overflow")))
            queues.append(
                QueueSpec(
                    code=q.get("code", "default")[:32] or "default",
                    share=num(q, "share", 1.0, high=1e6),
                    skills=skills(q.get("skills", [["general", 1]]), "skills"),
                    tiers=tiers,
                    overflow=tuple(overflow),
                )
            )
        if sum(q.share for q in queues) <= 0:
            raise ValueError("share: at least one queue must receive calls")
        h = data.get("handle") or {}
        if not isinstance(h, dict) or h.get("kind", "exponential") not in ("exponential", "lognormal"):
            raise ValueError("handle: kind is exponential or lognormal")
        handle = Distribution(
            kind=h.get("kind", "exponential"),
            mean=num(h, "mean", 180.0, low=1, high=DAY),
            sd=num(h, "sd", 0.0, high=DAY),
        )
        if handle.kind == "lognormal" and handle.sd <= 0:
            raise ValueError("sd: a lognormal handle time needs a positive standard deviation")
        patience = data.get("patience")
        return cls(
            interval_seconds=interval,
            arrivals=arr,
            agents=tuple(groups),
            queues=tuple(queues),
            handle=handle,
            patience=None if patience in (None, 0) else num(data, "patience", low=1, high=DAY),
            target_seconds=num(data, "target_seconds", 20.0, high=3600),
            short_abandon_seconds=num(data, "short_abandon_seconds", 5.0, high=3600),
            aging_seconds=num(data, "aging_seconds", 120.0, high=DAY),
            seed=num(data, "seed", 1, high=2**31, integer=True),
            max_calls=num(data, "max_calls", None, optional=True, low=1, high=10_000_000, integer=True),
        )


def mmc(
    *,
    agents: int,
    rate: float,
    aht: float,
    calls: int,
    seed: int = 1,
    target_seconds: float = 20.0,
    patience: float | None = None,
) -> Scenario:
    """The M/M/c (or M/M/c+M) scenario: one queue, one skill, ``rate`` calls per second for ``calls`` calls."""
    horizon = calls / rate * 1.5 + 3600
    intervals = max(1, math.ceil(horizon / 3600))
    return Scenario(
        interval_seconds=3600,
        arrivals=tuple([rate * 3600] * intervals),
        agents=(AgentGroup(agents, shift_end=float(intervals * 3600)),),
        handle=Distribution(mean=aht),
        patience=patience,
        target_seconds=target_seconds,
        short_abandon_seconds=0.0,
        seed=seed,
        max_calls=calls,
    )
