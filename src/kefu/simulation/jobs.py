"""Simulation runs are played by the background worker, in a thread of their own, one at a time."""

from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(seconds=2))
def simulation_runs() -> int:
    from .services.runs import runs_pending

    return runs_pending(background=True)
