"""The three-household model (三户模型): customer → account → subscriber."""

from .account import Account, AccountStatus, PayMethod
from .customer import CertificateType, Customer, CustomerKind, Tier, VipLevel
from .subscriber import Brand, Subscriber, SubscriberStatus

__all__ = [
    "Account",
    "AccountStatus",
    "Brand",
    "CertificateType",
    "Customer",
    "CustomerKind",
    "PayMethod",
    "Subscriber",
    "SubscriberStatus",
    "Tier",
    "VipLevel",
]
