"""Recipients as each outlet needs them: mobile numbers, e-mail addresses, customers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed

_MOBILE = re.compile(r"^1\d{10}$")
_INTERNATIONAL = re.compile(r"^\+\d{8,15}$")


def number_normalize(raw: str) -> str:
    """An 11-digit mainland mobile number (from ``+86…`` or ``0086…`` too) or an international ``+…`` one."""
    number = re.sub(r"[\s\-()]", "", raw or "")
    for prefix in ("+86", "0086"):
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            number = number[len(prefix):]
    if _MOBILE.match(number) or _INTERNATIONAL.match(number):
        return number
    raise ValidationFailed(_("“%(number)s” is not a mobile number.") % {"number": raw[:40]},
                           code="invalid_recipient", details={"recipient": _("Enter an 11-digit mobile number.")})


def recipient_normalize(kind: str, raw: str, customer_id: int | None) -> str:
    raw = (raw or "").strip()
    if kind in ("sms", "call"):
        return number_normalize(raw)
    if kind == "email":
        try:
            validate_email(raw)
        except ValidationError:
            raise ValidationFailed(_("“%(address)s” is not an e-mail address.") % {"address": raw[:80]},
                                   code="invalid_recipient",
                                   details={"recipient": _("Enter an e-mail address.")}) from None
        local, _at, domain = raw.rpartition("@")
        return f"{local}@{domain.lower()}"
    if customer_id is None:
        raise ValidationFailed(_("An in-app message needs the customer."), code="customer_required")
    return raw or f"customer:{customer_id}"
