"""The demo's simulated agents answer, talk, end and wrap up through the services."""

from kefu.contactcenter.models import AgentState, Contact
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.contactcenter.simagents import BotPlan, SimulatedAgents


def test_bots_take_a_call_from_ring_to_wrap_up(cc):
    bot = cc.agents[2]
    bots = SimulatedAgents([bot], plan=BotPlan(ring_seconds=(0, 0), talk_seconds=(0, 0), wrap_seconds=(0, 0),
                                               break_chance=0))
    bots.step()
    assert ag.live_session(bot).state == AgentState.READY
    c = ct.contact_enqueue(contact=ct.contact_arrive(caller="13900000002"), queue=cc.q_general)
    route()
    assert ag.live_session(bot).state == AgentState.OFFERED
    for _ in range(4):
        bots.step()
    c.refresh_from_db()
    assert c.answered_at and c.ended_at and c.disposition
    assert ag.live_session(bot).state == AgentState.READY
    assert Contact.objects.filter(agent=bot).count() == 1
    bots.logout_all()
    assert ag.live_session(bot) is None
