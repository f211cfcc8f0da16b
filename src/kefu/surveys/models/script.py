"""Survey scripts (调查脚本) and their versions: a draft is edited, a published version never changes.

Surveys reference the version they asked, so an answer is always read against the questions that were put
(the way work orders keep their process-template version).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class SurveyScript(models.Model):
    """A named questionnaire of an organisation; its questions live in its versions."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    org = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("survey script")
        verbose_name_plural = _("survey scripts")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class VersionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("script version", "Draft")
    PUBLISHED = "published", pgettext_lazy("script version", "Published")


class ScriptVersion(models.Model):
    """One numbered version of a script's definition (``surveys.script``); immutable once published."""

    script = models.ForeignKey(SurveyScript, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=12, choices=VersionState.choices, default=VersionState.DRAFT)
    definition = models.JSONField()
    note = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        "iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["script", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["script", "number"], name="surveys_version_unique"),
            # At most one draft per script: editing always continues the same draft.
            models.UniqueConstraint(
                fields=["script"], condition=models.Q(state="draft"), name="surveys_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.script.code} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT
