"""The router's in-memory board: events in, decisions out, no storage."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.contactcenter.routing import Agent, Contact
from kefu.contactcenter.routing.board import Board


def _agent(i, level=5, chat=0):
    return Agent(id=i, skills={"general": level}, capacity={"voice": 1, "chat": chat}, load={"voice": 0, "chat": 0},
                 idle_since=float(i))


def _contact(i, channel="voice", at=0.0):
    return Contact(id=i, channel=channel, skills=(("general", 1),), enqueued_at=at)


def test_a_new_contact_goes_to_a_free_agent_and_both_leave_the_board():
    board = Board()
    board.put_agent(_agent(1))
    board.put_contact(_contact(10))
    assert board.decide(100.0) == [(10, 1)]
    assert board.contacts == {} and board.agents == {}
    assert board.decide(100.0) == []


def test_an_agent_becoming_free_takes_the_head_of_the_queue():
    board = Board()
    board.put_contact(_contact(10, at=5.0))
    board.put_contact(_contact(11, at=1.0))
    assert board.decide(100.0) == []
    board.put_agent(_agent(1))
    assert board.decide(100.0) == [(11, 1)]
    assert list(board.contacts) == [10]


def test_dropped_entries_are_not_offered():
    board = Board()
    board.put_agent(_agent(1))
    board.put_contact(_contact(10))
    board.drop_agent(1)
    assert board.decide(100.0) == []
    board.put_agent(_agent(2))
    board.drop_contact(10)
    assert board.decide(100.0) == []


def test_chat_offers_count_against_capacity_until_the_agent_is_read_again():
    board = Board()
    board.put_agent(_agent(1, chat=2))
    for i in range(3):
        board.put_contact(_contact(10 + i, channel="chat", at=float(i)))
    assert board.decide(100.0) == [(10, 1), (11, 1)]
    assert list(board.contacts) == [12] and 1 in board.agents


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["contact", "agent", "drop_contact", "drop_agent", "decide"]),
                          st.integers(0, 7)), max_size=60))
def test_no_contact_or_agent_is_assigned_twice(ops):
    """Whatever the order of events, a contact is offered once and a voice agent takes one contact."""
    board = Board()
    offered, busy = set(), set()
    for op, i in ops:
        if op == "contact" and i not in offered:
            board.put_contact(_contact(i, at=float(i)))
        elif op == "agent" and i not in busy:
            board.put_agent(_agent(i))
        elif op == "drop_contact":
            board.drop_contact(i)
        elif op == "drop_agent":
            board.drop_agent(i)
        elif op == "decide":
            for cid, aid in board.decide(1000.0):
                assert cid not in offered and aid not in busy
                offered.add(cid)
                busy.add(aid)


SKILL_SETS = [{"general": 3}, {"general": 5, "vip": 2}, {"vip": 4}, {"general": 1, "billing": 5}]
REQS = [(("general", 1),), (("vip", 1),), (("general", 4),), (("billing", 2),)]


def _rich_agent(i, skills, chat, idle):
    return Agent(id=i, skills=dict(SKILL_SETS[skills]), capacity={"voice": 1, "chat": chat},
                 load={"voice": 0, "chat": 0}, idle_since=idle)


def _rich_contact(i, channel, reqs, priority, at, excluded, overflow):
    from kefu.contactcenter.routing import OverflowStep

    steps = (OverflowStep(30.0, (("general", 1),)),) if overflow else ()
    return Contact(id=i, channel=channel, skills=REQS[reqs], priority=priority, enqueued_at=at, overflow=steps,
                   excluded=frozenset({excluded}) if excluded is not None else frozenset())


OPS = st.one_of(
    st.tuples(st.just("contact"), st.integers(0, 9), st.sampled_from(["voice", "chat"]), st.integers(0, 3),
              st.integers(0, 2), st.one_of(st.none(), st.integers(0, 5)), st.booleans()),
    st.tuples(st.just("agent"), st.integers(0, 5), st.integers(0, 3), st.integers(0, 2), st.integers(0, 50)),
    st.tuples(st.just("drop_contact"), st.integers(0, 9)),
    st.tuples(st.just("drop_agent"), st.integers(0, 5)),
    st.tuples(st.just("decide"), st.integers(0, 200)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(OPS, max_size=50))
def test_the_board_shortcuts_decide_exactly_like_the_engine(ops):
    """The kept heaps and the lone-agent scan give the engine's assignments, whatever the events."""
    fast, slow = Board(), Board(fast=False)
    now = 0.0
    for op in ops:
        kind = op[0]
        if kind == "contact":
            _k, i, channel, reqs, priority, excluded, overflow = op
            for b in (fast, slow):
                b.put_contact(_rich_contact(i, channel, reqs, priority, now, excluded, overflow))
        elif kind == "agent":
            _k, i, skills, chat, idle = op
            for b in (fast, slow):
                b.put_agent(_rich_agent(i, skills, chat, float(idle)))
        elif kind == "drop_contact":
            for b in (fast, slow):
                b.drop_contact(op[1])
        elif kind == "drop_agent":
            for b in (fast, slow):
                b.drop_agent(op[1])
        else:
            now += op[1]
            assert fast.decide(now) == slow.decide(now)
            assert set(fast.contacts) == set(slow.contacts) and set(fast.agents) == set(slow.agents)
            assert {a: fast.agents[a].load for a in fast.agents} == {a: slow.agents[a].load for a in slow.agents}


def test_an_agent_back_on_the_board_is_ranked_by_its_new_idle_time():
    board = Board()
    board.put_agent(_agent(1))  # idle since 1
    board.put_agent(_agent(2))  # idle since 2
    board.put_contact(_contact(10))
    assert board.decide(5.0) == [(10, 1)]  # the heap of ("voice", general 1) is now kept
    again = _agent(1)
    again.idle_since = 7.0
    board.put_agent(again)
    board.put_contact(_contact(11))
    assert board.decide(8.0) == [(11, 2)]  # agent 1's old entry (idle since 1) no longer counts
