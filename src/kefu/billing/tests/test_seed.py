"""The demo billing seed: plausible, consistent with crm balances, deterministic and idempotent."""

from decimal import Decimal

from django.db.models import Sum

from kefu.billing.models import Bill, BillItem, BillStatus, Payment, PointsEntry
from kefu.billing.seed import MONTHS, billing_seed
from kefu.billing.selectors import period_of, points_summary
from kefu.crm.models import Account
from kefu.crm.tests.factories import make_customer


def _customers(city, n=6):
    out = []
    for i in range(n):
        c = make_customer(org=city, name=f"客户{i}", brand="gotone" if i % 2 else "mzone", lines=1 + i % 2)
        out.append(c)
    # One account in arrears, one with money on it.
    Account.objects.filter(pk=out[0].accounts.get().pk).update(balance=Decimal("-35.20"), status="arrears")
    Account.objects.filter(pk=out[1].accounts.get().pk).update(balance=Decimal("120.00"))
    return out


def _fingerprint():
    return (Bill.objects.count(), BillItem.objects.aggregate(s=Sum("amount"))["s"],
            Payment.objects.aggregate(s=Sum("amount"))["s"], PointsEntry.objects.aggregate(s=Sum("points"))["s"])


def test_six_months_per_account_with_lines_payments_and_points(city):
    customers = _customers(city)
    made = billing_seed()
    accounts = Account.objects.filter(customer__in=customers).count()
    assert made["bills"] == accounts * MONTHS == Bill.objects.count()
    for bill in Bill.objects.prefetch_related("items"):
        assert bill.amount_due == sum(i.amount for i in bill.items.all())
        assert any(i.item_type == "plan" for i in bill.items.all())
    current = Bill.objects.filter(period=period_of())
    assert current.count() == accounts and set(current.values_list("status", flat=True)) == {BillStatus.OPEN}
    for c in customers:
        p = points_summary(customer=c)
        assert p.usable == p.earned - p.redeemed - p.expired >= 0


def test_accounts_in_arrears_have_unpaid_bills_and_the_others_none(city):
    customers = _customers(city)
    billing_seed()
    owing = customers[0].accounts.get()
    assert Bill.objects.filter(account=owing, status__in=["unpaid", "partial"]).exists()
    assert not Bill.objects.filter(account=customers[1].accounts.get(), status__in=["unpaid", "partial"]).exists()
    paid = Bill.objects.filter(account=customers[1].accounts.get(), status="paid")
    assert Payment.objects.filter(account=customers[1].accounts.get()).count() == paid.count() == MONTHS - 1


def test_seed_is_idempotent_and_deterministic(city):
    _customers(city)
    billing_seed()
    first = _fingerprint()
    assert billing_seed() == {"bills": 0, "points": 0}
    assert _fingerprint() == first
    Bill.objects.all().delete()
    Payment.objects.all().delete()
    PointsEntry.objects.all().delete()
    billing_seed()
    assert _fingerprint() == first


def test_limit_bills_only_the_first_customers(city):
    customers = _customers(city)
    billing_seed(customers_limit=2)
    billed = set(Bill.objects.values_list("account__customer_id", flat=True))
    assert billed == {customers[0].pk, customers[1].pk}
    billing_seed(customers_limit=3)
    assert customers[2].pk in set(Bill.objects.values_list("account__customer_id", flat=True))
