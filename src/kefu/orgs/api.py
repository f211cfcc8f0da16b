"""Organisation API: the tree, scoped lists, and the changes of ``services``.

Reads go through ``selectors`` so every answer is limited to the caller's
subtree; a node outside it answers 404 as if it did not exist.
"""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination
from kefu.core.schemas import InputSchema

from . import selectors, services
from .models import Organisation

router = Router(tags=["organisations"])


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    external_kind: str
    parent_id: int | None
    depth: int
    active: bool
    deactivated_at: datetime | None
    phone: str
    address: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(obj.get_kind_display())


class OrgNode(Schema):
    id: int
    code: str
    name: str
    kind: str
    external_kind: str
    active: bool
    children: list["OrgNode"] = []


OrgNode.model_rebuild()


class OrgFilters(Schema):
    kind: str | None = Field(None, max_length=16)
    active: bool | None = None
    search: str | None = Field(None, max_length=100, description="Part of the code or name")
    parent_id: int | None = None


class OrgCreateIn(InputSchema):
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=100)
    kind: str = Field(..., max_length=16)
    parent_id: int | None = None
    external_kind: str = Field("", max_length=24)
    phone: str = Field("", max_length=32)
    address: str = Field("", max_length=200)


class OrgUpdateIn(InputSchema):
    version: int = Field(..., description="The version you read; a stale one answers 409")
    name: str | None = Field(None, min_length=1, max_length=100)
    phone: str | None = Field(None, max_length=32)
    address: str | None = Field(None, max_length=200)
    external_kind: str | None = Field(None, max_length=24)


class OrgMoveIn(InputSchema):
    parent_id: int | None = Field(..., description="New parent; null for the top of the tree")
    version: int | None = None


def _node(org: Organisation) -> dict:
    return {
        "id": org.pk, "code": org.code, "name": org.name, "kind": org.kind,
        "external_kind": org.external_kind, "active": org.active,
        "children": [_node(c) for c in org.tree_children],
    }


@router.get("/tree", response=list[OrgNode], summary="Visible organisation tree, nested")
@requires("orgs.org.view")
def org_tree(request, include_inactive: bool = True):
    forest = selectors.org_forest(actor=actor_of(request), include_inactive=include_inactive)
    return [_node(root) for root in forest]


@router.get("/", response=list[OrgOut], summary="List visible organisations")
@requires("orgs.org.view")
@paginate(Pagination)
def org_list(request, filters: Query[OrgFilters]):
    return selectors.org_list(actor=actor_of(request), **filters.dict())


@router.get("/{int:org_id}", response=OrgOut, summary="One organisation")
@requires("orgs.org.view")
def org_get(request, org_id: int):
    return selectors.org_get_visible(actor=actor_of(request), org_id=org_id)


@router.post("/", response={201: OrgOut}, summary="Create an organisation")
@requires("orgs.org.edit")
def org_create(request, payload: OrgCreateIn):
    actor = actor_of(request)
    parent = selectors.org_parent_for(actor=actor, parent_id=payload.parent_id)
    org = services.org_create(
        actor=actor, code=payload.code, name=payload.name, kind=payload.kind, parent=parent,
        external_kind=payload.external_kind, phone=payload.phone, address=payload.address,
    )
    return 201, org


@router.patch("/{int:org_id}", response=OrgOut, summary="Change name, phone, address or external kind")
@requires("orgs.org.edit")
def org_update(request, org_id: int, payload: OrgUpdateIn):
    actor = actor_of(request)
    org = selectors.org_get_visible(actor=actor, org_id=org_id)
    return services.org_update(actor=actor, org=org, **payload.dict())


@router.post("/{int:org_id}/move", response=OrgOut, summary="Move under another parent")
@requires("orgs.org.edit")
def org_move(request, org_id: int, payload: OrgMoveIn):
    actor = actor_of(request)
    org = selectors.org_get_visible(actor=actor, org_id=org_id)
    parent = selectors.org_parent_for(actor=actor, parent_id=payload.parent_id)
    return services.org_move(actor=actor, org=org, new_parent=parent, version=payload.version)


@router.post("/{int:org_id}/deactivate", response=OrgOut, summary="Deactivate (keeps history)")
@requires("orgs.org.edit")
def org_deactivate(request, org_id: int):
    actor = actor_of(request)
    org = selectors.org_get_visible(actor=actor, org_id=org_id)
    return services.org_set_active(actor=actor, org=org, active=False)


@router.post("/{int:org_id}/activate", response=OrgOut, summary="Reactivate")
@requires("orgs.org.edit")
def org_activate(request, org_id: int):
    actor = actor_of(request)
    org = selectors.org_get_visible(actor=actor, org_id=org_id)
    return services.org_set_active(actor=actor, org=org, active=True)
