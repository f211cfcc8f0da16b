"""How the calls of the outbound IVR-call outlet went: the dialer tells the purpose ``outlet_call``.

Answered (the message was played) → delivered; a confirmation key is noted on the message. Busy, no
answer, a machine or a switch that never answered → the message is tried again with the outlet's back-off
until ``outlets.max_attempts``; a rejected call or a number that does not exist → failed at once.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.core import clock

from ..gateways.call import PURPOSE
from ..models import Message, MessageStatus, Outlet
from .inbound import sms_report_apply
from .sending import retry_later

#: Dial outcomes worth another try later.
RETRYABLE = ("busy", "no_answer", "answer_machine", "timeout")


def _outlet_of(dial) -> Outlet | None:
    code = str((dial.script or {}).get("ref", "")).split(":", 1)[0]
    return Outlet.objects.filter(code=code, kind="call").first() if code else None


def _dial_started(dial) -> None:
    """Announcements are placed at once: nothing waits for an agent."""


def _dial_finished(dial) -> None:
    """The dial was answered or failed (in the dial's transaction)."""
    outlet = _outlet_of(dial)
    if outlet is None:
        return
    if dial.outcome == "answered":
        sms_report_apply(outlet=outlet, report_id=f"dial-{dial.dial_id}", gateway_ref=dial.dial_id,
                         status="delivered")
        return
    # outlets_msg_ref_idx
    message = Message.objects.select_for_update().filter(outlet=outlet, gateway_ref=dial.dial_id).first()
    if (message is not None and dial.outcome in RETRYABLE and message.status == MessageStatus.SENT
            and retry_later(message=message, reason=dial.outcome)):
        return
    sms_report_apply(outlet=outlet, report_id=f"dial-{dial.dial_id}", gateway_ref=dial.dial_id,
                     status="failed", error=dial.outcome)


def _dial_keyed(dial) -> None:
    """The customer pressed the confirming key: noted on the (delivered) message."""
    outlet = _outlet_of(dial)
    if outlet is None:
        return
    Message.objects.filter(outlet=outlet, gateway_ref=dial.dial_id).update(  # outlets_msg_ref_idx
        status_reason=_("Confirmed by the customer at %(time)s.") % {
            "time": clock.now().strftime("%Y-%m-%d %H:%M")})


def register() -> None:
    """Called from the app's ``ready()``: the dialer tells the call outlet how its calls went."""
    from kefu.contactcenter.services.purposes import purpose_register

    purpose_register(PURPOSE, started=_dial_started, finished=_dial_finished, keyed=_dial_keyed)
