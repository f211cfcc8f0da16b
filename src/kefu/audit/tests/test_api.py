"""The audit API: denial, search conditions, paging, scope, recording."""

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.testing import JsonClient, client_for

VIEW = "audit.log.view"


def urls(entries):
    return ["/api/audit/entries", f"/api/audit/entries/{entries['gz'].pk}"]


@pytest.mark.parametrize("index", [0, 1])
def test_every_endpoint_denies_anonymous_and_unpermitted(entries, index, anon_api, nobody_api, staff_factory,
                                                         province):
    url = urls(entries)[index]
    before = AuditEntry.objects.count()
    r = anon_api.get(url)
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
    r = nobody_api.get(url)
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert AuditEntry.objects.count() == before  # a refused search is no search
    ok = JsonClient(client_for(staff_factory(VIEW, org=province)))
    assert ok.get(url).status_code == 200


def test_search_by_conditions_and_the_answer_shape(entries, admin_api):
    r = admin_api.get("/api/audit/entries", {"action": "update", "object_type": "orgs.organisation",
                                             "actor": "gz001"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == entries["gz"].pk
    assert item["actor_employee_no"] == "gz001"
    assert item["changes"] == {"name": ["广州", "广州分公司"]}
    assert item["object_type_label"]
    r = admin_api.get("/api/audit/entries", {"since": "2026-03-01T09:30:00+08:00",
                                             "until": "2026-03-01T10:30:00+08:00"})
    assert [i["id"] for i in r.json()["items"]] == [entries["sz"].pk]
    r = admin_api.get("/api/audit/entries", {"text": "临时"})
    assert [i["id"] for i in r.json()["items"]] == [entries["system"].pk]


def test_search_is_recorded(entries, admin, admin_api):
    admin_api.get("/api/audit/entries", {"object_type": "crm.customer"})
    record = AuditEntry.objects.filter(object_type="audit.auditentry", action="search").get()
    assert record.actor == admin and record.channel == "api"
    assert record.conditions == {"object_type": "crm.customer"} and record.result_count == 1


def test_paging(entries, admin_api):
    page = admin_api.get("/api/audit/entries", {"page_size": 1, "page": 2, "object_type": "crm.customer"}).json()
    assert page["count"] == 1 and page["items"] == []
    page = admin_api.get("/api/audit/entries", {"page_size": 2}).json()
    assert len(page["items"]) == 2 and page["count"] >= 3


@pytest.mark.parametrize(
    "params",
    [{"action": "teleport"}, {"since": "yesterday"}, {"since": "2026-03-02T00:00", "until": "2026-03-01T00:00"},
     {"text": "x" * 101}, {"page": 0}],
)
def test_bad_conditions_are_a_clear_400(entries, admin_api, params):
    r = admin_api.get("/api/audit/entries", params)
    assert r.status_code == 400
    assert r.json()["message"]


def test_search_is_scoped(entries, staff_factory, city):
    gz = JsonClient(client_for(staff_factory(VIEW, org=city)))
    found = {i["id"] for i in gz.get("/api/audit/entries").json()["items"]}
    assert entries["gz"].pk in found
    assert entries["sz"].pk not in found and entries["system"].pk not in found
    assert gz.get(f"/api/audit/entries/{entries['sz'].pk}").status_code == 404


def test_get_one_entry(entries, admin_api):
    r = admin_api.get(f"/api/audit/entries/{entries['sz'].pk}")
    assert r.status_code == 200
    assert r.json()["conditions"] == {"number": "13800138000"} and r.json()["result_count"] == 2
    assert admin_api.get("/api/audit/entries/999999").status_code == 404
