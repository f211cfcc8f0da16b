"""Roles are shared by every branch: a role held outside my organisations is read-only to me.

A Guangzhou supervisor with the grant and role rights must not change Shenzhen's agents by changing the
role they share; the province (over both branches) and super administrators still can.
"""

import pytest

from kefu.core.testing import client_for, make_staff
from kefu.iam.models import Role, RoleGrant
from kefu.iam.services.roles import role_create, role_grant

from .conftest import api_for

SUPERVISOR = ("iam.grant", "iam.role", "iam.staff", "crm", "audit")


@pytest.fixture
def shared(role, agent, other_agent):
    """The agents' role, held in Guangzhou and in Shenzhen."""
    other_agent.role = role
    other_agent.save(update_fields=["role"])
    role_grant(actor="test", role=role, codes=["crm.customer.view"])
    return role


@pytest.fixture
def gz_sup(city):
    return make_staff(org=city, perms=SUPERVISOR, employee_no="gz900", name="广州班长")


@pytest.fixture
def gz_only(agent, city):
    """A role held only inside Guangzhou."""
    local = role_create(actor="test", name="广州质检")
    make_staff(org=city, role=local, employee_no="gz002")
    return local


def _codes(role):
    return set(RoleGrant.objects.filter(role=role).values_list("node__code", flat=True))


def test_batch_grant_to_a_role_held_in_another_branch_is_refused(shared, gz_sup):
    before = _codes(shared)
    r = api_for(gz_sup).post("/api/iam/grants/batch", {"codes": ["iam.grant"], "role_ids": [shared.pk]})
    assert r.status_code == 403 and r.json()["code"] == "role_out_of_reach"
    assert _codes(shared) == before


@pytest.mark.parametrize("call", [
    ("post", "/api/iam/roles/{id}/grants/grant", {"codes": ["crm.customer"]}),
    ("post", "/api/iam/roles/{id}/grants/revoke", {"codes": ["crm.customer.view"]}),
    ("put", "/api/iam/roles/{id}/grants", {"codes": []}),
    ("patch", "/api/iam/roles/{id}", {"name": "改名"}),
    ("delete", "/api/iam/roles/{id}", None),
    ("post", "/api/iam/grants/batch", {"codes": ["crm.customer.view"], "role_ids": ["{id}"], "revoke": True}),
])
def test_every_change_of_a_shared_role_is_refused_outside_reach(shared, gz_sup, call):
    method, path, body = call
    if body and "role_ids" in body:
        body = {**body, "role_ids": [shared.pk]}
    api = api_for(gz_sup)
    before = _codes(shared)
    r = getattr(api, method)(path.format(id=shared.pk), *([body] if body is not None else []))
    assert r.status_code == 403, r.content
    assert r.json()["code"] == "role_out_of_reach"
    assert Role.objects.filter(pk=shared.pk, name=shared.name).exists() and _codes(shared) == before


def test_a_role_held_only_in_my_branch_stays_mine_to_change(gz_only, gz_sup):
    api = api_for(gz_sup)
    assert api.post(f"/api/iam/roles/{gz_only.pk}/grants/grant", {"codes": ["crm.customer.view"]}).status_code == 200
    assert api.patch(f"/api/iam/roles/{gz_only.pk}", {"description": "本地"}).status_code == 200
    assert api.get(f"/api/iam/roles/{gz_only.pk}").json()["read_only"] is False


def test_the_province_and_super_administrators_change_shared_roles(shared, province, admin_api):
    prov = make_staff(org=province, perms=SUPERVISOR, employee_no="gd900")
    r = api_for(prov).post("/api/iam/grants/batch", {"codes": ["audit.log.view"], "role_ids": [shared.pk]})
    assert r.status_code == 200 and "audit.log.view" in _codes(shared)
    assert admin_api.patch(f"/api/iam/roles/{shared.pk}", {"description": "全省"}).status_code == 200


def test_the_api_flags_shared_roles_read_only(shared, gz_only, gz_sup, admin_api):
    rows = {r["id"]: r["read_only"] for r in api_for(gz_sup).get("/api/iam/roles").json()["items"]}
    assert rows[shared.pk] is True and rows[gz_only.pk] is False
    assert api_for(gz_sup).get(f"/api/iam/roles/{shared.pk}").json()["read_only"] is True
    assert admin_api.get(f"/api/iam/roles/{shared.pk}").json()["read_only"] is False


def test_the_role_page_is_read_only_for_a_shared_role(shared, gz_only, gz_sup):
    c = client_for(gz_sup)
    html = c.get(f"/iam/roles/{shared.pk}/").content.decode()
    assert 'data-testid="role-read-only-note"' in html
    assert 'data-testid="role-save"' not in html and 'data-testid="role-delete"' not in html
    assert 'data-testid="grants-save"' not in html
    own = c.get(f"/iam/roles/{gz_only.pk}/").content.decode()
    assert 'data-testid="role-save"' in own and 'data-testid="grants-save"' in own
    assert f'data-testid="role-row-{shared.pk}"' in c.get("/iam/roles/").content.decode()


def test_the_role_pages_refuse_changes_to_a_shared_role(shared, gz_sup):
    c = client_for(gz_sup)
    before = _codes(shared)
    c.post(f"/iam/roles/{shared.pk}/edit/", {"name": "改名", "description": ""})
    c.post(f"/iam/roles/{shared.pk}/delete/")
    c.post(f"/iam/roles/{shared.pk}/grants/", {"codes": ["iam"]})
    r = c.post("/iam/roles/batch/", {"roles": [shared.pk], "codes": ["iam.grant"]})
    assert r.status_code == 400
    shared.refresh_from_db()
    assert shared.name == "话务员" and _codes(shared) == before
