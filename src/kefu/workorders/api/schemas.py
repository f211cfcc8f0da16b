"""Typed shapes of the work-order API."""

from datetime import datetime, time

from ninja import Field, Schema

from kefu.core.schemas import InputSchema, Time


class OrderCreateIn(InputSchema):
    kind: str = Field(..., max_length=16, examples=["complaint"])
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=5000)
    fields: dict[str, str] = Field(default_factory=dict, description="The kind's own fields")
    customer_id: int | None = None
    subscriber_number: str | None = Field(None, max_length=20)
    channel: str = Field("phone", max_length=16)
    contact_number: str = Field("", max_length=32)
    origin_contact: str = Field("", max_length=64)
    appeal_of: str | None = Field(None, max_length=20, description="Serial of the complaint appealed")


class ActionIn(InputSchema):
    version: int = Field(..., description="The order version you saw (optimistic locking)")
    text: str = Field("", max_length=5000)
    outcome: str = Field("", max_length=16)
    to_org: str | None = Field(None, max_length=32, description="Organisation code")
    to_team: int | None = None
    to_staff: str | None = Field(None, max_length=32, description="Employee number")
    late_reason: str = Field("", max_length=500)
    satisfaction: int | None = Field(None, ge=1, le=5)
    fields: dict[str, str] = Field(default_factory=dict)


class OrderHolderOut(Schema):
    org: str
    org_name: str
    team: str | None = None
    staff: str | None = None
    staff_name: str | None = None


class OrderOut(Schema):
    id: int
    serial: str
    kind: str
    state: str
    station: str
    station_name: str
    priority: int
    service_tier: str
    title: str
    description: str
    category: str
    level: str
    source: str
    complainant_type: str
    place: str
    details: dict
    channel: str
    customer_id: int | None
    subscriber_id: int | None
    creator: str
    holder: OrderHolderOut
    created_at: datetime
    station_due_at: datetime | None
    reply_due_at: datetime | None
    is_overdue: bool
    result: str
    reply_text: str
    satisfaction: int | None
    verdict: str
    version: int
    actions: list[str] = []


class OrderRow(Schema):
    id: int
    serial: str
    kind: str
    state: str
    station: str
    priority: int
    service_tier: str
    title: str
    holder_org: str
    holder_staff: str | None
    created_at: datetime
    station_due_at: datetime | None
    is_overdue: bool


class StepOut(Schema):
    seq: int
    at: datetime
    actor: str
    action: str
    outcome: str
    from_station: str
    to_station: str
    text: str
    time_spent: int
    overdue: bool
    late_reason: str
    holder_org: str | None


class NoticeOut(Schema):
    id: int
    order_serial: str | None = None
    digest_id: int | None = None
    kind: str
    text: str
    created_at: datetime
    read_at: datetime | None


class TemplateOut(Schema):
    id: int
    kind: str
    name: str
    org: str | None
    product: str
    active: bool
    version: int
    definition: dict
    read_only: bool = Field(False, description="Serves organisations outside yours (or all of them): you may "
                                                  "read it but not change it.")


class TemplateIn(InputSchema):
    kind: str = Field(..., max_length=16)
    name: str = Field(..., max_length=100)
    org: str | None = Field(None, max_length=32)
    product: str = Field("", max_length=100)
    definition: dict


class TemplateVersionIn(InputSchema):
    definition: dict
    note: str = Field("", max_length=200)


class ForwardOut(Schema):
    id: int
    order_serial: str
    from_org: str
    to_org: str
    external: bool
    state: str
    text: str
    created_at: datetime
    delivered_at: datetime | None
    answered_at: datetime | None
    answer_text: str


class AnswerIn(InputSchema):
    answer: str = Field(..., max_length=5000)


class EndpointIn(InputSchema):
    org: str = Field(..., max_length=32)
    url: str = Field(..., max_length=300)
    secret: str = Field(..., min_length=16, max_length=100)
    active: bool = True


class PartyIn(InputSchema):
    base_province: str | None = Field(None, max_length=32, description="Code of a province center; null to clear")


class PartyOut(Schema):
    org: str
    base_province: str | None = None


class SubscriptionIn(InputSchema):
    name: str = Field(..., max_length=100)
    url: str = Field(..., max_length=300)
    secret: str = Field(..., min_length=16, max_length=100)
    events: list[str] = Field(default_factory=list)
    active: bool = True


class SubscriptionOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    active: bool


class CalendarIn(InputSchema):
    work_start: Time
    work_end: Time
    workdays: str = Field("12345", max_length=7, description="ISO weekdays, 1 = Monday")
    holidays: list[str] = Field(default_factory=list, max_length=400)
    extra_workdays: list[str] = Field(default_factory=list, max_length=400)


class CalendarOut(Schema):
    org: str
    work_start: time
    work_end: time
    workdays: str
    holidays: list[str]
    extra_workdays: list[str]
