"""The work-order pages through Django's test client (browser journeys are in tests/e2e)."""

from datetime import timedelta

from kefu.core import clock
from kefu.core.testing import client_for, make_staff
from kefu.workorders.models import Export, WorkOrder
from kefu.workorders.services.exports import exports_pending
from kefu.workorders.services.timers import timers_sweep

from .conftest import COMPLAINT_FIELDS, act, complaint


def test_pages_deny_without_permission(center):
    order = complaint(center)
    c = client_for(make_staff(org=center.province))
    for url in ["/workorders/", "/workorders/new/", "/workorders/query/", "/workorders/supervision/",
                "/workorders/templates/", "/workorders/forwards/", f"/workorders/{order.serial}/"]:
        assert c.get(url).status_code == 403, url


def test_create_a_complaint_through_the_form(center):
    c = client_for(center.agent)
    r = c.post("/workorders/new/", {"kind": "complaint", "title": "信号差", "description": "家里没信号",
                                    "channel": "phone", "subscriber_number": "13900000001",
                                    **{f"f_{k}": v for k, v in COMPLAINT_FIELDS.items()}})
    assert r.status_code == 302
    order = WorkOrder.objects.get()
    assert order.customer == center.vip and r["Location"].endswith(f"/workorders/{order.serial}/")
    page = c.get(r["Location"]).content.decode()
    assert order.serial in page and 'data-testid="action-accept"' in page


def test_create_form_shows_field_errors_in_place(center):
    c = client_for(center.agent)
    r = c.post("/workorders/new/", {"kind": "complaint", "title": "x", "description": "y", "channel": "phone"})
    assert r.status_code == 400
    assert WorkOrder.objects.count() == 0


def test_act_through_the_page_and_see_errors_for_missing_text(center):
    order = complaint(center)
    c = client_for(center.agent)
    r = c.post(f"/workorders/{order.serial}/act/accept/", {"version": order.version})
    assert r.status_code == 302
    back = client_for(center.backoffice)
    order.refresh_from_db()
    r = back.post(f"/workorders/{order.serial}/act/dispatch/", {"version": order.version, "to_org": center.gz.pk},
                  HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "data-testid=\"action-error\"" in r.content.decode()
    r = back.post(f"/workorders/{order.serial}/act/dispatch/", {"version": order.version, "to_org": center.gz.pk,
                                                                "text": "请处理"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"].endswith(f"/workorders/{order.serial}/")


def test_supervision_shows_the_overdue_order_after_the_clock_moves(center):
    clock.freeze(clock.now())
    order = complaint(center)
    sup = make_staff(org=center.province, perms=["workorders.supervision.view", "workorders.order.view"])
    c = client_for(sup)
    assert order.serial not in c.get("/workorders/supervision/").content.decode()
    clock.advance(timedelta(hours=3, minutes=1))
    timers_sweep()
    assert order.serial in c.get("/workorders/supervision/").content.decode()


def test_query_then_export_csv_with_progress(center):
    complaint(center)
    exporter = make_staff(org=center.province, perms=["workorders.order.view", "workorders.order.export"])
    c = client_for(exporter)
    r = c.get("/workorders/query/", {"kind": "complaint"})
    assert r.status_code == 200 and "TS" in r.content.decode()
    r = c.post("/workorders/export/", {"kind": "complaint", "format": "csv"})
    assert r.status_code == 302
    exp = Export.objects.get()
    assert exp.state == "queued"
    exports_pending()
    exp.refresh_from_db()
    assert exp.state == "done" and exp.total == 1
    body = b"".join(c.get(f"/workorders/exports/{exp.pk}/download/").streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("serial,kind") and "套餐资费多扣" in body


def test_template_editor_refuses_an_invalid_definition_and_publishes_a_valid_one(center):
    from kefu.workorders.models import ProcessTemplate
    from kefu.workorders.services.templates import templates_ensure_defaults

    templates_ensure_defaults()
    t = ProcessTemplate.objects.get(kind="inquiry")
    editor = client_for(make_staff(org=center.province, perms=["workorders.template"]))
    r = editor.post(f"/workorders/templates/{t.pk}/", {"definition": '{"start": "x", "stations": []}'})
    assert r.status_code == 400 and "template-problems" in r.content.decode()
    import json

    r = editor.post(f"/workorders/templates/{t.pk}/", {"definition": json.dumps(t.current_version().definition)})
    assert r.status_code == 302 and t.current_version().number == 2
    viewer = client_for(make_staff(org=center.province, perms=["workorders.template.view"]))
    assert viewer.post(f"/workorders/templates/{t.pk}/", {"definition": "{}"}).status_code == 403


def test_my_work_lists_held_orders(center):
    order = complaint(center)
    act(center.agent, order, "accept")
    back = client_for(center.backoffice)
    assert order.serial not in back.get("/workorders/").content.decode()
    assert order.serial in back.get("/workorders/?scope=org").content.decode()


def test_coordination_settings_endpoint_webhook_and_calendar(center):
    from datetime import time

    from kefu.core.testing import make_org
    from kefu.workorders.models import BusinessCalendar, Endpoint, WebhookSubscription

    maker = make_org(code="HW", kind="external", external_kind="handset_maker")
    manager = client_for(make_staff(org=center.province, perms=["workorders.coordination.manage"]))
    assert client_for(make_staff(org=center.province)).get("/workorders/coordination/").status_code == 403
    assert manager.get("/workorders/coordination/").status_code == 200
    manager.post(f"/workorders/coordination/endpoints/{maker.pk}/",
                 {"url": "https://hw.example/kefu", "secret": "s" * 16, "active": "on"})
    assert Endpoint.objects.get(org=maker).url == "https://hw.example/kefu"
    r = manager.post(f"/workorders/coordination/endpoints/{maker.pk}/", {"url": "ftp://x", "secret": "s" * 16})
    assert Endpoint.objects.get(org=maker).url == "https://hw.example/kefu"  # refused, unchanged
    assert r.status_code == 302
    manager.post("/workorders/coordination/webhooks/", {"name": "CRM", "url": "https://crm.example/h",
                                                         "secret": "x" * 20, "events": "order.created, order.close"})
    assert WebhookSubscription.objects.get().events == ["order.created", "order.close"]
    manager.post("/workorders/coordination/calendars/", {"org": center.gz.pk, "work_start": "09:00",
                                                         "work_end": "18:00", "workdays": ["1", "2", "3", "4", "5"],
                                                         "holidays": "2026-10-01\n2026-10-02"})
    cal = BusinessCalendar.objects.get(org=center.gz)
    assert cal.work_start == time(9) and cal.holidays == ["2026-10-01", "2026-10-02"]
    manager.post("/workorders/coordination/calendars/", {"org": center.gz.pk, "work_start": "18:00",
                                                         "work_end": "09:00", "workdays": ["1"]})
    assert BusinessCalendar.objects.get(org=center.gz).work_start == time(9)  # refused


def test_coordination_settings_set_a_makers_base_province(center):
    from kefu.core.testing import make_org
    from kefu.workorders.models import PartySetting

    maker = make_org(code="HW", kind="external", external_kind="handset_maker", name="华为终端客服")
    manager = client_for(make_staff(org=center.province, perms=["workorders.coordination.manage"]))
    page = manager.get("/workorders/coordination/").content.decode()
    assert f"/workorders/coordination/parties/{maker.pk}/" in page
    manager.post(f"/workorders/coordination/parties/{maker.pk}/", {"base_province": center.province.pk})
    assert PartySetting.objects.get(org=maker).base_province == center.province
    manager.post(f"/workorders/coordination/parties/{maker.pk}/", {"base_province": center.gz.pk})
    assert PartySetting.objects.get(org=maker).base_province == center.province  # a city: refused


def test_calendar_api_validates(center):
    from kefu.core.testing import JsonClient

    api = JsonClient(client_for(make_staff(org=center.province, perms=["workorders.coordination.manage"])))
    r = api.put("/api/workorders/calendars/GZ", {"work_start": "09:00", "work_end": "18:00", "workdays": "12345",
                                                 "holidays": ["2026-10-01"]})
    assert r.status_code == 200 and r.json()["holidays"] == ["2026-10-01"]
    r = api.put("/api/workorders/calendars/GZ", {"work_start": "09:00", "work_end": "18:00", "holidays": ["nope"]})
    assert r.status_code == 400
    assert api.put("/api/workorders/calendars/NOPE", {"work_start": "09:00", "work_end": "18:00"}).status_code == 404
    denied = JsonClient(client_for(make_staff(org=center.province)))
    assert denied.put("/api/workorders/calendars/GZ", {"work_start": "09:00", "work_end": "18:00"}).status_code == 403


def test_customer_360_section_lists_the_customers_orders_in_scope(center):
    order = complaint(center)
    viewer = client_for(make_staff(org=center.province, perms=["workorders.order.view"]))
    r = viewer.get(f"/workorders/customers/{center.vip.pk}/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and order.serial in r.content.decode()
    outsider = client_for(make_staff(org=center.sz, perms=["workorders.order.view"]))
    assert order.serial not in outsider.get(f"/workorders/customers/{center.vip.pk}/").content.decode()
    r = client_for(make_staff(org=center.province)).get(f"/workorders/customers/{center.vip.pk}/",
                                                        HTTP_HX_REQUEST="true")
    assert r.status_code == 403 and "forbidden-fragment" in r.content.decode()
