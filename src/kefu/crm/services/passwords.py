"""The service password (服务密码): verification with lockout, and staff reset.

Wrong tries are counted in their own committed transaction *before* the
caller hears about the lock, so an attacker cannot roll the counter back by
making the request fail. The lock lasts until staff holding
``crm.password.reset`` unlock or reset it (the customer proves identity at a
counter or to an agent); both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Locked, ValidationFailed
from kefu.params.selectors import param_get

from ..models import Customer
from ..validation import validate_service_password

MAX_FAILURES = "crm.service_password.max_failures"


@dataclass(frozen=True)
class VerifyResult:
    verified: bool
    remaining_tries: int


def _locked_error(customer: Customer) -> Locked:
    return Locked(
        _("The service password is locked after too many wrong tries; staff must unlock or reset it."),
        code="service_password_locked",
        details={"locked_at": customer.service_password_locked_at.isoformat()
                 if customer.service_password_locked_at else None},
    )


@transaction.atomic
def _check_and_count(*, actor, customer_id: int, password: str) -> tuple[Customer, VerifyResult]:
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    limit = param_get(MAX_FAILURES)
    if not customer.service_password:
        raise ValidationFailed(_("This customer has no service password yet."), code="service_password_not_set")
    if customer.service_password_is_locked:
        audit_record(actor=actor, action=AuditAction.OTHER, obj=customer,
                     note="service password try refused: locked")
        return customer, VerifyResult(verified=False, remaining_tries=0)
    # setter=None: never rehash here, the row is only written for the counters.
    if check_password(password or "", customer.service_password, setter=None):
        if customer.service_password_failures:
            customer.service_password_failures = 0
            customer.save(update_fields=["service_password_failures"])
        audit_record(actor=actor, action=AuditAction.OTHER, obj=customer, note="service password verified")
        return customer, VerifyResult(verified=True, remaining_tries=limit)
    customer.service_password_failures += 1
    fields = ["service_password_failures"]
    if customer.service_password_failures >= limit:
        customer.service_password_locked_at = clock.now()
        fields.append("service_password_locked_at")
    customer.save(update_fields=fields)
    audit_record(
        actor=actor, action=AuditAction.OTHER, obj=customer,
        note=f"service password wrong ({customer.service_password_failures}/{limit})",
    )
    if customer.service_password_is_locked:
        audit_record(actor=actor, action=AuditAction.LOCK, obj=customer, note="service password locked")
    return customer, VerifyResult(verified=False, remaining_tries=max(limit - customer.service_password_failures, 0))


def service_password_verify(*, actor, customer: Customer, password: str) -> VerifyResult:
    """Check a service password typed by the customer (IVR) or read out to an agent.

    Returns whether it matched and how many tries remain; raises ``Locked``
    (after committing the count) once the password is locked.
    """
    current, result = _check_and_count(actor=actor, customer_id=customer.pk, password=password)
    if current.service_password_is_locked:
        raise _locked_error(current)
    return result


@transaction.atomic
def service_password_unlock(*, actor, customer: Customer) -> Customer:
    """Clear the lock and the wrong-try count; the password stays as it was."""
    current = Customer.objects.select_for_update().get(pk=customer.pk)
    if not current.service_password_is_locked and not current.service_password_failures:
        return current
    before = {"failures": current.service_password_failures,
              "locked_at": current.service_password_locked_at}
    current.service_password_failures = 0
    current.service_password_locked_at = None
    current.save(update_fields=["service_password_failures", "service_password_locked_at"])
    audit_record(actor=actor, action=AuditAction.UNLOCK, obj=current, note="service password unlocked",
                 changes={"service_password_failures": [before["failures"], 0],
                          "service_password_locked_at": [before["locked_at"], None]})
    return current


@transaction.atomic
def service_password_reset(*, actor, customer: Customer, password: str) -> Customer:
    """Set a new service password chosen by the customer; also unlocks."""
    value = validate_service_password(password)
    current = Customer.objects.select_for_update().get(pk=customer.pk)
    had = bool(current.service_password)
    current.service_password = make_password(value)
    current.service_password_changed_at = clock.now()
    current.service_password_failures = 0
    current.service_password_locked_at = None
    current.save(update_fields=["service_password", "service_password_changed_at", "service_password_failures",
                                "service_password_locked_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current,
                 changes={"service_password": ["***" if had else None, "***"]},
                 note="service password reset")
    return current
