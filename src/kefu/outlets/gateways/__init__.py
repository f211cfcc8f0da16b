"""The outlet interface: how a message leaves Kefu, whatever the outlet.

``sender_for(outlet)`` gives the ``Sender`` of an outlet, or ``None`` with the
reason when the outlet cannot send (an SMS outlet with no gateway). A sender hands one message over and answers ``Sent`` (the
gateway's reference, segments, and whether that already means delivered), or
raises ``SendFailed`` — ``permanent`` when trying again cannot help.
SMS gateways are one kind of sender: ``recorded`` (development) and ``http``;
docs/outlets.md describes the HTTP protocol and SMPP as the next adapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Outgoing:
    """What a sender needs of a message (no ORM row: a sender never writes the message)."""

    key: str
    recipient: str
    subject: str
    body: str
    customer_id: int | None = None


@dataclass(frozen=True)
class Sent:
    ref: str
    segments: int = 1
    encoding: str = ""
    delivered: bool = False


class SendFailed(Exception):
    def __init__(self, error: str, *, permanent: bool = False):
        super().__init__(error)
        self.error = error[:500]
        self.permanent = permanent


class Sender(Protocol):
    def send(self, message: Outgoing) -> Sent: ...

    def after_sent(self, message_id: int, sent: Sent) -> None:
        """Called once the message is recorded as sent (the development gateway reports delivery here)."""


def sender_for(outlet) -> Sender | None:
    from .call import CallSender
    from .email import EmailSender
    from .inapp import InAppSender
    from .sms import sms_gateway

    if outlet.kind == "sms":
        return sms_gateway(outlet)
    if outlet.kind == "email":
        return EmailSender(outlet)
    if outlet.kind == "inapp":
        return InAppSender(outlet)
    if outlet.kind == "call":
        return CallSender(outlet)
    return None


def not_ready_reason(outlet) -> str:
    """Why ``outlet`` cannot send now ("" when it can)."""
    if outlet.kind == "sms" and sender_for(outlet) is None:
        return str(_("The SMS outlet has no gateway configured."))
    return ""
