"""The router service: decisions from its board, fed by the events the services post after commit."""

from datetime import timedelta

import pytest

from kefu.contactcenter.models import AgentSession, AgentState, Contact, ContactState, Offer
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services import router_inbox, router_leadership
from kefu.contactcenter.services.router_service import RouterService
from kefu.core import clock


@pytest.fixture(autouse=True)
def own_lock_key(monkeypatch):
    """A PostgreSQL advisory lock of this test's own: one still held by a router process another test
    started (its backend can outlive the process by a moment) must not decide who leads here."""
    import random

    monkeypatch.setattr(router_leadership, "ADVISORY_KEY", random.randint(1 << 20, 1 << 30))


@pytest.fixture
def service(settings, django_capture_on_commit_callbacks):
    settings.KEFU_ROUTER, settings.REDIS_URL = "service", ""
    svc = RouterService(inbox=router_inbox.open_local(), resync_seconds=3600, tick_seconds=0.01)
    assert svc.leadership.hold()
    svc.step()  # becomes active and reads the (empty) board
    yield svc
    svc.leadership.release()
    router_inbox.close_local()


def committed(capture, fn, *args, **kwargs):
    """Run a service and its on-commit callbacks (the events it posts), as a committed request would."""
    with capture(execute=True):
        return fn(*args, **kwargs)


def ready(capture, agent, ext):
    committed(capture, ag.agent_login, actor=agent, extension=ext)
    committed(capture, ag.agent_set_state, actor=agent, state="ready")


def call(capture, number, queue):
    c = committed(capture, ct.contact_arrive, caller=number, called="10086")
    return committed(capture, ct.contact_enqueue, contact=c, queue=queue)


def test_a_queued_contact_is_offered_from_the_board_without_reading_everything(
        cc, service, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    cap = django_capture_on_commit_callbacks
    ready(cap, cc.agents[0], "8001")
    call(cap, "13900000002", cc.q_general)
    with cap(execute=True):
        service.step()  # the first contact of the queue also reads the queue's requirements
    ready(cap, cc.agents[2], "8003")
    service.step()
    assert list(service.board.agents) == [cc.agents[2].pk]
    contact = call(cap, "13900000002", cc.q_general)
    # Reading the event: the contact's row and who refused it (2). Writing the pass (SAVEPOINT/RELEASE
    # here, BEGIN/COMMIT in production): the sessions with their people (1); the contact queued → offered
    # and read back (2); the agent ready → offered by a conditional UPDATE, its state history closed and
    # opened (3: the state change does not write the session again); the offer, the contact's counters, the
    # event (3); the screen pop: its read audit entry and the customer's numbers, accounts, recent contacts
    # and open orders (5).
    with django_assert_max_num_queries(2 + 2 + 1 + 2 + 3 + 3 + 5) as counted, cap(execute=True):
        service.step()
    offer = Offer.objects.get(contact=contact)
    assert offer.staff == cc.agents[2] and offer.state == Offer.State.PENDING
    assert not any("FROM \"contactcenter_agentsession\" WHERE" in q["sql"] and "IN (" in q["sql"]
                   and "logged_out_at\" IS NULL" in q["sql"] and "staff_id\" IN" not in q["sql"]
                   for q in counted.captured_queries), "the pass read every agent"
    assert service.board.contacts == {} and service.board.agents == {}


def test_an_agent_becoming_ready_takes_the_head_of_the_queue(cc, service, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    first = call(cap, "13900000002", cc.q_general)
    call(cap, "13900000002", cc.q_general)
    service.step()
    assert len(service.board.contacts) == 2
    ready(cap, cc.agents[0], "8001")
    with cap(execute=True):
        service.step()
    assert Offer.objects.get().contact_id == first.pk
    assert ag.live_session(cc.agents[0]).state == AgentState.OFFERED


def test_a_stale_agent_on_the_board_is_read_again_not_offered(cc, service, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    ready(cap, cc.agents[2], "8003")
    service.step()
    # The agent leaves without the router hearing of it (a lost event).
    AgentSession.objects.filter(staff=cc.agents[2]).update(state=AgentState.NOT_READY)
    contact = call(cap, "13900000002", cc.q_general)
    with cap(execute=True):
        service.step()
    assert not Offer.objects.exists()
    assert Contact.objects.get(pk=contact.pk).state == ContactState.QUEUED
    assert service.board.agents == {} and list(service.board.contacts) == [contact.pk]


def test_lost_events_are_repaired_by_the_periodic_reading(cc, service, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    ready(cap, cc.agents[2], "8003")
    contact = call(cap, "13900000002", cc.q_general)
    service.inbox.clear()  # every event lost
    service.resync_seconds = 0
    with cap(execute=True):
        service.step()
    assert Offer.objects.get().contact_id == contact.pk


def test_a_contact_that_ends_while_queued_leaves_the_board(cc, service, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    contact = call(cap, "13900000002", cc.q_general)
    service.step()
    committed(cap, ct.contact_end, contact_id=contact.pk, by_switch=True)
    service.step()
    assert service.board.contacts == {}


def test_a_standby_decides_nothing(cc, service, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    standby = RouterService(inbox=router_inbox.LocalInbox(), resync_seconds=0, tick_seconds=0.01)
    ready(cap, cc.agents[2], "8003")
    standby.inbox.publish([("a", cc.agents[2].pk)])
    call(cap, "13900000002", cc.q_general)
    standby.step()
    assert not standby.active and not Offer.objects.exists()
    standby.leadership.release()


def test_only_one_candidate_leads_and_another_takes_over_when_it_goes(db):
    a, b = router_leadership.for_this_database("a"), router_leadership.for_this_database("b")
    try:
        assert a.hold() and not b.hold()
        assert router_leadership.leader() == "a"
        if isinstance(a, router_leadership.Lease):
            # A lease that is not renewed runs out; nobody needs to release it.
            clock.freeze(clock.now() + timedelta(seconds=router_leadership.LEASE_SECONDS + 1))
        else:
            a.release()  # the lock's connection closes, as it does when the process dies
        assert b.hold()
        assert router_leadership.leader() == "b"
    finally:
        a.release()
        b.release()
