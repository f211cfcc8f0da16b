"""Billing read API (/api/billing/): bills, bill detail, payments, arrears, points.

Read-only: bills come from billing (BOSS). Every read is scoped to the
actor's organisations through the customer's home branch and audited.
"""

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination

from . import selectors
from .models import Bill

router = Router(tags=["billing"])


class BillOut(Schema):
    id: int
    account_id: int
    period: str
    amount_due: Decimal
    amount_paid: Decimal
    outstanding: Decimal
    due_date: date
    status: str
    issued_at: datetime


class BillItemOut(Schema):
    item_type: str
    description: str
    subscriber: str | None
    quantity: Decimal
    unit: str
    amount: Decimal

    @staticmethod
    def resolve_subscriber(obj) -> str | None:
        return obj.subscriber.number if obj.subscriber_id else None


class BillDetailOut(BillOut):
    items: list[BillItemOut]

    @staticmethod
    def resolve_items(obj: Bill) -> list:
        return list(obj.items.select_related("subscriber").order_by("id"))


class PaymentOut(Schema):
    id: int
    account_id: int
    amount: Decimal
    channel: str
    paid_at: datetime
    reference: str


class ArrearsOut(Schema):
    account_id: int
    total: Decimal
    months: int
    bills: list[BillOut]


class PointsSummaryOut(Schema):
    earned: int
    redeemed: int
    expired: int
    usable: int
    earned_this_month: int
    redeemed_this_month: int


class PointsEntryOut(Schema):
    kind: str
    points: int
    at: datetime
    note: str


class PointsOut(Schema):
    customer_id: int
    summary: PointsSummaryOut
    recent: list[PointsEntryOut]


class AccountSummaryOut(Schema):
    account_id: int
    account_no: str
    balance: Decimal
    current_bill: BillOut | None
    arrears_total: Decimal
    arrears_months: int


class SummaryOut(Schema):
    customer_id: int
    period: str
    balance_total: Decimal
    arrears_total: Decimal
    accounts: list[AccountSummaryOut]
    points: PointsSummaryOut
    recent_payments: list[PaymentOut]


@router.get("/customers/{customer_id}/summary", response=SummaryOut,
            summary="A customer's bills at a glance: current bill, balance, arrears, points, payments")
@requires("billing.bill.view")
def customer_summary(request, customer_id: int):
    s = selectors.billing_summary_for(actor=actor_of(request), customer_id=customer_id)
    return {
        "customer_id": s.customer.pk, "period": s.period, "balance_total": s.balance_total,
        "arrears_total": s.arrears_total, "points": s.points, "recent_payments": s.recent_payments,
        "accounts": [{"account_id": a.account.pk, "account_no": a.account.account_no, "balance": a.account.balance,
                      "current_bill": a.current, "arrears_total": a.arrears.total,
                      "arrears_months": a.arrears.months} for a in s.accounts],
    }


@router.get("/accounts/{account_id}/bills", response=list[BillOut], summary="Bills of an account, newest first")
@requires("billing.bill.view")
@paginate(Pagination)
def account_bills(request, account_id: int):
    _account, bills = selectors.bills_for(actor=actor_of(request), account_id=account_id)
    return bills


@router.get("/accounts/{account_id}/bills/{period}", response=BillDetailOut,
            summary="The detailed bill of one month (YYYYMM)")
@requires("billing.bill.view")
def account_bill_detail(request, account_id: int, period: str):
    _account, bill = selectors.bill_detail_for(actor=actor_of(request), account_id=account_id, period=period)
    return bill


@router.get("/accounts/{account_id}/arrears", response=ArrearsOut, summary="Unpaid bills of an account")
@requires("billing.bill.view")
def account_arrears(request, account_id: int):
    account, arrears = selectors.arrears_for(actor=actor_of(request), account_id=account_id)
    return {"account_id": account.pk, "total": arrears.total, "months": arrears.months, "bills": arrears.bills}


@router.get("/accounts/{account_id}/payments", response=list[PaymentOut], summary="Payment history, newest first")
@requires("billing.payment.view")
@paginate(Pagination)
def account_payments(request, account_id: int):
    _account, payments = selectors.payments_for(actor=actor_of(request), account_id=account_id)
    return payments


@router.get("/customers/{customer_id}/points", response=PointsOut, summary="Points summary and recent entries")
@requires("billing.points.view")
def customer_points(request, customer_id: int):
    customer, summary, entries = selectors.points_for(actor=actor_of(request), customer_id=customer_id)
    return {"customer_id": customer.pk, "summary": summary, "recent": entries}
