"""Outlets (the ways Kefu writes to customers) and their message templates."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock
from kefu.core.models import TimeStampedModel


class OutletKind(models.TextChoices):
    SMS = "sms", pgettext_lazy("outlet kind", "SMS")
    EMAIL = "email", pgettext_lazy("outlet kind", "E-mail")
    INAPP = "inapp", pgettext_lazy("outlet kind", "In-app")
    CALL = "call", pgettext_lazy("outlet kind", "Outbound IVR call")


class GatewayKind(models.TextChoices):
    """How an SMS outlet reaches the network (other kinds have one way each)."""

    NONE = "", pgettext_lazy("sms gateway", "None")
    RECORDED = "recorded", pgettext_lazy("sms gateway", "Recorded (development)")
    HTTP = "http", pgettext_lazy("sms gateway", "HTTP gateway")


class Outlet(TimeStampedModel):
    """One way out to customers, with its sending rate.

    The token bucket (``tokens`` refilled at ``rate_per_second`` up to ``burst``
    since ``refilled_at``) lives in this row, so every worker process takes its
    tokens under the same row lock and the rate holds however many run.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=8, choices=OutletKind.choices)
    active = models.BooleanField(_("active"), default=True)
    rate_per_second = models.FloatField(_("messages per second"), default=10.0)
    burst = models.PositiveIntegerField(_("burst"), default=20)
    gateway = models.CharField(_("gateway"), max_length=10, choices=GatewayKind.choices, blank=True, default="")
    gateway_url = models.URLField(_("gateway URL"), max_length=300, blank=True, default="")
    gateway_secret = models.CharField(_("gateway secret"), max_length=128, blank=True, default="")
    sender = models.CharField(_("sender"), max_length=128, blank=True, default="",
                              help_text=_("Sender number of SMS, From address of e-mail."))
    tokens = models.FloatField(default=0.0)
    refilled_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Template(TimeStampedModel):
    """A message text with ``{{ variables }}`` (Django template language), per outlet, edited in the UI."""

    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="templates")
    code = models.SlugField(_("code"), max_length=48)
    name = models.CharField(_("name"), max_length=64)
    subject = models.CharField(_("subject"), max_length=200, blank=True, default="",
                               help_text=_("E-mail only; may use variables too."))
    body = models.TextField(_("text"), max_length=4000)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["outlet__code", "code"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [models.UniqueConstraint(fields=["outlet", "code"], name="outlets_template_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
