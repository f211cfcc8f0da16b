"""The routing decision: which waiting contact goes to which agent now.

Contacts are served in priority order: customer tier first (VIP = 0), then age
in queue, with aging so that a long wait eventually outranks a better tier
(nobody starves). Each contact needs skills at minimum levels; those
requirements widen with wait time (overflow steps). Among eligible agents the
policy picks: by default the highest skill level on the required skills, then
the longest idle; alternatives are least occupied and round robin.

Speed: contacts with the same channel and requirements share one heap of
eligible agents, built once per call and consumed lazily, so a call to
``decide`` costs about O(agents × distinct requirement sets + contacts × log
agents). ``bench/routing.py`` measures it.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from enum import StrEnum


class Policy(StrEnum):
    LONGEST_IDLE = "longest_idle"
    LEAST_OCCUPIED = "least_occupied"
    ROUND_ROBIN = "round_robin"


@dataclass
class Agent:
    id: int
    skills: dict[str, int]
    capacity: dict[str, int]
    load: dict[str, int] = field(default_factory=dict)
    ready: bool = True
    idle_since: float = 0.0
    occupancy: float = 0.0
    last_assigned: float = 0.0

    def free(self, channel: str) -> bool:
        """A voice contact needs the agent otherwise idle; text channels share among themselves only."""
        if not self.ready or self.load.get(channel, 0) >= self.capacity.get(channel, 0):
            return False
        if channel == "voice":
            return not any(n for ch, n in self.load.items() if ch != "voice")
        return not self.load.get("voice", 0)


@dataclass(frozen=True)
class OverflowStep:
    """After ``after`` seconds of waiting, the contact's requirements become ``skills``."""

    after: float
    skills: tuple[tuple[str, int], ...]


@dataclass
class Contact:
    id: int
    channel: str
    skills: tuple[tuple[str, int], ...]
    priority: int = 2
    enqueued_at: float = 0.0
    overflow: tuple[OverflowStep, ...] = ()
    excluded: frozenset[int] = frozenset()


def effective_requirements(contact: Contact, now: float) -> tuple[tuple[str, int], ...]:
    waited = now - contact.enqueued_at
    reqs = contact.skills
    for step in contact.overflow:
        if waited >= step.after:
            reqs = step.skills
    return reqs


def _eligible(agent: Agent, channel: str, reqs) -> bool:
    if not agent.free(channel):
        return False
    skills = agent.skills
    return all(skills.get(s, 0) >= lvl for s, lvl in reqs)


def _key(agent: Agent, reqs, policy: Policy, prefer_level: bool, channel: str) -> tuple:
    level = -sum(agent.skills.get(s, 0) for s, _ in reqs) if prefer_level else 0
    if policy is Policy.LEAST_OCCUPIED:
        cap = agent.capacity.get(channel, 1) or 1
        return (agent.load.get(channel, 0) / cap, agent.occupancy, level, agent.idle_since, agent.id)
    if policy is Policy.ROUND_ROBIN:
        return (agent.last_assigned, level, agent.id)
    return (level, agent.idle_since, agent.id)


def decide(
    contacts: list[Contact],
    agents: list[Agent],
    now: float,
    *,
    policy: Policy = Policy.LONGEST_IDLE,
    prefer_level: bool = True,
    aging_seconds: float = 120.0,
) -> list[tuple[int, int]]:
    """Assignments ``(contact_id, agent_id)``, best contact first.

    ``agents`` are updated in place (load, last_assigned) so that a caller can
    keep routing with the same snapshot; contacts are not modified.
    """

    def rank(c: Contact) -> tuple:
        waited = max(0.0, now - c.enqueued_at)
        aged = c.priority - (int(waited // aging_seconds) if aging_seconds > 0 else 0)
        return (aged, c.enqueued_at, c.id)

    ordered = sorted(contacts, key=rank)
    free_agents = [a for a in agents if a.ready and any(a.load.get(ch, 0) < cap for ch, cap in a.capacity.items())]
    if not free_agents or not ordered:
        return []
    by_id = {a.id: a for a in free_agents}
    # skill -> agents holding it, to build each requirement set's heap from the rarest skill.
    holders: dict[str, list[Agent]] = {}
    for a in free_agents:
        for s in a.skills:
            holders.setdefault(s, []).append(a)
    version: dict[int, int] = {a.id: 0 for a in free_agents}
    # With longest idle, an assignment does not change an agent's key (idle_since is a snapshot).
    key_moves = policy is not Policy.LONGEST_IDLE
    heaps: dict[tuple, list] = {}
    members: dict[int, list[tuple]] = {}

    def heap_for(channel: str, reqs) -> list:
        sig = (channel, reqs)
        h = heaps.get(sig)
        if h is None:
            # Start from the holders of the rarest required skill.
            pool = min((holders.get(s, []) for s, _ in reqs), key=len) if reqs else free_agents
            h = []
            track = key_moves  # membership is only needed to re-key agents after assignment
            for a in pool:
                if not a.free(channel):
                    continue
                sk = a.skills
                if not all(sk.get(s, 0) >= lvl for s, lvl in reqs):
                    continue
                h.append((_key(a, reqs, policy, prefer_level, channel), version[a.id], a.id))
                if track:
                    members.setdefault(a.id, []).append(sig)
            heapq.heapify(h)
            heaps[sig] = h
        return h

    out: list[tuple[int, int]] = []
    for c in ordered:
        reqs = effective_requirements(c, now)
        h = heap_for(c.channel, reqs)
        skipped = []
        chosen = None
        while h:
            key, ver, aid = heapq.heappop(h)
            if ver != version[aid]:
                continue  # stale entry: the agent changed since it was pushed
            agent = by_id[aid]
            if not _eligible(agent, c.channel, reqs):
                continue
            if aid in c.excluded:
                skipped.append((key, ver, aid))
                continue
            chosen = agent
            break
        for entry in skipped:
            heapq.heappush(h, entry)
        if chosen is None:
            continue
        out.append((c.id, chosen.id))
        chosen.load[c.channel] = chosen.load.get(c.channel, 0) + 1
        chosen.last_assigned = now
        if not key_moves:
            # The key did not change: entries elsewhere stay valid (eligibility is checked on pop);
            # only this heap lost the agent.
            if _eligible(chosen, c.channel, reqs):
                heapq.heappush(h, (key, version[chosen.id], chosen.id))
            continue
        version[chosen.id] += 1
        # Re-offer the agent, with its new key, to the requirement sets of this channel it belongs to
        # (after taking a contact it can only take more of the same channel).
        for sig in members.get(chosen.id, []):
            ch, sreqs = sig
            if ch == c.channel and _eligible(chosen, ch, sreqs):
                heapq.heappush(heaps[sig], (_key(chosen, sreqs, policy, prefer_level, ch), version[chosen.id],
                                            chosen.id))
    return out
