"""Targets that come by themselves: customers whose complaint was just closed, for callback-after-service
campaigns (回访), sampled by each campaign's share."""

from __future__ import annotations

import random

from django.db.models import F

from kefu.core.versioned import VersionedCache

from ..models import Campaign, CampaignState, Kind, Target, TargetState

_rng = random.SystemRandom()


def _fed_campaigns() -> list[tuple[int, int]]:
    return list(Campaign.objects.filter(
        kind=Kind.CALLBACK, auto_closed_complaints=True,
        state__in=(CampaignState.DRAFT, CampaignState.RUNNING, CampaignState.PAUSED)).values_list("pk", "sample_percent"))


#: ``(id, sample %)`` of the campaigns fed by closed complaints, per process: every complaint's close asks,
#: and the work-order action's query budget has no room for a read that almost always finds nothing.
_fed = VersionedCache("campaigns.fed_by_complaints", _fed_campaigns, watch=(Campaign,))


def order_event_received(sender, *, order, event: str, **kwargs) -> None:
    """``workorders.order_event`` receiver, in the closing transaction (a rollback takes the target back)."""
    if event != "order.close" or order.kind != "complaint" or not order.customer_id:
        return
    for campaign_id, sample_percent in _fed.get():
        if sample_percent < 100 and _rng.randrange(100) >= sample_percent:
            continue
        campaign = Campaign.objects.filter(pk=campaign_id).first()
        if campaign is not None:
            complaint_target_add(campaign=campaign, order=order)


def complaint_target_add(*, campaign: Campaign, order) -> Target | None:
    """The complainant's line as a target of ``campaign`` (once per number and campaign)."""
    from kefu.crm.selectors import subscriber_identified

    number, subscriber_id = "", None
    if getattr(order, "subscriber_id", None):
        sub = subscriber_identified(subscriber_id=order.subscriber_id)
        if sub is not None:
            number, subscriber_id = sub.number, sub.pk
    number = number or (getattr(order, "contact_number", "") or "")
    if not number:
        return None
    target, created = Target.objects.get_or_create(
        campaign=campaign, number=number,
        defaults={"customer_id": order.customer_id, "subscriber_id": subscriber_id, "source": "auto",
                  "note": order.serial[:200], "state": TargetState.PENDING})
    if created:
        Campaign.objects.filter(pk=campaign.pk).update(version=F("version") + 1)
    return target if created else None
