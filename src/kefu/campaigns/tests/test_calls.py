"""A campaign call on the desk through the API: preview with the script, dial, answer, outcome at wrap-up;
a failed dial's outcome and the retry by rule; a stop withdraws the calls still waiting."""

import pytest

from kefu.campaigns.jobs import campaigns_tick
from kefu.campaigns.models import Attempt, Target
from kefu.campaigns.services.campaigns import campaign_start, campaign_stop
from kefu.contactcenter.models import Contact, Dial, Offer
from kefu.contactcenter.services.dialer import dial_answered, dial_failed
from kefu.contactcenter.services.router import route
from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.core.testing import JsonClient, client_for

from .support import imported, make_campaign

DESK = "/api/contactcenter"


def _desk(agent) -> JsonClient:
    api = JsonClient(client_for(agent))
    assert api.post(f"{DESK}/agent/login", {"extension": "8001"}).status_code == 200
    assert api.post(f"{DESK}/agent/state", {"state": "ready"}).status_code == 200
    return api


def test_the_agent_previews_calls_and_records_the_outcome_at_wrap_up(world):
    campaign = make_campaign(world, pacing=1)
    imported(world, campaign, ["13900000002,刘挽留,离网倾向"])
    campaign_start(actor=world.manager, campaign=campaign)
    desk = _desk(world.agents[0])
    assert campaigns_tick() == 1
    route()
    state = desk.get(f"{DESK}/agent/me").json()
    detail = state["offer"]["pop"]["outbound"]["detail"]
    assert detail["title"].startswith("五月挽留") and "您是否愿意继续使用我们的服务？" in detail["script"]
    assert [code for code, _label in detail["outcomes"]] == ["reached", "success", "refused", "callback_later"]
    assert state["offer"]["pop"]["customer"]["name"] == "刘挽留"
    desk.post(f"{DESK}/offers/{state['offer']['id']}/accept")
    dial = Dial.objects.get()
    assert dial.purpose == "campaign" and dial.number == "13900000002"
    dial_answered(dial_id=dial.dial_id)
    contact_id = dial.contact_id
    assert desk.post(f"{DESK}/contacts/{contact_id}/end").status_code == 200
    wrap = desk.get(f"{DESK}/agent/me").json()["wrap_up"]
    assert wrap["outbound"]["detail"]["campaign"] == campaign.pk
    r = desk.post(f"{DESK}/contacts/{contact_id}/wrap-up", {"disposition": "solved"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_outcome", r.content
    r = desk.post(f"{DESK}/contacts/{contact_id}/wrap-up", {"disposition": "success", "notes": "同意续约"})
    assert r.status_code == 200, r.content
    target = Target.objects.get()
    assert (target.state, target.outcome, target.agent, target.notes) == ("done", "success", world.agents[0], "同意续约")
    assert Attempt.objects.get().agent == world.agents[0]


def test_in_progressive_mode_the_call_is_dialled_as_soon_as_an_agent_is_offered_it(world):
    campaign = make_campaign(world, pacing=2, dial_mode="progressive")
    imported(world, campaign, ["13900000002,刘挽留,离网倾向", "13900000003,王挽留,离网倾向"])
    campaign_start(actor=world.manager, campaign=campaign)
    desk = _desk(world.agents[0])
    assert campaigns_tick() == 2
    route()
    offer = Offer.objects.get()  # one agent ready: one call dialled, the other waits
    assert offer.state == "accepted" and offer.staff == world.agents[0]
    dial = Dial.objects.get(state="dialling")
    assert dial.contact_id == offer.contact_id and dial.staff == world.agents[0]
    state = desk.get(f"{DESK}/agent/me").json()
    assert state["session"]["state"] == "busy" and state["offer"] is None
    assert state["contacts"][0]["state"] == "dialling" and state["dial"]["number"] == dial.number
    assert Contact.objects.filter(direction="out", state="queued").count() == 1
    dial_answered(dial_id=dial.dial_id)
    assert Attempt.objects.get(contact_id=dial.contact_id).agent == world.agents[0]


def test_a_preview_campaign_waits_for_the_agent_and_bad_modes_are_refused(world):
    campaign = make_campaign(world, pacing=1)
    assert campaign.dial_mode == "preview"
    imported(world, campaign, ["13900000002"])
    campaign_start(actor=world.manager, campaign=campaign)
    _desk(world.agents[0])
    campaigns_tick()
    route()
    assert Offer.objects.get().state == "pending" and Dial.objects.get().state == "planned"
    with pytest.raises(ValidationFailed) as exc:
        make_campaign(world, name="坏的", dial_mode="predictive")
    assert "dial_mode" in exc.value.details


def test_a_busy_line_is_retried_after_the_delay_and_a_stop_withdraws_the_waiting_call(world):
    campaign = make_campaign(world, pacing=1, max_attempts=2, retry_minutes=5)
    imported(world, campaign, ["13900000002"])
    campaign_start(actor=world.manager, campaign=campaign)
    desk = _desk(world.agents[0])
    campaigns_tick()
    route()
    desk.post(f"{DESK}/offers/{Offer.objects.get(state='pending').pk}/accept")
    dial_failed(dial_id=Dial.objects.get().dial_id, outcome="busy")
    target = Target.objects.get()
    assert (target.state, target.outcome, target.attempts) == ("retry", "busy", 1)
    assert campaigns_tick() == 0  # not before the delay
    clock.advance(__import__("datetime").timedelta(minutes=5))
    assert campaigns_tick() == 1
    assert Target.objects.get().state == "active"
    desk.post(f"{DESK}/agent/state", {"state": "not_ready", "reason": "break"})
    campaign_stop(actor=world.manager, campaign=campaign)
    target = Target.objects.get()
    assert target.state == "cancelled"
    waiting = Contact.objects.filter(direction="out").order_by("-pk").first()
    assert waiting.state == "ended" and not waiting.abandoned and waiting.disposition == "withdrawn"
