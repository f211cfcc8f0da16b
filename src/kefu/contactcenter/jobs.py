"""Contact-center jobs: offers that time out, wrap-ups that end, max waits, dials the switch never answered,
callback retries that are due, and (inline) routing as a safety net."""

from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(seconds=1))
def contact_center_tick() -> int:
    from .services import router_inbox
    from .services.agents import wrap_ups_expire
    from .services.callbacks import callbacks_retry_due
    from .services.contacts import max_waits_apply, offers_expire
    from .services.dialer import dials_expire
    from .services.router import route

    n = offers_expire() + wrap_ups_expire() + max_waits_apply() + dials_expire() + callbacks_retry_due()
    if router_inbox.service_mode():
        return n  # the router service decides every second itself
    return n + len(route())
