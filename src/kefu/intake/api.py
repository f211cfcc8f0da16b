"""Intake API (/api/intake/): hotline mailboxes, e-mail conversations and answers, letters and walk-ins."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kefu.core.access import actor_of, requires
from kefu.core.errors import ValidationFailed
from kefu.core.schemas import DateTime, InputSchema

from . import inputs, selectors
from .links import order_link
from .models import Registration
from .services import mailboxes, registrations
from .services.inbound import mailbox_poll
from .services.outbound import email_answer

router = Router(tags=["intake"])


class MailboxOut(Schema):
    id: int
    hotline: str
    name: str
    org: int = Field(..., alias="org_id")
    queue: int = Field(..., alias="queue_id")
    imap_host: str
    imap_port: int
    imap_security: str
    imap_user: str
    has_password: bool
    folder: str
    smtp_from: str
    enabled: bool
    uidvalidity: int | None
    last_uid: int
    last_polled_at: datetime | None
    last_error: str
    version: int


class MailboxIn(InputSchema):
    hotline: str = Field(..., max_length=32)
    name: str = Field(..., max_length=64)
    org: int
    queue: int
    imap_host: str = Field(..., max_length=200)
    imap_port: int = Field(993, ge=1, le=65535)
    imap_security: str = Field("ssl", max_length=8)
    imap_user: str = Field(..., max_length=200)
    password: str | None = Field(None, max_length=200, description="Write-only; omit to keep the one set.")
    folder: str = Field("INBOX", max_length=100)
    smtp_from: str = Field(..., max_length=200)
    enabled: bool = True
    version: int | None = None


class TestOut(Schema):
    ok: bool
    uidvalidity: int
    messages: int


class PollOut(Schema):
    accepted: int
    refused: int
    seen: int
    error: str = ""


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    refused: str


class MailMessageOut(Schema):
    id: int
    direction: str
    status: str
    problem: str
    subject: str
    from_addr: str
    to_addr: str
    body: str
    message_id: str
    in_reply_to: str
    order_serial: str
    at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class ConversationRow(Schema):
    id: int
    mailbox: int = Field(..., alias="mailbox_id")
    subject: str
    correspondent: str
    order_serial: str
    contact: int | None = Field(None, alias="contact_id")
    contact_state: str = ""
    awaiting_answer: bool
    updated_at: datetime

    @staticmethod
    def resolve_contact_state(obj) -> str:
        return obj.contact.state if obj.contact is not None else ""


class ConversationOut(ConversationRow):
    messages: list[MailMessageOut]
    orders: list[str]

    @staticmethod
    def resolve_messages(obj) -> list:
        return selectors.conversation_messages(obj)

    @staticmethod
    def resolve_orders(obj) -> list[str]:
        return [o.serial for o in obj.orders_shown]


class EmailAnswerIn(InputSchema):
    text: str = Field(..., max_length=20000)


class RegistrationIn(InputSchema):
    kind: str = Field(..., max_length=8, description="letter or walk_in")
    org: int = Field(..., description="The service hall or office that received it")
    subscriber_number: str = Field("", max_length=20, description="Empty: the customer is unknown")
    person: str = Field("", max_length=100)
    reply_address: str = Field("", max_length=200)
    summary: str = Field(..., max_length=5000)
    received_at: DateTime | None = None
    scan_name: str = Field("", max_length=200)
    scan_base64: str = Field("", max_length=20_000_000)


class RegistrationOut(Schema):
    id: int
    kind: str
    contact: int = Field(..., alias="contact_id")
    org: int = Field(..., alias="org_id")
    customer: int | None = Field(None, alias="customer_id")
    person: str
    reply_address: str
    summary: str
    received_at: datetime
    registered_by: str
    scan_name: str
    scan_size: int
    order_url: str

    @staticmethod
    def resolve_registered_by(obj) -> str:
        return obj.registered_by.employee_no

    @staticmethod
    def resolve_order_url(obj) -> str:
        return order_link(obj.contact_id, obj.customer_id)


# --- mailboxes ---------------------------------------------------------------------------------


@router.get("/mailboxes", response=list[MailboxOut], summary="Hotline mailboxes")
@requires("intake.mailbox.view")
def mailbox_list(request):
    return list(selectors.mailbox_list(actor=actor_of(request)))


@router.post("/mailboxes", response={201: MailboxOut}, summary="Set up a hotline mailbox")
@requires("intake.mailbox.edit")
def mailbox_create(request, payload: MailboxIn):
    actor = actor_of(request)
    return 201, mailboxes.mailbox_create(actor=actor, data=inputs.mailbox_input(actor, payload.dict()))


@router.get("/mailboxes/{mailbox_id}", response=MailboxOut, summary="One hotline mailbox")
@requires("intake.mailbox.view")
def mailbox_get(request, mailbox_id: int):
    return selectors.mailbox_get(actor=actor_of(request), mailbox_id=mailbox_id)


@router.put("/mailboxes/{mailbox_id}", response=MailboxOut, summary="Change a hotline mailbox")
@requires("intake.mailbox.edit")
def mailbox_update(request, mailbox_id: int, payload: MailboxIn):
    actor = actor_of(request)
    mailbox = selectors.mailbox_get(actor=actor, mailbox_id=mailbox_id)
    return mailboxes.mailbox_update(actor=actor, mailbox_id=mailbox.pk, version=payload.version,
                                    data=inputs.mailbox_input(actor, payload.dict()))


@router.post("/mailboxes/{mailbox_id}/test", response=TestOut, summary="Connect to the mailbox's IMAP server")
@requires("intake.mailbox.edit")
def mailbox_test(request, mailbox_id: int):
    actor = actor_of(request)
    folder = mailboxes.mailbox_test(actor=actor, mailbox=selectors.mailbox_get(actor=actor, mailbox_id=mailbox_id))
    return {"ok": True, "uidvalidity": folder.uidvalidity, "messages": folder.exists}


@router.post("/mailboxes/{mailbox_id}/poll", response=PollOut, summary="Read the mailbox's new e-mails now")
@requires("intake.mailbox.edit")
def mailbox_read_now(request, mailbox_id: int):
    mailbox = selectors.mailbox_get(actor=actor_of(request), mailbox_id=mailbox_id)
    return mailbox_poll(mailbox_id=mailbox.pk)


# --- e-mail conversations --------------------------------------------------------------------------


@router.get("/conversations", response=list[ConversationRow], summary="E-mail conversations, newest first")
@requires("intake.email.view")
def conversation_list(request, awaiting: bool | None = None, mine: bool = False):
    return selectors.conversation_list(actor=actor_of(request), awaiting=awaiting, mine=mine)


def _conversation_out(actor, conv):
    conv.orders_shown = selectors.conversation_orders(actor=actor, conversation=conv)
    return conv


@router.get("/conversations/{conversation_id}", response=ConversationOut, summary="One e-mail conversation")
@requires("intake.email.view")
def conversation_get(request, conversation_id: int):
    actor = actor_of(request)
    return _conversation_out(actor, selectors.conversation_get(actor=actor, conversation_id=conversation_id))


@router.post("/conversations/{conversation_id}/answer", response={201: MailMessageOut},
             summary="Answer the conversation by e-mail (SMTP)")
@requires("intake.email.view", "intake.email.answer")
def conversation_answer(request, conversation_id: int, payload: EmailAnswerIn):
    actor = actor_of(request)
    conv = selectors.conversation_get(actor=actor, conversation_id=conversation_id)
    orders = selectors.conversation_orders(actor=actor, conversation=conv)
    return 201, email_answer(actor=actor, conversation=conv, text=payload.text, orders=orders)


# --- letters and walk-ins -------------------------------------------------------------------------


@router.get("/registrations", response=list[RegistrationOut], summary="Registered letters and walk-ins")
@requires("intake.register.view")
def registration_list(request, kind: str = ""):
    if kind and kind not in Registration.Kind.values:
        raise ValidationFailed(_("Choose letter or walk-in."), code="invalid", details={"kind": _("unknown")})
    return selectors.registration_list(actor=actor_of(request), kind=kind)


@router.post("/registrations", response={201: RegistrationOut}, summary="Register a letter or a walk-in visit")
@requires("intake.register.create")
def registration_create(request, payload: RegistrationIn):
    actor = actor_of(request)
    reg = registrations.registration_create(
        actor=actor, kind=payload.kind, org=inputs.org_of(actor, payload.org),
        subscriber=inputs.subscriber_of(actor, payload.subscriber_number), person=payload.person,
        reply_address=payload.reply_address, summary=payload.summary, received_at=payload.received_at,
        scan_name=payload.scan_name, scan_data=inputs.scan_bytes(payload.scan_base64))
    return 201, reg


@router.get("/registrations/{registration_id}", response=RegistrationOut, summary="One letter or walk-in")
@requires("intake.register.view")
def registration_get(request, registration_id: int):
    return selectors.registration_get(actor=actor_of(request), registration_id=registration_id)
