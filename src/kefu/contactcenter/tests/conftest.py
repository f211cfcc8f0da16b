from types import SimpleNamespace

import pytest

from kefu.contactcenter.models import Queue, QueueSkill
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill

DESK = ["contactcenter.desk.use", "crm.customer.view", "workorders.order.view", "workorders.order.create",
        "workorders.order.handle"]


@pytest.fixture
def cc(db):
    """A province center with two skills, a general and a VIP queue, three agents and two customers."""
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    general = SkillGroup.objects.create(code="general", name="普通话综合")
    vip_skill = SkillGroup.objects.create(code="vip", name="大客户服务")
    q_general = Queue.objects.create(code="GEN", name="综合队列", org=province)
    QueueSkill.objects.create(queue=q_general, skill_group=general, min_level=1)
    q_vip = Queue.objects.create(code="VIP", name="大客户队列", org=province,
                                 overflow=[{"after": 30, "skills": [["general", 1]]}])
    QueueSkill.objects.create(queue=q_vip, skill_group=vip_skill, min_level=5)
    agents = []
    for i, (g, v) in enumerate([(5, 0), (3, 8), (9, 0)], 1):
        a = make_staff(org=province, perms=DESK, employee_no=f"AG{i}", name=f"话务员{i}")
        if g:
            StaffSkill.objects.create(staff=a, skill_group=general, level=g)
        if v:
            StaffSkill.objects.create(staff=a, skill_group=vip_skill, level=v)
        agents.append(a)
    sup = make_staff(org=province, perms=["contactcenter.supervise"], employee_no="SUP1", name="值班长",
                     position="supervisor")
    vip = make_customer(org=province, name="陈大客户", tier="vip", brand="gotone", number="13900000001")
    plain = make_customer(org=province, name="刘普通", brand="easyown", number="13900000002")
    return SimpleNamespace(province=province, q_general=q_general, q_vip=q_vip, agents=agents, sup=sup, vip=vip,
                           plain=plain)
