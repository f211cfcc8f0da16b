"""Notices to people about orders (warnings, overdue reminders, escalations, urges)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock


class Notice(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned to you")
        WARNING = "warning", _("Deadline approaching")
        OVERDUE = "overdue", _("Overdue")
        REMINDER = "reminder", _("Still overdue")
        ESCALATION = "escalation", _("Escalated to you")
        URGE = "urge", _("Urged")
        DELIVERY_FAILED = "delivery_failed", _("Forwarding failed")
        ANSWERED = "answered", _("Answer received")
        DIGEST = "digest", _("Suggestion digest")

    order = models.ForeignKey("workorders.WorkOrder", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="notices")
    digest = models.ForeignKey("workorders.SuggestionDigest", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="notices")  # a notice about a digest rather than an order
    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="work_order_notices")
    recipient_org = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="+")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"
