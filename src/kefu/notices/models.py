"""Publishing on behalf of billing (信息发布): the systems that ask, their requests, each recipient's outcome,
the signed callbacks that report it, and customers' subscriptions to kinds of notice."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock
from kefu.core.models import TimeStampedModel

from .kinds import NoticeKind


class ExternalSystem(TimeStampedModel):
    """A system outside Kefu (BOSS) that sends publishing requests and receives their results.

    Its requests are signed with HMAC-SHA256 under ``secret_sealed`` (sealed at rest, never shown back after
    it is issued) and name the system by ``key_id``; results go to ``callback_url``, signed the same way.
    ``org`` places its requests in the organisation tree for scoped reading.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    secret_sealed = models.CharField(max_length=300)
    callback_url = models.URLField(_("callback URL"), max_length=300, blank=True, default="")
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                            related_name="+")
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("external system")
        verbose_name_plural = _("external systems")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RequestState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("notice state", "Received")
    PUBLISHING = "publishing", pgettext_lazy("notice state", "Publishing")
    PUBLISHED = "published", pgettext_lazy("notice state", "Handed to the outlets")
    FINISHED = "finished", pgettext_lazy("notice state", "Finished")


class NoticeRequest(models.Model):
    """One publishing request: what to send, to whom (a list of numbers or a rule), when, how urgently.

    ``request_id`` is the caller's and unique per system: the same request again changes nothing. Fan-out
    walks the recipients from ``fanout_cursor`` (a list index, or the last subscriber id of a rule) a chunk
    at a time, each chunk committed with the cursor, so a crash resumes where it stopped. The counters are
    kept by the services with ``F()`` updates.
    """

    system = models.ForeignKey(ExternalSystem, verbose_name=_("system"), on_delete=models.PROTECT,
                               related_name="requests")
    request_id = models.CharField(_("request id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    outlet = models.CharField(_("outlet"), max_length=32)
    template = models.CharField(_("template"), max_length=48, blank=True, default="")
    body = models.TextField(_("text"), blank=True, default="")
    subject = models.CharField(_("subject"), max_length=200, blank=True, default="")
    variables = models.JSONField(default=dict, blank=True)
    recipients = models.JSONField(default=list, blank=True)  # list mode: [{"number", "variables"}]
    rule = models.JSONField(default=dict, blank=True)  # rule mode: {"org", "min_arrears", "brands", "tiers"}
    window_start = models.DateTimeField(_("window start"), null=True, blank=True)
    window_end = models.DateTimeField(_("window end"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=5)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.RECEIVED)
    fanout_cursor = models.BigIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True, default="")
    callback_seq = models.PositiveIntegerField(default=0)
    sync_cursor = models.BigIntegerField(default=0)
    quiet_until = models.DateTimeField(null=True, blank=True)
    quiet_cursor = models.BigIntegerField(default=0)
    expired = models.BooleanField(default=False)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    pending = models.PositiveIntegerField(_("pending"), default=0)
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    unsubscribed = models.PositiveIntegerField(_("unsubscribed"), default=0)
    opted_out = models.PositiveIntegerField(_("opted out"), default=0)
    invalid = models.PositiveIntegerField(_("invalid"), default=0)
    created_at = models.DateTimeField(_("received at"), default=clock.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("publishing request")
        verbose_name_plural = _("publishing requests")
        constraints = [models.UniqueConstraint(fields=["system", "request_id"], name="notices_request_unique")]
        indexes = [models.Index(fields=["state", "created_at"], name="notices_request_state_idx")]

    def __str__(self) -> str:
        return f"{self.system_id}:{self.request_id}"

    @property
    def done(self) -> int:
        return self.total - self.pending

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.state == RequestState.FINISHED else 0)


class RecipientStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("recipient status", "Pending")
    DELIVERED = "delivered", pgettext_lazy("recipient status", "Delivered")
    SENT = "sent", pgettext_lazy("recipient status", "Sent (no delivery report)")
    FAILED = "failed", pgettext_lazy("recipient status", "Failed")
    UNSUBSCRIBED = "unsubscribed", pgettext_lazy("recipient status", "Not sent: unsubscribed")
    OPTED_OUT = "opted_out", pgettext_lazy("recipient status", "Not sent: opted out")
    INVALID = "invalid", pgettext_lazy("recipient status", "Not sent: invalid")


#: The counter of ``NoticeRequest`` that counts each status.
COUNTERS = {s: s for s in RecipientStatus.values}


class NoticeRecipient(models.Model):
    """One recipient of a request and what became of it; ``message_id`` is the outlets' message.

    ``callback`` is the callback that reported this result (empty until the result is final and reported).
    """

    request = models.ForeignKey(NoticeRequest, on_delete=models.CASCADE, related_name="recipient_rows",
                                db_index=False)  # notices_recipient_status_idx leads with request
    number = models.CharField(_("number"), max_length=254)
    customer_id = models.BigIntegerField(null=True, blank=True)
    message_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RecipientStatus.choices,
                              default=RecipientStatus.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    callback = models.ForeignKey("notices.NoticeCallback", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="results", db_index=False)  # notices_recipient_callback_idx

    class Meta:
        ordering = ["request", "id"]
        indexes = [
            models.Index(fields=["request", "status", "id"], name="notices_recipient_status_idx"),
            models.Index(fields=["callback"], condition=Q(callback__isnull=False),
                         name="notices_recipient_callback_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}→{self.number}"


class CallbackState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("notice callback state", "Pending")
    DELIVERED = "delivered", pgettext_lazy("notice callback state", "Delivered")
    FAILED = "failed", pgettext_lazy("notice callback state", "Failed")


class NoticeCallback(models.Model):
    """One signed report to the requesting system: results of some recipients (``results``), and with
    ``final`` the request's end. ``delivery_id`` repeats on every attempt so the receiver drops a repeat;
    ``totals`` are frozen when the callback is made, so every attempt sends the same body."""

    request = models.ForeignKey(NoticeRequest, on_delete=models.CASCADE, related_name="callbacks")
    seq = models.PositiveIntegerField()
    delivery_id = models.CharField(max_length=64, unique=True)
    final = models.BooleanField(default=False)
    totals = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=10, choices=CallbackState.choices, default=CallbackState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    budget = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "seq"]
        constraints = [models.UniqueConstraint(fields=["request", "seq"], name="notices_callback_seq_unique")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notices_callback_due_idx")]

    def __str__(self) -> str:
        return self.delivery_id


class CallbackAttempt(models.Model):
    """One POST of a callback, kept whatever came of it."""

    callback = models.ForeignKey(NoticeCallback, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=clock.now)
    ok = models.BooleanField(default=False)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)
    manual = models.BooleanField(default=False)

    class Meta:
        ordering = ["callback", "number"]

    def __str__(self) -> str:
        return f"{self.callback_id}#{self.number}"


class Subscription(models.Model):
    """A number's choice for one kind of notice (信息发布定制); no row means subscribed.

    Changed by the customer's SMS keyword, an agent on the customer page, the subscriptions page or the API
    (``source``); every change is audited, so the row holds the latest choice and the log the history.
    """

    number = models.CharField(_("number"), max_length=32)
    customer = models.ForeignKey("crm.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    subscribed = models.BooleanField(_("subscribed"), default=True)
    source = models.CharField(_("source"), max_length=8)
    changed_at = models.DateTimeField(_("changed at"), default=clock.now)
    changed_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["number", "kind"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [models.UniqueConstraint(fields=["number", "kind"], name="notices_subscription_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.kind} {self.subscribed}"
