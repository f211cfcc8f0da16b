"""The do-not-call list: numbers added one by one or imported, and removed; every change audited."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_delete, audit_record
from kefu.core.errors import NotFound, ValidationFailed

from .. import rules
from ..models import DoNotCall

FIELDS = ("number", "reason")


def _number(raw: str) -> str:
    number = rules.number_normalize(raw)
    if number is None:
        raise ValidationFailed(_("“%(number)s” is not a telephone number.") % {"number": (raw or "")[:40]},
                               code="invalid_number", details={"number": _("Enter an 11-digit mobile number "
                                                                           "or an area code and number.")})
    return number


@transaction.atomic
def dnc_add(*, actor, number: str, reason: str = "") -> DoNotCall:
    number = _number(number)
    if DoNotCall.objects.filter(number=number).exists():
        raise ValidationFailed(_("%(number)s is already on the list.") % {"number": number}, code="duplicate",
                               details={"number": _("Already on the list.")})
    entry = DoNotCall.objects.create(number=number, reason=(reason or "").strip()[:200], created_by=actor)
    audit_create(actor=actor, obj=entry, fields=FIELDS)
    return entry


@transaction.atomic
def dnc_remove(*, actor, entry_id: int) -> None:
    entry = DoNotCall.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("Number not found on the do-not-call list."), code="dnc_not_found")
    audit_delete(actor=actor, obj=entry, fields=FIELDS)
    entry.delete()


@transaction.atomic
def dnc_import(*, actor, content: bytes, reason: str = "") -> dict:
    """Numbers from a CSV (first column; a header row is skipped): added, already listed, or invalid rows."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("gb18030", errors="replace")
    invalid: list[int] = []
    numbers: dict[str, str] = {}
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        raise ValidationFailed(_("The file is not a CSV list of numbers."), code="invalid_file") from None
    for i, cells in enumerate(rows, 1):
        if not cells or not cells[0].strip():
            continue
        number = rules.number_normalize(cells[0])
        if number is None:
            if i > 1:
                invalid.append(i)
            continue
        numbers.setdefault(number, (cells[1].strip() if len(cells) > 1 else "") or reason)
    if len(numbers) > 200_000:
        raise ValidationFailed(_("A list has at most %(n)s rows.") % {"n": 200_000}, code="too_many_rows")
    listed: set[str] = set()
    keys = list(numbers)
    for i in range(0, len(keys), 1000):
        listed.update(DoNotCall.objects.filter(number__in=keys[i:i + 1000]).values_list("number", flat=True))
    new = [DoNotCall(number=n, reason=r[:200], created_by=actor) for n, r in numbers.items() if n not in listed]
    DoNotCall.objects.bulk_create(new, batch_size=1000)
    result = {"added": len(new), "already": len(listed), "invalid_rows": invalid[:100], "invalid": len(invalid)}
    audit_record(actor=actor, action=AuditAction.CREATE, object_type="campaigns.donotcall",
                 object_repr="do-not-call import", changes={k: [None, v] for k, v in result.items()
                                                            if k != "invalid_rows"}, result_count=len(new))
    return result
