"""Agents at their seats: sessions, states and every state change (for KPIs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class AgentState(models.TextChoices):
    LOGGED_OUT = "logged_out", pgettext_lazy("agent state", "Logged out")
    READY = "ready", pgettext_lazy("agent state", "Ready")
    NOT_READY = "not_ready", pgettext_lazy("agent state", "Not ready")
    OFFERED = "offered", pgettext_lazy("agent state", "Ringing")
    BUSY = "busy", pgettext_lazy("agent state", "Busy")
    HOLD = "hold", pgettext_lazy("agent state", "On hold")
    WRAP_UP = "wrap_up", pgettext_lazy("agent state", "Wrap-up")


class NotReadyReason(models.TextChoices):
    BREAK = "break", pgettext_lazy("not ready", "Break")
    MEAL = "meal", pgettext_lazy("not ready", "Meal")
    TRAINING = "training", pgettext_lazy("not ready", "Training")
    MEETING = "meeting", pgettext_lazy("not ready", "Meeting")
    AFTER_CALL = "after_call", pgettext_lazy("not ready", "After-call work")
    NO_ANSWER = "no_answer", pgettext_lazy("not ready", "Missed an offer")
    SUPERVISOR = "supervisor", pgettext_lazy("not ready", "Set by supervisor")


class AgentSession(models.Model):
    """One login of an agent at a seat, from log-in to log-out.

    The live state lives here (one row per logged-in agent) so the router can
    read all agents in one indexed query and recover after a restart.
    """

    staff = models.ForeignKey("iam.Staff", on_delete=models.PROTECT, related_name="agent_sessions")
    extension = models.CharField(_("extension"), max_length=16)
    logged_in_at = models.DateTimeField(default=clock.now)
    logged_out_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=12, choices=AgentState.choices, default=AgentState.NOT_READY)
    reason = models.CharField(max_length=12, blank=True, default="")
    state_since = models.DateTimeField(default=clock.now)
    idle_since = models.DateTimeField(null=True, blank=True)  # when the agent last became free
    voice_load = models.PositiveSmallIntegerField(default=0)
    chat_load = models.PositiveSmallIntegerField(default=0)
    chat_capacity = models.PositiveSmallIntegerField(default=3)
    wrap_up_until = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-logged_in_at"]
        indexes = [models.Index(fields=["logged_out_at", "state"], name="agentsession_live_idx")]
        constraints = [
            models.UniqueConstraint(fields=["staff"], condition=models.Q(logged_out_at__isnull=True),
                                    name="agentsession_one_live_per_staff"),
            models.UniqueConstraint(fields=["extension"], condition=models.Q(logged_out_at__isnull=True),
                                    name="agentsession_one_live_per_extension"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}@{self.extension}"


class AgentStateChange(models.Model):
    """Every state an agent was in, with start and end: occupancy and adherence come from here."""

    session = models.ForeignKey(AgentSession, on_delete=models.CASCADE, related_name="changes")
    staff = models.ForeignKey("iam.Staff", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=AgentState.choices)
    reason = models.CharField(max_length=12, blank=True, default="")
    started_at = models.DateTimeField(default=clock.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["started_at", "id"]  # a frozen clock gives equal times: insertion order breaks ties
        indexes = [models.Index(fields=["staff", "started_at"], name="agentstate_staff_time"),
                   models.Index(fields=["started_at"], name="agentstate_time_idx")]  # interval rebuilds (kefu.kpi)

    def __str__(self) -> str:
        return f"{self.staff_id} {self.state} {self.started_at:%H:%M:%S}"
