"""The case library (案例库): closed work orders turned into reusable know-how."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.models import TimeStampedModel

from .article import Category


class Case(TimeStampedModel):
    """A cleaned situation and its solution, for handlers facing the same problem.

    The text is cleaned of personal data when the case is made
    (``kefu.knowledge.cleaning``); the link to the source order is kept for
    those allowed to open it, and ``source_serial`` survives even if the
    order is ever purged. One order gives at most one case. Cases carry no
    organisation: they are anonymous and meant for the whole center.
    """

    title = models.CharField(_("title"), max_length=200)
    situation = models.TextField(_("situation"), max_length=10000)
    solution = models.TextField(_("solution"), max_length=10000)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, db_index=True)
    subcategory = models.CharField(_("sub-category"), max_length=50, blank=True, default="")
    source_serial = models.CharField(_("source work order"), max_length=20, blank=True, default="")
    source_order = models.ForeignKey("workorders.WorkOrder", verbose_name=_("source work order"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="knowledge_cases")
    created_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    published = models.BooleanField(_("published"), default=False, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["source_serial"], condition=~Q(source_serial=""),
                                    name="knowledge_case_one_per_order"),
        ]

    def __str__(self) -> str:
        return self.title
