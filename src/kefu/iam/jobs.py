"""Background jobs of the iam app."""

from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(seconds=30))
def expire_temporary_permissions() -> int:
    from .services.temporary import temporary_permissions_expire

    return temporary_permissions_expire()
