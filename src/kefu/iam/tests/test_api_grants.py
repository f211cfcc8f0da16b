"""Grants through the API: the flagged tree, one-by-one and batch, the tree
selection, who may hand out what, and effective permissions with sources."""

from datetime import timedelta

from kefu.core import clock
from kefu.core.testing import make_staff
from kefu.iam.models import Staff
from kefu.iam.permissions import has_perm
from kefu.iam.services.roles import role_create, role_grant
from kefu.iam.services.temporary import temporary_permission_grant

from .conftest import api_for


def _flat(nodes):
    for n in nodes:
        yield n
        yield from _flat(n["children"])


def _node(tree, code):
    return next(n for n in _flat(tree) if n["code"] == code)


def fresh(staff):
    return Staff.objects.get(pk=staff.pk)


def test_role_tree_marks_direct_and_inherited(admin_api, role):
    role_grant(actor="test", role=role, codes=["iam.staff"])
    tree = admin_api.get(f"/api/iam/roles/{role.pk}/grants").json()
    assert {"iam", "crm", "audit"} <= {n["code"] for n in tree} and all(n["kind"] == "module" for n in tree)
    iam = _node(tree, "iam")
    assert iam["kind"] == "module" and not iam["granted"] and not iam["inherited"]
    staff = _node(tree, "iam.staff")
    assert staff["kind"] == "function" and staff["granted"] and not staff["inherited"]
    view = _node(tree, "iam.staff.view")
    assert view["kind"] == "button" and view["inherited"] and not view["granted"] and view["held"]
    assert not _node(tree, "iam.role.view")["held"]


def test_grant_and_revoke_take_effect_on_the_next_request(admin_api, role, province):
    person = make_staff(org=province, role=role)
    r = admin_api.post(f"/api/iam/roles/{role.pk}/grants/grant", {"codes": ["audit.log.view", "iam.team"]})
    assert r.json() == {"granted": ["audit.log.view", "iam.team"], "revoked": []}
    assert has_perm(fresh(person), "iam.team.edit")
    r = admin_api.post(f"/api/iam/roles/{role.pk}/grants/revoke", {"codes": ["iam.team"]})
    assert r.json()["revoked"] == ["iam.team"]
    assert not has_perm(fresh(person), "iam.team.edit")


def test_unknown_code_is_400_and_grants_nothing(admin_api, role):
    r = admin_api.post(f"/api/iam/roles/{role.pk}/grants/grant", {"codes": ["audit.log.view", "no.such.code"]})
    assert r.status_code == 400 and r.json()["details"]["unknown"] == ["no.such.code"]
    assert not role.grants.exists()


def test_empty_codes_is_400(admin_api, role):
    assert admin_api.post(f"/api/iam/roles/{role.pk}/grants/grant", {"codes": []}).status_code == 400


def test_selection_grants_topmost_and_revokes_the_rest(admin_api, role, province):
    role_grant(actor="test", role=role, codes=["iam"])
    # The editor unticked one button: the module grant splits into the rest.
    everything = [n["code"] for n in _flat(admin_api.get("/api/iam/permissions").json())]
    keep = [c for c in everything if c.startswith("iam.") and c not in ("iam.staff", "iam.staff.create")]
    r = admin_api.put(f"/api/iam/roles/{role.pk}/grants", {"codes": keep})
    assert r.status_code == 200
    assert "iam" in r.json()["revoked"]
    granted = set(role.grants.values_list("node__code", flat=True))
    assert "iam.staff.view" in granted and "iam.role" in granted
    assert "iam.staff.create" not in granted and "iam.role.view" not in granted  # covered by iam.role
    person = make_staff(org=province, role=role)
    assert has_perm(fresh(person), "iam.staff.edit") and not has_perm(fresh(person), "iam.staff.create")


def test_person_grants_and_effective_sources(admin_api, agent, role):
    role_grant(actor="test", role=role, codes=["crm.customer.view"])
    admin_api.post(f"/api/iam/staff/{agent.pk}/grants/grant", {"codes": ["audit.log.view"]})
    now = clock.now()
    temporary_permission_grant(actor="test", reason="r", codes=["params.param.view"], holders=[agent],
                               starts_at=now, ends_at=now + timedelta(hours=1))
    effective = {p["code"]: p["sources"] for p in admin_api.get(f"/api/iam/staff/{agent.pk}/effective").json()}
    assert effective["crm.customer.view"] == ["role"]
    assert effective["audit.log.view"] == ["personal"]
    assert effective["params.param.view"] == ["temporary"]
    assert "iam.staff.view" not in effective
    tree = admin_api.get(f"/api/iam/staff/{agent.pk}/grants").json()
    assert _node(tree, "audit.log.view")["granted"]
    assert not _node(tree, "crm.customer.view")["granted"] and _node(tree, "crm.customer.view")["held"]


def test_batch_to_several_roles_is_all_or_nothing(admin_api, role, agent):
    other = role_create(actor="test", name="质检员")
    r = admin_api.post("/api/iam/grants/batch", {"codes": ["audit.log.view"], "role_ids": [role.pk, other.pk],
                                                 "staff_ids": [agent.pk]})
    assert r.status_code == 200
    assert r.json() == {"roles": {"话务员": ["audit.log.view"], "质检员": ["audit.log.view"]},
                        "staff": {"gz001": ["audit.log.view"]}}
    r = admin_api.post("/api/iam/grants/batch", {"codes": ["crm.customer.view"], "role_ids": [role.pk, 999999]})
    assert r.status_code == 400
    assert not role.grants.filter(node__code="crm.customer.view").exists()
    r = admin_api.post("/api/iam/grants/batch", {"codes": ["audit.log.view"], "role_ids": [role.pk, other.pk],
                                                 "revoke": True})
    assert r.json()["roles"] == {"话务员": ["audit.log.view"], "质检员": ["audit.log.view"]}


def test_nobody_hands_out_what_they_do_not_hold(province, role, agent):
    granter = make_staff(org=province, perms=["iam.grant", "iam.staff.view"])
    client = api_for(granter)
    r = client.post(f"/api/iam/roles/{role.pk}/grants/grant", {"codes": ["audit.log.view"]})
    assert r.status_code == 403 and r.json()["code"] == "not_delegable"
    r = client.post(f"/api/iam/staff/{granter.pk}/grants/grant", {"codes": ["scope.all_orgs"]})
    assert r.status_code == 403  # not even to themselves
    assert client.post(f"/api/iam/roles/{role.pk}/grants/grant", {"codes": ["iam.staff.view"]}).status_code == 200
    # The tree shows what they may not touch as not delegable.
    tree = client.get(f"/api/iam/roles/{role.pk}/grants").json()
    assert _node(tree, "iam.staff.view")["delegable"] and not _node(tree, "audit.log.view")["delegable"]


def test_selection_keeps_what_the_actor_may_not_touch(province, role):
    role_grant(actor="test", role=role, codes=["audit.log.view", "iam.staff.view"])
    granter = make_staff(org=province, perms=["iam.grant", "iam.staff"])
    r = api_for(granter).put(f"/api/iam/roles/{role.pk}/grants", {"codes": ["iam.staff.create"]})
    assert r.status_code == 200, r.content
    assert set(role.grants.values_list("node__code", flat=True)) == {"audit.log.view", "iam.staff.create"}


def test_super_role_is_for_super_administrators_only(province, role):
    boss = make_staff(org=province, perms=["iam.role", "iam.staff"])
    client = api_for(boss)
    assert client.post("/api/iam/roles", {"name": "上帝", "is_super": True}).status_code == 403
    assert client.patch(f"/api/iam/roles/{role.pk}", {"is_super": True}).status_code == 403
    sup_role = role_create(actor="test", name="超管", is_super=True)
    assert client.patch(f"/api/iam/staff/{boss.pk}", {"role_id": sup_role.pk}).status_code == 403
    admin = make_staff(org=province, is_super=True)
    assert client.post(f"/api/iam/staff/{admin.pk}/reset-password", {"password": "Takeover2026x"}).status_code == 403


def test_assigning_a_role_hands_out_its_permissions(province, role):
    role_grant(actor="test", role=role, codes=["audit.log.view"])
    boss = make_staff(org=province, perms=["iam.staff"])
    person = make_staff(org=province)
    r = api_for(boss).patch(f"/api/iam/staff/{person.pk}", {"role_id": role.pk})
    assert r.status_code == 403 and "audit.log.view" in r.json()["message"]


def test_me_lists_effective_codes(province, nobody_api):
    person = make_staff(org=province, perms=["iam.team"], employee_no="me001", name="我")
    body = api_for(person).get("/api/iam/me").json()
    assert body["employee_no"] == "me001" and body["is_super"] is False
    assert body["permissions"] == ["iam.team", "iam.team.view", "iam.team.edit"]
    assert nobody_api.get("/api/iam/me").json()["permissions"] == []
