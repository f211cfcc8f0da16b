"""Simulation runs are played by the background worker, one at a time per pass."""

from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(seconds=2))
def simulation_runs() -> int:
    from .services.runs import runs_pending

    return runs_pending()
