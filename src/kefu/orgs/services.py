"""Changes to the organisation tree. Each runs in one transaction with its
audit entry; moving a node rewrites the materialised paths of its subtree."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create, audit_update, snapshot
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed

from .models import ExternalKind, Organisation, OrgKind

_FIELDS = ("code", "name", "kind", "external_kind", "parent", "active", "phone", "address")

#: Which kinds may sit under which (None = a root).
_ALLOWED_PARENTS = {
    OrgKind.HQ: {None},
    OrgKind.PROVINCE: {OrgKind.HQ, None},
    OrgKind.CITY: {OrgKind.PROVINCE},
    OrgKind.DEPARTMENT: {OrgKind.HQ, OrgKind.PROVINCE, OrgKind.CITY, OrgKind.DEPARTMENT},
    OrgKind.EXTERNAL: {OrgKind.HQ, OrgKind.PROVINCE, None},
}


def _check_parent(kind: str, parent: Organisation | None) -> None:
    allowed = _ALLOWED_PARENTS.get(kind)
    if allowed is None:
        raise ValidationFailed(_("Unknown organisation kind “%(kind)s”.") % {"kind": kind}, code="invalid_kind")
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        raise ValidationFailed(
            _("A %(kind)s cannot be placed under %(parent)s.")
            % {
                "kind": OrgKind(kind).label,
                "parent": OrgKind(parent_kind).label if parent_kind else _("the top of the tree"),
            },
            code="invalid_parent",
        )
    if parent is not None and not parent.active:
        raise ValidationFailed(_("The parent organisation is deactivated."), code="parent_inactive")


def _check_external(kind: str, external_kind: str) -> str:
    if kind == OrgKind.EXTERNAL:
        if external_kind not in {c for c, _l in ExternalKind.choices if c}:
            raise ValidationFailed(_("Choose what kind of external party this is."), code="invalid_external_kind")
        return external_kind
    return ""


@transaction.atomic
def org_create(
    *, actor, code: str, name: str, kind: str, parent: Organisation | None = None,
    external_kind: str = "", phone: str = "", address: str = "",
) -> Organisation:
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ValidationFailed(_("Code and name are required."), code="required")
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
    org.depth = parent.depth + 1 if parent else 0
    org.save(update_fields=["path", "depth"])
    audit_create(actor=actor, obj=org, fields=_FIELDS)
    return org


@transaction.atomic
def org_update(
    *, actor, org: Organisation, name: str | None = None, phone: str | None = None,
    address: str | None = None, external_kind: str | None = None, version: int | None = None,
) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if version is not None and version != org.version:
        raise Conflict(_("Someone else changed this organisation; reload and try again."), code="stale")
    before = snapshot(org, _FIELDS)
    if name is not None:
        if not name.strip():
            raise ValidationFailed(_("The name is required."), code="required")
        org.name = name.strip()
    if phone is not None:
        org.phone = phone
    if address is not None:
        org.address = address
    if external_kind is not None:
        org.external_kind = _check_external(org.kind, external_kind)
    org.version += 1
    org.save()
    audit_update(actor=actor, obj=org, before=before)
    return org


@transaction.atomic
def org_move(*, actor, org: Organisation, new_parent: Organisation | None) -> Organisation:
    """Put ``org`` (with its subtree) under ``new_parent``; never makes a cycle."""
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if new_parent is not None:
        new_parent = Organisation.objects.get(pk=new_parent.pk)
        if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
            raise ValidationFailed(
                _("An organisation cannot be moved under itself or one of its own sub-organisations."),
                code="cycle",
            )
    if (new_parent.pk if new_parent else None) == org.parent_id:
        return org
    _check_parent(org.kind, new_parent)
    before = snapshot(org, _FIELDS)
    old_path = org.path
    new_path = f"{new_parent.path if new_parent else '/'}{org.pk}/"
    depth_delta = (new_parent.depth + 1 if new_parent else 0) - org.depth
    # Rewrite the whole subtree's paths in one statement (index on path).
    Organisation.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )
    Organisation.objects.filter(pk=org.pk).update(parent=new_parent, version=F("version") + 1)
    org.refresh_from_db()
    audit_update(actor=actor, obj=org, before=before)
    return org


@transaction.atomic
def org_set_active(*, actor, org: Organisation, active: bool) -> Organisation:
    """Deactivate (or reactivate) a node. Its history and people stay; a node
    with active sub-organisations must have them deactivated first."""
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if org.active == active:
        return org
    if not active and org.children.filter(active=True).exists():
        raise ValidationFailed(
            _("Deactivate its active sub-organisations first."), code="has_active_children"
        )
    if active and org.parent is not None and not org.parent.active:
        raise ValidationFailed(_("The parent organisation is deactivated."), code="parent_inactive")
    before = snapshot(org, _FIELDS)
    org.active = active
    org.deactivated_at = None if active else clock.now()
    org.version += 1
    org.save()
    audit_update(actor=actor, obj=org, before=before)
    return org
