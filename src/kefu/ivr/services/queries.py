"""Self-service answers the caller hears: bills, payments, balance, arrears, points, work orders.

Each function reads through ``kefu.billing.selectors`` (or the work-order
model) for a subscriber or customer whose identity the runtime has already
settled, and returns one sentence in the IVR language. Amounts are spoken
with two decimals ("128.50 元").
"""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from kefu.billing import selectors as billing
from kefu.billing.models import BillStatus, ItemType
from kefu.crm.models import Customer, Subscriber


def money(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def period_words(period: str) -> str:
    return _("%(month)s/%(year)s") % {"year": period[:4], "month": int(period[4:])}


def who(own: bool, number: str) -> str:
    """How the answer names its subject: the caller ("you") or another number."""
    return _("You") if own else _("Number %(number)s") % {"number": number}


def _item_word(item_type: str) -> str:
    words: dict[str, str] = {
        ItemType.PLAN: _("plan and fixed fees"), ItemType.VOICE: _("voice calls"), ItemType.DATA: _("mobile data"),
        ItemType.SMS: _("SMS and MMS"), ItemType.VALUE_ADDED: _("value-added services"),
        ItemType.ROAMING: _("roaming"),
    }
    return str(words.get(item_type, item_type))


def bill_current(subscriber: Subscriber, *, own: bool) -> str:
    subject = who(own, subscriber.number)
    bill = billing.bill_current(account=subscriber.account)
    balance = money(billing.account_balance(account=subscriber.account))
    if bill is None:
        return _("%(who)s: no bill yet; account balance %(balance)s yuan.") % {"who": subject, "balance": balance}
    if bill.period == billing.period_of():
        return _("%(who)s: fees this month so far %(amount)s yuan; account balance %(balance)s yuan.") % {
            "who": subject, "amount": money(bill.amount_due), "balance": balance}
    state = (_("paid in full") if bill.status == BillStatus.PAID
             else _("%(amount)s yuan still owed") % {"amount": money(bill.outstanding)})
    return _("%(who)s: the bill of %(period)s is %(amount)s yuan, %(state)s; account balance %(balance)s yuan.") % {
        "who": subject, "period": period_words(bill.period), "amount": money(bill.amount_due), "state": state,
        "balance": balance}


def bill_detail(subscriber: Subscriber, period: str, *, own: bool) -> str:
    subject = who(own, subscriber.number)
    bill = billing.bill_for_period(account=subscriber.account, period=period)
    if bill is None:
        return _("%(who)s: there is no bill for %(period)s.") % {"who": subject, "period": period_words(period)}
    lines = [_("%(what)s %(amount)s yuan") % {"what": _item_word(t), "amount": money(total)}
             for t, total in billing.bill_totals_by_type(bill)]
    return _("%(who)s: the bill of %(period)s totals %(amount)s yuan: %(lines)s.") % {
        "who": subject, "period": period_words(period), "amount": money(bill.amount_due),
        "lines": _(", ").join(lines) or _("no charges")}


def payments(subscriber: Subscriber, *, own: bool, limit: int = 3) -> str:
    subject = who(own, subscriber.number)
    rows = billing.payments_recent(account=subscriber.account, limit=limit)
    if not rows:
        return _("%(who)s: no payments recorded recently.") % {"who": subject}
    tz = ZoneInfo(settings.TIME_ZONE)
    items = [_("%(date)s %(amount)s yuan by %(channel)s") % {
        "date": _date_words(p.paid_at.astimezone(tz)), "amount": money(p.amount), "channel": p.get_channel_display()}
        for p in rows]
    return _("%(who)s: recent payments: %(items)s.") % {"who": subject, "items": _("; ").join(items)}


def _date_words(moment) -> str:
    return _("%(month)s/%(day)s/%(year)s") % {"year": moment.year, "month": moment.month, "day": moment.day}


def balance(subscriber: Subscriber, *, own: bool) -> str:
    return _("%(who)s: account balance %(balance)s yuan.") % {
        "who": who(own, subscriber.number), "balance": money(billing.account_balance(account=subscriber.account))}


def arrears(subscriber: Subscriber, *, own: bool) -> str:
    subject = who(own, subscriber.number)
    owed = billing.arrears_of(account=subscriber.account)
    if not owed.total:
        return _("%(who)s: no arrears.") % {"who": subject}
    return _("%(who)s: arrears of %(amount)s yuan over %(months)s bills; please pay soon.") % {
        "who": subject, "amount": money(owed.total), "months": owed.months}


def points(customer: Customer, number: str, *, own: bool) -> str:
    p = billing.points_summary(customer=customer)
    return _("%(who)s: %(usable)s points usable; %(earned)s earned, %(redeemed)s redeemed and %(expired)s expired "
             "in all; %(month)s redeemed this month.") % {
        "who": who(own, number), "usable": p.usable, "earned": p.earned, "redeemed": p.redeemed,
        "expired": p.expired, "month": p.redeemed_this_month}


def workorder(order) -> str:
    """Progress of one order: state and station, or when it was closed."""
    from kefu.workorders.kinds import Kind
    from kefu.workorders.models import State
    from kefu.workorders.services.templates import compiled

    tz = ZoneInfo(settings.TIME_ZONE)
    kind = Kind(order.kind).label
    if order.state in (State.CLOSED, State.WITHDRAWN):
        return _("Work order %(serial)s (%(kind)s) was %(state)s on %(date)s.") % {
            "serial": order.serial, "kind": kind, "state": State(order.state).label,
            "date": _date_words((order.closed_at or order.updated_at).astimezone(tz))}
    try:
        station = compiled(order.template_version).station(order.station).display_name("zh-hans")
    except (KeyError, ValueError):
        station = order.station
    text = _("Work order %(serial)s (%(kind)s) is %(state)s, now at “%(station)s”.") % {
        "serial": order.serial, "kind": kind, "state": State(order.state).label, "station": station}
    if order.reply_due_at and not order.replied_at:
        text += _(" We will reply by %(date)s.") % {"date": _date_words(order.reply_due_at.astimezone(tz))}
    return text


def workorder_latest(customer_id: int | None, number: str, *, own: bool):
    """(text, order or None) for the customer's most recent open order."""
    from kefu.workorders.selectors import customer_latest_open_order

    order = customer_latest_open_order(customer_id) if customer_id else None
    if order is None:
        return _("%(who)s: no work order in progress.") % {"who": who(own, number)}, None
    return workorder(order), order


def order_by_serial_digits(digits: str):
    """The order whose serial ends with these 14 digits (date + sequence), whatever its kind prefix."""
    from kefu.workorders.kinds import SERIAL_PREFIX
    from kefu.workorders.selectors import order_by_serials

    if len(digits) != 14 or not digits.isdigit():
        return None
    # Unique index on serial: one probe per kind prefix.
    candidates = [prefix + digits for prefix in SERIAL_PREFIX.values()]
    return order_by_serials(candidates)
