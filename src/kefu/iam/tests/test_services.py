"""Services: the rules themselves, independent of the API and the pages."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.errors import Conflict, PermissionDenied, ValidationFailed
from kefu.core.testing import TEST_PASSWORD, make_staff
from kefu.iam.models import PermissionNode, Staff
from kefu.iam.selectors import effective_permissions, permission_tree, staff_list
from kefu.iam.services.roles import grants_apply_selection, role_grant
from kefu.iam.services.skills import staff_skill_set
from kefu.iam.services.staff import (
    staff_change_own_password,
    staff_create,
    staff_set_status,
    staff_update,
)
from kefu.iam.services.teams import team_add_member, team_create, team_update


def test_status_change_stamps_its_time_from_the_clock(agent):
    at = clock.now() + timedelta(days=3)
    clock.freeze(at)
    person = staff_set_status(actor="test", staff=agent, status="suspended")
    assert person.status_changed_at == at and not person.is_active
    staff_update(actor="test", staff=person, phone="13900000000")
    assert Staff.objects.get(pk=agent.pk).status_changed_at == at  # unchanged status, unchanged stamp


def test_create_is_all_or_nothing_even_after_the_person_was_saved(city, skill):
    with pytest.raises(ValidationFailed):
        staff_create(actor="test", employee_no="gz900", name="半截", password="Kefu2026pass", org=city,
                     skills=[(skill, 11)])
    assert not Staff.objects.filter(employee_no="gz900").exists()
    assert not AuditEntry.objects.filter(object_repr__contains="gz900").exists()


def test_duplicate_employee_number_is_a_conflict(agent, city):
    with pytest.raises(Conflict):
        staff_create(actor="test", employee_no=" gz001 ", name="重复", password="Kefu2026pass", org=city)


def test_change_own_password_needs_the_old_one_and_the_policy(agent):
    with pytest.raises(ValidationFailed) as exc:
        staff_change_own_password(actor=agent, old_password="wrong", new_password="Next2026pass")
    assert exc.value.code == "wrong_password"
    with pytest.raises(ValidationFailed) as exc:
        staff_change_own_password(actor=agent, old_password=TEST_PASSWORD, new_password="abcdefgh")
    assert exc.value.code == "weak_password"
    with pytest.raises(ValidationFailed) as exc:
        staff_change_own_password(actor=agent, old_password=TEST_PASSWORD, new_password=TEST_PASSWORD)
    assert exc.value.code == "same_password"
    staff_change_own_password(actor=agent, old_password=TEST_PASSWORD, new_password="Next2026pass")
    assert Staff.objects.get(pk=agent.pk).check_password("Next2026pass")


def test_changing_position_of_a_team_member_is_refused(agent):
    with pytest.raises(ValidationFailed) as exc:
        staff_update(actor="test", staff=agent, position="supervisor")
    assert exc.value.code == "team_agents_only"


def test_team_rules(city, other_city, province):
    team = team_create(actor="test", name="一班", org=city)
    with pytest.raises(Conflict):
        team_create(actor="test", name="一班", org=city)
    team_create(actor="test", name="一班", org=other_city)  # same name elsewhere is fine
    outsider = make_staff(org=other_city)
    with pytest.raises(ValidationFailed):
        team_add_member(actor="test", team=team, staff=outsider)
    with pytest.raises(ValidationFailed):
        team_update(actor="test", team=team, leader=outsider)
    person = make_staff(org=city)
    team_add_member(actor="test", team=team, staff=person)
    assert Staff.objects.get(pk=person.pk).team == team


def test_skill_level_bounds(agent, skill):
    for bad in (0, 11, "x"):
        with pytest.raises(ValidationFailed):
            staff_skill_set(actor="test", staff=agent, skill_group=skill, level=bad)
    assert staff_skill_set(actor="test", staff=agent, skill_group=skill, level=10).level == 10


def test_selection_round_trip(role):
    role_grant(actor="test", role=role, codes=["iam.staff.view"])
    result = grants_apply_selection(actor="test", role=role, codes=["iam.team", "iam.team.view", "iam.team.edit"])
    assert result == {"granted": ["iam.team"], "revoked": ["iam.staff.view"]}
    assert grants_apply_selection(actor="test", role=role, codes=["iam.team"]) == {"granted": [], "revoked": []}
    assert grants_apply_selection(actor="test", role=role, codes=[]) == {"granted": [], "revoked": ["iam.team"]}


def test_delegation_guard_on_the_service(province, role):
    granter = make_staff(org=province, perms=["iam.grant"])
    with pytest.raises(PermissionDenied):
        role_grant(actor=Staff.objects.get(pk=granter.pk), role=role, codes=["crm.customer.view"])


def test_tree_and_effective_for_a_super_person(admin):
    tree = permission_tree(staff=admin)
    assert all("super" in n["sources"] for n in tree)
    assert all(p["sources"][0] == "super" for p in effective_permissions(staff=admin))


def test_staff_list_filters_by_org_subtree(admin, province, city, agent, other_agent):
    everyone = staff_list(actor=admin, org_id=province.pk)
    assert {"gz001", "sz001"} <= set(everyone.values_list("employee_no", flat=True))
    assert list(staff_list(actor=admin, org_id=city.pk).values_list("employee_no", flat=True)) == ["gz001"]
    assert not staff_list(actor=admin, org_id=123456).exists()


def test_sync_permissions_command_restores_the_tree(db, capsys):
    PermissionNode.objects.filter(code="iam.token.manage_all").delete()
    call_command("sync_permissions")
    assert "1 created" in capsys.readouterr().out
    assert PermissionNode.objects.get(code="iam.token.manage_all").parent.code == "iam.token"
