"""Callbacks: a caller who would rather be called back than wait keeps their place, and is called back.

Each attempt is an outbound contact (direction "out") in the callback's queue at the caller's original
place, with a planned dial (``dialer.dial_plan``). The router offers it to an agent like any call (one
routing path); the agent sees the customer and why they are to be called (a preview) and accepts; Kefu
dials through the switch (``dialer.dial_out``) and bridges the answer to the agent. The dial's outcome
comes back here: answered → ``done``; anything else → another attempt after
``contactcenter.callback.retry_delay``, until ``contactcenter.callback.max_attempts`` → ``failed``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.params.selectors import param_get

from ..models import (
    Callback,
    CallbackReason,
    CallbackState,
    Channel,
    Contact,
    ContactEvent,
    ContactState,
    Dial,
    DialOutcome,
    Direction,
)
from . import realtime
from .dialer import dial_plan
from .purposes import purpose_register
from .router import route_soon

CS = ContactState
PURPOSE = "callback"
SYSTEM = "system"


def _event(contact_id: int, kind: str, **data) -> None:
    ContactEvent.objects.create(contact_id=contact_id, at=clock.now(), kind=kind, data=data)


def _changed(cb: Callback) -> None:
    realtime.to_supervisors({"type": "callback.changed", "callback": cb.pk, "state": cb.state})


@transaction.atomic
def callback_request(*, contact_id: int, reason: str = CallbackReason.REQUESTED) -> Callback:
    """The caller leaves the queue but keeps their place: the first attempt waits with the same position."""
    contact = Contact.objects.select_for_update().get(pk=contact_id)
    if contact.state not in (CS.QUEUED, CS.IVR) or contact.queue is None:
        raise ValidationFailed(_("Only a waiting caller can ask for a callback."), code="invalid_state")
    if not contact.caller:
        raise ValidationFailed(_("The caller's number is unknown."), code="no_number")
    if reason not in CallbackReason.values:
        raise ValidationFailed(_("Unknown callback reason."), code="invalid_reason")
    now = clock.now()
    contact.callback_requested, contact.state, contact.ended_at = True, CS.ENDED, now
    contact.version += 1
    contact.save()
    _event(contact.pk, "callback_requested", reason=reason)
    cb = Callback.objects.create(contact=contact, number=contact.caller, queue=contact.queue, reason=reason,
                                 position_at=contact.enqueued_at or now)
    out = _attempt_open(cb, original=contact)
    # The caller is told and released: the call back comes later, from Kefu.
    realtime.to_switch({"type": "play", "call": contact.external_id,
                        "text": _("We will call you back as soon as an agent is free. Goodbye.")})
    realtime.to_switch({"type": "hangup", "call": contact.external_id})
    audit_record(actor=SYSTEM, action=AuditAction.CREATE, obj=cb, object_repr=f"callback {cb.pk}",
                 changes={"state": [None, cb.state], "reason": [None, reason], "queue": [None, cb.queue.code]},
                 note=f"contact {contact.pk}")
    _changed(cb)
    route_soon(contacts=[contact.pk, out.pk])
    return cb


def _attempt_open(cb: Callback, *, original: Contact) -> Contact:
    """The next attempt: an outbound contact queued at the callback's place, with its planned dial."""
    attempt = cb.attempts + 1
    out = Contact.objects.create(channel=Channel.VOICE, direction=Direction.OUTBOUND, caller=cb.number,
                                 called=original.called, customer_id=original.customer_id,
                                 subscriber_id=original.subscriber_id, service_tier=original.service_tier,
                                 priority=original.priority, state=CS.QUEUED, queue_id=cb.queue_id,
                                 enqueued_at=cb.position_at)
    dial_plan(contact=out, number=cb.number, purpose=PURPOSE, callback=cb, attempt=attempt)
    cb.outbound_contact, cb.next_attempt_at = out, None
    cb.version += 1
    cb.save(update_fields=["outbound_contact", "next_attempt_at", "version"])
    _event(out.pk, "callback_queued", original=original.pk, callback=cb.pk, attempt=attempt)
    return out


def _dial_started(dial: Dial) -> None:
    if dial.callback_id is None:
        return
    Callback.objects.filter(pk=dial.callback_id, state=CallbackState.WAITING).update(
        state=CallbackState.DIALLING, version=F("version") + 1)
    realtime.to_supervisors({"type": "callback.changed", "callback": dial.callback_id, "state": "dialling"})


def _dial_finished(dial: Dial) -> None:
    """The attempt's outcome: answered is done; otherwise retry later, or fail after the last attempt."""
    if dial.callback_id is None:
        return
    cb = Callback.objects.select_for_update().filter(pk=dial.callback_id).first()
    if cb is None or not cb.open:
        return
    now = clock.now()
    before = {"state": cb.state, "attempts": cb.attempts}
    cb.attempts += 1
    cb.last_outcome = dial.outcome
    if dial.outcome == DialOutcome.ANSWERED:
        cb.state, cb.ended_at = CallbackState.DONE, now
    elif cb.attempts >= int(param_get("contactcenter.callback.max_attempts")):
        cb.state, cb.ended_at = CallbackState.FAILED, now
    else:
        cb.state, cb.next_attempt_at = CallbackState.WAITING, now + param_get("contactcenter.callback.retry_delay")
    cb.version += 1
    cb.save()
    audit_record(actor=dial.staff if dial.staff_id else SYSTEM, action=AuditAction.UPDATE, obj=cb,
                 object_repr=f"callback {cb.pk}",
                 changes={"state": [before["state"], cb.state], "attempts": [before["attempts"], cb.attempts]},
                 note=f"attempt {dial.attempt}: {dial.outcome}")
    _changed(cb)


purpose_register(PURPOSE, started=_dial_started, finished=_dial_finished)


def callbacks_retry_due() -> int:
    """Callbacks whose retry delay is over get their next attempt, queued at their place."""
    now = clock.now()
    done = 0
    # Uses callback_due_idx (state, next_attempt_at).
    due = Callback.objects.filter(state=CallbackState.WAITING, next_attempt_at__lte=now)
    for pk in due.values_list("pk", flat=True)[:200]:
        with transaction.atomic():
            cb = Callback.objects.select_for_update().select_related("contact").get(pk=pk)
            if cb.state != CallbackState.WAITING or cb.next_attempt_at is None or cb.next_attempt_at > now:
                continue
            out = _attempt_open(cb, original=cb.contact)
            _changed(cb)
            route_soon(contacts=[out.pk])
            done += 1
    return done
