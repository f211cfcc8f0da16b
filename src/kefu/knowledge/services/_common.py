"""Small helpers shared by the knowledge services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.core.errors import Conflict


def staff_or_none(actor):
    """The staff row behind ``actor``, or None for a system actor (a string)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def label_of(actor) -> str:
    staff = staff_or_none(actor)
    return (f"{staff.employee_no} {staff.name}" if staff is not None else str(actor))[:100]


def check_revision(obj, revision: int | None) -> None:
    """Optimistic locking: a caller that read an older revision must reload."""
    if revision is not None and revision != obj.revision:
        raise Conflict(
            _("Someone else changed this in the meantime; reload it and apply your change again."),
            code="stale", details={"revision": obj.revision},
        )
