"""Opt-outs: a number, address or customer that no longer wants messages of a purpose or an outlet."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock


class OptOut(models.Model):
    """An opt-out; revoking keeps the row (``revoked_at``), so the history of consent stays.

    ``outlet`` empty means every outlet, ``purpose`` empty every purpose (but see
    ``Purpose``: answers the customer asked for are stopped only by their own purpose).
    """

    address = models.CharField(_("number or address"), max_length=254, blank=True, default="")
    customer = models.ForeignKey("crm.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    outlet = models.ForeignKey("outlets.Outlet", verbose_name=_("outlet"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=12, blank=True, default="")
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    source = models.CharField(_("source"), max_length=16, default="ui")
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    created_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        indexes = [
            models.Index(fields=["address", "revoked_at"], name="outlets_optout_address_idx"),
            models.Index(fields=["customer", "revoked_at"], name="outlets_optout_customer_idx"),
        ]

    def __str__(self) -> str:
        return f"opt-out {self.address or self.customer_id} {self.purpose or '*'}"
