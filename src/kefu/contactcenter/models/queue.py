"""Queues (队列): what skills a contact needs, service-level target, overflow and wait limits."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.models import TimeStampedModel


class Queue(TimeStampedModel):
    class MaxWaitAction(models.TextChoices):
        CALLBACK = "callback", pgettext_lazy("queue", "Offer a callback")
        VOICEMAIL = "voicemail", pgettext_lazy("queue", "Take a voicemail")
        MESSAGE = "message", pgettext_lazy("queue", "Play a message and hang up")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    channel = models.CharField(_("channel"), max_length=8, default="voice")
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                            related_name="queues")
    sl_target_percent = models.PositiveSmallIntegerField(_("service level target (%)"), default=80)
    sl_target_seconds = models.PositiveSmallIntegerField(_("answered within (seconds)"), default=20)
    short_abandon_seconds = models.PositiveSmallIntegerField(_("short abandon threshold (seconds)"), default=5)
    # [{"after": 30, "skills": [["general", 1]]}, ...]: requirements after a wait.
    overflow = models.JSONField(_("overflow rules"), default=list, blank=True)
    max_wait_seconds = models.PositiveIntegerField(_("maximum wait (seconds)"), default=300)
    max_wait_action = models.CharField(_("after the maximum wait"), max_length=12, choices=MaxWaitAction.choices,
                                       default=MaxWaitAction.CALLBACK)
    # {"1": ["08:00", "22:00"], ...} by ISO weekday; empty = always open.
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    closed_message = models.CharField(_("message when closed"), max_length=300, blank=True, default="")
    script = models.TextField(_("agent script"), blank=True, default="")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self) -> str:
        return self.name


class QueueSkill(models.Model):
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="skills")
    skill_group = models.ForeignKey("iam.SkillGroup", on_delete=models.PROTECT, related_name="+")
    min_level = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["queue", "skill_group"], name="queueskill_unique")]

    def __str__(self) -> str:
        return f"{self.queue_id}:{self.skill_group_id}>={self.min_level}"
