"""The dispatcher: every second, each running campaign puts due targets in flight, within its pacing and
its calling hours, after checking the exclusions again (a number may have opted out since the import)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kefu.core import clock
from kefu.params.selectors import param_get

from .. import rules
from ..models import (
    OPTOUT_PURPOSE,
    Attempt,
    Campaign,
    CampaignState,
    DoNotCall,
    Exclusion,
    Target,
    TargetState,
)
from .calls import answered_unrecorded_close

log = logging.getLogger("kefu.campaigns")


def campaign_in_hours(campaign: Campaign) -> bool:
    """Inside the campaign's calling hours and the queue's opening hours."""
    from kefu.contactcenter.selectors import queue_is_open

    now = clock.now()
    local = timezone.localtime(now).time()
    return rules.within_hours(local, campaign.hours_start, campaign.hours_end) and queue_is_open(campaign.queue, now)


def campaigns_dispatch() -> int:
    """One pass over the running campaigns; returns how many targets went in flight."""
    placed = 0
    for campaign_id in Campaign.objects.filter(state=CampaignState.RUNNING).values_list("pk", flat=True):
        try:
            placed += campaign_dispatch(campaign_id=campaign_id)
        except Exception:  # one campaign's trouble must not stop the others
            log.exception("campaign %s: dispatch failed", campaign_id)
    answered_unrecorded_close(grace=param_get("campaigns.wrap_up_grace"))
    return placed


def _due(campaign: Campaign, now, limit: int) -> list[int]:
    # Uses target_due_idx (campaign, state, next_attempt_at).
    due = Target.objects.filter(Q(state=TargetState.PENDING) | Q(state=TargetState.RETRY, next_attempt_at__lte=now),
                                campaign=campaign)
    return list(due.order_by("state", "next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def _excluded(campaign: Campaign, target: Target) -> str:
    """Why ``target`` may not be called now ("" if it may): do-not-call, opted out since the import."""
    from kefu.outlets.selectors import optouts_blocking_calls

    if DoNotCall.objects.filter(number=target.number).exists():
        return Exclusion.DO_NOT_CALL
    numbers, customers = optouts_blocking_calls(addresses=[target.number], purpose=OPTOUT_PURPOSE[campaign.kind],
                                                customer_ids=[target.customer_id] if target.customer_id else [])
    return Exclusion.OPTED_OUT if numbers or customers else ""


def campaign_dispatch(*, campaign_id: int) -> int:
    """Put due targets of one campaign in flight while it has free slots. Finishes a campaign with nothing
    left to call."""
    campaign = Campaign.objects.select_related("queue").get(pk=campaign_id)
    if campaign.state != CampaignState.RUNNING:
        return 0
    now = clock.now()
    in_flight = Target.objects.filter(campaign=campaign, state=TargetState.ACTIVE).count()
    slots = rules.free_slots(pacing=campaign.pacing, in_flight=in_flight)
    if not slots or not campaign_in_hours(campaign):
        return 0
    due = _due(campaign, now, min(slots, int(param_get("campaigns.dispatch_batch"))))
    if not due and not in_flight:
        _finish_if_done(campaign_id)
        return 0
    placed = 0
    for target_id in due:
        if _place(campaign, target_id, now):
            placed += 1
    return placed


@transaction.atomic
def _place(campaign: Campaign, target_id: int, now) -> bool:
    from kefu.contactcenter.services.dialer import outbound_contact_open

    from .calls import PURPOSE

    fresh = Campaign.objects.select_for_update().get(pk=campaign.pk)  # a stop waits for this placement
    if fresh.state != CampaignState.RUNNING:
        return False
    target = Target.objects.select_for_update().get(pk=target_id)
    if target.state not in (TargetState.PENDING, TargetState.RETRY):
        return False
    reason = _excluded(campaign, target)
    if reason:
        target.state, target.excluded_reason, target.next_attempt_at = TargetState.EXCLUDED, reason, None
        target.save(update_fields=["state", "excluded_reason", "next_attempt_at"])
        return False
    seq = target.attempts + 1
    contact = outbound_contact_open(number=target.number, queue_id=campaign.queue_id, purpose=PURPOSE,
                                    customer_id=target.customer_id, subscriber_id=target.subscriber_id,
                                    attempt=seq)
    Attempt.objects.create(campaign=campaign, target=target, number=target.number, seq=seq, contact_id=contact.pk,
                           started_at=now)
    target.state, target.contact_id, target.next_attempt_at = TargetState.ACTIVE, contact.pk, None
    target.version += 1
    target.save(update_fields=["state", "contact_id", "next_attempt_at", "version"])
    return True


@transaction.atomic
def _finish_if_done(campaign_id: int) -> None:
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    open_targets = Target.objects.filter(
        campaign=campaign, state__in=(TargetState.PENDING, TargetState.RETRY, TargetState.ACTIVE))
    if campaign.state == CampaignState.RUNNING and not open_targets.exists():
        from .campaigns import _transition

        _transition("system", campaign, True, CampaignState.FINISHED, "every target done")
