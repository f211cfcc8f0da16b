"""The simulated switch's identity: a staff member holding ``contactcenter.cti.connect`` and its API token.

A real switch is given a token by an administrator (iam: API tokens). The
demo and ``kefu manage simswitch`` run next to the database, so they make
the account and a fresh token themselves, through the iam services (audited).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction

from kefu.core import clock

SWITCH_EMPLOYEE_NO = "switch"
TOKEN_NAME = "simulated switch"
ACTOR = "simswitch"


@transaction.atomic
def switch_staff_ensure(*, org=None):
    """The switch's staff member (created once, at the root organisation unless told)."""
    from kefu.iam.selectors import staff_find
    from kefu.iam.services.roles import staff_grant
    from kefu.iam.services.staff import staff_create
    from kefu.orgs.selectors import org_root

    from ..cti.auth import PERMISSION

    staff = staff_find(employee_no=SWITCH_EMPLOYEE_NO)
    if staff is None:
        org = org or org_root()
        if org is None:
            raise RuntimeError("no organisation yet: seed the center first (kefu seed)")
        staff = staff_create(actor=ACTOR, employee_no=SWITCH_EMPLOYEE_NO, name="模拟交换机", org=org,
                             password=secrets.token_urlsafe(24), position="admin", validate=False)
    staff_grant(actor=ACTOR, staff=staff, codes=[PERMISSION])  # a no-op when held
    return staff


@transaction.atomic
def switch_token_issue(*, valid_for: timedelta = timedelta(days=1)) -> str:
    """A new token for the switch, for one run.

    Tokens are not reused (only their hash is kept) nor revoked here, so two
    simulated switches may run side by side; each token expires by itself.
    """
    from kefu.iam.services.tokens import api_token_create

    staff = switch_staff_ensure()
    _token, secret = api_token_create(actor=ACTOR, name=TOKEN_NAME, staff=staff, expires_at=clock.now() + valid_for)
    return secret
