"""What the active router keeps in memory: the waiting contacts and the agents who could take one.

The board is changed by events (a contact queued or gone, an agent's state or
load changed) and asked for decisions; it never reads storage. Each event
replaces or removes one entry, so a decision costs the engine's time over what
is waiting and free, not a snapshot of the database. The database stays the
truth: the service rebuilds the board from it on takeover and now and then,
and an entry that proved stale (the conditional write of an offer failed) is
simply reloaded.

Two decisions are so common that the board answers them without a full pass
of the engine, with the engine's own keys and the same result (a property test
compares them with ``decide``): one contact waiting when an agent may be free
(a call arrives on a quiet floor), and one agent free when contacts may wait
(an agent ends a call in a busy hour). For the first, the board keeps a heap of
the agents holding each requirement set, ordered by the engine's longest-idle
key and kept across decisions: an agent's event pushes it again, stale entries
are skipped when they surface. For the second, it keeps the contacts of each
tier in arrival order, which is their rank order within the tier whatever the
time (aging only moves whole tiers against each other): the lone agent takes
the best-ranked of each tier's first contact it can take. Everything else is
the engine's ``decide``.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field

from .engine import Agent, Contact, Policy, _key, decide, effective_requirements


def _order(entry: tuple) -> tuple:
    return entry[0], entry[1]


@dataclass
class Board:
    contacts: dict[int, Contact] = field(default_factory=dict)
    agents: dict[int, Agent] = field(default_factory=dict)
    fast: bool = True  # the shortcuts below; False runs every decision through the engine (tests compare)
    _heaps: dict[tuple, list] = field(default_factory=dict, repr=False)
    _stamps: dict[int, int] = field(default_factory=dict, repr=False)
    _stamp: int = 0
    _tiers: dict[int, list] = field(default_factory=dict, repr=False)

    def put_contact(self, contact: Contact) -> None:
        self.contacts[contact.id] = contact
        line = self._tiers.setdefault(contact.priority, [])
        bisect.insort(line, (contact.enqueued_at, contact.id, contact), key=_order)
        if len(line) > 2 * len(self.contacts) + 64:
            self._tiers = {}
            for c in self.contacts.values():
                self._tiers.setdefault(c.priority, []).append((c.enqueued_at, c.id, c))
            for tier in self._tiers.values():
                tier.sort(key=_order)

    def drop_contact(self, contact_id: int) -> None:
        self.contacts.pop(contact_id, None)

    def put_agent(self, agent: Agent) -> None:
        self.agents[agent.id] = agent
        self._stamp += 1
        self._stamps[agent.id] = self._stamp
        skills = agent.skills
        for sig, h in self._heaps.items():
            channel, reqs = sig
            if all(skills.get(s, 0) >= lvl for s, lvl in reqs):
                heapq.heappush(h, (_key(agent, reqs, Policy.LONGEST_IDLE, True, channel), self._stamp, agent.id))
                if len(h) > 2 * len(self.agents) + 64:
                    self._heaps[sig] = self._heap(channel, reqs)

    def drop_agent(self, agent_id: int) -> None:
        self.agents.pop(agent_id, None)
        self._stamps.pop(agent_id, None)

    def replace(self, contacts: list[Contact], agents: list[Agent]) -> None:
        """Start again from a full reading of the database (takeover, periodic resynchronisation)."""
        self.contacts = {}
        self._tiers = {}
        for c in contacts:
            self.put_contact(c)
        self.agents = {}
        self._heaps = {}
        self._stamps = {}
        for a in agents:
            self.put_agent(a)

    def decide(self, now: float, *, policy: Policy = Policy.LONGEST_IDLE,
               aging_seconds: float = 120.0) -> list[tuple[int, int]]:
        """Assignments for what is waiting now; the chosen contacts leave the board.

        The engine adds each assignment to the agent's load, so an agent who took
        a chat is offered no more than its capacity until its next event; an agent
        who took a voice contact is no longer free for anything and leaves too.
        """
        if not self.contacts or not self.agents:
            return []
        out = None
        if self.fast and policy is Policy.LONGEST_IDLE:
            if len(self.contacts) == 1:
                out = self._one_contact(now)
            elif len(self.agents) == 1:
                out = self._one_agent(now, aging_seconds)
        if out is None:
            out = decide(list(self.contacts.values()), list(self.agents.values()), now, policy=policy,
                         aging_seconds=aging_seconds)
        for contact_id, agent_id in out:
            channel = self.contacts.pop(contact_id).channel
            if channel == "voice":
                self.agents.pop(agent_id, None)
                self._stamps.pop(agent_id, None)
        return out

    # --- shortcuts: the engine's answer, found without its full pass ----------------------------------

    def _heap(self, channel: str, reqs) -> list:
        h = []
        for a in self.agents.values():
            if all(a.skills.get(s, 0) >= lvl for s, lvl in reqs):
                h.append((_key(a, reqs, Policy.LONGEST_IDLE, True, channel), self._stamps[a.id], a.id))
        heapq.heapify(h)
        return h

    def _one_contact(self, now: float) -> list[tuple[int, int]] | None:
        """The engine gives a lone contact the eligible agent of smallest key: the top of its heap."""
        (c,) = self.contacts.values()
        reqs = effective_requirements(c, now)
        sig = (c.channel, reqs)
        h = self._heaps.get(sig)
        if h is None:
            h = self._heaps[sig] = self._heap(c.channel, reqs)
        stamps = self._stamps
        while h:
            _k, stamp, aid = h[0]
            agent = self.agents.get(aid)
            # Stale (the agent left or came back since) or not free for this channel until its next event.
            if agent is None or stamps.get(aid) != stamp or not agent.free(c.channel):
                heapq.heappop(h)
                continue
            if aid in c.excluded:
                return None  # the engine looks further; rare enough to let it
            agent.load[c.channel] = agent.load.get(c.channel, 0) + 1
            agent.last_assigned = now
            return [(c.id, aid)]
        return []

    def _one_agent(self, now: float, aging_seconds: float) -> list[tuple[int, int]] | None:
        """The engine offers a lone agent the best-ranked contact it can take; a voice contact ends its turn."""
        (agent,) = self.agents.values()
        skills = agent.skills
        contacts = self.contacts
        free: dict[str, bool] = {}
        fits: dict[tuple, bool] = {}
        best, best_rank = None, None
        for priority, line in self._tiers.items():
            i = 0
            while i < len(line):
                _at, cid, c = line[i]
                if contacts.get(cid) is not c:
                    del line[i]  # gone, or replaced by a newer entry
                    continue
                i += 1
                ok = free.get(c.channel)
                if ok is None:
                    ok = free[c.channel] = agent.free(c.channel)
                if not ok or agent.id in c.excluded:
                    continue
                reqs = effective_requirements(c, now) if c.overflow else c.skills
                fit = fits.get(reqs)
                if fit is None:
                    fit = fits[reqs] = all(skills.get(s, 0) >= lvl for s, lvl in reqs)
                if not fit:
                    continue
                waited = max(0.0, now - c.enqueued_at)
                rank = (priority - (int(waited // aging_seconds) if aging_seconds > 0 else 0), c.enqueued_at, c.id)
                if best_rank is None or rank < best_rank:
                    best, best_rank = c, rank
                break  # the tier's later contacts rank after this one
        if best is None:
            return []
        if best.channel != "voice":
            return None  # a text contact may be followed by more for the same agent: the engine decides
        agent.load["voice"] = agent.load.get("voice", 0) + 1
        agent.last_assigned = now
        return [(best.id, agent.id)]
