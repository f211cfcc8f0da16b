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
