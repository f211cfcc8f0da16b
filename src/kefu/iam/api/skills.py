"""Skill groups (技能组): CRUD, and the people holding each at a level 1–10."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination

from .. import selectors
from ..services import skills as skill_services
from .refs import body_ref
from .router import router
from .schemas import HoldersIn, Message, SkillGroupIn, SkillGroupOut, SkillGroupUpdateIn, SkillHolderOut


@router.get("/skill-groups", response=list[SkillGroupOut], summary="List skill groups")
@requires("iam.skill.view")
@paginate(Pagination)
def skill_group_list(request: HttpRequest, q: str = ""):
    return selectors.skill_group_list(q=q[:64])


@router.post("/skill-groups", response={201: SkillGroupOut}, summary="Create a skill group")
@requires("iam.skill.edit")
def skill_group_create(request: HttpRequest, payload: SkillGroupIn):
    group = skill_services.skill_group_create(actor=actor_of(request), **payload.dict())
    return 201, selectors.skill_group_get(group_id=group.pk)


@router.get("/skill-groups/{int:group_id}", response=SkillGroupOut, summary="One skill group")
@requires("iam.skill.view")
def skill_group_detail(request: HttpRequest, group_id: int):
    return selectors.skill_group_get(group_id=group_id)


@router.patch("/skill-groups/{int:group_id}", response=SkillGroupOut, summary="Rename or describe")
@requires("iam.skill.edit")
def skill_group_update(request: HttpRequest, group_id: int, payload: SkillGroupUpdateIn):
    group = selectors.skill_group_get(group_id=group_id)
    skill_services.skill_group_update(actor=actor_of(request), group=group,
                                      **payload.dict(exclude_unset=True, exclude_none=True))
    return selectors.skill_group_get(group_id=group_id)


@router.delete("/skill-groups/{int:group_id}", response=Message, summary="Delete (its people stay)")
@requires("iam.skill.edit")
def skill_group_delete(request: HttpRequest, group_id: int):
    group = selectors.skill_group_get(group_id=group_id)
    count = skill_services.skill_group_delete(actor=actor_of(request), group=group)
    return {"message": _("Skill group deleted; %(count)d people lost this skill.") % {"count": count}}


@router.get("/skill-groups/{int:group_id}/members", response=list[SkillHolderOut], summary="Who holds it, at what level")
@requires("iam.skill.view")
def skill_group_members(request: HttpRequest, group_id: int):
    group = selectors.skill_group_get(group_id=group_id)
    return list(selectors.skill_group_holders(actor=actor_of(request), group=group))


@router.post("/skill-groups/{int:group_id}/members", response=list[SkillHolderOut],
             summary="Assign people to the skill group at levels 1–10")
@requires("iam.skill.edit")
def skill_group_members_assign(request: HttpRequest, group_id: int, payload: HoldersIn):
    """All or nothing: one unknown person or bad level leaves every level as it was."""
    actor = actor_of(request)
    group = selectors.skill_group_get(group_id=group_id)
    levels = [(body_ref(selectors.staff_get, "members", actor=actor, staff_id=m.staff_id), m.level)
              for m in payload.members]
    skill_services.skill_group_assign(actor=actor, group=group, levels=levels)
    return list(selectors.skill_group_holders(actor=actor, group=group))


@router.delete("/skill-groups/{int:group_id}/members/{int:staff_id}", response=Message,
               summary="Take the skill from a person")
@requires("iam.skill.edit")
def skill_group_member_remove(request: HttpRequest, group_id: int, staff_id: int):
    actor = actor_of(request)
    group = selectors.skill_group_get(group_id=group_id)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    skill_services.staff_skill_remove(actor=actor, staff=staff, skill_group=group)
    return {"message": _("%(name)s no longer holds this skill.") % {"name": staff.name}}
