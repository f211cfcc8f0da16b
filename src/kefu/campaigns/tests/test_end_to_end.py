"""A retention campaign of 1,000 imported targets runs through agents' desktops to results and the dashboard.

Service level, on a moving clock: the simulated switch places the calls Kefu asks for (some busy, some
unanswered, most answered), simulated agents accept each preview, talk and record one of the campaign's
outcomes at wrap-up; the dispatcher keeps the pacing and retries by rule until every target is done.
"""

from kefu.campaigns.jobs import campaigns_tick
from kefu.campaigns.models import Attempt, Campaign, Target
from kefu.campaigns.selectors import campaign_dashboard
from kefu.campaigns.services.campaigns import campaign_start
from kefu.contactcenter.models import AgentSession, Contact
from kefu.contactcenter.simagents import BotPlan, SimulatedAgents
from kefu.contactcenter.simswitch import CallerPool, InProcessTransport, OutboundBehaviour, SimSwitch
from kefu.contactcenter.simswitch.runner import run_simulated
from kefu.core.testing import make_staff
from kefu.params.services import param_set

from .support import imported, make_campaign, numbers


def test_a_retention_campaign_of_1000_targets_runs_to_results(world):
    admin = make_staff(org=world.province, perms=["params.param.edit"], employee_no="ADM")
    param_set(actor=admin, key="contactcenter.dial.ring_timeout", raw="5")  # unanswered lines ring out sooner
    campaign = make_campaign(world, pacing=8, max_attempts=2, retry_minutes=1, recent_days=0)
    imp = imported(world, campaign, ["号码,姓名,备注", *(f"{n},客户{i},离网倾向" for i, n in enumerate(numbers(1000)))])
    assert (imp.state, imp.total, imp.accepted, imp.rejected) == ("done", 1000, 1000, 0)
    campaign_start(actor=world.manager, campaign=campaign)

    bots = SimulatedAgents(world.agents, plan=BotPlan(ring_seconds=(0, 0), talk_seconds=(0, 0),
                                                      wrap_seconds=(0, 0), break_chance=0))
    behaviour = OutboundBehaviour(busy=0.1, rejected=0.0, answer=0.75, answer_machine=0.0, ring=(0, 0), talk=600)
    switch = SimSwitch(InProcessTransport(), rate=0, pool=CallerPool(), outbound=behaviour, poll_every=1)

    def step():
        campaigns_tick()
        bots.step()
        in_flight = Target.objects.filter(campaign=campaign, state="active").count()
        assert in_flight <= campaign.pacing  # the pacing holds at every step

    for _ in range(30):
        run_simulated(switch, seconds=60, step=1, each_step=step)
        if Campaign.objects.get(pk=campaign.pk).state == "finished":
            break
    campaign.refresh_from_db()
    assert campaign.state == "finished"
    targets = Target.objects.filter(campaign=campaign)
    assert targets.count() == 1000 and not targets.exclude(state="done").exists()
    outcomes = set(targets.values_list("outcome", flat=True))
    assert outcomes <= {"reached", "success", "refused", "callback_later", "no_answer", "busy"}
    assert {"success", "no_answer"} <= outcomes
    # Retries by rule: only retried outcomes were called twice, never more than max_attempts.
    assert not targets.filter(attempts__gt=2).exists()
    assert not Attempt.objects.filter(campaign=campaign, seq=2).exclude(
        target__in=Attempt.objects.filter(campaign=campaign, seq=1, outcome__in=["no_answer", "busy",
                                                                                "callback_later"]).values("target")
    ).exists()
    # Every attempt was a contact through the one router, answered ones by an agent who recorded the outcome.
    attempts = Attempt.objects.filter(campaign=campaign)
    assert attempts.count() == Contact.objects.filter(direction="out").count()
    assert not attempts.filter(outcome="").exists()
    assert not attempts.filter(dial_outcome="answered", agent__isnull=True).exists()

    board = campaign_dashboard(actor=world.manager, campaign=campaign)
    assert board["total"] == 1000 and board["done"] == 1000 and board["progress"] == 100.0
    assert board["attempted"] == 1000
    assert board["reached"] == targets.filter(outcome__in=["reached", "success", "refused", "callback_later"]).count()
    assert board["reach_rate"] == round(100 * board["reached"] / 1000, 1)
    assert {row["label"].split(" (")[1][:-1] for row in board["by_agent"]} <= {f"AG{i}" for i in range(1, 9)}
    assert sum(row["attempts"] for row in board["by_day"]) == attempts.count()
    assert sum(row["success"] for row in board["by_agent"]) == targets.filter(outcome="success").count()
    assert AgentSession.objects.filter(logged_out_at__isnull=True).count() == 8
