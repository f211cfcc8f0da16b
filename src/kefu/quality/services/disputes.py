"""An agent's dispute of a score (申诉), once, with a reason; a supervisor's decision (uphold or revise).

The agent reaches only their own results (``selectors.own_inspection_get``); the supervisor only
inspections of their scope, and never their own. Both are audited with the score before and after.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Conflict, PermissionDenied, ValidationFailed

from .. import selectors
from ..models import Decision, Inspection, InspectionState

MAX_TEXT = 2000


def _text(value: str, field: str, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(_("Give a reason."), code="reason_required", details={field: _("Required.")})
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            _("The text is longer than %(n)s characters.") % {"n": MAX_TEXT},
            code="text_too_long",
            details={field: _("Too long.")},
        )
    return text


@transaction.atomic
def inspection_dispute(*, actor, inspection_id, reason: str) -> Inspection:
    """The agent disputes their score; allowed once, while it stands as scored."""
    reason = _text(reason, "reason", required=True)
    found = selectors.own_inspection_get(actor=actor, inspection_id=inspection_id)
    inspection = Inspection.objects.select_for_update().get(pk=found.pk)
    if not inspection.can_dispute():
        raise Conflict(
            _("This result can no longer be disputed (a result is disputed once)."),
            code="dispute_not_allowed",
        )
    inspection.state, inspection.dispute_reason, inspection.disputed_at = (
        InspectionState.DISPUTED,
        reason,
        clock.now(),
    )
    inspection.save(update_fields=["state", "dispute_reason", "disputed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=inspection,
        note="dispute",
        changes={
            "state": [InspectionState.SCORED, InspectionState.DISPUTED],
            "dispute_reason": [None, reason],
        },
    )
    return inspection


def _score(value) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        score = Decimal(-1)
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationFailed(
            _("A revised score is from 0 to 100."),
            code="invalid_score",
            details={"score": _("From 0 to 100.")},
        )
    return score


@transaction.atomic
def dispute_decide(*, actor, inspection_id, decision: str, note: str = "", score=None) -> Inspection:
    """Uphold the score, or revise it to ``score`` (a revised score above 0 clears the fatal mark)."""
    if decision not in Decision.values:
        raise ValidationFailed(
            _("Uphold or revise."), code="invalid_decision", details={"decision": _("Unknown.")}
        )
    note = _text(note, "note", required=decision == Decision.REVISED)
    revised = _score(score) if decision == Decision.REVISED else None
    found = selectors.inspection_get(actor=actor, inspection_id=inspection_id)
    inspection = Inspection.objects.select_for_update().get(pk=found.pk)
    if inspection.agent_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Nobody decides a dispute of their own."), code="own_dispute")
    if not inspection.can_decide():
        raise Conflict(
            _("Only a disputed result waiting for a decision can be decided."), code="invalid_state"
        )
    before = inspection.score
    changes = {"state": [InspectionState.DISPUTED, InspectionState.DECIDED], "decision": [None, decision]}
    if revised is not None:
        inspection.original_score = before
        inspection.score = revised
        if revised > 0 and inspection.fatal:
            inspection.fatal = False
            changes["fatal"] = [True, False]
        changes["score"] = [str(before), str(revised)]
    inspection.state, inspection.decision, inspection.decision_note = InspectionState.DECIDED, decision, note
    inspection.decided_by, inspection.decided_at = actor, clock.now()
    inspection.save()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=inspection, note="dispute decided", changes=changes
    )
    return inspection
