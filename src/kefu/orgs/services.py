"""Changes to the organisation tree. Each runs in one transaction with its
audit entry; moving a node rewrites the materialised paths of its subtree.

Services check business rules only (kinds, cycles, duplicates, depth); *who*
may touch *which* node is the caller's job through
``selectors.org_get_visible`` and ``selectors.org_parent_for``, so that the
demo seed and tests can call them with a plain ``actor="system"``.

Structural writes (create under a parent, move, (de)activate) take one tree
lock: a materialised path is only correct if nobody moves an ancestor while
it is computed, and two concurrent moves could otherwise each pass the cycle
check and together make a cycle. Such writes are rare administrative acts,
so serialising them costs nothing that matters.
"""

from __future__ import annotations

import re
from typing import cast

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create, audit_update, snapshot
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed

from .models import ExternalKind, Organisation, OrgKind

_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_MAX_LENGTHS = {"code": 32, "name": 100, "phone": 32, "address": 200}
_PATH_MAX = cast(int, Organisation._meta.get_field("path").max_length)
#: Key of the PostgreSQL advisory lock that serialises structural tree writes.
_TREE_LOCK_KEY = 0x6B6566756F7267  # "kefuorg"

_FIELDS = ("code", "name", "kind", "external_kind", "parent", "active", "phone", "address")

#: Which kinds may sit under which (None = a root).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.HQ: {None},
    OrgKind.PROVINCE: {OrgKind.HQ, None},
    OrgKind.CITY: {OrgKind.PROVINCE},
    OrgKind.DEPARTMENT: {OrgKind.HQ, OrgKind.PROVINCE, OrgKind.CITY, OrgKind.DEPARTMENT},
    OrgKind.EXTERNAL: {OrgKind.HQ, OrgKind.PROVINCE, None},
}


def _lock_tree() -> None:
    """Serialise structural writes. SQLite needs nothing: Kefu opens its
    transactions IMMEDIATE, so writers already queue one after the other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TREE_LOCK_KEY])


def _kind_label(kind: str | None) -> str:
    return str(OrgKind(kind).label) if kind in OrgKind.values else str(kind)


def _check_parent(kind: str, parent: Organisation | None) -> None:
    allowed = ALLOWED_PARENTS.get(kind)
    if allowed is None:
        raise ValidationFailed(_("Unknown organisation kind “%(kind)s”.") % {"kind": kind}, code="invalid_kind")
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        if parent is None:
            message = _("A “%(kind)s” cannot be at the top of the tree; choose a parent.") % {
                "kind": _kind_label(kind)
            }
        else:
            message = _("A “%(kind)s” cannot be placed under “%(parent)s”, which is a “%(parent_kind)s”.") % {
                "kind": _kind_label(kind), "parent": parent.name, "parent_kind": _kind_label(parent_kind),
            }
        raise ValidationFailed(message, code="invalid_parent")
    if parent is not None and not parent.active:
        raise ValidationFailed(
            _("The parent organisation “%(parent)s” is deactivated.") % {"parent": parent.name},
            code="parent_inactive",
        )


def _check_lengths(**values: str | None) -> None:
    for name, value in values.items():
        limit = _MAX_LENGTHS[name]
        if value is not None and len(value) > limit:
            raise ValidationFailed(
                _("%(field)s: at most %(n)d characters.")
                % {"field": cast(models.Field, Organisation._meta.get_field(name)).verbose_name, "n": limit},
                code="too_long", details={"field": name},
            )


def _check_path_fits(length: int) -> None:
    # The materialised path is a bounded column; refuse a tree deeper than it
    # can hold rather than let the database truncate or reject it half-way.
    if length > _PATH_MAX:
        raise ValidationFailed(_("The organisation tree would become too deep."), code="too_deep")


def _check_external(kind: str, external_kind: str) -> str:
    if kind == OrgKind.EXTERNAL:
        if external_kind not in {c for c, _l in ExternalKind.choices if c}:
            raise ValidationFailed(_("Choose what kind of external party this is."), code="invalid_external_kind")
        return external_kind
    return ""


def _check_version(org: Organisation, version: int | None) -> None:
    if version is not None and version != org.version:
        raise Conflict(_("Someone else changed this organisation; reload and try again."), code="stale")


@transaction.atomic
def org_create(
    *, actor, code: str, name: str, kind: str, parent: Organisation | None = None,
    external_kind: str = "", phone: str = "", address: str = "",
) -> Organisation:
    code, name = (code or "").strip(), (name or "").strip()
    phone, address = (phone or "").strip(), (address or "").strip()
    if not code or not name:
        raise ValidationFailed(_("Code and name are required."), code="required")
    _check_lengths(code=code, name=name, phone=phone, address=address)
    if not _CODE_RE.match(code):
        raise ValidationFailed(
            _("The code may contain only letters, digits, “-”, “_” and “.”."), code="invalid_code"
        )
    _lock_tree()
    if parent is not None:
        parent = Organisation.objects.get(pk=parent.pk)  # its path as of now, under the lock
    _check_parent(kind, parent)
    external_kind = _check_external(kind, external_kind)
    if Organisation.objects.filter(code=code).exists():
        raise Conflict(_("An organisation with code “%(code)s” already exists.") % {"code": code}, code="duplicate_code")
    org = Organisation(
        code=code, name=name, kind=kind, parent=parent, external_kind=external_kind, phone=phone, address=address
    )
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        raise Conflict(_("An organisation with code “%(code)s” already exists.") % {"code": code},
                       code="duplicate_code") from None
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    _check_path_fits(len(org.path))
    org.depth = parent.depth + 1 if parent else 0
    org.save(update_fields=["path", "depth"])
    audit_create(actor=actor, obj=org, fields=_FIELDS)
    return org


@transaction.atomic
def org_update(
    *, actor, org: Organisation, name: str | None = None, phone: str | None = None,
    address: str | None = None, external_kind: str | None = None, version: int | None = None,
) -> Organisation:
    """Change the descriptive fields. Code and kind are fixed once created:
    integrations and forwarded work refer to the code, and the kind decides
    where the node may sit."""
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    _check_version(org, version)
    before = snapshot(org, _FIELDS)
    name = name.strip() if name is not None else None
    phone = phone.strip() if phone is not None else None
    address = address.strip() if address is not None else None
    _check_lengths(name=name, phone=phone, address=address)
    if name is not None:
        if not name:
            raise ValidationFailed(_("The name is required."), code="required")
        org.name = name
    if phone is not None:
        org.phone = phone
    if address is not None:
        org.address = address
    if external_kind is not None:
        org.external_kind = _check_external(org.kind, external_kind)
    if snapshot(org, _FIELDS) == before:
        return org
    org.version += 1
    org.save()
    audit_update(actor=actor, obj=org, before=before)
    return org


@transaction.atomic
def org_move(
    *, actor, org: Organisation, new_parent: Organisation | None, version: int | None = None
) -> Organisation:
    """Put ``org`` (with its subtree) under ``new_parent``; never makes a cycle."""
    _lock_tree()
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    _check_version(org, version)
    if new_parent is not None:
        new_parent = Organisation.objects.get(pk=new_parent.pk)
        if new_parent.pk == org.pk:
            raise ValidationFailed(
                _("“%(org)s” cannot be moved under itself.") % {"org": org.name}, code="cycle"
            )
        if new_parent.path.startswith(org.path):
            raise ValidationFailed(
                _("“%(org)s” cannot be moved under “%(parent)s”, because “%(parent)s” is one of its own "
                  "sub-organisations; that would make a loop in the tree.")
                % {"org": org.name, "parent": new_parent.name},
                code="cycle",
            )
    if (new_parent.pk if new_parent else None) == org.parent_id:
        return org
    _check_parent(org.kind, new_parent)
    before = snapshot(org, _FIELDS)
    old_path = org.path
    new_path = f"{new_parent.path if new_parent else '/'}{org.pk}/"
    depth_delta = (new_parent.depth + 1 if new_parent else 0) - org.depth
    subtree = Organisation.objects.filter(path__startswith=old_path)  # index on path (prefix match)
    longest = subtree.aggregate(n=Max(Length("path")))["n"]
    _check_path_fits(longest - len(old_path) + len(new_path))
    # Rewrite the whole subtree's paths in one statement.
    subtree.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )
    Organisation.objects.filter(pk=org.pk).update(
        parent=new_parent, version=F("version") + 1, updated_at=clock.now()
    )
    org.refresh_from_db()
    audit_update(actor=actor, obj=org, before=before)
    return org


@transaction.atomic
def org_set_active(*, actor, org: Organisation, active: bool, version: int | None = None) -> Organisation:
    """Deactivate (or reactivate) a node. Nothing is deleted: its people,
    history and audit trail stay, and it can be reactivated. A node with
    active sub-organisations must have them deactivated first, so no active
    node ever hangs under an inactive one."""
    _lock_tree()
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    _check_version(org, version)
    if org.active == active:
        return org
    if not active:
        active_children = list(org.children.filter(active=True).values_list("name", flat=True)[:5])
        if active_children:
            raise ValidationFailed(
                _("“%(org)s” still has active sub-organisations (%(children)s); deactivate them first.")
                % {"org": org.name, "children": ", ".join(active_children)},
                code="has_active_children",
            )
    if active and org.parent is not None and not org.parent.active:
        raise ValidationFailed(
            _("The parent organisation “%(parent)s” is deactivated; reactivate it first.")
            % {"parent": org.parent.name},
            code="parent_inactive",
        )
    before = snapshot(org, _FIELDS)
    org.active = active
    org.deactivated_at = None if active else clock.now()
    org.version += 1
    org.save()
    audit_update(actor=actor, obj=org, before=before)
    return org
