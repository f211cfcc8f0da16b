"""Roles (角色) and regular grants of permission nodes to roles and people.

A grant of a node covers its subtree (``permissions.has_perm``). Grants take
effect on the next request because effective permissions are computed per
request. Nobody but a super administrator may grant or revoke what they do
not hold themselves (``guards``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_delete, audit_record, audit_update, snapshot
from kefu.core.deletion import delete_unless_used
from kefu.core.errors import Conflict, ValidationFailed

from .. import permissions
from ..models import PermissionNode, Role, RoleGrant, Staff, StaffGrant
from .checks import check_lengths, check_required
from .guards import (
    check_can_delegate,
    check_role_in_reach,
    check_super_role,
    check_super_role_kept,
    is_person,
    undelegable,
)

ROLE_FIELDS = ("name", "description", "is_super")


def nodes_by_codes(codes: Iterable[str]) -> list[PermissionNode]:
    """Look up nodes; unknown or retired codes are a 400 naming them."""
    codes = list(dict.fromkeys(codes))
    found = {n.code: n for n in PermissionNode.objects.filter(code__in=codes, retired=False)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed(
            _("Unknown permission(s): %(codes)s") % {"codes": ", ".join(missing)},
            code="unknown_permission", details={"unknown": missing},
        )
    return [found[c] for c in codes]


def _duplicate(name: str) -> Conflict:
    return Conflict(_("A role named “%(name)s” already exists.") % {"name": name}, code="duplicate_name")


@transaction.atomic
def role_create(*, actor, name: str, description: str = "", is_super: bool = False) -> Role:
    role = Role(name=check_required(name, _("name")), description=(description or "").strip(),
                is_super=bool(is_super))
    check_super_role(actor, role)
    check_lengths(role, ("name", "description"))
    if Role.objects.filter(name=role.name).exists():
        raise _duplicate(role.name)
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError:
        raise _duplicate(role.name) from None
    audit_create(actor=actor, obj=role, fields=ROLE_FIELDS)
    return role


@transaction.atomic
def role_update(*, actor, role: Role, name: str | None = None, description: str | None = None,
                is_super: bool | None = None) -> Role:
    """Rename or describe a role; its people reference it, so they see the change at once."""
    role = Role.objects.select_for_update().get(pk=role.pk)
    check_super_role(actor, role)
    check_role_in_reach(actor, role)
    before = snapshot(role, ROLE_FIELDS)
    if name is not None:
        role.name = check_required(name, _("name"))
    if description is not None:
        role.description = description.strip()
    if is_super is not None:
        if role.is_super and not is_super:
            check_super_role_kept(role, clearing=True)
        role.is_super = bool(is_super)
        check_super_role(actor, role)
    check_lengths(role, ("name", "description"))
    if Role.objects.filter(name=role.name).exclude(pk=role.pk).exists():
        raise _duplicate(role.name)
    role.save()
    audit_update(actor=actor, obj=role, before=before)
    return role


@transaction.atomic
def role_delete(*, actor, role: Role) -> int:
    """Delete a role; its people stay, role-less. Returns how many were affected."""
    role = Role.objects.select_for_update().get(pk=role.pk)
    check_super_role(actor, role)
    check_role_in_reach(actor, role)
    check_super_role_kept(role, deleting=True)
    members = list(role.members.values_list("employee_no", flat=True))
    audit_delete(actor=actor, obj=role, fields=ROLE_FIELDS)
    if members:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=role, note="members left without role",
                     changes={"members": [members, []]})
    delete_unless_used(role, label=role.name)  # Staff.role is SET_NULL
    return len(members)


def _after_change(actor) -> None:
    # Grants are written in bulk (no model signals): every process's cache must reload.
    permissions.grants_cache().invalidate()
    # The acting person may have changed their own grants; the rest of this
    # request must see the new set (the next request computes it afresh anyway).
    if is_person(actor):
        permissions.forget(actor)


def _grant(*, actor, target, grant_model, target_field: str, codes: Iterable[str]) -> list[str]:
    nodes = nodes_by_codes(codes)
    check_can_delegate(actor, [n.code for n in nodes])
    have = set(grant_model.objects.filter(**{target_field: target}, node__in=nodes).values_list("node__code", flat=True))
    new = [n for n in nodes if n.code not in have]
    grant_model.objects.bulk_create(
        [grant_model(**{target_field: target}, node=n, granted_by=actor if is_person(actor) else None)
         for n in new]
    )
    added = [n.code for n in new]
    if added:
        audit_record(actor=actor, action=AuditAction.GRANT, obj=target, changes={"permissions": [None, added]})
        _after_change(actor)
    return added


def _revoke(*, actor, target, grant_model, target_field: str, codes: Iterable[str]) -> list[str]:
    nodes = nodes_by_codes(codes)
    check_can_delegate(actor, [n.code for n in nodes])
    rows = grant_model.objects.filter(**{target_field: target}, node__in=nodes)
    removed = list(rows.values_list("node__code", flat=True))
    rows.delete()
    if removed:
        audit_record(actor=actor, action=AuditAction.REVOKE, obj=target, changes={"permissions": [removed, None]})
        _after_change(actor)
    return removed


@transaction.atomic
def role_grant(*, actor, role: Role, codes: Iterable[str]) -> list[str]:
    """Grant nodes (and so their subtrees) to a role; returns newly granted codes."""
    check_role_in_reach(actor, role)
    return _grant(actor=actor, target=role, grant_model=RoleGrant, target_field="role", codes=codes)


@transaction.atomic
def role_revoke(*, actor, role: Role, codes: Iterable[str]) -> list[str]:
    """Revoke direct grants of a role; returns the codes actually removed."""
    check_role_in_reach(actor, role)
    return _revoke(actor=actor, target=role, grant_model=RoleGrant, target_field="role", codes=codes)


@transaction.atomic
def staff_grant(*, actor, staff: Staff, codes: Iterable[str]) -> list[str]:
    """Grant nodes to one person on top of their role."""
    return _grant(actor=actor, target=staff, grant_model=StaffGrant, target_field="staff", codes=codes)


@transaction.atomic
def staff_revoke(*, actor, staff: Staff, codes: Iterable[str]) -> list[str]:
    return _revoke(actor=actor, target=staff, grant_model=StaffGrant, target_field="staff", codes=codes)


@transaction.atomic
def grants_batch(*, actor, codes: Iterable[str], roles: Iterable[Role] = (), staff: Iterable[Staff] = (),
                 revoke: bool = False) -> dict[str, dict[str, list[str]]]:
    """Grant (or revoke) the same codes to several roles and people at once.

    All or nothing: one unknown code or one code the actor may not hand out
    aborts the whole batch. Returns what changed per role/person.
    """
    codes = list(codes)
    roles, staff = list(roles), list(staff)
    if not codes:
        raise ValidationFailed(_("Choose at least one permission."), code="no_permissions")
    if not roles and not staff:
        raise ValidationFailed(_("Choose at least one role or person."), code="no_targets")
    role_fn, staff_fn = (role_revoke, staff_revoke) if revoke else (role_grant, staff_grant)
    out: dict[str, dict[str, list[str]]] = {"roles": {}, "staff": {}}
    for role in roles:
        out["roles"][role.name] = role_fn(actor=actor, role=role, codes=codes)
    for person in staff:
        out["staff"][person.employee_no] = staff_fn(actor=actor, staff=person, codes=codes)
    return out


def _parent(code: str) -> str:
    return code.rpartition(".")[0]


def _with_subtrees(codes: set[str], all_codes: set[str]) -> set[str]:
    return {c for c in all_codes if c in codes or any(c.startswith(s + ".") for s in codes)}


@transaction.atomic
def grants_apply_selection(*, actor, codes: Iterable[str], role: Role | None = None,
                           staff: Staff | None = None) -> dict[str, list[str]]:
    """Make a role's (or person's) direct grants match a tree-editor selection.

    ``codes`` are the checked boxes. A checked node implies its subtree, so
    only the topmost checked nodes are granted; direct grants no longer
    checked are revoked. Nodes the actor may not hand out keep their state:
    the editor shows them disabled, and disabled boxes are not submitted.
    """
    if (role is None) == (staff is None):
        raise ValueError("give exactly one of role or staff")
    check_role_in_reach(actor, role)
    checked = {n.code for n in nodes_by_codes(codes)}
    all_codes = set(PermissionNode.objects.filter(retired=False).values_list("code", flat=True))
    selected = _with_subtrees(checked, all_codes)
    if role is not None:
        current = set(RoleGrant.objects.filter(role=role, node__retired=False).values_list("node__code", flat=True))
    else:
        current = set(StaffGrant.objects.filter(staff=staff, node__retired=False).values_list("node__code", flat=True))
    # Grants the actor may not touch stay as they are, subtrees included.
    selected |= _with_subtrees(set(undelegable(actor, current - selected)), all_codes)
    topmost = {c for c in selected if _parent(c) not in selected}
    to_grant = sorted(topmost - current, key=lambda c: (c.count("."), c))
    to_revoke = sorted(current - selected)
    if role is not None:
        granted = role_grant(actor=actor, role=role, codes=to_grant) if to_grant else []
        revoked = role_revoke(actor=actor, role=role, codes=to_revoke) if to_revoke else []
    else:
        assert staff is not None  # exactly one of role and staff, checked above
        granted = staff_grant(actor=actor, staff=staff, codes=to_grant) if to_grant else []
        revoked = staff_revoke(actor=actor, staff=staff, codes=to_revoke) if to_revoke else []
    return {"granted": granted, "revoked": revoked}
