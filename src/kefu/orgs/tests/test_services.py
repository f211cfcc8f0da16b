"""The organisation services: tree rules, moves, deactivation, audit."""

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.errors import Conflict, ValidationFailed
from kefu.core.testing import make_org, make_staff
from kefu.orgs.models import Organisation
from kefu.orgs.services import org_create, org_move, org_set_active, org_update


def fresh(org):
    return Organisation.objects.get(pk=org.pk)


def entries_for(org):
    return AuditEntry.objects.filter(object_type="orgs.organisation", object_id=str(org.pk))


# --- create and the kind/parent rules -------------------------------------------------------


def test_create_sets_path_depth_and_writes_an_audit_entry(admin, province):
    gz = org_create(actor=admin, code="GZ2", name="广州", kind="city", parent=province)
    assert gz.path == f"{province.path}{gz.pk}/"
    assert gz.depth == 1
    entry = entries_for(gz).get()
    assert entry.action == "create"
    assert entry.actor == admin
    assert entry.changes["code"] == [None, "GZ2"]


@pytest.mark.parametrize(
    ("kind", "parent_key", "message_part"),
    [
        ("city", None, "top of the tree"),
        ("hq", "gd", "cannot be placed under"),
        ("city", "gz", "cannot be placed under"),
        ("province", "gz", "cannot be placed under"),
        ("department", "boss", "cannot be placed under"),
        ("external", "gz", "cannot be placed under"),
    ],
)
def test_kind_and_parent_rules_are_enforced(tree, kind, parent_key, message_part):
    parent = tree[parent_key] if parent_key else None
    with pytest.raises(ValidationFailed) as exc:
        org_create(actor="test", code="X1", name="x", kind=kind, parent=parent, external_kind="other")
    assert exc.value.code == "invalid_parent"
    assert message_part in str(exc.value.message)
    assert not Organisation.objects.filter(code="X1").exists()


def test_unknown_kind_is_refused(province):
    with pytest.raises(ValidationFailed) as exc:
        org_create(actor="test", code="X1", name="x", kind="galaxy", parent=province)
    assert exc.value.code == "invalid_kind"


def test_external_party_needs_its_external_kind(province):
    with pytest.raises(ValidationFailed) as exc:
        org_create(actor="test", code="EXT1", name="厂商", kind="external", parent=province)
    assert exc.value.code == "invalid_external_kind"
    ok = org_create(actor="test", code="EXT1", name="厂商", kind="external", parent=province,
                    external_kind="handset_maker")
    assert ok.external_kind == "handset_maker"


def test_non_external_drops_an_external_kind(province):
    org = org_create(actor="test", code="D1", name="部门", kind="department", parent=province,
                     external_kind="billing")
    assert org.external_kind == ""


def test_duplicate_code_is_a_conflict(province):
    with pytest.raises(Conflict) as exc:
        org_create(actor="test", code="GD", name="again", kind="province")
    assert exc.value.code == "duplicate_code"
    assert Organisation.objects.filter(code="GD").count() == 1


@pytest.mark.parametrize("code", ["has space", "中文", "-lead", "a/b"])
def test_code_format_is_checked(province, code):
    with pytest.raises(ValidationFailed) as exc:
        org_create(actor="test", code=code, name="x", kind="department", parent=province)
    assert exc.value.code == "invalid_code"


def test_oversized_name_is_refused(province):
    with pytest.raises(ValidationFailed) as exc:
        org_create(actor="test", code="LONG", name="名" * 101, kind="department", parent=province)
    assert exc.value.code == "too_long"


def test_create_under_a_deactivated_parent_is_refused(tree):
    org_set_active(actor="test", org=tree["sz"], active=False)
    with pytest.raises(ValidationFailed) as exc:
        make_org(code="SZ-1", kind="department", parent=tree["sz"])
    assert exc.value.code == "parent_inactive"


def test_a_tree_deeper_than_the_path_column_is_refused(province):
    parent = province
    with pytest.raises(ValidationFailed) as exc:
        for _i in range(200):
            parent = make_org(kind="department", parent=parent)
    assert exc.value.code == "too_deep"
    assert all(len(p) <= 255 for p in Organisation.objects.values_list("path", flat=True))


# --- move -------------------------------------------------------------------------------------


def test_move_rewrites_the_paths_and_depths_of_the_whole_subtree(tree, admin):
    """Runs on SQLite and on PostgreSQL (the suite runs on both): the one-statement
    path rewrite uses Concat/Substr, whose SQL differs per database."""
    kf, kf1, sz = tree["kf"], tree["kf1"], tree["sz"]
    moved = org_move(actor=admin, org=kf, new_parent=sz)
    assert moved.parent_id == sz.pk
    assert moved.path == f"{sz.path}{kf.pk}/"
    assert moved.depth == sz.depth + 1
    child = fresh(kf1)
    assert child.path == f"{sz.path}{kf.pk}/{kf1.pk}/"
    assert child.depth == sz.depth + 2
    # The old parent's subtree no longer holds them; the new one does.
    assert set(Organisation.objects.filter(path__startswith=fresh(tree["gz"]).path)) == {tree["gz"]}
    assert set(Organisation.objects.filter(path__startswith=fresh(sz).path)) == {sz, kf, kf1}
    assert moved.version == kf.version + 1


def test_move_to_the_top_and_back(tree, admin):
    ext = org_move(actor=admin, org=tree["boss"], new_parent=None)
    assert ext.path == f"/{ext.pk}/" and ext.depth == 0 and ext.parent_id is None
    back = org_move(actor=admin, org=ext, new_parent=tree["gd"])
    assert back.path == f"{tree['gd'].path}{ext.pk}/" and back.depth == 1


def test_move_is_audited_with_the_parent_before_and_after(tree, admin):
    org_move(actor=admin, org=tree["kf"], new_parent=tree["sz"])
    entry = entries_for(tree["kf"]).filter(action="update").get()
    assert entry.changes == {"parent": [tree["gz"].pk, tree["sz"].pk]}


def test_moving_under_itself_is_refused(tree):
    with pytest.raises(ValidationFailed) as exc:
        org_move(actor="test", org=tree["gz"], new_parent=tree["gz"])
    assert exc.value.code == "cycle"


def test_moving_under_a_descendant_is_refused_with_a_clear_message(tree):
    before = {o.pk: (o.path, o.parent_id) for o in Organisation.objects.all()}
    with pytest.raises(ValidationFailed) as exc:
        org_move(actor="test", org=tree["kf"], new_parent=tree["kf1"])
    assert exc.value.code == "cycle"
    message = str(exc.value.message)
    assert "广州客服部" in message and "广州客服一组" in message and "loop" in message
    assert {o.pk: (o.path, o.parent_id) for o in Organisation.objects.all()} == before


def test_move_checks_the_kind_rules(tree):
    with pytest.raises(ValidationFailed) as exc:
        org_move(actor="test", org=tree["gz"], new_parent=tree["sz"])
    assert exc.value.code == "invalid_parent"
    assert fresh(tree["gz"]).parent_id == tree["gd"].pk


def test_move_under_a_deactivated_parent_is_refused(tree):
    org_set_active(actor="test", org=tree["sz"], active=False)
    with pytest.raises(ValidationFailed) as exc:
        org_move(actor="test", org=tree["kf"], new_parent=tree["sz"])
    assert exc.value.code == "parent_inactive"


def test_move_with_a_stale_version_is_a_conflict(tree):
    stale = tree["kf"].version
    org_update(actor="test", org=tree["kf"], name="改名", version=stale)
    with pytest.raises(Conflict):
        org_move(actor="test", org=tree["kf"], new_parent=tree["sz"], version=stale)
    assert fresh(tree["kf"]).parent_id == tree["gz"].pk


def test_move_to_the_same_parent_changes_nothing(tree):
    version = tree["kf"].version
    org_move(actor="test", org=tree["kf"], new_parent=tree["gz"])
    assert fresh(tree["kf"]).version == version
    assert not entries_for(tree["kf"]).filter(action="update").exists()


# --- update -----------------------------------------------------------------------------------


def test_update_audits_the_changed_fields_only(tree, admin):
    org = org_update(actor=admin, org=tree["gz"], name="广州市分公司", phone="020-1", version=tree["gz"].version)
    assert org.version == tree["gz"].version + 1
    entry = entries_for(org).filter(action="update").get()
    assert entry.changes == {"name": ["广州分公司", "广州市分公司"], "phone": ["", "020-1"]}


def test_update_without_changes_keeps_the_version(tree):
    org = org_update(actor="test", org=tree["gz"], name="广州分公司", version=tree["gz"].version)
    assert org.version == tree["gz"].version
    assert not entries_for(org).filter(action="update").exists()


def test_update_with_a_stale_version_is_a_conflict(tree):
    org_update(actor="test", org=tree["gz"], name="A", version=tree["gz"].version)
    with pytest.raises(Conflict) as exc:
        org_update(actor="test", org=tree["gz"], name="B", version=tree["gz"].version)
    assert exc.value.code == "stale"
    assert fresh(tree["gz"]).name == "A"


def test_update_refuses_an_empty_name(tree):
    with pytest.raises(ValidationFailed):
        org_update(actor="test", org=tree["gz"], name="   ")


def test_external_kind_can_be_changed_on_external_parties_only(tree):
    org = org_update(actor="test", org=tree["boss"], external_kind="other")
    assert org.external_kind == "other"
    with pytest.raises(ValidationFailed):
        org_update(actor="test", org=tree["boss"], external_kind="nonsense")
    assert org_update(actor="test", org=tree["gz"], external_kind="billing").external_kind == ""


# --- activate / deactivate ---------------------------------------------------------------------


def test_deactivating_a_node_with_active_children_is_refused(tree):
    with pytest.raises(ValidationFailed) as exc:
        org_set_active(actor="test", org=tree["gz"], active=False)
    assert exc.value.code == "has_active_children"
    assert "广州客服部" in str(exc.value.message)
    assert fresh(tree["gz"]).active


def test_deactivating_keeps_people_and_history(tree, admin):
    person = make_staff(org=tree["kf1"])
    org = org_set_active(actor=admin, org=tree["kf1"], active=False)
    assert not org.active and org.deactivated_at is not None
    assert Organisation.objects.filter(pk=org.pk).exists()
    person.refresh_from_db()
    assert person.org_id == org.pk
    assert entries_for(org).filter(action="create").exists()
    assert entries_for(org).get(action="update").changes == {"active": [True, False]}


def test_bottom_up_deactivation_then_reactivation(tree):
    for key in ("kf1", "kf", "gz"):
        org_set_active(actor="test", org=tree[key], active=False)
    with pytest.raises(ValidationFailed) as exc:
        org_set_active(actor="test", org=tree["kf"], active=True)
    assert exc.value.code == "parent_inactive"
    org = org_set_active(actor="test", org=tree["gz"], active=True)
    assert org.active and org.deactivated_at is None


def test_setting_the_same_state_is_a_no_op(tree):
    version = tree["sz"].version
    assert org_set_active(actor="test", org=tree["sz"], active=True).version == version
