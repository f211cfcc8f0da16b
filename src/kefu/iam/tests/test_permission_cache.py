"""Effective permissions held per process: no query once cached, every change seen on the next check."""

from datetime import timedelta

from django.core.cache import cache

from kefu.core import clock, versioned
from kefu.core.testing import make_staff
from kefu.iam.models import StaffGrant
from kefu.iam.permissions import grants_cache, has_perm
from kefu.iam.services.roles import staff_grant, staff_revoke
from kefu.iam.services.temporary import temporary_permission_grant

from .test_permissions import fresh


def test_a_cached_person_costs_no_permission_query(province, django_assert_num_queries):
    person = make_staff(org=province, perms=["iam.staff.view"])
    versioned.reset_all()  # as a server sees it once the grant committed
    assert has_perm(fresh(person), "iam.staff.view")
    again = fresh(person)
    with django_assert_num_queries(0):
        assert has_perm(again, "iam.staff.view") and not has_perm(again, "iam.staff.create")


def test_a_grant_and_a_revocation_take_effect_on_the_next_check(province, admin):
    person = make_staff(org=province, perms=["iam.staff.view"])
    versioned.reset_all()
    assert not has_perm(fresh(person), "iam.staff.create")
    staff_grant(actor=admin, staff=person, codes=["iam.staff.create"])  # bulk insert: no model signal
    assert has_perm(fresh(person), "iam.staff.create")
    staff_revoke(actor=admin, staff=person, codes=["iam.staff.create"])
    assert not has_perm(fresh(person), "iam.staff.create")


def test_a_temporary_grant_ends_on_time_although_cached(province):
    clock.freeze(clock.now())
    person = make_staff(org=province)
    temporary_permission_grant(actor="test", reason="顶班", codes=["iam.team.edit"], holders=[person],
                               starts_at=clock.now(), ends_at=clock.now() + timedelta(hours=1))
    versioned.reset_all()
    assert has_perm(fresh(person), "iam.team.edit")
    clock.advance(timedelta(hours=1, seconds=1))
    assert not has_perm(fresh(person), "iam.team.edit")


def test_a_change_made_by_another_process_is_seen_once_its_token_moves(province):
    person = make_staff(org=province)
    versioned.reset_all()
    assert not has_perm(fresh(person), "iam.staff.view")
    # another process granted it (its signal bumped the shared token; this process got no signal)
    from kefu.iam.models import PermissionNode

    StaffGrant.objects.bulk_create([StaffGrant(staff=person, node=PermissionNode.objects.get(code="iam.staff.view"))])
    assert not has_perm(fresh(person), "iam.staff.view")
    cache.set(grants_cache().key, "moved-by-another-process")
    assert has_perm(fresh(person), "iam.staff.view")
