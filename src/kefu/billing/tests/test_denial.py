"""Every billing door denies the anonymous, the unpermitted and the out-of-branch caller (see core/testing.py)."""

import pytest

from kefu.billing.selectors import period_of
from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params
from kefu.crm.tests.factories import make_customer

from .factories import add_points, make_bill, make_payment


def _build():
    w = denial_orgs()
    w["customer"] = make_customer(org=w["city"], name="王伟", number="13900000001")
    w["other_customer"] = make_customer(org=w["other_city"], name="李娜", number="13800000002")
    w["account"] = w["customer"].accounts.get()
    w["other_account"] = w["other_customer"].accounts.get()
    w["period"] = period_of()
    make_bill(w["account"], items=(("plan", "88.00"),))
    make_bill(w["other_account"], items=(("plan", "58.00"),))
    make_payment(w["account"], "100.30")
    add_points(w["customer"], "earn", 1000)
    return w


world = denial_world(_build)

BILLS, PAYMENTS, POINTS = "billing.bill.view", "billing.payment.view", "billing.points.view"
CUSTOMER, ACCOUNT = {"customer": "other_customer"}, {"account": "other_account"}

DOORS = [
    door("get", "/api/billing/customers/{customer}/summary", BILLS, outside=CUSTOMER),
    door("get", "/api/billing/accounts/{account}/bills", BILLS, outside=ACCOUNT),
    door("get", "/api/billing/accounts/{account}/bills/{period}", BILLS, outside=ACCOUNT),
    door("get", "/api/billing/accounts/{account}/arrears", BILLS, outside=ACCOUNT),
    door("get", "/api/billing/accounts/{account}/payments", PAYMENTS, outside=ACCOUNT),
    door("get", "/api/billing/customers/{customer}/points", POINTS, outside=CUSTOMER),
    door("get", "/billing/customers/{customer}/summary/", BILLS, outside=CUSTOMER),
]


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
