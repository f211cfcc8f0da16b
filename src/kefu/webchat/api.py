"""Web chat API (/api/webchat/): the agent's chats, transcripts, sending as agent, messages left, entries."""

from datetime import datetime

from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from kefu.core.access import actor_of, requires
from kefu.core.schemas import InputSchema

from . import inputs, selectors
from .services import chats, entries

router = Router(tags=["webchat"])
DESK, RECORDS, SUPERVISE = "contactcenter.desk.use", "contactcenter.contact.view", "contactcenter.supervise.view"


class ChatFileOut(Schema):
    name: str
    size: int


class ChatMessageOut(Schema):
    id: int
    contact: int
    sender: str
    text: str
    at: datetime
    file: ChatFileOut | None = None


class ChatOut(Schema):
    contact: int
    hotline: str
    mobile: str
    guest: bool
    state: str
    customer: int | None = None
    messages: list[ChatMessageOut]


class ChatEntryOut(Schema):
    id: int
    hotline: str
    name: str
    org: int = Field(..., alias="org_id")
    queue: int = Field(..., alias="queue_id")
    welcome: str
    enabled: bool
    version: int


class ChatEntryIn(InputSchema):
    hotline: str = Field(..., max_length=32)
    name: str = Field(..., max_length=64)
    org: int
    queue: int
    welcome: str = Field("", max_length=300)
    enabled: bool = True
    version: int | None = None


class ChatTextIn(InputSchema):
    text: str = Field(..., max_length=4000)


class FollowUpIn(InputSchema):
    note: str = Field("", max_length=500)


class LeftMessageOut(Schema):
    id: int
    contact: int | None
    hotline: str
    mobile: str
    guest: bool
    customer: int | None = None
    state: str
    created_at: datetime
    followed_up_by: str = ""
    followed_up_at: datetime | None = None
    follow_up_note: str
    messages: list[ChatMessageOut]


class ChatOkOut(Schema):
    ok: bool


def _chat(visit, messages) -> dict:
    return {"contact": visit.contact_id, "hotline": visit.entry.hotline, "mobile": visit.mobile, "guest": visit.guest,
            "state": selectors.visit_state(visit), "customer": visit.customer_id,
            "messages": [chats.message_payload(m) for m in messages]}


def _left(visit, messages) -> dict:
    by = visit.followed_up_by
    return {"id": visit.pk, "contact": visit.contact_id, "hotline": visit.entry.hotline, "mobile": visit.mobile,
            "guest": visit.guest, "customer": visit.customer_id, "state": visit.state, "created_at": visit.created_at,
            "followed_up_by": by.employee_no if by is not None else "", "followed_up_at": visit.followed_up_at,
            "follow_up_note": visit.follow_up_note, "messages": [chats.message_payload(m) for m in messages]}


# --- the agent's chats ----------------------------------------------------------------------------------


@router.get("/chats", response=list[ChatOut], summary="The chats I am holding now, with their messages")
@requires(DESK)
def chat_list(request):
    return [_chat(v, msgs) for v, msgs in selectors.my_chats(actor=actor_of(request))]


@router.get("/contacts/{contact_id}/transcript", response=ChatOut, summary="The transcript of a chat contact")
@requires(RECORDS, DESK, any_of=True)
def transcript(request, contact_id: int):
    return _chat(*selectors.transcript_get(actor=actor_of(request), contact_id=contact_id))


@router.get("/contacts/{contact_id}/history", response=list[ChatOut],
            summary="The customer's earlier chats, for the agent holding this one")
@requires(DESK)
def history(request, contact_id: int):
    return [_chat(v, msgs) for v, msgs in selectors.chat_history(actor=actor_of(request), contact_id=contact_id)]


@router.post("/contacts/{contact_id}/messages", response={201: ChatMessageOut}, summary="Write to the customer")
@requires(DESK)
def message_send(request, contact_id: int, payload: ChatTextIn):
    return 201, chats.message_payload(chats.agent_message(actor=actor_of(request), contact_id=contact_id,
                                                          text=payload.text))


@router.post("/contacts/{contact_id}/typing", response=ChatOkOut, summary="Tell the customer I am typing")
@requires(DESK)
def typing(request, contact_id: int):
    chats.agent_typing(actor=actor_of(request), contact_id=contact_id)
    return {"ok": True}


@router.post("/contacts/{contact_id}/files", response={201: ChatMessageOut},
             summary="Send the customer a file (the work-order attachment rules apply)")
@requires(DESK)
def file_send(request, contact_id: int, file: UploadedFile = File(...)):  # noqa: B008 - Ninja's declaration
    return 201, chats.message_payload(chats.agent_file(actor=actor_of(request), contact_id=contact_id,
                                                       name=file.name or "", data=file.read(),
                                                       content_type=file.content_type or ""))


# --- messages left outside opening hours ---------------------------------------------------------------


@router.get("/left-messages", response=list[LeftMessageOut], summary="Messages left outside opening hours")
@requires(DESK, SUPERVISE, any_of=True)
def left_message_list(request, open: bool = True):  # noqa: A002 - the query parameter's name
    return [_left(v, msgs) for v, msgs in selectors.left_messages(actor=actor_of(request), open_only=open)]


@router.post("/left-messages/{visit_id}/follow-up", response=LeftMessageOut, summary="Mark a message followed up")
@requires(DESK, SUPERVISE, any_of=True)
def left_message_follow_up(request, visit_id: int, payload: FollowUpIn):
    actor = actor_of(request)
    visit = selectors.left_message_get(actor=actor, visit_id=visit_id)
    chats.left_message_follow_up(actor=actor, visit_id=visit.pk, note=payload.note)
    return _left(selectors.left_message_get(actor=actor, visit_id=visit.pk), selectors.messages_of(visit.contact_id))


# --- chat entries -----------------------------------------------------------------------------------------


@router.get("/entries", response=list[ChatEntryOut], summary="Chat entries of the hotlines")
@requires("webchat.entry.view")
def entry_list(request):
    return list(selectors.entry_list(actor=actor_of(request)))


@router.post("/entries", response={201: ChatEntryOut}, summary="Set up a hotline's chat entry")
@requires("webchat.entry.edit")
def entry_create(request, payload: ChatEntryIn):
    actor = actor_of(request)
    return 201, entries.entry_create(actor=actor, data=inputs.entry_input(actor, payload.dict()))


@router.put("/entries/{entry_id}", response=ChatEntryOut, summary="Change a chat entry")
@requires("webchat.entry.edit")
def entry_update(request, entry_id: int, payload: ChatEntryIn):
    actor = actor_of(request)
    entry = selectors.entry_get(actor=actor, entry_id=entry_id)
    return entries.entry_update(actor=actor, entry_id=entry.pk, version=payload.version,
                                data=inputs.entry_input(actor, payload.dict()))
