"""Background jobs of the audit log (run by ``kefu worker`` or Celery beat)."""

from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(hours=6))
def archive_old_entries() -> int:
    """Export months older than the retention to files; never deletes (idempotent)."""
    from .archive import audit_archive_due

    return len(audit_archive_due())
