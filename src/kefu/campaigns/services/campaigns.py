"""Campaign writes: create, edit, start, pause, stop. One path each, audited, with optimistic versions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import time

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_record, audit_update, snapshot
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, ValidationFailed

from .. import rules
from ..models import Campaign, CampaignState, DialMode, Kind, Target, TargetState

FIELDS = ("name", "kind", "description", "org", "queue", "state", "script", "outcomes", "pacing", "dial_mode", "max_attempts",
          "retry_minutes", "recent_days", "hours_start", "hours_end", "auto_closed_complaints", "sample_percent")
MAX_STEPS = 30


@dataclass
class CampaignData:
    """What a person sets on a campaign (create and edit)."""

    name: str
    kind: str
    queue_id: int
    org_id: int | None = None
    description: str = ""
    script: list[dict] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=lambda: list(rules.AGENT_OUTCOMES))
    pacing: int = 5
    dial_mode: str = "preview"
    max_attempts: int = 3
    retry_minutes: int = 60
    recent_days: int = 30
    hours_start: time = time(9, 0)
    hours_end: time = time(21, 0)
    auto_closed_complaints: bool = False
    sample_percent: int = 100


def _clean(actor, data: CampaignData) -> dict:
    """Checked values, or ``ValidationFailed`` naming each bad field (nothing is written)."""
    from kefu.contactcenter.selectors import queue_get
    from kefu.orgs.selectors import org_get_visible

    errors: dict[str, str] = {}
    name = (data.name or "").strip()
    if not name or len(name) > 100:
        errors["name"] = _("Enter a name of at most 100 characters.")
    if data.kind not in Kind.values:
        errors["kind"] = _("Choose a campaign kind.")
    if data.dial_mode not in DialMode.values:
        errors["dial_mode"] = _("Choose preview or progressive dialling.")
    script = []
    if not isinstance(data.script, list) or len(data.script) > MAX_STEPS:
        errors["script"] = _("A script has at most %(n)s steps.") % {"n": MAX_STEPS}
    else:
        for step in data.script:
            text = str((step or {}).get("text", "")).strip()[:1000] if isinstance(step, dict) else ""
            question = str(step.get("question", "")).strip()[:300] if isinstance(step, dict) else ""
            if not text and not question:
                errors["script"] = _("Every script step needs a text or a question.")
                break
            script.append({"text": text, "question": question})
    outcomes = [o for o in dict.fromkeys(data.outcomes or []) if o]
    if not outcomes or any(o not in rules.AGENT_OUTCOMES for o in outcomes):
        errors["outcomes"] = _("Choose the outcomes agents may record (reached, success, refused, call back later).")
    ranges = {"pacing": (1, 500), "max_attempts": (1, 10), "retry_minutes": (1, 7 * 24 * 60),
              "recent_days": (0, 365), "sample_percent": (0, 100)}
    for key, (low, high) in ranges.items():
        value = getattr(data, key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[key] = _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    if not isinstance(data.hours_start, time) or not isinstance(data.hours_end, time):
        errors["hours_start"] = _("Enter the calling hours as HH:MM.")
    queue = org = None
    try:
        queue = queue_get(actor=actor, queue_id=data.queue_id)
    except NotFound:
        errors["queue_id"] = _("Choose a queue you may use.")
    if data.org_id is not None:
        try:
            org = org_get_visible(actor=actor, org_id=data.org_id)
        except NotFound:
            errors["org_id"] = _("Choose an organisation you may use.")
    elif queue is not None:
        org = queue.org
    if errors:
        raise ValidationFailed(_("Correct the campaign's fields."), code="invalid_campaign", details=errors)
    return {"name": name, "kind": data.kind, "description": (data.description or "").strip()[:2000],
            "queue": queue, "org": org, "script": script, "outcomes": outcomes, "pacing": data.pacing,
            "dial_mode": data.dial_mode,
            "max_attempts": data.max_attempts, "retry_minutes": data.retry_minutes, "recent_days": data.recent_days,
            "hours_start": data.hours_start, "hours_end": data.hours_end,
            "auto_closed_complaints": bool(data.auto_closed_complaints), "sample_percent": data.sample_percent}


def _fingerprint(data: CampaignData) -> str:
    values = {k: (v.isoformat() if isinstance(v, time) else v) for k, v in asdict(data).items()}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def campaign_create(*, actor, data: CampaignData, idempotency_key: str = "") -> tuple[Campaign, bool]:
    """A new campaign (draft). With ``idempotency_key``, the same key and data again returns the first
    campaign (created=False); the same key with other data is a ``Conflict``."""
    key = (idempotency_key or "").strip()[:64]
    if key:
        earlier = Campaign.objects.filter(created_by=actor, idempotency_key=key).first()
        if earlier is not None:
            return _replay(earlier, data)
    values = _clean(actor, data)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(**values, created_by=actor, idempotency_key=key,
                                               request_hash=_fingerprint(data) if key else "")
            audit_create(actor=actor, obj=campaign, fields=FIELDS)
    except IntegrityError:  # the same key at the same moment from another request
        earlier = Campaign.objects.filter(created_by=actor, idempotency_key=key).first()
        if earlier is None:
            raise
        return _replay(earlier, data)
    return campaign, True


def _replay(earlier: Campaign, data: CampaignData) -> tuple[Campaign, bool]:
    if earlier.request_hash != _fingerprint(data):
        raise Conflict(_("This idempotency key was used for another campaign."), code="idempotency_conflict",
                       details={"campaign": earlier.pk})
    return earlier, False


def _locked(campaign_id: int, version: int | None = None) -> Campaign:
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(_("Campaign not found."), code="campaign_not_found")
    if version is not None and version != campaign.version:
        raise Conflict(_("Someone changed this campaign meanwhile; reload it and try again."), code="stale",
                       details={"version": campaign.version})
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, data: CampaignData, version: int | None = None) -> Campaign:
    """Edit a draft or paused campaign (a running one is paused first, so agents never see a script change
    in the middle of a call)."""
    campaign = _locked(campaign.pk, version)
    if not campaign.can_edit():
        raise ValidationFailed(_("Pause the campaign before editing it."), code="invalid_state")
    values = _clean(actor, data)
    before = snapshot(campaign, FIELDS)
    for key, value in values.items():
        setattr(campaign, key, value)
    campaign.version += 1
    campaign.save()
    audit_update(actor=actor, obj=campaign, before=before)
    return campaign


def _transition(actor, campaign: Campaign, allowed: bool, state: str, note: str) -> Campaign:
    if not allowed:
        raise ValidationFailed(_("The campaign cannot do that in its present state (%(state)s).") % {
            "state": campaign.get_state_display()}, code="invalid_state", details={"state": campaign.state})
    before = campaign.state
    campaign.state = state
    now = clock.now()
    if state == CampaignState.RUNNING and campaign.started_at is None:
        campaign.started_at = now
    if state in (CampaignState.STOPPED, CampaignState.FINISHED):
        campaign.ended_at = now
    campaign.version += 1
    campaign.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=campaign, object_repr=campaign.name,
                 changes={"state": [before, state]}, note=note)
    return campaign


@transaction.atomic
def campaign_start(*, actor, campaign: Campaign) -> Campaign:
    campaign = _locked(campaign.pk)
    if campaign.can_start() and not Target.objects.filter(
            campaign=campaign, state__in=(TargetState.PENDING, TargetState.RETRY, TargetState.ACTIVE)).exists():
        raise ValidationFailed(_("The campaign has no target to call: import a list first."), code="no_targets")
    return _transition(actor, campaign, campaign.can_start(), CampaignState.RUNNING, "start")


@transaction.atomic
def campaign_pause(*, actor, campaign: Campaign) -> Campaign:
    """No new call is placed; calls already with an agent go on, the queued ones wait."""
    campaign = _locked(campaign.pk)
    return _transition(actor, campaign, campaign.can_pause(), CampaignState.PAUSED, "pause")


@transaction.atomic
def campaign_stop(*, actor, campaign: Campaign) -> Campaign:
    """The campaign ends: queued calls are withdrawn, open targets cancelled; calls with an agent go on and
    their outcomes are still recorded."""
    from kefu.contactcenter.services.contacts import outbound_contact_withdraw

    campaign = _locked(campaign.pk)
    _transition(actor, campaign, campaign.can_stop(), CampaignState.STOPPED, "stop")
    for target_id, contact_id in Target.objects.filter(campaign=campaign, state=TargetState.ACTIVE).values_list(
            "pk", "contact_id"):
        if contact_id and outbound_contact_withdraw(contact_id=contact_id):
            Target.objects.filter(pk=target_id).update(state=TargetState.CANCELLED, contact_id=None)
    Target.objects.filter(campaign=campaign, state__in=(TargetState.PENDING, TargetState.RETRY)).update(
        state=TargetState.CANCELLED, next_attempt_at=None)
    return campaign
