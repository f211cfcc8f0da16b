import pytest

from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.workorders.services.actions import ActionInput, workorder_act
from kefu.workorders.services.orders import workorder_create

AGENT_PERMS = ["workorders.order.view", "workorders.order.create", "workorders.order.handle",
               "workorders.order.urge", "crm.customer.view"]
HANDLER_PERMS = ["workorders.order.view", "workorders.order.handle"]


@pytest.fixture
def center(db):
    """A province center with one city branch, an agent, handlers and a supervisor."""
    from types import SimpleNamespace

    province = make_org(code="GD", kind="province", name="广东省客服中心")
    gz = make_org(code="GZ", kind="city", name="广州分公司", parent=province)
    sz = make_org(code="SZ", kind="city", name="深圳分公司", parent=province)
    agent = make_staff(org=province, perms=AGENT_PERMS, employee_no="A001", name="李话务")
    backoffice = make_staff(org=province, perms=HANDLER_PERMS, employee_no="B001", name="王派单", position="handler")
    gz_handler = make_staff(org=gz, perms=HANDLER_PERMS, employee_no="G001", name="张处理", position="handler")
    gz_sup = make_staff(org=gz, perms=HANDLER_PERMS, employee_no="G900", name="赵班长", position="supervisor")
    sz_handler = make_staff(org=sz, perms=HANDLER_PERMS, employee_no="S001", name="周深圳", position="handler")
    vip = make_customer(org=gz, name="陈大客户", tier="vip", brand="gotone", number="13900000001")
    mzone = make_customer(org=gz, name="刘动感", brand="mzone", number="13900000002")
    return SimpleNamespace(province=province, gz=gz, sz=sz, agent=agent, backoffice=backoffice, gz_handler=gz_handler,
                           gz_sup=gz_sup, sz_handler=sz_handler, vip=vip, mzone=mzone)


COMPLAINT_FIELDS = {"complainant_type": "vip", "category": "tariff", "level": "general", "source": "customer"}


def complaint(center, **kw):
    order, _ = workorder_create(actor=center.agent, kind="complaint", title="套餐资费多扣", description="本月多扣50元",
                                fields=dict(COMPLAINT_FIELDS), customer=center.vip, **kw)
    return order


def act(actor, order, action, **kw):
    order.refresh_from_db()
    return workorder_act(actor=actor, order_id=order.pk, data=ActionInput(action=action, version=order.version, **kw))
