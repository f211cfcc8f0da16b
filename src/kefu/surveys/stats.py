"""Satisfaction statistics: the rate and the distribution over the five levels, from work orders' replies and
survey answers together (docs/surveys.md, "Satisfaction rate").

    satisfaction rate = (very satisfied + satisfied) / all answers

``satisfaction_counts`` is the selector other apps (the indicators) call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.utils.translation import gettext as _

from kefu.core.satisfaction import SATISFIED_LEVELS, Satisfaction
from kefu.orgs.selectors import scope_queryset
from kefu.workorders.selectors import reply_satisfaction_counts

from .models import Survey

GROUPS = ("all", "day", "month", "org", "queue", "team", "agent", "kind")
SOURCES = ("orders", "surveys")
LEVELS = tuple(int(v) for v in Satisfaction.values)  # 5 … 1

_SURVEY_GROUPS = {
    "org": ("org_id", "org__name"),
    "queue": ("queue", None),
    "team": ("team_id", "team__name"),
    "agent": ("agent_id", "agent__name"),
    "kind": ("order_kind", None),
}


@dataclass
class Group:
    key: Any
    label: str
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied(self) -> int:
        return sum(self.counts[int(level)] for level in SATISFIED_LEVELS)

    @property
    def rate(self) -> float | None:
        """Per cent, one decimal; ``None`` without any answer."""
        return round(100 * self.satisfied / self.total, 1) if self.total else None

    def as_dict(self) -> dict:
        return {
            "key": _key_text(self.key),
            "label": self.label,
            "total": self.total,
            "satisfied": self.satisfied,
            "rate": self.rate,
            "counts": {str(k): v for k, v in self.counts.items()},
        }


def _key_text(key) -> str:
    if isinstance(key, datetime):
        key = key.date()
    if isinstance(key, date):
        return key.isoformat()
    return "" if key is None else str(key)


def _survey_counts(actor, start, end, group_by) -> list[tuple]:
    qs = scope_queryset(Survey.objects.all(), actor).filter(
        satisfaction__isnull=False, answered_at__gte=start, answered_at__lt=end
    )  # surveys_org_answered
    if group_by in ("day", "month"):
        trunc = TruncDate("answered_at") if group_by == "day" else TruncMonth("answered_at")
        rows = qs.annotate(k=trunc).values("k", "satisfaction").annotate(n=Count("id"))
        return [(r["k"], None, r["satisfaction"], r["n"]) for r in rows]
    if group_by in _SURVEY_GROUPS:
        key, label = _SURVEY_GROUPS[group_by]
        rows = (
            qs.annotate(k=F(key), l=F(label) if label else Value(""))
            .values("k", "l", "satisfaction")
            .annotate(n=Count("id"))
        )
        return [(r["k"], r["l"], r["satisfaction"], r["n"]) for r in rows]
    return [
        (None, None, r["satisfaction"], r["n"]) for r in qs.values("satisfaction").annotate(n=Count("id"))
    ]


def satisfaction_counts(
    *, actor, start: datetime, end: datetime, group_by: str = "all", sources: tuple[str, ...] = SOURCES
) -> list[Group]:
    """Answers per level in [start, end), by ``group_by`` (one of ``GROUPS``), of what the actor may see.

    ``sources``: ``orders`` (the satisfaction given to work orders' replies) and/or ``surveys``. Groups are
    sorted by key (periods in time order); empty key = no such dimension (e.g. work orders have no queue).
    """
    if group_by not in GROUPS:
        raise ValueError(group_by)
    rows: list[tuple] = []
    if "orders" in sources:
        rows += reply_satisfaction_counts(actor=actor, start=start, end=end, group_by=group_by)
    if "surveys" in sources:
        rows += _survey_counts(actor, start, end, group_by)
    groups: dict[str, Group] = {}
    for key, label, level, n in rows:
        if level not in LEVELS:
            continue
        text = _key_text(key)
        g = groups.get(text)
        if g is None:
            g = groups[text] = Group(key=key, label=_label(group_by, text, label))
        elif not g.label and label:
            g.label = label
        g.counts[level] += n
    return sorted(groups.values(), key=lambda g: (_key_text(g.key) == "", _key_text(g.key)))


def _label(group_by: str, text: str, label) -> str:
    if group_by == "all":
        return str(_("All"))
    if not text:
        return str(_("(none)"))
    return str(label or text)


def satisfaction_total(*, actor, start: datetime, end: datetime) -> Group:
    """Both sources over the whole period in one group."""
    groups = satisfaction_counts(actor=actor, start=start, end=end, group_by="all")
    return groups[0] if groups else Group(key=None, label=str(_("All")))
