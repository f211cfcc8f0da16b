"""Retention by archiving: months older than the retention go to compressed files
with checksums; the entries stay in the log."""

import gzip
import hashlib
import json
from datetime import datetime

import pytest
from django.utils import timezone

from kefu.audit import archive
from kefu.audit.models import AppendOnlyError, AuditArchive, AuditEntry
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.core.testing import JsonClient, client_for, make_staff


def at(y, m, d, h=12):
    return timezone.make_aware(datetime(y, m, d, h))


@pytest.fixture
def archive_dir(settings, tmp_path):
    settings.KEFU_AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    return settings.KEFU_AUDIT_ARCHIVE_DIR


@pytest.fixture
def old_entries(province):
    """Entries on 2025-01-31 23:30 and 2025-02-01 00:10 (center time), 2025-03-15 and 2026-01-10."""
    person = make_staff(org=province, employee_no="a001", name="甲")
    made = {}
    for key, moment in {"jan": at(2025, 1, 31, 23), "feb": at(2025, 2, 1, 0), "mar": at(2025, 3, 15),
                        "recent": at(2026, 1, 10)}.items():
        with clock.frozen_at(moment):
            made[key] = audit_record(actor=person, action="read", object_type="crm.customer", object_id=7,
                                     object_repr="张三", conditions={"shown": {"crm.customer": ["7"]}})
    return made


def _lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_retention_is_at_least_six_months_and_twelve_by_default(admin_api):
    from kefu.params.selectors import param_definition, param_get

    assert param_get("audit.retention_months") == 12
    with pytest.raises(ValidationFailed):
        param_definition("audit.retention_months").parse("5")
    assert param_definition("audit.retention_months").parse("6") == 6


def test_months_older_than_the_retention_are_archived_not_deleted(archive_dir, old_entries):
    before = AuditEntry.objects.count()
    made = archive.audit_archive_due(now=at(2026, 2, 20))  # 12 months back: months before 2025-02 are due
    assert [a.file_name for a in made] == ["audit-2025-01.jsonl.gz"]
    jan = made[0]
    rows = _lines(archive_dir / jan.file_name)
    assert [r["id"] for r in rows] == [old_entries["jan"].pk] == [jan.first_id]
    assert rows[0]["object_repr"] == "张三" and rows[0]["conditions"] == {"shown": {"crm.customer": ["7"]}}
    assert jan.entry_count == 1 and jan.size == (archive_dir / jan.file_name).stat().st_size
    assert jan.sha256 == hashlib.sha256((archive_dir / jan.file_name).read_bytes()).hexdigest()
    assert (archive_dir / "SHA256SUMS").read_text() == f"{jan.sha256}  audit-2025-01.jsonl.gz\n"
    # Nothing left the log; the archiving itself was recorded.
    assert AuditEntry.objects.filter(pk=old_entries["jan"].pk).exists()
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.filter(object_type="audit.auditarchive", object_id=str(jan.pk), action="export",
                                     result_count=1).exists()


def test_the_job_is_idempotent_and_takes_each_month_once(archive_dir, old_entries):
    archive.audit_archive_due(now=at(2026, 2, 20))
    assert archive.audit_archive_due(now=at(2026, 2, 25)) == []
    later = archive.audit_archive_due(now=at(2026, 4, 2))  # now Feb and Mar 2025 are due
    assert [a.file_name for a in later] == ["audit-2025-02.jsonl.gz", "audit-2025-03.jsonl.gz"]
    assert [r["id"] for r in _lines(archive_dir / "audit-2025-02.jsonl.gz")] == [old_entries["feb"].pk]
    manifest = (archive_dir / "SHA256SUMS").read_text().splitlines()
    assert [line.split("  ")[1] for line in manifest] == [
        "audit-2025-01.jsonl.gz", "audit-2025-02.jsonl.gz", "audit-2025-03.jsonl.gz"]
    assert AuditArchive.objects.count() == 3
    assert all(c.state == "ok" for c in archive.audit_archive_verify())


def test_a_shorter_retention_archives_more_months(archive_dir, old_entries, admin):
    from kefu.params.services import param_set

    param_set(actor=admin, key="audit.retention_months", raw="6")
    made = archive.audit_archive_due(now=at(2026, 2, 20))  # months before 2025-08
    assert [a.file_name for a in made][-1] == "audit-2025-07.jsonl.gz"
    assert not any(a.file_name == "audit-2026-01.jsonl.gz" for a in made)


def test_archives_are_append_only_and_verification_sees_a_changed_file(archive_dir, old_entries):
    [jan] = archive.audit_archive_due(now=at(2026, 2, 20))
    with pytest.raises(AppendOnlyError):
        jan.delete()
    (archive_dir / jan.file_name).write_bytes(b"tampered")
    assert [c.state for c in archive.audit_archive_verify()] == ["mismatch"]


def test_the_worker_runs_the_archive_job():
    from kefu.core.tasks import jobs

    assert "kefu.audit.jobs.archive_old_entries" in {j.name for j in jobs()}


def test_archives_are_listed_in_the_api_and_the_page(archive_dir, old_entries, province):
    archive.audit_archive_due(now=at(2026, 2, 20))
    viewer = make_staff(org=province, perms=["audit.log.view"], employee_no="v001")
    body = JsonClient(client_for(viewer)).get("/api/audit/archives").json()
    assert body["retention_months"] == 12
    assert [(a["file_name"], a["entry_count"]) for a in body["archives"]] == [("audit-2025-01.jsonl.gz", 1)]
    page = client_for(viewer).get("/audit/archives/")
    assert page.status_code == 200 and "audit-2025-01.jsonl.gz" in page.content.decode()
    nobody = make_staff(org=province, employee_no="n001")
    assert JsonClient(client_for(nobody)).get("/api/audit/archives").status_code == 403


def test_the_command_archives_and_verifies(archive_dir, old_entries, capsys):
    from django.core.management import call_command

    with clock.frozen_at(at(2026, 2, 20)):
        call_command("audit_archive")
    call_command("audit_archive", "--verify")
    out = capsys.readouterr().out
    assert "1 month(s) archived" in out and "match their checksums" in out
