"""The CTI adapter: a switch's call events → contact-center services → commands back.

Both doors (WebSocket consumer and HTTP endpoint) and the in-process
simulated switch call ``CtiAdapter.handle``; it is the one write path for
what a switch reports. Each event is one transaction. The IVR runtime
(``kefu.ivr``) decides what a caller hears and where the call waits; the
adapter only translates, so it takes the runtime as a parameter (tests and
the simulator inject their own).

Commands the core decides later (route when an agent accepts, dial when an
agent accepts a callback's preview, hangup when an agent ends, hold, transfer)
are not returned here: the core pushes them to the "cti" group after commit,
and the consumer forwards them to the switch. Outbound legs report ``dial.*``
events (the dialer, ``services/dialer.py``), then ``call.*`` events under
their call id like any call.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.apps import apps
from django.db import connection, transaction
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import NotFound

from ..models import AgentSession, Channel, Contact, ContactEvent, ContactState, Direction, Queue
from ..services.announcements import announcement_keys
from ..services.contacts import contact_arrive, contact_end, contact_enqueue, contact_hold, contact_transfer
from ..services.dialer import dial_answered, dial_failed, dial_leg_ended, dial_ringing, dials_pending
from ..services.switch import switch_status_record
from .protocol import (
    CallAnswered,
    CallDtmf,
    CallEnded,
    CallHeld,
    CallIncoming,
    CallTimeout,
    CallTransferred,
    CallUnheld,
    DialAnswered,
    DialFailed,
    DialRinging,
    Event,
    SwitchStatusReport,
    command,
    commands_from_ivr,
    parse_event,
)

log = logging.getLogger("kefu.contactcenter.cti")
CS = ContactState
_LOCK_NAMESPACE = 71_300_002  # pg_advisory_xact_lock(namespace, hashtext(call_id)); the router uses 71_300_001


class IvrRuntime(Protocol):
    """What the adapter needs from the IVR (``kefu.ivr.services.runtime`` provides it)."""

    def ivr_start(self, *, contact: Contact) -> list[dict]: ...

    def ivr_input(self, *, contact: Contact, digits: str) -> list[dict]: ...

    def ivr_timeout(self, *, contact: Contact) -> list[dict]: ...


class QueueWithoutIvr:
    """Stands in while no IVR app is installed: every call waits in the first active voice queue."""

    def ivr_start(self, *, contact):
        queue = Queue.objects.filter(active=True, channel=Channel.VOICE).order_by("code").first()
        if queue is None:
            return [{"type": "play", "text": _("All our agents are busy. Please call again later.")},
                    {"type": "hangup"}]
        contact_enqueue(contact=contact, queue=queue)
        return [{"type": "queue", "queue": queue.code}]

    def ivr_input(self, *, contact, digits):
        return []

    def ivr_timeout(self, *, contact):
        return []


def installed_runtime() -> IvrRuntime:
    if apps.is_installed("kefu.ivr"):
        from kefu.ivr.services import runtime

        return runtime
    return QueueWithoutIvr()


def _note(contact: Contact, kind: str, **data) -> None:
    """What the switch reported, in the contact's detailed record (kinds start with ``cti_``)."""
    ContactEvent.objects.create(contact=contact, at=clock.now(), kind=kind, data=data)


def _lock_call_id(call_id: str) -> None:
    """Serialise events of one call id, so a repeated call.incoming cannot create a second contact.

    SQLite needs nothing: its transactions start IMMEDIATE (one writer at a time).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_NAMESPACE, call_id])


def find_call(call_id: str, *, lock: bool = False) -> Contact | None:
    # Uses contact_external_idx (external_id).
    qs = Contact.objects.filter(external_id=call_id, channel=Channel.VOICE)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("-pk").first()


def _require_call(call_id: str) -> Contact:
    contact = find_call(call_id, lock=True)
    if contact is None:
        raise NotFound(_("Kefu knows no call %(call_id)s; report call.incoming first.") % {"call_id": call_id},
                       code="unknown_call", details={"call_id": call_id})
    return contact


class CtiAdapter:
    """Maps each switch event to the core services and returns the commands for the switch."""

    def __init__(self, runtime: IvrRuntime | None = None):
        self._runtime = runtime

    @property
    def runtime(self) -> IvrRuntime:
        return self._runtime or installed_runtime()

    def handle(self, message: dict | Event, *, actor=None) -> list[dict]:
        """One event in, the commands to send back out (possibly none)."""
        event = parse_event(message) if isinstance(message, dict) else message
        handler = getattr(self, "_" + event.type.removeprefix("call.").replace(".", "_"))
        with transaction.atomic():
            return handler(event)

    # --- events ------------------------------------------------------------------------------

    def _incoming(self, ev: CallIncoming) -> list[dict]:
        _lock_call_id(ev.call_id)
        existing = find_call(ev.call_id, lock=True)
        if existing is not None:
            return self._replay(existing)
        contact = contact_arrive(caller=ev.caller, called=ev.called, external_id=ev.call_id, state=CS.IVR)
        commands = self._ivr(contact, self.runtime.ivr_start(contact=contact))
        _note(contact, "cti_incoming", channel=ev.channel, commands=commands)
        return commands

    def _ivr(self, contact: Contact, raw: list[dict]) -> list[dict]:
        """The IVR's answer for the switch; when it hangs up, the contact ends here (self-served)."""
        commands = commands_from_ivr(raw, contact.external_id)
        if any(c["type"] == "hangup" for c in commands):
            # The hangup goes back in this answer, so nothing is pushed to the switch (by_switch).
            contact_end(contact_id=contact.pk, by_switch=True)
        return commands

    def _announcing(self, contact: Contact, commands: list[dict]) -> list[dict]:
        """An announcement's answer for the switch; when it hangs up, the contact ends here."""
        if any(c["type"] == "hangup" for c in commands):
            contact_end(contact_id=contact.pk, by_switch=True)
        return commands

    def _replay(self, contact: Contact) -> list[dict]:
        """A repeated call.incoming (a retry after a lost answer): the first answer again, no new contact."""
        if contact.state == CS.ENDED:
            return [command("hangup", contact.external_id)]
        first = ContactEvent.objects.filter(contact=contact, kind="cti_incoming").order_by("pk").first()
        return list(first.data.get("commands", [])) if first else []

    def _dtmf(self, ev: CallDtmf) -> list[dict]:
        contact = _require_call(ev.call_id)
        if contact.direction == Direction.OUTBOUND and contact.state == CS.CONNECTED and not contact.agent_id:
            return self._announcing(contact, announcement_keys(contact=contact, digits=ev.digits))
        if contact.state != CS.IVR:
            return []  # keys pressed while waiting or talking are not for the IVR
        return self._ivr(contact, self.runtime.ivr_input(contact=contact, digits=ev.digits))

    def _timeout(self, ev: CallTimeout) -> list[dict]:
        contact = _require_call(ev.call_id)
        if contact.direction == Direction.OUTBOUND and contact.state == CS.CONNECTED and not contact.agent_id:
            return self._announcing(contact, announcement_keys(contact=contact, digits=None))
        if contact.state != CS.IVR:
            return []
        return self._ivr(contact, self.runtime.ivr_timeout(contact=contact))

    def _answered(self, ev: CallAnswered) -> list[dict]:
        """The switch confirms the bridge; the answer itself came from the desktop (offer_accept)."""
        contact = _require_call(ev.call_id)
        expected = None
        if contact.agent_id:
            expected = (AgentSession.objects.filter(staff_id=contact.agent_id, logged_out_at__isnull=True)
                        .values_list("extension", flat=True).first())
        _note(contact, "cti_answered", extension=ev.extension, expected=expected,
              confirmed=expected == ev.extension and contact.state in (CS.CONNECTED, CS.HELD))
        return []

    def _hold(self, call_id: str, hold: bool) -> list[dict]:
        contact = _require_call(call_id)
        # Hold pressed on the phone rather than on the desktop: the contact follows. When
        # the desktop asked for it, the contact is already there and this only confirms.
        if contact.agent_id and contact.state == (CS.CONNECTED if hold else CS.HELD):
            contact_hold(actor=contact.agent, contact_id=contact.pk, hold=hold)
        _note(contact, "cti_held" if hold else "cti_unheld")
        return []

    def _held(self, ev: CallHeld) -> list[dict]:
        return self._hold(ev.call_id, True)

    def _unheld(self, ev: CallUnheld) -> list[dict]:
        return self._hold(ev.call_id, False)

    def _transferred(self, ev: CallTransferred) -> list[dict]:
        contact = _require_call(ev.call_id)
        number = ev.to.removeprefix("number:")
        # A blind transfer made on the phone takes the call out of Kefu's hands; one Kefu
        # ordered itself has already moved the contact and is only confirmed.
        if (contact.agent_id and contact.state in (CS.CONNECTED, CS.HELD)
                and number.replace("-", "").isdigit() and len(number) <= 20):
            contact_transfer(actor=contact.agent, contact_id=contact.pk, to_number=number)
        _note(contact, "cti_transferred", to=ev.to)
        return []

    def _ended(self, ev: CallEnded) -> list[dict]:
        contact = _require_call(ev.call_id)
        if not ContactEvent.objects.filter(contact=contact, kind="cti_ended").exists():  # once, if repeated
            _note(contact, "cti_ended", cause=ev.cause)
        if contact.state == CS.DIALLING:  # an outbound leg that ended before any outcome
            dial_leg_ended(contact=contact, cause=ev.cause)
        else:
            contact_end(contact_id=contact.pk, by_switch=True)
        return []

    # --- outbound legs (dial) ------------------------------------------------------------------

    def _lock_dial(self, ev) -> None:
        _lock_call_id(ev.dial_id)
        if ev.call_id and ev.call_id != ev.dial_id:
            _lock_call_id(ev.call_id)

    def _dial_ringing(self, ev: DialRinging) -> list[dict]:
        self._lock_dial(ev)
        dial_ringing(dial_id=ev.dial_id, call_id=ev.call_id or "")
        return []

    def _dial_answered(self, ev: DialAnswered) -> list[dict]:
        self._lock_dial(ev)
        commands = dial_answered(dial_id=ev.dial_id, call_id=ev.call_id or "")
        if any(c["type"] == "hangup" for c in commands):  # a late answer, or an announcement with no question
            contact = find_call(commands[-1]["call_id"], lock=True)
            if contact is not None:
                contact_end(contact_id=contact.pk, by_switch=True)
        return commands

    def _dial_failed(self, ev: DialFailed) -> list[dict]:
        self._lock_dial(ev)
        dial_failed(dial_id=ev.dial_id, outcome=ev.outcome, cause=ev.cause, call_id=ev.call_id or "")
        return []

    # --- the switch itself -------------------------------------------------------------------------

    def _switch_status(self, ev: SwitchStatusReport) -> list[dict]:
        switch_status_record(switch=ev.switch, trunks_total=ev.trunks_total, trunks_busy=ev.trunks_busy,
                             ivr_ports_total=ev.ivr_ports_total, ivr_ports_busy=ev.ivr_ports_busy,
                             calls_blocked=ev.calls_blocked, calls_failed=ev.calls_failed)
        return []


def call_status(call_ids: list[str]) -> list[dict]:
    """Where each call stands, for switches that cannot keep a WebSocket open (they poll)."""
    latest: dict[str, Contact] = {}
    # Uses contact_external_idx (external_id).
    for contact in (Contact.objects.filter(external_id__in=call_ids, channel=Channel.VOICE)
                    .select_related("queue").order_by("pk")):
        latest[contact.external_id] = contact
    agents = {c.agent_id for c in latest.values() if c.agent_id and c.state in (CS.CONNECTED, CS.HELD)}
    extensions = dict(AgentSession.objects.filter(staff_id__in=agents, logged_out_at__isnull=True)
                      .values_list("staff_id", "extension"))
    out = []
    for call_id in call_ids:
        c = latest.get(call_id)
        if c is None:
            out.append({"call_id": call_id, "state": "unknown", "queue": None, "extension": None,
                        "answered": False, "abandoned": False})
            continue
        out.append({"call_id": call_id, "state": c.state, "queue": c.queue.code if c.queue_id else None,
                    "extension": extensions.get(c.agent_id) if c.state in (CS.CONNECTED, CS.HELD) else None,
                    "answered": c.answered_at is not None, "abandoned": c.abandoned})
    return out


def pending_dials(limit: int = 100) -> list[dict]:
    """The ``dial`` commands not yet answered by a switch (HTTP switches poll them)."""
    return dials_pending(limit)


_default = CtiAdapter()


def default_adapter() -> CtiAdapter:
    return _default
