"""Bills, payments and points for tests, with amounts chosen by the test."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kefu.billing.models import Bill, BillItem, BillStatus, Payment, PointsEntry
from kefu.billing.selectors import period_of
from kefu.core import clock


def make_bill(account, *, period: str | None = None, items=(("plan", "88.00"),), paid: str | None = None,
              status: str | None = None, subscriber=None) -> Bill:
    """A bill whose amount is the sum of ``items`` ((type, amount) pairs); paid in full unless told."""
    period = period or period_of()
    due = sum((Decimal(a) for _t, a in items), Decimal("0.00"))
    current = period == period_of()
    if status is None:
        status = BillStatus.OPEN if current else BillStatus.PAID
    amount_paid = Decimal(paid) if paid is not None else (due if status == BillStatus.PAID else Decimal("0.00"))
    bill = Bill.objects.create(account=account, period=period, amount_due=due, amount_paid=amount_paid,
                               due_date=date(int(period[:4]), int(period[4:]), 28) + timedelta(days=30),
                               status=status, issued_at=clock.now())
    for item_type, amount in items:
        BillItem.objects.create(bill=bill, subscriber=subscriber, item_type=item_type, description=item_type,
                                quantity=Decimal(1), unit="", amount=Decimal(amount))
    return bill


def make_payment(account, amount: str, *, channel: str = "wechat", at=None) -> Payment:
    return Payment.objects.create(account=account, amount=Decimal(amount), channel=channel, paid_at=at or clock.now())


def add_points(customer, kind: str, points: int, *, at=None) -> PointsEntry:
    return PointsEntry.objects.create(customer=customer, kind=kind, points=points, at=at or clock.now())
