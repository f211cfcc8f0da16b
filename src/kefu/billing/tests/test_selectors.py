"""Bills, arrears and points as the selectors compute them."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kefu.billing import selectors
from kefu.core import clock
from kefu.core.errors import ValidationFailed

from .factories import add_points, make_bill


def test_periods_shift_across_years_and_parse_rejects_bad_or_future_months():
    assert selectors.period_shift("202401", -1) == "202312"
    assert selectors.period_shift("202312", 1) == "202401"
    assert selectors.period_shift("202405", -13) == "202304"
    assert selectors.period_parse("202405") == "202405"
    for bad in ("2024", "202413", "202400", "abcdef", "", "199912"):
        with pytest.raises(ValidationFailed):
            selectors.period_parse(bad)
    with pytest.raises(ValidationFailed) as exc:
        selectors.period_parse(selectors.period_shift(selectors.period_of(), 1))
    assert exc.value.code == "future_period"


def test_period_follows_the_center_time_zone():
    # 2024-05-31 17:00 UTC is already June 1st in Shanghai.
    assert selectors.period_of(datetime(2024, 5, 31, 17, 0, tzinfo=ZoneInfo("UTC"))) == "202406"


def test_current_bill_is_this_month_else_the_latest(billed):
    assert selectors.bill_current(account=billed.account) == billed.current
    billed.current.delete()
    assert selectors.bill_current(account=billed.account) == billed.last


def test_detailed_bill_totals_by_type_in_a_fixed_order(billed):
    bill = selectors.bill_for_period(account=billed.account, period=billed.current.period)
    assert selectors.bill_totals_by_type(bill) == [("plan", Decimal("88.00")), ("voice", Decimal("30.50")),
                                                   ("sms", Decimal("10.00"))]
    assert selectors.bill_for_period(account=billed.account, period="200001") is None


def test_arrears_are_the_issued_bills_not_fully_paid(billed):
    arrears = selectors.arrears_of(account=billed.account)
    assert arrears.bills == [billed.last] and arrears.total == Decimal("108.00") and arrears.months == 1
    make_bill(billed.account, period=selectors.period_shift(billed.old.period, -1), items=(("plan", "50"),),
              status="partial", paid="20")
    arrears = selectors.arrears_of(account=billed.account)
    assert arrears.total == Decimal("138.00") and arrears.months == 2


def test_points_summary_counts_this_month_separately(billed):
    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2024, 6, 15, 10, 0, tzinfo=tz)
    clock.freeze(now)
    add_points(billed.gz, "redeem", 50, at=now - timedelta(days=20))  # May: not this month
    add_points(billed.gz, "redeem", 70, at=datetime(2024, 6, 1, 0, 0, 1, tzinfo=tz))
    add_points(billed.gz, "earn", 200, at=datetime(2024, 6, 2, tzinfo=tz))
    s = selectors.points_summary(customer=billed.gz)
    # The fixture's entries were written "now" = today in real time, i.e. not June 2024.
    assert (s.earned, s.redeemed, s.expired) == (1200, 420, 100)
    assert s.usable == 680
    assert s.redeemed_this_month == 70 and s.earned_this_month == 200


def test_points_of_a_customer_without_entries_are_zero(billed):
    s = selectors.points_summary(customer=billed.sz)
    assert (s.earned, s.usable, s.redeemed_this_month) == (0, 0, 0)
