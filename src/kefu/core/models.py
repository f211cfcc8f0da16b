"""Base model pieces shared by the domain apps."""

from django.db import models

from . import clock


class TimeStampedModel(models.Model):
    """Created/updated times from Kefu's clock, so tests can move them."""

    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = clock.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class WorkerHeartbeat(models.Model):
    """Last sign of life of each background worker, shown in the UI."""

    name = models.CharField(max_length=100, unique=True)
    host = models.CharField(max_length=100)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    jobs_run = models.PositiveBigIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return self.name
