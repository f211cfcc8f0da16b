"""Quality measured three ways (SPEC §6): agent service quality (inspection scores), access quality
(offered load against the capacity of the access equipment, blocked and failed calls, the health of the
CTI link and the switch), and complaint satisfaction (the five levels customers gave).

Complaint satisfaction counts the satisfaction recorded with complaint orders' replies and the answers of
satisfaction surveys about complaints (``survey_satisfaction_counts``, from kefu.surveys).
"""

from __future__ import annotations

from datetime import datetime

from kefu.contactcenter.selectors import access_figures, switch_health
from kefu.surveys.stats import satisfaction_counts
from kefu.workorders.selectors import replies_satisfaction_by_level

from .reports import quality_report

LEVELS = (5, 4, 3, 2, 1)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def survey_satisfaction_counts(*, actor, start: datetime, end: datetime) -> dict[int, int]:
    """Satisfaction levels (5..1) from survey answers about complaints in the period (the actor's scope)."""
    for group in satisfaction_counts(actor=actor, start=start, end=end, group_by="kind", sources=("surveys",)):
        if group.key == "complaint":
            return dict(group.counts)
    return {}


def complaint_satisfaction(*, actor, start: datetime, end: datetime) -> dict:
    """Counts per level (work-order replies plus surveys), the satisfied rate (very satisfied and
    satisfied over all answers) and the dissatisfied rate."""
    counts = dict.fromkeys(LEVELS, 0)
    for source in (
        replies_satisfaction_by_level(actor=actor, since=start, until=end),
        survey_satisfaction_counts(actor=actor, start=start, end=end),
    ):
        for level, n in source.items():
            if level in counts:
                counts[level] += n
    total = sum(counts.values())
    return {
        "levels": {str(k): v for k, v in counts.items()},
        "answers": total,
        "satisfied_rate": _rate(counts[5] + counts[4], total),
        "dissatisfied_rate": _rate(counts[2] + counts[1], total),
    }


def access_quality(*, actor, start: datetime, end: datetime) -> dict:
    """Load and blocked calls of the period, with the switch's latest report of its capacity and link."""
    load = access_figures(actor=actor, since=start, until=end)
    health = switch_health()
    offered = load["offered"]
    return {
        **load,
        "answer_rate": _rate(load["answered"], offered),
        "blocked_rate": _rate(load["abandoned"], offered),
        "switch": health,
    }


def quality_overview(*, actor, start: datetime, end: datetime) -> dict:
    service = quality_report(actor=actor, start=start, end=end, group_by=None)[0].as_dict()
    return {
        "service": service,
        "access": access_quality(actor=actor, start=start, end=end),
        "satisfaction": complaint_satisfaction(actor=actor, start=start, end=end),
    }
