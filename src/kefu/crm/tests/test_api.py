"""API tests: every endpoint refuses the anonymous (401), the unpermitted (403)
and customers outside the caller's scope (404); then what it does."""

import pytest

from kefu.audit.models import AuditAction, AuditEntry
from kefu.crm.models import Customer

from .factories import id_card

BASE = "/api/crm/customers"


def _endpoints(c, account_id, org_id=None):
    """(method, path, body, permission, success status) of every operation on customer ``c``."""
    return [
        ("get", BASE, None, "crm.customer.view", 200),
        ("get", f"{BASE}/{c}", None, "crm.customer.view", 200),
        ("post", BASE, {"name": "新客户", "certificate_no": id_card(), "org_id": org_id}, "crm.customer.edit", 201),
        ("patch", f"{BASE}/{c}", {"version": 1, "name": "王伟强"}, "crm.customer.edit", 200),
        ("post", f"{BASE}/{c}/accounts", {"name": "副账户"}, "crm.customer.edit", 201),
        ("post", f"{BASE}/{c}/subscribers", {"account_id": account_id, "number": "13700099999", "brand": "gotone"},
         "crm.customer.edit", 201),
        ("post", f"{BASE}/{c}/reveal", None, ("crm.customer.view", "crm.customer.reveal"), 200),
        ("post", f"{BASE}/{c}/service-password/verify", {"password": "135790"}, "crm.customer.view", 200),
        ("post", f"{BASE}/{c}/service-password/unlock", None, "crm.password.reset", 200),
        ("post", f"{BASE}/{c}/service-password/reset", {"password": "246801"}, "crm.password.reset", 200),
    ]


ENDPOINT_IDS = ["search", "detail", "create", "update", "add-account", "add-subscriber", "reveal", "verify",
                "unlock", "reset"]


def _call(api, method, path, body):
    return getattr(api, method)(path, body) if method != "get" else api.get(path)


@pytest.mark.parametrize("index", range(10), ids=ENDPOINT_IDS)
def test_anonymous_gets_401(anon_api, gz_customer, index):
    method, path, body, _perm, _ok = _endpoints(gz_customer.pk, gz_customer.accounts.get().pk)[index]
    r = _call(anon_api, method, path, body)
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("index", range(10), ids=ENDPOINT_IDS)
def test_without_the_permission_gets_403(nobody_api, gz_customer, index):
    method, path, body, _perm, _ok = _endpoints(gz_customer.pk, gz_customer.accounts.get().pk,
                                                gz_customer.org_id)[index]
    r = _call(nobody_api, method, path, body)
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"


@pytest.mark.parametrize("index", range(10), ids=ENDPOINT_IDS)
def test_with_the_permission_succeeds(gz_api, gz_customer, city, index):
    method, path, body, perm, ok = _endpoints(gz_customer.pk, gz_customer.accounts.get().pk, city.pk)[index]
    api = gz_api(*(perm if isinstance(perm, tuple) else (perm,)))
    r = _call(api, method, path, body)
    assert r.status_code == ok, r.content


@pytest.mark.parametrize("index", [1, 3, 4, 5, 6, 7, 8, 9], ids=[ENDPOINT_IDS[i] for i in [1, 3, 4, 5, 6, 7, 8, 9]])
def test_a_customer_outside_the_callers_scope_is_404(gz_api, sz_customer, index):
    method, path, body, perm, _ok = _endpoints(sz_customer.pk, sz_customer.accounts.get().pk)[index]
    api = gz_api(*(perm if isinstance(perm, tuple) else (perm,)))
    r = _call(api, method, path, body)
    assert r.status_code == 404 and r.json()["code"] == "customer_not_found"
    assert Customer.objects.get(pk=sz_customer.pk).version == 1


def test_search_is_scoped_paginated_masked_and_audited(gz_api, gz_customer, sz_customer):
    api = gz_api("crm.customer.view")
    r = api.get(BASE, {"q": "13900000001"})
    body = r.json()
    assert body["count"] == 1
    [row] = body["items"]
    assert row["certificate_no_masked"] == "4401**********1235"
    assert "certificate_no" not in row and "address" not in row
    assert row["lines"] == [{"number": "13900000001", "brand": "mzone", "status": "active"}]
    assert api.get(BASE, {"q": "13800000002"}).json()["count"] == 0  # Shenzhen's customer
    assert AuditEntry.objects.filter(action=AuditAction.SEARCH, conditions={"number": "13800000002"},
                                     result_count=0).exists()
    shown = AuditEntry.objects.get(action=AuditAction.SEARCH, conditions__number="13900000001")
    assert shown.conditions["customers"] == [gz_customer.pk] and shown.object_id == str(gz_customer.pk)


def test_search_refuses_oversized_and_unknown_filters(gz_api):
    api = gz_api("crm.customer.view")
    assert api.get(BASE, {"q": "x" * 101}).status_code == 400
    assert api.get(BASE, {"name_match": "soundex"}).status_code == 400
    assert api.get(BASE, {"brand": "unicom"}).status_code == 400
    assert api.get(BASE, {"tier": "gold"}).status_code == 400


def test_detail_shows_the_360_masked(gz_api, gz_customer):
    body = gz_api("crm.customer.view").get(f"{BASE}/{gz_customer.pk}").json()
    assert body["certificate_no_masked"] == "4401**********1235" and body["address_masked"] == "广州市天河区****"
    assert body["service_password"]["is_set"] is True and "440106199001011235" not in str(body)
    assert [s["number"] for s in body["subscribers"]] == ["13900000001"]
    assert body["accounts"][0]["balance"] == "0.00"


def test_create_with_accounts_and_lines(gz_api, city):
    r = gz_api("crm.customer.edit").post(BASE, {
        "name": "赵敏", "certificate_no": id_card(), "org_id": city.pk, "tier": "vip", "vip_level": "gold",
        "service_password": "135790", "address": "广州市越秀区中山五路1号",
        "accounts": [{"name": "赵敏", "pay_method": "bank_debit", "account_no": "880000000001", "balance": "50.00"},
                     {"name": "赵敏副卡"}],
        "subscribers": [{"number": "13700012345", "brand": "gotone"},
                        {"number": "13700012346", "brand": "mzone", "account_no": "880000000001"}],
    })
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["service_tier"] == "vip" and body["account_count"] == 2 and body["subscriber_count"] == 2


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"name": "x" * 101}, 400, "invalid"),
    ({"certificate_no": "123"}, 400, "invalid_certificate"),
    ({"org_id": 999999}, 400, "org_not_found"),
    ({"manager_id": 999999}, 400, "invalid_manager"),
    ({"subscribers": [{"number": "1", "brand": "gotone"}], "accounts": [{"name": "a"}]}, 400, "invalid_number"),
    ({"accounts": [{"name": "a", "balance": "1.234"}]}, 400, "invalid"),
    ({"certificate_no": "440106199001011235"}, 409, "duplicate_certificate"),
    ({"subscribers": [{"number": "13900000001", "brand": "gotone"}], "accounts": [{"name": "a"}]}, 409,
     "duplicate_number"),
])
def test_create_refuses_bad_input_without_writing(gz_api, city, gz_customer, payload, status, code):
    body = {"name": "坏数据", "certificate_no": id_card(), "org_id": city.pk, **payload}
    count = Customer.objects.count()
    r = gz_api("crm.customer.edit").post(BASE, body)
    assert (r.status_code, r.json()["code"]) == (status, code), r.content
    assert Customer.objects.count() == count


def test_create_in_an_organisation_outside_scope_is_refused(gz_api, other_city):
    r = gz_api("crm.customer.edit").post(BASE, {"name": "越界", "certificate_no": id_card(),
                                                "org_id": other_city.pk})
    assert r.status_code == 400 and r.json()["code"] == "org_not_found"


def test_malformed_json_is_400(gz_api):
    r = gz_api("crm.customer.edit").post(BASE, "{not json")
    assert r.status_code == 400


def test_update_with_a_stale_version_is_409(gz_api, gz_customer):
    api = gz_api("crm.customer.edit")
    assert api.patch(f"{BASE}/{gz_customer.pk}", {"version": 1, "tier": "vip"}).json()["version"] == 2
    r = api.patch(f"{BASE}/{gz_customer.pk}", {"version": 1, "name": "别人"})
    assert r.status_code == 409 and r.json()["code"] == "stale_version"
    assert r.json()["details"] == {"current_version": 2}


def test_update_can_clear_the_manager_but_not_null_a_name(gz_api, gz_customer, city, staff_factory):
    api = gz_api("crm.customer.edit")
    manager = staff_factory(org=city)
    assert api.patch(f"{BASE}/{gz_customer.pk}", {"version": 1, "manager_id": manager.pk}).json()["manager"][
        "employee_no"] == manager.employee_no
    assert api.patch(f"{BASE}/{gz_customer.pk}", {"version": 2, "manager_id": None}).json()["manager"] is None
    assert api.patch(f"{BASE}/{gz_customer.pk}", {"version": 3, "name": None}).status_code == 400


def test_subscriber_must_use_an_account_of_the_customer(gz_api, gz_customer, sz_customer):
    r = gz_api("crm.customer.edit").post(f"{BASE}/{gz_customer.pk}/subscribers", {
        "account_id": sz_customer.accounts.get().pk, "number": "13700077777", "brand": "mzone"})
    assert r.status_code == 400 and r.json()["code"] == "account_mismatch"


def test_reveal_returns_clear_values_and_is_audited(gz_api, gz_customer):
    r = gz_api("crm.customer.view", "crm.customer.reveal").post(f"{BASE}/{gz_customer.pk}/reveal")
    assert r.json() == {"certificate_no": "440106199001011235", "address": "广州市天河区体育西路123号"}
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL, object_id=str(gz_customer.pk)).count() == 1


def test_reveal_without_the_reveal_permission_is_403(gz_api, gz_customer):
    r = gz_api("crm.customer.view").post(f"{BASE}/{gz_customer.pk}/reveal")
    assert r.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_verify_counts_down_then_423_then_unlock(gz_api, gz_customer):
    agent = gz_api("crm.customer.view")
    path = f"{BASE}/{gz_customer.pk}/service-password"
    assert agent.post(f"{path}/verify", {"password": "000000"}).json() == {"verified": False, "remaining_tries": 2}
    assert agent.post(f"{path}/verify", {"password": "000000"}).json()["remaining_tries"] == 1
    r = agent.post(f"{path}/verify", {"password": "000000"})
    assert r.status_code == 423 and r.json()["code"] == "service_password_locked"
    assert agent.post(f"{path}/verify", {"password": "135790"}).status_code == 423
    assert agent.post(f"{path}/unlock").status_code == 403
    r = gz_api("crm.password.reset").post(f"{path}/unlock")
    assert r.json()["locked_at"] is None and r.json()["failures"] == 0
    assert agent.post(f"{path}/verify", {"password": "135790"}).json()["verified"] is True


def test_reset_validates_the_new_password(gz_api, gz_customer):
    api = gz_api("crm.password.reset")
    r = api.post(f"{BASE}/{gz_customer.pk}/service-password/reset", {"password": "12345"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_service_password"
    r = api.post(f"{BASE}/{gz_customer.pk}/service-password/reset", {"password": "9" * 33})
    assert r.status_code == 400
