"""Target lists being read in the background: a CSV/XLSX file or a saved customer query, with progress."""

from django.db import models
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class TargetImport(models.Model):
    """One import into a campaign. ``report`` is the CSV of rejected and excluded rows, for download."""

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import state", "Queued")
        RUNNING = "running", pgettext_lazy("import state", "Running")
        DONE = "done", pgettext_lazy("import state", "Done")
        FAILED = "failed", pgettext_lazy("import state", "Failed")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="imports")
    owner = models.ForeignKey("iam.Staff", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=8, default="file")  # file or query
    file = models.FileField(upload_to="campaigns/imports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True, default="")
    query = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    known = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    report = models.FileField(upload_to="campaigns/reports/%Y/%m/", blank=True)
    error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="campaign_import_queue_idx")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else int(100 * self.done / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
