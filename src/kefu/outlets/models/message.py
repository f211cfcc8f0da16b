"""Messages to customers and each attempt to send them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class MessageStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("message status", "Queued")
    SENT = "sent", pgettext_lazy("message status", "Sent")
    DELIVERED = "delivered", pgettext_lazy("message status", "Delivered")
    FAILED = "failed", pgettext_lazy("message status", "Failed")
    SUPPRESSED = "suppressed", pgettext_lazy("message status", "Suppressed")


FINAL_STATUSES = (MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.SUPPRESSED)


class Purpose(models.TextChoices):
    """Why a message is sent; opt-outs name purposes.

    ``reply`` and ``ivr_result`` answer what the customer asked for just now, so an opt-out of every purpose
    does not stop them; only an opt-out naming that purpose does.
    """

    SERVICE = "service", pgettext_lazy("message purpose", "Service notice")
    BILLING = "billing", pgettext_lazy("message purpose", "Billing notice")
    MARKETING = "marketing", pgettext_lazy("message purpose", "Promotion")
    SURVEY = "survey", pgettext_lazy("message purpose", "Survey")
    REPLY = "reply", pgettext_lazy("message purpose", "Reply to the customer")
    IVR_RESULT = "ivr_result", pgettext_lazy("message purpose", "Self-service results")


REQUESTED_PURPOSES = (Purpose.REPLY, Purpose.IVR_RESULT)


class Message(models.Model):
    """One message to one recipient through one outlet, from ``queued`` to its outcome.

    ``idempotency_key`` is unique: asking twice with the same key returns the first
    message and sends nothing more. ``next_attempt_at`` is when a worker may claim
    it (empty while it waits for something other than time, e.g. an outlet that
    cannot send yet; ``status_reason`` says what). Among due messages of an outlet
    a higher ``priority`` is claimed first (an arrears notice before a promotion
    queued earlier), then the earlier due.
    """

    outlet = models.ForeignKey("outlets.Outlet", verbose_name=_("outlet"), on_delete=models.PROTECT,
                               related_name="messages")
    recipient = models.CharField(_("recipient"), max_length=254)
    customer = models.ForeignKey("crm.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    org = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    contact = models.ForeignKey("contactcenter.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    template = models.ForeignKey("outlets.Template", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    template_code = models.CharField(_("template"), max_length=48, blank=True, default="")
    variables = models.JSONField(default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True, default="")
    body = models.TextField(_("text"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices,
                              default=MessageStatus.QUEUED)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    priority = models.SmallIntegerField(_("priority"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True, default="")
    gateway_ref = models.CharField(max_length=100, blank=True, default="")
    encoding = models.CharField(max_length=5, blank=True, default="")
    segments = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(_("source"), max_length=16, default="api")
    created_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["outlet", "status", "-priority", "next_attempt_at"], name="outlets_msg_due_idx"),
            models.Index(fields=["status", "created_at"], name="outlets_msg_status_idx"),
            models.Index(fields=["recipient", "created_at"], name="outlets_msg_recipient_idx"),
            models.Index(fields=["outlet", "gateway_ref"], name="outlets_msg_ref_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.outlet_id}→{self.recipient}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class Attempt(models.Model):
    """One try to hand a message to its outlet, kept whatever came of it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=clock.now)
    ok = models.BooleanField(default=False)
    permanent = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True, default="")
    gateway_ref = models.CharField(max_length=100, blank=True, default="")
    worker = models.CharField(max_length=100, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["message", "number"]
        constraints = [models.UniqueConstraint(fields=["message", "number"], name="outlets_attempt_unique")]

    def __str__(self) -> str:
        return f"{self.message_id}#{self.number}"
