"""Client addresses blocked after too many failed logins: list them, unblock one early."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination

from .. import selectors
from ..services import throttle as throttle_services
from .router import router


class LoginBlockOut(Schema):
    id: int
    address: str
    failures: int
    blocked_until: datetime | None = None


@router.get("/login-blocks", response=list[LoginBlockOut], summary="Client addresses blocked from logging in")
@requires("iam.staff.reset_password")
@paginate(Pagination)
def login_block_list(request: HttpRequest):
    """Addresses blocked now after too many failed logins (any accounts). Only for someone over all
    organisations: an address serves every branch (403 ``address_out_of_reach`` otherwise)."""
    return selectors.login_blocks(actor=actor_of(request))


@router.post("/login-blocks/{int:block_id}/unblock", response=LoginBlockOut,
             summary="Unblock a client address before its window runs out")
@requires("iam.staff.reset_password")
def login_block_unblock(request: HttpRequest, block_id: int):
    """Lifts the block at once and starts the address's count afresh; audited (``unlock`` of
    ``iam.client_address``). Only for someone over all organisations."""
    return throttle_services.login_block_lift(actor=actor_of(request), block_id=block_id)
