"""Reads of customer data: one entry per request, listing what was shown."""

from kefu.audit.models import AuditEntry
from kefu.audit.reads import audit_read, audited, read_batch
from kefu.core.testing import make_staff
from kefu.orgs.models import Organisation


def test_outside_a_request_each_read_is_written_at_once(city):
    reader = make_staff(org=city, employee_no="r001")
    audit_read(actor=reader, object_type="crm.customer", items=[(7, "张三")], customers=[7])
    audit_read(actor=reader, object_type="crm.customer", items=[(8, "李四")], customers=[8])
    assert AuditEntry.objects.filter(actor=reader).count() == 2


def test_a_batch_writes_one_entry_naming_everything_shown(city):
    reader = make_staff(org=city, employee_no="r001")
    with read_batch():
        audit_read(actor=reader, object_type="workorders.workorder", conditions={"kind": "complaint"},
                   result_count=40)
        audit_read(actor=reader, object_type="workorders.workorder", items=[(1, "ZX1"), (2, "ZX2")],
                   customers=[7, None, 7])
        audit_read(actor=reader, object_type="contactcenter.contact", items=[(5, "contact 5")], customers=[9])
        assert not AuditEntry.objects.filter(actor=reader).exists()
    entry = AuditEntry.objects.get(actor=reader)
    assert (entry.action, entry.object_type, entry.object_id) == ("search", "workorders.workorder", "")
    assert entry.object_repr == "ZX1, ZX2" and entry.result_count == 40
    assert entry.conditions == {"kind": "complaint", "customers": [7, 9],
                                "shown": {"workorders.workorder": ["1", "2"], "contactcenter.contact": ["5"]}}


def test_a_batch_without_reads_writes_nothing(city):
    before = AuditEntry.objects.count()
    with read_batch():
        pass
    assert AuditEntry.objects.count() == before


def test_an_audited_queryset_records_only_the_rows_it_returns(province, city, other_city):
    reader = make_staff(org=city, employee_no="r001")
    qs = audited(Organisation.objects.order_by("code"), actor=reader, object_type="orgs.organisation",
                 label=lambda o: o.code, customer_attr="parent_id")
    with read_batch():
        assert qs.count() == 3 and qs.exists()
        assert [o.code for o in qs.filter(kind="city")[:1]] == ["GZ"]  # clones keep recording
    entry = AuditEntry.objects.get(actor=reader)
    assert entry.action == "read" and entry.object_id == str(city.pk) and entry.object_repr == "GZ"
    assert entry.result_count == 1 and entry.conditions["customers"] == [province.pk]


def test_iterating_a_fetched_queryset_again_records_it_once(province, city):
    reader = make_staff(org=city, employee_no="r001")
    qs = audited(Organisation.objects.all(), actor=reader, object_type="orgs.organisation")
    list(qs)
    list(qs)
    assert AuditEntry.objects.filter(actor=reader).count() == 1


def test_the_middleware_writes_one_entry_per_request(city):
    """The middleware opens a batch per request (the API path is tested by the apps that read)."""
    from kefu.audit.reads import ReadAuditMiddleware

    reader = make_staff(org=city, employee_no="r001")

    def view(request):
        audit_read(actor=reader, object_type="crm.customer", items=[(1, "a")])
        audit_read(actor=reader, object_type="crm.customer", items=[(2, "b")])
        return "ok"

    assert ReadAuditMiddleware(view)(object()) == "ok"
    entry = AuditEntry.objects.get(actor=reader)
    assert entry.conditions["shown"] == {"crm.customer": ["1", "2"]} and entry.result_count == 2
