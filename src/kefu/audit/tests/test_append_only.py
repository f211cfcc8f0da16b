"""The audit log is append-only: in Python, in the database, and in the API."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from kefu.audit.models import AppendOnlyError, AuditEntry
from kefu.audit.services import audit_record
from kefu.core.testing import make_staff


@pytest.fixture
def entry(admin):
    return audit_record(actor=admin, action="update", object_type="x.y", object_id=1, object_repr="thing",
                        changes={"name": ["a", "b"]})


def test_saving_an_existing_entry_is_refused(entry):
    entry.note = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_column_is_protected_by_the_database(entry):
    """Raw SQL bypasses the Python guards; the triggers of migration 0002
    must refuse an UPDATE of any column. A new column, or a migration that
    rebuilds the table on SQLite, makes this fail until the triggers follow."""
    columns = [f.column for f in AuditEntry._meta.concrete_fields if f.name != "actor"]
    assert len(columns) == 14
    for column in columns:
        with pytest.raises(DatabaseError, match="append-only"):
            _raw(f"UPDATE audit_auditentry SET {column} = {column} WHERE id = %s", [entry.pk])


def test_the_actor_may_only_be_cleared(entry, province):
    other = make_staff(org=province)
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_auditentry SET actor_id = %s WHERE id = %s", [other.pk, entry.pk])
    _raw("UPDATE audit_auditentry SET actor_id = NULL WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).actor_id is None


def test_deleting_a_person_keeps_their_entries_with_their_label(province):
    person = make_staff(org=province, employee_no="gone01", name="离职")
    kept = audit_record(actor=person, action="update", object_type="x.y", object_id=1)
    person.delete()
    kept = AuditEntry.objects.get(pk=kept.pk)
    assert kept.actor_id is None and kept.actor_label == "gone01 离职"


def test_raw_delete_is_refused_by_postgresql(entry):
    """PostgreSQL refuses a raw DELETE. SQLite deliberately has no DELETE
    trigger (flush needs DELETE there; see migration 0002), so there the
    model and queryset guards above are what refuse it."""
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"):
            _raw("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditentry'")
            names = {row[0] for row in cursor.fetchall()}
        assert names == {"audit_auditentry_no_update", "audit_auditentry_actor_only_cleared"}


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_log_for_tests_and_resets(province):
    """Transactional tests (and the browser tests) end with a flush; it must
    get past the triggers on both databases."""
    audit_record(actor="system", action="other", note="before flush")
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_the_api_offers_no_way_to_change_an_entry(entry, admin_api, method):
    r = getattr(admin_api, method)(f"/api/audit/entries/{entry.pk}")
    assert r.status_code == 405
    r = getattr(admin_api, method)("/api/audit/entries")
    assert r.status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_the_audit_page_accepts_reads_only(entry, admin):
    from kefu.core.testing import client_for

    r = client_for(admin).post("/audit/", {"note": "x"})
    assert r.status_code == 405
