"""One survey put to one customer (调查), and its answers.

Whatever the door (web questionnaire, SMS link, IVR, outbound call, a third party's file), a survey is one
row: the published script version asked, who was asked and about which service (organisation, queue, team,
agent, work-order kind: the dimensions of the statistics), the answers on the path taken, and the
satisfaction level they give.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock
from kefu.core.satisfaction import Satisfaction


class SurveyChannel(models.TextChoices):
    WEB = "web", _("Web questionnaire")
    SMS = "sms", _("SMS link")
    IVR = "ivr", _("IVR after the call")
    CALL = "call", _("Outbound call")
    THIRD_PARTY = "third_party", _("Third party")


class SurveyState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("survey", "Not answered")
    PARTIAL = "partial", pgettext_lazy("survey", "Partly answered")
    COMPLETE = "complete", pgettext_lazy("survey", "Complete")


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    version = models.ForeignKey("surveys.ScriptVersion", on_delete=models.PROTECT, related_name="surveys")
    org = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=SurveyChannel.choices)
    token = models.CharField(max_length=32, unique=True, default=new_token)
    state = models.CharField(
        _("state"), max_length=12, choices=SurveyState.choices, default=SurveyState.PENDING
    )

    customer = models.ForeignKey(
        "crm.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("number"), max_length=32, blank=True, default="")
    queue = models.CharField(_("queue"), max_length=32, blank=True, default="")
    team = models.ForeignKey(
        "iam.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        "iam.Staff",
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order_kind = models.CharField(_("work-order kind"), max_length=16, blank=True, default="")
    subject = models.CharField(
        _("about"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The contact or work order the survey asks about."),
    )

    answers = models.JSONField(default=dict, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=Satisfaction.choices, null=True, blank=True
    )
    created_by = models.ForeignKey(
        "iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [
            # Statistics: answered surveys of a subtree in a period.
            models.Index(fields=["org", "answered_at"], name="surveys_org_answered"),
            # Interval figures (kefu.kpi): every answer of a stretch of time.
            models.Index(fields=["answered_at"], name="surveys_answered"),
            # "Never the same customer twice in N days" and the customer's history.
            models.Index(fields=["number", "created_at"], name="surveys_number_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.version}"
