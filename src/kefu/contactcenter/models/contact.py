"""Contacts (interactions): one record per call, chat, e-mail, SMS, letter or walk-in."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class Channel(models.TextChoices):
    VOICE = "voice", pgettext_lazy("contact channel", "Phone")
    CHAT = "chat", pgettext_lazy("contact channel", "Web chat")
    EMAIL = "email", pgettext_lazy("contact channel", "E-mail")
    SMS = "sms", pgettext_lazy("contact channel", "SMS")
    LETTER = "letter", pgettext_lazy("contact channel", "Letter")
    WALK_IN = "walk_in", pgettext_lazy("contact channel", "Walk-in")


class Direction(models.TextChoices):
    INBOUND = "in", pgettext_lazy("direction", "Inbound")
    OUTBOUND = "out", pgettext_lazy("direction", "Outbound")


class ContactState(models.TextChoices):
    IVR = "ivr", pgettext_lazy("contact state", "In self-service")
    QUEUED = "queued", pgettext_lazy("contact state", "Waiting")
    OFFERED = "offered", pgettext_lazy("contact state", "Ringing at an agent")
    DIALLING = "dialling", pgettext_lazy("contact state", "Dialling the customer")
    CONNECTED = "connected", pgettext_lazy("contact state", "Talking")
    HELD = "held", pgettext_lazy("contact state", "On hold")
    WRAP_UP = "wrap_up", pgettext_lazy("contact state", "Wrap-up")
    ENDED = "ended", pgettext_lazy("contact state", "Ended")


class Contact(models.Model):
    """The call detail record, complete enough for service level, ASA, abandonment, AHT and transfers."""

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.VOICE)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND)
    external_id = models.CharField(max_length=64, blank=True, default="")  # the switch's call id
    caller = models.CharField(_("caller number"), max_length=32, blank=True, default="")
    called = models.CharField(_("called number"), max_length=32, blank=True, default="")
    customer = models.ForeignKey("crm.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="contacts")
    subscriber = models.ForeignKey("crm.Subscriber", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="contacts")
    service_tier = models.CharField(max_length=8, default="other")
    priority = models.PositiveSmallIntegerField(default=2)  # 0 VIP, 1 GoTone, 2 others
    state = models.CharField(max_length=10, choices=ContactState.choices, default=ContactState.QUEUED)
    ivr_path = models.JSONField(default=list, blank=True)
    identity_verified = models.BooleanField(default=False)
    queue = models.ForeignKey("contactcenter.Queue", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="contacts")
    agent = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts")
    started_at = models.DateTimeField(default=clock.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    first_offered_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    wrap_up_ended_at = models.DateTimeField(null=True, blank=True)
    hold_seconds = models.PositiveIntegerField(default=0)
    held_since = models.DateTimeField(null=True, blank=True)
    offers = models.PositiveSmallIntegerField(default=0)
    transfers = models.PositiveSmallIntegerField(default=0)
    conference = models.BooleanField(default=False)
    abandoned = models.BooleanField(default=False)
    callback_requested = models.BooleanField(default=False)
    disposition = models.CharField(_("disposition"), max_length=32, blank=True, default="")
    notes = models.TextField(blank=True, default="", max_length=2000)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["state", "priority", "enqueued_at"], name="contact_waiting_idx"),
            models.Index(fields=["queue", "started_at"], name="contact_queue_time_idx"),
            models.Index(fields=["agent", "started_at"], name="contact_agent_time_idx"),
            models.Index(fields=["customer", "started_at"], name="contact_customer_time_idx"),
            models.Index(fields=["external_id"], name="contact_external_idx"),
            models.Index(fields=["started_at"], name="contact_started_idx"),  # interval rebuilds (kefu.kpi)
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.caller}@{self.started_at:%H:%M:%S}"

    @property
    def wait_seconds(self) -> float | None:
        if self.enqueued_at is None:
            return None
        end = self.answered_at or self.ended_at
        return (end - self.enqueued_at).total_seconds() if end else None


class ContactEvent(models.Model):
    """Everything that happened to a contact, in order (the detailed CDR)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=clock.now)
    kind = models.CharField(max_length=20)
    agent = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["contact", "at", "id"]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.kind}"


class Offer(models.Model):
    """A contact ringing at one agent, until accepted, rejected or timed out."""

    class State(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        REJECTED = "rejected"
        EXPIRED = "expired"
        WITHDRAWN = "withdrawn"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="offer_rows")
    session = models.ForeignKey("contactcenter.AgentSession", on_delete=models.CASCADE, related_name="offers")
    staff = models.ForeignKey("iam.Staff", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    offered_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField(db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A contact rings at one agent at a time.
            models.UniqueConstraint(fields=["contact"], condition=models.Q(state="pending"),
                                    name="offer_one_pending_per_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}→{self.staff_id} {self.state}"


class CallbackReason(models.TextChoices):
    MAX_WAIT = "max_wait", pgettext_lazy("callback reason", "Waited past the queue's maximum wait")
    REQUESTED = "requested", pgettext_lazy("callback reason", "Asked to be called back")


class CallbackState(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("callback state", "Waiting")
    DIALLING = "dialling", pgettext_lazy("callback state", "Dialling")
    DONE = "done", pgettext_lazy("callback state", "Done")
    FAILED = "failed", pgettext_lazy("callback state", "Failed")


class Callback(models.Model):
    """A caller who chose to be called back keeps their place in the queue until the call back is made.

    Each attempt is an outbound contact (direction "out") with its ``Dial``; ``outbound_contact`` is the
    latest. The callback ends ``done`` (the customer answered) or ``failed`` (attempts used up).
    """

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="callback")
    number = models.CharField(max_length=32)
    queue = models.ForeignKey("contactcenter.Queue", on_delete=models.CASCADE, related_name="callbacks")
    reason = models.CharField(max_length=12, choices=CallbackReason.choices, default=CallbackReason.REQUESTED)
    requested_at = models.DateTimeField(default=clock.now)
    position_at = models.DateTimeField()  # the original enqueue time: the place in the queue
    state = models.CharField(max_length=10, choices=CallbackState.choices, default=CallbackState.WAITING)
    attempts = models.PositiveSmallIntegerField(default=0)  # dials that ended, answered or not
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # a retry waits until then
    last_outcome = models.CharField(max_length=16, blank=True, default="")
    ended_at = models.DateTimeField(null=True, blank=True)
    outbound_contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="callback_due_idx")]

    def __str__(self) -> str:
        return f"callback {self.number}"

    @property
    def open(self) -> bool:
        return self.state in (CallbackState.WAITING, CallbackState.DIALLING)

    @property
    def last_outcome_label(self) -> str:
        from .dial import DialOutcome

        return str(DialOutcome(self.last_outcome).label) if self.last_outcome in DialOutcome.values else ""
