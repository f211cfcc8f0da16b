"""Work-order kinds (SPEC §4) and their own fields, validated per kind.

Fields common to many queries (category, level, source, complainant type,
place) are columns on the order; the rest of a kind's fields live in
``details`` and are checked here. Pure Python, no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    BUSINESS = "business", _("Business request")
    FAULT = "fault", _("Fault report")
    COMPLAINT = "complaint", _("Complaint")
    APPEAL = "appeal", _("Appeal")
    SUGGESTION = "suggestion", _("Suggestion")
    COORDINATION = "coordination", _("Coordination order")


#: Serial-number prefix per kind (e.g. TS20261124000123 for a complaint).
SERIAL_PREFIX = {
    Kind.INQUIRY: "ZX",
    Kind.BUSINESS: "YW",
    Kind.FAULT: "GZ",
    Kind.COMPLAINT: "TS",
    Kind.APPEAL: "SS",
    Kind.SUGGESTION: "JY",
    Kind.COORDINATION: "XT",
}

COMPLAINANT_TYPES = {
    "ordinary": pgettext_lazy("work order field", "Ordinary customer"),
    "vip": pgettext_lazy("work order field", "VIP customer"),
    "agent": pgettext_lazy("work order field", "Agent / distributor"),
}
COMPLAINT_CATEGORIES = {
    "tariff": pgettext_lazy("work order field", "Tariff"),
    "service": pgettext_lazy("work order field", "Service"),
    "network": pgettext_lazy("work order field", "Network"),
    "business": pgettext_lazy("work order field", "Business"),
    "terminal": pgettext_lazy("work order field", "Terminal"),
    "other": pgettext_lazy("work order field", "Other"),
}
COMPLAINT_LEVELS = {
    "urgent": pgettext_lazy("work order field", "Major-urgent"),
    "general": pgettext_lazy("work order field", "General"),
    "complex": pgettext_lazy("work order field", "Complex"),
}
COMPLAINT_SOURCES = {
    "customer": pgettext_lazy("work order field", "Customer"),
    "city": pgettext_lazy("work order field", "City branch"),
    "province": pgettext_lazy("work order field", "Other province"),
}
APPEAL_SOURCES = {
    "supervision_hotline": pgettext_lazy("work order field", "Supervision hotline"),
    "customer": pgettext_lazy("work order field", "Customer"),
    "media": pgettext_lazy("work order field", "Media"),
    "consumer_association": pgettext_lazy("work order field", "Consumer association"),
    "province_department": pgettext_lazy("work order field", "Province departments"),
    "headquarters": pgettext_lazy("work order field", "Headquarters"),
    "regulator": pgettext_lazy("work order field", "Regulator"),
    "other_province": pgettext_lazy("work order field", "Other provinces"),
}
SUGGESTION_CATEGORIES = {
    "image": pgettext_lazy("work order field", "Corporate image"),
    "tariff": pgettext_lazy("work order field", "Tariffs"),
    "rules": pgettext_lazy("work order field", "Business rules"),
    "development": pgettext_lazy("work order field", "Business development"),
    "other": pgettext_lazy("work order field", "Other"),
}
SUGGESTION_VERDICTS = {
    "valid": pgettext_lazy("work order field", "Valid"),
    "invalid": pgettext_lazy("work order field", "Invalid"),
}
BUSINESS_TYPES = {
    "open": pgettext_lazy("work order field", "Open a service"),
    "change": pgettext_lazy("work order field", "Change a service"),
    "cancel": pgettext_lazy("work order field", "Cancel a service"),
    "transfer": pgettext_lazy("work order field", "Transfer ownership"),
    "pre_acceptance": pgettext_lazy("work order field", "Pre-acceptance for an account manager"),
}
FAULT_PRODUCTS = {
    "voice": pgettext_lazy("work order field", "Voice"),
    "data": pgettext_lazy("work order field", "Mobile data"),
    "sms": pgettext_lazy("work order field", "SMS"),
    "broadband": pgettext_lazy("work order field", "Broadband"),
    "terminal": pgettext_lazy("work order field", "Handset / terminal"),
    "other": pgettext_lazy("work order field", "Other"),
}
INQUIRY_TOPICS = {
    "tariff": pgettext_lazy("work order field", "Tariffs"),
    "business": pgettext_lazy("work order field", "Business rules"),
    "bill": pgettext_lazy("work order field", "Bill"),
    "network": pgettext_lazy("work order field", "Network coverage"),
    "other": pgettext_lazy("work order field", "Other"),
}


@dataclass(frozen=True)
class FieldRule:
    name: str
    label: Any
    choices: dict | None = None
    required: bool = False
    max_length: int = 200
    column: bool = False  # stored as a column of the order rather than in details
    value_type: str = "text"  # "text", or "datetime": a real date and time of day, stored as YYYY-MM-DD HH:MM


@dataclass(frozen=True)
class KindSpec:
    kind: str
    fields: tuple[FieldRule, ...] = field(default_factory=tuple)


SPECS: dict[str, KindSpec] = {
    Kind.INQUIRY: KindSpec(
        Kind.INQUIRY, (FieldRule("category", _("Topic"), INQUIRY_TOPICS, required=True, column=True),)
    ),
    Kind.BUSINESS: KindSpec(
        Kind.BUSINESS,
        (
            FieldRule("category", _("Business type"), BUSINESS_TYPES, required=True, column=True),
            FieldRule("product", _("Product or service"), required=True, max_length=100),
            FieldRule("account_manager", _("Account manager (employee number)"), max_length=32),
        ),
    ),
    Kind.FAULT: KindSpec(
        Kind.FAULT,
        (
            FieldRule("category", _("Product"), FAULT_PRODUCTS, required=True, column=True),
            FieldRule("symptom", _("Symptom"), required=True, max_length=500),
            FieldRule("fault_time", _("Time of the fault"), required=True, max_length=40, value_type="datetime"),
            FieldRule("place", _("Place of the fault"), required=True, max_length=200, column=True),
        ),
    ),
    Kind.COMPLAINT: KindSpec(
        Kind.COMPLAINT,
        (
            FieldRule(
                "complainant_type", _("Complainant type"), COMPLAINANT_TYPES, required=True, column=True
            ),
            FieldRule("category", _("Category"), COMPLAINT_CATEGORIES, required=True, column=True),
            FieldRule("level", _("Level"), COMPLAINT_LEVELS, required=True, column=True),
            FieldRule("source", _("Source"), COMPLAINT_SOURCES, required=True, column=True),
            FieldRule("place", _("Place"), max_length=200, column=True),
        ),
    ),
    Kind.APPEAL: KindSpec(
        Kind.APPEAL,
        (
            FieldRule("source", _("Appeal source"), APPEAL_SOURCES, required=True, column=True),
            FieldRule(
                "repeat",
                _("First or repeated"),
                {"first": _("First appeal"), "repeated": _("Repeated appeal")},
            ),
            FieldRule("category", _("Category"), COMPLAINT_CATEGORIES, column=True),
            FieldRule("level", _("Level"), COMPLAINT_LEVELS, column=True),
        ),
    ),
    Kind.SUGGESTION: KindSpec(
        Kind.SUGGESTION, (FieldRule("category", _("Category"), SUGGESTION_CATEGORIES, column=True),)
    ),
    Kind.COORDINATION: KindSpec(
        Kind.COORDINATION, (FieldRule("category", _("Subject"), max_length=100, column=True),)
    ),
}

COLUMN_FIELDS = ("category", "level", "source", "complainant_type", "place")

DATETIME_INPUT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
DATETIME_STORED_FORMAT = "%Y-%m-%d %H:%M"
MIN_YEAR, MAX_YEAR = 1900, 2999


def parse_field_datetime(value: str) -> datetime | None:
    """A kind field's date and time (``2026-02-03 14:30``, seconds and ``T`` allowed), or None if not one.

    ``strptime`` knows the calendar: 30 February or 25:61 is not a time.
    """
    for fmt in DATETIME_INPUT_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed if MIN_YEAR <= parsed.year <= MAX_YEAR else None
    return None


def validate_fields(kind: str, data: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any], dict[str, str]]:
    """Split and check a kind's fields.

    Returns ``(columns, details, errors)``: values for order columns, values for ``details``,
    and per-field error messages (empty when valid). Unknown fields are errors, not ignored.
    """
    spec = SPECS.get(kind)
    if spec is None:
        return {}, {}, {"kind": gettext("Unknown kind of work order.")}
    columns: dict[str, str] = {}
    details: dict[str, Any] = {}
    errors: dict[str, str] = {}
    known = {r.name for r in spec.fields}
    for name in data:
        if name not in known:
            errors[name] = gettext("This field does not belong to this kind of work order.")
    for rule in spec.fields:
        value = data.get(rule.name)
        value = "" if value is None else str(value).strip()
        if not value:
            if rule.required:
                errors[rule.name] = gettext("%(field)s is required.") % {"field": rule.label}
            continue
        if rule.choices is not None and value not in rule.choices:
            errors[rule.name] = gettext("“%(value)s” is not a valid choice for %(field)s.") % {
                "value": value,
                "field": rule.label,
            }
            continue
        if rule.value_type == "datetime":
            parsed = parse_field_datetime(value)
            if parsed is None:
                errors[rule.name] = gettext("%(field)s must be a real date and time, such as 2026-02-03 14:30.") % {
                    "field": rule.label,
                }
                continue
            value = parsed.strftime(DATETIME_STORED_FORMAT)
        if len(value) > rule.max_length:
            errors[rule.name] = gettext("%(field)s is too long (at most %(n)d characters).") % {
                "field": rule.label,
                "n": rule.max_length,
            }
            continue
        (columns if rule.column else details)[rule.name] = value
    return columns, details, errors


def choice_label(kind: str, name: str, value: str) -> str:
    spec = SPECS.get(kind)
    for rule in spec.fields if spec else ():
        if rule.name == name and rule.choices:
            return str(rule.choices.get(value, value))
    return value
