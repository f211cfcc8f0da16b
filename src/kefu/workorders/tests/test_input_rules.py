"""Input a work order must refuse: impossible fault times and coordination orders made by hand."""

import pytest

from kefu.core.errors import ValidationFailed
from kefu.core.testing import JsonClient, client_for
from kefu.workorders.kinds import validate_fields
from kefu.workorders.services.orders import workorder_create

FAULT = {"category": "voice", "symptom": "断续", "place": "天河区"}


@pytest.mark.parametrize("value", ["2026-02-30 10:00", "2026-01-01 25:61", "2026-13-01 10:00", "昨晚 20:00 起",
                                   "0001-01-01 00:00", "2026-02-29 10:00", "10:00"])
def test_a_fault_time_must_be_a_real_date_and_time(value):
    _columns, _details, errors = validate_fields("fault", {**FAULT, "fault_time": value})
    assert "fault_time" in errors


@pytest.mark.parametrize("value, stored", [("2028-02-29 23:59", "2028-02-29 23:59"),
                                           ("2026-02-03T14:30", "2026-02-03 14:30"),
                                           ("2026-02-03 14:30:15", "2026-02-03 14:30")])
def test_a_real_fault_time_is_stored_in_one_form(value, stored):
    _columns, details, errors = validate_fields("fault", {**FAULT, "fault_time": value})
    assert not errors and details["fault_time"] == stored


def test_the_api_refuses_an_impossible_fault_time(center):
    api = JsonClient(client_for(center.agent))
    r = api.post("/api/workorders/orders", {"kind": "fault", "title": "断网", "description": "d",
                                            "fields": {**FAULT, "fault_time": "2026-02-30 25:61"}})
    assert r.status_code == 400 and "fault_time" in r.json()["details"], r.content
    r = api.post("/api/workorders/orders", {"kind": "fault", "title": "断网", "description": "d",
                                            "fields": {**FAULT, "fault_time": "2026-02-28 23:10"}})
    assert r.status_code == 201, r.content


def test_the_order_form_offers_a_date_time_input_for_the_fault_time(center):
    page = client_for(center.agent).get("/workorders/new/", {"kind": "fault"})
    assert b'type="datetime-local"' in page.content


def test_a_coordination_order_cannot_be_created_through_the_api(center):
    api = JsonClient(client_for(center.agent))
    r = api.post("/api/workorders/orders", {"kind": "coordination", "title": "协调", "description": "d"})
    assert r.status_code == 400, r.content
    assert "kind" in r.json()["details"]


def test_the_service_creates_a_coordination_order_only_for_a_forward(center):
    with pytest.raises(ValidationFailed) as caught:
        workorder_create(actor=center.agent, kind="coordination", title="协调", description="d")
    assert "kind" in caught.value.details


@pytest.mark.parametrize("start", ["09:00+08:00", "09:00Z"])
def test_working_hours_with_a_time_zone_are_refused_on_the_page_too(center, start):
    from kefu.core.testing import make_staff
    from kefu.workorders.models import BusinessCalendar

    manager = client_for(make_staff(org=center.province, perms=["workorders.coordination.manage"]))
    r = manager.post("/workorders/coordination/calendars/", {"org": center.gz.pk, "work_start": start,
                                                             "work_end": "18:00", "workdays": ["1"]})
    assert r.status_code < 500
    assert not BusinessCalendar.objects.filter(org=center.gz).exists()
