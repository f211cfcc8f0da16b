"""API tokens: create (the secret is answered once), list, revoke.

Everyone with ``iam.token.manage`` manages their own tokens; with
``iam.token.manage_all`` also everyone's in their scope (``?everyone=true``).
"""

from django.http import HttpRequest
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.errors import PermissionDenied
from kefu.core.pagination import Pagination

from .. import permissions, selectors
from ..services import tokens as token_services
from .refs import body_ref
from .router import router
from .schemas import TokenCreatedOut, TokenIn, TokenOut


@router.get("/tokens", response=list[TokenOut], summary="List API tokens")
@requires("iam.token.manage")
@paginate(Pagination)
def token_list(request: HttpRequest, everyone: bool = False):
    return selectors.token_list(actor=actor_of(request), everyone=everyone)


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create an API token")
@requires("iam.token.manage")
def token_create(request: HttpRequest, payload: TokenIn):
    """The answer's ``token`` is the only time the secret is shown; Kefu stores its SHA-256 only."""
    from django.utils.translation import gettext as _

    actor = actor_of(request)
    staff = None
    if payload.staff_id and payload.staff_id != actor.pk:
        if not permissions.has_perm(actor, selectors.MANAGE_ALL_TOKENS):
            raise PermissionDenied(_("You may only create tokens for yourself."),
                                   details={"required": [selectors.MANAGE_ALL_TOKENS]})
        staff = body_ref(selectors.staff_get, "staff_id", actor=actor, staff_id=payload.staff_id)
    token, secret = token_services.api_token_create(actor=actor, name=payload.name, staff=staff,
                                                    expires_at=payload.expires_at)
    token.token = secret
    return 201, token


@router.post("/tokens/{int:token_id}/revoke", response=TokenOut, summary="Revoke an API token")
@requires("iam.token.manage")
def token_revoke(request: HttpRequest, token_id: int):
    actor = actor_of(request)
    token = selectors.token_get(actor=actor, token_id=token_id)
    return token_services.api_token_revoke(actor=actor, token=token)
