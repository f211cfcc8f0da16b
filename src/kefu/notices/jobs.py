"""Background jobs of the notices (run by ``kefu worker`` or Celery beat): fan-out, following, callbacks."""

import os
from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(seconds=1))
def fanout_requests() -> int:
    from .services.fanout import requests_fanout

    return requests_fanout(worker=f"{os.uname().nodename}:{os.getpid()}")


@periodic(every=timedelta(seconds=2))
def follow_requests() -> int:
    from .services.reporting import requests_follow

    return requests_follow()


@periodic(every=timedelta(seconds=1))
def send_callbacks() -> int:
    from .services.callbacks import callbacks_send

    return callbacks_send()
