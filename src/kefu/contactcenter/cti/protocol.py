"""The CTI protocol: JSON messages between a telephony switch and Kefu (docs/cti.md).

One set of message shapes for both doors, the WebSocket ``/ws/cti/`` and the
HTTP ``POST /api/contactcenter/cti/events``, so a switch adapter is written
once. Parsing turns any bad message into a ``ProtocolError`` (a 400 over HTTP,
an ``{"type": "error"}`` message over the socket) and never into a crash.
Unknown extra fields are ignored, so switches may send more than we read.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as PydanticError

from kefu.core.errors import ValidationFailed

PROTOCOL_VERSION = 2
#: The version that brought each message in; version 1 is inbound calls only, 2 adds outbound dialling.
#: A switch that says hello with an older version is not sent commands it would not know.
SINCE = {"dial": 2, "bridge": 2, "dial.ringing": 2, "dial.answered": 2, "dial.failed": 2}

# A switch's call id: Asterisk "1712345678.42", FreeSWITCH UUIDs, or anything similar.
CallId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:@/+\-]+$")]
# Withheld numbers arrive empty or as words such as "anonymous".
Number = Annotated[str, Field(max_length=32, pattern=r"^[A-Za-z0-9+*#.\-]*$")]
Digits = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[0-9*#A-Da-d]+$")]
MessageId = Annotated[str | None, Field(max_length=64)]


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    id: MessageId = None  # optional correlation id, echoed as "re" in the answers


class CallIncoming(_Message):
    type: Literal["call.incoming"]
    call_id: CallId
    caller: Number = ""
    called: Number = ""
    channel: Annotated[str, Field(max_length=128)] = ""


class CallDtmf(_Message):
    type: Literal["call.dtmf"]
    call_id: CallId
    digits: Digits


class CallTimeout(_Message):
    type: Literal["call.timeout"]
    call_id: CallId


class CallAnswered(_Message):
    type: Literal["call.answered"]
    call_id: CallId
    extension: Annotated[str, Field(min_length=1, max_length=16)]


class CallHeld(_Message):
    type: Literal["call.held"]
    call_id: CallId


class CallUnheld(_Message):
    type: Literal["call.unheld"]
    call_id: CallId


class CallTransferred(_Message):
    type: Literal["call.transferred"]
    call_id: CallId
    to: Annotated[str, Field(min_length=1, max_length=64)]


class CallEnded(_Message):
    type: Literal["call.ended"]
    call_id: CallId
    cause: Annotated[str, Field(max_length=32)] = "normal_clearing"


class DialRinging(_Message):
    """The customer's phone rings. ``call_id`` is the switch's id for the leg when it did not take
    Kefu's ``dial_id`` as that id (ARI ``channelId``, FreeSWITCH ``origination_uuid``)."""

    type: Literal["dial.ringing"]
    dial_id: CallId
    call_id: CallId | None = None


class DialAnswered(_Message):
    """The customer answered (a person: an answering machine is ``dial.failed``); Kefu answers ``bridge``."""

    type: Literal["dial.answered"]
    dial_id: CallId
    call_id: CallId | None = None


class DialFailed(_Message):
    type: Literal["dial.failed"]
    dial_id: CallId
    outcome: Literal["no_answer", "busy", "answer_machine", "rejected", "invalid_number"]
    call_id: CallId | None = None
    cause: Annotated[str, Field(max_length=32)] = ""


class SwitchStatusReport(_Message):
    """The switch's own state: trunks and IVR ports in use of those it has, and the calls it refused for
    want of a trunk or lost to a fault since it started (counters). Any protocol version may send it."""

    type: Literal["switch.status"]
    switch: Annotated[str, Field(max_length=64)] = ""
    trunks_total: Annotated[int, Field(ge=0, le=1_000_000)]
    trunks_busy: Annotated[int, Field(ge=0, le=1_000_000)]
    ivr_ports_total: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    ivr_ports_busy: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    calls_blocked: Annotated[int, Field(ge=0, le=2**31)] = 0
    calls_failed: Annotated[int, Field(ge=0, le=2**31)] = 0


class Hello(_Message):
    """First message of a WebSocket switch that did not present its token in the URL or a header."""

    type: Literal["hello"]
    token: Annotated[str, Field(min_length=1, max_length=200)]
    switch: Annotated[str, Field(max_length=64)] = ""
    protocol: Annotated[int, Field(ge=1, le=PROTOCOL_VERSION)] = PROTOCOL_VERSION


Event = Annotated[
    CallIncoming | CallDtmf | CallTimeout | CallAnswered | CallHeld | CallUnheld | CallTransferred | CallEnded
    | DialRinging | DialAnswered | DialFailed | SwitchStatusReport,
    Field(discriminator="type"),
]
EVENT_TYPES = ("call.incoming", "call.dtmf", "call.timeout", "call.answered", "call.held", "call.unheld",
               "call.transferred", "call.ended", "dial.ringing", "dial.answered", "dial.failed", "switch.status")
_EVENT = TypeAdapter(Event)

COMMAND_TYPES = ("play", "collect", "queue", "route", "hold", "unhold", "transfer", "conference", "hangup",
                 "dial", "bridge")


def speaks(version: int, kind: str) -> bool:
    """Whether a switch on protocol ``version`` knows the message ``kind``."""
    return SINCE.get(kind, 1) <= version


class ProtocolError(ValidationFailed):
    """A message that does not follow the protocol (400 over HTTP, an error message over the socket)."""

    code = "invalid_message"


def loads(text: str | bytes | None) -> dict:
    """Decode one WebSocket frame into a message object."""
    try:
        data = json.loads(text or "")
    except (ValueError, TypeError):
        raise ProtocolError(_("The message is not valid JSON."), code="bad_json") from None
    if not isinstance(data, dict):
        raise ProtocolError(_("A message must be a JSON object with a \"type\"."))
    return data


def parse_event(data: Any) -> Event:
    """Validate a switch → Kefu event; the error names each bad field."""
    if not isinstance(data, dict):
        raise ProtocolError(_("A message must be a JSON object with a \"type\"."))
    kind = data.get("type")
    if kind not in EVENT_TYPES:
        raise ProtocolError(_("Unknown message type %(type)r.") % {"type": str(kind)[:40]}, code="unknown_type",
                            details={"known": list(EVENT_TYPES)})
    try:
        return _EVENT.validate_python(data)
    except PydanticError as exc:
        raise ProtocolError(_("The %(type)s message is not valid; see details.") % {"type": kind},
                            details=_field_errors(exc)) from None


def parse_hello(data: dict) -> Hello:
    try:
        return Hello.model_validate(data)
    except PydanticError as exc:
        raise ProtocolError(_("The hello message is not valid; see details."), details=_field_errors(exc)) from None


def _field_errors(exc: PydanticError) -> list[dict]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if not str(p).startswith(("call.", "dial.", "switch.")) and p != "hello"]
        out.append({"field": ".".join(loc) or None, "message": err.get("msg", "")})
    return out


def message_id(data: Any) -> str | None:
    """The correlation id of a raw message, if it carries a usable one."""
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def error(code: str, message: Any, *, details: Any = None, re: str | None = None) -> dict:
    out = {"type": "error", "code": code, "message": str(message)}
    if details is not None:
        out["details"] = details
    if re is not None:
        out["re"] = re
    return out


def command(kind: str, call_id: str, **fields) -> dict:
    assert kind in COMMAND_TYPES, kind
    return {"type": kind, "call_id": call_id, **fields}


def _seconds(value: Any, default: int) -> int:
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def commands_from_ivr(commands: list[dict], call_id: str) -> list[dict]:
    """The IVR runtime's commands in the protocol's shape (with the call id, typed fields)."""
    out = []
    for raw in commands or ():
        kind = raw.get("type")
        if kind == "play":
            out.append(command("play", call_id, text=str(raw.get("text", ""))))
        elif kind == "collect":
            out.append(command("collect", call_id, max_digits=_seconds(raw.get("max_digits"), 1),
                               timeout=_seconds(raw.get("timeout"), 5),
                               terminator=str(raw.get("terminator") or "")))
        elif kind == "queue":
            extra = {"priority": raw["priority"]} if raw.get("priority") is not None else {}
            out.append(command("queue", call_id, queue=str(raw.get("queue", "")), **extra))
        elif kind == "hangup":
            out.append(command("hangup", call_id))
        elif kind in COMMAND_TYPES:  # route, transfer, …: already in our shape
            out.append({**{k: v for k, v in raw.items() if k != "call"}, "type": kind, "call_id": call_id})
    return out


def command_from_core(event: dict) -> dict | None:
    """A command pushed by the contact-center core to the "cti" group, in the protocol's shape.

    The core names the call ``call`` (its ``Contact.external_id``); contacts
    that no switch carries (chat, e-mail) have none and are not sent.
    """
    kind = event.get("type")
    call_id = event.get("call_id") or event.get("call")
    if kind not in COMMAND_TYPES or not call_id:
        return None
    out = {"type": kind, "call_id": call_id}
    out.update({k: v for k, v in event.items() if k not in ("type", "call", "call_id")})
    return out
