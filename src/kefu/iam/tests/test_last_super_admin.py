"""Kefu always keeps a super administrator: the super role cannot be deleted, and the last active super
administrator cannot be disabled, marked as left or demoted."""

import pytest

from kefu.core.testing import client_for, make_staff
from kefu.iam.models import Role, Staff
from kefu.iam.services.roles import role_create


@pytest.fixture
def super_role(admin):
    return admin.role


def test_the_super_role_cannot_be_deleted(admin_api, super_role):
    r = admin_api.delete(f"/api/iam/roles/{super_role.pk}")
    assert r.status_code == 409 and r.json()["code"] == "super_role_protected"
    assert Role.objects.filter(pk=super_role.pk, is_super=True).exists()


def test_the_role_page_refuses_to_delete_the_super_role(admin, super_role):
    c = client_for(admin)
    r = c.post(f"/iam/roles/{super_role.pk}/delete/", follow=True)
    assert Role.objects.filter(pk=super_role.pk).exists()
    assert "不能删除超级角色" in r.content.decode()


@pytest.mark.parametrize("call", [
    ("delete", "/api/iam/staff/{id}", None),
    ("post", "/api/iam/staff/{id}/status", {"status": "suspended"}),
    ("post", "/api/iam/staff/{id}/status", {"status": "left"}),
    ("patch", "/api/iam/staff/{id}", {"status": "suspended"}),
    ("patch", "/api/iam/staff/{id}", {"role_id": None}),
    ("patch", "/api/iam/staff/{id}", {"role_id": "{plain}"}),
])
def test_the_last_super_administrator_cannot_be_disabled_or_demoted(admin, admin_api, call):
    plain = role_create(actor="test", name="普通角色")
    method, path, body = call
    if body and body.get("role_id") == "{plain}":
        body = {"role_id": plain.pk}
    r = getattr(admin_api, method)(path.format(id=admin.pk), *([body] if body is not None else []))
    assert r.status_code == 409, r.content
    assert r.json()["code"] == "last_super_admin" and "管理员" in r.json()["message"]
    fresh = Staff.objects.get(pk=admin.pk)
    assert fresh.status == "active" and fresh.role.is_super


def test_the_super_flag_of_the_last_super_role_stays(admin_api, super_role):
    r = admin_api.patch(f"/api/iam/roles/{super_role.pk}", {"is_super": False})
    assert r.status_code == 409 and r.json()["code"] == "last_super_admin"
    assert Role.objects.get(pk=super_role.pk).is_super


def test_with_a_second_super_administrator_the_first_may_go(admin, admin_api, super_role, province):
    second = make_staff(org=province, employee_no="admin2", is_super=True)
    assert Staff.objects.get(pk=second.pk).role.is_super
    assert admin_api.post(f"/api/iam/staff/{second.pk}/status", {"status": "suspended"}).status_code == 200
    # Now the first one is the last again.
    assert admin_api.post(f"/api/iam/staff/{admin.pk}/status", {"status": "suspended"}).status_code == 409


def test_a_super_administrator_on_leave_still_counts(admin, admin_api, province):
    other = make_staff(org=province, employee_no="admin2", is_super=True)
    Staff.objects.filter(pk=other.pk).update(status="on_leave")
    assert admin_api.post(f"/api/iam/staff/{admin.pk}/status", {"status": "left"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_people_suspending_the_last_two_super_administrators_at_once_leave_one(province, monkeypatch):
    """The second change waits for the first and then sees what is left: no deadlock, one 409."""
    import contextlib
    import threading

    from django.db import connection

    from kefu.core.errors import Conflict
    from kefu.iam.services import staff as staff_services

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite runs one writer at a time)")
    first = make_staff(org=province, employee_no="su1", is_super=True)
    second = make_staff(org=province, employee_no="su2", is_super=True)
    both_locked_their_row = threading.Barrier(2)
    real_check = staff_services.check_super_target

    def check_after_both_locked(actor, staff):
        # Without the ordered lock of every super administrator first, both threads hold their own
        # target's row here and then wait for each other's (a deadlock, or both passing the check).
        with contextlib.suppress(threading.BrokenBarrierError):
            both_locked_their_row.wait(timeout=3)
        return real_check(actor, staff)

    monkeypatch.setattr(staff_services, "check_super_target", check_after_both_locked)
    outcomes, errors = [], []

    def suspend(person):
        try:
            staff_services.staff_set_status(actor="test", staff=person, status="suspended")
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # a deadlock would land here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=suspend, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and sorted(outcomes) == ["last_super_admin", "ok"]
    assert Staff.objects.filter(role__is_super=True, status="active").count() == 1


def test_the_staff_page_explains_why_the_last_super_administrator_stays(admin):
    c = client_for(admin)
    r = c.post(f"/iam/staff/{admin.pk}/status/", {"status": "suspended"})
    assert r.status_code == 409 and "最后一位在岗的超级管理员" in r.content.decode()
    assert Staff.objects.get(pk=admin.pk).status == "active"
