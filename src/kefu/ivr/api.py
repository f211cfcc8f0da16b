"""IVR API (/api/ivr/): flows and their versions, validation, and test calls.

The CTI adapter does not use this API: it calls ``kefu.ivr.services.runtime``
in-process. Test calls here are for the flow editor (and scripts that check
a flow before publishing it).
"""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.errors import NotFound
from kefu.core.pagination import Pagination
from kefu.core.schemas import InputSchema

from . import selectors
from .models import Flow, IvrSession
from .services import flows, testcalls

router = Router(tags=["ivr"])


# --- schemas ----------------------------------------------------------------------


class FlowRow(Schema):
    id: int
    hotline: str
    name: str
    description: str
    active: bool
    version: int

    @staticmethod
    def resolve_version(obj) -> int:
        v = obj.current_version()
        return v.number if v else 0


class FlowOut(FlowRow):
    published_at: datetime | None
    definition: dict
    draft: Any
    draft_changed_at: datetime | None

    @staticmethod
    def resolve_published_at(obj):
        v = obj.current_version()
        return v.created_at if v else None

    @staticmethod
    def resolve_definition(obj) -> dict:
        v = obj.current_version()
        return v.definition if v else {}


class FlowIn(InputSchema):
    hotline: str = Field(..., max_length=32)
    name: str = Field(..., max_length=64)
    description: str = Field("", max_length=200)
    definition: dict | None = None


class FlowPatch(InputSchema):
    name: str | None = Field(None, max_length=64)
    description: str | None = Field(None, max_length=200)
    active: bool | None = None
    draft: dict | None = None


class FlowVersionOut(Schema):
    number: int
    note: str
    created_at: datetime
    created_by: str | None
    definition: dict

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return obj.created_by.employee_no if obj.created_by_id else None


class PublishIn(InputSchema):
    note: str = Field("", max_length=200)
    definition: dict | None = None


class ValidateIn(InputSchema):
    definition: Any


class CheckOut(Schema):
    ok: bool
    errors: list[str]
    warnings: list[str]


class TestStartIn(InputSchema):
    caller: str = Field(..., max_length=20)
    draft: bool = False


class TestInputIn(InputSchema):
    digits: str = Field(..., max_length=32)


class TestCallOut(Schema):
    session: int
    contact: int
    node: str
    wait: str
    finished: bool
    outcome: str
    commands: list[dict]
    expect: dict | None


def _flow(flow_id: int) -> Flow:
    flow = selectors.flow_find(flow_id=flow_id)
    if flow is None:
        raise NotFound(_("IVR flow not found."), code="flow_not_found")
    return flow


def _call_out(session: IvrSession, commands: list[dict]) -> dict:
    return {"session": session.pk, "contact": session.contact_id, "node": session.node, "wait": session.wait,
            "finished": session.finished, "outcome": session.outcome, "commands": commands,
            "expect": testcalls.expecting(commands)}


# --- flows --------------------------------------------------------------------------


@router.get("/flows", response=list[FlowRow], summary="IVR flows by hotline number")
@requires("ivr.flow.view")
@paginate(Pagination)
def flow_list(request):
    return selectors.flow_list()


@router.post("/flows", response={201: FlowOut}, summary="Create a flow (published as version 1)")
@requires("ivr.flow.edit")
def flow_create(request, payload: FlowIn):
    flow = flows.flow_create(actor=actor_of(request), hotline=payload.hotline, name=payload.name,
                             description=payload.description, definition=payload.definition)
    return 201, flow


@router.get("/flows/{flow_id}", response=FlowOut, summary="One flow: current version and draft")
@requires("ivr.flow.view")
def flow_get(request, flow_id: int):
    return _flow(flow_id)


@router.patch("/flows/{flow_id}", response=FlowOut, summary="Rename, (de)activate, or replace the draft")
@requires("ivr.flow.edit")
def flow_patch(request, flow_id: int, payload: FlowPatch):
    flow = _flow(flow_id)
    actor = actor_of(request)
    flow = flows.flow_update(actor=actor, flow=flow, name=payload.name, description=payload.description,
                             active=payload.active)
    if payload.draft is not None:
        flow = flows.flow_draft_save(actor=actor, flow=flow, definition=payload.draft)
    return flow


@router.delete("/flows/{flow_id}", response={204: None}, summary="Delete a flow no call has used")
@requires("ivr.flow.edit")
def flow_delete(request, flow_id: int):
    flows.flow_delete(actor=actor_of(request), flow=_flow(flow_id))
    return 204, None


@router.get("/flows/{flow_id}/versions", response=list[FlowVersionOut], summary="Published versions, newest first")
@requires("ivr.flow.view")
def version_list(request, flow_id: int):
    return selectors.flow_versions(_flow(flow_id))


@router.get("/flows/{flow_id}/versions/{number}", response=FlowVersionOut, summary="One published version")
@requires("ivr.flow.view")
def version_get(request, flow_id: int, number: int):
    version = selectors.flow_version_find(flow=_flow(flow_id), number=number)
    if version is None:
        raise NotFound(_("Version not found."), code="version_not_found")
    return version


@router.post("/flows/{flow_id}/versions", response={201: FlowVersionOut},
             summary="Publish the draft (or the given definition) as a new version; calls in progress keep theirs")
@requires("ivr.flow.edit")
def version_publish(request, flow_id: int, payload: PublishIn):
    version = flows.flow_publish(actor=actor_of(request), flow=_flow(flow_id), note=payload.note,
                                 definition=payload.definition)
    return 201, version


@router.post("/validate", response=CheckOut, summary="Check a flow definition without saving it")
@requires("ivr.flow.view")
def validate(request, payload: ValidateIn):
    check = flows.flow_check(payload.definition)
    return {"ok": check.ok, "errors": check.errors, "warnings": check.warnings}


# --- test calls ------------------------------------------------------------------------


@router.post("/flows/{flow_id}/test-calls", response={201: TestCallOut},
             summary="Start a test call as a caller number (never reaches an agent)")
@requires("ivr.flow.test")
def testcall_start(request, flow_id: int, payload: TestStartIn):
    session, commands = testcalls.testcall_start(actor=actor_of(request), flow=_flow(flow_id),
                                                 caller=payload.caller, use_draft=payload.draft)
    return 201, _call_out(session, commands)


@router.post("/test-calls/{session_id}/input", response=TestCallOut, summary="Press keys in a test call")
@requires("ivr.flow.test")
def testcall_input(request, session_id: int, payload: TestInputIn):
    session, commands = testcalls.testcall_input(actor=actor_of(request), session_id=session_id,
                                                 digits=payload.digits)
    return _call_out(session, commands)


@router.post("/test-calls/{session_id}/timeout", response=TestCallOut, summary="Let the test call time out")
@requires("ivr.flow.test")
def testcall_timeout(request, session_id: int):
    session, commands = testcalls.testcall_timeout(actor=actor_of(request), session_id=session_id)
    return _call_out(session, commands)


@router.post("/test-calls/{session_id}/end", response=TestCallOut, summary="Hang up a test call")
@requires("ivr.flow.test")
def testcall_end(request, session_id: int):
    session = testcalls.testcall_end(actor=actor_of(request), session_id=session_id)
    return _call_out(session, [])
