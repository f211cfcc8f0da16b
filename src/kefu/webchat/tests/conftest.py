from types import SimpleNamespace

import pytest

from kefu.contactcenter.models import Queue, QueueSkill
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill
from kefu.webchat.models import ChatEntry

DESK = ["contactcenter.desk.use", "crm.customer.view", "workorders.order.view"]


@pytest.fixture
def wc(db):
    """A province center with a chat queue behind the 10086 chat page, two chat agents, a supervisor and a
    known customer."""
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    skill = SkillGroup.objects.create(code="chat", name="在线客服")
    queue = Queue.objects.create(code="CHAT", name="在线客服队列", org=province, channel="chat")
    QueueSkill.objects.create(queue=queue, skill_group=skill, min_level=1)
    spare = Queue.objects.create(code="CHAT2", name="在线客服二线", org=province, channel="chat")
    QueueSkill.objects.create(queue=spare, skill_group=skill, min_level=1)
    agents = []
    for i in (1, 2):
        a = make_staff(org=province, perms=DESK, employee_no=f"CA{i}", name=f"在线客服{i}")
        StaffSkill.objects.create(staff=a, skill_group=skill, level=5)
        agents.append(a)
    sup = make_staff(org=province, perms=["contactcenter.supervise.view", "contactcenter.contact.view"],
                     employee_no="SUP1", name="值班长", position="supervisor")
    customer = make_customer(org=province, name="陈客户", brand="gotone", number="13900000001")
    entry = ChatEntry.objects.create(hotline="10086", name="中国移动在线客服", org=province, queue=queue,
                                     welcome="您好，欢迎使用在线客服。")
    return SimpleNamespace(province=province, queue=queue, spare=spare, agents=agents, sup=sup, customer=customer,
                           entry=entry)
