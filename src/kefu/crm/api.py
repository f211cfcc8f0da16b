"""Customer API (/api/crm/): search, 360, create/update, accounts, subscribers,
reveal, and the service password. Validate → service/selector → schema.

Read responses carry certificate numbers and addresses masked; the reveal
endpoint is the only way to the clear values (audited).
"""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.pagination import Pagination
from kefu.core.schemas import InputSchema, Money
from kefu.iam.selectors import staff_get
from kefu.orgs.selectors import org_get_visible

from . import selectors, services
from .masking import mask_certificate

if TYPE_CHECKING:
    from kefu.iam.models import Staff
    from kefu.orgs.models import Organisation

router = Router(tags=["customers"])


# --- schemas ------------------------------------------------------------------


class CustomerOrgRef(Schema):
    id: int
    code: str
    name: str


class StaffRef(Schema):
    id: int
    employee_no: str
    name: str


class LineOut(Schema):
    number: str
    brand: str
    status: str


class CustomerRow(Schema):
    id: int
    name: str
    kind: str
    tier: str
    vip_level: str
    certificate_type: str
    certificate_no_masked: str
    org: CustomerOrgRef
    manager: StaffRef | None
    lines: list[LineOut]

    @staticmethod
    def resolve_certificate_no_masked(obj) -> str:
        return mask_certificate(obj.certificate_no)

    @staticmethod
    def resolve_lines(obj) -> list:
        return getattr(obj, "first_lines", [])


class AccountOut(Schema):
    id: int
    account_no: str
    name: str
    pay_method: str
    balance: Decimal
    status: str
    created_at: datetime


class SubscriberOut(Schema):
    id: int
    number: str
    brand: str
    plan: str
    status: str
    opened_at: datetime
    account_id: int


class PasswordStatus(Schema):
    is_set: bool
    failures: int
    locked_at: datetime | None
    changed_at: datetime | None


class Customer360Out(Schema):
    id: int
    name: str
    kind: str
    tier: str
    vip_level: str
    service_tier: str
    certificate_type: str
    certificate_no_masked: str
    address_masked: str
    org: CustomerOrgRef
    manager: StaffRef | None
    version: int
    created_at: datetime
    updated_at: datetime
    service_password: PasswordStatus
    accounts: list[AccountOut]
    account_count: int
    subscribers: list[SubscriberOut]
    subscriber_count: int


class SearchIn(Schema):
    q: str = Field("", max_length=100, description="A number, a certificate number or the start of a name")
    number: str = Field("", max_length=20)
    name: str = Field("", max_length=100)
    name_match: Literal["prefix", "contains"] = "prefix"
    certificate_no: str = Field("", max_length=32)
    tier: Literal["", "vip", "standard"] = ""
    brand: Literal["", "gotone", "mzone", "easyown", "enterprise"] = ""
    org_id: int | None = None


class NewAccountIn(InputSchema):
    name: str = Field(..., max_length=100)
    pay_method: str = Field("cash", max_length=16)
    account_no: str = Field("", max_length=32)
    balance: Money = Field(Decimal("0"), max_digits=14, decimal_places=2)


class NewSubscriberIn(InputSchema):
    number: str = Field(..., max_length=20)
    brand: str = Field(..., max_length=16)
    plan: str = Field("", max_length=100)
    account_no: str = Field("", max_length=32, description="One of the new accounts; blank = the first")


class CustomerIn(InputSchema):
    name: str = Field(..., max_length=100)
    kind: str = Field("individual", max_length=16)
    certificate_type: str = Field("id_card", max_length=16)
    certificate_no: str = Field(..., max_length=32)
    address: str = Field("", max_length=200)
    org_id: int
    tier: str = Field("standard", max_length=16)
    vip_level: str = Field("", max_length=16)
    manager_id: int | None = None
    service_password: str = Field("", max_length=32)
    accounts: list[NewAccountIn] = Field(default_factory=list, max_length=20)
    subscribers: list[NewSubscriberIn] = Field(default_factory=list, max_length=50)


class CustomerPatch(InputSchema):
    version: int = Field(..., description="The version read; a stale one gets 409")
    name: str | None = Field(None, max_length=100)
    kind: str | None = Field(None, max_length=16)
    certificate_type: str | None = Field(None, max_length=16)
    certificate_no: str | None = Field(None, max_length=32)
    address: str | None = Field(None, max_length=200)
    org_id: int | None = None
    tier: str | None = Field(None, max_length=16)
    vip_level: str | None = Field(None, max_length=16)
    manager_id: int | None = Field(None, description="null clears the customer manager")


class AccountIn(NewAccountIn):
    status: str = Field("active", max_length=16)


class SubscriberIn(InputSchema):
    account_id: int
    number: str = Field(..., max_length=20)
    brand: str = Field(..., max_length=16)
    plan: str = Field("", max_length=100)


class RevealOut(Schema):
    certificate_no: str
    address: str


class ServicePasswordIn(InputSchema):
    password: str = Field(..., max_length=32)


class VerifyOut(Schema):
    verified: bool
    remaining_tries: int


# --- helpers ------------------------------------------------------------------


def _org(actor, org_id: int) -> "Organisation":
    """The home branch named by id; one outside the actor's scope is answered like one that does not exist."""
    try:
        return org_get_visible(actor=actor, org_id=org_id)
    except NotFound:
        raise ValidationFailed(_("Organisation %(code)s does not exist or is outside your scope.") % {"code": org_id},
                               code="org_not_found", details={"field": "org_id"}) from None


def _manager(actor, staff_id: int | None) -> "Staff | None":
    """The customer manager named by id; one outside the actor's scope is answered like one that does not exist."""
    if staff_id is None:
        return None
    try:
        return staff_get(actor=actor, staff_id=staff_id)
    except NotFound:
        raise ValidationFailed(_("Staff member %(no)s does not exist.") % {"no": staff_id},
                               code="invalid_manager", details={"field": "manager_id"}) from None


def _password_status(c) -> dict:
    return {"is_set": c.service_password_is_set, "failures": c.service_password_failures,
            "locked_at": c.service_password_locked_at, "changed_at": c.service_password_changed_at}


def _out_360(view: selectors.Customer360) -> dict:
    c = view.customer
    return {
        "id": c.pk, "name": c.name, "kind": c.kind, "tier": c.tier, "vip_level": c.vip_level,
        "service_tier": view.service_tier, "certificate_type": c.certificate_type,
        "certificate_no_masked": view.certificate_no_masked, "address_masked": view.address_masked,
        "org": c.org, "manager": c.manager, "version": c.version, "created_at": c.created_at,
        "updated_at": c.updated_at,
        "service_password": _password_status(c),
        "accounts": view.accounts, "account_count": view.account_count,
        "subscribers": view.subscribers, "subscriber_count": view.subscriber_count,
    }


def _view(request, customer_id: int) -> dict:
    return _out_360(selectors.customer_360(actor=actor_of(request), customer_id=customer_id))


# --- endpoints ----------------------------------------------------------------


@router.get("/customers", response=list[CustomerRow], summary="Search customers")
@requires("crm.customer.view")
@paginate(Pagination)
def customer_list(request, filters: Query[SearchIn]):
    """Scoped to the caller's organisations; every search is audited with its conditions."""
    return selectors.customer_search(actor=actor_of(request), filters=selectors.CustomerFilters(**filters.dict()))


@router.get("/customers/{customer_id}", response=Customer360Out, summary="Customer 360")
@requires("crm.customer.view")
def customer_detail(request, customer_id: int):
    return _view(request, customer_id)


@router.post("/customers", response={201: Customer360Out}, summary="Create a customer")
@requires("crm.customer.edit")
def customer_create(request, payload: CustomerIn):
    data = payload.dict()
    customer = services.customer_create(
        actor=actor_of(request), name=data["name"], kind=data["kind"], certificate_type=data["certificate_type"],
        certificate_no=data["certificate_no"], address=data["address"], org=_org(actor_of(request), data["org_id"]),
        tier=data["tier"], vip_level=data["vip_level"], manager=_manager(actor_of(request), data["manager_id"]),
        service_password=data["service_password"],
        accounts=[services.AccountSpec(**a) for a in data["accounts"]],
        subscribers=[services.SubscriberSpec(**s) for s in data["subscribers"]],
    )
    return 201, _view(request, customer.pk)


@router.patch("/customers/{customer_id}", response=Customer360Out, summary="Update a customer")
@requires("crm.customer.edit")
def customer_update(request, customer_id: int, payload: CustomerPatch):
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if "org_id" in changes:
        org_id = changes.pop("org_id")
        if org_id is None:
            raise ValidationFailed(_("Choose the customer's home branch."), code="required",
                                   details={"field": "org_id"})
        changes["org"] = _org(actor, org_id)
    if "manager_id" in changes:
        changes["manager"] = _manager(actor, changes.pop("manager_id"))
    for key, value in list(changes.items()):
        if value is None and key != "manager":
            raise ValidationFailed(_("%(field)s cannot be null.") % {"field": key}, code="required",
                                   details={"field": key})
    services.customer_update(actor=actor, customer=customer, version=version, **changes)
    return _view(request, customer.pk)


@router.post("/customers/{customer_id}/accounts", response={201: AccountOut}, summary="Open an account")
@requires("crm.customer.edit")
def account_create(request, customer_id: int, payload: AccountIn):
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    return 201, services.account_create(actor=actor, customer=customer, **payload.dict())


@router.post("/customers/{customer_id}/subscribers", response={201: SubscriberOut}, summary="Open a line")
@requires("crm.customer.edit")
def subscriber_create(request, customer_id: int, payload: SubscriberIn):
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    data = payload.dict()
    account = customer.accounts.filter(pk=data.pop("account_id")).first()
    if account is None:
        raise ValidationFailed(_("The account belongs to another customer."), code="account_mismatch",
                               details={"field": "account_id"})
    return 201, services.subscriber_create(actor=actor, customer=customer, account=account, **data)


@router.post("/customers/{customer_id}/reveal", response=RevealOut, summary="Reveal certificate number and address")
@requires("crm.customer.view", "crm.customer.reveal")
def customer_reveal(request, customer_id: int):
    """Returns the clear values and writes a REVEAL entry to the audit log."""
    return selectors.customer_reveal(actor=actor_of(request), customer_id=customer_id)


@router.post("/customers/{customer_id}/service-password/verify", response=VerifyOut,
             summary="Verify a service password")
@requires("crm.customer.view")
def service_password_verify(request, customer_id: int, payload: ServicePasswordIn):
    """``verified`` false with the tries left; 423 once locked."""
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    result = services.service_password_verify(actor=actor, customer=customer, password=payload.password)
    return {"verified": result.verified, "remaining_tries": result.remaining_tries}


@router.post("/customers/{customer_id}/service-password/unlock", response=PasswordStatus,
             summary="Unlock a service password")
@requires("crm.password.reset")
def service_password_unlock(request, customer_id: int):
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    return _password_status(services.service_password_unlock(actor=actor, customer=customer))


@router.post("/customers/{customer_id}/service-password/reset", response=PasswordStatus,
             summary="Reset a service password")
@requires("crm.password.reset")
def service_password_reset(request, customer_id: int, payload: ServicePasswordIn):
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    return _password_status(services.service_password_reset(actor=actor, customer=customer,
                                                             password=payload.password))

