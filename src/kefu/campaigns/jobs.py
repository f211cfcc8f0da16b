"""Campaign jobs: put due targets in flight (pacing, hours, retries) and read imports, with progress."""

from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(seconds=1))
def campaigns_tick() -> int:
    from .services.dispatch import campaigns_dispatch

    return campaigns_dispatch()


@periodic(every=timedelta(seconds=2))
def campaign_imports() -> int:
    from .services.imports import imports_pending

    return imports_pending()
