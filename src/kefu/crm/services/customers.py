"""Creating and changing customers, their accounts and subscribers."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record, snapshot
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed

from ..models import (
    Account,
    AccountStatus,
    Brand,
    CertificateType,
    Customer,
    CustomerKind,
    PayMethod,
    Subscriber,
    SubscriberStatus,
    Tier,
    VipLevel,
)
from ..validation import validate_certificate, validate_mobile, validate_service_password
from . import _checks as check
from ._checks import ACCOUNT_FIELDS, CUSTOMER_FIELDS, SUBSCRIBER_FIELDS


@dataclass(frozen=True)
class AccountSpec:
    """An account to open with a new customer; a blank number is generated."""

    name: str
    pay_method: str = PayMethod.CASH
    account_no: str = ""
    balance: Decimal | str | int = Decimal("0")


@dataclass(frozen=True)
class SubscriberSpec:
    """A line to open with a new customer; billed to ``account_no`` or the first account."""

    number: str
    brand: str
    plan: str = ""
    account_no: str = ""


def _new_account_no() -> str:
    # Twelve random digits; BOSS would assign these in production. Collisions
    # are checked by the caller (and the unique index is the last word).
    for _attempt in range(10):
        candidate = "7" + "".join(str(secrets.randbelow(10)) for _i in range(11))
        if not Account.objects.filter(account_no=candidate).exists():
            return candidate
    raise Conflict(_("Could not allocate an account number; try again."), code="account_no_exhausted")


def _check_profile(actor, c: Customer) -> None:
    """Validate (and normalise in place) the profile fields of ``c``."""
    c.name = check.text(c.name, model=Customer, field="name", required=True)
    c.address = check.text(c.address, model=Customer, field="address")
    check.choice(c.kind, CustomerKind, field="kind", label=_("customer kind"))
    check.choice(c.tier, Tier, field="tier", label=_("tier"))
    check.choice(c.vip_level or "", VipLevel, field="vip_level", label=_("VIP level"))
    c.vip_level = c.vip_level or ""
    if c.vip_level and c.tier != Tier.VIP:
        raise ValidationFailed(
            _("Only VIP customers have a VIP level."), code="vip_level_without_vip", details={"field": "vip_level"}
        )
    c.certificate_no = validate_certificate(c.certificate_type, c.certificate_no)
    if c.certificate_type == CertificateType.CREDIT_CODE and c.kind != CustomerKind.ENTERPRISE:
        raise ValidationFailed(
            _("A unified social credit code identifies an enterprise, not an individual."),
            code="certificate_kind_mismatch", details={"field": "certificate_type"},
        )
    check.check_org(actor, c.org)
    check.check_manager(actor, c.manager)


def _save_unique(obj, *, message, code: str) -> None:
    """Save, turning a lost race on a unique index into the same 409 as the pre-check."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise Conflict(message, code=code) from None


@transaction.atomic
def customer_create(
    *, actor, name: str, certificate_type: str, certificate_no: str, org, kind: str = CustomerKind.INDIVIDUAL,
    address: str = "", tier: str = Tier.STANDARD, vip_level: str = "", manager=None, service_password: str = "",
    accounts: Sequence[AccountSpec] = (), subscribers: Sequence[SubscriberSpec] = (),
) -> Customer:
    """Create a customer with its first accounts and subscribers, all or nothing."""
    customer = Customer(
        name=name, kind=kind, certificate_type=certificate_type, certificate_no=certificate_no, address=address,
        org=org, tier=tier, vip_level=vip_level, manager=manager,
    )
    _check_profile(actor, customer)
    check.check_certificate_free(customer.certificate_type, customer.certificate_no)
    if service_password:
        customer.service_password = make_password(validate_service_password(service_password))
        customer.service_password_changed_at = clock.now()
    if subscribers and not accounts:
        raise ValidationFailed(_("Open an account to bill the subscribers to."), code="account_required")
    _save_unique(customer, message=_("A customer with this certificate number already exists."),
                 code="duplicate_certificate")
    changes = check.masked_diff({}, snapshot(customer, CUSTOMER_FIELDS))
    if service_password:
        changes["service_password"] = [None, "***"]
    audit_record(actor=actor, action=AuditAction.CREATE, obj=customer, changes=changes)

    by_no: dict[str, Account] = {}
    for spec in accounts:
        account = account_create(actor=actor, customer=customer, name=spec.name, pay_method=spec.pay_method,
                                 account_no=spec.account_no, balance=spec.balance)
        by_no[account.account_no] = account
    first = next(iter(by_no.values()), None)
    for line in subscribers:
        home = by_no.get(line.account_no) if line.account_no else first
        if home is None:
            raise ValidationFailed(
                _("Account %(no)s is not one of this customer's new accounts.") % {"no": line.account_no},
                code="unknown_account", details={"field": "account_no"},
            )
        subscriber_create(actor=actor, customer=customer, account=home, number=line.number,
                          brand=line.brand, plan=line.plan)
    return customer


#: Profile fields ``customer_update`` may change.
UPDATABLE = frozenset(CUSTOMER_FIELDS)


@transaction.atomic
def customer_update(*, actor, customer: Customer, version: int, **changes) -> Customer:
    """Change profile fields, refusing if someone saved the customer since ``version`` was read."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationFailed(
            _("Field “%(field)s” cannot be changed here.") % {"field": sorted(unknown)[0]}, code="invalid_field"
        )
    current = Customer.objects.select_for_update().get(pk=customer.pk)
    if current.version != version:
        raise Conflict(
            _("Someone else changed this customer since you opened it; reload and try again."),
            code="stale_version", details={"current_version": current.version},
        )
    before = snapshot(current, CUSTOMER_FIELDS)
    for key, value in changes.items():
        setattr(current, key, value)
    _check_profile(actor, current)
    if (current.certificate_type, current.certificate_no) != (before["certificate_type"], before["certificate_no"]):
        check.check_certificate_free(current.certificate_type, current.certificate_no, exclude_pk=current.pk)
    if current.kind != CustomerKind.ENTERPRISE and current.subscribers.filter(brand=Brand.ENTERPRISE).exists():
        raise ValidationFailed(
            _("This customer has enterprise lines, so it must stay an enterprise customer."),
            code="kind_has_enterprise_lines", details={"field": "kind"},
        )
    changed = check.masked_diff(before, snapshot(current, CUSTOMER_FIELDS))
    if not changed:
        return current
    current.version += 1
    _save_unique(current, message=_("A customer with this certificate number already exists."),
                 code="duplicate_certificate")
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, changes=changed)
    return current


@transaction.atomic
def account_create(
    *, actor, customer: Customer, name: str, pay_method: str = PayMethod.CASH, account_no: str = "",
    balance: Decimal | str | int = Decimal("0"), status: str = AccountStatus.ACTIVE,
) -> Account:
    """Open an account for ``customer``."""
    account = Account(
        customer=customer,
        name=check.text(name, model=Account, field="name", required=True),
        pay_method=check.choice(pay_method, PayMethod, field="pay_method", label=_("payment method")),
        status=check.choice(status, AccountStatus, field="status", label=_("account status")),
        balance=check.balance(balance),
    )
    account_no = check.text(account_no, model=Account, field="account_no")
    if account_no:
        if not account_no.isalnum() or not account_no.isascii():
            raise ValidationFailed(_("An account number has letters and digits only."),
                                   code="invalid_account_no", details={"field": "account_no"})
        check.check_account_no_free(account_no)
    account.account_no = account_no or _new_account_no()
    _save_unique(account, message=_("Account number %(no)s is already in use.") % {"no": account.account_no},
                 code="duplicate_account_no")
    audit_record(actor=actor, action=AuditAction.CREATE, obj=account,
                 changes=check.masked_diff({}, snapshot(account, ACCOUNT_FIELDS)))
    return account


@transaction.atomic
def subscriber_create(
    *, actor, customer: Customer, account: Account, number: str, brand: str, plan: str = "",
    status: str = SubscriberStatus.ACTIVE, opened_at: datetime | None = None,
) -> Subscriber:
    """Open a line for ``customer``, billed to one of its accounts."""
    if account.customer_id != customer.pk:
        raise ValidationFailed(_("The account belongs to another customer."), code="account_mismatch",
                               details={"field": "account"})
    if account.status == AccountStatus.CLOSED:
        raise ValidationFailed(_("The account is closed."), code="account_closed", details={"field": "account"})
    number = validate_mobile(number)
    check.choice(brand, Brand, field="brand", label=_("brand"))
    if brand == Brand.ENTERPRISE and customer.kind != CustomerKind.ENTERPRISE:
        raise ValidationFailed(_("Enterprise lines belong to enterprise customers."), code="brand_kind_mismatch",
                               details={"field": "brand"})
    subscriber = Subscriber(
        customer=customer, account=account, number=number, brand=brand,
        plan=check.text(plan, model=Subscriber, field="plan"),
        status=check.choice(status, SubscriberStatus, field="status", label=_("subscriber status")),
        opened_at=opened_at or clock.now(),
    )
    check.check_number_free(number)
    _save_unique(subscriber, message=_("Number %(number)s already belongs to a subscriber.") % {"number": number},
                 code="duplicate_number")
    audit_record(actor=actor, action=AuditAction.CREATE, obj=subscriber,
                 changes=check.masked_diff({}, snapshot(subscriber, SUBSCRIBER_FIELDS)))
    return subscriber
