"""Outbound dials: Kefu asks the switch to call a customer for an agent who is already reserved."""

from django.db import models
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class DialState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("dial state", "Waiting for an agent")
    DIALLING = "dialling", pgettext_lazy("dial state", "Dialling")
    RINGING = "ringing", pgettext_lazy("dial state", "Ringing")
    ANSWERED = "answered", pgettext_lazy("dial state", "Answered")
    FAILED = "failed", pgettext_lazy("dial state", "Not reached")


class DialOutcome(models.TextChoices):
    ANSWERED = "answered", pgettext_lazy("dial outcome", "Answered")
    NO_ANSWER = "no_answer", pgettext_lazy("dial outcome", "No answer")
    BUSY = "busy", pgettext_lazy("dial outcome", "Busy")
    ANSWER_MACHINE = "answer_machine", pgettext_lazy("dial outcome", "Answering machine")
    REJECTED = "rejected", pgettext_lazy("dial outcome", "Rejected")
    INVALID_NUMBER = "invalid_number", pgettext_lazy("dial outcome", "Invalid number")
    TIMEOUT = "timeout", pgettext_lazy("dial outcome", "The switch did not answer")
    CANCELLED = "cancelled", pgettext_lazy("dial outcome", "Cancelled by the agent")


#: Outcomes the switch may report in ``dial.failed`` (the others are Kefu's own).
SWITCH_FAILURES = ("no_answer", "busy", "answer_machine", "rejected", "invalid_number")


class Dial(models.Model):
    """One call Kefu places through the switch, from plan to outcome.

    Planned with its outbound contact (which waits in a queue like a call), started once an agent is
    reserved for it (``dial_out``), then ringing, answered (and bridged to the agent) or failed. The
    ``dial_id`` correlates the switch's ``dial.*`` events; ``deadline`` is the timer that fails a dial
    the switch never reports on. ``purpose`` names who asked (``callback``, ``campaign``, ``outlet_call``).
    An announcement has no agent: answered, it plays its ``script`` instead of being bridged.
    """

    contact = models.OneToOneField("contactcenter.Contact", on_delete=models.CASCADE, related_name="dial")
    callback = models.ForeignKey("contactcenter.Callback", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="dials")
    purpose = models.CharField(max_length=16)
    number = models.CharField(max_length=32)
    caller_id = models.CharField(max_length=32, blank=True, default="")
    dial_id = models.CharField(max_length=64, unique=True)
    call_id = models.CharField(max_length=64, blank=True, default="")  # the switch's id for the leg
    attempt = models.PositiveSmallIntegerField(default=1)
    staff = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    extension = models.CharField(max_length=16, blank=True, default="")
    state = models.CharField(max_length=10, choices=DialState.choices, default=DialState.PLANNED)
    outcome = models.CharField(max_length=16, choices=DialOutcome.choices, blank=True, default="")
    cause = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)
    requested_at = models.DateTimeField(null=True, blank=True)
    ringing_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    #: An announcement (a call with no agent, ``services.announcements``): the text played, whether a key
    #: confirms it, and what the customer did (``heard``, ``confirmed``, ``keys``). Empty for agent calls.
    script = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="dial_open_idx"),
            models.Index(fields=["staff", "requested_at"], name="dial_staff_idx"),
        ]

    def __str__(self) -> str:
        return f"dial {self.dial_id} {self.state}"
