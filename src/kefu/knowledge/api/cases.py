
from ninja import Query, Router
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination

from .. import selectors
from ..services import cases as services
from ..visibility import CASE_EDIT, CASE_VIEW
from .schemas import CaseFilters, CaseFromOrderIn, CaseIn, CaseOut, CasePatch, RevisionIn

router = Router()


@router.get("/cases", response=list[CaseOut], summary="Cases (readers: published ones; editors: all)")
@requires(CASE_VIEW, CASE_EDIT, any_of=True)
@paginate(Pagination)
def case_list(request, filters: Query[CaseFilters]):
    return selectors.case_list(actor=actor_of(request), **filters.dict())


@router.post("/cases", response={201: CaseOut}, summary="Write a case by hand (text is cleaned)")
@requires(CASE_EDIT)
def case_create(request, payload: CaseIn):
    data = services.CaseData(title=payload.title, situation=payload.situation, solution=payload.solution,
                             category=payload.category, subcategory=payload.subcategory)
    return 201, services.case_create(actor=actor_of(request), data=data, publish=payload.publish)


@router.post("/cases/from-order", response={201: CaseOut}, summary="Make a case of a closed work order")
@requires(CASE_EDIT, "workorders.order.view")
def case_from_order(request, payload: CaseFromOrderIn):
    """The order's description becomes the situation, its result and reply the
    solution (unless given); phone and ID numbers and the customer's name are
    masked. One case per order (409 on a second)."""
    actor = actor_of(request)
    order = selectors.order_for_case(actor=actor, serial=payload.serial)
    return 201, services.case_from_order(
        actor=actor, order=order, title=payload.title, category=payload.category, solution=payload.solution,
        subcategory=payload.subcategory, publish=payload.publish,
    )


@router.get("/cases/{int:case_id}", response=CaseOut, summary="One case")
@requires(CASE_VIEW, CASE_EDIT, any_of=True)
def case_get(request, case_id: int):
    return selectors.case_get(actor=actor_of(request), case_id=case_id)


@router.patch("/cases/{int:case_id}", response=CaseOut, summary="Change a case (text is cleaned)")
@requires(CASE_EDIT)
def case_update(request, case_id: int, payload: CasePatch):
    actor = actor_of(request)
    case = selectors.case_for_edit(actor=actor, case_id=case_id)
    changes = payload.dict(exclude_unset=True, exclude={"revision"})
    fields = ("title", "situation", "solution", "category", "subcategory")
    data = services.CaseData(**{f: changes[f] if changes.get(f) is not None else getattr(case, f) for f in fields})
    return services.case_update(actor=actor, case=case, data=data, revision=payload.revision)


@router.delete("/cases/{int:case_id}", response={204: None}, summary="Delete a case")
@requires(CASE_EDIT)
def case_delete(request, case_id: int):
    actor = actor_of(request)
    services.case_delete(actor=actor, case=selectors.case_for_edit(actor=actor, case_id=case_id))
    return 204, None


@router.post("/cases/{int:case_id}/publish", response=CaseOut, summary="Publish to every handler")
@requires(CASE_EDIT)
def case_publish(request, case_id: int, payload: RevisionIn):
    actor = actor_of(request)
    case = selectors.case_for_edit(actor=actor, case_id=case_id)
    return services.case_set_published(actor=actor, case=case, published=True, revision=payload.revision)


@router.post("/cases/{int:case_id}/unpublish", response=CaseOut, summary="Take a case back")
@requires(CASE_EDIT)
def case_unpublish(request, case_id: int, payload: RevisionIn):
    actor = actor_of(request)
    case = selectors.case_for_edit(actor=actor, case_id=case_id)
    return services.case_set_published(actor=actor, case=case, published=False, revision=payload.revision)
