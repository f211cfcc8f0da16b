"""Login throttling per account and per client address, a growing delay instead of a long hard lock,
unlock by another administrator, and locked or disabled accounts losing their API tokens at once."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.testing import TEST_PASSWORD, JsonClient, client_for, make_staff
from kefu.iam.models import Staff
from kefu.iam.services.staff import staff_set_status
from kefu.iam.services.tokens import api_token_create
from kefu.params.services import param_set

from .conftest import api_for


def _login(employee_no, password, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post("/iam/login/", {"employee_no": employee_no, "password": password})


@pytest.fixture
def person(province):
    return make_staff(org=province, perms=["iam.team.view"], employee_no="p001", name="普通员工")


@pytest.fixture
def three_tries(admin):
    param_set(actor=admin, key="iam.login.max_failures", raw="3")
    param_set(actor=admin, key="iam.login.delay", raw="60")
    param_set(actor=admin, key="iam.login.lockout", raw="600")


def _locked_for(staff) -> float:
    staff.refresh_from_db()
    return (staff.locked_until - clock.now()).total_seconds()


def test_the_lockout_grows_with_each_further_failure_up_to_the_longest(person, three_tries):
    clock.freeze(clock.now())
    for _ in range(3):
        _login("p001", "wrong-password1")
    assert _locked_for(person) == 60
    assert AuditEntry.objects.filter(action="lock", object_id=str(person.pk)).count() == 1
    delays = []
    for _ in range(5):
        clock.advance(timedelta(seconds=_locked_for(person) + 1))
        _login("p001", "wrong-password1")
        delays.append(_locked_for(person))
    assert delays == [120, 240, 480, 600, 600]
    assert AuditEntry.objects.filter(action="lock", object_id=str(person.pk)).count() == 6


def test_a_stranger_locks_an_administrator_out_for_a_minute_not_half_an_hour(admin, province):
    make_staff(org=province, employee_no="admin2", is_super=True)  # not the last super administrator
    clock.freeze(clock.now())
    for _ in range(5):
        _login("admin", "wrong-password1", address="10.9.9.9")
    r = _login("admin", TEST_PASSWORD, address="10.0.0.2")
    assert r.status_code == 400 and "管理员可提前解锁" in r.content.decode()
    clock.advance(timedelta(seconds=61))
    assert _login("admin", TEST_PASSWORD, address="10.0.0.2").status_code == 302


def test_the_last_super_administrator_never_waits_longer_than_the_first_delay(admin, three_tries):
    clock.freeze(clock.now())
    for _ in range(3):
        _login("admin", "wrong-password1", address=f"10.1.0.{_}")
    for n in range(6):
        assert _locked_for(admin) == 60
        clock.advance(timedelta(seconds=61))
        _login("admin", "wrong-password1", address=f"10.2.0.{n}")
    clock.advance(timedelta(seconds=61))
    assert _login("admin", TEST_PASSWORD).status_code == 302


def test_another_administrator_unlocks_at_once_and_it_is_audited(admin, admin_api, person, three_tries):
    for _ in range(3):
        _login("p001", "wrong-password1")
    assert _login("p001", TEST_PASSWORD).status_code == 400
    r = admin_api.post(f"/api/iam/staff/{person.pk}/unlock")
    assert r.status_code == 200 and r.json()["locked_until"] is None
    assert AuditEntry.objects.filter(action="unlock", object_id=str(person.pk), actor=admin).exists()
    assert _login("p001", TEST_PASSWORD).status_code == 302


def test_unlocking_needs_the_right_and_the_person_in_scope(person, three_tries, other_city, city):
    for _ in range(3):
        _login("p001", "wrong-password1")
    assert api_for(make_staff(org=person.org, perms=["iam.staff.view"])).post(
        f"/api/iam/staff/{person.pk}/unlock").status_code == 403
    assert api_for(make_staff(org=other_city, perms=["iam.staff.view", "iam.staff.reset_password"])).post(
        f"/api/iam/staff/{person.pk}/unlock").status_code == 404
    assert Staff.objects.get(pk=person.pk).is_locked()


def test_the_unlock_button_on_the_staff_page(admin, person, three_tries):
    for _ in range(3):
        _login("p001", "wrong-password1")
    c = client_for(admin)
    assert 'data-testid="unlock"' in c.get(f"/iam/staff/{person.pk}/").content.decode()
    c.post(f"/iam/staff/{person.pk}/unlock/")
    assert not Staff.objects.get(pk=person.pk).is_locked()
    assert 'data-testid="unlock"' not in c.get(f"/iam/staff/{person.pk}/").content.decode()


def test_one_address_cannot_spray_many_accounts(admin, province):
    param_set(actor=admin, key="iam.login.address_max_failures", raw="4")
    for i in range(5):
        make_staff(org=province, employee_no=f"s{i:03d}")
    for i in range(3):
        assert _login(f"s{i:03d}", "Spring2026!", address="10.6.6.6").status_code == 400
    _login("nobody-here", "Spring2026!", address="10.6.6.6")  # unknown numbers count too
    # The address is blocked now, even for a right password; each account had only one failure.
    r = _login("s004", TEST_PASSWORD, address="10.6.6.6")
    assert r.status_code == 400 and "您所在地址的登录失败次数过多" in r.content.decode()
    assert set(Staff.objects.filter(employee_no__startswith="s0").values_list("failed_logins", flat=True)) <= {0, 1}
    assert AuditEntry.objects.filter(action="lock", object_type="iam.client_address", object_id="10.6.6.6").exists()
    # Another address is not affected, and the block ends with its window.
    assert _login("s004", TEST_PASSWORD, address="10.7.7.7").status_code == 302
    clock.advance(timedelta(minutes=15, seconds=1))
    assert _login("s004", TEST_PASSWORD, address="10.6.6.6").status_code == 302


def test_a_locked_accounts_tokens_stop_at_once_and_work_again_after_unlock(admin_api, person, three_tries):
    _token, secret = api_token_create(actor=person, name="集成")
    bearer = JsonClient(token=secret)
    assert bearer.get("/api/iam/teams").status_code == 200
    for _ in range(3):
        _login("p001", "wrong-password1")
    assert bearer.get("/api/iam/teams").status_code == 401
    admin_api.post(f"/api/iam/staff/{person.pk}/unlock")
    assert bearer.get("/api/iam/teams").status_code == 200


def test_a_disabled_accounts_tokens_and_sessions_stop_at_once(person):
    _token, secret = api_token_create(actor=person, name="集成")
    bearer = JsonClient(token=secret)
    page = client_for(person)
    assert page.get("/api/iam/me").status_code == 200
    staff_set_status(actor="test", staff=person, status="suspended")
    assert bearer.get("/api/iam/teams").status_code == 401
    assert page.get("/api/iam/me").status_code == 401
