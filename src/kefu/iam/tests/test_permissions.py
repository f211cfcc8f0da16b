from datetime import timedelta

from kefu.core import clock
from kefu.core.testing import make_staff
from kefu.iam.models import Staff
from kefu.iam.permissions import has_perm
from kefu.iam.services.roles import role_create, role_grant, role_revoke, staff_grant
from kefu.iam.services.temporary import temporary_permission_grant, temporary_permissions_expire


def fresh(staff):
    """What the next request sees: a freshly loaded person."""
    return Staff.objects.get(pk=staff.pk)


def test_grant_on_a_module_covers_its_functions_and_buttons(province, admin):
    role = role_create(actor=admin, name="r")
    person = make_staff(org=province, role=role)
    assert not has_perm(fresh(person), "iam.staff.create")
    role_grant(actor=admin, role=role, codes=["iam"])
    assert has_perm(fresh(person), "iam.staff.create")
    assert has_perm(fresh(person), "iam.team.edit")
    assert not has_perm(fresh(person), "crm.customer.view")


def test_grant_on_a_button_does_not_open_its_siblings(province, admin):
    person = make_staff(org=province, perms=["iam.staff.view"])
    assert has_perm(fresh(person), "iam.staff.view")
    assert not has_perm(fresh(person), "iam.staff.create")
    assert not has_perm(fresh(person), "iam.staff")


def test_undeclared_code_is_not_controlled(nobody):
    assert has_perm(fresh(nobody), "nowhere.declared.code")


def test_super_role_is_unrestricted(admin):
    assert has_perm(fresh(admin), "iam.staff.create")
    assert has_perm(fresh(admin), "scope.all_orgs")


def test_revoking_from_a_role_takes_effect_on_the_next_request(province, admin):
    role = role_create(actor=admin, name="r")
    role_grant(actor=admin, role=role, codes=["crm.customer.view"])
    person = make_staff(org=province, role=role)
    assert has_perm(fresh(person), "crm.customer.view")
    role_revoke(actor=admin, role=role, codes=["crm.customer.view"])
    assert not has_perm(fresh(person), "crm.customer.view")


def test_effective_is_the_union_of_role_personal_and_temporary(province, admin):
    role = role_create(actor=admin, name="r")
    role_grant(actor=admin, role=role, codes=["crm.customer.view"])
    person = make_staff(org=province, role=role)
    staff_grant(actor=admin, staff=person, codes=["audit.log.view"])
    now = clock.now()
    clock.freeze(now)
    temporary_permission_grant(actor=admin, reason="cover", codes=["params.param.edit"], holders=[person],
                               starts_at=now, ends_at=now + timedelta(hours=1))
    p = fresh(person)
    assert all(has_perm(p, c) for c in ["crm.customer.view", "audit.log.view", "params.param.edit"])


def test_temporary_permission_ends_on_time_and_worker_audits_the_expiry(province, admin):
    person = make_staff(org=province)
    now = clock.now()
    clock.freeze(now)
    tp = temporary_permission_grant(actor=admin, reason="night shift", codes=["audit.log.view"], holders=[person],
                                    starts_at=now + timedelta(minutes=10), ends_at=now + timedelta(hours=2))
    assert not has_perm(fresh(person), "audit.log.view")  # not started yet
    clock.advance(timedelta(minutes=10))
    assert has_perm(fresh(person), "audit.log.view")
    clock.advance(timedelta(hours=2))
    assert not has_perm(fresh(person), "audit.log.view")  # over even before the worker ran
    assert temporary_permissions_expire() == 1
    assert temporary_permissions_expire() == 0  # idempotent
    tp.refresh_from_db()
    assert tp.expired_at is not None
    from kefu.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="expire", object_id=str(tp.pk)).exists()


def test_deleting_a_role_keeps_its_people(province, admin):
    from kefu.iam.services.roles import role_delete

    role = role_create(actor=admin, name="r")
    person = make_staff(org=province, role=role)
    assert role_delete(actor=admin, role=role) == 1
    assert fresh(person).role is None
