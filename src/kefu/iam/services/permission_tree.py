"""Keeping the database copy of the permission tree in step with the code."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from .. import registry
from ..models import PermissionNode


def permission_tree_sync(*, using: str = "default") -> dict[str, int]:
    """Create/update nodes declared in code; retire nodes no longer declared.

    Retired nodes keep their grants (history) but are no longer controlled,
    since ``registry.is_controlled`` only knows declared codes.
    """
    created = updated = retired = 0
    with transaction.atomic(using=using), translation.override("en"):
        existing = {n.code: n for n in PermissionNode.objects.using(using).all()}
        for node in registry.nodes():
            parent = existing.get(node.parent_code) if node.parent_code else None
            row = existing.get(node.code)
            label = str(node.label)
            if row is None:
                row = PermissionNode.objects.using(using).create(
                    code=node.code, parent=parent, kind=node.kind, label=label, position=node.position
                )
                existing[node.code] = row
                created += 1
            elif (row.parent_id, row.kind, row.label, row.position, row.retired) != (
                parent.pk if parent else None, node.kind, label, node.position, False
            ):
                row.parent, row.kind, row.label, row.position, row.retired = parent, node.kind, label, node.position, False
                row.save(using=using)
                updated += 1
        declared = {n.code for n in registry.nodes()}
        for code, row in existing.items():
            if code not in declared and not row.retired:
                row.retired = True
                row.save(using=using, update_fields=["retired"])
                retired += 1
    return {"created": created, "updated": updated, "retired": retired}
