"""Who am I: the person behind the session or token, and what they may do."""

from django.http import HttpRequest

from kefu.core.access import actor_of, requires

from .. import permissions, selectors
from ..services import staff as staff_services
from .router import router
from .schemas import MeOut, Message, OwnPasswordIn


@router.get("/me", response=MeOut, summary="Who am I, with my effective permission codes")
@requires()
def me(request: HttpRequest):
    actor = actor_of(request)
    actor.is_super = permissions.is_super(actor)
    actor.permissions = selectors.effective_permission_codes(staff=actor)
    return actor


@router.post("/me/password", response=Message, summary="Change my own password")
@requires()
def me_password(request: HttpRequest, payload: OwnPasswordIn):
    """The current password is required; the new one must follow the password policy."""
    from django.contrib.auth import update_session_auth_hash
    from django.utils.translation import gettext as _

    actor = actor_of(request)
    staff = staff_services.staff_change_own_password(actor=actor, old_password=payload.old_password,
                                                     new_password=payload.new_password)
    if request.user.is_authenticated and request.user.pk == staff.pk:
        update_session_auth_hash(request, staff)  # stay logged in here; other sessions end
    return {"message": _("Your password has been changed.")}
