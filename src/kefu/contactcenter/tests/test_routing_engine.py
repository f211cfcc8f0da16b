"""The pure routing engine: priorities, skills, overflow, policies, capacity."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.contactcenter.routing import Agent, Contact, OverflowStep, Policy, decide


def agent(i, skills, voice=1, chat=0, idle=0.0, **kw):
    return Agent(id=i, skills=skills, capacity={"voice": voice, "chat": chat}, idle_since=idle, **kw)


def test_vip_before_older_ordinary_and_longest_idle_agent_first():
    agents = [agent(1, {"general": 5}, idle=50), agent(2, {"general": 5}, idle=10)]
    contacts = [Contact(10, "voice", (("general", 1),), priority=2, enqueued_at=0),
                Contact(11, "voice", (("general", 1),), priority=0, enqueued_at=30)]
    assert decide(contacts, agents, now=40) == [(11, 2), (10, 1)]


def test_higher_skill_level_wins_before_idle_time():
    agents = [agent(1, {"billing": 3}, idle=0), agent(2, {"billing": 9}, idle=100)]
    assert decide([Contact(1, "voice", (("billing", 1),))], agents, now=200) == [(1, 2)]


def test_skills_and_minimum_levels_are_required():
    agents = [agent(1, {"general": 9}), agent(2, {"vip": 2})]
    c = Contact(1, "voice", (("vip", 5),))
    assert decide([c], agents, now=0) == []


def test_overflow_widens_requirements_after_waiting():
    agents = [agent(1, {"vip": 2, "general": 5})]
    c = Contact(1, "voice", (("vip", 5),), enqueued_at=0,
                overflow=(OverflowStep(after=30, skills=(("vip", 1),)), OverflowStep(60, (("general", 1),))))
    assert decide([c], agents, now=10) == []
    assert decide([c], agents, now=31) == [(1, 1)]


def test_voice_capacity_is_one_and_chat_can_be_several():
    voice = [Contact(i, "voice", (("general", 1),), enqueued_at=i) for i in range(3)]
    chats = [Contact(10 + i, "chat", (("general", 1),), enqueued_at=i) for i in range(5)]
    phone_agent = agent(1, {"general": 5}, voice=1, chat=0)
    chat_agent = agent(2, {"general": 5}, voice=0, chat=3)
    result = decide(voice + chats, [phone_agent, chat_agent], now=100)
    assert [c for c, a in result if a == 1] == [0]
    assert len([c for c, a in result if a == 2]) == 3


def test_an_agent_on_a_call_takes_no_chat_and_a_chatting_agent_takes_no_call():
    on_call = agent(1, {"general": 5}, voice=1, chat=3, load={"voice": 1})
    chatting = agent(2, {"general": 5}, voice=1, chat=3, load={"chat": 1})
    contacts = [Contact(1, "voice", (("general", 1),)), Contact(2, "chat", (("general", 1),))]
    assert sorted(decide(contacts, [on_call, chatting], now=0)) == [(2, 2)]


def test_an_agent_who_refused_is_not_offered_the_same_contact_again():
    agents = [agent(1, {"general": 5}, idle=0), agent(2, {"general": 5}, idle=10)]
    c = Contact(1, "voice", (("general", 1),), excluded=frozenset({1}))
    assert decide([c], agents, now=20) == [(1, 2)]


def test_not_ready_agents_get_nothing():
    assert decide([Contact(1, "voice", ())], [agent(1, {}, ready=False)], now=0) == []


def test_aging_lets_a_long_wait_outrank_a_better_tier():
    agents = [agent(1, {"general": 5})]
    old = Contact(1, "voice", (), priority=2, enqueued_at=0)
    vip = Contact(2, "voice", (), priority=0, enqueued_at=590)
    assert decide([old, vip], agents, now=600, aging_seconds=120) == [(1, 1)]
    agents = [agent(1, {"general": 5})]
    assert decide([old, vip], agents, now=600, aging_seconds=0) == [(2, 1)]


def test_round_robin_and_least_occupied_policies():
    agents = [agent(1, {"g": 1}, last_assigned=5), agent(2, {"g": 1}, last_assigned=1)]
    assert decide([Contact(1, "voice", (("g", 1),))], agents, now=9, policy=Policy.ROUND_ROBIN) == [(1, 2)]
    agents = [agent(1, {"g": 1}, chat=3, load={"chat": 2}), agent(2, {"g": 1}, chat=3, load={"chat": 0})]
    assert decide([Contact(1, "chat", (("g", 1),))], agents, now=9, policy=Policy.LEAST_OCCUPIED) == [(1, 2)]


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10_000), n_agents=st.integers(0, 30), n_contacts=st.integers(0, 60))
def test_never_over_capacity_never_twice_never_unqualified(seed, n_agents, n_contacts):
    rng = random.Random(seed)
    skills = ["a", "b", "c", "d"]
    agents = [agent(i, {s: rng.randint(1, 10) for s in rng.sample(skills, rng.randint(0, 3))},
                    voice=1, chat=rng.randint(0, 3), idle=rng.random() * 100, ready=rng.random() > 0.2)
              for i in range(n_agents)]
    original = {a.id: (dict(a.skills), dict(a.capacity), a.ready) for a in agents}
    contacts = [Contact(i, rng.choice(["voice", "chat"]),
                        tuple((s, rng.randint(1, 6)) for s in rng.sample(skills, rng.randint(0, 2))),
                        priority=rng.randint(0, 2), enqueued_at=rng.random() * 100) for i in range(n_contacts)]
    result = decide(contacts, agents, now=200)
    assert len({cid for cid, _ in result}) == len(result)  # a contact goes to one agent
    per_agent: dict = {}
    by_c = {c.id: c for c in contacts}
    for cid, aid in result:
        c = by_c[cid]
        skills_a, cap, ready = original[aid]
        assert ready
        assert all(skills_a.get(s, 0) >= lvl for s, lvl in c.skills)
        per_agent.setdefault((aid, c.channel), 0)
        per_agent[(aid, c.channel)] += 1
        assert per_agent[(aid, c.channel)] <= cap[c.channel]
