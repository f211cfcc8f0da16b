"""Scoring forms (质检评分表) and their versions.

A form is what a queue's or a work-order kind's contacts are scored with. Its items live in immutable
versions: changing the items publishes a new version, and an inspection keeps the version it was scored
with, so an old score always reads against the items that made it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock


class ScoreForm(models.Model):
    """A named scoring form of one organisation, for one queue, one work-order kind, or any contact."""

    name = models.CharField(_("name"), max_length=100)
    org = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    queue_code = models.CharField(_("queue"), max_length=32, blank=True, default="")
    order_kind = models.CharField(_("work-order kind"), max_length=16, blank=True, default="")
    active = models.BooleanField(_("active"), default=True)
    current_version = models.PositiveIntegerField(_("current version"), default=0)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("scoring form")
        verbose_name_plural = _("scoring forms")
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="quality_form_name_unique")]

    def __str__(self) -> str:
        return self.name


class FormVersion(models.Model):
    """The items of a form as published once; never changed afterwards (``scoring.items_parse`` shape)."""

    form = models.ForeignKey(ScoreForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    items = models.JSONField(default=list)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        "iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="quality_form_version_unique")]

    def __str__(self) -> str:
        return f"{self.form_id} v{self.number}"
