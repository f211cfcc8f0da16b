"""Internal messages (消息管理): a message, its files, and one delivery row per recipient.

The delivery row is the read receipt: ``read_at`` when the recipient opened the message, ``acknowledged_at``
when they confirmed a pop-up. A message to a whole province is thousands of such rows, written in bulk in
the sender's transaction (``services.sending``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class Display(models.TextChoices):
    """How a logged-in recipient is told, on whatever page they are."""

    INBOX = "inbox", pgettext_lazy("message display", "Inbox only")
    POPUP = "popup", pgettext_lazy("message display", "Pop-up (must be acknowledged)")
    BANNER = "banner", pgettext_lazy("message display", "Scrolling banner")
    HIGHLIGHT = "highlight", pgettext_lazy("message display", "Highlight")


class Priority(models.IntegerChoices):
    LOW = 1, pgettext_lazy("message priority", "Low")
    NORMAL = 2, pgettext_lazy("message priority", "Normal")
    HIGH = 3, pgettext_lazy("message priority", "High")
    URGENT = 4, pgettext_lazy("message priority", "Urgent")


class TargetKind(models.TextChoices):
    """What an address names; all but ``staff`` are broadcasts."""

    STAFF = "staff", pgettext_lazy("message target", "Person")
    TEAM = "team", pgettext_lazy("message target", "Team")
    ROLE = "role", pgettext_lazy("message target", "Role")
    ORG = "org", pgettext_lazy("message target", "Organisation")
    EVERYONE = "everyone", pgettext_lazy("message target", "Everyone in my scope")


class Message(models.Model):
    """A message one member of staff sent to others.

    ``targets`` keeps the addresses as the sender chose them (with their names then), for the sent list;
    who actually received it are the deliveries. ``idempotency_key`` is unique per sender: the same
    request again answers the first message and delivers nothing more; ``fingerprint`` tells a repeat
    from another message under a used key.
    """

    sender = models.ForeignKey("iam.Staff", verbose_name=_("sender"), on_delete=models.PROTECT,
                               related_name="+")
    sender_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    display = models.CharField(_("display"), max_length=10, choices=Display.choices, default=Display.INBOX)
    sound = models.BooleanField(_("sound"), default=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    targets = models.JSONField(default=list)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("sent at"), default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("internal message")
        verbose_name_plural = _("internal messages")
        indexes = [models.Index(fields=["sender", "created_at"], name="messaging_msg_sender_idx")]
        constraints = [
            models.UniqueConstraint(fields=["sender", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="messaging_msg_key_unique"),
        ]

    def __str__(self) -> str:
        return self.subject

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or clock.now())


class Attachment(models.Model):
    """A file sent with a message, checked like a work order's (type, size, content) and kept by its hash."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="messaging/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One recipient of one message, and their read receipt."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey("iam.Staff", verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="+")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["message", "id"]
        constraints = [models.UniqueConstraint(fields=["message", "recipient"], name="messaging_delivery_unique")]
        indexes = [
            # The inbox and the unread count: a person's rows, unread first.
            models.Index(fields=["recipient", "read_at", "message"], name="messaging_inbox_idx"),
            # The pop-ups a person has still to confirm.
            models.Index(fields=["recipient", "acknowledged_at"], name="messaging_unacked_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}→{self.recipient_id}"
