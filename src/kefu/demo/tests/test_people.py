"""Demo people: real account managers for the customers, and the switch account docs/cti.md promises."""

import pytest

from kefu.contactcenter.cti.auth import PERMISSION
from kefu.crm.models import Customer
from kefu.demo import people, structure
from kefu.demo.customers import customers_seed
from kefu.iam.models import Position, Staff
from kefu.iam.permissions import has_perm


@pytest.fixture
def seeded(db):
    orgs = structure.orgs_seed()
    roles = structure.roles_seed()
    skills = structure.skills_seed()
    teams = structure.teams_seed(orgs)
    people.staff_seed(count=60, orgs=orgs, roles=roles, teams=teams, skills=skills, password="Kefu2026demo!x")
    customers_seed(count=600, orgs=orgs, progress=False)
    return orgs


def test_demo_customers_are_managed_by_account_managers_of_their_city(seeded):
    managed = list(Customer.objects.filter(manager__isnull=False).select_related("manager__org", "org"))
    assert managed, "some VIP and enterprise customers have an account manager"
    assert {c.manager.position for c in managed} == {Position.ACCOUNT_MANAGER}
    assert all(c.manager.org.path.startswith(c.org.path) for c in managed)
    assert Customer.objects.filter(tier="vip", manager__isnull=True).count() == 0
    for code in ("GZ", "SZ", "FS"):
        assert Staff.objects.filter(position=Position.ACCOUNT_MANAGER, org__code=code).exists()


def test_the_demo_seeds_the_switch_account(seeded):
    switch = Staff.objects.get(employee_no="switch")
    assert has_perm(switch, PERMISSION)
