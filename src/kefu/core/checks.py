"""Deployment checks (``kefu manage check --deploy``)."""

from django.core.checks import Warning, register
from django.db import connections


@register(deploy=True)
def application_database_role(app_configs=None, **kwargs):
    """On PostgreSQL Kefu must not run as a superuser or as the owner of the audit log (decision 0019)."""
    from . import dbroles

    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []
    try:
        reasons = dbroles.application_role_warnings(connection)
    except Exception as exc:  # the database may be unreachable while checking
        return [Warning(f"Could not check the database role: {exc}", id="kefu.W002")]
    return [Warning(
        f"The application {reason}: it could disable the audit log's triggers or truncate it.",
        hint="Set DATABASE_URL to a role made by `kefu manage db_roles` and KEFU_MIGRATE_DATABASE_URL to the owner.",
        id="kefu.W001") for reason in reasons]
