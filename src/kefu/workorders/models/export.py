"""Exports of query results, written in the background with progress."""

from django.db import models
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class Export(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("export state", "Queued")
        RUNNING = "running", pgettext_lazy("export state", "Running")
        DONE = "done", pgettext_lazy("export state", "Done")
        FAILED = "failed", pgettext_lazy("export state", "Failed")

    owner = models.ForeignKey("iam.Staff", on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    filters = models.JSONField(default=dict)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"], name="export_queue_idx")]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else int(100 * self.done / self.total) if self.total else 0
