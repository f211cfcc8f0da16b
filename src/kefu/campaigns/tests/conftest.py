from types import SimpleNamespace

import pytest

from kefu.contactcenter.models import Queue, QueueSkill
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill

DESK = ["contactcenter.desk.use", "crm.customer.view"]
MANAGER = ["campaigns.campaign.view", "campaigns.campaign.edit", "campaigns.campaign.run", "campaigns.result.view",
           "campaigns.dnc.view", "campaigns.dnc.edit"]


@pytest.fixture
def world(db):
    """A province with an outbound queue, a campaign manager, agents with its skill, and two customers; a city
    branch with its own manager (who must not see the province's campaigns)."""
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    city = make_org(code="GZ", kind="city", name="广州分公司", parent=province)
    other = make_org(code="FJ", kind="province", name="福建省客服中心")
    skill = SkillGroup.objects.create(code="outbound", name="外呼")
    queue = Queue.objects.create(code="OUT", name="外呼队列", org=province)
    QueueSkill.objects.create(queue=queue, skill_group=skill, min_level=1)
    manager = make_staff(org=province, perms=MANAGER, employee_no="CM1", name="外呼主管")
    outsider = make_staff(org=other, perms=MANAGER, employee_no="CM9", name="福建主管")
    nobody = make_staff(org=province, perms=[], employee_no="NO1", name="无权限")
    agents = []
    for i in range(1, 9):
        agent = make_staff(org=province, perms=DESK, employee_no=f"AG{i}", name=f"话务员{i}")
        StaffSkill.objects.create(staff=agent, skill_group=skill, level=5)
        agents.append(agent)
    known = make_customer(org=province, name="刘挽留", brand="easyown", number="13900000002")
    vip = make_customer(org=province, name="陈大客户", tier="vip", brand="gotone", number="13900000001")
    return SimpleNamespace(province=province, city=city, other=other, queue=queue, manager=manager,
                           outsider=outsider, nobody=nobody, agents=agents, known=known, vip=vip)
