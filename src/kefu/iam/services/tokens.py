"""API tokens for integrations (see ``auth.TokenAuth``).

The token reads ``kefu_<prefix>_<secret>``. Only the SHA-256 of the whole
string is stored, so the secret is shown once, at creation, and never again;
the prefix finds the row without scanning. A token acts with its person's
permissions, whatever they are at the time of each request.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed

from .. import permissions
from ..auth import TOKEN_PREFIX, hash_token
from ..models import ApiToken, Staff
from .checks import check_lengths, check_required
from .guards import check_can_delegate, check_super_target, is_person


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(4)  # hex: never contains the "_" separator
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_token_create(*, actor, name: str, staff: Staff | None = None,
                     expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``staff`` (default: the actor); returns it and the one-time secret.

    A token for someone else would let the creator act as that person, so
    the creator must hold every permission that person holds.
    """
    if staff is None:
        if not is_person(actor):
            raise ValueError("a system actor must name the token's staff member")
        staff = actor
    name = check_required(name, _("name"))
    if not staff.is_active:
        raise ValidationFailed(_("%(name)s is not active; a token would not work.") % {"name": staff.name},
                               code="staff_inactive")
    if is_person(actor) and actor.pk != staff.pk:
        check_super_target(actor, staff)
        check_can_delegate(actor, sorted(permissions.effective_codes(staff)))
    if expires_at is not None and expires_at <= clock.now():
        raise ValidationFailed(_("The expiry must be in the future."), code="invalid_expiry")
    for _attempt in range(5):
        prefix, secret = _new_secret()
        token = ApiToken(staff=staff, name=name, prefix=prefix, token_hash=hash_token(secret),
                         expires_at=expires_at, created_at=clock.now())
        check_lengths(token, ("name",))
        try:
            with transaction.atomic():
                token.save()
            break
        except IntegrityError:
            continue  # prefix collision: 1 in 4 billion, try another
    else:  # pragma: no cover
        raise RuntimeError("could not allocate a unique token prefix")
    audit_record(actor=actor, action=AuditAction.CREATE, obj=token, object_repr=f"{name} ({prefix}…)",
                 changes={"name": [None, name], "staff": [None, staff.employee_no], "prefix": [None, prefix],
                          "expires_at": [None, expires_at]})
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke at once; the next request with the token is refused. Idempotent."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditAction.REVOKE, obj=token, object_repr=f"{token.name} ({token.prefix}…)",
                     changes={"revoked_at": [None, token.revoked_at]})
    return token
