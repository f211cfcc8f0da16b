"""Permission nodes of the iam app, and the effective-permission check.

``has_perm(actor, code)`` is the one question every view and endpoint asks.
Effective permissions = role ∪ personal ∪ active temporary grants; a grant
covers its subtree; a code nobody declared is not controlled; the super role
is unrestricted. The set is computed once per request (memoised on the
actor object, which Django loads fresh for every request), so a change takes
effect on the very next request without re-login.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.core import clock

NODES = [
    ("iam", _("Staff and permissions")),
    ("iam.staff", _("Staff")),
    ("iam.staff.view", _("View staff")),
    ("iam.staff.create", _("Create staff")),
    ("iam.staff.edit", _("Edit staff")),
    ("iam.staff.reset_password", _("Reset passwords and unlock")),
    ("iam.role", _("Roles")),
    ("iam.role.view", _("View roles")),
    ("iam.role.edit", _("Create, edit and delete roles")),
    ("iam.grant", _("Permission grants")),
    ("iam.grant.view", _("View grants")),
    ("iam.grant.edit", _("Grant and revoke permissions")),
    ("iam.temporary", _("Temporary permissions")),
    ("iam.temporary.view", _("View temporary permissions")),
    ("iam.temporary.edit", _("Grant and revoke temporary permissions")),
    ("iam.team", _("Teams")),
    ("iam.team.view", _("View teams")),
    ("iam.team.edit", _("Edit teams")),
    ("iam.skill", _("Skill groups")),
    ("iam.skill.view", _("View skill groups")),
    ("iam.skill.edit", _("Edit skill groups")),
    ("iam.token", _("API tokens")),
    ("iam.token.manage", _("Manage own API tokens")),
    ("iam.token.manage_all", _("Manage everyone's API tokens")),
]

_CACHE_ATTR = "_kefu_effective_perms"


def _ancestors(code: str):
    parts = code.split(".")
    for i in range(len(parts), 0, -1):
        yield ".".join(parts[:i])


def effective_codes(actor) -> frozenset[str]:
    """Codes granted to ``actor`` directly (not expanded to subtrees)."""
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import RoleGrant, StaffGrant, TemporaryPermission

    now = clock.now()
    codes: set[str] = set()
    if actor.role_id:
        codes.update(RoleGrant.objects.filter(role_id=actor.role_id).values_list("node__code", flat=True))
    codes.update(StaffGrant.objects.filter(staff_id=actor.pk).values_list("node__code", flat=True))
    codes.update(
        TemporaryPermission.objects.filter(
            holders=actor.pk, revoked_at__isnull=True, starts_at__lte=now, ends_at__gt=now
        ).values_list("nodes__code", flat=True)
    )
    codes.discard(None)
    result = frozenset(codes)
    setattr(actor, _CACHE_ATTR, result)
    return result


def forget(actor) -> None:
    """Drop the per-request memo (used after a change within one request)."""
    if hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)
    if hasattr(actor, "_kefu_is_super"):
        delattr(actor, "_kefu_is_super")


def is_super(actor) -> bool:
    cached = getattr(actor, "_kefu_is_super", None)
    if cached is None:
        cached = bool(actor.role_id and actor.role and actor.role.is_super)
        actor._kefu_is_super = cached
    return cached


def has_perm(actor, code: str) -> bool:
    from . import registry

    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if is_super(actor):
        return True
    if not registry.is_controlled(code):
        return True
    granted = effective_codes(actor)
    return any(c in granted for c in _ancestors(code))


def has_any_perm(actor, codes) -> bool:
    return any(has_perm(actor, c) for c in codes)
