from types import SimpleNamespace

import pytest

from kefu.billing.selectors import period_of, period_shift
from kefu.crm.tests.factories import make_customer

from .factories import add_points, make_bill, make_payment


@pytest.fixture
def billed(city, other_city):
    """A Guangzhou customer with three months of bills (the last unpaid), payments and points,
    and a Shenzhen customer outside a Guangzhou actor's scope."""
    gz = make_customer(org=city, name="王伟", number="13900000001", service_password="135790")
    sz = make_customer(org=other_city, name="李娜", number="13800000002")
    account = gz.accounts.get()
    now = period_of()
    old = make_bill(account, period=period_shift(now, -2), items=(("plan", "88.00"), ("voice", "12.30")))
    last = make_bill(account, period=period_shift(now, -1), items=(("plan", "88.00"), ("data", "20.00")),
                     status="unpaid")
    current = make_bill(account, items=(("plan", "88.00"), ("voice", "30.50"), ("sms", "10.00")))
    make_payment(account, "100.30")
    add_points(gz, "earn", 1000)
    add_points(gz, "redeem", 300)
    add_points(gz, "expire", 100)
    sz_bill = make_bill(sz.accounts.get(), items=(("plan", "58.00"),))
    return SimpleNamespace(gz=gz, sz=sz, account=account, old=old, last=last, current=current, sz_bill=sz_bill)


@pytest.fixture
def gz_api(city):
    """API client factory for Guangzhou staff holding the given permissions."""
    from kefu.core.testing import JsonClient, client_for, make_staff

    def make(*perms):
        return JsonClient(client_for(make_staff(org=city, perms=perms)))

    return make
