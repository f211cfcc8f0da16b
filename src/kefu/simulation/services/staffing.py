"""Staffing asked by a person: a target checked, the forecast read, the Erlang plan computed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed

from ..history import interval_history
from ..staffing.calculator import IntervalNeed, Need, Target, agents_needed, day_plan

INTERVALS = (15, 30, 60)


@dataclass(frozen=True)
class TargetData:
    kind: str = "sl"
    seconds: float = 20.0
    percent: float = 80.0
    patience: float | None = None
    shrinkage: float = 0.3


def _target(data: TargetData) -> Target:
    if data.kind not in ("sl", "asa"):
        raise ValidationFailed(
            _("The target is a service level or an average speed of answer."), code="invalid_target"
        )
    if not 0 < data.seconds <= 3600 or (data.kind == "sl" and not 0 < data.percent < 100):
        raise ValidationFailed(
            _("Give a target time of 1 to 3600 seconds and a percentage below 100."), code="invalid_target"
        )
    if not 0 <= data.shrinkage < 0.9:
        raise ValidationFailed(_("Shrinkage is between 0 and 90 %."), code="invalid_shrinkage")
    return Target(data.kind, data.seconds, data.percent)


def staffing_single(*, calls_per_hour: float, aht: float, target: TargetData) -> Need:
    """Agents for one load (calls per hour, handle time in seconds)."""
    t = _target(target)
    if not 0 <= calls_per_hour <= 1_000_000 or not 1 <= aht <= 86_400:
        raise ValidationFailed(
            _("Give 0 to 1,000,000 calls per hour and a handle time of 1 to 86,400 seconds."),
            code="invalid_load",
        )
    try:
        return agents_needed(
            rate=calls_per_hour / 3600,
            aht=aht,
            target=t,
            patience=target.patience or None,
            shrinkage=target.shrinkage,
        )
    except ValueError:
        raise ValidationFailed(
            _("This load needs more agents than Kefu plans for."), code="too_many_agents"
        ) from None


def staffing_day(
    *, actor, target: TargetData, days: int = 28, interval_minutes: int = 30, queue_id: int | None = None
) -> list[IntervalNeed]:
    """Agents per interval of a forecast day, from the history the actor may see."""
    t = _target(target)
    if interval_minutes not in INTERVALS or not 1 <= days <= 366:
        raise ValidationFailed(
            _("Intervals are 15, 30 or 60 minutes and the history 1 to 366 days."), code="invalid_history"
        )
    loads = interval_history(actor=actor, days=days, interval_minutes=interval_minutes, queue_id=queue_id)
    try:
        return day_plan(
            loads=loads,
            interval_minutes=interval_minutes,
            target=t,
            patience=target.patience or None,
            shrinkage=target.shrinkage,
        )
    except ValueError:
        raise ValidationFailed(
            _("This load needs more agents than Kefu plans for."), code="too_many_agents"
        ) from None


def plan_rows(plan: list[IntervalNeed]) -> list[dict]:
    """The plan as plain rows for the page, the API and the charts."""
    rows = []
    for p in plan:
        perf = p.need.perf
        rows.append(
            {
                "start": f"{p.load.start_minute // 60:02d}:{p.load.start_minute % 60:02d}",
                "calls": round(p.load.calls, 1),
                "aht": round(p.load.aht, 1),
                "agents": p.need.agents,
                "rostered": p.need.rostered,
                "service_level": round(perf.service_level * 100, 1),
                "asa": round(perf.asa, 1) if perf.asa != float("inf") else None,
                "abandon": round(perf.abandon * 100, 2),
                "occupancy": round(perf.occupancy * 100, 1),
            }
        )
    return rows


def plan_scenario(*, rows: list[dict], interval_minutes: int, target: TargetData) -> dict:
    """A simulation scenario that plays the forecast day with the agents the plan puts on the phones, one
    group per interval, so the planner sees what randomness and intervals do to the Erlang answer."""
    handled = sum(r["calls"] for r in rows)
    aht = sum(r["calls"] * r["aht"] for r in rows) / handled if handled else 180.0
    width = interval_minutes * 60
    groups = [
        {
            "count": r["agents"],
            "skills": [["general", 1]],
            "shift_start": i * width,
            "shift_end": (i + 1) * width,
        }
        for i, r in enumerate(rows)
        if r["agents"]
    ] or [{"count": 1}]
    return {
        "interval_seconds": width,
        "arrivals": [r["calls"] for r in rows],
        "agents": groups,
        "handle": {"kind": "exponential", "mean": round(aht, 1)},
        "patience": target.patience,
        "target_seconds": target.seconds,
        "seed": 1,
    }
