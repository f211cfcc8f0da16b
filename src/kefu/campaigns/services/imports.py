"""Target lists read in the background: a CSV or XLSX file, or a saved customer query, with progress.

Each row is checked: the number's format, a duplicate (in the file or already in the campaign), the
customer it belongs to (known or not, within the importer's scope), and the exclusions — the do-not-call
list, opt-outs from calls of the campaign's purpose (kefu.outlets), a call by any campaign in the last
``recent_days``. Rejected rows are not imported; excluded ones are kept as excluded targets (so the
result says why they were not called). Both are listed in the downloadable report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed

from .. import rules
from ..models import (
    OPTOUT_PURPOSE,
    Attempt,
    Campaign,
    DoNotCall,
    Exclusion,
    Target,
    TargetImport,
    TargetState,
)

CHUNK = 2_000
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
NUMBER_HEADERS = {"number", "phone", "mobile", "号码", "手机号", "手机号码", "电话", "电话号码"}
NAME_HEADERS = {"name", "姓名", "客户姓名", "客户名称"}
NOTE_HEADERS = {"note", "备注", "说明"}
REPORT_COLUMNS = ["row", "number", "name", "result", "reason"]


def _reasons() -> dict[str, str]:
    return {
        "invalid_number": _("Not a telephone number (11-digit mobile or area code + number)."),
        "duplicate_file": _("Duplicate: the number is already on an earlier row."),
        "duplicate_campaign": _("Duplicate: the number is already in the campaign."),
        Exclusion.DO_NOT_CALL: _("Excluded: on the do-not-call list."),
        Exclusion.OPTED_OUT: _("Excluded: the customer opted out."),
        Exclusion.RECENT: _("Excluded: contacted by a campaign recently."),
    }


def _editable(campaign: Campaign) -> None:
    if not campaign.open:
        raise ValidationFailed(_("Targets can be added to open campaigns only."), code="invalid_state")


@transaction.atomic
def import_request(*, actor, campaign: Campaign, upload) -> TargetImport:
    """Keep the uploaded file and queue its import (the worker reads it, with progress)."""
    _editable(campaign)
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith((".csv", ".xlsx")):
        raise ValidationFailed(_("Upload a CSV or XLSX file."), code="invalid_format", details={"file": name[-40:]})
    if upload.size > MAX_BYTES:
        raise ValidationFailed(_("The file is larger than 20 MB."), code="file_too_large")
    imp = TargetImport(campaign=campaign, owner=actor, source="file", filename=name[:200])
    imp.file.save(f"targets-{campaign.pk}{'.xlsx' if name.endswith('.xlsx') else '.csv'}", upload, save=False)
    imp.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=campaign, object_repr=campaign.name,
                 note=f"target list {imp.filename} (import {imp.pk})")
    return imp


@transaction.atomic
def import_query_request(*, actor, campaign: Campaign, filters: dict) -> TargetImport:
    """Queue the targets of a customer query (the customer search's conditions: tier, brand, organisation…)."""
    from kefu.crm.selectors import CustomerFilters

    _editable(campaign)
    allowed = {"q", "number", "name", "name_match", "certificate_no", "tier", "brand", "org_id"}
    clean = {k: v for k, v in (filters or {}).items() if k in allowed and v not in ("", None)}
    if not clean:
        raise ValidationFailed(_("Give at least one condition of the customer query."), code="empty_query")
    try:
        CustomerFilters(**clean)
    except TypeError:
        raise ValidationFailed(_("Unknown condition in the customer query."), code="invalid_query") from None
    imp = TargetImport.objects.create(campaign=campaign, owner=actor, source="query", query=clean,
                                      filename=_("Customer query"))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=campaign, object_repr=campaign.name,
                 conditions=clean, note=f"customer query (import {imp.pk})")
    return imp


def _file_rows(imp: TargetImport) -> list[tuple[int, str, str, str]]:
    """``(row number, number, name, note)`` from the file; a header row is recognised by its words."""
    imp.file.open("rb")
    try:
        data = imp.file.read()
    finally:
        imp.file.close()
    if (imp.file.name or "").endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # not a workbook at all: zip, XML or format errors alike
            raise ValidationFailed(_("The file is not an XLSX workbook."), code="invalid_file") from None
        raw: Iterator = ([("" if v is None else str(v)) for v in row] for row in wb.active.iter_rows(values_only=True))
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed(_("The file is neither UTF-8 nor GB18030 text."), code="invalid_encoding")
        if "\x00" in text:
            raise ValidationFailed(_("The file is not a CSV list of numbers."), code="invalid_file")
        raw = csv.reader(io.StringIO(text))
    rows: list[tuple[int, str, str, str]] = []
    columns = (0, 1, 2)
    for i, cells in enumerate(raw, 1):
        cells = [c.strip() for c in cells]
        if i == 1:
            heads = [c.lower() for c in cells]
            if any(h in NUMBER_HEADERS for h in heads):
                columns = tuple(next((j for j, h in enumerate(heads) if h in names), -1)  # type: ignore[assignment]
                                for names in (NUMBER_HEADERS, NAME_HEADERS, NOTE_HEADERS))
                continue
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationFailed(_("A list has at most %(n)s rows.") % {"n": MAX_ROWS}, code="too_many_rows")

        def cell(j: int, cells=cells) -> str:
            return cells[j] if 0 <= j < len(cells) else ""

        rows.append((i, cell(columns[0]), cell(columns[1])[:100], cell(columns[2])[:200]))
    return rows


def _query_rows(imp: TargetImport) -> list[tuple[int, str, str, str]]:
    from kefu.crm.selectors import CustomerFilters, customer_query_lines

    lines = customer_query_lines(actor=imp.owner, filters=CustomerFilters(**imp.query), limit=MAX_ROWS)
    return [(i, number, name[:100], "") for i, (number, _c, _s, name) in enumerate(lines, 1)]


def import_run(*, import_id: int) -> None:
    """Read, check and add the rows in chunks, saving progress so the page can show it. The report speaks the
    center's language (a worker has no request to take one from)."""
    with translation.override(settings.LANGUAGE_CODE):
        _import_run(import_id)


def _import_run(import_id: int) -> None:
    claimed = TargetImport.objects.filter(pk=import_id, state=TargetImport.State.QUEUED).update(
        state=TargetImport.State.RUNNING)
    if not claimed:
        return
    imp = TargetImport.objects.select_related("campaign", "owner", "owner__org").get(pk=import_id)
    try:
        rows = _file_rows(imp) if imp.source == "file" else _query_rows(imp)
        TargetImport.objects.filter(pk=imp.pk).update(total=len(rows))
        report = _Report()
        existing = set(Target.objects.filter(campaign=imp.campaign).values_list("number", flat=True))
        seen = set(existing)
        counts = {"accepted": 0, "known": 0, "rejected": 0, "excluded": 0}
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            _chunk(imp, chunk, seen, existing, report, counts)
            TargetImport.objects.filter(pk=imp.pk).update(done=start + len(chunk), **counts)
        if report.rows:
            imp.report.save(f"import-{imp.pk}-report.csv", ContentFile(report.content()), save=False)
        TargetImport.objects.filter(pk=imp.pk).update(state=TargetImport.State.DONE, done=len(rows),
                                                      report=imp.report.name or "", finished_at=clock.now(), **counts)
        audit_record(actor=imp.owner, action=AuditAction.CREATE, obj=imp.campaign, object_repr=imp.campaign.name,
                     note=f"import {imp.pk} done", changes={k: [None, v] for k, v in counts.items()},
                     result_count=counts["accepted"])
    except ValidationFailed as exc:
        TargetImport.objects.filter(pk=imp.pk).update(state=TargetImport.State.FAILED, error=str(exc.message)[:500],
                                                      finished_at=clock.now())
    except Exception as exc:  # recorded for the user; the worker goes on
        TargetImport.objects.filter(pk=imp.pk).update(state=TargetImport.State.FAILED, error=str(exc)[:500],
                                                      finished_at=clock.now())
        raise


class _Report:
    def __init__(self) -> None:
        self.rows: list[list] = []
        self.reasons = _reasons()

    def add(self, row: int, number: str, name: str, result: str, reason: str) -> None:
        self.rows.append([row, number, name, result, self.reasons.get(reason, reason)])

    def content(self) -> bytes:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(REPORT_COLUMNS)
        writer.writerows(self.rows)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV right


def _chunk(imp: TargetImport, chunk, seen: set[str], existing: set[str], report: _Report, counts: dict) -> None:
    """Check and add one chunk of rows in one transaction (a few bulk queries, whatever its size)."""
    from kefu.crm.selectors import subscribers_by_numbers
    from kefu.outlets.selectors import optouts_blocking_calls

    campaign = imp.campaign
    valid: list[tuple[int, str, str, str]] = []
    for row, raw, name, note in chunk:
        number = rules.number_normalize(raw)
        if number is None:
            report.add(row, raw, name, "rejected", "invalid_number")
            counts["rejected"] += 1
        elif number in seen:
            report.add(row, raw, name, "rejected", "duplicate_campaign" if number in existing else "duplicate_file")
            counts["rejected"] += 1
        else:
            seen.add(number)
            valid.append((row, number, name, note))
    numbers = [v[1] for v in valid]
    known = subscribers_by_numbers(actor=imp.owner, numbers=numbers)
    dnc = set(DoNotCall.objects.filter(number__in=numbers).values_list("number", flat=True))
    opted_numbers, opted_customers = optouts_blocking_calls(
        addresses=numbers, customer_ids=[c for c, _s in known.values()], purpose=OPTOUT_PURPOSE[campaign.kind])
    recent: set[str] = set()
    if campaign.recent_days:
        since = clock.now() - timedelta(days=campaign.recent_days)
        # Uses attempt_number_idx (number, started_at).
        recent = set(Attempt.objects.filter(number__in=numbers, started_at__gte=since)
                     .exclude(campaign=campaign).values_list("number", flat=True))
    targets = []
    for row, number, name, note in valid:
        customer_id, subscriber_id = known.get(number, (None, None))
        reason = (Exclusion.DO_NOT_CALL if number in dnc else
                  Exclusion.OPTED_OUT if number in opted_numbers or customer_id in opted_customers else
                  Exclusion.RECENT if number in recent else "")
        if reason:
            report.add(row, number, name, "excluded", reason)
            counts["excluded"] += 1
        else:
            counts["accepted"] += 1
        if customer_id:
            counts["known"] += 1
        targets.append(Target(campaign=campaign, number=number, customer_id=customer_id, subscriber_id=subscriber_id,
                              name=name, note=note, source="import" if imp.source == "file" else "query",
                              state=TargetState.EXCLUDED if reason else TargetState.PENDING, excluded_reason=reason))
    with transaction.atomic():
        Target.objects.bulk_create(targets, batch_size=1000)


def imports_pending() -> int:
    ran = 0
    for pk in (TargetImport.objects.filter(state=TargetImport.State.QUEUED).order_by("created_at")
               .values_list("pk", flat=True)[:2]):
        import_run(import_id=pk)
        ran += 1
    return ran
