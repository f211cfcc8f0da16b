"""Background job of the indicators: keep the interval rows of the last hours (and yesterday) rebuilt."""

from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(seconds=60))
def refresh_intervals() -> int:
    from .services.refresh import intervals_refresh

    return intervals_refresh()
