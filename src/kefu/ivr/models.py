"""IVR flows per hotline number, their versions and running IVR sessions.

Results a caller asks to receive are messages of the outlets (``kefu.outlets``).

A flow is edited as a draft and published as an immutable version; a call
keeps the version it started with (``IvrSession.version``), so publishing
never changes what a caller in the middle of a menu hears next.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock
from kefu.core.models import TimeStampedModel


class Flow(TimeStampedModel):
    """The IVR of one hotline number (10086, 10080…)."""

    hotline = models.CharField(_("hotline number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True, default="")
    active = models.BooleanField(_("active"), default=True)
    #: The working copy the editor changes; publishing validates it into a new version.
    draft = models.JSONField(default=dict, blank=True)
    draft_changed_at = models.DateTimeField(null=True, blank=True)
    draft_changed_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")

    class Meta:
        ordering = ["hotline"]
        verbose_name = _("IVR flow")
        verbose_name_plural = _("IVR flows")

    def __str__(self) -> str:
        return f"{self.hotline} {self.name}"

    def current_version(self):
        return self.versions.order_by("-number").first()


class FlowVersion(models.Model):
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    note = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["flow", "-number"]
        constraints = [models.UniqueConstraint(fields=["flow", "number"], name="ivr_flowversion_unique")]

    def __str__(self) -> str:
        return f"{self.flow.hotline} v{self.number}"


class Wait(models.TextChoices):
    """What the session waits for from the caller."""

    NOTHING = "", pgettext_lazy("ivr wait", "Nothing")
    MENU = "menu", pgettext_lazy("ivr wait", "A menu key")
    COLLECT = "collect", pgettext_lazy("ivr wait", "Digits")
    PASSWORD = "password", pgettext_lazy("ivr wait", "The service password")
    NUMBER = "number", pgettext_lazy("ivr wait", "A telephone number")
    MONTH = "month", pgettext_lazy("ivr wait", "A month")
    SERIAL = "serial", pgettext_lazy("ivr wait", "A work-order serial")
    OFFER = "offer", pgettext_lazy("ivr wait", "Send by SMS or e-mail?")
    NOTICES = "notices", pgettext_lazy("ivr wait", "Which notice to switch")
    SURVEY = "survey", pgettext_lazy("ivr wait", "A survey answer")


class IvrSession(models.Model):
    """Where one call is in its flow: node, what it waits for, variables, identity.

    ``pending`` holds the inputs of the query in progress (number, customer,
    month…); ``results`` the texts of self-service answers since the last
    "send by SMS/e-mail" offer. A test call from the editor runs either a
    published version or the draft (copied into ``draft`` so later edits do
    not change it midway).
    """

    contact = models.OneToOneField("contactcenter.Contact", on_delete=models.CASCADE, related_name="ivr_session")
    flow = models.ForeignKey(Flow, on_delete=models.PROTECT, related_name="sessions")
    version = models.ForeignKey(FlowVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    draft = models.JSONField(null=True, blank=True)
    node = models.CharField(max_length=32, blank=True, default="")
    wait = models.CharField(max_length=10, choices=Wait.choices, blank=True, default=Wait.NOTHING)
    retries = models.PositiveSmallIntegerField(default=0)
    variables = models.JSONField(default=dict, blank=True)
    pending = models.JSONField(default=dict, blank=True)
    results = models.JSONField(default=list, blank=True)
    verified_customer = models.ForeignKey("crm.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    is_test = models.BooleanField(default=False)
    started_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True, default="")  # transfer, hangup, error

    class Meta:
        indexes = [models.Index(fields=["flow", "started_at"], name="ivr_session_flow_started")]

    def __str__(self) -> str:
        return f"ivr {self.contact_id} @{self.node}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None
