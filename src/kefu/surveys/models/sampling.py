"""Sampling rules (抽样规则) stored as data, and the record of each day's draw."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock


class SampleSource(models.TextChoices):
    INBOUND_CALLS = "inbound_calls", _("Inbound callers (per queue)")
    CLOSED_COMPLAINTS = "closed_complaints", _("Closed complaints")


class SamplingRule(models.Model):
    """Who is asked a script each day: a share of a day's inbound callers per queue, or closed complaints;
    never a number asked in the last ``exclude_days``."""

    name = models.CharField(_("name"), max_length=100)
    org = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    script = models.ForeignKey(
        "surveys.SurveyScript",
        verbose_name=_("survey script"),
        on_delete=models.PROTECT,
        related_name="rules",
    )
    source = models.CharField(_("source"), max_length=20, choices=SampleSource.choices)
    queue = models.CharField(
        _("queue"),
        max_length=32,
        blank=True,
        default="",
        help_text=_("Only this queue's callers (every queue when empty)."),
    )
    percent = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    channel = models.CharField(_("channel"), max_length=12, default="sms")
    exclude_days = models.PositiveSmallIntegerField(_("not the same customer within (days)"), default=30)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("sampling rule")
        verbose_name_plural = _("sampling rules")

    def __str__(self) -> str:
        return self.name


class SampleDraw(models.Model):
    """One rule's draw for one day: done once (the unique pair), with what it considered and chose."""

    rule = models.ForeignKey(SamplingRule, on_delete=models.CASCADE, related_name="draws")
    day = models.DateField()
    seed = models.CharField(max_length=64)
    considered = models.PositiveIntegerField(default=0)
    drawn = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["rule", "day"], name="surveys_draw_once")]

    def __str__(self) -> str:
        return f"{self.rule} {self.day}"
