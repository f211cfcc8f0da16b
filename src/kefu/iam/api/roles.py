"""Roles (角色): list with member counts, create, read, rename, delete."""

from django.http import HttpRequest
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination

from .. import selectors
from ..services import roles as role_services
from .router import router
from .schemas import Message, RoleIn, RoleOut, RoleUpdateIn


@router.get("/roles", response=list[RoleOut], summary="List roles with member counts")
@requires("iam.role.view")
@paginate(Pagination)
def role_list(request: HttpRequest, q: str = ""):
    return selectors.role_list(q=q[:64])


@router.post("/roles", response={201: RoleOut}, summary="Create a role")
@requires("iam.role.edit")
def role_create(request: HttpRequest, payload: RoleIn):
    role = role_services.role_create(actor=actor_of(request), **payload.dict())
    return 201, selectors.role_get(role_id=role.pk)


@router.get("/roles/{int:role_id}", response=RoleOut, summary="One role")
@requires("iam.role.view")
def role_detail(request: HttpRequest, role_id: int):
    return selectors.role_get(role_id=role_id)


@router.patch("/roles/{int:role_id}", response=RoleOut, summary="Rename or describe a role")
@requires("iam.role.edit")
def role_update(request: HttpRequest, role_id: int, payload: RoleUpdateIn):
    role = selectors.role_get(role_id=role_id)
    role_services.role_update(actor=actor_of(request), role=role, **payload.dict(exclude_unset=True,
                                                                                  exclude_none=True))
    return selectors.role_get(role_id=role_id)


@router.delete("/roles/{int:role_id}", response=Message, summary="Delete a role (its people stay)")
@requires("iam.role.edit")
def role_delete(request: HttpRequest, role_id: int):
    from django.utils.translation import gettext as _

    role = selectors.role_get(role_id=role_id)
    count = role_services.role_delete(actor=actor_of(request), role=role)
    return {"message": _("Role deleted; %(count)d people kept without a role.") % {"count": count}}
