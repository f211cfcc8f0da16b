"""The periodic digest of suggestions for the business department (建议定期汇总)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock


class SuggestionDigest(models.Model):
    """Suggestions of one period, by category with counts and texts, sent to the business department.

    ``categories`` is ``[{"category", "count", "items": [{"serial", "title", "text", "verdict",
    "adoption"}]}]``, frozen when the digest is made so it reads the same later.
    """

    org = models.ForeignKey("orgs.Organisation", verbose_name=_("business department"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    total = models.PositiveIntegerField(_("suggestions"), default=0)
    categories = models.JSONField(default=list)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-period_end"]
        constraints = [models.UniqueConstraint(fields=["period_end"], name="suggestion_digest_period_uniq")]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"
