"""What the active router keeps in memory: the waiting contacts and the agents who could take one.

The board is changed by events (a contact queued or gone, an agent's state or
load changed) and asked for decisions; it never reads storage. Each event
replaces or removes one entry, so a decision costs the engine's time over what
is waiting and free, not a snapshot of the database. The database stays the
truth: the service rebuilds the board from it on takeover and now and then,
and an entry that proved stale (the conditional write of an offer failed) is
simply reloaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine import Agent, Contact, Policy, decide


@dataclass
class Board:
    contacts: dict[int, Contact] = field(default_factory=dict)
    agents: dict[int, Agent] = field(default_factory=dict)

    def put_contact(self, contact: Contact) -> None:
        self.contacts[contact.id] = contact

    def drop_contact(self, contact_id: int) -> None:
        self.contacts.pop(contact_id, None)

    def put_agent(self, agent: Agent) -> None:
        self.agents[agent.id] = agent

    def drop_agent(self, agent_id: int) -> None:
        self.agents.pop(agent_id, None)

    def replace(self, contacts: list[Contact], agents: list[Agent]) -> None:
        """Start again from a full reading of the database (takeover, periodic resynchronisation)."""
        self.contacts = {c.id: c for c in contacts}
        self.agents = {a.id: a for a in agents}

    def decide(self, now: float, *, policy: Policy = Policy.LONGEST_IDLE,
               aging_seconds: float = 120.0) -> list[tuple[int, int]]:
        """Assignments for what is waiting now; the chosen contacts leave the board.

        The engine adds each assignment to the agent's load, so an agent who took
        a chat is offered no more than its capacity until its next event; an agent
        who took a voice contact is no longer free for anything and leaves too.
        """
        if not self.contacts or not self.agents:
            return []
        out = decide(list(self.contacts.values()), list(self.agents.values()), now, policy=policy,
                     aging_seconds=aging_seconds)
        for contact_id, agent_id in out:
            channel = self.contacts.pop(contact_id).channel
            if channel == "voice":
                self.agents.pop(agent_id, None)
        return out
