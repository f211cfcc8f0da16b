"""A campaign: whom to call (its targets), what to say (its script), how fast (pacing) and how often."""

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class Kind(models.TextChoices):
    CARE = "care", pgettext_lazy("campaign kind", "Customer care")
    CALLBACK = "callback", pgettext_lazy("campaign kind", "Callback after service")
    RETENTION = "retention", pgettext_lazy("campaign kind", "Retention")
    PROMOTION = "promotion", pgettext_lazy("campaign kind", "Business promotion")
    SURVEY = "survey", pgettext_lazy("campaign kind", "Survey")


#: The opt-out purpose (kefu.outlets) that stops each kind of campaign.
OPTOUT_PURPOSE = {"care": "billing", "callback": "service", "retention": "marketing", "promotion": "marketing",
                  "survey": "survey"}


class CampaignState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign state", "Draft")
    RUNNING = "running", pgettext_lazy("campaign state", "Running")
    PAUSED = "paused", pgettext_lazy("campaign state", "Paused")
    STOPPED = "stopped", pgettext_lazy("campaign state", "Stopped")
    FINISHED = "finished", pgettext_lazy("campaign state", "Finished")


class Outcome(models.TextChoices):
    REACHED = "reached", pgettext_lazy("campaign outcome", "Reached")
    SUCCESS = "success", pgettext_lazy("campaign outcome", "Success / converted")
    REFUSED = "refused", pgettext_lazy("campaign outcome", "Refused")
    CALLBACK_LATER = "callback_later", pgettext_lazy("campaign outcome", "Call back later")
    NO_ANSWER = "no_answer", pgettext_lazy("campaign outcome", "No answer")
    BUSY = "busy", pgettext_lazy("campaign outcome", "Busy")
    INVALID_NUMBER = "invalid_number", pgettext_lazy("campaign outcome", "Invalid number")


class DialMode(models.TextChoices):
    PREVIEW = "preview", pgettext_lazy("dial mode", "Preview: the agent accepts, then Kefu dials")
    PROGRESSIVE = "progressive", pgettext_lazy("dial mode", "Progressive: Kefu dials as soon as an agent is free")


class Campaign(models.Model):
    """An outbound campaign of one organisation, whose calls wait in one queue (preview/progressive).

    ``script`` is a list of steps ``{"text", "question"}`` shown to the agent with the preview and during
    the call; ``outcomes`` the agent outcomes allowed at wrap-up. ``pacing`` caps the targets in flight at
    once; ``dial_mode`` says whether the agent accepts each preview before the dial (preview) or the call is
    dialled as soon as an agent is offered it, the screen pop shown while it rings (progressive). A target is
    tried at most ``max_attempts`` times, ``retry_minutes`` apart, only within the
    calling hours (and the queue's opening hours).
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, default="", max_length=2000)
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                            related_name="+")
    queue = models.ForeignKey("contactcenter.Queue", verbose_name=_("queue"), on_delete=models.PROTECT,
                              related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT)
    script = models.JSONField(_("script"), default=list, blank=True)
    outcomes = models.JSONField(_("outcomes"), default=list, blank=True)
    pacing = models.PositiveSmallIntegerField(_("targets in flight at most"), default=5)
    dial_mode = models.CharField(_("dialling mode"), max_length=12, choices=DialMode.choices, default=DialMode.PREVIEW)
    max_attempts = models.PositiveSmallIntegerField(_("attempts per target"), default=3)
    retry_minutes = models.PositiveIntegerField(_("minutes between attempts"), default=60)
    recent_days = models.PositiveSmallIntegerField(_("skip customers contacted in the last days"), default=30)
    hours_start = models.TimeField(_("calling from"), default=time(9, 0))
    hours_end = models.TimeField(_("calling until"), default=time(21, 0))
    auto_closed_complaints = models.BooleanField(_("add closed complaints"), default=False)
    sample_percent = models.PositiveSmallIntegerField(_("share of closed complaints called back (%)"), default=100)
    created_by = models.ForeignKey("iam.Staff", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    request_hash = models.CharField(max_length=64, blank=True, default="")  # what the key first created
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        indexes = [models.Index(fields=["state"], name="campaign_state_idx")]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                                    name="campaign_idempotency_uniq"),
        ]

    def __str__(self) -> str:
        return self.name

    def can_start(self) -> bool:
        return self.state in (CampaignState.DRAFT, CampaignState.PAUSED)

    def can_pause(self) -> bool:
        return self.state == CampaignState.RUNNING

    def can_stop(self) -> bool:
        return self.state in (CampaignState.DRAFT, CampaignState.RUNNING, CampaignState.PAUSED)

    def can_edit(self) -> bool:
        return self.state in (CampaignState.DRAFT, CampaignState.PAUSED)

    @property
    def open(self) -> bool:
        return self.state in (CampaignState.DRAFT, CampaignState.RUNNING, CampaignState.PAUSED)

    def script_text(self) -> str:
        """The script as the desk shows it: numbered steps, each question under its step."""
        lines = []
        for i, step in enumerate(self.script or [], 1):
            lines.append(f"{i}. {step.get('text', '')}".rstrip())
            if step.get("question"):
                lines.append(f"   ？{step['question']}")
        return "\n".join(lines)
