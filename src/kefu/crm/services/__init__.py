"""Writes to customer data. Every service runs in one transaction with its
audit entry; the UI, the API and the demo seeding all go through here.

Services check business rules and that the actor may place data in the
organisation named; *finding* a customer the actor may see is the caller's
job, through ``kefu.crm.selectors.customer_get``.
"""

from .customers import (
    AccountSpec,
    SubscriberSpec,
    account_create,
    customer_create,
    customer_update,
    subscriber_create,
)
from .passwords import (
    VerifyResult,
    service_password_reset,
    service_password_unlock,
    service_password_verify,
)

__all__ = [
    "AccountSpec",
    "SubscriberSpec",
    "VerifyResult",
    "account_create",
    "customer_create",
    "customer_update",
    "service_password_reset",
    "service_password_unlock",
    "service_password_verify",
    "subscriber_create",
]
