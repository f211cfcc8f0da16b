"""Staffing and simulation API: agents for a load, a forecast day's plan, simulation runs and their results."""

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kefu.contactcenter.selectors import queue_get
from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination
from kefu.core.schemas import InputSchema

from . import selectors
from .models import SimulationRun
from .services import runs, staffing

router = Router(tags=["simulation"])


class TargetIn(Schema):
    target: Literal["sl", "asa"] = Field("sl", description="Service level (percent within seconds) or ASA")
    seconds: float = Field(20.0, gt=0, le=3600)
    percent: float = Field(80.0, gt=0, lt=100)
    patience: float | None = Field(None, gt=0, le=86400, description="Mean patience in seconds: Erlang A")
    shrinkage: float = Field(0.3, ge=0, lt=0.9)

    def data(self) -> staffing.TargetData:
        return staffing.TargetData(
            kind=self.target,
            seconds=self.seconds,
            percent=self.percent,
            patience=self.patience,
            shrinkage=self.shrinkage,
        )


class LoadIn(TargetIn):
    calls_per_hour: float = Field(..., ge=0, le=1_000_000)
    aht: float = Field(..., ge=1, le=86400, description="Average handle time, seconds")


class NeedOut(Schema):
    agents: int
    rostered: int
    service_level: float
    asa: float | None
    abandon: float
    occupancy: float
    p_wait: float


class PlanIn(TargetIn):
    days: int = Field(28, ge=1, le=366)
    interval: int = Field(30, ge=15, le=60, description="Minutes: 15, 30 or 60")
    queue: int | None = Field(None, ge=1, le=2**31 - 1)


class IntervalOut(Schema):
    start: str
    calls: float
    aht: float
    agents: int
    rostered: int
    service_level: float
    asa: float | None
    abandon: float
    occupancy: float


@router.get("/staffing/agents", response=NeedOut, summary="Agents a load needs for a target (Erlang C, or A)")
@requires("simulation.staffing.view")
def staffing_agents(request, load: Query[LoadIn]):
    need = staffing.staffing_single(calls_per_hour=load.calls_per_hour, aht=load.aht, target=load.data())
    p = need.perf
    return {
        "agents": need.agents,
        "rostered": need.rostered,
        "service_level": p.service_level,
        "asa": p.asa if p.asa != float("inf") else None,
        "abandon": p.abandon,
        "occupancy": p.occupancy,
        "p_wait": p.p_wait,
    }


@router.get("/staffing/plan", response=list[IntervalOut], summary="Agents per interval of a forecast day")
@requires("simulation.staffing.view")
def staffing_plan(request, plan: Query[PlanIn]):
    actor = actor_of(request)
    queue_id = queue_get(actor=actor, queue_id=plan.queue).pk if plan.queue else None
    rows = staffing.staffing_day(
        actor=actor, target=plan.data(), days=plan.days, interval_minutes=plan.interval, queue_id=queue_id
    )
    return staffing.plan_rows(rows)


class RunIn(InputSchema):
    name: str = Field("", max_length=100)
    scenario: dict[str, Any]


class RunOut(Schema):
    id: int
    name: str
    owner: str
    state: str
    progress: float
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str
    scenario: dict[str, Any]
    result: dict[str, Any]


def _run(run: SimulationRun) -> dict:
    return {
        "id": run.pk,
        "name": run.name,
        "owner": run.owner.employee_no,
        "state": run.state,
        "progress": run.progress,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "error": run.error,
        "scenario": run.scenario,
        "result": run.result,
    }


@router.get("/runs", response=list[RunOut], summary="Simulation runs, newest first")
@requires("simulation.run.view")
@paginate(Pagination)
def run_list(request):
    return [_run(r) for r in selectors.run_list(actor=actor_of(request))[:1000]]


@router.post("/runs", response={202: RunOut}, summary="Queue a simulation run (the worker plays it)")
@requires("simulation.run.create")
def run_create(request, payload: RunIn):
    return 202, _run(runs.run_create(actor=actor_of(request), name=payload.name, scenario=payload.scenario))


@router.get("/runs/{run_id}", response=RunOut, summary="One simulation run: progress, then its indicators")
@requires("simulation.run.view")
def run_get(request, run_id: int):
    return _run(selectors.run_get(actor=actor_of(request), run_id=run_id))
