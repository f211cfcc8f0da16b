"""Simulated agents for the demo: logged-in "colleagues" who answer, talk and wrap up.

A newcomer who opens the demo logs in as one agent; these bots staff the other
seats so that calls flow, queues move and the supervisor view lives. They act
only through the contact-center services, exactly as a person at a desk would.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import close_old_connections

from kefu.core.errors import KefuError

from .models import AgentSession, AgentState, Contact, ContactState, Offer
from .services import agents as ag
from .services import contacts as ct

if TYPE_CHECKING:
    from kefu.iam.models import Staff

log = logging.getLogger("kefu.contactcenter.simagents")
DISPOSITIONS = ["solved", "solved", "solved", "callback", "other"]


@dataclass
class BotPlan:
    ring_seconds: tuple[float, float] = (2.0, 6.0)
    talk_seconds: tuple[float, float] = (20.0, 90.0)
    wrap_seconds: tuple[float, float] = (3.0, 10.0)
    break_chance: float = 0.02


def _dispositions(contact: Contact) -> list[str]:
    """What a bot may answer at wrap-up: a placed call's purpose may name its own outcomes (a campaign's)."""
    if contact.direction == "out":
        from .services.screenpop import outbound_brief

        detail = (outbound_brief(contact) or {}).get("detail") or {}
        if detail.get("outcomes"):
            return [code for code, _label in detail["outcomes"]]
    return DISPOSITIONS


class SimulatedAgents:
    def __init__(self, staff: list[Staff], *, plan: BotPlan | None = None, seed: int = 11):
        self.staff = staff
        self.plan = plan or BotPlan()
        self.rng = random.Random(seed)
        self._due: dict[tuple[int, str], float] = {}

    def _wait(self, key, span) -> bool:
        """True once a randomly drawn delay for ``key`` has passed."""
        now = time.monotonic()
        due = self._due.setdefault(key, now + self.rng.uniform(*span))
        if now >= due:
            del self._due[key]
            return True
        return False

    def step(self) -> None:
        for person in self.staff:
            try:
                self._step_one(person)
            except KefuError as exc:  # a race with the router: try again next step
                log.debug("bot %s: %s", person.employee_no, exc)

    def _step_one(self, person: Staff) -> None:
        session = ag.live_session(person)
        if session is None:
            ag.agent_login(actor=person, extension=f"8{person.pk:04d}"[-5:])
            ag.agent_set_state(actor=person, state="ready")
            return
        if session.state == AgentState.NOT_READY:
            if self._wait((person.pk, "back"), (10, 40)):
                ag.agent_set_state(actor=person, state="ready")
        elif session.state == AgentState.READY:
            if self.rng.random() < self.plan.break_chance / 10:
                ag.agent_set_state(actor=person, state="not_ready", reason="break")
        elif session.state == AgentState.OFFERED:
            offer = Offer.objects.filter(session=session, state=Offer.State.PENDING).first()
            if offer and self._wait((person.pk, f"ring{offer.pk}"), self.plan.ring_seconds):
                ct.offer_accept(actor=person, offer_id=offer.pk)
        elif session.state in (AgentState.BUSY, AgentState.HOLD):
            c = Contact.objects.filter(agent=person, state__in=[ContactState.CONNECTED, ContactState.HELD]).first()
            if c and self._wait((person.pk, f"talk{c.pk}"), self.plan.talk_seconds):
                ct.contact_end(contact_id=c.pk, actor=person)
        elif session.state == AgentState.WRAP_UP:
            c = (Contact.objects.filter(agent=person, state=ContactState.ENDED, wrap_up_ended_at__isnull=True)
                 .order_by("-ended_at").first())
            if c and self._wait((person.pk, f"wrap{c.pk}"), self.plan.wrap_seconds):
                ct.contact_wrap_up(actor=person, contact_id=c.pk, disposition=self.rng.choice(_dispositions(c)))

    def logout_all(self) -> None:
        for s in AgentSession.objects.filter(staff__in=self.staff, logged_out_at__isnull=True):
            with contextlib.suppress(KefuError):  # busy bots stay; the next run logs them out
                ag.agent_logout(actor=s.staff, session=s)


def start_background(staff: list[Staff], *, step_seconds: float = 1.0) -> threading.Event:
    """Run the bots in a daemon thread; set the returned event to stop them."""
    stop = threading.Event()
    bots = SimulatedAgents(staff)

    def loop():
        while not stop.is_set():
            close_old_connections()
            try:
                bots.step()
            except Exception:  # keep the demo alive whatever one step hit
                log.exception("simulated agents step failed")
            stop.wait(step_seconds)

    threading.Thread(target=loop, name="kefu-simagents", daemon=True).start()
    return stop
