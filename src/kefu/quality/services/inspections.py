"""Inspections picked and scored: the one write path for the pick (by rule or by hand) and the score.

A pick reads contacts through the contact center's selectors (scoped to the inspector), skips contacts
already inspected, and creates one pending inspection per contact with the form that fits it. Scoring
computes the score with the pure ``scoring`` core on the inspection's own form version. Each write is
audited in its transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.contactcenter.selectors import contact_get, contacts_to_inspect
from kefu.core import clock
from kefu.core.errors import Conflict, PermissionDenied, ValidationFailed
from kefu.workorders.selectors import complaint_contact_ids

from .. import selectors
from ..models import FormVersion, Inspection, InspectionState, ScoreForm, Source
from ..sampling import sample_pick
from ..scoring import ScoringError, items_parse, score_compute

#: At most this many inspections from one pick: a larger draw is a mistake in the period or the rule.
MAX_PICK = 500
MAX_TEXT = 2000


@dataclass(frozen=True)
class SampleRule:
    """``source``: random (``per_agent`` per agent, drawn with ``seed``), complaint (every contact a
    complaint order came from), long_call (every call talked longer than ``min_talk_seconds``)."""

    source: str
    since: datetime
    until: datetime
    per_agent: int = 2
    seed: int | None = None
    min_talk_seconds: int = 600
    form_id: int | None = None


@dataclass
class PickOutcome:
    created: list[Inspection] = field(default_factory=list)
    already: int = 0
    no_form: int = 0
    seed: int | None = None


def _form(actor, form_id, contact, kinds: dict[int, str]) -> ScoreForm | None:
    if form_id:
        return selectors.form_get(actor=actor, form_id=form_id)
    queue = contact.queue.code if contact.queue is not None else ""
    return selectors.form_for(actor=actor, queue_code=queue, order_kind=kinds.get(contact.pk, ""))


def _version(form: ScoreForm) -> FormVersion:
    version = selectors.form_current(form)
    if version is None or not form.active:
        raise ValidationFailed(
            _("This scoring form is not in use."),
            code="form_inactive",
            details={"form_id": _("Choose an active form.")},
        )
    return version


def _row(actor, contact, version: FormVersion, source: str) -> Inspection:
    agent = contact.agent
    return Inspection(
        contact=contact,
        contact_at=contact.started_at,
        agent=agent,
        org_id=agent.org_id,
        team_id=agent.team_id,
        form_version=version,
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _check_period(since: datetime, until: datetime) -> None:
    if until <= since:
        raise ValidationFailed(
            _("The period ends before it starts."),
            code="invalid_period",
            details={"until": _("Must be after the start.")},
        )


@transaction.atomic
def inspections_pick(*, actor, rule: SampleRule) -> PickOutcome:
    """Pending inspections for the contacts a rule selects in the period (random, complaints, long calls)."""
    _check_period(rule.since, rule.until)
    if rule.form_id:
        selectors.form_get(actor=actor, form_id=rule.form_id)
    out = PickOutcome()
    kinds: dict[int, str] = {}
    if rule.source == Source.RANDOM:
        if not 1 <= rule.per_agent <= 50:
            raise ValidationFailed(
                _("Pick 1 to 50 contacts per agent."),
                code="invalid_per_agent",
                details={"per_agent": _("From 1 to 50.")},
            )
        out.seed = rule.seed if rule.seed is not None else secrets.randbelow(2**31)
        # Only ids and agents of the period's calls are read for the draw; the chosen few are loaded after.
        base = contacts_to_inspect(actor=actor, since=rule.since, until=rule.until)
        pairs = list(base.values_list("pk", "agent_id"))
        done = selectors.inspected_contact_ids(pk for pk, _agent in pairs)
        out.already = len(done)
        candidates: dict[int, list[int]] = {}
        for pk, agent_id in pairs:
            if pk not in done and agent_id is not None:  # the selector gives only contacts with an agent
                candidates.setdefault(agent_id, []).append(pk)
        chosen = sorted(
            i
            for ids in sample_pick(candidates, per_agent=rule.per_agent, seed=out.seed).values()
            for i in ids
        )
        contacts = list(contacts_to_inspect(actor=actor, since=rule.since, until=rule.until, ids=chosen))
    elif rule.source == Source.COMPLAINT:
        ids = complaint_contact_ids(actor=actor, since=rule.since, until=rule.until)
        contacts = list(contacts_to_inspect(actor=actor, since=rule.since, until=rule.until, ids=ids))
        kinds = {c.pk: "complaint" for c in contacts}
    elif rule.source == Source.LONG_CALL:
        if not 1 <= rule.min_talk_seconds <= 86_400:
            raise ValidationFailed(
                _("Give the talk time in seconds, 1 to 86400."),
                code="invalid_talk_time",
                details={"min_talk_seconds": _("From 1 to 86400.")},
            )
        contacts = list(
            contacts_to_inspect(
                actor=actor, since=rule.since, until=rule.until, min_talk_seconds=rule.min_talk_seconds
            )
        )
    else:
        raise ValidationFailed(_("Unknown rule."), code="invalid_rule", details={"source": _("Unknown.")})
    if rule.source != Source.RANDOM:
        done = selectors.inspected_contact_ids(c.pk for c in contacts)
        out.already = len(done)
        contacts = [c for c in contacts if c.pk not in done]
    if len(contacts) > MAX_PICK:
        raise ValidationFailed(
            _("The rule picks %(n)s contacts; narrow the period (at most %(max)s).")
            % {"n": len(contacts), "max": MAX_PICK},
            code="too_many_contacts",
        )
    # One form decision per queue and kind, one version read per form: a pick of hundreds stays a few queries.
    forms: dict[tuple[str, str], ScoreForm | None] = {}
    versions: dict[int, FormVersion] = {}
    rows = []
    for contact in contacts:
        key = (contact.queue.code if contact.queue is not None else "", kinds.get(contact.pk, ""))
        if key not in forms:
            forms[key] = _form(actor, rule.form_id, contact, kinds)
        form = forms[key]
        if form is None:
            out.no_form += 1
            continue
        if form.pk not in versions:
            versions[form.pk] = _version(form)
        rows.append(_row(actor, contact, versions[form.pk], rule.source))
    try:
        with transaction.atomic():
            out.created = Inspection.objects.bulk_create(rows)
    except IntegrityError:
        raise Conflict(
            _("Another pick took some of these contacts at the same time; pick again."),
            code="already_inspected",
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="quality.inspection",
        object_repr=_("Contacts picked for inspection"),
        result_count=len(out.created),
        conditions={
            "source": rule.source,
            "since": rule.since.isoformat(),
            "until": rule.until.isoformat(),
            "per_agent": rule.per_agent if rule.source == Source.RANDOM else None,
            "seed": out.seed,
            "min_talk_seconds": rule.min_talk_seconds if rule.source == Source.LONG_CALL else None,
            "form_id": rule.form_id,
            "contacts": [i.contact_id for i in out.created],
        },
    )
    return out


@transaction.atomic
def inspection_create(*, actor, contact_id, form_id=None) -> Inspection:
    """One contact picked by hand (it must have been answered by an agent and be over)."""
    contact = contact_get(actor=actor, contact_id=contact_id)
    if contact.agent_id is None or contact.answered_at is None or contact.ended_at is None:
        raise ValidationFailed(
            _("Only a finished contact an agent answered can be inspected."),
            code="contact_not_inspectable",
            details={"contact_id": _("Not inspectable.")},
        )
    if contact.agent_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Nobody inspects their own contacts."), code="own_contact")
    form = _form(actor, form_id, contact, {})
    if form is None:
        raise ValidationFailed(
            _("No active scoring form fits this contact; choose one."),
            code="no_form",
            details={"form_id": _("Choose a form.")},
        )
    try:
        with transaction.atomic():
            inspection = _row(actor, contact, _version(form), Source.MANUAL)
            inspection.save()
    except IntegrityError:
        raise Conflict(_("This contact is already inspected."), code="already_inspected") from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=inspection,
        changes={
            "contact": [None, contact.pk],
            "agent": [None, contact.agent_id],
            "source": [None, Source.MANUAL],
            "form_version": [None, inspection.form_version_id],
        },
    )
    return inspection


@dataclass(frozen=True)
class ScoreSheet:
    """What the inspector gave: points per ordinary item, the fatal items ticked, comments."""

    points: dict
    fatal_hits: list = field(default_factory=list)
    item_comments: dict = field(default_factory=dict)
    comment: str = ""


def _locked(actor, inspection_id) -> Inspection:
    found = selectors.inspection_get(actor=actor, inspection_id=inspection_id)
    return Inspection.objects.select_for_update().get(pk=found.pk)


@transaction.atomic
def inspection_score(*, actor, inspection_id, sheet: ScoreSheet) -> Inspection:
    """Score (or, until the agent disputes, correct the score of) an inspection on its own form version."""
    inspection = _locked(actor, inspection_id)
    if inspection.agent_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Nobody inspects their own contacts."), code="own_contact")
    if inspection.state not in (InspectionState.PENDING, InspectionState.SCORED) or inspection.disputed_at:
        raise Conflict(
            _("A disputed inspection is no longer scored; its dispute is decided."), code="invalid_state"
        )
    comments = {str(k): str(v)[:500] for k, v in (sheet.item_comments or {}).items() if str(v).strip()}
    if len(sheet.comment or "") > MAX_TEXT:
        raise ValidationFailed(
            _("The comment is longer than %(n)s characters.") % {"n": MAX_TEXT},
            code="comment_too_long",
            details={"comment": _("Too long.")},
        )
    try:
        items = items_parse(inspection.form_version.items)
        score = score_compute(items, sheet.points, sheet.fatal_hits)
    except ScoringError as exc:
        raise ValidationFailed(exc.message, code="invalid_points", details={exc.field: exc.message}) from None
    unknown = set(comments) - {i.key for i in items}
    if unknown:
        raise ValidationFailed(
            _("Comments name items not on the form."),
            code="invalid_points",
            details={"item_comments": ", ".join(sorted(unknown))},
        )
    before = str(inspection.score) if inspection.score is not None else None
    inspection.points, inspection.fatal_hits = score.points, list(score.fatal_hits)
    inspection.item_comments, inspection.comment = comments, (sheet.comment or "").strip()
    inspection.score, inspection.fatal = score.total, score.fatal
    inspection.inspector, inspection.scored_at = actor, clock.now()
    inspection.state = InspectionState.SCORED
    inspection.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=inspection,
        changes={
            "score": [before, str(score.total)],
            "fatal": [None, score.fatal],
            "points": [None, score.points],
            "fatal_hits": [None, list(score.fatal_hits)],
            "comment": [None, inspection.comment],
        },
    )
    inspection.refresh_from_db()
    return inspection
