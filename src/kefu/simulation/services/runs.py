"""Simulation runs: asked for (validated, audited), then played by the background worker with progress."""

from __future__ import annotations

import json
import logging
import threading

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed

from ..engine.des import Result, simulate
from ..engine.model import Scenario
from ..models import RunState, SimulationRun

log = logging.getLogger(__name__)
#: Calls one run may offer (a million plays in about a minute on one core).
MAX_CALLS = 2_000_000


def scenario_check(data: dict) -> Scenario:
    """The scenario, or ``ValidationFailed`` naming the wrong field."""
    if len(json.dumps(data, default=str)) > 50_000:
        raise ValidationFailed(_("The scenario is too large."), code="invalid_scenario")
    try:
        scenario = Scenario.from_dict(data)
    except ValueError as exc:
        raise ValidationFailed(
            _("The scenario is not valid: %(why)s") % {"why": exc},
            code="invalid_scenario",
            details={"scenario": str(exc)},
        ) from None
    if scenario.expected_calls > MAX_CALLS:
        raise ValidationFailed(
            _("A run offers at most %(n)s calls.") % {"n": f"{MAX_CALLS:,}"}, code="invalid_scenario"
        )
    return scenario


@transaction.atomic
def run_create(*, actor, name: str, scenario: dict) -> SimulationRun:
    """Queue a run of ``scenario``; the worker plays it (``runs_pending``)."""
    checked = scenario_check(scenario)
    name = (name or "").strip()[:100] or _("Simulation")
    run = SimulationRun.objects.create(name=name, owner=actor, org_id=actor.org_id, scenario=scenario)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=run,
        object_repr=name,
        note=f"simulation of {checked.expected_calls:.0f} calls, {sum(g.count for g in checked.agents)} agents",
    )
    return run


def result_data(result: Result) -> dict:
    """Totals with confidence intervals, and the per-interval indicators."""
    out = {"total": result.summary(), "intervals": [t.indicators() for t in result.intervals]}
    ci: dict[str, list] = (
        {name: list(result.ci(name)) for name in ("service_level", "asa")} if result.batches else {}
    )
    out["ci"] = ci
    for pair in ci.values():
        pair[1] = None if pair[1] == float("inf") else pair[1]
    return out


def run_claim(*, run_id: int) -> bool:
    """Take a queued run for this process (a conditional update: one claimer wins)."""
    return bool(
        SimulationRun.objects.filter(pk=run_id, state=RunState.QUEUED).update(
            state=RunState.RUNNING, started_at=clock.now()
        )
    )


def run_execute(*, run_id: int) -> bool:
    """Claim a queued run and play it; progress is saved as it goes. False when someone else claimed it."""
    if not run_claim(run_id=run_id):
        return False
    run_play(run_id=run_id)
    return True


def run_play(*, run_id: int) -> None:
    """Play a claimed run to its end, saving progress every 2 % and the result at the end."""
    run = SimulationRun.objects.select_related("owner").get(pk=run_id)
    last = [0.0]

    def progress(fraction: float) -> None:
        if fraction - last[0] >= 0.02 or fraction >= 1.0:
            last[0] = fraction
            SimulationRun.objects.filter(pk=run_id).update(progress=fraction)

    try:
        scenario = Scenario.from_dict(run.scenario)
        result = simulate(scenario, progress=progress)
    except Exception as exc:  # recorded on the run for its owner; the worker goes on
        log.exception("simulation run %s failed", run_id)
        SimulationRun.objects.filter(pk=run_id).update(
            state=RunState.FAILED, error=str(exc)[:500], finished_at=clock.now()
        )
        return
    SimulationRun.objects.filter(pk=run_id).update(
        state=RunState.DONE, progress=1.0, result=result_data(result), finished_at=clock.now()
    )
    audit_record(
        actor=run.owner,
        action=AuditAction.UPDATE,
        obj=run,
        object_repr=run.name,
        note="simulation finished",
        result_count=result.calls,
    )


_player: threading.Thread | None = None


def _play_in_thread(run_id: int) -> None:
    try:
        run_play(run_id=run_id)
    finally:
        connection.close()  # the thread's own connection


def runs_pending(*, background: bool = False) -> int:
    """Play the oldest queued run. ``background`` (the worker's job) plays it in a thread of its own, one at a
    time per process, so a run of a minute does not hold up the worker's other jobs (deadlines, offers)."""
    global _player
    if background and _player is not None and _player.is_alive():
        return 0
    ids = list(
        SimulationRun.objects.filter(state=RunState.QUEUED)
        .order_by("created_at", "pk")  # simrun_state_idx
        .values_list("pk", flat=True)[:1]
    )
    if not ids or not run_claim(run_id=ids[0]):
        return 0
    if background:
        _player = threading.Thread(
            target=_play_in_thread, args=(ids[0],), name="kefu-simulation", daemon=True
        )
        _player.start()
    else:
        run_play(run_id=ids[0])
    return 1
