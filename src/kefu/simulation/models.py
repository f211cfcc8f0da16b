"""A simulation run: the scenario played, who asked, its progress and its indicators."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class RunState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("simulation state", "Queued")
    RUNNING = "running", pgettext_lazy("simulation state", "Running")
    DONE = "done", pgettext_lazy("simulation state", "Done")
    FAILED = "failed", pgettext_lazy("simulation state", "Failed")


class SimulationRun(models.Model):
    """One play of a scenario (engine.model.Scenario as JSON) by the background worker.

    Runs belong to their owner's organisation for scoped reading; the result keeps the totals and the
    per-interval indicators, enough to draw the run's charts without playing it again.
    """

    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey("iam.Staff", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    scenario = models.JSONField(default=dict)
    state = models.CharField(max_length=8, choices=RunState.choices, default=RunState.QUEUED)
    progress = models.FloatField(default=0.0)
    result = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="simrun_state_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.pk})"

    @property
    def running(self) -> bool:
        return self.state in (RunState.QUEUED, RunState.RUNNING)

    @property
    def percent(self) -> int:
        return round(self.progress * 100)
