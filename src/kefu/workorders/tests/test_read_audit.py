"""Every read that shows a work order is in the audit log: one entry per request,
naming the orders shown and the customers behind them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.audit.models import AuditEntry
from kefu.core.testing import JsonClient, client_for, make_staff

from .conftest import act, complaint

ORDER = "workorders.workorder"


def _entries(actor):
    return list(AuditEntry.objects.filter(actor=actor, action__in=("read", "search")).order_by("id"))


def _only_entry(actor) -> AuditEntry:
    [entry] = _entries(actor)
    return entry


@pytest.fixture
def agent_api(center):
    return JsonClient(client_for(center.agent))


@pytest.fixture
def supervisor(center):
    return make_staff(org=center.province, perms=["workorders.supervision.view", "workorders.order.view"],
                      employee_no="P900", name="钱主管")


def test_opening_an_order_by_id_or_serial_is_one_read_naming_it_and_its_customer(center, agent_api):
    order = complaint(center)
    before = len(_entries(center.agent))
    assert agent_api.get(f"/api/workorders/orders/{order.pk}").status_code == 200
    assert agent_api.get(f"/api/workorders/orders/{order.serial}").status_code == 200
    reads = _entries(center.agent)[before:]
    assert len(reads) == 2
    for entry in reads:
        assert (entry.action, entry.object_type, entry.object_id) == ("read", ORDER, str(order.pk))
        assert entry.object_repr == order.serial and entry.channel == "api"
        assert entry.conditions == {"shown": {ORDER: [str(order.pk)]}, "customers": [center.vip.pk]}


def test_history_is_a_read_of_the_order(center, agent_api):
    order = complaint(center)
    assert agent_api.get(f"/api/workorders/orders/{order.pk}/history").status_code == 200
    entry = _only_entry(center.agent)
    assert entry.object_id == str(order.pk) and entry.conditions["customers"] == [center.vip.pk]


def test_a_refused_read_writes_no_entry(center):
    order = complaint(center)
    sz = make_staff(org=center.sz, perms=["workorders.order.view"])
    assert JsonClient(client_for(sz)).get(f"/api/workorders/orders/{order.pk}").status_code == 404
    assert _entries(sz) == []


def test_my_work_records_the_page_it_shows_in_one_entry_within_its_query_budget(center, agent_api):
    orders = [complaint(center) for _ in range(3)]
    from kefu.crm.tests.factories import make_customer

    second = make_customer(org=center.gz, name="孙客户", number="13900000009")
    orders.append(_order_for(center, second))
    agent_api.get("/api/version")  # the session's first request stamps its last activity (a session write)
    with CaptureQueriesContext(connection) as ctx:
        r = agent_api.get("/api/workorders/my-work", {"page_size": 2})
    assert r.status_code == 200 and r.json()["count"] == 4
    shown = [str(row["id"]) for row in r.json()["items"]]
    entry = _only_entry(center.agent)
    assert entry.action == "read" and entry.object_type == ORDER and entry.object_id == ""
    assert entry.conditions["shown"] == {ORDER: shown}  # the page, not every match
    assert entry.result_count == 2
    assert set(entry.conditions["customers"]) <= {center.vip.pk, second.pk}
    # Baseline: session, staff, permissions (2), page, count — and one INSERT for the audit entry.
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditentry"')]
    assert len(inserts) == 1
    assert len(ctx.captured_queries) == 7, "\n".join(q["sql"][:150] for q in ctx.captured_queries)


def _order_for(center, customer):
    from kefu.workorders.services.orders import workorder_create

    from .conftest import COMPLAINT_FIELDS

    order, _ = workorder_create(actor=center.agent, kind="complaint", title="网络差", description="信号弱",
                                fields=dict(COMPLAINT_FIELDS), customer=customer)
    return order


def test_query_records_conditions_count_and_the_rows_shown(center, agent_api):
    a, b = complaint(center), complaint(center)
    r = agent_api.get("/api/workorders/orders", {"kind": "complaint", "page_size": 1})
    assert r.json()["count"] == 2
    entry = _only_entry(center.agent)
    assert entry.action == "search" and entry.result_count == 2
    assert entry.conditions["kind"] == "complaint"
    assert entry.conditions["shown"] == {ORDER: [str(r.json()["items"][0]["id"])]}
    assert entry.object_repr in (a.serial, b.serial)
    assert entry.conditions["customers"] == [center.vip.pk]


def test_supervision_list_is_recorded(center, supervisor):
    from datetime import timedelta

    from kefu.core import clock
    from kefu.workorders.services.timers import timers_sweep

    order = complaint(center)
    with clock.frozen_at(clock.now() + timedelta(days=3)):
        timers_sweep(worker="t")
        r = JsonClient(client_for(supervisor)).get("/api/workorders/supervision")
    assert r.status_code == 200 and [row["id"] for row in r.json()["items"]] == [order.pk]
    entry = _only_entry(supervisor)
    assert entry.object_id == str(order.pk) and entry.conditions["customers"] == [center.vip.pk]


def test_pages_record_one_entry_each(center):
    order = complaint(center)
    act(center.agent, order, "accept")
    web = client_for(center.agent)
    before = len(_entries(center.agent))
    assert web.get(f"/workorders/{order.serial}/").status_code == 200
    assert web.get(f"/workorders/{order.serial}/act/withdraw/form/", HTTP_HX_REQUEST="true").status_code == 200
    assert web.get("/workorders/query/", {"kind": "complaint"}).status_code == 200
    reads = _entries(center.agent)[before:]
    assert [e.channel for e in reads] == ["web", "web", "web"]
    assert [e.action for e in reads] == ["read", "read", "search"]
    assert all(e.conditions["shown"] == {ORDER: [str(order.pk)]} for e in reads)


def test_my_work_page_records_the_orders_shown(center):
    order = complaint(center)
    web = client_for(center.agent)
    before = len(_entries(center.agent))
    assert web.get("/workorders/").status_code == 200
    [entry] = _entries(center.agent)[before:]
    assert entry.conditions["shown"] == {ORDER: [str(order.pk)]}
    assert entry.conditions["customers"] == [center.vip.pk]


def test_an_empty_list_records_nothing(center, agent_api):
    assert agent_api.get("/api/workorders/my-work").json()["count"] == 0
    assert _entries(center.agent) == []


def test_downloading_an_export_is_recorded(center, settings, tmp_path):
    from kefu.workorders.services.exports import export_request, export_run

    settings.MEDIA_ROOT = str(tmp_path)
    exporter = make_staff(org=center.province, perms=["workorders.order.view", "workorders.order.export"],
                          employee_no="E001")
    complaint(center)
    exp = export_request(actor=exporter, filters={"kind": "complaint"}, fmt="csv")
    export_run(export_id=exp.pk)
    r = client_for(exporter).get(f"/workorders/exports/{exp.pk}/download/")
    assert r.status_code == 200
    b"".join(r.streaming_content)
    entry = AuditEntry.objects.filter(actor=exporter, object_type="workorders.export").get()
    assert entry.action == "read" and entry.object_id == str(exp.pk) and entry.result_count == 1


def test_the_create_form_for_a_customer_records_the_read(center):
    web = client_for(center.agent)
    page = web.get("/workorders/new/", {"customer": center.vip.pk})
    assert page.status_code == 200 and "陈大客户" in page.content.decode()
    entry = _only_entry(center.agent)
    assert (entry.object_type, entry.object_id, entry.note) == ("crm.customer", str(center.vip.pk), "work order form")
    sz = make_staff(org=center.sz, perms=["workorders.order.create"])
    assert "陈大客户" not in client_for(sz).get("/workorders/new/", {"customer": center.vip.pk}).content.decode()
    assert _entries(sz) == []


def test_the_order_an_action_answers_with_is_recorded_with_its_customer(center, agent_api):
    """The answer shows the order and its customer: the action's own entry names both, in one row."""
    from kefu.audit.selectors import AuditFilters, audit_entry_list

    order = complaint(center)
    before = AuditEntry.objects.count()
    r = agent_api.post(f"/api/workorders/orders/{order.pk}/actions/accept", {"version": order.version})
    assert r.status_code == 200 and r.json()["customer_id"] == center.vip.pk
    new = list(AuditEntry.objects.order_by("id")[before:])
    [change] = [e for e in new if e.action == "update" and e.object_type == ORDER]
    assert (change.object_id, change.channel) == (str(order.pk), "api")
    assert change.conditions == {"customers": [center.vip.pk]}
    found = audit_entry_list(actor=center.agent, filters=AuditFilters(customer=center.vip.pk))
    assert change in list(found)


def test_a_refused_action_records_no_read(center, agent_api):
    order = complaint(center)
    r = agent_api.post(f"/api/workorders/orders/{order.pk}/actions/accept", {"version": order.version + 5})
    assert r.status_code == 409
    assert _entries(center.agent) == []


def test_the_notices_list_shows_no_customer_data_and_is_not_a_read(center, agent_api):
    """Notices name order serials, deadlines, staff and what staff wrote — never a customer — so listing
    them records nothing (opening the order does)."""
    order = complaint(center)
    act(center.agent, order, "accept")
    act(center.agent, order, "dispatch", text="请核实", to_org=center.gz, to_staff=center.gz_handler)
    act(center.agent, order, "urge", text="请尽快")
    gz_api = JsonClient(client_for(center.gz_handler))
    rows = gz_api.get("/api/workorders/notices").json()["items"]
    assert rows and {r["order_serial"] for r in rows} == {order.serial}
    customer = center.vip
    number = customer.subscribers.first().number
    for row in rows:
        assert customer.name not in row["text"] and number not in row["text"]
        assert set(row) == {"id", "order_serial", "digest_id", "kind", "text", "created_at", "read_at"}
    assert _entries(center.gz_handler) == []
