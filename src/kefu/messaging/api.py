"""Internal messages API: send, inbox, sent, one message, read and acknowledge, read receipts, and what a
page must still show.

``POST /messages`` needs an ``Idempotency-Key`` header: the same key again answers 200 with the first
message (201 when it was created now) and delivers nothing more; the key used for another message is a 409.
Reading one's own messages needs only a login; sending to people needs ``messaging.message.send``, to
teams, roles, organisations or everyone ``messaging.message.broadcast``. A message is visible to its
sender and recipients only; a recipient outside the sender's scope is answered like one that does not exist.
"""

import base64
import binascii
from datetime import datetime
from typing import Literal

from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from kefu.core.access import actor_of, requires
from kefu.core.errors import ValidationFailed
from kefu.core.pagination import Pagination
from kefu.core.schemas import DateTime, InputSchema

from . import selectors
from .models import Delivery, Message
from .services.receipts import message_acknowledge, message_read
from .services.recipients import BROADCAST, SEND, Target
from .services.sending import MAX_FILES, FileIn, MessageDraft, message_send

router = Router(tags=["messaging"])


class InternalTargetIn(InputSchema):
    kind: Literal["staff", "team", "role", "org", "everyone"]
    id: StrictInt | None = Field(None, ge=1, le=2**62)
    subtree: StrictBool = False


class InternalFileIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    content_base64: str = Field(..., min_length=1, max_length=5 * 1024 * 1024)
    content_type: str = Field("", max_length=100)


class InternalSendIn(InputSchema):
    subject: str = Field(..., max_length=200)
    body: str = Field(..., max_length=10_000)
    targets: list[InternalTargetIn] = Field(default_factory=list, max_length=200)
    priority: Literal[1, 2, 3, 4] = Field(2, description="1 low, 2 normal, 3 high, 4 urgent")
    display: Literal["inbox", "popup", "banner", "highlight"] = "inbox"
    sound: StrictBool = False
    expires_at: DateTime | None = None
    reply_to: StrictInt | None = Field(None, ge=1, le=2**62)
    attachments: list[InternalFileIn] = Field(default_factory=list, max_length=MAX_FILES)


class InternalAttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class InternalTargetOut(Schema):
    kind: str
    id: int | None
    subtree: bool
    label: str


class InternalMessageOut(Schema):
    id: int
    subject: str
    body: str
    priority: int
    display: str
    sound: bool
    expires_at: datetime | None
    expired: bool
    sender_id: int
    sender: str
    sent_at: datetime
    reply_to: int | None
    targets: list[InternalTargetOut]
    recipient_count: int
    attachments: list[InternalAttachmentOut]


class InternalInboxOut(InternalMessageOut):
    read_at: datetime | None
    acknowledged_at: datetime | None


class InternalSentOut(Schema):
    id: int
    subject: str
    priority: int
    display: str
    expires_at: datetime | None
    sent_at: datetime
    targets: list[InternalTargetOut]
    recipient_count: int
    read_count: int
    unread_count: int
    acknowledged_count: int


class InternalDetailOut(InternalMessageOut):
    is_sender: bool
    read_at: datetime | None
    acknowledged_at: datetime | None


class InternalReceiptOut(Schema):
    staff_id: int
    employee_no: str
    name: str
    org: str
    read_at: datetime | None
    acknowledged_at: datetime | None


class InternalReceiptsOut(Schema):
    message_id: int
    recipients: int
    read: int
    unread: int
    acknowledged: int
    items: list[InternalReceiptOut]
    page: int
    pages: int


class InternalReadOut(Schema):
    message_id: int
    read_at: datetime | None
    acknowledged_at: datetime | None


class InternalPendingOut(Schema):
    popups: list[InternalInboxOut]
    notices: list[InternalInboxOut]
    unread: int


class InboxQuery(Schema):
    since: DateTime | None = None
    until: DateTime | None = None
    sender: str = Field("", max_length=64, description="工号 prefix or part of the name")
    state: str = Field("", pattern="^(|unread|read|unacknowledged)$")
    q: str = Field("", max_length=100, description="Part of the subject")
    sort: str = Field("", max_length=20, description="A column (`-` first for descending): "
                      + ", ".join(selectors.INBOX_SORTS))


class SentQuery(Schema):
    since: DateTime | None = None
    until: DateTime | None = None
    receiver: str = Field("", max_length=64, description="工号 prefix or part of the name of a recipient")
    q: str = Field("", max_length=100)
    sort: str = Field("", max_length=20, description="A column (`-` first for descending): "
                      + ", ".join(selectors.SENT_SORTS))


class ReceiptQuery(Schema):
    state: str = Field("", pattern="^(|read|unread)$")
    sort: str = Field("", max_length=20, description=", ".join(selectors.RECEIPT_SORTS))
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(100, ge=1, le=500)


class PersonOut(Schema):
    id: int
    employee_no: str
    name: str
    org: str


def _sort(sort: str, allowed: dict) -> str:
    if not selectors.sort_key_valid(sort, allowed):
        raise ValidationFailed(_("Unknown sort column."), code="invalid",
                               details=[{"field": "sort", "message": _("One of: %(cols)s.") % {
                                   "cols": ", ".join(allowed)}}])
    return sort


def _message(m: Message) -> dict:
    return {
        "id": m.pk, "subject": m.subject, "body": m.body, "priority": m.priority, "display": m.display,
        "sound": m.sound, "expires_at": m.expires_at, "expired": m.is_expired(), "sender_id": m.sender_id,
        "sender": m.sender.name, "sent_at": m.created_at, "reply_to": m.reply_to_id, "targets": m.targets,
        "recipient_count": m.recipient_count,
        "attachments": [{"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type,
                         "url": f"/api/messaging/attachments/{a.pk}"} for a in m.attachments.all()],
    }


def _inbox(d: Delivery) -> dict:
    return {**_message(d.message), "read_at": d.read_at, "acknowledged_at": d.acknowledged_at}


def _files(payload: InternalSendIn) -> list[FileIn]:
    files = []
    for i, f in enumerate(payload.attachments):
        try:
            data = base64.b64decode(f.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(_("A file's content is not valid base64."), code="invalid",
                                   details=[{"field": f"attachments.{i}.content_base64",
                                             "message": _("Not valid base64.")}]) from None
        files.append(FileIn(name=f.name, data=data, content_type=f.content_type))
    return files


@router.post("/messages", response={200: InternalMessageOut, 201: InternalMessageOut},
             summary="Send a message to staff (201 created, 200 the same Idempotency-Key again)")
@requires(SEND, BROADCAST, any_of=True)
def send(request, payload: InternalSendIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    if not idempotency_key.strip():
        raise ValidationFailed(_("The Idempotency-Key header is required."), code="idempotency_key_required")
    draft = MessageDraft(
        subject=payload.subject, body=payload.body, priority=payload.priority, display=payload.display,
        sound=payload.sound, expires_at=payload.expires_at, reply_to_id=payload.reply_to, files=_files(payload),
        targets=[Target(kind=t.kind, id=t.id, subtree=t.subtree) for t in payload.targets],
    )
    outcome = message_send(actor=actor_of(request), draft=draft, idempotency_key=idempotency_key)
    return (201 if outcome.created else 200), _message(outcome.message)


@router.get("/inbox", response=list[InternalInboxOut], summary="My messages, unread first then newest")
@requires()
@paginate(Pagination)
def inbox(request, filters: Query[InboxQuery]):
    f = filters.dict()
    sort = _sort(f.pop("sort"), selectors.INBOX_SORTS)
    qs = selectors.inbox_list(actor=actor_of(request), filters=selectors.InboxFilters(**f), sort=sort)
    return [_inbox(d) for d in qs.prefetch_related("message__attachments")[:10_000]]


@router.get("/sent", response=list[InternalSentOut], summary="Messages I sent, with read counts")
@requires(SEND, BROADCAST, any_of=True)
@paginate(Pagination)
def sent(request, filters: Query[SentQuery]):
    f = filters.dict()
    sort = _sort(f.pop("sort"), selectors.SENT_SORTS)
    qs = selectors.sent_list(actor=actor_of(request), filters=selectors.SentFilters(**f), sort=sort)
    return [{"id": m.pk, "subject": m.subject, "priority": m.priority, "display": m.display,
             "expires_at": m.expires_at, "sent_at": m.created_at, "targets": m.targets,
             "recipient_count": m.recipient_count, "read_count": m.read_count, "unread_count": m.unread_count,
             "acknowledged_count": m.ack_count} for m in qs[:10_000]]


@router.get("/pending", response=InternalPendingOut,
            summary="What my pages must show: pop-ups to acknowledge, unread banners and highlights")
@requires()
def pending(request):
    p = selectors.pending_notices(actor=actor_of(request))
    return {"popups": [_inbox(d) for d in p["popups"]], "notices": [_inbox(d) for d in p["notices"]],
            "unread": p["unread"]}


@router.get("/messages/{message_id}", response=InternalDetailOut,
            summary="One message I sent or received (reading it here records no receipt: POST …/read)")
@requires()
def detail(request, message_id: int):
    view = selectors.message_get(actor=actor_of(request), message_id=message_id)
    d = view.delivery
    return {**_message(view.message), "is_sender": view.is_sender, "read_at": d.read_at if d else None,
            "acknowledged_at": d.acknowledged_at if d else None}


@router.post("/messages/{message_id}/read", response=InternalReadOut, summary="Record that I read the message")
@requires()
def read(request, message_id: int):
    d = message_read(actor=actor_of(request), message_id=message_id)
    return {"message_id": d.message_id, "read_at": d.read_at, "acknowledged_at": d.acknowledged_at}


@router.post("/messages/{message_id}/acknowledge", response=InternalReadOut,
             summary="Acknowledge the message (a pop-up must be acknowledged); it is read too")
@requires()
def acknowledge(request, message_id: int):
    d = message_acknowledge(actor=actor_of(request), message_id=message_id)
    return {"message_id": d.message_id, "read_at": d.read_at, "acknowledged_at": d.acknowledged_at}


@router.get("/messages/{message_id}/receipts", response=InternalReceiptsOut,
            summary="Who has and has not read my message, with counts")
@requires(SEND, BROADCAST, any_of=True)
def receipts(request, message_id: int, filters: Query[ReceiptQuery]):
    sort = _sort(filters.sort, selectors.RECEIPT_SORTS)
    message, counts, qs = selectors.message_receipts(actor=actor_of(request), message_id=message_id,
                                                     state=filters.state, sort=sort)
    total = qs.count()
    start = (filters.page - 1) * filters.page_size
    rows = qs[start:start + filters.page_size]
    return {"message_id": message.pk, "recipients": counts.recipients, "read": counts.read,
            "unread": counts.unread, "acknowledged": counts.acknowledged,
            "page": filters.page, "pages": max(1, -(-total // filters.page_size)),
            "items": [{"staff_id": d.recipient_id, "employee_no": d.recipient.employee_no, "name": d.recipient.name,
                       "org": d.recipient.org.name, "read_at": d.read_at, "acknowledged_at": d.acknowledged_at}
                      for d in rows]}


@router.get("/attachments/{attachment_id}", summary="A file of a message I sent or received",
            response={200: None})
@requires()
def attachment(request, attachment_id: int):
    att = selectors.attachment_get(actor=actor_of(request), attachment_id=attachment_id)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


@router.get("/people", response=list[PersonOut], summary="People of my scope by 工号 or name (recipient picker)")
@requires(SEND, BROADCAST, any_of=True)
def people(request, q: str = Query("", max_length=64)):
    return [{"id": s.pk, "employee_no": s.employee_no, "name": s.name, "org": s.org.name}
            for s in selectors.people_search(actor=actor_of(request), q=q)]
