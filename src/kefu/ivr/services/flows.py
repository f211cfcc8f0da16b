"""Editing IVR flows: create, change the draft (whole or node by node), publish.

Every write is audited. Publishing validates the draft (``kefu.ivr.flow``)
and stores it as a new immutable version; calls in progress keep theirs.
Warnings (a transfer to a queue that does not exist yet) do not block
publishing: the demo creates its queues after the flows, and the runtime
falls back to the default queue.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_delete, audit_record, audit_update, snapshot
from kefu.core import clock
from kefu.core.deletion import delete_unless_used
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.versioned import VersionedCache

from .. import flow as flowdef
from ..default_flow import DEFINITION, HOTLINE, NAME
from ..models import Flow, FlowVersion, IvrSession

FLOW_FIELDS = ("hotline", "name", "description", "active")
_HOTLINE_CHARS = set("0123456789+-")

_cache: dict[int, tuple[dict, flowdef.Flow]] = {}


def compiled(version: FlowVersion) -> flowdef.Flow:
    """The parsed flow of a version, cached by id.

    Versions never change, but an id can come back after a rolled-back
    transaction (SQLite reuses it), so the cached definition is compared too.
    """
    hit = _cache.get(version.pk)
    if hit is None or hit[0] != version.definition:
        hit = _cache[version.pk] = (version.definition, flowdef.parse(version.definition))
    return hit[1]


@dataclass
class Check:
    """Validation of a definition: errors block publishing, warnings do not."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def flow_check(definition) -> Check:
    """Errors from the pure validator plus warnings that need the database."""
    from kefu.contactcenter.selectors import queue_codes

    check = Check(errors=flowdef.problems_of(definition))
    if isinstance(definition, dict):
        codes = flowdef.queue_codes(definition)
        known = set(queue_codes(codes))
        for code in sorted(codes - known):
            check.warnings.append(_("Queue “%(code)s” does not exist (yet); calls would go to the default queue.")
                                  % {"code": code})
        collected = flowdef.variables_collected(definition)
        for node in flowdef.raw_nodes(definition):
            subject = node.get("subject")
            if isinstance(subject, str) and subject.startswith("var:") and subject[4:] not in collected:
                check.warnings.append(_("Node “%(id)s”: no collect node stores the variable “%(name)s”.")
                                      % {"id": node.get("id"), "name": subject[4:]})
    return check


def _clean_hotline(hotline: str) -> str:
    hotline = (hotline or "").strip()
    if not hotline or len(hotline) > 32 or not set(hotline) <= _HOTLINE_CHARS:
        raise ValidationFailed(_("A hotline number has digits only (e.g. 10086)."), code="invalid_hotline",
                               details={"hotline": _("A hotline number has digits only (e.g. 10086).")})
    return hotline


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ValidationFailed(_("The name is required (at most 64 characters)."), code="invalid_name",
                               details={"name": _("The name is required (at most 64 characters).")})
    return name


def _skeleton(hotline: str) -> dict:
    """A minimal valid flow: welcome, then an agent."""
    return {"start": "welcome", "nodes": [
        {"id": "welcome", "type": "play", "text": f"您好，欢迎致电{hotline}。", "next": "agent"},
        {"id": "agent", "type": "transfer", "queue": "GEN", "text": "正在为您转接人工服务，请稍候。"},
    ]}


def _staff(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def flow_create(*, actor, hotline: str, name: str, description: str = "", definition: dict | None = None) -> Flow:
    """A new flow with its first version (the given definition, or a skeleton)."""
    hotline, name = _clean_hotline(hotline), _clean_name(name)
    if Flow.objects.filter(hotline=hotline).exists():
        raise Conflict(_("A flow for hotline %(hotline)s exists already.") % {"hotline": hotline},
                       code="duplicate_hotline")
    definition = copy.deepcopy(definition) if definition is not None else _skeleton(hotline)
    flow = Flow.objects.create(hotline=hotline, name=name, description=(description or "")[:200], draft=definition,
                               draft_changed_at=clock.now(), draft_changed_by=_staff(actor))
    audit_create(actor=actor, obj=flow, fields=FLOW_FIELDS)
    flow_publish(actor=actor, flow=flow, note="created")
    return flow


@transaction.atomic
def flow_update(*, actor, flow: Flow, name: str | None = None, description: str | None = None,
                active: bool | None = None) -> Flow:
    flow = Flow.objects.select_for_update().get(pk=flow.pk)
    before = snapshot(flow, FLOW_FIELDS)
    if name is not None:
        flow.name = _clean_name(name)
    if description is not None:
        flow.description = description.strip()[:200]
    if active is not None:
        flow.active = bool(active)
    flow.save()
    audit_update(actor=actor, obj=flow, before=before)
    return flow


@transaction.atomic
def flow_delete(*, actor, flow: Flow) -> None:
    """Only a flow no call has used can be deleted; otherwise deactivate it (the CDRs keep their versions)."""
    flow = Flow.objects.select_for_update().get(pk=flow.pk)
    if IvrSession.objects.filter(flow=flow).exists():
        raise Conflict(_("Calls have used this flow; deactivate it instead of deleting it."), code="flow_in_use")
    audit_delete(actor=actor, obj=flow, fields=FLOW_FIELDS)
    delete_unless_used(flow, label=flow.name)


@transaction.atomic
def flow_draft_save(*, actor, flow: Flow, definition) -> Flow:
    """Replace the draft (the JSON editor). Any shape is kept so work is not lost; publishing checks it."""
    if not isinstance(definition, dict):
        raise ValidationFailed(_("The flow must be an object with “start” and a list of “nodes”."),
                               code="invalid_flow")
    flow = Flow.objects.select_for_update().get(pk=flow.pk)
    flow.draft, flow.draft_changed_at, flow.draft_changed_by = definition, clock.now(), _staff(actor)
    flow.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=flow, note="IVR draft saved")
    return flow


def _draft_nodes(flow: Flow) -> list:
    nodes = flow.draft.get("nodes") if isinstance(flow.draft, dict) else None
    if not isinstance(nodes, list):
        raise ValidationFailed(_("The draft is not a list of nodes; fix it in the JSON editor."), code="invalid_flow")
    return nodes


@transaction.atomic
def flow_node_save(*, actor, flow: Flow, node: dict, original_id: str | None = None) -> Flow:
    """Add a node, or replace the node ``original_id`` (renaming it updates the transitions to it).

    The node alone must be well formed (the whole flow is checked on publishing).
    """
    flow = Flow.objects.select_for_update().get(pk=flow.pk)
    nodes = _draft_nodes(flow)
    problems: list[str] = []
    flowdef._shape({"start": "", "nodes": [node]}, problems)
    if problems:
        raise ValidationFailed(_("The node is not valid: %(problems)s") % {"problems": "; ".join(problems)},
                               code="invalid_node", details={"problems": problems})
    ids = [n.get("id") for n in nodes if isinstance(n, dict)]
    new_id = node["id"]
    if original_id is None:
        if new_id in ids:
            raise Conflict(_("Node id “%(id)s” is used twice.") % {"id": new_id}, code="duplicate_node")
        nodes.append(node)
    else:
        if original_id not in ids:
            raise NotFound(_("No node “%(id)s” in the draft.") % {"id": original_id}, code="node_not_found")
        if new_id != original_id and new_id in ids:
            raise Conflict(_("Node id “%(id)s” is used twice.") % {"id": new_id}, code="duplicate_node")
        nodes[ids.index(original_id)] = node
        if new_id != original_id:
            _rename(flow.draft, original_id, new_id)
    flow.draft_changed_at, flow.draft_changed_by = clock.now(), _staff(actor)
    flow.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=flow, note=f"IVR draft node {new_id} saved")
    return flow


def _rename(definition: dict, old: str, new: str) -> None:
    if definition.get("start") == old:
        definition["start"] = new
    for n in definition.get("nodes", []):
        if not isinstance(n, dict):
            continue
        for key in ("next", "on_fail"):
            if n.get(key) == old:
                n[key] = new
        if isinstance(n.get("choices"), dict):
            n["choices"] = {k: (new if v == old else v) for k, v in n["choices"].items()}


@transaction.atomic
def flow_node_delete(*, actor, flow: Flow, node_id: str) -> Flow:
    """Remove a node from the draft; transitions to it are left dangling for the validator to point out."""
    flow = Flow.objects.select_for_update().get(pk=flow.pk)
    nodes = _draft_nodes(flow)
    kept = [n for n in nodes if not (isinstance(n, dict) and n.get("id") == node_id)]
    if len(kept) == len(nodes):
        raise NotFound(_("No node “%(id)s” in the draft.") % {"id": node_id}, code="node_not_found")
    flow.draft["nodes"] = kept
    flow.draft_changed_at, flow.draft_changed_by = clock.now(), _staff(actor)
    flow.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=flow, note=f"IVR draft node {node_id} deleted")
    return flow


@transaction.atomic
def flow_draft_reset(*, actor, flow: Flow) -> Flow:
    """Throw the draft away: back to the current version."""
    flow = Flow.objects.select_for_update().get(pk=flow.pk)
    current = flow.current_version()
    flow.draft = copy.deepcopy(current.definition) if current else _skeleton(flow.hotline)
    flow.draft_changed_at, flow.draft_changed_by = clock.now(), _staff(actor)
    flow.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=flow, note="IVR draft reset to the current version")
    return flow


@transaction.atomic
def flow_publish(*, actor, flow: Flow, note: str = "", definition: dict | None = None) -> FlowVersion:
    """Validate the draft (or ``definition``, which then becomes the draft) and store it as the next version."""
    flow = Flow.objects.select_for_update().get(pk=flow.pk)
    if definition is not None:
        flow.draft = copy.deepcopy(definition)
    check = flow_check(flow.draft)
    if not check.ok:
        raise ValidationFailed(
            _("The flow cannot be published: %(problems)s") % {"problems": "; ".join(check.errors)},
            code="invalid_flow", details={"problems": check.errors, "warnings": check.warnings},
        )
    number = (flow.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = FlowVersion.objects.create(flow=flow, number=number, definition=copy.deepcopy(flow.draft),
                                         note=(note or "")[:200], created_by=_staff(actor))
    flow.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=flow, changes={"version": [number - 1, number]},
                 note=(f"IVR flow published: {note}" if note else "IVR flow published")[:255])
    return version


def _active_versions() -> dict[str, FlowVersion]:
    """Hotline → current version of its active flow (a few hotlines; read on every call's arrival)."""
    out = {}
    for flow in Flow.objects.filter(active=True):
        version = flow.current_version()
        if version is not None:
            version.flow = flow
            out[flow.hotline] = version
    return out


_versions = VersionedCache("ivr.active_versions", _active_versions, watch=(Flow, FlowVersion))


def active_version_for(called: str) -> FlowVersion | None:
    """The current version of the active flow of a called number (unique index on hotline)."""
    called = (called or "").strip()
    if not called:
        return None
    return _versions.get().get(called)


@transaction.atomic
def ivr_seed(*, actor="demo-seed") -> Flow:
    """The default 10086 flow (idempotent: an existing 10086 flow is left as it is)."""
    existing = Flow.objects.filter(hotline=HOTLINE).first()
    if existing is not None:
        return existing
    return flow_create(actor=actor, hotline=HOTLINE, name=NAME, description="默认语音导航：话费、账单、积分、工单进度与人工服务",
                       definition=DEFINITION)
