"""What SMS gateways report back: delivery reports, inbound messages (and their parts), and the
development gateway's record of what it "sent"."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock


class DeliveryReport(models.Model):
    """A gateway's report on a message; ``report_id`` is unique per outlet so a repeated webhook is a no-op.

    A report may arrive before the worker recorded the gateway's reference; it waits here unmatched
    (``message`` empty) and is applied when the reference is recorded.
    """

    outlet = models.ForeignKey("outlets.Outlet", on_delete=models.CASCADE, related_name="+")
    report_id = models.CharField(max_length=100)
    gateway_ref = models.CharField(max_length=100)
    status = models.CharField(max_length=10)  # delivered, failed
    error = models.CharField(max_length=300, blank=True, default="")
    message = models.ForeignKey("outlets.Message", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="reports")
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["outlet", "report_id"], name="outlets_report_unique")]
        indexes = [models.Index(fields=["outlet", "gateway_ref"], name="outlets_report_ref_idx")]

    def __str__(self) -> str:
        return f"report {self.report_id} {self.status}"


class InboundPart(models.Model):
    """One segment (or the whole) of an inbound SMS as the gateway delivered it; unique per gateway id."""

    outlet = models.ForeignKey("outlets.Outlet", on_delete=models.CASCADE, related_name="+")
    gateway_id = models.CharField(max_length=100)
    sender = models.CharField(max_length=32)
    recipient = models.CharField(max_length=32, blank=True, default="")
    text = models.TextField(max_length=2000)
    ref = models.PositiveIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(default=1)
    seq = models.PositiveSmallIntegerField(default=1)
    received_at = models.DateTimeField(default=clock.now)
    inbound = models.ForeignKey("outlets.InboundSms", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="parts")

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["outlet", "gateway_id"], name="outlets_inpart_unique")]
        indexes = [models.Index(fields=["outlet", "sender", "ref", "inbound"], name="outlets_inpart_concat_idx")]

    def __str__(self) -> str:
        return f"part {self.gateway_id}"


class InboundSms(models.Model):
    """A whole inbound SMS (its parts joined) and what it became: a contact, or an opt-out."""

    class Action(models.TextChoices):
        CONTACT = "contact", _("Contact")
        OPT_OUT = "opt_out", _("Opt-out")
        KEYWORD = "keyword", _("Keyword of another app")

    outlet = models.ForeignKey("outlets.Outlet", on_delete=models.CASCADE, related_name="+")
    sender = models.CharField(_("from"), max_length=32)
    recipient = models.CharField(_("to"), max_length=32, blank=True, default="")
    text = models.TextField(_("text"))
    received_at = models.DateTimeField(_("received at"), default=clock.now)
    action = models.CharField(max_length=8, choices=Action.choices)
    contact = models.ForeignKey("contactcenter.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    customer = models.ForeignKey("crm.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    opt_out = models.ForeignKey("outlets.OptOut", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound SMS")
        verbose_name_plural = _("inbound SMS")

    def __str__(self) -> str:
        return f"sms from {self.sender}"


class RecordedSms(models.Model):
    """What the development gateway "sent": every segment, readable by the demo and the tests."""

    outlet = models.ForeignKey("outlets.Outlet", on_delete=models.CASCADE, related_name="+")
    gateway_ref = models.CharField(max_length=100, unique=True)
    client_ref = models.CharField(max_length=100)
    sender = models.CharField(max_length=32, blank=True, default="")
    recipient = models.CharField(max_length=32)
    text = models.TextField()
    encoding = models.CharField(max_length=5)
    segments = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["recipient", "sent_at"], name="outlets_recorded_to_idx")]

    def __str__(self) -> str:
        return f"recorded {self.gateway_ref}"
