"""Reads of staff, roles, teams, skill groups, grants and tokens.

Lists of people and teams are limited to the actor's organisation subtree
with ``orgs.selectors.scope_queryset``; a lookup outside it is a 404, the
same answer as for an id that does not exist, so scope leaks nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import NotFound, PermissionDenied
from kefu.orgs.selectors import (
    SCOPE_ALL,
    holds_whole_tree,
    org_active_list,
    org_find,
    org_is_visible,
    scope_queryset,
    subtree_q,
)

from . import permissions, registry
from .models import (
    ApiToken,
    LoginThrottle,
    Role,
    RoleGrant,
    SkillGroup,
    Staff,
    StaffGrant,
    StaffSkill,
    Team,
    TemporaryPermission,
)

if TYPE_CHECKING:
    from kefu.orgs.models import Organisation


def _get(qs: QuerySet, pk, message: str, code: str):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(message, code=code) from None


# --- staff -------------------------------------------------------------------

def staff_queryset(*, actor) -> QuerySet:
    return scope_queryset(Staff.objects.select_related("org", "role", "team"), actor)


def staff_list(*, actor, org_id=None, role_id=None, team_id=None, position: str = "", status: str = "",
               q: str = "") -> QuerySet:
    """People the actor may see, filtered; ``org_id`` means that organisation's subtree."""
    qs = staff_queryset(actor=actor)
    if org_id:
        org = org_find(org_id=org_id)
        qs = qs.filter(subtree_q(org)) if org is not None else qs.none()
    if role_id:
        qs = qs.filter(role_id=role_id)
    if team_id:
        qs = qs.filter(team_id=team_id)
    if position:
        qs = qs.filter(position=position)
    if status:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        # employee_no prefix uses the unique index; names are short, a scan is fine.
        qs = qs.filter(Q(employee_no__istartswith=q) | Q(name__icontains=q))
    return qs.order_by("employee_no")


def staff_get(*, actor, staff_id) -> Staff:
    return _get(staff_queryset(actor=actor), staff_id,
                _("Staff member %(id)s does not exist.") % {"id": staff_id}, "staff_not_found")


def staff_by_employee_nos(*, actor, employee_nos) -> tuple[list[Staff], list[str]]:
    """People by 工号 within scope, and the numbers not found."""
    wanted = [n.strip() for n in employee_nos if n and n.strip()]
    found = {s.employee_no: s for s in staff_queryset(actor=actor).filter(employee_no__in=wanted)}
    return [found[n] for n in dict.fromkeys(wanted) if n in found], [n for n in wanted if n not in found]


def visible_org(*, actor, org_id) -> Organisation:
    """An organisation the actor may see, else 404 (existence is not revealed)."""
    org = org_find(org_id=org_id) if str(org_id).isdigit() else None
    if org is None or not org_is_visible(actor, org):
        raise NotFound(_("Organisation %(id)s does not exist.") % {"id": org_id}, code="org_not_found")
    return org


def visible_orgs(*, actor) -> QuerySet:
    return org_active_list(actor=actor)


# --- roles, teams, skill groups ----------------------------------------------

def role_list(*, q: str = "", actor=None) -> QuerySet:
    """Roles with their member counts. With ``actor``, each role carries ``read_only``: it is held by
    someone outside the actor's organisation subtree, so the actor may look but not change it
    (``services.guards.check_role_in_reach``)."""
    qs = Role.objects.annotate(member_count=Count("members", distinct=True))
    qs = qs.annotate(read_only=_held_outside(actor))
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("name")


def _held_outside(actor):
    from .services.guards import actor_is_super

    if actor is None or actor_is_super(actor) or permissions.has_perm(actor, SCOPE_ALL):
        return Value(False, output_field=BooleanField())
    holders = Staff.objects.filter(role_id=OuterRef("pk"))  # index on iam_staff.role_id
    if actor.org_id is not None:
        holders = holders.exclude(subtree_q(actor.org))
    return Exists(holders)


def role_get(*, role_id, actor=None) -> Role:
    return _get(role_list(actor=actor), role_id, _("Role %(id)s does not exist.") % {"id": role_id},
                "role_not_found")


def team_list(*, actor, org_id=None, q: str = "") -> QuerySet:
    qs = scope_queryset(
        Team.objects.select_related("org", "leader").annotate(member_count=Count("members", distinct=True)), actor
    )
    if org_id:
        org = org_find(org_id=org_id)
        qs = qs.filter(subtree_q(org)) if org is not None else qs.none()
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("org__path", "name")


def team_get(*, actor, team_id) -> Team:
    return _get(team_list(actor=actor), team_id, _("Team %(id)s does not exist.") % {"id": team_id},
                "team_not_found")


def team_members(*, team: Team) -> QuerySet:
    return team.members.select_related("org", "role").order_by("employee_no")


def skill_group_list(*, q: str = "") -> QuerySet:
    qs = SkillGroup.objects.annotate(holder_count=Count("staff_levels", distinct=True))
    if q:
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(name__icontains=q.strip()))
    return qs.order_by("code")


def skill_group_get(*, group_id) -> SkillGroup:
    return _get(skill_group_list(), group_id, _("Skill group %(id)s does not exist.") % {"id": group_id},
                "skill_group_not_found")


def skill_group_holders(*, actor, group: SkillGroup) -> QuerySet:
    """Levels held in ``group`` by people the actor may see."""
    return scope_queryset(
        group.staff_levels.select_related("staff", "staff__org"), actor, field="staff__org"
    ).order_by("-level", "staff__employee_no")


# --- temporary permissions ---------------------------------------------------

def temporary_list(*, actor, state: str = "") -> QuerySet:
    """Grants with at least one holder in the actor's scope, newest first."""
    now = clock.now()
    qs = TemporaryPermission.objects.filter(
        pk__in=scope_queryset(TemporaryPermission.objects.all(), actor, field="holders__org").values("pk")
    ).select_related("granted_by").prefetch_related("holders", "nodes")
    live = Q(revoked_at__isnull=True)
    filters = {
        "active": live & Q(starts_at__lte=now, ends_at__gt=now),
        "upcoming": live & Q(starts_at__gt=now),
        "ended": live & Q(ends_at__lte=now),
        "revoked": Q(revoked_at__isnull=False),
    }
    if state in filters:
        qs = qs.filter(filters[state])
    return qs.order_by("-starts_at", "-pk")


def temporary_get(*, actor, tp_id) -> TemporaryPermission:
    return _get(temporary_list(actor=actor), tp_id,
                _("Temporary permission %(id)s does not exist.") % {"id": tp_id}, "temporary_not_found")


# --- API tokens --------------------------------------------------------------

MANAGE_ALL_TOKENS = "iam.token.manage_all"


def token_list(*, actor, everyone: bool = False) -> QuerySet:
    """The actor's own tokens; with ``everyone`` (and iam.token.manage_all) all tokens in scope."""
    qs = ApiToken.objects.select_related("staff")
    if everyone and permissions.has_perm(actor, MANAGE_ALL_TOKENS):
        qs = scope_queryset(qs, actor, field="staff__org")
    else:
        qs = qs.filter(staff=actor)
    return qs.order_by("-created_at", "-pk")


def token_get(*, actor, token_id) -> ApiToken:
    return _get(token_list(actor=actor, everyone=True), token_id,
                _("API token %(id)s does not exist.") % {"id": token_id}, "token_not_found")


# --- blocked client addresses ---------------------------------------------------

def check_over_all_addresses(actor) -> None:
    """A client address is shared by every branch (an office's gateway, say): lifting its block reopens it
    to guessing against every account, so only someone over the whole organisation tree may do it."""
    if getattr(actor, "pk", None) is not None and not holds_whole_tree(actor):
        raise PermissionDenied(
            _("A blocked client address can be unblocked only by someone over all organisations."),
            code="address_out_of_reach",
        )


def login_blocks(*, actor) -> QuerySet:
    """Client addresses blocked now after too many failed logins, the longest block first. Only for someone
    over all organisations (an address serves every branch)."""
    check_over_all_addresses(actor)
    return LoginThrottle.objects.filter(blocked_until__gt=clock.now()).order_by("-blocked_until", "address")


# --- permissions ------------------------------------------------------------

def _covered(code: str, granted: set[str]) -> bool:
    return any(a in granted for a in permissions._ancestors(code))


def _sources(staff: Staff) -> dict[str, set[str]]:
    now = clock.now()
    role = set(RoleGrant.objects.filter(role_id=staff.role_id).values_list("node__code", flat=True)) \
        if staff.role_id else set()
    personal = set(StaffGrant.objects.filter(staff=staff).values_list("node__code", flat=True))
    temporary = set(
        TemporaryPermission.objects.filter(holders=staff.pk, revoked_at__isnull=True, starts_at__lte=now,
                                           ends_at__gt=now).values_list("nodes__code", flat=True)
    ) - {None}
    return {"role": role, "personal": personal, "temporary": temporary}


def effective_permissions(*, staff: Staff) -> list[dict]:
    """Every declared node the person holds, each with where it comes from.

    Sources are ``super`` (the super role), ``role``, ``personal`` and
    ``temporary``; a node is held when it or an ancestor is granted.
    """
    out = []
    is_super = bool(staff.role is not None and staff.role.is_super)
    sources = _sources(staff)
    for node in registry.nodes():
        found = ["super"] if is_super else []
        found += [name for name, codes in sources.items() if _covered(node.code, codes)]
        if found:
            out.append({"code": node.code, "label": str(node.label), "kind": node.kind, "sources": found})
    return out


def effective_permission_codes(*, staff: Staff) -> list[str]:
    return [p["code"] for p in effective_permissions(staff=staff)]


def permission_tree(*, role: Role | None = None, staff: Staff | None = None, actor=None) -> list[dict]:
    """The declared tree as nested dicts, flagged for a role or a person.

    Each node: ``code, label, kind, granted`` (granted directly to the
    target), ``inherited`` (an ancestor is granted directly), ``held`` (the
    target holds it by any source) with ``sources``, ``delegable`` (the actor
    may change it) and ``children``.
    """
    from .services.guards import actor_is_super

    direct: set[str] = set()
    sources: dict[str, set[str]] = {}
    if role is not None:
        direct = set(RoleGrant.objects.filter(role=role).values_list("node__code", flat=True))
        sources = {"role": direct}
    elif staff is not None:
        sources = _sources(staff)
        direct = sources["personal"]
    target_super = bool((role is not None and role.is_super)
                        or (staff is not None and staff.role is not None and staff.role.is_super))
    actor_free = actor is None or actor_is_super(actor)
    by_code: dict[str, dict] = {}
    roots: list[dict] = []
    for node in registry.nodes():
        found = ["super"] if target_super else []
        found += [name for name, codes in sources.items() if _covered(node.code, codes)]
        item = {
            "code": node.code, "label": str(node.label), "kind": node.kind,
            "granted": node.code in direct,
            "inherited": any(a in direct for a in list(permissions._ancestors(node.code))[1:]),
            "held": bool(found), "sources": found,
            "delegable": actor_free or permissions.has_perm(actor, node.code),
            "children": [],
        }
        by_code[node.code] = item
        parent = by_code.get(node.parent_code) if node.parent_code else None
        (parent["children"] if parent else roots).append(item)
    return roots


def staff_find(*, staff_id=None, employee_no: str | None = None) -> Staff | None:
    """A person by id or 工号, whatever the scope, or None (for forms that name a target person)."""
    qs = Staff.objects.select_related("org", "team")
    if employee_no is not None:
        return qs.filter(employee_no=employee_no).first()
    return qs.filter(pk=staff_id).first()


def team_find(*, team_id) -> Team | None:
    """A team by id, whatever the scope, or None."""
    return Team.objects.filter(pk=team_id).select_related("org").first()


def staff_id_by_employee_no(employee_no: str) -> int | None:
    return Staff.objects.filter(employee_no=employee_no).values_list("pk", flat=True).first()


def staff_active_agents(*, exclude_employee_no: str = "", limit: int | None = None) -> list[Staff]:
    """Active agents by 工号 (the simulated colleagues of the demo center)."""
    from .models import Position

    qs = Staff.objects.filter(position=Position.AGENT, status="active").exclude(employee_no=exclude_employee_no)
    return list(qs.order_by("employee_no")[:limit])


def skill_group_choices() -> QuerySet:
    """Skill groups by code, for choice fields."""
    return SkillGroup.objects.order_by("code")


def skill_groups_by_code(codes) -> dict[str, SkillGroup]:
    return {g.code: g for g in SkillGroup.objects.filter(code__in=codes)}


def skill_levels_of(staff_ids) -> list[tuple[int, str, int]]:
    """(staff id, skill group code, level) of these people, for the router's snapshot."""
    return list(StaffSkill.objects.filter(staff_id__in=staff_ids).values_list("staff_id", "skill_group__code", "level"))


def staff_supervisors_of(org, *, limit: int = 10) -> list[Staff]:
    """Active supervisors of an organisation (whom its late orders are reported to)."""
    from .models import Position, StaffStatus

    return list(Staff.objects.filter(org=org, position=Position.SUPERVISOR, status=StaffStatus.ACTIVE)[:limit])


def staff_active_of(org, *, limit: int = 500) -> list[Staff]:
    """Everyone active in an organisation (not its subtree), in the order they were added."""
    from .models import StaffStatus

    return list(Staff.objects.filter(org=org, status=StaffStatus.ACTIVE).order_by("pk")[:limit])


def staff_placement(staff_ids) -> dict[int, tuple[int | None, int | None]]:
    """Staff id → (team id, organisation id), for attributing interval figures."""
    return {pk: (team, org) for pk, team, org in Staff.objects.filter(pk__in=list(staff_ids))
            .values_list("pk", "team_id", "org_id")}


def staff_labels(staff_ids) -> dict[int, str]:
    """Staff id → "employee no. name", for naming report rows."""
    return {pk: f"{no} {name}" for pk, no, name in Staff.objects.filter(pk__in=list(staff_ids))
            .values_list("pk", "employee_no", "name")}


def team_labels(team_ids) -> dict[int, str]:
    return dict(Team.objects.filter(pk__in=list(team_ids)).values_list("pk", "name"))
