"""History (every step, immutable) and attachments of an order."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock
from kefu.core.errors import KefuError


class WorkOrderStep(models.Model):
    """One action on an order. Written once, never changed."""

    order = models.ForeignKey("workorders.WorkOrder", on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(default=clock.now)
    actor = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=100, blank=True, default="")
    actor_org = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    action = models.CharField(_("action"), max_length=16)
    outcome = models.CharField(max_length=16, blank=True, default="")
    from_station = models.CharField(max_length=32, blank=True, default="")
    to_station = models.CharField(max_length=32, blank=True, default="")
    text = models.TextField(_("opinion or result"), blank=True, default="", max_length=5000)
    time_spent = models.PositiveIntegerField(_("seconds at the station"), default=0)
    overdue = models.BooleanField(default=False)
    late_reason = models.CharField(_("reason for lateness"), max_length=500, blank=True, default="")
    holder_org = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    holder_team = models.ForeignKey("iam.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    holder_staff = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order", "seq"]
        constraints = [models.UniqueConstraint(fields=["order", "seq"], name="wostep_unique_seq")]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise KefuError(_("History entries cannot be changed."), code="history_immutable")
        super().save(*args, **kwargs)


class Attachment(models.Model):
    order = models.ForeignKey("workorders.WorkOrder", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="workorders/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("iam.Staff", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name
