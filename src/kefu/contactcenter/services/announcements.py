"""Announcements: calls Kefu places with no agent, to play a message and, if asked, take a key that confirms it.

The outbound IVR-call outlet sends through them (notices, IVR results by call-back). Unlike an agent's
dial, nothing waits in a queue: the ``dial`` command goes to the switch at once. Answered, Kefu answers
``play`` (and ``collect`` for the confirming key, or ``hangup``) instead of ``bridge``; the keys the
customer presses come back as ``call.dtmf`` and are read here, not by the IVR. The purpose that placed the
call hears its outcome (``finished``: answered or the failure) and the confirmation (``keyed``).
See docs/cti.md ("Announcements").
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.params.selectors import param_get

from ..models import Contact, ContactEvent, ContactState, Dial, DialState
from . import realtime
from .dialer import dial_command, dial_plan
from .purposes import _tell_purpose

CONFIRM_KEY = "1"
#: How many times a customer may hear the message again (any other key, or no key) before Kefu hangs up.
MAX_REPLAYS = 2
MAX_TEXT = 2000


def _event(contact_id: int, kind: str, **data) -> None:
    ContactEvent.objects.create(contact_id=contact_id, at=clock.now(), kind=kind, data=data)


@transaction.atomic
def announcement_place(*, number: str, text: str, purpose: str, confirm: bool = False, caller_id: str = "",
                       customer_id: int | None = None, ref: str = "") -> Dial:
    """Have the switch call ``number`` and play ``text`` (no agent). ``ref`` is the caller's own reference
    (kept in the script, e.g. the outlet message's key). The dial is failed as ``timeout`` by the dial
    timer if the switch never reports on it."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("An announcement needs a text to play."), code="invalid_text")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("The text to play is too long."), code="invalid_text")
    now = clock.now()
    contact = Contact.objects.create(channel="voice", direction="out", caller=(number or "")[:32],
                                     customer_id=customer_id, state=ContactState.DIALLING)
    dial = dial_plan(contact=contact, number=number, purpose=purpose, caller_id=caller_id)
    dial.script = {"text": text, "confirm": bool(confirm), "ref": ref[:100]}
    dial.state, dial.requested_at = DialState.DIALLING, now
    dial.deadline = now + param_get("contactcenter.dial.ring_timeout") + param_get("contactcenter.dial.timeout")
    dial.save()
    contact.external_id = dial.dial_id
    contact.save(update_fields=["external_id"])
    _event(contact.pk, "announce_requested", dial=dial.dial_id, purpose=purpose, confirm=bool(confirm))
    realtime.to_switch(dial_command(dial))
    return dial


def _prompt(dial: Dial, leg: str) -> list[dict]:
    """The message, then the question (a ``collect``) or the end of the call."""
    out = [{"type": "play", "call_id": leg, "text": dial.script["text"]}]
    if dial.script.get("confirm"):
        out.append({"type": "play", "call_id": leg, "text": _("To confirm, press 1; to hear it again, press any "
                                                             "other key.")})
        out.append({"type": "collect", "call_id": leg, "max_digits": 1, "timeout": 8, "terminator": ""})
    else:
        out.append({"type": "hangup", "call_id": leg})
    return out


def announcement_answered(dial: Dial) -> list[dict]:
    """What the switch plays on an answered announcement (the dial is locked and answered)."""
    return _prompt(dial, dial.call_id or dial.dial_id)


def announcement_keys(*, contact: Contact, digits: str | None) -> list[dict]:
    """The customer pressed ``digits`` (None: no key before the timeout) while an announcement played.

    In the caller's transaction with the contact locked. The confirming key ends the call with thanks;
    another key or silence plays the message again, up to ``MAX_REPLAYS`` times.
    """
    dial = Dial.objects.select_for_update().filter(contact=contact).first()  # dial's one-to-one index on contact
    if dial is None or not dial.script or dial.state != DialState.ANSWERED:
        return []
    leg = dial.call_id or dial.dial_id
    script = dict(dial.script)
    script["keys"] = (script.get("keys", "") + (digits or "-"))[-20:]
    if digits == CONFIRM_KEY and script.get("confirm") and not script.get("confirmed"):
        script["confirmed"] = True
        dial.script = script
        dial.save(update_fields=["script"])
        _event(contact.pk, "announce_confirmed", dial=dial.dial_id)
        _tell_purpose(dial, "keyed")
        return [{"type": "play", "call_id": leg, "text": _("Thank you. Goodbye.")}, {"type": "hangup", "call_id": leg}]
    replays = int(script.get("replays", 0))
    if replays >= MAX_REPLAYS or script.get("confirmed"):
        dial.script = script
        dial.save(update_fields=["script"])
        return [{"type": "play", "call_id": leg, "text": _("Goodbye.")}, {"type": "hangup", "call_id": leg}]
    script["replays"] = replays + 1
    dial.script = script
    dial.save(update_fields=["script"])
    return _prompt(dial, leg)
