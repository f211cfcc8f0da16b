"""Background jobs of the work-order engine (run by ``kefu worker``)."""

import os
from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(seconds=5))
def sweep_timers() -> int:
    from .services.timers import timers_sweep

    return timers_sweep(worker=f"{os.uname().nodename}:{os.getpid()}")


@periodic(every=timedelta(hours=1))
def suggestion_digests() -> int:
    from .services.digests import suggestion_digests_due

    return suggestion_digests_due()


@periodic(every=timedelta(seconds=3))
def run_exports() -> int:
    from .services.exports import exports_pending

    return exports_pending()
