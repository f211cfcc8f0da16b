"""Demo billing data: six months of bills, bill lines, payments and points.

``billing_seed`` is called by the demo seed after customers exist. It is

- deterministic: each account's and customer's draws come from an RNG seeded
  with its natural key (account number, certificate number), so the same
  customers give the same bills whatever else exists;
- idempotent: accounts that already have bills and customers that already
  have points are skipped, so a re-run (or a grown demo) only adds what is
  missing;
- fast: rows are written as tuples through the database's bulk path
  (SQLite ``executemany`` of one prepared INSERT, PostgreSQL ``COPY``), in
  batches of ``BATCH`` customers, one transaction each. 10,000 demo
  customers (72,000 bills, 360,000 lines, 50,000 payments, 73,000 points
  entries) cost about 6 s of CPU on SQLite; PostgreSQL is similar, most of
  it checking the deferred foreign keys at commit.

Consistency with crm: an account whose balance is negative (status
"arrears") gets its latest issued bills unpaid; every other issued bill is
paid by a payment through a channel that fits the account's payment method.
The current month's bill is "accruing": fees so far, nothing due yet.
"""

from __future__ import annotations

import calendar
import random
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from tqdm import tqdm

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.crm.models import Account, Customer, PayMethod, Subscriber, Tier

from .models import Bill, BillItem, BillStatus, ItemType, Payment, PaymentChannel, PointsEntry, PointsKind
from .selectors import period_of, period_shift

SYSTEM = "demo-seed"
MONTHS = 6
BATCH = 2_000
#: Customers seeded when no limit is given: a center with hundreds of
#: thousands of customers gets bills for its first ``DEFAULT_LIMIT`` (by id);
#: IVR and the 360 page say "no bill" for the others.
DEFAULT_LIMIT = 20_000

_PLAN_FEE_RE = re.compile(r"(\d+)元")
_BRAND_FEE = {"gotone": 128, "mzone": 38, "easyown": 18, "enterprise": 58}
_CHANNELS = {
    PayMethod.BANK_DEBIT: (PaymentChannel.BANK,),
    PayMethod.GROUP_PAY: (PaymentChannel.BANK,),
    PayMethod.CASH: (PaymentChannel.COUNTER, PaymentChannel.COUNTER, PaymentChannel.CARD),
    PayMethod.ONLINE: (PaymentChannel.WECHAT, PaymentChannel.ALIPAY, PaymentChannel.ONLINE),
}
# (description, price in cents)
_VALUE_ADDED = (("彩铃功能费", 500), ("视频会员包", 1500), ("139邮箱增强版", 500), ("来电显示", 500), ("云盘会员", 1000))
# (description, unit, cents per unit)
_ROAMING = (("国际及港澳台漫游通话", "分钟", 99), ("国际及港澳台漫游流量", "MB", 29))


def _yuan(cents: int) -> str:
    """Cents as the decimal text both databases store for a DecimalField ("12.30")."""
    return f"{cents // 100}.{cents % 100:02d}"


class _Writer:
    """Bulk insert of tuples in a fixed column order (see the module docstring).

    Amounts arrive as decimal text (what Django itself sends SQLite for a
    Decimal, and what ``COPY`` parses); dates and times go through the
    backend's adaptation, once per distinct value.
    """

    def __init__(self, model: type[models.Model], columns: list[str]):
        meta = model._meta
        fields = [meta.get_field(c) for c in columns]
        qn = connection.ops.quote_name
        names = ", ".join(qn(f.column) for f in fields)
        table = qn(meta.db_table)
        # Identifiers come from the model's meta, quoted by the backend; values are parameters.
        self.insert_sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({names}) FROM STDIN"
        ops = connection.ops
        self.adapted = []
        for index, f in enumerate(fields):
            if isinstance(f, models.DateTimeField):
                self.adapted.append((index, ops.adapt_datetimefield_value))
            elif isinstance(f, models.DateField):
                self.adapted.append((index, ops.adapt_datefield_value))

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        if self.adapted:
            caches = [{} for _a in self.adapted]
            params = []
            for row in rows:
                row = list(row)
                for (index, adapt), cache in zip(self.adapted, caches, strict=True):
                    value = row[index]
                    out = cache.get(value)
                    if out is None:
                        out = cache[value] = adapt(value)
                    row[index] = out
                params.append(row)
        else:
            params = rows
        with connection.cursor() as cursor:
            cursor.executemany(self.insert_sql, params)


class _Calendar:
    """Dates of the six periods, in the center's time zone."""

    def __init__(self, now: datetime):
        self.now = now
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.current = period_of(now)
        self.periods = [period_shift(self.current, k) for k in range(-(MONTHS - 1), 1)]
        local = now.astimezone(self.tz)
        #: Share of the current month elapsed: this month's usage so far.
        self.elapsed = local.day / calendar.monthrange(local.year, local.month)[1]
        self.starts = {p: datetime(int(p[:4]), int(p[4:]), 1, tzinfo=self.tz) for p in self.periods}
        self.issued = {p: datetime.combine(self._start_of(period_shift(p, 1)), time(8, 0), tzinfo=self.tz)
                       for p in self.periods}
        self.due = {p: self._due(p) for p in self.periods}

    @staticmethod
    def _start_of(period: str) -> date:
        return date(int(period[:4]), int(period[4:]), 1)

    @staticmethod
    def _due(period: str) -> date:
        nxt = period_shift(period, 1)
        year, month = int(nxt[:4]), int(nxt[4:])
        return date(year, month, calendar.monthrange(year, month)[1])


def _plan_fee(plan: str, brand: str) -> int:
    m = _PLAN_FEE_RE.search(plan or "")
    return int(m.group(1) if m else _BRAND_FEE.get(brand, 38)) * 100


def _line_items(r, sub: dict, fee: int, scale: float) -> tuple[list[tuple], int]:
    """Lines of one subscriber for one month, as (subscriber_id, type, description, qty, unit, amount), and their sum.

    ``r`` is the RNG's ``random`` (uniform draws are several times cheaper than ``randint``).
    """
    sid = sub["id"]
    items = [(sid, ItemType.PLAN, sub["plan"] or "基本套餐", "1.00", "月", _yuan(fee))]
    total = fee
    minutes = int(r() * 180 * scale)
    if minutes:
        total += minutes * 19
        items.append((sid, ItemType.VOICE, "套餐外国内通话", f"{minutes}.00", "分钟", _yuan(minutes * 19)))
    tenths = int(r() * 60 * scale)  # 0.1 GB steps at 5 yuan per GB
    if tenths:
        total += tenths * 50
        items.append((sid, ItemType.DATA, "套餐外国内流量", _yuan(tenths * 10), "GB", _yuan(tenths * 50)))
    if r() < 0.6:
        count = int(r() * 80 * scale) + 1
        total += count * 10
        items.append((sid, ItemType.SMS, "国内短信彩信", f"{count}.00", "条", _yuan(count * 10)))
    if r() < 0.3:
        name, price = _VALUE_ADDED[int(r() * len(_VALUE_ADDED))]
        total += price
        items.append((sid, ItemType.VALUE_ADDED, name, "1.00", "月", _yuan(price)))
    if r() < 0.08:
        name, unit, price = _ROAMING[int(r() * len(_ROAMING))]
        qty = int(r() * 300 * scale) + 5
        total += qty * price
        items.append((sid, ItemType.ROAMING, name, f"{qty}.00", unit, _yuan(qty * price)))
    return items, total


class _Seeder:
    def __init__(self, now: datetime):
        self.cal = _Calendar(now)
        self.bills = _Writer(Bill, ["account", "period", "amount_due", "amount_paid", "due_date", "status",
                                    "issued_at"])
        self.items = _Writer(BillItem, ["bill", "subscriber", "item_type", "description", "quantity", "unit",
                                        "amount"])
        self.payments = _Writer(Payment, ["account", "amount", "channel", "paid_at", "reference"])
        self.points = _Writer(PointsEntry, ["customer", "kind", "points", "at", "note"])

    def batch(self, customers: list[dict]) -> tuple[int, int]:
        """Bills for the accounts of ``customers`` that have none; points for those that have none."""
        ids = [c["id"] for c in customers]
        billed = set(Bill.objects.filter(account__customer_id__in=ids).values_list("account_id", flat=True)
                     .distinct())
        accounts = [a for a in Account.objects.filter(customer_id__in=ids).order_by("id")
                    .values("id", "customer_id", "account_no", "pay_method", "balance") if a["id"] not in billed]
        subs: dict[int, list[dict]] = {}
        for s in Subscriber.objects.filter(account_id__in=[a["id"] for a in accounts]).order_by("id").values(
                "id", "account_id", "brand", "plan"):
            s["fee"] = _plan_fee(s["plan"], s["brand"])
            subs.setdefault(s["account_id"], []).append(s)
        bill_rows, lines, payments = [], {}, []
        monthly: dict[int, dict[str, int]] = {}
        for a in accounts:
            rng = random.Random(f"kefu-billing-{a['account_no']}")
            self._account(rng, a, subs.get(a["id"], []), bill_rows, lines, payments, monthly)
        self.bills.write(bill_rows)
        bill_ids = {}
        account_ids = [a["id"] for a in accounts]
        for start in range(0, len(account_ids), 900):
            for account_id, period, pk in Bill.objects.filter(account_id__in=account_ids[start:start + 900]) \
                    .values_list("account_id", "period", "id"):
                bill_ids[(account_id, period)] = pk
        self.items.write([(bill_ids[key], *line) for key, rows in lines.items() for line in rows])
        self.payments.write(payments)
        have_points = set(PointsEntry.objects.filter(customer_id__in=ids).values_list("customer_id", flat=True)
                          .distinct())
        points = []
        for c in customers:
            if c["id"] not in have_points:
                self._points(c, monthly.get(c["id"], {}), points)
        self.points.write(points)
        return len(bill_rows), len(points)

    def _account(self, rng, a, subs, bill_rows, lines, payments, monthly) -> None:
        cal, r = self.cal, rng.random
        in_arrears = a["balance"] < 0
        owing_from = len(cal.periods) - (2 if r() < 0.67 else 3)  # issued bills left unpaid when in arrears
        channels = _CHANNELS.get(a["pay_method"], (PaymentChannel.COUNTER,))
        per_customer = monthly.setdefault(a["customer_id"], {})
        for index, period in enumerate(cal.periods):
            current = period == cal.current
            rows, due = [], 0
            for s in subs:
                sub_rows, sub_total = _line_items(r, s, s["fee"], cal.elapsed if current else 1.0)
                rows += sub_rows
                due += sub_total
            lines[(a["id"], period)] = rows
            per_customer[period] = per_customer.get(period, 0) + due
            if current:
                bill_rows.append((a["id"], period, _yuan(due), "0.00", cal.due[period], BillStatus.OPEN, cal.now))
                continue
            issued = cal.issued[period]
            paid, status = due, BillStatus.PAID
            if in_arrears and index >= owing_from and due:
                paid = 0 if r() < 0.7 else due // 2
                status = BillStatus.PARTIAL if paid else BillStatus.UNPAID
            if paid:
                paid_at = min(issued + timedelta(days=int(r() * 25) + 1, minutes=int(r() * 600)), cal.now)
                amount = paid
                if status == BillStatus.PAID:  # people pay the amount, or a round top-up above it
                    step = (0, 1000, 5000, 10000)[int(r() * 4)]
                    amount = -(-paid // step) * step if step else paid
                payments.append((a["id"], _yuan(amount), channels[int(r() * len(channels))], paid_at,
                                 f"P{a['account_no'][-8:]}{period}"))
            bill_rows.append((a["id"], period, _yuan(due), _yuan(paid), cal.due[period], status, issued))

    def _points(self, c: dict, monthly: dict[str, int], out: list) -> None:
        cal = self.cal
        rng = random.Random(f"kefu-points-{c['certificate_no']}")
        r = rng.random
        factor = 2 if c["tier"] == Tier.VIP else 1
        cid = c["id"]
        carried = int(r() * 6_000) * factor
        usable = carried
        if carried:
            out.append((cid, PointsKind.EARN, carried, cal.starts[cal.periods[0]] - timedelta(days=1), "往期积分结转"))
            expired = min(carried, int(r() * 1_500))
            if expired and r() < 0.5:
                out.append((cid, PointsKind.EXPIRE, expired, cal.starts[cal.periods[2]], "积分到期清零"))
                usable -= expired
        for period in cal.periods:
            spent = monthly.get(period, 0) // 100  # one point per yuan
            if period != cal.current and spent:
                earned = spent * factor
                out.append((cid, PointsKind.EARN, earned, cal.issued[period], f"{period}月消费积分"))
                usable += earned
            if usable >= 500 and r() < 0.15:
                redeemed = min(usable, (300, 500, 1_000, 2_000)[int(r() * 4)])
                at = cal.starts[period] + timedelta(days=int(r() * 20), hours=8 + int(r() * 12))
                if at <= cal.now:
                    out.append((cid, PointsKind.REDEEM, redeemed, at, "积分兑换话费"))
                    usable -= redeemed


def billing_seed(*, customers_limit: int | None = None, progress: bool = False) -> dict[str, int]:
    """Six months of bills, lines, payments and points for the first customers (by id).

    ``customers_limit`` caps how many customers get billing data; ``None``
    means all of them up to ``DEFAULT_LIMIT`` (20,000): with hundreds of
    thousands of demo customers only the first 20,000 are billed, which keeps
    the seed to seconds. Returns ``{"bills": n, "points": n}`` added.
    """
    limit = DEFAULT_LIMIT if customers_limit is None else max(int(customers_limit), 0)
    customers = list(Customer.objects.order_by("id").values("id", "tier", "certificate_no")[:limit])
    seeder = _Seeder(clock.now())
    made_bills = made_points = 0
    with tqdm(total=len(customers), desc="bills", unit=" customers", disable=not progress, mininterval=0.5,
              dynamic_ncols=True) as bar:
        for start in range(0, len(customers), BATCH):
            chunk = customers[start:start + BATCH]
            with transaction.atomic():
                bills, points = seeder.batch(chunk)
            made_bills += bills
            made_points += points
            bar.update(len(chunk))
    if made_bills or made_points:
        audit_record(actor=SYSTEM, action=AuditAction.CREATE, object_type="billing.bill",
                     object_repr="demo bills", conditions={"customers": len(customers)}, result_count=made_bills,
                     note=f"seeded {made_bills} demo bills and {made_points} points entries")
    return {"bills": made_bills, "points": made_points}
