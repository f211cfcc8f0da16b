"""Runs are queued, played by the worker with progress, audited; history comes from contact records."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.audit.models import AuditEntry
from kefu.contactcenter.models import Contact, Queue
from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.simulation.history import interval_history
from kefu.simulation.models import RunState, SimulationRun
from kefu.simulation.services.runs import run_create, runs_pending
from kefu.simulation.services.staffing import TargetData, staffing_day


def test_a_run_is_queued_then_played_with_its_indicators(staff_factory, small_scenario):
    planner = staff_factory("simulation")
    run = run_create(actor=planner, name="小测试", scenario=small_scenario)
    assert run.state == RunState.QUEUED
    assert runs_pending() == 1
    run.refresh_from_db()
    assert run.state == RunState.DONE and run.progress == 1.0
    total = run.result["total"]
    assert total["calls"] > 100 and 0 <= total["service_level"] <= 1
    assert len(run.result["intervals"]) >= 2  # calls still in progress at the end of the day run on
    assert runs_pending() == 0  # played once
    notes = list(AuditEntry.objects.filter(object_id=str(run.pk)).values_list("note", flat=True))
    assert any("simulation of" in n for n in notes) and "simulation finished" in notes


def test_the_default_day_plays(staff_factory, day_scenario):
    planner = staff_factory("simulation")
    run = run_create(actor=planner, name="day", scenario=day_scenario)
    runs_pending()
    run.refresh_from_db()
    assert run.state == RunState.DONE, run.error
    assert 0.3 < run.result["total"]["occupancy"] < 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"arrivals": "x"}, "arrivals"),
        ({"agents": []}, "agents"),
        ({"handle": {"kind": "gamma"}}, "handle"),
        ({"agents": [{"count": 1, "shift_start": 500, "shift_end": 100}]}, "shift_end"),
        ({"interval_seconds": 7}, "interval_seconds"),
        ({"queues": [{"code": "q", "overflow": 5}]}, "overflow"),
        ({"queues": [{"code": "q", "tiers": [["a", 1]]}]}, "tiers"),
        ({"patience": {}}, "patience"),
    ],
)
def test_a_wrong_scenario_is_refused_naming_the_field(staff_factory, small_scenario, change, field):
    planner = staff_factory("simulation")
    with pytest.raises(ValidationFailed) as err:
        run_create(actor=planner, name="x", scenario={**small_scenario, **change})
    assert field in str(err.value.message)
    assert not SimulationRun.objects.exists()


def test_history_averages_each_interval_over_the_days(staff_factory, province):
    planner = staff_factory("simulation")
    queue = Queue.objects.create(code="GEN", name="综合", org=province)
    today = timezone.localtime(clock.now()).replace(hour=10, minute=5, second=0, microsecond=0)
    for days_ago in (1, 2):
        start = today - timedelta(days=days_ago)
        Contact.objects.create(
            queue=queue,
            started_at=start,
            enqueued_at=start,
            answered_at=start + timedelta(seconds=10),
            ended_at=start + timedelta(seconds=190),
            state="ended",
        )
    loads = interval_history(actor=planner, days=2, interval_minutes=30)
    busy = [x for x in loads if x.calls]
    assert len(busy) == 1 and busy[0].calls == 1 and busy[0].aht == 180
    plan = staffing_day(actor=planner, target=TargetData(), days=2, interval_minutes=30)
    assert sum(p.need.agents for p in plan) >= 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_plays_a_run_in_a_thread_of_its_own(staff_factory, small_scenario):
    """A run of a minute must not hold up the worker's other jobs; one run at a time per process."""
    from kefu.simulation.jobs import simulation_runs
    from kefu.simulation.services import runs

    planner = staff_factory("simulation")
    first = run_create(actor=planner, name="一", scenario=small_scenario)
    run_create(actor=planner, name="二", scenario=small_scenario)
    assert simulation_runs() == 1
    runs._player.join(30)
    first.refresh_from_db()
    assert first.state == RunState.DONE
    assert simulation_runs() == 1
    runs._player.join(30)
    assert not SimulationRun.objects.exclude(state=RunState.DONE).exists()
