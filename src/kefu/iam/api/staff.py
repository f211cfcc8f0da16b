"""Staff (人员): list and search, create, read, change, status, password reset, unlock, skills."""

from django.http import HttpRequest
from ninja import Query, Schema
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination

from .. import selectors
from ..services import skills as skill_services
from ..services import staff as staff_services
from .refs import body_ref
from .router import router
from .schemas import (
    PasswordIn,
    SkillLevelSetIn,
    StaffCreateIn,
    StaffDetailOut,
    StaffOut,
    StaffUpdateIn,
    StatusIn,
)


class StaffFilters(Schema):
    org_id: int | None = None
    role_id: int | None = None
    team_id: int | None = None
    position: str = ""
    status: str = ""
    q: str = ""


@router.get("/staff", response=list[StaffOut], summary="List and search staff")
@requires("iam.staff.view")
@paginate(Pagination)
def staff_list(request: HttpRequest, filters: Query[StaffFilters]):
    """People in your organisation subtree; ``q`` matches an employee-number prefix or part of a name."""
    f = filters.dict()
    f["q"] = f["q"][:64]
    return selectors.staff_list(actor=actor_of(request), **f)


@router.post("/staff", response={201: StaffDetailOut}, summary="Create a staff member")
@requires("iam.staff.create")
def staff_create(request: HttpRequest, payload: StaffCreateIn):
    actor = actor_of(request)
    data = payload.dict()
    org = body_ref(selectors.visible_org, "org_id", actor=actor, org_id=data.pop("org_id"))
    role_id, team_id = data.pop("role_id"), data.pop("team_id")
    role = body_ref(selectors.role_get, "role_id", role_id=role_id) if role_id else None
    team = body_ref(selectors.team_get, "team_id", actor=actor, team_id=team_id) if team_id else None
    skills = [
        (body_ref(selectors.skill_group_get, "skills", group_id=s["skill_group_id"]), s["level"])
        for s in data.pop("skills")
    ]
    staff = staff_services.staff_create(actor=actor, org=org, role=role, team=team, skills=skills, **data)
    return 201, staff


@router.get("/staff/{int:staff_id}", response=StaffDetailOut, summary="One staff member")
@requires("iam.staff.view")
def staff_detail(request: HttpRequest, staff_id: int):
    return selectors.staff_get(actor=actor_of(request), staff_id=staff_id)


@router.patch("/staff/{int:staff_id}", response=StaffDetailOut, summary="Change a staff member")
@requires("iam.staff.edit")
def staff_update(request: HttpRequest, staff_id: int, payload: StaffUpdateIn):
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    changes = payload.dict(exclude_unset=True)
    if "org_id" in changes:
        changes["org"] = body_ref(selectors.visible_org, "org_id", actor=actor, org_id=changes.pop("org_id"))
    if "role_id" in changes:
        role_id = changes.pop("role_id")
        changes["role"] = body_ref(selectors.role_get, "role_id", role_id=role_id) if role_id else None
    if "team_id" in changes:
        team_id = changes.pop("team_id")
        changes["team"] = body_ref(selectors.team_get, "team_id", actor=actor, team_id=team_id) if team_id else None
    for key in ("name", "position", "status", "gender", "level"):
        if key in changes and changes[key] is None:
            changes.pop(key)  # null means "leave as is" for fields that cannot be empty
    return staff_services.staff_update(actor=actor, staff=staff, **changes)


@router.delete("/staff/{int:staff_id}", response=StaffDetailOut, summary="Mark a staff member as left")
@requires("iam.staff.edit")
def staff_delete(request: HttpRequest, staff_id: int):
    """People are never erased (the audit log and work orders refer to them): they are marked as left."""
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    return staff_services.staff_set_status(actor=actor, staff=staff, status="left")


@router.post("/staff/{int:staff_id}/status", response=StaffDetailOut, summary="Change status")
@requires("iam.staff.edit")
def staff_status(request: HttpRequest, staff_id: int, payload: StatusIn):
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    return staff_services.staff_set_status(actor=actor, staff=staff, status=payload.status)


@router.post("/staff/{int:staff_id}/reset-password", response=StaffDetailOut, summary="Reset a password")
@requires("iam.staff.reset_password")
def staff_reset_password(request: HttpRequest, staff_id: int, payload: PasswordIn):
    """Sets a new password that follows the policy; also lifts a lockout."""
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    return staff_services.staff_reset_password(actor=actor, staff=staff, password=payload.password)


@router.post("/staff/{int:staff_id}/unlock", response=StaffDetailOut, summary="Lift a login lockout")
@requires("iam.staff.reset_password")
def staff_unlock(request: HttpRequest, staff_id: int):
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    return staff_services.staff_unlock(actor=actor, staff=staff)


@router.put("/staff/{int:staff_id}/skills/{int:group_id}", response=StaffDetailOut, summary="Set a skill level")
@requires("iam.skill.edit")
def staff_skill_set(request: HttpRequest, staff_id: int, group_id: int, payload: SkillLevelSetIn):
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    group = selectors.skill_group_get(group_id=group_id)
    skill_services.staff_skill_set(actor=actor, staff=staff, skill_group=group, level=payload.level)
    return staff


@router.delete("/staff/{int:staff_id}/skills/{int:group_id}", response=StaffDetailOut, summary="Remove a skill")
@requires("iam.skill.edit")
def staff_skill_remove(request: HttpRequest, staff_id: int, group_id: int):
    actor = actor_of(request)
    staff = selectors.staff_get(actor=actor, staff_id=staff_id)
    group = selectors.skill_group_get(group_id=group_id)
    skill_services.staff_skill_remove(actor=actor, staff=staff, skill_group=group)
    return staff
