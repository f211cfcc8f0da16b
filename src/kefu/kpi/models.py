"""Interval rows: the summed measures of one 15-minute interval for one queue, team, agent and channel."""

from django.db import models

from kefu.core import clock


class IntervalStat(models.Model):
    """What reports read instead of raw records (see ``aggregate.py`` for what lands in which interval).

    ``day`` and ``slot`` (quarter-hour of the local day, 0–95) make 30-minute, hourly and daily roll-ups a
    plain GROUP BY. A row's organisation is its queue's (or else its agent's), which is what scoping uses.
    ``queue``, ``team`` and ``agent`` are ids without foreign keys: an interval row outlives a queue
    renamed or a person moved, and the report names them when it reads.
    """

    bucket_start = models.DateTimeField()
    day = models.DateField()
    slot = models.PositiveSmallIntegerField()
    org = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queue_id = models.IntegerField(null=True, blank=True)
    team_id = models.IntegerField(null=True, blank=True)
    agent_id = models.IntegerField(null=True, blank=True)
    channel = models.CharField(max_length=8, blank=True, default="")
    # The measures (catalogue.MEASURES), summed.
    offered = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    answered_in_sl = models.IntegerField(default=0)
    abandoned = models.IntegerField(default=0)
    short_abandoned = models.IntegerField(default=0)
    answer_wait_s = models.FloatField(default=0)
    handled = models.IntegerField(default=0)
    talk_s = models.FloatField(default=0)
    hold_s = models.FloatField(default=0)
    wrap_s = models.FloatField(default=0)
    transferred = models.IntegerField(default=0)
    resolved_first = models.IntegerField(default=0)
    ready_s = models.FloatField(default=0)
    busy_s = models.FloatField(default=0)
    not_ready_s = models.FloatField(default=0)
    ivr_sessions = models.IntegerField(default=0)
    ivr_self_served = models.IntegerField(default=0)
    orders_created = models.IntegerField(default=0)
    complaints = models.IntegerField(default=0)
    repeat_complaints = models.IntegerField(default=0)
    appeals = models.IntegerField(default=0)
    orders_closed = models.IntegerField(default=0)
    orders_closed_late = models.IntegerField(default=0)
    orders_overdue = models.IntegerField(default=0)
    replies_rated = models.IntegerField(default=0)
    replies_satisfied = models.IntegerField(default=0)
    outbound_attempts = models.IntegerField(default=0)
    outbound_reached = models.IntegerField(default=0)
    outbound_success = models.IntegerField(default=0)
    qa_scored = models.IntegerField(default=0)
    qa_score_sum = models.FloatField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["day", "org"], name="kpi_day_org"),
            models.Index(fields=["bucket_start"], name="kpi_bucket"),
            models.Index(fields=["queue_id", "day"], name="kpi_queue_day"),
            models.Index(fields=["agent_id", "day"], name="kpi_agent_day"),
        ]

    def __str__(self) -> str:
        return f"{self.bucket_start:%Y-%m-%d %H:%M} q{self.queue_id} a{self.agent_id}"


class RefreshMark(models.Model):
    """When the intervals were last rebuilt, and up to when: the wallboard and the report say how fresh."""

    name = models.CharField(max_length=32, unique=True)
    refreshed_at = models.DateTimeField(default=clock.now)
    until = models.DateTimeField(null=True, blank=True)
    rows = models.IntegerField(default=0)

    def __str__(self) -> str:
        return self.name
