"""Rules that stop a permitted person from widening their own power.

Holding ``iam.grant.edit`` must not let a supervisor hand out (or strip)
permissions they do not hold themselves, and holding ``iam.staff.edit`` must
not let them take over a super administrator's account. Roles are shared by
every branch, so a role held by anyone outside the actor's organisation subtree
is read-only to them: a city supervisor cannot change Shenzhen's agents by
changing "agent". System actors (the seed, the worker, tests: plain strings)
are trusted.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kefu.core.errors import Conflict, PermissionDenied
from kefu.orgs.selectors import SCOPE_ALL

from .. import permissions


def is_person(actor) -> bool:
    return getattr(actor, "pk", None) is not None and hasattr(actor, "employee_no")


def actor_is_super(actor) -> bool:
    """True for system actors and people holding the super role."""
    if not is_person(actor):
        return True
    return permissions.is_super(actor)


def undelegable(actor, codes: Iterable[str]) -> list[str]:
    """The codes in ``codes`` that ``actor`` may not grant or revoke."""
    if actor_is_super(actor):
        return []
    return [c for c in codes if not permissions.has_perm(actor, c)]


def check_can_delegate(actor, codes: Iterable[str]) -> None:
    missing = undelegable(actor, codes)
    if missing:
        raise PermissionDenied(
            _("You can only grant or revoke permissions you hold yourself: %(codes)s")
            % {"codes": ", ".join(missing)},
            code="not_delegable", details={"codes": missing},
        )


def check_super_target(actor, staff) -> None:
    """Only a super administrator may change a super administrator."""
    if staff.role_id and staff.role and staff.role.is_super and not actor_is_super(actor):
        raise PermissionDenied(
            _("Only a super administrator can change a super administrator."), code="super_target"
        )


def check_super_role(actor, role) -> None:
    """Only a super administrator may create, change, delete or hand out a super role."""
    if role is not None and role.is_super and not actor_is_super(actor):
        raise PermissionDenied(
            _("Only a super administrator can manage or assign the super role."), code="super_role"
        )


def check_can_assign_role(actor, role) -> None:
    """Giving someone a role hands out its permissions: the same rule as a grant."""
    if role is None:
        return
    check_super_role(actor, role)
    if actor_is_super(actor):
        return
    from ..models import RoleGrant

    missing = undelegable(actor, RoleGrant.objects.filter(role=role).values_list("node__code", flat=True))
    if missing:
        raise PermissionDenied(
            _("You cannot assign role “%(role)s”: it holds permissions you do not hold (%(codes)s).")
            % {"role": role.name, "codes": ", ".join(missing)},
            code="not_delegable", details={"codes": missing},
        )


def role_out_of_reach(actor, role) -> bool:
    """True when ``role`` is held by someone outside the actor's organisation subtree.

    Only someone over every holder (their organisation is an ancestor of all of
    them, or they see all organisations) may change such a role.
    """
    if actor_is_super(actor) or permissions.has_perm(actor, SCOPE_ALL):
        return False
    from kefu.orgs.selectors import subtree_q

    from ..models import Staff

    holders = Staff.objects.filter(role_id=role.pk)  # index on iam_staff.role_id
    if actor.org_id is None:
        return holders.exists()
    return holders.exclude(subtree_q(actor.org)).exists()


def check_role_in_reach(actor, role) -> None:
    if role is not None and role.pk is not None and role_out_of_reach(actor, role):
        raise PermissionDenied(
            _("Role “%(role)s” is also held by people outside your organisations; only someone over all of "
              "them can change it.") % {"role": role.name},
            code="role_out_of_reach", details={"role": role.pk},
        )


# --- at least one super administrator ------------------------------------------------

ACTIVE_STATUSES = ("active", "on_leave")


def _holds_super(*, role, status) -> bool:
    return bool(role is not None and role.is_super and status in ACTIVE_STATUSES)


def lock_super_admins() -> list[int]:
    """Lock every active super administrator's row, in primary-key order, before changing one of them.

    Two people demoting two different super administrators at once would otherwise each see the other as
    the one who remains (or deadlock, each holding their own target's row): taken in one order, the second
    waits for the first and then sees what is left.
    """
    from ..models import Staff

    qs = Staff.objects.filter(role__is_super=True, status__in=ACTIVE_STATUSES).order_by("pk")
    return list(qs.select_for_update(of=("self",)).values_list("pk", flat=True))


def other_super_admins_exist(*, excluding_staff=None, excluding_role=None) -> bool:
    """Whether an active super administrator remains besides ``excluding_staff`` (or the holders of
    ``excluding_role``). Locks those rows so that two concurrent demotions cannot both pass."""
    from ..models import Staff

    qs = Staff.objects.filter(role__is_super=True, status__in=ACTIVE_STATUSES)
    if excluding_staff is not None:
        qs = qs.exclude(pk=excluding_staff.pk)
    if excluding_role is not None:
        qs = qs.exclude(role_id=excluding_role.pk)
    return bool(list(qs.select_for_update(of=("self",)).values_list("pk", flat=True)[:1]))


def check_keeps_a_super_admin(staff, *, before_role, before_status) -> None:
    """Refuse a change that takes away the last active super administrator (disable, leave, demote)."""
    was = _holds_super(role=before_role, status=before_status)
    if was and not _holds_super(role=staff.role, status=staff.status) \
            and not other_super_admins_exist(excluding_staff=staff):
        raise Conflict(
            _("%(name)s is the last active super administrator: give another person the super role first.")
            % {"name": staff.name},
            code="last_super_admin",
        )


def check_super_role_kept(role, *, deleting: bool = False, clearing: bool = False) -> None:
    """The super role cannot be deleted, and its flag cannot be cleared if no super administrator would
    remain."""
    if deleting and role.is_super:
        raise Conflict(_("A super role cannot be deleted. Clear its “super role” flag first (possible only while "
                         "another super administrator remains)."), code="super_role_protected")
    if clearing and role.is_super and not other_super_admins_exist(excluding_role=role):
        raise Conflict(_("Role “%(role)s” holds the last active super administrators; it must stay a super "
                         "role.") % {"role": role.name}, code="last_super_admin")
