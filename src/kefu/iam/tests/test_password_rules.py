"""SPEC §1 password rules and staff profile bounds, in every door that sets them."""

from datetime import date

import pytest

from kefu.core.errors import ValidationFailed
from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.iam.services.staff import staff_create, staff_update

STAFF = "/api/iam/staff"


@pytest.mark.parametrize("password", ["gz9001", "gz9001abc", "Abc-GZ9001-x", "张三丰Kefu2026", "13912345678a"])
def test_create_refuses_a_password_built_on_the_person(admin_api, province, password):
    r = admin_api.post(STAFF, {"employee_no": "gz9001", "name": "张三丰", "password": password,
                               "org_id": province.pk, "phone": "13912345678"})
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "weak_password"


def test_create_takes_a_password_unrelated_to_the_person(admin_api, province):
    r = admin_api.post(STAFF, {"employee_no": "gz9002", "name": "张三丰", "password": "Kefu-2026-river",
                               "org_id": province.pk})
    assert r.status_code == 201, r.content


def test_the_refusal_is_in_the_users_language(admin_api, province):
    r = admin_api.post(STAFF, {"employee_no": "gz9003", "name": "李四", "password": "gz9003xyz1",
                               "org_id": province.pk})
    assert "工号" in r.json()["message"]


def test_reset_refuses_a_password_equal_to_the_employee_number(admin_api, province):
    person = make_staff(org=province, employee_no="sz7007a", name="王五")
    r = admin_api.post(f"{STAFF}/{person.pk}/reset-password", {"password": "sz7007a"})
    assert r.status_code == 400 and r.json()["code"] == "weak_password", r.content
    r = admin_api.post(f"{STAFF}/{person.pk}/reset-password", {"password": "Sz7007a-2026"})
    assert r.status_code == 400 and r.json()["code"] == "weak_password", r.content


def test_own_change_refuses_a_password_containing_the_employee_number(province):
    person = make_staff(org=province, employee_no="agent042", name="赵六")
    api = JsonClient(client_for(person))
    r = api.post("/api/iam/me/password", {"old_password": "Secret12345x", "new_password": "agent042-2026"})
    assert r.status_code == 400 and r.json()["code"] == "weak_password", r.content
    r = api.post("/api/iam/me/password", {"old_password": "Secret12345x", "new_password": "Kefu-river-2026"})
    assert r.status_code == 200, r.content


def test_the_service_refuses_a_birth_date_before_1900(province):
    with pytest.raises(ValidationFailed):
        staff_create(actor="test", employee_no="old001", name="古人", password="Kefu-2026-river", org=province,
                     birth_date=date(1, 1, 1))
    person = make_staff(org=province)
    with pytest.raises(ValidationFailed):
        staff_update(actor="test", staff=person, birth_date=date(1899, 12, 31))
