"""Reads of the organisation tree, and the one scoping helper.

``scope_queryset`` is the function every list view and API uses to limit data
to what the actor may see: their own organisation's subtree, unless a
permission widens it. Keep all scoping here so it stays one obvious rule.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kefu.core.errors import NotFound

from .models import Organisation

#: Permission that lifts the subtree limit (see kefu/orgs/permissions.py).
SCOPE_ALL = "scope.all_orgs"


def org_get(*, org_id: int) -> Organisation:
    try:
        return Organisation.objects.get(pk=org_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFound(_not_found_message(org_id), code="org_not_found") from None


def _not_found_message(org_id):
    from django.utils.translation import gettext as _

    return _("Organisation %(id)s does not exist.") % {"id": org_id}


def subtree_q(org: Organisation, *, field: str = "org") -> Q:
    """Q matching rows whose ``field`` is ``org`` or one of its descendants."""
    # Uses the index on orgs_organisation.path (prefix match).
    return Q(**{f"{field}__path__startswith": org.path})


def visible_org_ids(actor) -> set[int] | None:
    """Ids of organisations the actor may see; ``None`` means all of them."""
    from kefu.iam.permissions import has_perm

    if has_perm(actor, SCOPE_ALL):
        return None
    if actor.org_id is None:
        return set()
    root = actor.org
    return set(Organisation.objects.filter(path__startswith=root.path).values_list("id", flat=True))


def scope_queryset(qs: QuerySet, actor, *, field: str = "org") -> QuerySet:
    """Limit ``qs`` to rows in the actor's organisation subtree.

    ``field`` names the foreign key to Organisation on the queried model (or
    ``""`` when ``qs`` is of Organisation itself). Actors holding
    ``scope.all_orgs`` (or the super role) see everything.
    """
    from kefu.iam.permissions import has_perm

    if has_perm(actor, SCOPE_ALL):
        return qs
    if not getattr(actor, "is_authenticated", False) or actor.org_id is None:
        return qs.none()
    root = actor.org
    if not field:
        return qs.filter(path__startswith=root.path)
    return qs.filter(subtree_q(root, field=field))


def org_is_visible(actor, org: Organisation) -> bool:
    from kefu.iam.permissions import has_perm

    if has_perm(actor, SCOPE_ALL):
        return True
    return actor.org_id is not None and org.path.startswith(actor.org.path)


def org_tree(*, include_inactive: bool = True) -> list[Organisation]:
    qs = Organisation.objects.all()
    if not include_inactive:
        qs = qs.filter(active=True)
    return list(qs.order_by("path"))
