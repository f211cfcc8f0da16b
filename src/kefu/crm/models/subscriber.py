"""The subscriber (用户): one number/line, billed to an account of a customer."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock
from kefu.core.models import TimeStampedModel


class Brand(models.TextChoices):
    GOTONE = "gotone", _("GoTone")
    MZONE = "mzone", _("M-Zone")
    EASYOWN = "easyown", _("Easy-Own")
    ENTERPRISE = "enterprise", _("Enterprise")


class SubscriberStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("crm status", "Active")
    SUSPENDED = "suspended", pgettext_lazy("crm status", "Suspended")
    CLOSED = "closed", pgettext_lazy("crm status", "Closed")


class Subscriber(TimeStampedModel):
    """A line. ``customer`` repeats ``account.customer`` on purpose: the 360 page
    and the tier check list a customer's lines without joining accounts, and
    the services keep the two consistent."""

    account = models.ForeignKey(
        "crm.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="subscribers"
    )
    customer = models.ForeignKey(
        "crm.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="subscribers"
    )
    number = models.CharField(_("number"), max_length=11, unique=True)
    brand = models.CharField(_("brand"), max_length=16, choices=Brand.choices)
    plan = models.CharField(_("plan"), max_length=100, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=SubscriberStatus.choices, default=SubscriberStatus.ACTIVE
    )
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.number
