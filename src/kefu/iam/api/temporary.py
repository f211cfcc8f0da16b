"""Temporary permissions (临时权限): grant to named holders for a window, list by state, change, revoke."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.pagination import paginate

from kefu.core import clock
from kefu.core.access import actor_of, requires
from kefu.core.errors import ValidationFailed
from kefu.core.pagination import Pagination

from .. import selectors
from ..services import temporary as temporary_services
from .refs import body_ref
from .router import router
from .schemas import TemporaryIn, TemporaryOut, TemporaryUpdateIn


@router.get("/temporary", response=list[TemporaryOut], summary="List temporary permissions")
@requires("iam.temporary.view")
@paginate(Pagination)
def temporary_list(request: HttpRequest, state: str = ""):
    """``state``: active, upcoming, ended or revoked (empty: all)."""
    return selectors.temporary_list(actor=actor_of(request), state=state[:16])


@router.post("/temporary", response={201: TemporaryOut}, summary="Grant a temporary permission")
@requires("iam.temporary.edit")
def temporary_create(request: HttpRequest, payload: TemporaryIn):
    """Holders by ``holder_ids`` and/or ``holder_employee_nos``; ``starts_at`` defaults to now."""
    actor = actor_of(request)
    holders = [body_ref(selectors.staff_get, "holder_ids", actor=actor, staff_id=i)
               for i in dict.fromkeys(payload.holder_ids)]
    by_no, missing = selectors.staff_by_employee_nos(actor=actor, employee_nos=payload.holder_employee_nos)
    if missing:
        raise ValidationFailed(_("Unknown employee number(s): %(nos)s") % {"nos": ", ".join(missing)},
                               code="unknown_staff", details={"field": "holder_employee_nos", "unknown": missing})
    tp = temporary_services.temporary_permission_grant(
        actor=actor, reason=payload.reason, codes=payload.codes, holders=holders + by_no,
        starts_at=payload.starts_at or clock.now(), ends_at=payload.ends_at,
    )
    return 201, selectors.temporary_get(actor=actor, tp_id=tp.pk)


@router.get("/temporary/{int:tp_id}", response=TemporaryOut, summary="One temporary permission")
@requires("iam.temporary.view")
def temporary_detail(request: HttpRequest, tp_id: int):
    return selectors.temporary_get(actor=actor_of(request), tp_id=tp_id)


@router.patch("/temporary/{int:tp_id}", response=TemporaryOut, summary="Extend, shorten or re-explain")
@requires("iam.temporary.edit")
def temporary_update(request: HttpRequest, tp_id: int, payload: TemporaryUpdateIn):
    actor = actor_of(request)
    tp = selectors.temporary_get(actor=actor, tp_id=tp_id)
    temporary_services.temporary_permission_update(actor=actor, tp=tp, **payload.dict(exclude_none=True))
    return selectors.temporary_get(actor=actor, tp_id=tp_id)


@router.post("/temporary/{int:tp_id}/revoke", response=TemporaryOut, summary="Revoke now")
@requires("iam.temporary.edit")
def temporary_revoke(request: HttpRequest, tp_id: int):
    actor = actor_of(request)
    tp = selectors.temporary_get(actor=actor, tp_id=tp_id)
    temporary_services.temporary_permission_revoke(actor=actor, tp=tp)
    return selectors.temporary_get(actor=actor, tp_id=tp_id)
