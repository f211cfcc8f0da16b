import pytest

from kefu.billing.selectors import period_of, period_shift
from kefu.billing.tests.factories import make_bill
from kefu.core.testing import make_org
from kefu.crm.tests.factories import make_customer
from kefu.notices.services.systems import SystemData, system_create
from kefu.params.services import param_set


@pytest.fixture
def foshan(province):
    return make_org(code="FS", name="佛山分公司", kind="city", parent=province)


@pytest.fixture
def no_quiet_hours(db):
    param_set(actor="test", key="notices.quiet_hours", raw="false")


def owing(customer, amount: str):
    """An issued bill of last month not paid: ``amount`` yuan of arrears on the customer's account."""
    return make_bill(customer.accounts.first(), period=period_shift(period_of(), -1), items=(("plan", amount),),
                     status="unpaid")


@pytest.fixture
def arrears_world(foshan, city, no_quiet_hours):
    """Foshan: two customers owing more than 50 yuan, one owing 20, one owing nothing; Guangzhou: one owing 80."""
    w = {}
    for name, number, org, amount in (("甲", "13900000001", foshan, "88.50"), ("乙", "13900000002", foshan, "120.00"),
                                      ("丙", "13900000003", foshan, "20.00"), ("丁", "13900000004", foshan, None),
                                      ("戊", "13900000005", city, "80.00")):
        c = make_customer(org=org, name=name, number=number)
        if amount:
            owing(c, amount)
        w[number] = c
    return w


@pytest.fixture
def boss_system(province):
    return system_create(actor="test", data=SystemData(code="boss", name="BOSS", callback_url="", org_id=province.pk))
