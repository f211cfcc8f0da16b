"""Typed shapes of the contact-center API (see api.py); lengths match the models so oversize input is a 400."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from kefu.core.schemas import DateTime, InputSchema

# --- Agent desktop ---------------------------------------------------------------


class LoginIn(InputSchema):
    extension: str = Field(..., min_length=1, max_length=16)


class StateIn(InputSchema):
    state: Literal["ready", "not_ready"]
    reason: str = Field("", max_length=12)


class TransferIn(InputSchema):
    """Exactly one target: a queue code, an agent's employee number or a telephone number."""

    to_queue: str = Field("", max_length=32)
    to_agent: str = Field("", max_length=32)
    to_number: str = Field("", max_length=20)


class ConferenceIn(InputSchema):
    number: str = Field(..., min_length=1, max_length=20)


class WrapUpIn(InputSchema):
    disposition: str = Field(..., min_length=1, max_length=32)
    notes: str = Field("", max_length=2000)


class SessionOut(Schema):
    id: int
    version: int = Field(description="Grows with every state change; a pushed agent.state event carries it, "
                         "so a desk that already shows that version need not fetch again.")
    extension: str
    state: str
    state_label: str
    reason: str
    reason_label: str
    since: datetime
    wrap_up_until: datetime | None = None


class OrderRef(Schema):
    serial: str
    title: str
    state: str


class OfferOut(Schema):
    id: int
    contact: int
    expires_at: datetime
    pop: dict
    script: str


class ActiveContactOut(Schema):
    id: int
    state: str = Field(description="dialling (a call Kefu places, not answered yet), connected, held, …")
    state_label: str
    channel: str
    direction: str = Field(description="in, or out for a call Kefu placed (a callback)")
    caller: str
    customer_id: int | None = None
    queue: str
    script: str
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    held_since: datetime | None = None
    conference: bool
    pop: dict
    orders: list[OrderRef]
    outbound: dict | None = Field(None, description="A call Kefu placed: its purpose, number, attempt and "
                                  "`detail` (a campaign's title, script and the outcomes to wrap up with)")


class TodayOut(Schema):
    handled: int
    aht_seconds: int | None = None


class QueueRef(Schema):
    code: str
    name: str
    channel: str = "voice"


class DeskDialOut(Schema):
    """The agent's latest dial: in progress, or how it ended (shown for a minute)."""

    id: int
    contact: int
    number: str
    purpose: str
    attempt: int
    state: str = Field(description="dialling, ringing, answered or failed")
    state_label: str
    outcome: str = Field(description="answered, no_answer, busy, answer_machine, rejected, invalid_number, "
                                     "timeout, cancelled; empty while in progress")
    outcome_label: str
    requested_at: datetime | None = None
    ended_at: datetime | None = None


class DeskOut(Schema):
    at: datetime
    session: SessionOut | None = None
    offer: OfferOut | None = None
    contacts: list[ActiveContactOut]
    wrap_up: ActiveContactOut | None = None
    dial: DeskDialOut | None = None
    today: TodayOut
    queues: list[QueueRef]


# --- Supervisor ----------------------------------------------------------------------


class QueueStatOut(Schema):
    id: int
    code: str
    name: str
    channel: str
    waiting: int
    longest_wait: int
    answered: int
    abandoned: int
    short_abandoned: int
    offered: int
    service_level: float | None = None
    sl_target_percent: int
    sl_target_seconds: int
    open: bool


class AgentContactOut(Schema):
    id: int
    caller: str
    customer: str
    tier: str
    queue: str
    state: str
    state_label: str


class AgentRowOut(Schema):
    staff: int
    name: str
    employee_no: str
    extension: str
    state: str
    state_label: str
    reason: str
    reason_label: str
    since: datetime
    contact: AgentContactOut | None = None


class SnapshotOut(Schema):
    at: datetime
    queues: list[QueueStatOut]
    agents: list[AgentRowOut]


class ForceIn(InputSchema):
    action: Literal["not_ready", "logout"]


class ForceOut(Schema):
    staff: int
    state: str
    state_label: str


# --- Queues ------------------------------------------------------------------------


class SkillReq(InputSchema):
    skill: str = Field(..., min_length=1, max_length=32)
    min_level: int = Field(1, ge=1, le=10)


class OverflowStepIO(InputSchema):
    after: int = Field(..., ge=1, le=86400)
    skills: list[SkillReq] = Field(..., min_length=1, max_length=20)


class QueueIn(InputSchema):
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=64)
    channel: str = Field("voice", max_length=8)
    org_id: int
    sl_target_percent: int = Field(80, ge=1, le=100)
    sl_target_seconds: int = Field(20, ge=1, le=3600)
    short_abandon_seconds: int = Field(5, ge=0, le=600)
    skills: list[SkillReq] = Field(..., min_length=1, max_length=20)
    overflow: list[OverflowStepIO] = Field(default_factory=list, max_length=20)
    max_wait_seconds: int = Field(300, ge=10, le=86400)
    max_wait_action: str = Field("callback", max_length=12)
    opening_hours: dict[str, list[str]] = Field(default_factory=dict)
    closed_message: str = Field("", max_length=300)
    script: str = Field("", max_length=5000)
    active: bool = True


class QueueOut(Schema):
    id: int
    code: str
    name: str
    channel: str
    org_id: int
    org_name: str
    sl_target_percent: int
    sl_target_seconds: int
    short_abandon_seconds: int
    skills: list[SkillReq]
    overflow: list[OverflowStepIO]
    max_wait_seconds: int
    max_wait_action: str
    opening_hours: dict[str, list[str]]
    closed_message: str
    script: str
    active: bool

    @staticmethod
    def resolve_org_name(obj) -> str:
        return obj.org.name

    @staticmethod
    def resolve_skills(obj) -> list[dict]:
        return [{"skill": s.skill_group.code, "min_level": s.min_level} for s in obj.skills.all()]

    @staticmethod
    def resolve_overflow(obj) -> list[dict]:
        return [{"after": int(st.get("after", 0)), "skills": [{"skill": c, "min_level": lvl}
                                                              for c, lvl in st.get("skills", [])]}
                for st in obj.overflow or []]


# --- Contact records ----------------------------------------------------------------


class ContactQuery(Schema):
    since: DateTime | None = None
    until: DateTime | None = None
    queue_id: int | None = None
    agent: str = Field("", max_length=32)
    channel: str = Field("", max_length=8)
    abandoned: bool | None = None
    caller: str = Field("", max_length=32)


class ContactRow(Schema):
    id: int
    channel: str
    direction: str
    caller: str
    called: str
    customer_id: int | None = None
    customer_name: str
    service_tier: str
    queue: str
    agent: str
    agent_name: str
    state: str
    started_at: datetime
    enqueued_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    wait_seconds: float | None = None
    hold_seconds: int
    offers: int
    transfers: int
    conference: bool
    abandoned: bool
    callback_requested: bool
    disposition: str

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.name if obj.customer_id else ""

    @staticmethod
    def resolve_queue(obj) -> str:
        return obj.queue.code if obj.queue_id else ""

    @staticmethod
    def resolve_agent(obj) -> str:
        return obj.agent.employee_no if obj.agent_id else ""

    @staticmethod
    def resolve_agent_name(obj) -> str:
        return obj.agent.name if obj.agent_id else ""


class EventOut(Schema):
    at: datetime
    kind: str
    agent: str
    data: dict


class ContactDetailOut(ContactRow):
    ivr_path: list
    identity_verified: bool
    wrap_up_ended_at: datetime | None = None
    notes: str
    events: list[EventOut]
    orders: list[OrderRef]

    @staticmethod
    def resolve_events(obj) -> list[dict]:
        return obj.events_out

    @staticmethod
    def resolve_orders(obj) -> list[dict]:
        return obj.orders_out


# --- Callbacks ----------------------------------------------------------------------


class CallbackQuery(Schema):
    state: Literal["", "waiting", "dialling", "done", "failed"] = ""
    since: DateTime | None = None


class DialAttemptOut(Schema):
    attempt: int
    dial_id: str
    number: str
    contact_id: int
    agent: str
    extension: str
    state: str
    outcome: str
    outcome_label: str
    cause: str
    requested_at: datetime | None = None
    ringing_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None

    @staticmethod
    def resolve_agent(obj) -> str:
        return obj.staff.employee_no if obj.staff_id else ""

    @staticmethod
    def resolve_outcome_label(obj) -> str:
        return obj.get_outcome_display() if obj.outcome else ""


class CallbackRow(Schema):
    id: int
    number: str
    customer_id: int | None = None
    customer_name: str
    queue: str
    reason: str
    reason_label: str
    state: str = Field(description="waiting, dialling, done or failed")
    state_label: str
    attempts: int
    last_outcome: str
    last_outcome_label: str
    requested_at: datetime
    next_attempt_at: datetime | None = None
    ended_at: datetime | None = None
    contact_id: int
    outbound_contact_id: int | None = None

    @staticmethod
    def resolve_customer_id(obj) -> int | None:
        return obj.contact.customer_id

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.contact.customer.name if obj.contact.customer_id else ""

    @staticmethod
    def resolve_queue(obj) -> str:
        return obj.queue.code

    @staticmethod
    def resolve_reason_label(obj) -> str:
        return obj.get_reason_display()

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()


class CallbackDetailOut(CallbackRow):
    dials: list[DialAttemptOut]

    @staticmethod
    def resolve_dials(obj) -> list:
        return obj.dials_out
