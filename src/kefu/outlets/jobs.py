"""Background jobs of the outlets (run by ``kefu worker`` or Celery beat)."""

import os
from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(seconds=1))
def dispatch_messages() -> int:
    from .services.sending import messages_dispatch

    result = messages_dispatch(worker=f"{os.uname().nodename}:{os.getpid()}")
    return result.sent + result.failed
