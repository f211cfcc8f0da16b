"""A small contact center for IVR tests: the 10086 flow, queues, customers with bills."""

from __future__ import annotations

from types import SimpleNamespace

from kefu.billing.selectors import period_of, period_shift
from kefu.billing.tests.factories import add_points, make_bill, make_payment
from kefu.contactcenter.models import Queue
from kefu.core.testing import make_staff
from kefu.crm.tests.factories import make_customer
from kefu.ivr.services.flows import ivr_seed

VIP_PASSWORD = "135790"
PLAIN_PASSWORD = "246801"


def build_center(province) -> SimpleNamespace:
    """The 10086 flow, queues GEN and VIP, and customers with bills:

    - 13900000001 陈大客户 (VIP, GoTone): this month 128.50, last month 108.00 unpaid, points;
    - 13900000002 刘普通 (Easy-Own): this month 38.00, balance 0;
    - 13700000003 张三 (another customer, with a password);
    - 13600000004 无密码 (no service password).
    """
    gen = Queue.objects.create(code="GEN", name="综合队列", org=province)
    vip_q = Queue.objects.create(code="VIP", name="大客户队列", org=province)
    vip = make_customer(org=province, name="陈大客户", tier="vip", vip_level="gold", brand="gotone",
                        number="13900000001", service_password=VIP_PASSWORD)
    plain = make_customer(org=province, name="刘普通", brand="easyown", number="13900000002",
                          service_password=PLAIN_PASSWORD)
    other = make_customer(org=province, name="张三", number="13700000003", service_password="112233")
    nopass = make_customer(org=province, name="无密码", number="13600000004")
    account = vip.accounts.get()
    account.balance = "35.20"
    account.save()
    now = period_of()
    make_bill(account, period=period_shift(now, -1), items=(("plan", "88.00"), ("data", "20.00")), status="unpaid")
    make_bill(account, period=period_shift(now, -2), items=(("plan", "88.00"), ("voice", "12.30"),
                                                            ("roaming", "7.70")))
    make_bill(account, items=(("plan", "88.00"), ("voice", "30.50"), ("sms", "10.00")))
    make_payment(account, "100.30", channel="wechat")
    add_points(vip, "earn", 3000)
    add_points(vip, "redeem", 500)
    add_points(vip, "expire", 200)
    make_bill(plain.accounts.get(), items=(("plan", "38.00"),))
    make_bill(other.accounts.get(), items=(("plan", "58.00"), ("data", "5.00")))
    agent = make_staff(org=province, perms=["workorders.order.create", "workorders.order.view"],
                       employee_no="AG1", name="话务员1")
    flow = ivr_seed(actor="test")
    return SimpleNamespace(province=province, gen=gen, vip_q=vip_q, vip=vip, plain=plain, other=other,
                           nopass=nopass, account=account, agent=agent, flow=flow, period=now)
