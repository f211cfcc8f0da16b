"""Targets (the customers a campaign calls), their attempts, and the do-not-call list."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class TargetState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("target state", "Not called yet")
    ACTIVE = "active", pgettext_lazy("target state", "In progress")
    RETRY = "retry", pgettext_lazy("target state", "To be called again")
    DONE = "done", pgettext_lazy("target state", "Done")
    EXCLUDED = "excluded", pgettext_lazy("target state", "Excluded")
    CANCELLED = "cancelled", pgettext_lazy("target state", "Cancelled")


class Exclusion(models.TextChoices):
    DO_NOT_CALL = "do_not_call", pgettext_lazy("exclusion", "On the do-not-call list")
    OPTED_OUT = "opted_out", pgettext_lazy("exclusion", "Opted out")
    RECENT = "recent", pgettext_lazy("exclusion", "Contacted recently")


class Target(models.Model):
    """One customer (a number) to call, with where they stand and the final outcome.

    ``contact_id`` is the contact of the attempt in flight; ``agent`` who recorded the last outcome.
    """

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="targets")
    number = models.CharField(_("number"), max_length=20)
    customer = models.ForeignKey("crm.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subscriber_id = models.PositiveBigIntegerField(null=True, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    source = models.CharField(max_length=8, default="import")  # import, query, auto
    state = models.CharField(_("state"), max_length=10, choices=TargetState.choices, default=TargetState.PENDING)
    excluded_reason = models.CharField(max_length=12, choices=Exclusion.choices, blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=16, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    contact_id = models.PositiveBigIntegerField(null=True, blank=True)
    agent = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True, default="", max_length=2000)
    created_at = models.DateTimeField(default=clock.now)
    done_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="target_number_uniq")]
        indexes = [
            models.Index(fields=["campaign", "state", "next_attempt_at"], name="target_due_idx"),
            models.Index(fields=["customer"], name="target_customer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.state})"


class Attempt(models.Model):
    """One call of a target (one outbound contact): what the dial gave and what the agent recorded."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="attempts")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.CharField(max_length=20)
    seq = models.PositiveSmallIntegerField(default=1)
    contact_id = models.PositiveBigIntegerField(unique=True)
    agent = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dial_outcome = models.CharField(max_length=16, blank=True, default="")
    outcome = models.CharField(max_length=16, blank=True, default="")
    started_at = models.DateTimeField(default=clock.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        indexes = [
            models.Index(fields=["campaign", "ended_at"], name="attempt_campaign_idx"),
            models.Index(fields=["number", "started_at"], name="attempt_number_idx"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.seq} of {self.target_id}"


class DoNotCall(models.Model):
    """A number no campaign calls (asked by the customer, or a regulator's list), until removed."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("do-not-call number")
        verbose_name_plural = _("do-not-call list")

    def __str__(self) -> str:
        return self.number
