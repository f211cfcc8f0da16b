"""Teams (班组): list, create, read, rename, delete; members (agents only)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination

from .. import selectors
from ..services import teams as team_services
from .refs import body_ref
from .router import router
from .schemas import MemberIn, MemberOut, Message, TeamIn, TeamOut, TeamUpdateIn


@router.get("/teams", response=list[TeamOut], summary="List teams in your scope")
@requires("iam.team.view")
@paginate(Pagination)
def team_list(request: HttpRequest, org_id: int | None = None, q: str = ""):
    return selectors.team_list(actor=actor_of(request), org_id=org_id, q=q[:64])


@router.post("/teams", response={201: TeamOut}, summary="Create a team")
@requires("iam.team.edit")
def team_create(request: HttpRequest, payload: TeamIn):
    actor = actor_of(request)
    org = body_ref(selectors.visible_org, "org_id", actor=actor, org_id=payload.org_id)
    leader = (body_ref(selectors.staff_get, "leader_id", actor=actor, staff_id=payload.leader_id)
              if payload.leader_id else None)
    team = team_services.team_create(actor=actor, name=payload.name, org=org, leader=leader,
                                     description=payload.description)
    return 201, selectors.team_get(actor=actor, team_id=team.pk)


@router.get("/teams/{int:team_id}", response=TeamOut, summary="One team")
@requires("iam.team.view")
def team_detail(request: HttpRequest, team_id: int):
    return selectors.team_get(actor=actor_of(request), team_id=team_id)


@router.patch("/teams/{int:team_id}", response=TeamOut, summary="Rename a team or change its leader")
@requires("iam.team.edit")
def team_update(request: HttpRequest, team_id: int, payload: TeamUpdateIn):
    actor = actor_of(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    changes = payload.dict(exclude_unset=True)
    if "leader_id" in changes:
        leader_id = changes.pop("leader_id")
        changes["leader"] = (body_ref(selectors.staff_get, "leader_id", actor=actor, staff_id=leader_id)
                             if leader_id else None)
    changes = {k: v for k, v in changes.items() if v is not None or k == "leader"}
    team_services.team_update(actor=actor, team=team, **changes)
    return selectors.team_get(actor=actor, team_id=team_id)


@router.delete("/teams/{int:team_id}", response=Message, summary="Delete a team (its people stay)")
@requires("iam.team.edit")
def team_delete(request: HttpRequest, team_id: int):
    actor = actor_of(request)
    count = team_services.team_delete(actor=actor, team=selectors.team_get(actor=actor, team_id=team_id))
    return {"message": _("Team deleted; %(count)d people kept without a team.") % {"count": count}}


@router.get("/teams/{int:team_id}/members", response=list[MemberOut], summary="Members of a team")
@requires("iam.team.view")
def team_members(request: HttpRequest, team_id: int):
    team = selectors.team_get(actor=actor_of(request), team_id=team_id)
    return list(selectors.team_members(team=team))


@router.post("/teams/{int:team_id}/members", response={201: MemberOut}, summary="Add an agent to a team")
@requires("iam.team.edit")
def team_member_add(request: HttpRequest, team_id: int, payload: MemberIn):
    """Teams hold agents only: anyone else is refused with 400 ``team_agents_only``."""
    actor = actor_of(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    staff = body_ref(selectors.staff_get, "staff_id", actor=actor, staff_id=payload.staff_id)
    return 201, team_services.team_add_member(actor=actor, team=team, staff=staff)


@router.delete("/teams/{int:team_id}/members/{int:staff_id}", response=Message, summary="Remove a member")
@requires("iam.team.edit")
def team_member_remove(request: HttpRequest, team_id: int, staff_id: int):
    actor = actor_of(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    team_services.team_remove_member(actor=actor, team=team, staff=staff)
    return {"message": _("%(name)s left the team.") % {"name": staff.name}}
