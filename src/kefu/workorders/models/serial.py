"""Per-prefix, per-day counters behind human-readable serial numbers."""

from django.db import models


class SerialCounter(models.Model):
    prefix = models.CharField(max_length=4)
    day = models.CharField(max_length=8)  # YYYYMMDD in the center's time zone
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="serial_unique_day")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day}:{self.last}"
