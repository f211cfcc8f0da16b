"""Attachments: size- and type-checked, content-hashed, stored under MEDIA_ROOT."""

from __future__ import annotations

import hashlib
import os

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_record
from kefu.core.errors import ValidationFailed
from kefu.params.selectors import param_get

from ..models import Attachment, WorkOrder

# Extension → content types we accept for it (the browser's claim must agree).
_SIGNATURES = {
    "pdf": b"%PDF", "png": b"\x89PNG", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "gif": b"GIF8",
}


def attachment_check(name: str, data: bytes) -> str:
    """The file's extension if a file of this name and content may be attached (type, size, content);
    ``ValidationFailed`` saying why not. Other doors that keep files (e-mail, letters) ask the same."""
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    allowed = {e.strip().lower() for e in param_get("workorders.attachment.types").split(",") if e.strip()}
    if not ext or ext not in allowed:
        raise ValidationFailed(_("Files of type “%(ext)s” are not accepted; allowed: %(allowed)s.") % {
            "ext": ext or "?", "allowed": ", ".join(sorted(allowed))}, code="attachment_type")
    limit = param_get("workorders.attachment.max_mb") * 1024 * 1024
    if len(data) > limit:
        raise ValidationFailed(_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
                               code="attachment_too_large")
    if not data:
        raise ValidationFailed(_("The file is empty."), code="attachment_empty")
    magic = _SIGNATURES.get(ext)
    if magic and not data.startswith(magic):
        raise ValidationFailed(_("The file's content does not match its “.%(ext)s” name.") % {"ext": ext},
                               code="attachment_type")
    return ext


def attachment_name(name: str) -> str:
    """The name a file is kept under: no directories, at most 200 characters."""
    return os.path.basename((name or "").replace("\\", "/")).strip()[:200] or "file"


@transaction.atomic
def attachment_add(*, actor, order: WorkOrder, name: str, data: bytes, content_type: str = "") -> Attachment:
    """Attach a checked file to ``order``; ``actor`` is a member of staff, or a label for a door where none acts
    (an e-mail from the customer)."""
    name = attachment_name(name)
    attachment_check(name, data)
    digest = hashlib.sha256(data).hexdigest()
    att = Attachment(order=order, name=name, size=len(data), content_type=(content_type or "application/octet-stream")[:100],
                     sha256=digest, uploaded_by=actor if getattr(actor, "pk", None) else None)
    # Stored under a content-derived name: never the user's, so no path tricks or clashes.
    ext = os.path.splitext(name)[1].lower()
    att.file.save(f"{digest[:32]}{ext}", ContentFile(data), save=False)
    att.save()
    audit_record(actor=actor, action="create", obj=att, object_repr=f"{order.serial}: {name}",
                 changes={"name": [None, name], "size": [None, len(data)], "sha256": [None, digest]})
    return att
