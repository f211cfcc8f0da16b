"""Reads of bills, payments and points.

Two kinds of readers:

- the customer themself, through IVR self-service, who has already been
  identified by number (and service password where the rule asks for it):
  the plain functions taking an ``account`` or ``customer`` (``bill_current``,
  ``bill_for_period``, ``payments_recent``, ``account_balance``,
  ``arrears_of``, ``points_summary``);
- staff, through the API and the customer 360 page: the ``*_for`` functions
  taking an ``actor``, which resolve the customer or account within the
  actor's organisation scope (a customer outside it is "not found") and write
  a read entry to the audit log (查询日志), since bills are customer data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import NotFound, ValidationFailed
from kefu.crm.models import Account, Customer
from kefu.crm.selectors import (
    account_balance_of,
    account_get,
    customer_get,
)

from .models import OWING, Bill, BillStatus, Payment, PointsEntry, PointsKind

ZERO = Decimal("0.00")
_PERIOD_RE = re.compile(r"^(\d{4})(\d{2})$")


# --- periods ------------------------------------------------------------------


def period_of(moment: datetime | None = None) -> str:
    """The billing period (YYYYMM) of ``moment`` in the center's time zone."""
    moment = moment or clock.now()
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y%m")


def period_shift(period: str, months: int) -> str:
    """``period_shift("202401", -1) == "202312"``."""
    year, month = int(period[:4]), int(period[4:])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}{index % 12 + 1:02d}"


def period_parse(text: str) -> str:
    """A valid YYYYMM not in the future, or ``ValidationFailed``."""
    m = _PERIOD_RE.match((text or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 2000:
        raise ValidationFailed(_("Write the month as YYYYMM, e.g. 202405."), code="invalid_period")
    period = m.group(0)
    if period > period_of():
        raise ValidationFailed(_("The month is in the future."), code="future_period")
    return period


# --- the customer's own data (IVR) -----------------------------------------------


def bill_current(*, account: Account) -> Bill | None:
    """This month's bill (fees so far); the latest bill when this month has none yet."""
    # Both served by billing_bill_account_period_uniq.
    bill = Bill.objects.filter(account=account, period=period_of()).first()
    return bill or Bill.objects.filter(account=account).order_by("-period").first()


def bill_for_period(*, account: Account, period: str) -> Bill | None:
    """The bill of one month with its lines (prefetched), or None."""
    return Bill.objects.filter(account=account, period=period).prefetch_related("items").first()


def bill_totals_by_type(bill: Bill) -> list[tuple[str, Decimal]]:
    """``[(item_type, total)]`` in the order of ``ItemType``, types with no lines left out."""
    from .models import ItemType

    totals: dict[str, Decimal] = {}
    for item in bill.items.all():
        totals[item.item_type] = totals.get(item.item_type, ZERO) + item.amount
    return [(t, totals[t]) for t in ItemType.values if t in totals]


def payments_recent(*, account: Account, limit: int = 5) -> list[Payment]:
    # billing_payment_account_at, read backwards.
    return list(Payment.objects.filter(account=account).order_by("-paid_at", "-id")[:limit])


def account_balance(*, account: Account) -> Decimal:
    """The balance as billing last reported it (kept on the crm account)."""
    return account_balance_of(account.pk) or ZERO


@dataclass(frozen=True)
class Arrears:
    total: Decimal
    bills: list[Bill]

    @property
    def months(self) -> int:
        return len(self.bills)


def arrears_of(*, account: Account) -> Arrears:
    """Issued bills not fully paid, oldest first, and what they still owe."""
    bills = list(Bill.objects.filter(account=account, status__in=OWING).order_by("period"))
    return Arrears(total=sum((b.outstanding for b in bills), ZERO), bills=bills)


def arrears_by_account(account_ids) -> dict[int, Decimal]:
    """``{account id: what its issued, unpaid bills still owe}`` for the accounts among ``account_ids`` that
    owe anything: one grouped query (billing_bill_account_period_uniq leads with the account), for rules
    such as "arrears over 50 yuan" walked over many accounts at once."""
    ids = [int(i) for i in account_ids]
    if not ids:
        return {}
    rows = (Bill.objects.filter(account_id__in=ids, status__in=OWING).values("account_id")
            .annotate(owed=Sum(F("amount_due") - F("amount_paid"))))
    return {r["account_id"]: r["owed"] for r in rows if r["owed"] and r["owed"] > ZERO}


@dataclass(frozen=True)
class PointsSummary:
    earned: int
    redeemed: int
    expired: int
    usable: int
    earned_this_month: int
    redeemed_this_month: int


def points_summary(*, customer: Customer | int) -> PointsSummary:
    """Totals of the ledger, and this month's movements (center time zone)."""
    customer_id = customer if isinstance(customer, int) else customer.pk
    tz = ZoneInfo(settings.TIME_ZONE)
    month_start = clock.now().astimezone(tz).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    nxt = period_shift(period_of(month_start), 1)
    month_end = month_start.replace(year=int(nxt[:4]), month=int(nxt[4:]))
    this_month = Q(at__gte=month_start, at__lt=month_end)
    # One aggregate over billing_points_customer_at.
    agg = PointsEntry.objects.filter(customer_id=customer_id).aggregate(
        earned=Sum("points", filter=Q(kind=PointsKind.EARN)),
        redeemed=Sum("points", filter=Q(kind=PointsKind.REDEEM)),
        expired=Sum("points", filter=Q(kind=PointsKind.EXPIRE)),
        earned_month=Sum("points", filter=Q(kind=PointsKind.EARN) & this_month),
        redeemed_month=Sum("points", filter=Q(kind=PointsKind.REDEEM) & this_month),
    )
    earned, redeemed, expired = (agg[k] or 0 for k in ("earned", "redeemed", "expired"))
    return PointsSummary(earned=earned, redeemed=redeemed, expired=expired,
                         usable=max(earned - redeemed - expired, 0),
                         earned_this_month=agg["earned_month"] or 0, redeemed_this_month=agg["redeemed_month"] or 0)


# --- staff reads (scoped, audited) --------------------------------------------------


def _customer_for(actor, customer_id) -> Customer:
    return customer_get(actor=actor, customer_id=customer_id)


def _account_for(actor, account_id) -> Account:
    return account_get(actor=actor, account_id=account_id)


def _audit_read(actor, customer: Customer, what: str, **conditions) -> None:
    audit_record(actor=actor, action=AuditAction.READ, obj=customer, note=f"billing: {what}",
                 conditions=conditions)


@dataclass
class AccountBilling:
    account: Account
    current: Bill | None
    arrears: Arrears


@dataclass
class BillingSummary:
    """What the customer 360 "Bills" section and its API show."""

    customer: Customer
    period: str
    accounts: list[AccountBilling] = field(default_factory=list)
    balance_total: Decimal = ZERO
    arrears_total: Decimal = ZERO
    points: PointsSummary | None = None
    recent_payments: list[Payment] = field(default_factory=list)


#: Accounts shown in a summary (an enterprise may have hundreds).
SUMMARY_ACCOUNTS = 20


def billing_summary_for(*, actor, customer_id) -> BillingSummary:
    """Current bill, balance and arrears per account, points and recent payments; audited as a read."""
    customer = _customer_for(actor, customer_id)
    accounts = list(customer.accounts.order_by("id")[:SUMMARY_ACCOUNTS])
    summary = BillingSummary(customer=customer, period=period_of())
    for account in accounts:
        arrears = arrears_of(account=account)
        summary.accounts.append(AccountBilling(account=account, current=bill_current(account=account),
                                               arrears=arrears))
        summary.balance_total += account.balance
        summary.arrears_total += arrears.total
    summary.points = points_summary(customer=customer)
    summary.recent_payments = list(
        Payment.objects.filter(account__in=accounts).select_related("account").order_by("-paid_at", "-id")[:5]
    )
    _audit_read(actor, customer, "summary")
    return summary


def bills_for(*, actor, account_id) -> tuple[Account, QuerySet[Bill]]:
    account = _account_for(actor, account_id)
    _audit_read(actor, account.customer, "bills", account=account.account_no)
    return account, Bill.objects.filter(account=account).order_by("-period")


def bill_detail_for(*, actor, account_id, period: str) -> tuple[Account, Bill]:
    account = _account_for(actor, account_id)
    m = _PERIOD_RE.match(period or "")
    bill = bill_for_period(account=account, period=period) if m else None
    if bill is None:
        raise NotFound(_("No bill for this month."), code="bill_not_found")
    _audit_read(actor, account.customer, "bill detail", account=account.account_no, period=period)
    return account, bill


def payments_for(*, actor, account_id) -> tuple[Account, QuerySet[Payment]]:
    account = _account_for(actor, account_id)
    _audit_read(actor, account.customer, "payments", account=account.account_no)
    return account, Payment.objects.filter(account=account).order_by("-paid_at", "-id")


def arrears_for(*, actor, account_id) -> tuple[Account, Arrears]:
    account = _account_for(actor, account_id)
    _audit_read(actor, account.customer, "arrears", account=account.account_no)
    return account, arrears_of(account=account)


def points_for(*, actor, customer_id) -> tuple[Customer, PointsSummary, list[PointsEntry]]:
    customer = _customer_for(actor, customer_id)
    entries = list(PointsEntry.objects.filter(customer=customer).order_by("-at", "-id")[:20])
    _audit_read(actor, customer, "points")
    return customer, points_summary(customer=customer), entries


__all__ = [
    "Arrears", "BillStatus", "BillingSummary", "PointsSummary", "account_balance", "arrears_by_account",
    "arrears_for", "arrears_of",
    "bill_current", "bill_detail_for", "bill_for_period", "bill_totals_by_type", "billing_summary_for",
    "bills_for", "payments_for", "payments_recent", "period_of", "period_parse", "period_shift",
    "points_for", "points_summary",
]
