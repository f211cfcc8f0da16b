"""The simulated switch: calls arrive, callers follow the IVR, wait, talk, hang up.

It is a CTI client like any real switch: it reports call events and carries
out the commands it gets back (docs/cti.md). Time comes from
``kefu.core.clock``, and nothing happens except in ``tick()``, so a test
or the simulator drives it step by step with the clock frozen, while the
demo ticks it once a second in real time.

Arrivals are a Poisson process (exponential gaps at ``rate`` calls per
second); patience and talk times are exponential around each profile's mean.

It also places the calls Kefu asks for (``dial``, callbacks): the customer's
line is busy, rings and is answered, by a person or a machine, rejects the
call, or rings out, with the probabilities of ``OutboundBehaviour``; an
answered leg is bridged to the agent (``bridge``) and talks like any call.
"""

from __future__ import annotations

import itertools
import logging
import math
import random
import uuid
from dataclasses import dataclass, field

from kefu.core import clock

from .callers import Caller, CallerPool, Profile
from .transport import SwitchError, TransportError

log = logging.getLogger("kefu.contactcenter.simswitch")
NEVER = math.inf


@dataclass
class SimCall:
    call_id: str
    caller: Caller
    keys: list[str]
    started: float
    ivr_deadline: float
    phase: str = "ivr"  # ivr → waiting → talking → done
    due: float = NEVER  # when the caller does ``action`` next
    action: str = ""  # dtmf, timeout, abandon, hangup
    digits: str = ""
    queue: str | None = None
    extension: str | None = None
    heard: list[str] = field(default_factory=list)
    outcome: str = ""

    def schedule(self, at: float, action: str, digits: str = "") -> None:
        self.due, self.action, self.digits = at, action, digits


@dataclass(frozen=True)
class OutboundBehaviour:
    """How the customers Kefu has the switch call behave. Shares are of the calls placed, drawn in this
    order: busy, then (after ringing) rejected, a person answers, a machine answers; the rest ring out."""

    busy: float = 0.1
    rejected: float = 0.02
    answer: float = 0.7
    answer_machine: float = 0.05
    ring: tuple[float, float] = (2.0, 10.0)  # seconds ringing before someone (or something) answers
    talk: float = 120.0  # mean seconds of conversation once bridged to the agent
    confirm: float = 0.8  # share of the people who answer an announcement that press the confirming key

    def __post_init__(self):
        shares = (self.busy, self.rejected, self.answer, self.answer_machine)
        if any(p < 0 for p in shares) or self.busy + self.rejected + self.answer + self.answer_machine > 1 + 1e-9:
            raise ValueError("outbound shares must be ≥ 0 and add up to at most 1")

    def outcome(self, rng: random.Random, number: str) -> str:
        """What happens to a call to ``number``: answered, or one of the protocol's failures."""
        if not number.isdigit() or not 5 <= len(number) <= 20:
            return "invalid_number"
        r = rng.random()
        for share, outcome in ((self.busy, "busy"), (self.rejected, "rejected"), (self.answer, "answered"),
                               (self.answer_machine, "answer_machine")):
            if r < share:
                return outcome
            r -= share
        return "no_answer"


@dataclass
class Stats:
    """What happened to the calls, by outcome (one call, one outcome)."""

    calls: int = 0
    self_served: int = 0  # the IVR finished the call
    answered: int = 0  # an agent took it
    abandoned: int = 0  # hung up while waiting for an agent
    ivr_abandoned: int = 0  # gave up in the IVR
    turned_away: int = 0  # Kefu ended it before an agent answered (maximum wait, callback)
    transferred_out: int = 0  # sent to an outside number
    errors: int = 0
    dialled: int = 0  # calls Kefu had the switch place (callbacks)
    dial_answered: int = 0  # … answered: bridged to an agent, or heard its announcement
    dial_failed: int = 0  # … not reached (busy, no answer, a machine…) or given up by Kefu
    blocked: int = 0  # arrived while every trunk was busy: refused by the switch, never reported as a call

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)

    @property
    def finished(self) -> int:
        return (self.self_served + self.answered + self.abandoned + self.ivr_abandoned + self.turned_away
                + self.transferred_out)


class SimSwitch:
    def __init__(self, transport, *, rate: float, pool: CallerPool, called: str = "10086",
                 rng: random.Random | None = None, poll_every: float = 2.0, max_calls: int | None = None,
                 outbound: OutboundBehaviour | None = None, trunks: int = 120, ivr_ports: int = 60,
                 status_every: float = 10.0, name: str = "simswitch"):
        if rate < 0:
            raise ValueError("rate must be ≥ 0 calls per second")
        self.transport, self.rate, self.pool, self.called = transport, rate, pool, called
        self.rng = rng or random.Random()
        self.outbound = outbound or OutboundBehaviour()
        self.out_rng = random.Random(self.rng.getrandbits(32))  # placed calls do not shift inbound traffic
        self._profile_out = Profile("outbound", keys=(), talk=self.outbound.talk)
        self._dialled: set[str] = set()
        self.poll_every, self.max_calls = poll_every, max_calls
        self.calls: dict[str, SimCall] = {}
        self.finished: list[SimCall] = []
        self.stats = Stats()
        self._run = uuid.uuid4().hex[:8]  # call ids stay unique across runs, even with the same seed
        self._seq = itertools.count(1)
        self._next_arrival: float | None = None
        self._next_poll = 0.0
        # Capacity, reported every ``status_every`` seconds as ``switch.status`` (0: never reported).
        self.trunks, self.ivr_ports, self.status_every, self.name = trunks, ivr_ports, status_every, name
        self._next_status = 0.0

    # --- the clock ---------------------------------------------------------------------------

    def tick(self) -> None:
        """Everything due up to now: arrivals, callers' actions, and news from Kefu."""
        t = clock.now().timestamp()
        if self._next_arrival is None:
            self._next_arrival = t + self._gap()
        while self._next_arrival <= t and (self.max_calls is None or self.stats.calls < self.max_calls):
            if self.trunks and self.trunks_busy >= self.trunks:
                self.stats.blocked += 1  # no free trunk: the caller hears busy; Kefu never sees the call
            else:
                self._arrive(t)
            self._next_arrival += self._gap()
        if self.status_every and t >= self._next_status:
            self.report_status()
            self._next_status = t + self.status_every
        if t >= self._next_poll:  # news first: a caller whose agent has just answered does not abandon
            self._poll_dials(t)
            self._poll(t)
            self._next_poll = t + self.poll_every
        for call in sorted((c for c in self.calls.values() if c.due <= t), key=lambda c: c.due):
            if call.phase != "done":
                self._act(call, t)
        for call in [c for c in self.calls.values() if c.phase == "ivr" and c.ivr_deadline <= t]:
            self._caller_hangs_up(call, "ivr_abandoned")
        for call_id in [k for k, c in self.calls.items() if c.phase == "done"]:
            self.finished.append(self.calls.pop(call_id))

    def hang_up_all(self) -> None:
        """The switch stops: every caller still on the line hangs up (nothing is left waiting in Kefu)."""
        outcomes = {"ivr": "ivr_abandoned", "waiting": "abandoned", "talking": "answered",
                    "dialling": "dial_failed"}
        for call in list(self.calls.values()):
            if call.phase != "done":
                self._caller_hangs_up(call, outcomes[call.phase], cause="switch_stopped")
        self.finished.extend(self.calls.values())
        self.calls.clear()

    @property
    def trunks_busy(self) -> int:
        return sum(1 for c in self.calls.values() if c.phase != "done")

    def report_status(self) -> None:
        """Tell Kefu the switch's capacity and load (``switch.status``); a failure is only counted."""
        ivr_busy = sum(1 for c in self.calls.values() if c.phase == "ivr")
        try:
            self.transport.send({"type": "switch.status", "switch": self.name, "trunks_total": self.trunks,
                                 "trunks_busy": min(self.trunks_busy, self.trunks) if self.trunks else 0,
                                 "ivr_ports_total": self.ivr_ports,
                                 "ivr_ports_busy": min(ivr_busy, self.ivr_ports) if self.ivr_ports else 0,
                                 "calls_blocked": self.stats.blocked, "calls_failed": self.stats.errors})
        except (SwitchError, TransportError) as exc:
            self.stats.errors += 1
            log.warning("simswitch status: %s", exc)

    def _gap(self) -> float:
        return self.rng.expovariate(self.rate) if self.rate > 0 else NEVER

    # --- callers -----------------------------------------------------------------------------

    def _arrive(self, t: float) -> None:
        caller = self.pool.draw(self.rng)
        call = SimCall(call_id=f"sim{self._run}-{next(self._seq)}", caller=caller, keys=caller.key_plan(),
                       started=t, ivr_deadline=t + caller.profile.ivr_patience)
        self.calls[call.call_id] = call
        self.stats.calls += 1
        self._send(call, {"type": "call.incoming", "call_id": call.call_id, "caller": caller.number,
                          "called": self.called, "channel": f"SIM/{call.call_id}"}, t)

    def _act(self, call: SimCall, t: float) -> None:
        action, call.due, call.action = call.action, NEVER, ""
        if action == "dtmf":
            self._send(call, {"type": "call.dtmf", "call_id": call.call_id, "digits": call.digits}, t)
        elif action == "timeout":
            self._send(call, {"type": "call.timeout", "call_id": call.call_id}, t)
        elif action == "abandon" and call.phase == "waiting":
            self._caller_hangs_up(call, "abandoned", cause="caller_hangup")
        elif action == "hangup" and call.phase == "talking":
            self._caller_hangs_up(call, "dial_answered" if call.caller.kind == "outbound" else "answered")
        elif action == "ring" and call.phase == "dialling":
            self._send(call, {"type": "dial.ringing", "dial_id": call.call_id}, t)
            outcome = call.digits
            if outcome == "no_answer":
                call.schedule(t + float(call.queue or 30), "dial_fail", outcome)
            else:
                call.schedule(t + self.out_rng.uniform(*self.outbound.ring), "dial_answer" if outcome == "answered"
                              else "dial_fail", outcome)
        elif action == "dial_answer" and call.phase == "dialling":
            self._send(call, {"type": "dial.answered", "dial_id": call.call_id}, t)
        elif action == "dial_fail" and call.phase == "dialling":
            self._finish(call, "dial_failed")
            self._send(call, {"type": "dial.failed", "dial_id": call.call_id, "outcome": call.digits}, None)

    def _caller_hangs_up(self, call: SimCall, outcome: str, cause: str = "normal_clearing") -> None:
        self._finish(call, outcome)
        self._send(call, {"type": "call.ended", "call_id": call.call_id, "cause": cause}, None)

    def _finish(self, call: SimCall, outcome: str) -> None:
        if call.phase == "done":
            return
        call.phase, call.outcome, call.due = "done", outcome, NEVER
        setattr(self.stats, outcome, getattr(self.stats, outcome) + 1)

    def _answered(self, call: SimCall, t: float, extension: str | None) -> None:
        if call.phase in ("talking", "done"):
            return
        call.phase, call.extension = "talking", extension
        call.schedule(t + max(5.0, self.rng.expovariate(1 / call.caller.profile.talk)), "hangup")
        if extension:  # a real switch confirms the bridge to the agent's phone
            self._send(call, {"type": "call.answered", "call_id": call.call_id, "extension": extension}, None)

    def _wait(self, call: SimCall, t: float) -> None:
        call.phase = "waiting"
        call.schedule(t + self.rng.expovariate(1 / call.caller.profile.patience), "abandon")

    # --- the protocol ------------------------------------------------------------------------

    def _send(self, call: SimCall, event: dict, t: float | None) -> None:
        try:
            commands = self.transport.send(event)
        except (SwitchError, TransportError) as exc:
            self.stats.errors += 1
            log.warning("simswitch %s %s: %s", call.call_id, event["type"], exc)
            if call.phase != "done":
                self._finish(call, "turned_away")
            return
        if t is not None:
            self.apply(call, commands, t)

    def apply(self, call: SimCall, commands: list[dict], t: float) -> None:
        """Carry out Kefu's commands for this call, as a switch would."""
        for cmd in commands:
            if call.phase == "done":
                return
            kind = cmd.get("type")
            if kind in ("play", "collect") and call.phase == "dialling":
                call.phase = "ivr"  # an answered announcement: the customer listens
            if kind == "play":
                call.heard.append(str(cmd.get("text", "")))
            elif kind == "collect":
                if call.keys:
                    think = self.rng.uniform(*call.caller.profile.think)
                    call.schedule(t + think, "dtmf", call.keys.pop(0))
                else:  # the caller has nothing more to press
                    call.schedule(t + float(cmd.get("timeout") or 5), "timeout")
            elif kind == "queue":
                call.queue = cmd.get("queue")
                self._wait(call, t)
            elif kind in ("route", "bridge"):
                self._answered(call, t, cmd.get("extension"))
            elif kind == "transfer":
                if str(cmd.get("to", "")).startswith("number:"):
                    self._finish(call, "transferred_out")
                else:  # back to a queue or to another agent: wait again
                    self._wait(call, t)
            elif kind == "hangup":
                outcome = {"ivr": "self_served", "waiting": "turned_away", "talking": "answered",
                           "dialling": "dial_failed"}[call.phase]
                if call.caller.kind == "outbound" and outcome in ("answered", "self_served"):
                    outcome = "dial_answered"
                self._finish(call, outcome)
                self._send(call, {"type": "call.ended", "call_id": call.call_id, "cause": "normal_clearing"},
                           None)

    def place(self, command: dict, t: float) -> SimCall | None:
        """Carry out a ``dial`` command: the customer's line is drawn busy, ringing, answered…

        A dial id already placed is ignored (a command pushed and also polled, or polled twice).
        """
        dial_id = str(command.get("dial_id") or "")
        if not dial_id or dial_id in self._dialled:
            return None
        self._dialled.add(dial_id)
        number = str(command.get("to") or "")
        # For an announcement's question; drawn from the dial id, so the other draws of a seeded run stay put.
        keys = ["1"] if random.Random(dial_id).random() < self.outbound.confirm else []
        call = SimCall(call_id=dial_id, caller=Caller(number, "outbound", self._profile_out), keys=keys, started=t,
                       ivr_deadline=NEVER, phase="dialling", queue=str(command.get("timeout") or 30))
        self.calls[dial_id] = call
        self.stats.dialled += 1
        outcome = self.outbound.outcome(self.out_rng, number)
        if outcome in ("busy", "invalid_number"):
            call.schedule(t + 1.0, "dial_fail", outcome)
        else:
            call.schedule(t + 0.5, "ring", outcome)
        return call

    def _poll_dials(self, t: float) -> None:
        """The calls Kefu wants placed (HTTP cannot push them)."""
        dials = getattr(self.transport, "dials", None)
        if dials is None:
            return
        try:
            commands = dials()
        except (SwitchError, TransportError) as exc:
            log.warning("simswitch dial poll: %s", exc)
            return
        for cmd in commands:
            self.place(cmd, t)

    def _poll(self, t: float) -> None:
        """What Kefu decided on its own: an agent answered, the agent hung up, back to the queue."""
        watched = [c.call_id for c in self.calls.values() if c.phase in ("waiting", "talking", "dialling")]
        if not watched:
            return
        try:
            states = self.transport.status(watched)
        except (SwitchError, TransportError) as exc:
            log.warning("simswitch poll: %s", exc)
            return
        for row in states:
            call = self.calls.get(row["call_id"])
            if call is None or call.phase == "done":
                continue
            state = row["state"]
            if state in ("connected", "held") and call.phase == "waiting":
                self._answered(call, t, row.get("extension"))
            elif state in ("ended", "wrap_up", "unknown"):
                if call.caller.kind == "outbound":
                    self._finish(call, "dial_answered" if call.phase == "talking" else "dial_failed")
                else:
                    self._finish(call, "answered" if call.phase == "talking" or row.get("answered")
                                 else "turned_away")
            elif state in ("queued", "offered") and call.phase == "talking":
                self._wait(call, t)  # transferred back to a queue


def place_call(transport, *, caller: str, keys=(), called: str = "10086",
               call_id: str | None = None) -> tuple[str, list[dict]]:
    """One scripted call, for tests and demonstrations ("the switch sends a VIP call").

    The call arrives; at each prompt (a ``collect``) the caller presses the
    next of ``keys``. Returns the call id and every command Kefu answered; the
    call stays up (send ``call.ended`` to hang up).
    """
    call_id = call_id or f"call-{uuid.uuid4().hex[:12]}"
    answer = transport.send({"type": "call.incoming", "call_id": call_id, "caller": caller, "called": called,
                             "channel": f"SIM/{call_id}"})
    commands = list(answer)
    pending = list(keys)
    while pending and answer and answer[-1].get("type") == "collect":
        answer = transport.send({"type": "call.dtmf", "call_id": call_id, "digits": pending.pop(0)})
        commands.extend(answer)
    return call_id, commands
