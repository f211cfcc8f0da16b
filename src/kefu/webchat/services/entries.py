"""Chat entries: which chat queue a hotline's chat page feeds. One write path, audited, versioned."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_record
from kefu.core.errors import Conflict, ValidationFailed

from ..models import ChatEntry

if TYPE_CHECKING:
    from kefu.contactcenter.models import Queue
    from kefu.orgs.models import Organisation

FIELDS = ("hotline", "name", "org", "queue", "welcome", "enabled")


@dataclass
class EntryInput:
    hotline: str
    name: str
    org: Organisation
    queue: Queue
    welcome: str = ""
    enabled: bool = True


def _check(data: EntryInput) -> None:
    if not data.hotline.strip().isdigit():
        raise ValidationFailed(_("A hotline number has digits only."), code="invalid_hotline",
                               details={"hotline": _("Digits only.")})
    if not data.name.strip():
        raise ValidationFailed(_("Give the entry a name."), code="name_required", details={"name": _("Required.")})
    if getattr(data.queue, "channel", "") != "chat":
        raise ValidationFailed(_("Choose a queue of the web chat channel."), code="not_a_chat_queue",
                               details={"queue": _("Choose a queue of the web chat channel.")})


def _value(v):
    return v.pk if hasattr(v, "pk") else v


@transaction.atomic
def entry_create(*, actor, data: EntryInput) -> ChatEntry:
    _check(data)
    entry = ChatEntry(hotline=data.hotline.strip(), name=data.name.strip(), org=data.org, queue=data.queue,
                      welcome=data.welcome.strip(), enabled=data.enabled)
    if ChatEntry.objects.filter(hotline=entry.hotline).exists():
        raise Conflict(_("This hotline already has a chat entry."), code="hotline_taken",
                       details={"hotline": _("Already set up.")})
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise Conflict(_("This hotline already has a chat entry."), code="hotline_taken") from None
    audit_record(actor=actor, action="create", obj=entry,
                 changes={f: [None, _value(getattr(entry, f))] for f in FIELDS})
    return entry


@transaction.atomic
def entry_update(*, actor, entry_id: int, data: EntryInput, version: int | None = None) -> ChatEntry:
    _check(data)
    entry = ChatEntry.objects.select_for_update().get(pk=entry_id)
    if version is not None and version != entry.version:
        raise Conflict(_("Someone changed this entry meanwhile. Reload and try again."), code="stale")
    hotline = data.hotline.strip()
    if hotline != entry.hotline and ChatEntry.objects.filter(hotline=hotline).exists():
        raise Conflict(_("This hotline already has a chat entry."), code="hotline_taken",
                       details={"hotline": _("Already set up.")})
    before = {f: _value(getattr(entry, f)) for f in FIELDS}
    entry.hotline, entry.name, entry.org, entry.queue = hotline, data.name.strip(), data.org, data.queue
    entry.welcome, entry.enabled = data.welcome.strip(), data.enabled
    entry.version += 1
    entry.save()
    changes = {f: [before[f], _value(getattr(entry, f))] for f in FIELDS if before[f] != _value(getattr(entry, f))}
    audit_record(actor=actor, action="update", obj=entry, changes=changes)
    return entry
