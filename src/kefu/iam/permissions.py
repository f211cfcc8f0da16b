"""Permission nodes of the iam app, and the effective-permission check.

``has_perm(actor, code)`` is the one question every view and endpoint asks.
Effective permissions = role ∪ personal ∪ active temporary grants; a grant
covers its subtree; a code nobody declared is not controlled; the super role
is unrestricted. The set is computed once per request (memoised on the
actor object, which Django loads fresh for every request) from grants held
per process and reloaded when any grant changes on any process
(``kefu.core.versioned``), so a change takes effect on the very next
request without re-login.
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


_grants = None


def grants_cache():
    """The per-process cache of grants (``core.versioned``), built in ``IamConfig.ready`` so that every
    process listens for grant changes from its start."""
    global _grants
    if _grants is None:
        from django.db.models.signals import m2m_changed

        from kefu.core.versioned import VersionedCache

        from .models import PermissionNode, Role, RoleGrant, StaffGrant, TemporaryPermission

        _grants = VersionedCache("iam.grants", dict,
                                 watch=(RoleGrant, StaffGrant, TemporaryPermission, PermissionNode, Role))
        for through in (TemporaryPermission.holders.through, TemporaryPermission.nodes.through):
            m2m_changed.connect(_grants._on_change, sender=through, weak=False,
                                dispatch_uid=f"iam.grants:{through._meta.label}")
    return _grants


def _role_codes(role_id: int) -> frozenset[str]:
    from .models import RoleGrant

    return frozenset(RoleGrant.objects.filter(role_id=role_id).values_list("node__code", flat=True))


def _personal(staff_id: int) -> tuple[frozenset[str], tuple]:
    """Personal codes, and each unrevoked temporary grant as ``(starts, ends, codes)``: the clock decides
    at each check which temporary grants hold, so a cached entry never outlives a grant's window."""
    from .models import StaffGrant, TemporaryPermission

    personal = frozenset(StaffGrant.objects.filter(staff_id=staff_id).values_list("node__code", flat=True))
    windows: dict[int, tuple] = {}
    for pk, starts, ends, code in TemporaryPermission.objects.filter(
            holders=staff_id, revoked_at__isnull=True).values_list("pk", "starts_at", "ends_at", "nodes__code"):
        entry = windows.setdefault(pk, (starts, ends, set()))
        if code is not None:
            entry[2].add(code)
    return personal, tuple((s, e, frozenset(c)) for s, e, c in windows.values())


def effective_codes(actor) -> frozenset[str]:
    """Codes granted to ``actor`` directly (not expanded to subtrees).

    Memoised on the actor for the request, and per process in ``grants_cache()`` until any grant,
    role, temporary permission or permission node changes on any process.
    """
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    memo = grants_cache().get()
    now = clock.now()
    codes: set[str] = set()
    if actor.role_id:
        key = ("role", actor.role_id)
        if key not in memo:
            memo[key] = _role_codes(actor.role_id)
        codes.update(memo[key])
    key = ("staff", actor.pk)
    if key not in memo:
        memo[key] = _personal(actor.pk)
    personal, temporaries = memo[key]
    codes.update(personal)
    for starts, ends, temp in temporaries:
        if starts <= now < ends:
            codes.update(temp)
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
