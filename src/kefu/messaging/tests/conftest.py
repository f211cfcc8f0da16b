from dataclasses import dataclass

import pytest

from kefu.core.testing import make_org, make_staff
from kefu.iam.services.roles import role_create
from kefu.iam.services.teams import team_create

SEND, BROADCAST = "messaging.message.send", "messaging.message.broadcast"


@dataclass
class Center:
    province: object
    city: object
    other_city: object
    district: object
    team: object
    role: object
    sup: object
    agents: list
    other_team_agent: object
    district_agent: object
    far_agent: object


def build_center() -> Center:
    """A province; Guangzhou with a district below it; Shenzhen. The Guangzhou supervisor may broadcast;
    two agents of team 一班 (role 话务员), one more Guangzhou agent, one in the district and one in Shenzhen."""
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    city = make_org(code="GZ", name="广州分公司", kind="city", parent=province)
    district = make_org(code="GZ-TH", name="天河营业部", kind="department", parent=city)
    other_city = make_org(code="SZ", name="深圳分公司", kind="city", parent=province)
    role = role_create(actor="test", name="话务员")
    team = team_create(actor="test", name="一班", org=city)
    sup = make_staff(org=city, perms=[SEND, BROADCAST], employee_no="SUP1", name="值班长", position="supervisor")
    agents = [make_staff(org=city, perms=[SEND], employee_no=f"AG{i}", name=f"话务员{i}", team=team, role=role)
              for i in (1, 2)]
    other = make_staff(org=city, perms=[SEND], employee_no="AG3", name="话务员3", role=role)
    district_agent = make_staff(org=district, perms=[SEND], employee_no="AG4", name="话务员4")
    far = make_staff(org=other_city, perms=[SEND], employee_no="SZ1", name="深圳话务员", role=role)
    return Center(province=province, city=city, other_city=other_city, district=district, team=team, role=role,
                  sup=sup, agents=agents, other_team_agent=other, district_agent=district_agent, far_agent=far)


@pytest.fixture
def center(db):
    return build_center()
