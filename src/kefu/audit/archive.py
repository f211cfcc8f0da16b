"""Archiving old audit entries to files: retention by copying, never by deleting.

MLPS level 3 (等保三级) asks that audit records be kept for at least six
months and protected from deletion. Entries older than the parameter
``audit.retention_months`` are exported one calendar month (center time) at a
time to ``<KEFU_AUDIT_ARCHIVE_DIR>/audit-YYYY-MM.jsonl.gz`` — one JSON object
per entry, gzip-compressed — and ``SHA256SUMS`` beside them lists every
file's checksum in ``sha256sum -c`` format. An ``AuditArchive`` row records
each month (period, id range, count, size, checksum).

The entries stay in the table: the application's database role cannot delete
them (docs/decisions/0019). Moving an archived month out of the live table is
an operation of the database owner, described in docs/decisions/0008.
The job is idempotent: a month already archived is skipped, a file left
half-written by a crash is written again before its row exists.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kefu.core import clock

from .models import AuditAction, AuditArchive, AuditEntry
from .parameters import MIN_RETENTION_MONTHS
from .services import audit_record

RETENTION_PARAM = "audit.retention_months"
MANIFEST = "SHA256SUMS"
FIELDS = ("id", "at", "actor_id", "actor_label", "ip", "channel", "request_id", "action", "object_type",
          "object_id", "object_repr", "changes", "conditions", "result_count", "note")
CHUNK = 2000


def archive_dir() -> Path:
    return Path(settings.KEFU_AUDIT_ARCHIVE_DIR)


def retention_months() -> int:
    from kefu.params.selectors import param_get

    return max(MIN_RETENTION_MONTHS, int(param_get(RETENTION_PARAM)))


def _month(year: int, month: int) -> datetime:
    while month > 12:
        year, month = year + 1, month - 12
    while month < 1:
        year, month = year - 1, month + 12
    return timezone.make_aware(datetime(year, month, 1))


def month_start(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    return _month(local.year, local.month)


def next_month(start: datetime) -> datetime:
    local = timezone.localtime(start)
    return _month(local.year, local.month + 1)


def archive_cutoff(now: datetime | None = None) -> datetime:
    """Months that end on or before this moment are older than the retention and due."""
    local = timezone.localtime(now or clock.now())
    return _month(local.year, local.month - retention_months())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _line(row: dict) -> bytes:
    row = dict(row, at=row["at"].isoformat())
    return (json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def _write_month(start: datetime, end: datetime, path: Path) -> tuple[int, int | None, int | None]:
    """Write the month's entries to ``path`` (via a temporary file); count and id range."""
    count, first, last = 0, None, None
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")  # two workers never share a half-written file
    # Uses the index on ``at``; rows in id order so the file reads as the log was written.
    rows = AuditEntry.objects.filter(at__gte=start, at__lt=end).order_by("id").values(*FIELDS)
    with tmp.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        for row in rows.iterator(chunk_size=CHUNK):
            gz.write(_line(row))
            count += 1
            first = row["id"] if first is None else first
            last = row["id"]
    os.replace(tmp, path)
    return count, first, last


def manifest_write() -> Path:
    """Rewrite ``SHA256SUMS`` from the archive rows (``sha256sum -c SHA256SUMS`` checks the files)."""
    directory = archive_dir()
    directory.mkdir(parents=True, exist_ok=True)
    lines = [f"{a.sha256}  {a.file_name}\n" for a in AuditArchive.objects.order_by("period_start")]
    tmp = directory / f"{MANIFEST}.{os.getpid()}.part"
    tmp.write_text("".join(lines), encoding="ascii")
    os.replace(tmp, directory / MANIFEST)
    return directory / MANIFEST


def audit_archive_month(*, start: datetime) -> AuditArchive:
    """Export one month's entries and record the archive (and an audit entry saying so)."""
    end = next_month(start)
    directory = archive_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"audit-{timezone.localtime(start):%Y-%m}.jsonl.gz"
    path = directory / name
    count, first, last = _write_month(start, end, path)
    with transaction.atomic():
        archive = AuditArchive.objects.create(period_start=start, period_end=end, first_id=first, last_id=last,
                                              entry_count=count, file_name=name, size=path.stat().st_size,
                                              sha256=_sha256(path))
        audit_record(actor="system", action=AuditAction.EXPORT, obj=archive, result_count=count,
                     note=f"audit entries of {timezone.localtime(start):%Y-%m} archived")
    return archive


def audit_archive_due(*, now: datetime | None = None) -> list[AuditArchive]:
    """Archive every whole month older than the retention that has no archive yet."""
    cutoff = archive_cutoff(now)
    oldest = AuditEntry.objects.filter(at__lt=cutoff).order_by("at").values_list("at", flat=True).first()
    if oldest is None:
        return []
    done = set(AuditArchive.objects.filter(period_start__lt=cutoff).values_list("period_start", flat=True))
    made = []
    month = month_start(oldest)
    while month < cutoff:
        if month not in done:
            made.append(audit_archive_month(start=month))
        month = next_month(month)
    if made:
        manifest_write()
    return made


@dataclass(frozen=True)
class ArchiveCheck:
    archive: AuditArchive
    state: str  # "ok", "missing" or "mismatch"


def _check(archive: AuditArchive) -> str:
    path = archive_dir() / archive.file_name
    if not path.exists():
        return "missing"
    return "ok" if _sha256(path) == archive.sha256 else "mismatch"


def audit_archive_verify() -> list[ArchiveCheck]:
    """Each archive file against its recorded checksum."""
    return [ArchiveCheck(archive=a, state=_check(a)) for a in AuditArchive.objects.order_by("period_start")]
