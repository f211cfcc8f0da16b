"""Deadline timers: rows with an indexed due time, claimed by whichever worker comes first."""

from django.db import models

from kefu.core import clock


class Timer(models.Model):
    class Kind(models.TextChoices):
        STATION_WARNING = "station_warning"
        STATION_OVERDUE = "station_overdue"
        REPLY_WARNING = "reply_warning"
        REPLY_OVERDUE = "reply_overdue"
        REMINDER = "reminder"
        DELIVERY = "delivery"

    class State(models.TextChoices):
        PENDING = "pending"
        FIRED = "fired"
        CANCELLED = "cancelled"

    order = models.ForeignKey("workorders.WorkOrder", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="timers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # The order's step count when scheduled: a timer for a station the order has left is stale.
    step_seq = models.PositiveIntegerField(default=0)
    ref = models.BigIntegerField(null=True, blank=True)  # e.g. a Delivery id
    created_at = models.DateTimeField(default=clock.now)
    fired_at = models.DateTimeField(null=True, blank=True)
    fired_by = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["state", "due_at"], name="timer_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind}@{self.due_at:%Y-%m-%d %H:%M}"
