"""The account (帐户): who pays for one or more subscribers of a customer."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.models import TimeStampedModel


class PayMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_DEBIT = "bank_debit", _("Bank direct debit")
    ONLINE = "online", _("Online payment")
    GROUP_PAY = "group_pay", _("Paid by the group")


class AccountStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("crm status", "Active")
    ARREARS = "arrears", pgettext_lazy("crm status", "In arrears")
    CLOSED = "closed", pgettext_lazy("crm status", "Closed")


class Account(TimeStampedModel):
    """A billing account. The balance mirrors billing (BOSS); Kefu does not rate calls."""

    customer = models.ForeignKey(
        "crm.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="accounts"
    )
    account_no = models.CharField(_("account number"), max_length=32, unique=True)
    name = models.CharField(_("account name"), max_length=100)
    pay_method = models.CharField(_("payment method"), max_length=16, choices=PayMethod.choices, default=PayMethod.CASH)
    balance = models.DecimalField(_("balance"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    status = models.CharField(_("status"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return f"{self.account_no} {self.name}"
