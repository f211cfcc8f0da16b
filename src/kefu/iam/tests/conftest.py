"""Fixtures of the iam tests: a small center with a role, a team, a skill group."""

from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.iam.services.roles import role_create
from kefu.iam.services.skills import skill_group_create, staff_skill_set
from kefu.iam.services.teams import team_create
from kefu.iam.services.temporary import temporary_permission_grant


def api_for(staff) -> JsonClient:
    return JsonClient(client_for(staff))


@pytest.fixture
def role(db):
    return role_create(actor="test", name="话务员", description="Agent")


@pytest.fixture
def team(city):
    return team_create(actor="test", name="广州一班", org=city)


@pytest.fixture
def skill(db):
    return skill_group_create(actor="test", code="vip", name="大客户服务")


@pytest.fixture
def agent(city, role, team, skill):
    """An agent in the Guangzhou branch, in a team, holding a skill."""
    person = make_staff(org=city, employee_no="gz001", name="李小话", role=role, team=team)
    staff_skill_set(actor="test", staff=person, skill_group=skill, level=3)
    return person


@pytest.fixture
def other_agent(other_city):
    """An agent of the Shenzhen branch: outside a Guangzhou supervisor's scope."""
    return make_staff(org=other_city, employee_no="sz001", name="深圳人")


@pytest.fixture
def temporary(agent):
    now = clock.now()
    return temporary_permission_grant(actor="test", reason="顶班", codes=["iam.temporary.edit"], holders=[agent],
                                      starts_at=now, ends_at=now + timedelta(hours=1))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 costs ~50 ms a hash by design; these tests create hundreds of people.
    # The production hasher is exercised by test_login.py, which logs in for real.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 *settings.PASSWORD_HASHERS]
