"""Pages: the staffing calculator with its chart, simulation runs (start, follow with a progress bar, read)."""

from __future__ import annotations

import json

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kefu.contactcenter.selectors import queue_get, queue_list
from kefu.core.access import or_404, perm_required
from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_error
from kefu.core.pagination import paginate
from kefu.iam.permissions import has_perm

from . import selectors
from .engine.defaults import default_scenario
from .forms import RunForm, StaffingForm
from .services import runs
from .services import staffing as staffing_svc


def _plan(request, form) -> tuple[list[dict], object, staffing_svc.TargetData | None]:
    """The plan rows, the single-load answer and the target of a valid staffing form (errors go on the form)."""
    d = form.cleaned_data
    target = staffing_svc.TargetData(
        kind=d["target"],
        seconds=d["seconds"],
        percent=d["percent"],
        patience=d["patience"],
        shrinkage=d["shrinkage"] / 100,
    )
    rows, single = [], None
    try:
        queue_id = queue_get(actor=request.user, queue_id=d["queue"]).pk if d["queue"] else None
        rows = staffing_svc.plan_rows(
            staffing_svc.staffing_day(
                actor=request.user,
                target=target,
                days=d["days"],
                interval_minutes=d["interval"],
                queue_id=queue_id,
            )
        )
        if d["calls_per_hour"] is not None and d["aht"]:
            single = staffing_svc.staffing_single(
                calls_per_hour=d["calls_per_hour"], aht=d["aht"], target=target
            )
    except NotFound:
        form.add_error("queue", _("Queue not found."))
    except KefuError as exc:
        apply_error(form, exc)
    return rows, single, target


@perm_required("simulation.staffing.view")
def staffing(request):
    queues = list(queue_list(actor=request.user, active=True))
    form = StaffingForm(
        request.GET or None,
        queues=queues,
        initial={"days": 28, "interval": 30, "target": "sl", "percent": 80, "seconds": 20, "shrinkage": 30},
    )
    rows, single = [], None
    if form.is_valid():
        rows, single, _target = _plan(request, form)
    chart = {
        "rows": rows,
        "labels": {
            "calls": _("Calls"),
            "agents": _("Agents needed"),
            "rostered": _("Agents to roster"),
            "sl": _("Service level (%)"),
        },
    }
    return render(
        request,
        "simulation/staffing.html",
        {
            "form": form,
            "rows": rows,
            "single": single,
            "chart": chart,
            "peak": max((r["rostered"] for r in rows), default=0),
            "can_simulate": has_perm(request.user, "simulation.run.create"),
        },
    )


@perm_required("simulation.run.view")
def run_list(request):
    return render(
        request,
        "simulation/run_list.html",
        {
            "page": paginate(request, selectors.run_list(actor=request.user)),
            "can_create": has_perm(request.user, "simulation.run.create"),
        },
    )


@perm_required("simulation.run.create")
@require_http_methods(["GET", "POST"])
def run_create(request):
    initial = {"name": _("A day of the center"), "scenario": default_scenario()}
    if (
        request.method == "GET"
        and "days" in request.GET
        and has_perm(request.user, "simulation.staffing.view")
    ):
        # Prefilled from the staffing page: the forecast day played with the agents the plan puts on the phones.
        plan_form = StaffingForm(request.GET, queues=list(queue_list(actor=request.user, active=True)))
        if plan_form.is_valid():
            rows, _single, target = _plan(request, plan_form)
            if rows and target:
                scenario = staffing_svc.plan_scenario(
                    rows=rows, interval_minutes=plan_form.cleaned_data["interval"], target=target
                )
                initial = {"name": _("Staffing plan played"), "scenario": scenario}
    form = RunForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run = runs.run_create(
                actor=request.user, name=form.cleaned_data["name"], scenario=form.cleaned_data["scenario"]
            )
        except KefuError as exc:
            apply_error(form, exc, field_by_code={"invalid_scenario": "scenario"})
        else:
            return redirect("simulation:run", pk=run.pk)
    return render(request, "simulation/run_form.html", {"form": form})


@perm_required("simulation.run.view")
def run_detail(request, pk: int):
    run = or_404(selectors.run_get, actor=request.user, run_id=pk)
    if request.headers.get("HX-Request"):
        return render(request, "simulation/partials/_progress.html", {"run": run})
    result = run.result or {}
    width = int(run.scenario.get("interval_seconds", 1800))
    intervals = result.get("intervals", [])
    chart = {
        "labels": {
            "sl": _("Service level (%)"),
            "asa": _("ASA (s)"),
            "abandon": _("Abandonment (%)"),
            "occupancy": _("Occupancy (%)"),
            "arrived": _("Calls"),
        },
        "rows": [
            {"start": f"{i * width // 3600:02d}:{i * width % 3600 // 60:02d}", **iv}
            for i, iv in enumerate(intervals)
        ],
    }
    return render(
        request,
        "simulation/run_detail.html",
        {
            "run": run,
            "total": result.get("total", {}),
            "ci": result.get("ci", {}),
            "chart": chart,
            "scenario_json": json.dumps(run.scenario, ensure_ascii=False, indent=1),
        },
    )
