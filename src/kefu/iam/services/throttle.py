"""Lifting a client address's login block before its window runs out (see ``kefu.iam.auth``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import NotFound

from ..models import LoginThrottle
from ..selectors import check_over_all_addresses


@transaction.atomic
def login_block_lift(*, actor, block_id: int) -> LoginThrottle:
    """Unblock the client address of ``block_id`` at once and start its count afresh; audited."""
    check_over_all_addresses(actor)
    row = LoginThrottle.objects.select_for_update().filter(pk=block_id).first()
    if row is None:
        raise NotFound(_("No login block %(id)s.") % {"id": block_id}, code="login_block_not_found")
    now = clock.now()
    if row.blocked_until is not None and row.blocked_until > now:
        audit_record(actor=actor, action=AuditAction.UNLOCK, object_type="iam.client_address",
                     object_id=row.address, object_repr=row.address,
                     changes={"blocked_until": [row.blocked_until.isoformat(), None]},
                     note=f"{row.failures} failed logins")
    row.failures, row.window_started_at, row.blocked_until = 0, now, None
    row.save(update_fields=["failures", "window_started_at", "blocked_until"])
    return row
