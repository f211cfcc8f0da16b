"""Reads of the organisation tree, and the one scoping helper.

``scope_queryset`` is the function every list view and API uses to limit data
to what the actor may see: their own organisation's subtree, unless a
permission widens it. Keep all scoping here so it stays one obvious rule.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kefu.core.errors import NotFound, PermissionDenied

from .models import Organisation, OrgKind

#: Permission that lifts the subtree limit (see kefu/orgs/permissions.py).
SCOPE_ALL = "scope.all_orgs"

#: Display order of siblings: structure first, outside parties last.
_KIND_ORDER: dict[str, int] = {OrgKind.HQ: 0, OrgKind.PROVINCE: 1, OrgKind.CITY: 2, OrgKind.DEPARTMENT: 3, OrgKind.EXTERNAL: 4}


def _sees_all(actor) -> bool:
    from kefu.iam.permissions import has_perm

    return has_perm(actor, SCOPE_ALL)


def _home_org(actor) -> Organisation | None:
    """The actor's own organisation, or None (anonymous, system, no org)."""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "org_id", None) is None:
        return None
    return actor.org


def org_get(*, org_id: int) -> Organisation:
    try:
        return Organisation.objects.get(pk=org_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFound(_not_found_message(org_id), code="org_not_found") from None


def _not_found_message(org_id):
    return _("Organisation %(id)s does not exist.") % {"id": org_id}


def subtree_q(org: Organisation, *, field: str = "org") -> Q:
    """Q matching rows whose ``field`` is ``org`` or one of its descendants."""
    # Uses the index on orgs_organisation.path (prefix match).
    return Q(**{f"{field}__path__startswith": org.path})


def visible_org_ids(actor) -> set[int] | None:
    """Ids of organisations the actor may see; ``None`` means all of them."""
    if _sees_all(actor):
        return None
    root = _home_org(actor)
    if root is None:
        return set()
    return set(Organisation.objects.filter(path__startswith=root.path).values_list("id", flat=True))


def scope_queryset(qs: QuerySet, actor, *, field: str = "org") -> QuerySet:
    """Limit ``qs`` to rows in the actor's organisation subtree.

    ``field`` names the foreign key to Organisation on the queried model (or
    ``""`` when ``qs`` is of Organisation itself). Actors holding
    ``scope.all_orgs`` (or the super role) see everything; an actor without
    an organisation (anonymous, a system job) sees nothing.
    """
    if _sees_all(actor):
        return qs
    root = _home_org(actor)
    if root is None:
        return qs.none()
    if not field:
        return qs.filter(path__startswith=root.path)
    return qs.filter(subtree_q(root, field=field))


def org_is_visible(actor, org: Organisation) -> bool:
    if _sees_all(actor):
        return True
    root = _home_org(actor)
    return root is not None and org.path.startswith(root.path)


def org_get_visible(*, actor, org_id: int) -> Organisation:
    """The organisation if the actor may see it. Outside the actor's scope it
    is reported as not existing, so that ids do not reveal the tree."""
    try:
        org = scope_queryset(Organisation.objects.filter(pk=org_id), actor, field="").first()
    except (ValueError, TypeError):
        org = None
    if org is None:
        raise NotFound(_not_found_message(org_id), code="org_not_found")
    return org


def org_parent_for(*, actor, parent_id: int | None) -> Organisation | None:
    """Resolve the parent chosen for a new or moved node.

    Only someone who sees every organisation may put a node at the top of the
    tree; anyone else must pick a parent inside their own subtree.
    """
    if parent_id is None:
        if not _sees_all(actor):
            raise PermissionDenied(
                _("Only someone who sees all organisations may place one at the top of the tree."),
                code="root_not_allowed",
            )
        return None
    return org_get_visible(actor=actor, org_id=parent_id)


def may_place_at_top(actor) -> bool:
    return _sees_all(actor)


def holds_whole_tree(actor) -> bool:
    """True when nothing in the tree lies outside the actor's reach: they see all organisations, or their
    own organisation is the top of the whole tree. Things shared by every branch (global settings and
    templates, a client address) are theirs to change."""
    if _sees_all(actor):
        return True
    root = _home_org(actor)
    # Uses the index on orgs_organisation.path (prefix match).
    return root is not None and not Organisation.objects.exclude(path__startswith=root.path).exists()


def org_list(
    *, actor, kind: str | None = None, active: bool | None = None, search: str | None = None,
    parent_id: int | None = None,
) -> QuerySet:
    """Organisations the actor may see, filtered, in tree order."""
    qs = scope_queryset(Organisation.objects.select_related("parent"), actor, field="")
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(active=active)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs.order_by("path")


def org_forest(*, actor, include_inactive: bool = True) -> list[Organisation]:
    """The visible part of the tree as roots whose ``tree_children`` hold
    their children (recursively), siblings ordered by kind then code.

    For a scoped actor the root is their own organisation; one query.
    """
    orgs = list(org_list(actor=actor, active=None if include_inactive else True))
    by_id = {o.pk: o for o in orgs}
    roots: list[Organisation] = []
    for o in orgs:
        o.tree_children = []
    for o in orgs:
        parent = by_id.get(o.parent_id)
        (parent.tree_children if parent is not None else roots).append(o)

    def key(o: Organisation):
        return (_KIND_ORDER.get(o.kind, 9), o.code)

    for o in orgs:
        o.tree_children.sort(key=key)
    roots.sort(key=key)
    return roots


def org_tree_rows(forest: list[Organisation]) -> list[tuple[Organisation, int]]:
    """Depth-first ``(org, level)`` rows of a forest, for an indented table."""
    rows: list[tuple[Organisation, int]] = []

    def walk(node: Organisation, level: int) -> None:
        rows.append((node, level))
        for child in getattr(node, "tree_children", ()):
            walk(child, level + 1)

    for root in forest:
        walk(root, 0)
    return rows


def org_parent_choices(*, actor, exclude: Organisation | None = None) -> list[tuple[Organisation, int]]:
    """Active organisations the actor may choose as a parent, in tree order
    with their level (for an indented select)."""
    rows = [(o, lvl) for o, lvl in org_tree_rows(org_forest(actor=actor)) if o.active]
    if exclude is not None:
        rows = [(o, lvl) for o, lvl in rows if o.pk != exclude.pk]
    return rows


def org_tree(*, include_inactive: bool = True) -> list[Organisation]:
    qs = Organisation.objects.all()
    if not include_inactive:
        qs = qs.filter(active=True)
    return list(qs.order_by("path"))


def org_find(*, org_id=None, code: str | None = None, actor=None, active_only: bool = False) -> Organisation | None:
    """An organisation by id or code, or None (for forms that name a target org).

    Whatever the scope without ``actor``; with one, only an organisation the actor may see (one
    outside their scope is answered like one that does not exist). ``active_only`` skips closed ones.
    """
    qs = Organisation.objects.all() if actor is None else scope_queryset(Organisation.objects.all(), actor,
                                                                           field="")
    if active_only:
        qs = qs.filter(active=True)
    if code is not None:
        return qs.filter(code=code).first()
    try:
        return qs.filter(pk=int(org_id)).first()
    except (TypeError, ValueError):
        return None


def org_active_list(*, actor=None) -> QuerySet:
    """The active organisations the actor sees (all of them without an actor), tree order."""
    qs = Organisation.objects.filter(active=True)
    if actor is not None:
        qs = scope_queryset(qs, actor, field="")
    return qs.order_by("path")


def org_external_list() -> QuerySet:
    """Active external parties (forwarding targets), by code."""
    return Organisation.objects.filter(kind=OrgKind.EXTERNAL, active=True).order_by("code")


def org_internal_list(*, actor=None) -> QuerySet:
    """Active organisations of the carrier itself (those the actor sees, with an actor), tree order."""
    qs = Organisation.objects.filter(active=True).exclude(kind=OrgKind.EXTERNAL)
    if actor is not None:
        qs = scope_queryset(qs, actor, field="")
    return qs.order_by("path")


def org_internal_find(*, actor, org_id) -> Organisation | None:
    """One of the carrier's own organisations (active or not) in the actor's subtree (all, with
    scope.all_orgs), or None: one outside the scope is answered like one that does not exist."""
    if not str(org_id).isdigit():
        return None
    qs = scope_queryset(Organisation.objects.exclude(kind=OrgKind.EXTERNAL), actor, field="")
    return qs.filter(pk=int(org_id)).first()


def org_province_list() -> QuerySet:
    """Active province centers, tree order (the base provinces external parties can have)."""
    return Organisation.objects.filter(active=True, kind=OrgKind.PROVINCE).order_by("path")


def org_by_ids(ids) -> dict[int, Organisation]:
    """The organisations with these ids, by id (e.g. the chain named by a path)."""
    return {o.pk: o for o in Organisation.objects.filter(pk__in=list(ids))}


def org_root() -> Organisation | None:
    """The first active top-level organisation (where system accounts live)."""
    return Organisation.objects.filter(parent__isnull=True, active=True).order_by("pk").first()
