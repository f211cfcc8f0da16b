"""The scoping helper and the tree reads."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kefu.core.errors import NotFound, PermissionDenied
from kefu.core.testing import make_staff
from kefu.iam.models import Staff
from kefu.orgs import selectors
from kefu.orgs.models import Organisation
from kefu.orgs.selectors import (
    org_forest,
    org_get_visible,
    org_is_visible,
    org_list,
    org_parent_for,
    org_tree_rows,
    scope_queryset,
    visible_org_ids,
)


def codes(qs):
    return sorted(o.code for o in qs)


ALL = ["EXT-BOSS", "GD", "GZ", "GZ-KF", "GZ-KF-1", "SZ"]


def test_a_person_sees_their_own_subtree_only(tree):
    person = make_staff(org=tree["gz"], perms=["orgs.org.view"])
    assert codes(scope_queryset(Organisation.objects.all(), person, field="")) == ["GZ", "GZ-KF", "GZ-KF-1"]
    assert visible_org_ids(person) == {tree["gz"].pk, tree["kf"].pk, tree["kf1"].pk}
    assert org_is_visible(person, tree["kf1"])
    assert not org_is_visible(person, tree["gd"])
    assert not org_is_visible(person, tree["sz"])


def test_scope_all_orgs_lifts_the_limit(tree):
    person = make_staff(org=tree["gz"], perms=["scope.all_orgs"])
    assert codes(scope_queryset(Organisation.objects.all(), person, field="")) == ALL
    assert visible_org_ids(person) is None
    assert org_is_visible(person, tree["sz"])


def test_the_super_role_sees_everything(tree):
    boss = make_staff(org=tree["kf1"], is_super=True)
    assert codes(scope_queryset(Organisation.objects.all(), boss, field="")) == ALL


def test_nobody_without_an_organisation_sees_anything(tree):
    no_org = Staff(employee_no="X", name="x")  # not saved: an actor without an organisation
    assert scope_queryset(Organisation.objects.all(), no_org, field="").count() == 0
    assert scope_queryset(Organisation.objects.all(), AnonymousUser(), field="").count() == 0
    assert visible_org_ids(AnonymousUser()) == set()
    assert not org_is_visible(AnonymousUser(), tree["gz"])


def test_scoping_follows_a_foreign_key_to_the_organisation(tree):
    in_gz = make_staff(org=tree["kf1"])
    in_sz = make_staff(org=tree["sz"])
    viewer = make_staff(org=tree["gz"])
    visible = scope_queryset(Staff.objects.all(), viewer, field="org")
    assert in_gz in visible and viewer in visible
    assert in_sz not in visible


def test_scope_follows_a_move_at_once(tree):
    viewer = make_staff(org=tree["sz"])
    from kefu.orgs.services import org_move

    org_move(actor="test", org=tree["kf"], new_parent=tree["sz"])
    viewer = Staff.objects.get(pk=viewer.pk)
    assert codes(scope_queryset(Organisation.objects.all(), viewer, field="")) == ["GZ-KF", "GZ-KF-1", "SZ"]


def test_org_list_filters(tree, admin):
    assert codes(org_list(actor=admin, kind="city")) == ["GZ", "SZ"]
    assert codes(org_list(actor=admin, search="客服")) == ["GD", "GZ-KF", "GZ-KF-1"]
    assert codes(org_list(actor=admin, search="boss")) == ["EXT-BOSS"]
    assert codes(org_list(actor=admin, parent_id=tree["gd"].pk)) == ["EXT-BOSS", "GZ", "SZ"]
    from kefu.orgs.services import org_set_active

    org_set_active(actor="test", org=tree["sz"], active=False)
    assert codes(org_list(actor=admin, active=False)) == ["SZ"]
    assert "SZ" not in codes(org_list(actor=admin, active=True))


def test_org_get_visible_hides_what_is_out_of_scope(tree):
    person = make_staff(org=tree["gz"])
    assert org_get_visible(actor=person, org_id=tree["kf"].pk) == tree["kf"]
    with pytest.raises(NotFound):
        org_get_visible(actor=person, org_id=tree["sz"].pk)
    with pytest.raises(NotFound):
        org_get_visible(actor=person, org_id=999999)


def test_only_someone_who_sees_all_may_place_at_the_top(tree, admin):
    person = make_staff(org=tree["gz"])
    with pytest.raises(PermissionDenied):
        org_parent_for(actor=person, parent_id=None)
    with pytest.raises(NotFound):
        org_parent_for(actor=person, parent_id=tree["gd"].pk)
    assert org_parent_for(actor=person, parent_id=tree["kf"].pk) == tree["kf"]
    assert org_parent_for(actor=admin, parent_id=None) is None


def test_forest_nests_children_in_kind_then_code_order(tree, admin):
    (root,) = org_forest(actor=admin)
    assert root.code == "GD"
    assert [c.code for c in root.tree_children] == ["GZ", "SZ", "EXT-BOSS"]
    rows = [(o.code, level) for o, level in org_tree_rows(org_forest(actor=admin))]
    assert rows == [("GD", 0), ("GZ", 1), ("GZ-KF", 2), ("GZ-KF-1", 3), ("SZ", 1), ("EXT-BOSS", 1)]


def test_forest_of_a_scoped_person_starts_at_their_organisation(tree):
    person = make_staff(org=tree["gz"])
    rows = [(o.code, level) for o, level in org_tree_rows(org_forest(actor=person))]
    assert rows == [("GZ", 0), ("GZ-KF", 1), ("GZ-KF-1", 2)]


def test_list_api_and_tree_page_use_the_one_scoping_helper(tree, monkeypatch, client):
    """The organisation list, the API and the tree page must all scope through
    ``selectors.scope_queryset`` — the single helper later issues reuse. We
    swap it for a spy that records its callers and then hides everything: if a
    path scoped by its own filter instead, the spy would see no call and the
    organisation would still show."""
    calls = []

    def spy(qs, actor, *, field="org"):
        calls.append((actor.employee_no, field))
        return qs.none()

    monkeypatch.setattr(selectors, "scope_queryset", spy)
    viewer = make_staff(org=tree["gz"], perms=["orgs.org.view"], employee_no="spy01")
    client.force_login(viewer)

    api = client.get("/api/orgs/")
    assert api.status_code == 200 and api.json()["count"] == 0
    page = client.get("/orgs/")
    assert page.status_code == 200 and "广州客服部" not in page.content.decode()
    assert client.get(f"/api/orgs/{tree['kf'].pk}").status_code == 404
    assert calls.count(("spy01", "")) == 3


def test_org_find_with_an_actor_answers_only_within_their_scope(tree):
    person = make_staff(org=tree["gz"])
    assert selectors.org_find(code="SZ") == tree["sz"]
    assert selectors.org_find(code="SZ", actor=person) is None
    assert selectors.org_find(code="GZ-KF", actor=person) == tree["kf"]
    assert selectors.org_find(org_id=tree["kf1"].pk, actor=person) == tree["kf1"]
    assert selectors.org_find(org_id="x") is None


def test_org_find_active_only_skips_closed_organisations(tree):
    Organisation.objects.filter(pk=tree["kf1"].pk).update(active=False)
    assert selectors.org_find(code="GZ-KF-1") == tree["kf1"]
    assert selectors.org_find(code="GZ-KF-1", active_only=True) is None


def test_org_internal_find_is_the_carriers_own_orgs_in_scope_closed_or_not(tree):
    person = make_staff(org=tree["gd"])
    Organisation.objects.filter(pk=tree["kf1"].pk).update(active=False)
    assert selectors.org_internal_find(actor=person, org_id=tree["kf1"].pk) == tree["kf1"]
    assert selectors.org_internal_find(actor=person, org_id=str(tree["gz"].pk)) == tree["gz"]
    assert selectors.org_internal_find(actor=person, org_id=tree["boss"].pk) is None  # an external party
    assert selectors.org_internal_find(actor=make_staff(org=tree["gz"]), org_id=tree["sz"].pk) is None
    assert selectors.org_internal_find(actor=person, org_id="") is None


def test_org_by_ids_and_the_province_list(tree):
    assert selectors.org_by_ids([tree["gz"].pk, tree["kf"].pk]) == {tree["gz"].pk: tree["gz"], tree["kf"].pk: tree["kf"]}
    assert selectors.org_by_ids([]) == {}
    assert list(selectors.org_province_list()) == [tree["gd"]]
