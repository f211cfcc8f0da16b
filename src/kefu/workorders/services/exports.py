"""Exporting query results to CSV or XLSX in the background, with progress."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed

from ..kinds import Kind
from ..models import Export, State
from ..selectors import OrderFilters, order_query

CHUNK = 2_000
COLUMNS = ["serial", "kind", "state", "station", "title", "category", "level", "source", "customer", "holder_org",
           "holder", "created_at", "station_due_at", "reply_due_at", "is_overdue", "satisfaction"]


@transaction.atomic
def export_request(*, actor, filters: dict, fmt: str) -> Export:
    if fmt not in ("csv", "xlsx"):
        raise ValidationFailed(_("Choose CSV or XLSX."), code="invalid_format")
    OrderFilters(**filters)  # refuse unknown filter names now, not in the worker
    exp = Export.objects.create(owner=actor, format=fmt, filters=_jsonable(filters))
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=exp, object_type="workorders.workorder",
                 conditions=exp.filters)
    return exp


def _jsonable(filters: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in filters.items() if v not in ("", None)}


def _filters(raw: dict) -> OrderFilters:
    data = dict(raw)
    for key in ("created_from", "created_to"):
        if data.get(key):
            data[key] = datetime.fromisoformat(data[key])
    return OrderFilters(**data)


def _row(o, tz) -> list:
    def t(dt):
        return dt.astimezone(tz).strftime("%Y-%m-%d %H:%M") if dt else ""

    return [o.serial, str(Kind(o.kind).label), str(State(o.state).label), o.station, o.title, o.category, o.level,
            o.source, o.customer.name if o.customer_id else "", o.holder_org.name,
            o.holder_staff.name if o.holder_staff_id else "", t(o.created_at), t(o.station_due_at),
            t(o.reply_due_at), "是" if o.is_overdue else "", o.satisfaction or ""]


def export_run(*, export_id: int) -> None:
    """Write the file in chunks, saving progress so the page can show it."""
    claimed = Export.objects.filter(pk=export_id, state=Export.State.QUEUED).update(state=Export.State.RUNNING)
    if not claimed:
        return
    exp = Export.objects.select_related("owner", "owner__org").get(pk=export_id)
    tz = ZoneInfo(settings.TIME_ZONE)
    try:
        qs = order_query(actor=exp.owner, filters=_filters(exp.filters), log=False).select_related(
            "customer", "holder_org", "holder_staff")
        total = qs.count()
        Export.objects.filter(pk=exp.pk).update(total=total)
        rows_iter = qs.iterator(chunk_size=CHUNK)
        if exp.format == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(COLUMNS)
            for i, o in enumerate(rows_iter, 1):
                writer.writerow(_row(o, tz))
                if i % CHUNK == 0:
                    Export.objects.filter(pk=exp.pk).update(done=i)
            content = ContentFile(("\ufeff" + buf.getvalue()).encode("utf-8"))  # BOM: Excel opens UTF-8 CSV right
        else:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("work orders")
            ws.append(COLUMNS)
            for i, o in enumerate(rows_iter, 1):
                ws.append(_row(o, tz))
                if i % CHUNK == 0:
                    Export.objects.filter(pk=exp.pk).update(done=i)
            out = io.BytesIO()
            wb.save(out)
            content = ContentFile(out.getvalue())
        exp.file.save(f"workorders-{exp.pk}.{exp.format}", content, save=False)
        Export.objects.filter(pk=exp.pk).update(file=exp.file.name, done=total, state=Export.State.DONE,
                                                finished_at=clock.now())
    except Exception as exc:  # recorded for the user; the worker goes on
        Export.objects.filter(pk=exp.pk).update(state=Export.State.FAILED, error=str(exc)[:500],
                                                finished_at=clock.now())
        raise


def exports_pending() -> int:
    ran = 0
    for pk in Export.objects.filter(state=Export.State.QUEUED).order_by("created_at").values_list("pk", flat=True)[:5]:
        export_run(export_id=pk)
        ran += 1
    return ran
