"""Format checks for customer data: certificate numbers, mobile numbers and
service passwords. Pure functions (no ORM) so the services, the forms and the
demo seeding share one definition of "valid"."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed

from .models import CertificateType

_MOBILE_RE = re.compile(r"^1\d{10}$")
_ID_CARD_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_RE = re.compile(rf"^[{_CREDIT_CHARS}]{{18}}$")
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_OTHER_FORMATS = {
    CertificateType.PASSPORT: re.compile(r"^[A-Z0-9]{5,17}$"),
    CertificateType.HK_MACAO: re.compile(r"^[HM]\d{8,10}$"),
    CertificateType.TAIWAN: re.compile(r"^\d{8}(\d{2})?$"),
    CertificateType.MILITARY: re.compile(r"^[0-9A-Z\u4e00-\u9fff]{4,20}$"),
}
SERVICE_PASSWORD_LENGTH = 6


def id_card_check_digit(first17: str) -> str:
    """GB 11643 check character of an 18-digit resident identity card number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def credit_code_check_char(first17: str) -> str:
    """GB 32100 check character of a unified social credit code."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def normalise_certificate(certificate_no: str) -> str:
    return (certificate_no or "").strip().upper().replace(" ", "")


def validate_certificate(certificate_type: str, certificate_no: str) -> str:
    """The normalised certificate number, or ValidationFailed saying what is wrong."""
    if certificate_type not in CertificateType.values:
        raise ValidationFailed(_("Unknown certificate type."), code="invalid_certificate_type")
    value = normalise_certificate(certificate_no)
    if not value:
        raise ValidationFailed(_("The certificate number is required."), code="certificate_required")
    if certificate_type == CertificateType.ID_CARD:
        if not _ID_CARD_RE.match(value):
            raise ValidationFailed(
                _("A resident identity card number has 17 digits followed by a digit or X."),
                code="invalid_certificate",
            )
        if id_card_check_digit(value[:17]) != value[17]:
            raise ValidationFailed(
                _("The identity card number's check digit is wrong; please check the number."),
                code="invalid_certificate",
            )
    elif certificate_type == CertificateType.CREDIT_CODE:
        if not _CREDIT_RE.match(value) or credit_code_check_char(value[:17]) != value[17]:
            raise ValidationFailed(
                _("A unified social credit code has 18 characters with a valid check character."),
                code="invalid_certificate",
            )
    elif not _OTHER_FORMATS[certificate_type].match(value):
        raise ValidationFailed(
            _("The certificate number does not have the format of a %(type)s.")
            % {"type": CertificateType(certificate_type).label},
            code="invalid_certificate",
        )
    return value


def is_mobile_number(value: str) -> bool:
    return bool(_MOBILE_RE.match(value or ""))


def validate_mobile(number: str) -> str:
    value = (number or "").strip().replace(" ", "").replace("-", "")
    if not is_mobile_number(value):
        raise ValidationFailed(
            _("“%(number)s” is not a mobile number: 11 digits starting with 1.") % {"number": number},
            code="invalid_number",
        )
    return value


def validate_service_password(password: str) -> str:
    """Six digits, and not one a stranger guesses first (111111, 123456, 654321)."""
    value = password or ""
    if len(value) != SERVICE_PASSWORD_LENGTH or not value.isascii() or not value.isdigit():
        raise ValidationFailed(
            _("The service password must be exactly 6 digits."), code="invalid_service_password"
        )
    steps = {int(b) - int(a) for a, b in zip(value, value[1:], strict=False)}
    if steps in ({0}, {1}, {-1}):
        raise ValidationFailed(
            _("The service password is too simple: avoid repeated or consecutive digits."),
            code="weak_service_password",
        )
    return value
