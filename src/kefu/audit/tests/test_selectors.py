"""Searching the audit log: conditions, scope, and the record of the search."""

from datetime import timedelta

import pytest

from kefu.audit.models import AuditEntry
from kefu.audit.selectors import AuditFilters, audit_entry_get, audit_entry_list, audit_log_search
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.testing import make_staff

from .conftest import T0


def ids(qs):
    return [e.pk for e in qs]


@pytest.fixture
def auditor(province):
    return make_staff(org=province, perms=["audit.log.view", "scope.all_orgs"], employee_no="aud01")


def test_each_condition_narrows_the_search(entries, auditor):
    a, b, c = entries["gz"], entries["sz"], entries["system"]

    def find(**kw):
        return [e for e in ids(audit_entry_list(actor=auditor, filters=AuditFilters(**kw))) if e in (a.pk, b.pk, c.pk)]

    assert find() == [c.pk, b.pk, a.pk]  # newest first
    assert find(since=T0 + timedelta(minutes=30)) == [c.pk, b.pk]
    assert find(until=T0 + timedelta(minutes=30)) == [a.pk]
    assert find(since=T0 + timedelta(minutes=30), until=T0 + timedelta(minutes=90)) == [b.pk]
    assert find(actor="gz001") == [a.pk]
    assert find(actor="system") == [c.pk]
    assert find(object_type="crm.customer") == [b.pk]
    assert find(object_type="orgs.organisation", object_id=str(entries["gz"].object_id)) == [a.pk]
    assert find(action="expire") == [c.pk]
    assert find(text="临时") == [c.pk]
    assert find(actor="nobody-like-this") == []


def test_a_deleted_person_is_still_found_by_employee_number(entries, auditor):
    person = make_staff(org=entries["gz_person"].org, employee_no="left01", name="离职者")
    from kefu.audit.services import audit_record

    e = audit_record(actor=person, action="update", object_type="x.y")
    person.delete()
    assert ids(audit_entry_list(actor=auditor, filters=AuditFilters(actor="left01"))) == [e.pk]


def test_bad_conditions_are_refused(auditor):
    with pytest.raises(ValidationFailed):
        audit_entry_list(actor=auditor, filters=AuditFilters(action="teleport"))
    with pytest.raises(ValidationFailed):
        audit_entry_list(actor=auditor, filters=AuditFilters(since=T0, until=T0 - timedelta(hours=1)))


def test_search_is_scoped_to_what_people_in_my_subtree_did(entries, city):
    gz_auditor = make_staff(org=city, perms=["audit.log.view"])
    found = ids(audit_entry_list(actor=gz_auditor, filters=AuditFilters()))
    assert entries["gz"].pk in found
    assert entries["sz"].pk not in found  # someone in another city
    assert entries["system"].pk not in found  # no organisation: needs scope.all_orgs


def test_scope_all_orgs_sees_everything_including_system_entries(entries, auditor):
    found = ids(audit_entry_list(actor=auditor, filters=AuditFilters()))
    assert {entries["gz"].pk, entries["sz"].pk, entries["system"].pk} <= set(found)


def test_a_search_is_recorded_with_its_conditions_and_count(entries, auditor):
    rows = audit_log_search(actor=auditor, filters=AuditFilters(action="update", object_type="orgs.organisation"))
    assert ids(rows) == [entries["gz"].pk]
    record = AuditEntry.objects.filter(object_type="audit.auditentry").get()
    assert record.action == "search"
    assert record.actor == auditor
    assert record.conditions == {"action": "update", "object_type": "orgs.organisation"}
    assert record.result_count == 1


def test_the_record_of_a_search_is_not_among_its_own_results(auditor):
    rows = audit_log_search(actor=auditor, filters=AuditFilters(action="search"))
    assert list(rows) == []
    assert AuditEntry.objects.filter(object_type="audit.auditentry").get().result_count == 0
    again = audit_log_search(actor=auditor, filters=AuditFilters(action="search"))
    assert len(again) == 1  # the first search is now history


def test_times_are_recorded_as_text_in_the_conditions(auditor):
    audit_log_search(actor=auditor, filters=AuditFilters(since=T0))
    record = AuditEntry.objects.filter(object_type="audit.auditentry").get()
    assert record.conditions == {"since": T0.isoformat()}


def test_getting_one_entry_is_scoped_and_recorded(entries, city):
    gz_auditor = make_staff(org=city, perms=["audit.log.view"])
    assert audit_entry_get(actor=gz_auditor, entry_id=entries["gz"].pk) == entries["gz"]
    with pytest.raises(NotFound):
        audit_entry_get(actor=gz_auditor, entry_id=entries["sz"].pk)
    read = AuditEntry.objects.filter(object_type="audit.auditentry", action="read").get()
    assert read.object_id == str(entries["gz"].pk)


def test_a_customer_is_found_as_the_object_and_among_the_customers_a_read_showed(auditor, city):
    from kefu.audit.reads import audit_read
    from kefu.audit.services import audit_record

    reader = make_staff(org=city, employee_no="r001")
    opened = audit_record(actor=reader, action="read", object_type="crm.customer", object_id=7, object_repr="张三")
    audit_read(actor=reader, object_type="workorders.workorder", items=[(1, "ZX1"), (2, "ZX2")], customers=[9, 7])
    listed = AuditEntry.objects.latest("id")
    audit_read(actor=reader, object_type="workorders.workorder", items=[(3, "ZX3")], customers=[17, 70])
    audit_record(actor=reader, action="read", object_type="contactcenter.contact", object_id=7)
    found = audit_entry_list(actor=auditor, filters=AuditFilters(customer=7))
    assert sorted(ids(found)) == sorted([opened.pk, listed.pk])


def test_the_customer_condition_over_http(auditor, city):
    from kefu.audit.reads import audit_read
    from kefu.core.testing import JsonClient, client_for

    reader = make_staff(org=city, employee_no="r002")
    audit_read(actor=reader, object_type="workorders.workorder", items=[(1, "ZX1")], customers=[42])
    api = JsonClient(client_for(auditor))
    rows = api.get("/api/audit/entries", {"customer": 42}).json()["items"]
    assert [r["object_repr"] for r in rows] == ["ZX1"]
    assert api.get("/api/audit/entries", {"customer": 0}).status_code in (400, 422)
    page = client_for(auditor).get("/audit/", {"customer": 42})
    assert page.status_code == 200 and "ZX1" in page.content.decode()
