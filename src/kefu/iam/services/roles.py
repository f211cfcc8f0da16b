"""Roles (角色) and regular grants of permission nodes to roles and people."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_delete, audit_record, audit_update, snapshot
from kefu.core.errors import Conflict, ValidationFailed

from ..models import PermissionNode, Role, RoleGrant, Staff, StaffGrant

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


@transaction.atomic
def role_create(*, actor, name: str, description: str = "", is_super: bool = False) -> Role:
    name = name.strip()
    if not name:
        raise ValidationFailed(_("The name is required."), code="required")
    if Role.objects.filter(name=name).exists():
        raise Conflict(_("A role named “%(name)s” already exists.") % {"name": name}, code="duplicate_name")
    try:
        with transaction.atomic():
            role = Role.objects.create(name=name, description=description, is_super=is_super)
    except IntegrityError:
        raise Conflict(_("A role named “%(name)s” already exists.") % {"name": name}, code="duplicate_name") from None
    audit_create(actor=actor, obj=role, fields=ROLE_FIELDS)
    return role


@transaction.atomic
def role_update(*, actor, role: Role, name: str | None = None, description: str | None = None,
                is_super: bool | None = None) -> Role:
    role = Role.objects.select_for_update().get(pk=role.pk)
    before = snapshot(role, ROLE_FIELDS)
    if name is not None:
        name = name.strip()
        if not name:
            raise ValidationFailed(_("The name is required."), code="required")
        if Role.objects.filter(name=name).exclude(pk=role.pk).exists():
            raise Conflict(_("A role named “%(name)s” already exists.") % {"name": name}, code="duplicate_name")
        role.name = name
    if description is not None:
        role.description = description
    if is_super is not None:
        role.is_super = is_super
    role.save()
    audit_update(actor=actor, obj=role, before=before)
    return role


@transaction.atomic
def role_delete(*, actor, role: Role) -> int:
    """Delete a role; its people stay, role-less. Returns how many were affected."""
    role = Role.objects.select_for_update().get(pk=role.pk)
    members = list(role.members.values_list("employee_no", flat=True))
    audit_delete(actor=actor, obj=role, fields=ROLE_FIELDS)
    if members:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=role, note="members left without role",
                     changes={"members": [members, []]})
    role.delete()  # Staff.role is SET_NULL
    return len(members)


def _grant(*, actor, target, grant_model, target_field: str, codes: Iterable[str]) -> list[str]:
    nodes = nodes_by_codes(codes)
    have = set(grant_model.objects.filter(**{target_field: target}, node__in=nodes).values_list("node__code", flat=True))
    new = [n for n in nodes if n.code not in have]
    grant_model.objects.bulk_create(
        [grant_model(**{target_field: target}, node=n, granted_by=actor if getattr(actor, "pk", None) else None)
         for n in new]
    )
    added = [n.code for n in new]
    if added:
        audit_record(actor=actor, action=AuditAction.GRANT, obj=target, changes={"permissions": [None, added]})
    return added


def _revoke(*, actor, target, grant_model, target_field: str, codes: Iterable[str]) -> list[str]:
    nodes = nodes_by_codes(codes)
    rows = grant_model.objects.filter(**{target_field: target}, node__in=nodes)
    removed = list(rows.values_list("node__code", flat=True))
    rows.delete()
    if removed:
        audit_record(actor=actor, action=AuditAction.REVOKE, obj=target, changes={"permissions": [removed, None]})
    return removed


@transaction.atomic
def role_grant(*, actor, role: Role, codes: Iterable[str]) -> list[str]:
    """Grant nodes (and so their subtrees) to a role; returns newly granted codes."""
    return _grant(actor=actor, target=role, grant_model=RoleGrant, target_field="role", codes=codes)


@transaction.atomic
def role_revoke(*, actor, role: Role, codes: Iterable[str]) -> list[str]:
    return _revoke(actor=actor, target=role, grant_model=RoleGrant, target_field="role", codes=codes)


@transaction.atomic
def staff_grant(*, actor, staff: Staff, codes: Iterable[str]) -> list[str]:
    return _grant(actor=actor, target=staff, grant_model=StaffGrant, target_field="staff", codes=codes)


@transaction.atomic
def staff_revoke(*, actor, staff: Staff, codes: Iterable[str]) -> list[str]:
    return _revoke(actor=actor, target=staff, grant_model=StaffGrant, target_field="staff", codes=codes)
