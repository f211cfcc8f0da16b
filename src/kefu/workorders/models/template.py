"""Process templates (流程模板), versioned: running orders keep their version."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock

from ..kinds import Kind


class ProcessTemplate(models.Model):
    """A named process for a kind, optionally for one product or organisation subtree."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    product = models.CharField(_("product"), max_length=100, blank=True, default="")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="template_unique_name")]

    def __str__(self) -> str:
        return self.name

    def current_version(self):
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    template = models.ForeignKey(ProcessTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    note = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="templateversion_unique")]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"
