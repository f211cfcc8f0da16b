"""Web chat (在线客服): customers write to the hotline from a web page, agents answer from the desktop.

A hotline's **chat entry** names the chat queue its page feeds. A customer
proves their mobile number with a one-time **code** sent by SMS; the
identified **visit** then becomes a contact of the contact center (channel
``chat``), queued and routed like a call, or — outside the queue's opening
hours — a message left for agents to follow up. Every line written either way
is a **chat message** of the contact: the transcript. The contact center keeps
the contact; this app keeps what was said.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock
from kefu.core.models import TimeStampedModel


class ChatEntry(TimeStampedModel):
    """The chat page of one hotline (``/chat/<hotline>/``) and the chat queue it feeds."""

    hotline = models.CharField(_("hotline number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                            related_name="+")
    queue = models.ForeignKey("contactcenter.Queue", verbose_name=_("chat queue"), on_delete=models.PROTECT,
                              related_name="+")
    welcome = models.CharField(_("welcome text"), max_length=300, blank=True, default="")
    enabled = models.BooleanField(_("enabled"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["hotline"]
        verbose_name = _("chat entry")
        verbose_name_plural = _("chat entries")

    def __str__(self) -> str:
        return f"{self.hotline} {self.name}"


class ChatCode(models.Model):
    """A one-time code sent by SMS to prove a mobile number: kept only as a keyed hash, valid a few
    minutes, a few tries. Rows are also the record the per-number and per-address rate limits count."""

    entry = models.ForeignKey(ChatEntry, on_delete=models.CASCADE, related_name="+")
    mobile = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["mobile", "created_at"], name="webchat_code_mobile_idx"),
            models.Index(fields=["ip", "created_at"], name="webchat_code_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"code for {self.mobile[-4:]}"


class VisitState(models.TextChoices):
    IDENTIFIED = "identified", pgettext_lazy("chat state", "Identified")
    CHATTING = "chatting", pgettext_lazy("chat state", "Chatting")
    ENDED = "ended", pgettext_lazy("chat state", "Ended")
    LEFT_MESSAGE = "left_message", pgettext_lazy("chat state", "Message left, to follow up")
    FOLLOWED_UP = "followed_up", pgettext_lazy("chat state", "Message followed up")


class ChatVisit(models.Model):
    """One customer's chat from identification to its end, and the browser's key to it.

    ``token`` is kept in the customer's browser session only; the customer's
    socket and requests find the visit by it. ``guest`` marks a number no
    subscriber has: the customer chats, unidentified, and agents see so.
    """

    entry = models.ForeignKey(ChatEntry, on_delete=models.PROTECT, related_name="visits")
    token = models.CharField(max_length=64, unique=True)
    mobile = models.CharField(_("mobile number"), max_length=20)
    guest = models.BooleanField(_("unidentified guest"), default=False)
    state = models.CharField(max_length=12, choices=VisitState.choices, default=VisitState.IDENTIFIED)
    contact = models.OneToOneField("contactcenter.Contact", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    customer_id = models.IntegerField(null=True, blank=True)  # crm.Customer, when the number is known
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    followed_up_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    followed_up_at = models.DateTimeField(null=True, blank=True)
    follow_up_note = models.CharField(_("follow-up note"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="webchat_visit_state_idx"),
            models.Index(fields=["mobile", "created_at"], name="webchat_visit_mobile_idx"),
            models.Index(fields=["customer_id", "created_at"], name="webchat_visit_customer_idx"),
        ]

    def __str__(self) -> str:
        return f"chat {self.pk}"


class Sender(models.TextChoices):
    CUSTOMER = "customer", pgettext_lazy("chat sender", "Customer")
    AGENT = "agent", pgettext_lazy("chat sender", "Agent")
    SYSTEM = "system", pgettext_lazy("chat sender", "System")


class ChatMessage(models.Model):
    """One line of a chat (or a file), in order: the contact's transcript."""

    contact_id = models.BigIntegerField(db_index=False)  # contactcenter.Contact: the transcript's key
    visit = models.ForeignKey(ChatVisit, on_delete=models.PROTECT, related_name="messages")
    sender = models.CharField(max_length=8, choices=Sender.choices)
    staff = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(blank=True, default="")
    file = models.FileField(upload_to="webchat/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True, default="")
    file_size = models.PositiveIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["contact_id", "at"], name="webchat_message_contact_idx")]

    def __str__(self) -> str:
        return f"{self.sender}@{self.contact_id}"
