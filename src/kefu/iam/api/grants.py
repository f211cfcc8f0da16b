"""Grants of the permission tree to roles and to people, one by one or in batch.

``GET …/grants`` answers the tree flagged for the role or person;
``POST …/grants/grant`` and ``…/revoke`` take ``{"codes": [...]}``;
``PUT …/grants`` makes the direct grants match a tree-editor selection.
"""

from django.http import HttpRequest

from kefu.core.access import actor_of, requires

from .. import selectors
from ..services import roles as grant_services
from .refs import body_ref
from .router import router
from .schemas import (
    BatchGrantIn,
    BatchResultOut,
    CodesIn,
    EffectiveOut,
    GrantResultOut,
    SelectionIn,
    TreeNodeOut,
)


@router.get("/permissions", response=list[TreeNodeOut], summary="The permission tree")
@requires("iam.grant.view")
def permission_tree(request: HttpRequest):
    return selectors.permission_tree(actor=actor_of(request))


@router.get("/roles/{int:role_id}/grants", response=list[TreeNodeOut], summary="A role's grants as a tree")
@requires("iam.grant.view")
def role_grants(request: HttpRequest, role_id: int):
    role = selectors.role_get(role_id=role_id)
    return selectors.permission_tree(role=role, actor=actor_of(request))


@router.post("/roles/{int:role_id}/grants/grant", response=GrantResultOut, summary="Grant codes to a role")
@requires("iam.grant.edit")
def role_grant(request: HttpRequest, role_id: int, payload: CodesIn):
    role = selectors.role_get(role_id=role_id)
    return {"granted": grant_services.role_grant(actor=actor_of(request), role=role, codes=payload.codes)}


@router.post("/roles/{int:role_id}/grants/revoke", response=GrantResultOut, summary="Revoke codes from a role")
@requires("iam.grant.edit")
def role_revoke(request: HttpRequest, role_id: int, payload: CodesIn):
    role = selectors.role_get(role_id=role_id)
    return {"revoked": grant_services.role_revoke(actor=actor_of(request), role=role, codes=payload.codes)}


@router.put("/roles/{int:role_id}/grants", response=GrantResultOut, summary="Apply a tree selection to a role")
@requires("iam.grant.edit")
def role_grants_apply(request: HttpRequest, role_id: int, payload: SelectionIn):
    role = selectors.role_get(role_id=role_id)
    return grant_services.grants_apply_selection(actor=actor_of(request), role=role, codes=payload.codes)


@router.get("/staff/{int:staff_id}/grants", response=list[TreeNodeOut], summary="A person's grants as a tree")
@requires("iam.grant.view")
def staff_grants(request: HttpRequest, staff_id: int):
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    return selectors.permission_tree(staff=staff, actor=actor)


@router.post("/staff/{int:staff_id}/grants/grant", response=GrantResultOut, summary="Grant codes to a person")
@requires("iam.grant.edit")
def staff_grant(request: HttpRequest, staff_id: int, payload: CodesIn):
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    return {"granted": grant_services.staff_grant(actor=actor, staff=staff, codes=payload.codes)}


@router.post("/staff/{int:staff_id}/grants/revoke", response=GrantResultOut, summary="Revoke codes from a person")
@requires("iam.grant.edit")
def staff_revoke(request: HttpRequest, staff_id: int, payload: CodesIn):
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    return {"revoked": grant_services.staff_revoke(actor=actor, staff=staff, codes=payload.codes)}


@router.put("/staff/{int:staff_id}/grants", response=GrantResultOut, summary="Apply a tree selection to a person")
@requires("iam.grant.edit")
def staff_grants_apply(request: HttpRequest, staff_id: int, payload: SelectionIn):
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    return grant_services.grants_apply_selection(actor=actor, staff=staff, codes=payload.codes)


@router.get("/staff/{int:staff_id}/effective", response=list[EffectiveOut],
            summary="A person's effective permissions with their sources")
@requires("iam.grant.view")
def staff_effective(request: HttpRequest, staff_id: int):
    staff = selectors.staff_get(actor=actor_of(request), staff_id=staff_id)
    return selectors.effective_permissions(staff=staff)


@router.post("/grants/batch", response=BatchResultOut, summary="Grant or revoke codes for several roles and people")
@requires("iam.grant.edit")
def grants_batch(request: HttpRequest, payload: BatchGrantIn):
    """All or nothing: an unknown code, role or person aborts the whole batch."""
    actor = actor_of(request)
    roles = [body_ref(selectors.role_get, "role_ids", role_id=i) for i in dict.fromkeys(payload.role_ids)]
    people = [body_ref(selectors.staff_get, "staff_ids", actor=actor, staff_id=i)
              for i in dict.fromkeys(payload.staff_ids)]
    return grant_services.grants_batch(actor=actor, codes=payload.codes, roles=roles, staff=people,
                                       revoke=payload.revoke)
