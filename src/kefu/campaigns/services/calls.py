"""A campaign's calls: each attempt is an outbound contact offered through the router, as a preview or, in
progressive mode, dialled as soon as it is offered (``_progressive``).

The dispatcher queues the contact (``dialer.outbound_contact_open``, purpose ``campaign``); an agent sees
the customer, the campaign and its script, accepts, Kefu dials and bridges the answer. The dialer tells
this module how the dial went (``_dial_finished``): not reached → the outcome comes from the dial (no
answer, busy, invalid number); answered → the agent records the outcome at wrap-up (``_wrapped_up``), the
one write path of outcomes (``target_outcome_record``), which also decides the retry by rule.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed

from .. import rules
from ..models import Attempt, Campaign, DialMode, Outcome, Target, TargetState

PURPOSE = "campaign"
SYSTEM = "system"


def _attempt_of(dial) -> Attempt | None:
    # Unique index on campaigns_attempt.contact_id.
    return Attempt.objects.select_related("campaign", "target").filter(contact_id=dial.contact_id).first()


def _dial_started(dial) -> None:
    Attempt.objects.filter(contact_id=dial.contact_id).update(agent_id=dial.staff_id)


def _dial_finished(dial) -> None:
    attempt = _attempt_of(dial)
    if attempt is None:
        return
    now = clock.now()
    if dial.outcome == "answered":
        Attempt.objects.filter(pk=attempt.pk).update(dial_outcome="answered", answered_at=now, agent_id=dial.staff_id)
        return
    Attempt.objects.filter(pk=attempt.pk).update(dial_outcome=dial.outcome, agent_id=dial.staff_id)
    attempt.dial_outcome = dial.outcome
    target_outcome_record(attempt=attempt, outcome=rules.dial_outcome(dial.outcome), actor=None)


def _progressive(dial) -> bool:
    attempt = _attempt_of(dial)
    return attempt is not None and attempt.campaign.dial_mode == DialMode.PROGRESSIVE


def _brief(dial) -> dict | None:
    attempt = _attempt_of(dial)
    if attempt is None:
        return None
    c, t = attempt.campaign, attempt.target
    outcomes = [(code, str(Outcome(code).label)) for code in c.outcomes if code in Outcome.values]
    return {"kind": "campaign", "campaign": c.pk, "title": f"{c.name} · {c.get_kind_display()}",
            "script": c.script_text(), "outcomes": outcomes, "max_attempts": c.max_attempts,
            "target": t.pk, "name": t.name, "note": t.note}


def _wrapped_up(dial, *, actor, disposition: str, notes: str) -> None:
    attempt = _attempt_of(dial)
    if attempt is None:
        return
    if disposition not in attempt.campaign.outcomes:
        raise ValidationFailed(_("Choose one of the campaign's outcomes."), code="invalid_outcome",
                               details={"outcomes": attempt.campaign.outcomes})
    target_outcome_record(attempt=attempt, outcome=disposition, actor=actor, notes=notes)


def register() -> None:
    """Called from the app's ``ready()``: the dialer tells campaigns about their calls."""
    from kefu.contactcenter.services.purposes import purpose_register

    purpose_register(PURPOSE, started=_dial_started, finished=_dial_finished, brief=_brief, wrapped_up=_wrapped_up,
                     progressive=_progressive)


def target_outcome_record(*, attempt: Attempt, outcome: str, actor, notes: str = "") -> Target:
    """The outcome of one attempt, and what follows for its target: done, or another attempt later by rule.

    In the caller's transaction (the dial's or the wrap-up's). A late or repeated outcome for an attempt
    that already has one changes nothing.
    """
    if outcome not in rules.OUTCOMES:
        raise ValidationFailed(_("Unknown outcome."), code="invalid_outcome")
    target = Target.objects.select_for_update().get(pk=attempt.target_id)
    fresh = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if fresh.outcome:
        return target
    campaign: Campaign = attempt.campaign
    now = clock.now()
    fresh.outcome, fresh.ended_at = outcome, now
    if actor is not None:
        fresh.agent = actor
    fresh.save(update_fields=["outcome", "ended_at", "agent"])
    before = {"state": target.state, "outcome": target.outcome, "attempts": target.attempts}
    target.attempts = max(target.attempts, fresh.seq)
    target.outcome = outcome
    if actor is not None:
        target.agent = actor
    if notes:
        target.notes = notes[:2000]
    step = rules.after_outcome(outcome, attempts=target.attempts, max_attempts=campaign.max_attempts,
                               retry_delay=timedelta(minutes=campaign.retry_minutes))
    if target.state == TargetState.ACTIVE:  # a stopped campaign's target stays cancelled
        if step.done or not campaign.open:
            target.state, target.done_at, target.next_attempt_at = TargetState.DONE, now, None
        else:
            target.state, target.next_attempt_at = TargetState.RETRY, now + (step.retry_after or timedelta())
    target.contact_id = None
    target.version += 1
    target.save()
    audit_record(actor=actor or SYSTEM, action=AuditAction.UPDATE, obj=target, object_repr=f"target {target.pk}",
                 changes={k: [v, getattr(target, k)] for k, v in before.items() if v != getattr(target, k)},
                 note=f"campaign {campaign.pk} attempt {fresh.seq}: {outcome}",
                 conditions={"customers": [target.customer_id]} if target.customer_id else None)
    return target


def answered_unrecorded_close(*, grace: timedelta) -> int:
    """Answered calls whose agent never recorded an outcome (the wrap-up ran out) count as reached."""
    now = clock.now()
    done = 0
    # Few rows: answered attempts without an outcome are the calls in progress.
    stale = Attempt.objects.filter(outcome="", dial_outcome="answered", answered_at__lte=now - grace)
    for pk in stale.values_list("pk", flat=True)[:200]:
        with transaction.atomic():
            attempt = Attempt.objects.select_related("campaign").get(pk=pk)
            target_outcome_record(attempt=attempt, outcome=Outcome.REACHED, actor=None)
            done += 1
    return done
