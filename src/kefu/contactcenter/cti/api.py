"""The CTI over HTTP: a switch posts each call event and gets the commands in the answer.

Same messages as the WebSocket (docs/cti.md). Commands Kefu decides later
(route when an agent accepts, hangup when the agent ends) cannot be pushed
over HTTP, so an HTTP-only switch polls ``GET /calls`` for the calls it holds
and ``GET /dials`` for the calls Kefu wants placed.
"""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema
from pydantic import Field

from kefu.core.access import actor_of, requires
from kefu.core.errors import ValidationFailed

from .adapter import call_status, default_adapter, pending_dials

router = Router(tags=["cti"])

MAX_POLL = 100


class CommandsOut(Schema):
    commands: list[dict[str, Any]]


class CallsQuery(Schema):
    call_id: list[str]


class CallStatusOut(Schema):
    call_id: str
    state: str = Field(description="ivr, queued, offered, connected, held, wrap_up, ended, or unknown")
    queue: str | None
    extension: str | None = Field(description="the agent's extension while connected or held")
    answered: bool
    abandoned: bool


@router.post("/events", response=CommandsOut, summary="Report a call event, get the commands to carry out",
             openapi_extra={"requestBody": {"content": {"application/json": {"schema": {
                 "type": "object", "required": ["type", "call_id"],
                 "properties": {"type": {"type": "string", "example": "call.incoming"},
                                "call_id": {"type": "string", "example": "1712345678.42"}}}}}}})
@requires("contactcenter.cti.connect")
def cti_event(request, payload: Body[dict[str, Any]]):
    return {"commands": default_adapter().handle(payload, actor=actor_of(request))}


@router.get("/calls", response=list[CallStatusOut], summary="Where the given calls stand (for polling switches)")
@requires("contactcenter.cti.connect")
def cti_calls(request, query: Query[CallsQuery]):
    call_id = query.call_id
    if len(call_id) > MAX_POLL or any(not c or len(c) > 64 for c in call_id):
        raise ValidationFailed(_("Ask for 1 to %(n)s call ids of at most 64 characters each.") % {"n": MAX_POLL},
                               code="invalid_call_ids")
    return call_status(call_id)


@router.get("/dials", response=CommandsOut, summary="Dial commands not yet answered (for polling switches)")
@requires("contactcenter.cti.connect")
def cti_dials(request):
    """A switch that cannot hold the WebSocket asks here for the calls Kefu wants placed (``dial``); it
    ignores dial ids it already handles and reports ``dial.ringing`` / ``dial.answered`` / ``dial.failed``."""
    return {"commands": pending_dials(MAX_POLL)}
