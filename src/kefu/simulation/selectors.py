"""Reads of simulation runs, scoped by organisation: another branch's run answers like a missing one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kefu.core.errors import NotFound
from kefu.orgs.selectors import scope_queryset

from .models import SimulationRun


def run_list(*, actor) -> QuerySet[SimulationRun]:
    return scope_queryset(SimulationRun.objects.select_related("owner"), actor)


def run_get(*, actor, run_id) -> SimulationRun:
    try:
        run = run_list(actor=actor).filter(pk=int(run_id)).first()
    except (TypeError, ValueError, OverflowError):
        run = None
    if run is None:
        raise NotFound(_("Simulation run not found."), code="run_not_found")
    return run
