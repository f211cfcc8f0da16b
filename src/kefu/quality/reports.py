"""Quality reports: average score, fatal-error rate and disputed rate of scored inspections, grouped by
agent, team, organisation or period; and ``qa_score_summary``, the same figures for other apps (the
QA-score indicator).

Only scored inspections count (pending ones have no score), on the score that stands: a revised score
after a dispute replaces the first one. The period is that of scoring (``scored_at``), which the index
``quality_org_scored_idx`` serves together with the organisation scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed
from kefu.orgs.selectors import scope_queryset, subtree_q

from .models import Inspection, InspectionState

GROUPS = ("agent", "team", "org", "day", "week", "month")
_TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
_KEYS = {
    "agent": ("agent_id", "agent__employee_no", "agent__name"),
    "team": ("team_id", "team__name", None),
    "org": ("org_id", "org__name", None),
}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int
    average: float | None
    fatal: int
    disputed: int

    @property
    def fatal_rate(self) -> float | None:
        return round(100 * self.fatal / self.count, 1) if self.count else None

    @property
    def disputed_rate(self) -> float | None:
        return round(100 * self.disputed / self.count, 1) if self.count else None

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "count": self.count,
            "average": self.average,
            "fatal": self.fatal,
            "fatal_rate": self.fatal_rate,
            "disputed": self.disputed,
            "disputed_rate": self.disputed_rate,
        }


def _scored(qs: QuerySet, start: datetime, end: datetime) -> QuerySet:
    if end <= start:
        raise ValidationFailed(
            _("The period ends before it starts."),
            code="invalid_period",
            details={"end": _("Must be after the start.")},
        )
    return qs.exclude(state=InspectionState.PENDING).filter(scored_at__gte=start, scored_at__lt=end)


def _figures():
    return {
        "n": Count("id"),
        "avg": Avg("score"),
        "fatal_n": Count("id", filter=Q(fatal=True)),
        "disputed_n": Count("id", filter=Q(disputed_at__isnull=False)),
    }


def _row(key, label, r) -> Row:
    avg = r["avg"]
    return Row(
        key=str(key),
        label=label,
        count=r["n"],
        average=round(float(avg), 1) if avg is not None else None,
        fatal=r["fatal_n"],
        disputed=r["disputed_n"],
    )


def rows_of(qs: QuerySet, group_by: str | None) -> list[Row]:
    """``qs`` (scored inspections) in groups, each with its figures; one row ``all`` when not grouped."""
    if not group_by:
        return [_row("all", _("All"), qs.aggregate(**_figures()))]
    if group_by not in GROUPS:
        raise ValidationFailed(
            _("Group by one of: %(g)s.") % {"g": ", ".join(GROUPS)},
            code="invalid_group",
            details={"group_by": _("Unknown.")},
        )
    if group_by in _TRUNC:
        tz = timezone.get_current_timezone()
        data = (
            qs.annotate(period=_TRUNC[group_by]("scored_at", tzinfo=tz))
            .values("period")
            .annotate(**_figures())
            .order_by("period")
        )
        return [_row(r["period"].date().isoformat(), r["period"].date().isoformat(), r) for r in data]
    key, label, extra = _KEYS[group_by]
    fields = [key, label] + ([extra] if extra else [])
    data = qs.values(*fields).annotate(**_figures()).order_by(F(label).asc(nulls_last=True), key)
    out = []
    for r in data:
        text = " ".join(str(r[f]) for f in fields[1:] if r[f]) or _("No team")
        out.append(_row(r[key] if r[key] is not None else "none", text, r))
    return out


def quality_report(*, actor, start: datetime, end: datetime, group_by: str | None = "agent") -> list[Row]:
    """The report of the inspections the actor may see."""
    return rows_of(_scored(scope_queryset(Inspection.objects.all(), actor), start, end), group_by)


def qa_score_summary(*, scope, start: datetime, end: datetime, group_by: str | None = None) -> list[dict]:
    """Average score, count and fatal count of scored inspections in ``[start, end)`` for another app.

    ``scope``: a staff member (their organisation scope, as the reports apply it) or an organisation (its
    subtree). ``group_by``: None (one row, key ``all``) or one of ``GROUPS``. Each row is a dict with
    ``key``, ``label``, ``average`` (None without inspections), ``count``, ``fatal``, ``fatal_rate``,
    ``disputed`` and ``disputed_rate``.
    """
    qs = Inspection.objects.all()
    if hasattr(scope, "path") and not hasattr(scope, "employee_no"):
        qs = qs.filter(subtree_q(scope))
    else:
        qs = scope_queryset(qs, scope)
    return [r.as_dict() for r in rows_of(_scored(qs, start, end), group_by)]
