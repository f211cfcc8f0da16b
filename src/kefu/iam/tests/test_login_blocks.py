"""A client address blocked after too many failed logins can be unblocked early by an administrator over all
organisations (API and the staff page), audited; a branch administrator cannot reopen an address that serves
every branch."""

import pytest
from django.test import Client

from kefu.audit.models import AuditEntry
from kefu.core.testing import TEST_PASSWORD, client_for, make_staff
from kefu.iam.models import LoginThrottle
from kefu.params.services import param_set

from .conftest import api_for

UNLOCKER = ["iam.staff.view", "iam.staff.reset_password"]


def _login(employee_no, password, address):
    return Client(REMOTE_ADDR=address).post("/iam/login/", {"employee_no": employee_no, "password": password})


@pytest.fixture
def blocked(admin, province):
    """10.6.6.6 sprayed wrong passwords until it was blocked; p001's right password is refused from there."""
    param_set(actor=admin, key="iam.login.address_max_failures", raw="3")
    make_staff(org=province, employee_no="p001")
    for i in range(3):
        _login(f"nobody{i}", "Spring2026!", "10.6.6.6")
    assert _login("p001", TEST_PASSWORD, "10.6.6.6").status_code == 400
    return LoginThrottle.objects.get(address="10.6.6.6")


def test_an_administrator_lists_and_unblocks_an_address_at_once_and_it_is_audited(blocked, admin, admin_api):
    rows = admin_api.get("/api/iam/login-blocks").json()["items"]
    assert [(r["id"], r["address"], r["failures"]) for r in rows] == [(blocked.pk, "10.6.6.6", 3)]
    r = admin_api.post(f"/api/iam/login-blocks/{blocked.pk}/unblock")
    assert r.status_code == 200 and r.json()["blocked_until"] is None and r.json()["failures"] == 0
    entry = AuditEntry.objects.get(action="unlock", object_type="iam.client_address", object_id="10.6.6.6")
    assert entry.actor == admin
    assert admin_api.get("/api/iam/login-blocks").json()["items"] == []
    assert _login("p001", TEST_PASSWORD, "10.6.6.6").status_code == 302


def test_unblocking_an_address_that_is_no_longer_blocked_changes_nothing(blocked, admin_api):
    admin_api.post(f"/api/iam/login-blocks/{blocked.pk}/unblock")
    assert admin_api.post(f"/api/iam/login-blocks/{blocked.pk}/unblock").status_code == 200
    assert AuditEntry.objects.filter(action="unlock", object_type="iam.client_address").count() == 1
    r = admin_api.post("/api/iam/login-blocks/987654/unblock")
    assert r.status_code == 404 and r.json()["code"] == "login_block_not_found"


def test_unblocking_needs_the_right(blocked, province):
    api = api_for(make_staff(org=province, perms=["iam.staff.view"]))
    assert api.get("/api/iam/login-blocks").status_code == 403
    assert api.post(f"/api/iam/login-blocks/{blocked.pk}/unblock").status_code == 403
    assert LoginThrottle.objects.get(pk=blocked.pk).blocked_until is not None


def test_a_branch_administrator_cannot_reopen_an_address_serving_every_branch(blocked, city):
    api = api_for(make_staff(org=city, perms=UNLOCKER))
    for r in (api.get("/api/iam/login-blocks"), api.post(f"/api/iam/login-blocks/{blocked.pk}/unblock")):
        assert r.status_code == 403 and r.json()["code"] == "address_out_of_reach"
    assert LoginThrottle.objects.get(pk=blocked.pk).blocked_until is not None
    page = client_for(make_staff(org=city, perms=UNLOCKER))
    assert 'data-testid="login-blocks"' not in page.get("/iam/staff/").content.decode()
    assert page.post(f"/iam/login-blocks/{blocked.pk}/unblock/").status_code == 403
    assert LoginThrottle.objects.get(pk=blocked.pk).blocked_until is not None


def test_the_unblock_button_on_the_staff_page(blocked, province, admin):
    c = client_for(make_staff(org=province, perms=UNLOCKER))
    html = c.get("/iam/staff/").content.decode()
    assert 'data-testid="login-block-10.6.6.6"' in html and 'data-testid="unblock-10.6.6.6"' in html
    r = c.post(f"/iam/login-blocks/{blocked.pk}/unblock/")
    assert r.status_code == 302 and r["Location"] == "/iam/staff/"
    assert LoginThrottle.objects.get(pk=blocked.pk).blocked_until is None
    assert AuditEntry.objects.filter(action="unlock", object_type="iam.client_address").exists()
    html = c.get("/iam/staff/").content.decode()
    assert 'data-testid="no-login-blocks"' in html and "unblock-10.6.6.6" not in html
