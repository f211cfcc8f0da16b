"""Improvement actions (整改): assigned to an agent with a due date, marked done by the agent or by
whoever manages them; audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed
from kefu.iam.selectors import staff_get

from .. import selectors
from ..models import Improvement, ImprovementState

MAX_TEXT = 2000


@transaction.atomic
def improvement_create(
    *, actor, title: str, due_on: date, agent_id=None, inspection_id=None, detail: str = ""
) -> Improvement:
    """An action for the agent of ``inspection_id`` (or for ``agent_id``), due on ``due_on``."""
    title, detail = (title or "").strip(), (detail or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed(
            _("Say what must be done (at most 200 characters)."),
            code="invalid_title",
            details={"title": _("Required, at most 200 characters.")},
        )
    if len(detail) > MAX_TEXT:
        raise ValidationFailed(
            _("The detail is too long."), code="text_too_long", details={"detail": _("Too long.")}
        )
    if due_on < clock.now().date():
        raise ValidationFailed(
            _("The due date lies in the past."), code="due_past", details={"due_on": _("Today or later.")}
        )
    inspection = None
    if inspection_id is not None:
        inspection = selectors.inspection_get(actor=actor, inspection_id=inspection_id)
        agent = inspection.agent
    elif agent_id is not None:
        agent = staff_get(actor=actor, staff_id=agent_id)
    else:
        raise ValidationFailed(
            _("Name the agent or the inspection."),
            code="agent_required",
            details={"agent_id": _("Required.")},
        )
    action = Improvement.objects.create(
        inspection=inspection,
        agent=agent,
        org_id=agent.org_id,
        title=title,
        detail=detail,
        due_on=due_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=action,
        changes={
            "agent": [None, agent.pk],
            "inspection": [None, inspection.pk if inspection else None],
            "title": [None, title],
            "due_on": [None, due_on.isoformat()],
        },
    )
    return action


@transaction.atomic
def improvement_done(*, actor, improvement_id, note: str = "", own: bool = False) -> Improvement:
    """Mark an action done: the agent their own (``own``), a manager any in scope."""
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise ValidationFailed(
            _("The note is too long."), code="text_too_long", details={"note": _("Too long.")}
        )
    found = selectors.improvement_get(actor=actor, improvement_id=improvement_id, own=own)
    action = Improvement.objects.select_for_update().get(pk=found.pk)
    if action.state == ImprovementState.DONE:
        raise Conflict(_("This action is already done."), code="already_done")
    action.state, action.done_at, action.done_note = ImprovementState.DONE, clock.now(), note
    action.save(update_fields=["state", "done_at", "done_note"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=action,
        changes={"state": [ImprovementState.OPEN, ImprovementState.DONE], "done_note": [None, note]},
    )
    return action
