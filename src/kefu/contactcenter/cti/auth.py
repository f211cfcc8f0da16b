"""Who may speak for a switch: an API token whose staff member holds ``contactcenter.cti.connect``."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils.translation import gettext as _

from kefu.core.errors import NotAuthenticated, PermissionDenied
from kefu.iam.auth import TokenAuth
from kefu.iam.permissions import has_perm

PERMISSION = "contactcenter.cti.connect"


def switch_staff(token: str | None):
    """The staff member behind ``token`` if it may connect a switch; raises 401/403 errors otherwise.

    Checked again for every event on a long-lived socket, so a revoked token
    or a withdrawn permission stops the switch at its next message.
    """
    staff = TokenAuth().authenticate(SimpleNamespace(), token) if token else None
    if staff is None:
        raise NotAuthenticated(_("Present a valid API token to connect a switch."), code="not_authenticated")
    if not has_perm(staff, PERMISSION):
        raise PermissionDenied(_("This token's staff member may not connect a switch."), code="permission_denied",
                               details={"required": [PERMISSION]})
    return staff
