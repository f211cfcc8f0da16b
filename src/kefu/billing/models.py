"""Bills, bill lines, payments and points as billing (BOSS) reports them.

Kefu does not rate calls: these rows mirror what the billing system issued so
that agents, the customer 360 page and IVR self-service can answer "how much
is my bill", "what did I pay", "how many points do I have" without a round
trip to BOSS. Amounts are yuan with two decimals.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class BillStatus(models.TextChoices):
    #: The current month: fees so far, not yet issued.
    OPEN = "open", pgettext_lazy("bill status", "Accruing (this month)")
    UNPAID = "unpaid", pgettext_lazy("bill status", "Unpaid")
    PARTIAL = "partial", pgettext_lazy("bill status", "Partly paid")
    PAID = "paid", pgettext_lazy("bill status", "Paid")


#: Issued bills that still owe money: what "arrears" means.
OWING = (BillStatus.UNPAID, BillStatus.PARTIAL)


class Bill(models.Model):
    """The monthly bill of one account for one period (YYYYMM)."""

    # No index of its own: billing_bill_account_period_uniq leads with account.
    account = models.ForeignKey("crm.Account", verbose_name=_("account"), on_delete=models.CASCADE,
                                related_name="bills", db_index=False)
    period = models.CharField(_("period"), max_length=6)  # YYYYMM
    amount_due = models.DecimalField(_("amount due"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    amount_paid = models.DecimalField(_("amount paid"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=8, choices=BillStatus.choices, default=BillStatus.UNPAID)
    issued_at = models.DateTimeField(_("issued at"), default=clock.now)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["account", "-period"]
        constraints = [
            # Also the index behind "the bill of this account for this month" and the arrears list.
            models.UniqueConstraint(fields=["account", "period"], name="billing_bill_account_period_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.period}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_due - self.amount_paid, Decimal("0.00"))

    @property
    def period_label(self) -> str:
        return f"{self.period[:4]}-{self.period[4:]}"


class ItemType(models.TextChoices):
    PLAN = "plan", pgettext_lazy("bill item", "Plan fee")
    VOICE = "voice", pgettext_lazy("bill item", "Voice calls")
    DATA = "data", pgettext_lazy("bill item", "Mobile data")
    SMS = "sms", pgettext_lazy("bill item", "SMS and MMS")
    VALUE_ADDED = "value_added", pgettext_lazy("bill item", "Value-added services")
    ROAMING = "roaming", pgettext_lazy("bill item", "Roaming")


class BillItem(models.Model):
    """One line of a detailed bill (详单 summary by fee type)."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="items")
    # Not indexed: lines are read by bill, never by subscriber (subscribers are not deleted).
    subscriber = models.ForeignKey("crm.Subscriber", verbose_name=_("subscriber"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", db_index=False)
    item_type = models.CharField(_("type"), max_length=12, choices=ItemType.choices)
    description = models.CharField(_("description"), max_length=100)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    unit = models.CharField(_("unit"), max_length=8, blank=True, default="")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("bill item")
        verbose_name_plural = _("bill items")
        ordering = ["bill", "id"]

    def __str__(self) -> str:
        return f"{self.bill_id} {self.item_type} {self.amount}"


class PaymentChannel(models.TextChoices):
    COUNTER = "counter", pgettext_lazy("payment channel", "Service hall counter")
    ONLINE = "online", pgettext_lazy("payment channel", "Online service hall")
    BANK = "bank", pgettext_lazy("payment channel", "Bank direct debit")
    WECHAT = "wechat", pgettext_lazy("payment channel", "WeChat Pay")
    ALIPAY = "alipay", pgettext_lazy("payment channel", "Alipay")
    CARD = "card", pgettext_lazy("payment channel", "Top-up card")


class Payment(models.Model):
    """Money received on an account."""

    account = models.ForeignKey("crm.Account", verbose_name=_("account"), on_delete=models.CASCADE,
                                related_name="payments", db_index=False)  # see billing_payment_account_at
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    channel = models.CharField(_("channel"), max_length=8, choices=PaymentChannel.choices)
    paid_at = models.DateTimeField(_("paid at"), default=clock.now)
    reference = models.CharField(_("reference"), max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["account", "-paid_at"]
        indexes = [models.Index(fields=["account", "paid_at"], name="billing_payment_account_at")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount}"


class PointsKind(models.TextChoices):
    EARN = "earn", pgettext_lazy("points", "Earned")
    REDEEM = "redeem", pgettext_lazy("points", "Redeemed")
    EXPIRE = "expire", pgettext_lazy("points", "Expired")


class PointsEntry(models.Model):
    """A ledger line of a customer's points; the summary is computed, never stored,
    so earned − redeemed − expired = usable always holds."""

    customer = models.ForeignKey("crm.Customer", verbose_name=_("customer"), on_delete=models.CASCADE,
                                 related_name="points_entries", db_index=False)  # see billing_points_customer_at
    kind = models.CharField(_("kind"), max_length=8, choices=PointsKind.choices)
    points = models.PositiveIntegerField(_("points"))
    at = models.DateTimeField(_("at"), default=clock.now)
    note = models.CharField(_("note"), max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["customer", "-at"]
        indexes = [models.Index(fields=["customer", "at"], name="billing_points_customer_at")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {self.points}"
