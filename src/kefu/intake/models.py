"""Contacts that arrive in writing or in person: e-mail, letters and walk-ins.

A hotline's **mailbox** is read over IMAP; each message read is kept whole
(its raw bytes) as a **mail message**, once per (UIDVALIDITY, UID). Messages
of one exchange form a **conversation**; each message that asks for an answer
is a contact of the contact center (channel ``email``), routed like a call.
Letters and walk-ins are **registered** by staff as contacts of their own
channel. The contact center keeps the contact; this app keeps what it said.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock
from kefu.core.models import TimeStampedModel


class ImapSecurity(models.TextChoices):
    SSL = "ssl", _("TLS (IMAPS, port 993)")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("None (test servers only)")


class Mailbox(TimeStampedModel):
    """The mailbox of one hotline: where customers write, read by the worker over IMAP.

    ``uidvalidity`` and ``last_uid`` remember how far the folder was read: a
    message is read once, and a new UIDVALIDITY (the folder was rebuilt) starts
    over, with the (mailbox, uidvalidity, uid) key of each message as the guard.
    """

    hotline = models.CharField(_("hotline number"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                            related_name="+")
    queue = models.ForeignKey("contactcenter.Queue", verbose_name=_("queue"), on_delete=models.PROTECT,
                              related_name="+")
    imap_host = models.CharField(_("IMAP server"), max_length=200)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(_("connection security"), max_length=8, choices=ImapSecurity.choices,
                                     default=ImapSecurity.SSL)
    imap_user = models.CharField(_("IMAP user"), max_length=200)
    imap_password = models.CharField(max_length=500, blank=True, default="", editable=False)  # sealed
    folder = models.CharField(_("folder"), max_length=100, default="INBOX")
    smtp_from = models.EmailField(_("sender address of answers"), max_length=200)
    enabled = models.BooleanField(_("enabled"), default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, default="", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["hotline", "name"]
        constraints = [models.UniqueConstraint(fields=["imap_host", "imap_user", "folder"],
                                               name="intake_mailbox_unique_folder")]

    def __str__(self) -> str:
        return f"{self.name} <{self.smtp_from}>"

    @property
    def has_password(self) -> bool:
        return bool(self.imap_password)


class Conversation(TimeStampedModel):
    """One exchange of e-mails with a correspondent, joined by Message-ID / In-Reply-To / References
    or by the work order named in the subject."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="conversations")
    subject = models.CharField(_("subject"), max_length=300, blank=True, default="")
    correspondent = models.CharField(_("correspondent"), max_length=200, blank=True, default="")
    order_serial = models.CharField(_("work order"), max_length=32, blank=True, default="", db_index=True)
    contact = models.ForeignKey("contactcenter.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")  # the latest contact of the exchange
    awaiting_answer = models.BooleanField(default=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.subject or f"conversation {self.pk}"


class MailStatus(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("mail status", "Received")
    OVERSIZED = "oversized", pgettext_lazy("mail status", "Refused: too large")
    MALFORMED = "malformed", pgettext_lazy("mail status", "Refused: unreadable")
    SENT = "sent", pgettext_lazy("mail status", "Sent")


class MailMessage(models.Model):
    """One e-mail in or out, with its raw bytes: nothing read is lost, refused ones included."""

    class Direction(models.TextChoices):
        IN = "in", pgettext_lazy("mail direction", "Received")
        OUT = "out", pgettext_lazy("mail direction", "Sent")

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="messages")
    contact = models.ForeignKey("contactcenter.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    status = models.CharField(max_length=10, choices=MailStatus.choices)
    problem = models.CharField(max_length=500, blank=True, default="")
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    message_id = models.CharField(max_length=300, blank=True, default="")
    in_reply_to = models.CharField(max_length=300, blank=True, default="")
    references = models.TextField(blank=True, default="")
    subject = models.CharField(_("subject"), max_length=300, blank=True, default="")
    from_addr = models.CharField(_("from"), max_length=200, blank=True, default="")
    to_addr = models.CharField(_("to"), max_length=500, blank=True, default="")
    body = models.TextField(_("text"), blank=True, default="")
    size = models.PositiveIntegerField(default=0)
    raw = models.BinaryField()
    order_serial = models.CharField(max_length=32, blank=True, default="")
    sent_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["mailbox", "uidvalidity", "uid"],
                                               condition=models.Q(direction="in"), name="intake_mail_read_once")]
        indexes = [models.Index(fields=["mailbox", "message_id"], name="intake_mail_msgid_idx")]

    def __str__(self) -> str:
        return f"{self.direction} {self.subject}"


class MailAttachment(models.Model):
    """A file that came with an e-mail: kept when the work-order attachment rules accept it, else listed
    with the reason (the raw message still holds it)."""

    message = models.ForeignKey(MailMessage, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    file = models.FileField(upload_to="intake/%Y/%m/", blank=True)
    refused = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A letter received or a visit at a service hall, registered by staff as a contact."""

    class Kind(models.TextChoices):
        LETTER = "letter", pgettext_lazy("contact channel", "Letter")
        WALK_IN = "walk_in", pgettext_lazy("contact channel", "Walk-in")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    contact = models.OneToOneField("contactcenter.Contact", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("received at"), on_delete=models.PROTECT,
                            related_name="+")  # the service hall of a visit, the office that got a letter
    customer = models.ForeignKey("crm.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    subscriber = models.ForeignKey("crm.Subscriber", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    person = models.CharField(_("name of the writer or visitor"), max_length=100, blank=True, default="")
    reply_address = models.CharField(_("address or phone for the answer"), max_length=200, blank=True, default="")
    summary = models.TextField(_("what they ask"), max_length=5000)
    received_at = models.DateTimeField(_("received at"), default=clock.now)
    registered_by = models.ForeignKey("iam.Staff", on_delete=models.PROTECT, related_name="+")
    scan = models.FileField(upload_to="intake/letters/%Y/%m/", blank=True)
    scan_name = models.CharField(max_length=200, blank=True, default="")
    scan_size = models.PositiveIntegerField(default=0)
    scan_sha256 = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
