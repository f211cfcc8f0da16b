"""Inspections (质检记录): one contact of one agent, scored on one form version, perhaps disputed and
decided; and the improvement actions (整改) that follow from them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class Source(models.TextChoices):
    RANDOM = "random", pgettext_lazy("inspection source", "Random sample")
    COMPLAINT = "complaint", pgettext_lazy("inspection source", "Complaint")
    LONG_CALL = "long_call", pgettext_lazy("inspection source", "Long call")
    MANUAL = "manual", pgettext_lazy("inspection source", "Picked by hand")


class InspectionState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("inspection state", "To score")
    SCORED = "scored", pgettext_lazy("inspection state", "Scored")
    DISPUTED = "disputed", pgettext_lazy("inspection state", "Disputed")
    DECIDED = "decided", pgettext_lazy("inspection state", "Dispute decided")


class Decision(models.TextChoices):
    UPHELD = "upheld", pgettext_lazy("dispute decision", "Score upheld")
    REVISED = "revised", pgettext_lazy("dispute decision", "Score revised")


class Inspection(models.Model):
    """The inspection of one contact. ``org`` and ``team`` are the agent's when it was picked: reports
    group by them and scope follows ``org``. An agent may dispute once (``disputed_at`` set for good)."""

    contact = models.OneToOneField(
        "contactcenter.Contact", verbose_name=_("contact"), on_delete=models.PROTECT, related_name="+"
    )
    contact_at = models.DateTimeField(_("contact time"))
    agent = models.ForeignKey(
        "iam.Staff", verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "iam.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    form_version = models.ForeignKey(
        "quality.FormVersion", on_delete=models.PROTECT, related_name="inspections"
    )
    source = models.CharField(_("picked by"), max_length=10, choices=Source.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=InspectionState.choices, default=InspectionState.PENDING
    )
    created_by = models.ForeignKey(
        "iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    inspector = models.ForeignKey(
        "iam.Staff",
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    points = models.JSONField(default=dict, blank=True)
    fatal_hits = models.JSONField(default=list, blank=True)
    item_comments = models.JSONField(default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True, blank=True)
    fatal = models.BooleanField(_("fatal error"), default=False)
    comment = models.TextField(_("comment"), blank=True, default="", max_length=2000)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    dispute_reason = models.TextField(_("dispute reason"), blank=True, default="", max_length=2000)
    disputed_at = models.DateTimeField(_("disputed at"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, blank=True, default=""
    )
    decision_note = models.TextField(_("decision note"), blank=True, default="", max_length=2000)
    decided_by = models.ForeignKey(
        "iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    original_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [
            # Reports and the QA-score indicator: scored inspections of a subtree over a period.
            models.Index(fields=["org", "scored_at"], name="quality_org_scored_idx"),
            # "My quality": an agent's results, newest first.
            models.Index(fields=["agent", "scored_at"], name="quality_agent_scored_idx"),
            models.Index(fields=["state", "created_at"], name="quality_state_idx"),
            # Interval figures (kefu.kpi): every score of a stretch of time.
            models.Index(fields=["scored_at"], name="quality_scored_idx"),
        ]

    def __str__(self) -> str:
        return f"QA {self.pk} contact {self.contact_id}"

    @property
    def is_scored(self) -> bool:
        return self.state != InspectionState.PENDING

    def can_dispute(self) -> bool:
        return self.state == InspectionState.SCORED and self.disputed_at is None

    def can_decide(self) -> bool:
        return self.state == InspectionState.DISPUTED


class ImprovementState(models.TextChoices):
    OPEN = "open", pgettext_lazy("improvement state", "Open")
    DONE = "done", pgettext_lazy("improvement state", "Done")


class Improvement(models.Model):
    """An improvement action (整改) assigned to an agent with a due date, tracked to done."""

    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="improvements"
    )
    agent = models.ForeignKey(
        "iam.Staff", verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("action"), max_length=200)
    detail = models.TextField(_("detail"), blank=True, default="", max_length=2000)
    due_on = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=6, choices=ImprovementState.choices, default=ImprovementState.OPEN
    )
    created_by = models.ForeignKey(
        "iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True, default="", max_length=2000)

    class Meta:
        ordering = ["state", "due_on", "id"]
        indexes = [models.Index(fields=["agent", "state", "due_on"], name="quality_improvement_agent_idx")]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.state == ImprovementState.OPEN and self.due_on < today
